"""One letter as an email: a draft Outlook opens to check and send, or the message sent.

The Message-ID is derived from what the letter is (plan, agency, kind, date, text and
the attached pack's content), not from the clock, so a rerun makes the same message
and the sent-log can tell it went.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage

from ...errors import UpdateRefused
from ...plan.contacts import Contact

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID_DOMAIN = "jtaiplan.invalid"


class MailRefused(UpdateRefused):
    """Something in the batch is wrong: nothing was written or sent (exit 1)."""

    unchanged = "nothing was written or sent"


@dataclass(frozen=True)
class Letter:
    """What one agency is sent, before it is an email."""

    kind: str
    """pack, remind or chase: part of the Message-ID, so each is its own message."""
    plan_id: str
    agency: str
    agency_name: str
    contact: Contact
    subject: str
    text: str
    html: str
    dated: str
    """The date the letter is about (return-by, or the as-of date of a reminder)."""
    attachment: tuple[str, bytes] | None = None
    content: str = ""
    """What the attachment holds, as text (each row's ref and fingerprint)."""
    fields: tuple[tuple[str, str], ...] = field(default=())
    """Every piece of text that goes out, by name, for the personal-data check."""

    @property
    def message_id(self) -> str:
        digest = hashlib.sha256()
        for part in (self.kind, self.plan_id, self.agency, self.dated, self.subject,
                     self.text, self.html):
            digest.update(part.encode("utf-8") + b"\0")
        # The attachment by name and by what it holds (``content``), not by its bytes:
        # a workbook is dated when it is made, and the rerun must be the same message.
        if self.attachment is not None:
            digest.update(self.attachment[0].encode("utf-8") + b"\0")
        digest.update(self.content.encode("utf-8"))
        return f"<{digest.hexdigest()[:40]}@{ID_DOMAIN}>"

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.contact.to + self.contact.cc


def to_email(letter: Letter, *, sender: str | None = None, sent_at: float | None = None
             ) -> EmailMessage:
    """The letter as an email: ``X-Unsent: 1`` (a draft) unless ``sent_at`` is given.

    ``policy.SMTP`` encodes non-ASCII names and subjects (RFC 2047) and the attachment's
    name (RFC 2231), with CRLF line ends as mail wants."""
    from email import policy
    from email.headerregistry import Address
    from email.utils import formatdate

    msg = EmailMessage(policy=policy.SMTP)
    if sender:
        msg["From"] = sender
    name = letter.contact.name or letter.agency_name
    msg["To"] = [Address(display_name=name if i == 0 else "", addr_spec=a)
                 for i, a in enumerate(letter.contact.to)]
    if letter.contact.cc:
        msg["Cc"] = [Address(addr_spec=a) for a in letter.contact.cc]
    msg["Subject"] = letter.subject
    msg["Message-ID"] = letter.message_id
    if sent_at is None:
        msg["X-Unsent"] = "1"
    else:
        msg["Date"] = formatdate(sent_at, localtime=False, usegmt=True)
    msg["X-Jtai-Agency"] = letter.agency
    msg.set_content(letter.text)
    msg.add_alternative(letter.html, subtype="html")
    if letter.attachment is not None:
        filename, data = letter.attachment
        maintype, subtype = XLSX.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    # Boundaries from the Message-ID, not random: a rerun writes the same bytes.
    stem = letter.message_id.strip("<>").split("@")[0][:24]
    for number, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"jtai-{stem}-{number}")
    if not _addresses_survive(msg):
        # Python's folding of an address list can write the comma after a quoted non-ASCII
        # name as an encoded word ("=?utf-8?q?=2C?="), so that readers, and reply-all, see
        # the first address only. Unfolded (up to RFC 5322's 998) the list reads back whole.
        msg.policy = policy.SMTP.clone(max_line_length=998)
    return msg


def _addresses_survive(msg: EmailMessage) -> bool:
    """Whether a mail reader gets back every address of To and Cc from the bytes."""
    from email import policy
    from email.parser import BytesParser

    back = BytesParser(policy=policy.default).parsebytes(msg.as_bytes(), headersonly=True)
    return all([a.addr_spec for a in msg[name].addresses]
               == [a.addr_spec for a in back[name].addresses]
               for name in ("To", "Cc") if msg[name] is not None)

