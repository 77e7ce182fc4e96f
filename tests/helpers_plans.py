"""Synthetic plans for tests and benchmarks: valid, realistic, in plan.yaml's canonical layout.

``make_plan(n)`` writes a plan of ``n`` actions as text, exactly as ``jtai fmt`` would leave
it (so a no-op ``jtai fmt`` is byte-identical): header comments, comments at the ends of
lines, a blank line between objectives, every field of the schema in use, history entries
in the layout ``jtai update`` writes, and free text that is hard on YAML: the words ``yes``,
``no`` and ``on`` (quoted: booleans to YAML 1.1 readers), ``010``, ``2.10``, ``null``,
``#hash`` and ``: colon`` (quoted, or they would be a number, nothing or a comment), quotes
and apostrophes, and Welsh, Polish and Urdu text.

This module is self-contained (standard library only): ``bench/run_bench.py`` loads it by
path. The same ``n`` and ``seed`` always give the same text.
"""

from __future__ import annotations

import difflib
import random
from datetime import date, timedelta

WELSH = "Gwasanaethau Plant"
POLISH = "Zażółć gęślą jaźń"
URDU = "بچوں کی خدمات"

TRICKY_TEXTS: tuple[str, ...] = (
    "yes", "no", "on", "off", "y", "010", "2.10", "null", "~", "true", "1e5", "0o17",
    "2025-06-30", "#hash", ": colon", "- dash", "a: b", "50% done", "@partner", "[draft]",
    "{tbc}", "*starred", "it's done", '"quoted"', "'single'", "O'Brien's team",
    'She said "yes": agreed', "see #12", "Ring 0118 and ask", WELSH, POLISH, URDU,
    f"{WELSH}: {POLISH} – {URDU}", "Cyngor Sir Ynys Môn – Gwasanaethau Plant",
)
"""Free text values that must be read back exactly as written."""

AGENCIES: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("LA", "Children's services of the local authority", ("CSC", "Children's Social Care"),
     "Delivers children's social care; the plan also writes CSC."),
    ("POLICE", "Thames Valley Police", ("TVP", "Police"), None),
    ("HEALTH", "Integrated Care Board", ("ICB", "Health"),
     "Speaks for GPs, health visitors and the hospital trust."),
    ("SCP", "Safeguarding Children Partnership", ("Partnership", "BWSCP"), None),
    ("PROB", "Probation Service", ("Probation",), None),
    ("WALES", f"Cyngor Sir – {WELSH}", ("Cyngor",),
     "Cross-border cases with the Welsh authority; written in Welsh in its own papers."),
    ("PLCOM", f"Polish Community Centre ({POLISH})", ("PCC",), None),
    ("URDU", f"Family support service ({URDU})", ("FSS", URDU), None),
)
THEMES = ("Service Delivery and Design", "Learning and Training", "Information Sharing",
          "Strategic Partnership (MASA)")
PLAN_TYPES = ("Operational", "Strategic")
RAGS = ("Blue", "Green", "Amber", "Red")
PEOPLE = ("Amira Khan", "Siân Evans", "Łukasz Nowak", "عائشہ خان", "O'Brien", "Jo Smith",
          "Dafydd ap Gwilym", "Zofia Wójcik")
TITLES = ("VOICE OF THE CHILD", "STRATEGY MEETINGS", "INFORMATION SHARING",
          "THRESHOLD OF NEED", "CUMULATIVE IMPACT", "USE OF DATA", "COMMISSIONED SERVICES",
          "MARAC ARRANGEMENTS", "CHALLENGE AND ESCALATION", "STRATEGIC GOVERNANCE")
VERBS = ("Audit", "Review", "Refresh", "Embed", "Agree", "Publish", "Train staff on",
         "Dip sample", "Strengthen", "Report on")
