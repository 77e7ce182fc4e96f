"""``jtai remind``: reminders of dates coming up, and chasers for returns not yet in; and
the mailing of packs that ``jtai pack --all --email`` shares with them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import CannotRun
from .common import as_of_date, load_plans
from .mail_options import (
    ContactsOption,
    MailDryRunOption,
    SendOption,
    Smtp,
    SmtpFromOption,
    SmtpHostOption,
    SmtpPortOption,
    SmtpSecurityOption,
    SmtpUserOption,
    deliver,
    read_contacts,
    say,
)
from .options import AsOfOption, PlansOption

if TYPE_CHECKING:
    from datetime import date

    from ..office.packs.content import Pack
    from ..planfile.portfolio import Portfolio

RETURN_WEEKS = 2


def remind(
    within: Annotated[int, typer.Option(
        "--within", metavar="DAYS", min=0,
        help="Remind each agency of its open actions due within this many days of the "
             "as-of date, and of those overdue.")] = 14,
    chase: Annotated[bool, typer.Option(
        "--chase", help="Instead: chase each agency that owns open actions and has had no "
                        "return applied since --since, its pack attached again.")] = False,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="DATE", help="With --chase: returns applied on or after this "
                                        "date count (2025-07-01, 01/07/2025..., or "
                                        "last-meeting, previous-meeting).")] = None,
    return_by: Annotated[str | None, typer.Option(
        "--return-by", metavar="DATE",
        help=f"With --chase: the new return-by date (default: {RETURN_WEEKS} weeks after "
             "the as-of date).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FOLDER",
        help="Where the drafts go (TVP-remind.eml, TVP-chase.eml); with --send, the "
             "sent-log goes beside it.")] = None,
    contacts: ContactsOption = None,
    send: SendOption = False,
    dry_run: MailDryRunOption = False,
    smtp_host: SmtpHostOption = None,
    smtp_port: SmtpPortOption = None,
    smtp_security: SmtpSecurityOption = None,
    smtp_user: SmtpUserOption = None,
    smtp_from: SmtpFromOption = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", metavar="text|json",
        help="json: one document on stdout, each message's agency, recipients, subject, "
             "Message-ID and outcome (draft, listed, sent, already sent, not sent).")]
    = "text",
    plan: PlansOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Email each agency what is coming up: its open actions due within --within days
    (default 14) and those overdue; an agency with nothing due gets nothing. Or, with
    --chase --since DATE, chase each agency that owns open actions and has sent no return
    since DATE (`jtai apply` records whose return each change came from), its pack
    attached again.

    Written as drafts that Outlook opens to check and send (-o outbox/), or sent with
    --send (SMTP as set by JTAI_SMTP_*: see `jtai pack --help`). Every agency written to
    must have a contact in contacts.yaml, and no text may look like personal data, or
    nothing is written or sent.

    Examples: jtai remind --within 14 -o outbox/; jtai remind --within 7 --send -o outbox/;
    jtai remind --chase --since 2025-07-01 -o outbox/ --dry-run
    """
    from ..plan.meetings import resolve_since
    from .change_cmds import _day

    as_json = _json_format(output_format)
    if since is not None and not chase:
        raise CannotRun("--since goes with --chase")
    if chase and since is None:
        raise CannotRun("--chase needs --since DATE: the day from which a return counts",
                        hint="e.g. the day the packs went out: --since 2025-07-01")
    portfolio = load_plans(plan)
    if portfolio.several:
        raise CannotRun("jtai remind works on one plan at a time", hint="--plan PATH")
    loaded = portfolio.entries[0].loaded
    day = as_of_date(as_of)
    smtp = Smtp(smtp_host, smtp_port, smtp_security, smtp_user, smtp_from)
    if chase:
        assert since is not None
        when = resolve_since(loaded.plan, since, day)
        due = _day(return_by, "--return-by") if return_by else None
        _chase(portfolio, when, day, due, contacts, output, send=send, dry_run=dry_run,
               smtp=smtp, as_json=as_json)
        return
    if return_by is not None:
        raise CannotRun("--return-by goes with --chase")
    from ..office.mail.outbox import reminder_mail

    letters = reminder_mail(loaded, read_contacts(loaded.path, contacts, loaded.plan), day,
                            within)
    if not letters:
        say(f"jtai: no agency has an open action overdue or due within {within} days of "
            f"{day.isoformat()}: nothing to send")
        return
    deliver(letters, output, send=send, dry_run=dry_run, smtp=smtp, as_json=as_json)


def _json_format(value: str) -> bool:
    chosen = value.strip().lower()
    if chosen not in ("text", "json"):
        raise CannotRun(f"--format: '{value}' is not one of text, json")
    return chosen == "json"


def _chase(portfolio: Portfolio, since: date, day: date, return_by: date | None,
           contacts: Path | None, output: Path | None, *, send: bool, dry_run: bool,
           smtp: Smtp, as_json: bool) -> None:
    from ..office.mail.since import to_chase
    from ..office.packs.make import make_packs
    from ..plan.dates import add_days
    from ..plan.query import build_filter

    loaded = portfolio.entries[0].loaded
    codes = to_chase(loaded.plan, since)
    if not codes:
        say(f"jtai: every agency owning open actions has sent a return since "
            f"{since.isoformat()}: nobody to chase")
        return
    due = return_by or add_days(day, 7 * RETURN_WEEKS)
    packs = make_packs(loaded, codes, build_filter(loaded.plan), day, due)
    mail_packs(packs, portfolio, contacts, output, send=send, dry_run=dry_run, smtp=smtp,
               chase_since=since, as_json=as_json)


def mail_packs(packs: list[Pack], portfolio: Portfolio, contacts: Path | None,
               folder: Path | None, *, send: bool, dry_run: bool, smtp: Smtp,
               chase_since: date | None = None, as_json: bool = False) -> None:
    """Packs as letters: checked, then the workbooks written beside the drafts (a pack
    out, not a chaser) and the letters delivered."""
    from ..office.mail.outbox import pack_mail
    from ..planfile.atomicfile import write_atomic

    first = portfolio.entries[0].loaded
    made = pack_mail(packs, read_contacts(first.path, contacts, first.plan),
                     chase_since=chase_since)
    letters = [letter for letter, _workbook in made]
    if folder is not None and not dry_run and chase_since is None:
        if folder.exists() and not folder.is_dir():
            raise CannotRun(f"{folder.as_posix()} is a file; mail goes into a folder")
        folder.mkdir(parents=True, exist_ok=True)
        for letter, workbook in made:
            assert letter.attachment is not None
            target = folder / letter.attachment[0]
            write_atomic(target, workbook)
            say(f"jtai: wrote {target.as_posix()}: pack for {letter.agency}")
    deliver(letters, folder, send=send, dry_run=dry_run, smtp=smtp, as_json=as_json)
