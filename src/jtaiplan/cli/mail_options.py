"""Options shared by the commands that write or send mail (`jtai pack --email`, `jtai
remind`), and the delivery they share: drafts, a dry run, or SMTP."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun, JtaiError

if TYPE_CHECKING:
    from ..office.mail.message import Letter
    from ..plan.contacts import Contacts
    from ..plan.model import Plan

ContactsOption = Annotated[Path | None, typer.Option(
    "--contacts", metavar="PATH", help="The agencies' addresses (default: contacts.yaml "
    "beside the plan). Keep it out of a published repository: see the README.")]
SendOption = Annotated[bool, typer.Option(
    "--send", help="Send through SMTP (JTAI_SMTP_HOST, _PORT, _SECURITY, _USER, _FROM and "
                   "JTAI_SMTP_PASSWORD, the password only from the environment). Without "
                   "it nothing is sent: drafts are written for Outlook.")]
MailDryRunOption = Annotated[bool, typer.Option(
    "--dry-run", "-n", help="List each message's recipients and subject; write and send "
                            "nothing.")]
SmtpHostOption = Annotated[str | None, typer.Option(
    "--smtp-host", metavar="HOST", help="Overrides JTAI_SMTP_HOST.")]
SmtpPortOption = Annotated[int | None, typer.Option(
    "--smtp-port", metavar="PORT", help="Overrides JTAI_SMTP_PORT (default 587 for "
                                        "starttls, 465 for tls, 25 for none).")]
SmtpSecurityOption = Annotated[str | None, typer.Option(
    "--smtp-security", metavar="starttls|tls|none",
    help="Overrides JTAI_SMTP_SECURITY (default starttls; none only without a password).")]
SmtpUserOption = Annotated[str | None, typer.Option(
    "--smtp-user", metavar="USER", help="Overrides JTAI_SMTP_USER.")]
SmtpFromOption = Annotated[str | None, typer.Option(
    "--smtp-from", metavar="ADDRESS", help="Overrides JTAI_SMTP_FROM.")]


@dataclass(frozen=True)
class Smtp:
    host: str | None = None
    port: int | None = None
    security: str | None = None
    user: str | None = None
    sender: str | None = None


class BatchIncomplete(JtaiError):
    """Some messages went and some did not (each said above): exit 1."""

    exit_code = 1


def read_contacts(plan_path: Path, given: Path | None, plan: Plan) -> Contacts:
    from ..planfile.contactsfile import contacts_path, load_contacts

    beside = plan_path if not plan_path.is_dir() else plan_path / "plan.yaml"
    return load_contacts(contacts_path(beside, given), plan)


def deliver(letters: Sequence[Letter], folder: Path | None, *, send: bool, dry_run: bool,
            smtp: Smtp, as_json: bool = False) -> None:
    """Drafts, a dry run's list, or SMTP; on stderr as it goes, and with ``as_json`` one
    JSON document on stdout: each message's agency, recipients, subject, Message-ID and
    what became of it."""
    from ..office.mail.outbox import listing, write_drafts
    from ..office.mail.send import send_batch, settings_from
    from ..office.mail.sentlog import SentLog, log_path
    from .common import write_out

    records = {letter.message_id: _record(letter) for letter in letters}
    log = SentLog(log_path(folder)) if folder is not None else None
    if dry_run:
        already = log.ids if (log is not None and send) else set()
        for letter in letters:
            records[letter.message_id]["outcome"] = \
                "already sent" if letter.message_id in already else "listed"
        write_out(_json(records) if as_json else
                  "".join(line + "\n" for line in listing(letters, already)))
        say("jtai: dry run: nothing written or sent")
        return
    if folder is None:
        raise CannotRun("mail needs -o FOLDER: the drafts go there (and, with --send, the "
                        "sent-log beside it)")
    if not send:
        for path, letter in zip(write_drafts(letters, folder), letters, strict=True):
            records[letter.message_id].update(outcome="draft", path=path.as_posix())
            say(f"jtai: wrote {path.as_posix()}: draft to {', '.join(letter.contact.to)} "
                "(open it in Outlook to check and send)")
        if as_json:
            write_out(_json(records))
        return
    settings = settings_from(os.environ, host=smtp.host, port=smtp.port,
                             security=smtp.security, user=smtp.user, sender=smtp.sender)
    assert log is not None
    folder.mkdir(parents=True, exist_ok=True)
    result = send_batch(letters, settings, log)
    for letter in result.already:
        records[letter.message_id]["outcome"] = "already sent"
        say(f"jtai: {letter.agency}: already sent ({letter.message_id}): not sent again")
    for sent in result.sent:
        records[sent.letter.message_id].update(outcome="sent", refused=sent.refused)
        say(f"jtai: {sent.letter.agency}: sent to {', '.join(sent.accepted)}: "
            f"{sent.letter.subject}")
        for refusal in sent.refused:
            say(f"jtai: {sent.letter.agency}: but the server refused {refusal}")
    for letter, reason in result.failed:
        records[letter.message_id].update(outcome="not sent", reason=reason)
        say(f"jtai: {letter.agency}: NOT sent: {reason}")
    if as_json:
        write_out(_json(records))
    if result.failed:
        went = len(result.sent) + len(result.already)
        raise BatchIncomplete(
            f"{went} of {len(letters)} messages sent; not sent: "
            f"{', '.join(letter.agency for letter, _ in result.failed)}. Fix the cause and "
            f"run again: the sent-log ({log.path.name}) keeps the others from going twice")


def _record(letter: Letter) -> dict[str, object]:
    return {"agency": letter.agency, "kind": letter.kind, "to": list(letter.contact.to),
            "cc": list(letter.contact.cc), "subject": letter.subject,
            "message_id": letter.message_id,
            "attachment": letter.attachment[0] if letter.attachment else None}


def _json(records: dict[str, dict[str, object]]) -> str:
    import json

    return json.dumps({"messages": list(records.values())}, ensure_ascii=False,
                      indent=2) + "\n"


def say(line: str) -> None:
    print(line, file=sys.stderr)