OBJECTS = ("strategy meeting attendance", "the MASH information-sharing protocol",
           "DASH risk assessments", "the escalation procedure", "the domestic abuse dataset",
           "MARAC referrals", "the voice of the child in assessments",
           "threshold of need guidance", "commissioned support for fathers",
           "the multi-agency audit programme")
TAILS = ("across the partnership", "with all partners, especially GPs",
         "and report to the Executive", "within 1 working day", "by the next board",
         "so that delays for children are escalated", "in every locality",
         f"with the {WELSH} team", f"for families who speak Polish ({POLISH})",
         f"with Urdu-speaking families ({URDU})")
NOTES = ("Workshop held; attendance good", "Moved to September: venue unavailable",
         "Dip sample of 30 cases done", "Awaiting sign-off by the Executive",
         "Escalated to the MASH Strategic Oversight Group", "Training dates published",
         "Data now reported monthly")
SINGLE, DOUBLE = "'", '"'
QUOTES = (SINGLE, DOUBLE)
# Booleans or null to a YAML 1.1 or 1.2 reader, in any case: jtai writes them quoted.
_RESERVED_PLAIN = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})


SMALL_PLAN = """\
version: 1
inspection: {type: JTAI, area: Reading, start: 2025-02-24, end: 2025-03-10}
agencies:
  - code: Police
    name: Police
objectives:
  - number: 1
    title: Voice
    lead: Police
    actions:
      - ref: "1.1"
        action: Joint visits
        owners: [Police]
        progress: Green
"""
"""The smallest valid plan: one agency, one objective, one action (line 11 is its ref)."""


def make_plan(n_actions: int, *, seed: int = 0, with_history: bool = True) -> str:
    """A valid plan of ``n_actions`` actions spread over objectives of 1 to 12 actions."""
    rng = random.Random(seed)
    counts: list[int] = []
    left = n_actions
    while left > 0:
        take = min(left, rng.randint(1, 12))
        counts.append(take)
        left -= take
    return make_plan_with_counts(counts or [0], seed=seed, with_history=with_history)


def make_plan_with_counts(counts: list[int], *, seed: int = 0, with_history: bool = True) -> str:
    """A valid plan whose objective ``k`` (numbered from 1) has ``counts[k - 1]`` actions."""
    rng = random.Random(seed)
    out: list[str] = []
    _header(out, rng)
    out.append("objectives:\n")
    for index, count in enumerate(counts):
        if index:
            out.append("\n")
        _objective(out, rng, index + 1, count, with_history)
    out.append("lint:\n  due_soon_days: 14\n  review_cadence_days: 42\n  disable: []\n")
    if any(counts):
        first_ref = f"{next(k + 1 for k, c in enumerate(counts) if c)}.1"
        out.append("  waivers:\n    - rule: JTAI101\n")
        out.append(f'      ref: "{first_ref}"\n')
        out.append("      reason: 'Agreed at the board: date under review'\n")
        out.append("      expires: 2026-03-31\n")
    else:
        out.append("  waivers: []\n")
    return "".join(out)


# -- YAML scalars ---------------------------------------------------------------------------


def plain_ok(text: str) -> bool:
    """Whether ``text`` can be written unquoted and be read back as the same text by both
    jtai's reader, ruamel.yaml and YAML 1.1 readers (conservative: when in doubt, quote)."""
    return (bool(text) and text[0].isalpha() and text == text.strip()
            and text.casefold() not in _RESERVED_PLAIN and ": " not in text and " #" not in text
            and not text.endswith(":") and all(c.isprintable() for c in text))


def scalar(text: str, quote: str = '"') -> str:
    """``text`` as a YAML scalar: plain when safe, else quoted with ``quote``."""
    if plain_ok(text):
        return text
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- the parts of a plan --------------------------------------------------------------------


def _header(out: list[str], rng: random.Random) -> None:
    start = date(2025, 1, 6) + timedelta(days=rng.randrange(0, 200))
    out += [
        "# yaml-language-server: $schema=schema/plan.schema.json\n",
        "# A synthetic multi-agency improvement plan (tests/helpers_plans.py), in the layout\n",
        "# `jtai fmt` writes. Edit with `jtai update` so history is kept.\n",
        "version: 1\n",
        "inspection:\n",
        "  type: JTAI\n",
        "  name: Joint Targeted Area Inspection\n",
        f"  area: {scalar(rng.choice(['Reading', 'Ynys Môn', 'West Berkshire: North']))}\n",
        f"  start: {start.isoformat()}\n",
        f"  end: {(start + timedelta(days=14)).isoformat()}\n",
        "  plan_title: Multi-Agency Improvement Plan\n",
        f"area_for_priority_action: {scalar(_sentence(rng, 3))}\n",
        "# the summary is kept as the inspectors wrote it\n",
        "summary_of_change:\n",
        "  heading: SUMMARY OF CHANGE REQUIRED\n",
        '  introduction: "The JTAI identified the following areas of improvement:"\n',
        "  areas:\n",
    ]
    out += [f"    - {scalar(_sentence(rng, 1))}\n" for _ in range(rng.randint(2, 5))]
    out += [
        f"characteristics_of_good: {scalar(_sentence(rng, 2))}\n",
        "rag_key:\n",
        "  Blue: Completed\n",
        "  Green: On track\n",
        "  Amber: Emerging possibility that action will not be completed on time, attention "
        "needed\n",
        "  Red: Highly likely action will not be completed on time, urgent action needed\n",
        "risk_levels:\n",
        '  moderate: "Moderate risk: Activity is necessary"\n',
        '  high: "High risk: Urgent activity required"\n',
        "themes:\n",
        *(f"  - {theme}\n" for theme in THEMES),
        "plan_types: [Operational, Strategic]\n",
        "complete_by_words: [In place, underway]\n",
        "agencies:\n",
    ]
    for code, name, aliases, note in AGENCIES:
        out.append(f"  - code: {code}\n    name: {scalar(name)}\n")
        out.append(f"    aliases: [{', '.join(aliases)}]\n")
        if note:
            out.append(f"    note: {scalar(note)}\n")


def _objective(out: list[str], rng: random.Random, number: int, count: int,
               history: bool) -> None:
    lead = rng.choice(AGENCIES)[0]
    title = TITLES[(number - 1) % len(TITLES)]
    out += [
        f"  - number: {number}\n",
        f"    title: {title}{f' {number}' if number > len(TITLES) else ''}\n",
        f"    risk: {rng.choice(['moderate', 'high'])}\n",
        f"    lead: {lead}" + ("  # seed: written in lower case\n" if rng.random() < 0.2
                               else "\n"),
        f"    characteristics_of_good: {scalar(_sentence(rng, 2))}\n",
    ]
    if not count:
        out.append("    actions: []\n")
        return
    out.append("    actions:\n")
    for k in range(1, count + 1):
        _action(out, rng, f"{number}.{k}", history)


def _action(out: list[str], rng: random.Random, ref: str, history: bool) -> None:
    owners = rng.sample([a[0] for a in AGENCIES], rng.randint(1, 3))
    progress = rng.choices(RAGS, weights=(2, 5, 3, 1))[0]
    impact = rng.choice((*RAGS[1:], None, "Green"))
    due = date(2025, 4, 30) + timedelta(days=rng.randrange(0, 500))
    baseline = due - timedelta(days=rng.randrange(14, 120)) if rng.random() < 0.25 else None
    word = rng.choice(("In place", "underway")) if rng.random() < 0.08 else None
    if word:
        baseline = None
    out += [
        f'      - ref: "{ref}"\n',
        f"        multi_agency: {'true' if rng.random() < 0.8 else 'false'}\n",
        f"        action: {scalar(_action_text(rng))}\n",
        f"        complete_by: {word or due.isoformat()}"
        + ("  # moved at the board" if baseline and rng.random() < 0.5 else "") + "\n",
    ]
    if baseline:
        out.append(f"        baseline_complete_by: {baseline.isoformat()}\n")
    out.append(f"        owners: [{', '.join(owners)}]\n")
    if rng.random() < 0.3:
        out.append(f"        owners_as_written: {scalar(' and '.join(owners) + ' with partners')}"
                   "\n")
    out += [
        f"        theme: {rng.choice(THEMES)}\n",
        f"        plan_type: {rng.choice(PLAN_TYPES)}\n",
        f"        progress: {progress}\n",
        f"        impact: {impact}\n" if impact else "        impact:\n",
    ]
    if progress == "Blue":
        done = due - timedelta(days=rng.randrange(0, 30))
        out.append(f"        completed_on: {done.isoformat()}\n")
    if progress == "Blue" or rng.random() < 0.3:
        out.append("        evidence: " + scalar(_free_text(rng), rng.choice(QUOTES)) + "\n")
    if impact in ("Green", "Blue") or rng.random() < 0.2:
        out.append(f"        impact_evidence: {scalar(_free_text(rng))}\n")
    if history and rng.random() < 0.6:
        _updates(out, rng, progress, impact, due, baseline)


def _updates(out: list[str], rng: random.Random, progress: str, impact: str | None,
             due: date, baseline: date | None) -> None:
    out.append("        updates:\n")
    day = date(2025, 3, 20) + timedelta(days=rng.randrange(0, 60))
    for n in range(rng.randint(1, 3)):
        day += timedelta(days=rng.randrange(1, 40))
        out += [f"          - date: {day.isoformat()}\n",
                f"            by: {rng.choice(PEOPLE)}\n"]
        kind = rng.random()
        if n == 0 and baseline is not None:
            out += ["            changes:\n",
                    "              complete_by:\n",
                    f"                from: {baseline.isoformat()}\n",
                    f"                to: {due.isoformat()}\n",
                    f"            reason: {scalar(_free_text(rng), SINGLE)}\n"]
        elif kind < 0.5:
            field, new = ("impact", impact) if impact and rng.random() < 0.3 else (
                "progress", progress)
            old = rng.choice([rag for rag in (*RAGS[1:], None) if rag != new])
            out += ["            changes:\n",
                    f"              {field}:\n",
                    f"                from: {old}\n" if old else "                from:\n",
                    f"                to: {new}\n"]
            if rng.random() < 0.7:
                out.append(f"            note: {scalar(_free_text(rng), SINGLE)}\n")
        elif kind < 0.6:
            out.append(f"            evidence: {scalar(_free_text(rng), SINGLE)}\n")
        else:
            out.append(f"            note: {scalar(_free_text(rng), SINGLE)}\n")


# -- text -----------------------------------------------------------------------------------


def _action_text(rng: random.Random) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
    roll = rng.random()
    if roll < 0.15:
        text += f" Practice standard: {rng.choice(OBJECTS)}."
    elif roll < 0.25:
        text += f' Partners answer "{rng.choice(("yes", "no", "on"))}" on the checklist.'
    elif roll < 0.3:
        text += " Use form #hash-7 (version 2.10)."
    return text


def _sentence(rng: random.Random, count: int) -> str:
    return " ".join(f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
                    for _ in range(count))


def _free_text(rng: random.Random) -> str:
    """A note or evidence: usually a sentence, often one of the tricky values."""
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(TRICKY_TEXTS)
    if roll < 0.5:
        return f"{rng.choice(NOTES)}: {rng.choice(TRICKY_TEXTS)}"
    return rng.choice(NOTES)


# -- for tests ------------------------------------------------------------------------------


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The removed and the added lines between two texts, in order.

    ``autojunk`` is off: a plan repeats lines such as "impact: Amber" so often that
    difflib's heuristic would treat them as junk and show them as changed.
    """
    a, b = old.splitlines(), new.splitlines()
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added
