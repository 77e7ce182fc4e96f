"""The agencies an import meets: codes made for new names, the registry proposed.

Without ``--agencies`` every name in an owners cell or a lead row becomes an agency under
its own code. The review after the rows are read proposes what a person would: a code's
expansion where the source spells it out ("Thames Valley Police (TVP)"), one spelling of a
code written several ways (BFFC, BFfC: the mixed-case one, written on purpose), a name
whose initials are another agency's code, and a generic word ("Police") when the plan has
exactly one agency of that kind. Every match is a guess, listed with its place and the
``jtai agency`` command that undoes it.
"""

from __future__ import annotations

import re
from typing import Any

from ...plan.model import Agency, as_data
from .raw import Note

SMALL_WORDS = frozenset({"of", "for", "and", "the", "with", "in", "on", "to"})

KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (what a plan writes for "the agency of this kind", words in such an agency's
    # name). A generic word is matched only when exactly one agency has the kind.
    "police": (("Police", "The police", "Constabulary"), ("police", "constabulary")),
    "health": (("Health", "NHS", "Health partners"),
               ("health", "nhs", "integrated care", "hospital", "foundation trust")),
    "children's social care": (
        ("CSC", "Children's Social Care", "Childrens Social Care", "Social Care",
         "Children's Services", "CS"),
        ("children's social care", "childrens social care", "children's services",
         "children's trust")),
    "partnership": (("Partnership", "The partnership", "Safeguarding partnership", "SCP"),
                    ("partnership",)),
    "council": (("Council", "Local authority", "LA"), ("council",)),
    "icb": (("ICB",), ("integrated care board",)),
}

VAGUE: tuple[tuple[str, str], ...] = (
    # Owners wording that names no agency (dropped) or reads support as ownership.
    (r"\b(?:with|and|all|other)\s+partners\b|\bpartners\b|\bothers\b|\betc\b",
     "names no agency, so no owner was read from it"),
    (r"\bsupported\s+by\b|\bwith\s+support\s+from\b",
     "the agency named after it was read as an owner too"),
)

_PAIR = re.compile(r"\A(?P<name>[^()]{3,}?)\s*\((?P<code>[A-Za-z][A-Za-z0-9&]{1,11})\)\Z")
_EXPANSION = re.compile(r"\(([A-Za-z][A-Za-z0-9&]{1,11})\)")


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def code_of(name: str) -> str:
    """``BWSCP`` -> itself; ``Thames Valley Police`` -> ``TVP``; ``Kent CC`` -> ``KCC``."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    if len(words) == 1 and len(words[0]) <= 12:
        return words[0] if words[0][0].isalpha() else f"A{words[0]}"
    letters = "".join(w if w.isupper() else w[0].upper() for w in words
                      if w.casefold() not in SMALL_WORDS)
    code = letters[:32] or "AGENCY"
    return code if code[0].isalpha() else f"A{code}"


def _initials(words: list[str]) -> set[str]:
    """A name's initials, with and without its small words: Brighter Futures for Children
    -> bffc, bfc."""
    every = "".join(w[0] for w in words).casefold()
    main = "".join(w[0] for w in words if w.casefold() not in SMALL_WORDS).casefold()
    return {every, main}


def spelt_out(text: str, code: str) -> str | None:
    """The name ``text`` spells out just before "(CODE)", found by its initials."""
    words = re.findall(r"[A-Za-z][\w'’&-]*", text)
    target = code.casefold()
    for first in range(len(words) - 1, -1, -1):
        span = words[first:]
        if span[0].casefold() in SMALL_WORDS or not span[0][0].isupper():
            continue
        if target in _initials(span):
            return " ".join(span)
    return None


class Registry:
    """The agencies: those given (``--agencies``) and those created for names not in it."""

    def __init__(self, given: list[Agency]) -> None:
        self.agencies: list[dict[str, Any]] = [as_data(a, exclude_defaults=True)
                                               for a in given]
        self.created: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}
        self.spellings: dict[str, list[str]] = {}
        """Other spellings met of a created code (BFfC for BFFC)."""
        self.where: dict[str, str] = {}
        """Where each created agency was first met."""
        for agency in given:
            for name in (agency.code, agency.name, *agency.aliases):
                self._names.setdefault(fold(name), agency.code)

    def resolve(self, name: str) -> str | None:
        return self._names.get(fold(name))

    def code_for(self, name: str, where: str = "") -> str:
        """The code of ``name``, creating an agency for it when none has that name."""
        pair = _PAIR.match(name)
        if pair is not None and self.resolve(name) is None:
            return self._pair(pair["name"].strip(), pair["code"], where)
        found = self.resolve(name)
        if found is not None:
            if name != found and fold(name) == fold(found) and self._is_created(found):
                self.spellings.setdefault(found, []).append(name)
            return found
        code = code_of(name)
        taken = {fold(a["code"]) for a in self.agencies}
        base, n = code, 2
        while fold(code) in taken:
            code, n = f"{base}{n}", n + 1
        return self._create(code, name, where)

    def _create(self, code: str, name: str, where: str) -> str:
        agency = {"code": code, "name": name}
        self.agencies.append(agency)
        self.created.append(agency)
        self.where[code] = where
        self._names[fold(name)] = code
        self._names.setdefault(fold(code), code)
        return code

    def _pair(self, name: str, code: str, where: str) -> str:
        """"Thames Valley Police (TVP)": the code, named; an agency met before under the
        code alone gets the name."""
        found = self.resolve(code) or self.resolve(name)
        if found is None:
            return self._create(code, name, where)
        agency = next(a for a in self.agencies if a["code"] == found)
        if self._is_created(found) and fold(agency["name"]) == fold(found):
            agency["name"] = name
        self._names.setdefault(fold(name), found)
        return found

    def _is_created(self, code: str) -> bool:
        return any(a["code"] == code for a in self.created)

    def owners(self, text: str, where: str = "") -> list[str]:
        whole = self.resolve(text)
        if whole is not None:
            return [whole]
        from .values import split_owners

        codes: list[str] = []
        for part in split_owners(text):
            code = self.code_for(part, where)
            if code not in codes:
                codes.append(code)
        return codes


def vague_wording(text: str) -> list[str]:
    """What a guess says about owners wording such as "BFFC with partners"."""
    said = []
    for pattern, meaning in VAGUE:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            said.append(f"'{m[0]}': {meaning}")
    return said


def review(data: dict[str, Any], registry: Registry, notes: list[Note]) -> None:
    """Propose the registry over the plan's data (agencies, owners, leads), in place."""
    created = {a["code"]: a for a in registry.created}
    renames: dict[str, str] = {}
    for code, seen in registry.spellings.items():
        mixed = next((s for s in seen if s != s.upper() and s != s.lower()), None)
        if code in created and code == code.upper() and mixed is not None:
            created[code]["code"] = mixed
            if created[code]["name"] == code:
                created[code]["name"] = mixed
            renames[code] = mixed
            notes.append(Note(registry.where.get(code, ""), f"{mixed} and {code} are one "
                              f"agency, written both ways; its code is {mixed} (undo: jtai "
                              f"agency rename {mixed} --code {code})"))
    created = {a["code"]: a for a in registry.created}
    _named_from_text(data, registry, created, notes)
    for agency in list(registry.created):
        target, why = _match(agency, registry.agencies)
        if target is None:
            continue
        renames[agency["code"]] = target["code"]
        for key, code in list(renames.items()):
            if code == agency["code"]:
                renames[key] = target["code"]
        if fold(target["name"]) == fold(target["code"]) and why.startswith("its initials"):
            target["name"] = agency["name"]
        else:
            _add_aliases(target, [agency["name"]])
        registry.agencies.remove(agency)
        registry.created.remove(agency)
        notes.append(Note(registry.where.get(agency["code"], ""), f"'{agency['name']}' read "
                          f"as {target['code']} ({target['name']}): {why}; if it is another "
                          f"agency: jtai agency split {target['code']} \"{agency['name']}\""))
    if renames:
        _rename_everywhere(data, renames)


def _named_from_text(data: dict[str, Any], registry: Registry,
                     created: dict[str, dict[str, Any]], notes: list[Note]) -> None:
    for text, place in _texts(data):
        for m in _EXPANSION.finditer(text):
            code = registry.resolve(m[1])
            agency = created.get(code or "")
            if agency is None or fold(agency["name"]) != fold(agency["code"]):
                continue
            name = spelt_out(text[:m.start()], m[1])
            if name is not None:
                agency["name"] = name
                notes.append(Note(place, f"{agency['code']} named '{name}', as spelt out "
                                  f"here (undo: jtai agency rename {agency['code']} --name "
                                  f"{agency['code']})"))


def _match(agency: dict[str, Any], agencies: list[dict[str, Any]]
           ) -> tuple[dict[str, Any] | None, str]:
    others = [a for a in agencies if a is not agency]
    words = re.findall(r"[A-Za-z][\w'’&-]*", agency["name"])
    if len(words) > 1:
        initials = _initials(words)
        hits = [a for a in others if fold(a["code"]) in initials]
        if len(hits) == 1:
            return hits[0], f"its initials are {hits[0]['code']}"
    for kind, (generic, keywords) in KINDS.items():
        if fold(agency["name"]) not in {fold(g) for g in generic}:
            continue
        every = {fold(g) for pair in KINDS.values() for g in pair[0]}
        of_kind = [a for a in others if fold(a["name"]) not in every and any(
            word in fold(name) for word in keywords
            for name in (a["name"], *a.get("aliases", [])))]
        if len(of_kind) == 1:
            return of_kind[0], f"the plan's only {kind} agency"
    return None, ""


def _add_aliases(agency: dict[str, Any], names: list[str]) -> None:
    have = {fold(n) for n in (agency["code"], agency["name"], *agency.get("aliases", []))}
    new = [n for n in names if fold(n) not in have]
    if not new:
        return
    aliases = [*agency.get("aliases", []), *new]
    # Keys in the model's order: code, name, aliases, then the rest.
    rest = {k: v for k, v in agency.items() if k not in ("code", "name", "aliases")}
    code, name = agency["code"], agency["name"]
    agency.clear()
    agency.update({"code": code, "name": name, "aliases": aliases, **rest})


def _rename_everywhere(data: dict[str, Any], renames: dict[str, str]) -> None:
    for objective in data.get("objectives", []):
        if objective.get("lead") in renames:
            objective["lead"] = renames[objective["lead"]]
        for action in objective.get("actions", []):
            owners = action.get("owners", [])
            new = list(dict.fromkeys(renames.get(o, o) for o in owners))
            if new == owners:
                continue
            items = list(action.items())
            action.clear()
            for key, value in items:
                action[key] = new if key == "owners" else value
                if key == "owners" and "owners_as_written" not in dict(items):
                    # Nothing lost: how the source named the owners stays in the plan.
                    action["owners_as_written"] = ", ".join(owners)


def _texts(data: Any, place: str = "") -> list[tuple[str, str]]:
    """Every text in the plan's data, with the objective or action it is in."""
    if isinstance(data, str):
        return [(data, place)]
    if isinstance(data, dict):
        here = place
        if "ref" in data:
            here = f"action {data['ref']}"
        elif "number" in data and "title" in data:
            here = f"objective {data['number']}"
        return [t for value in data.values() for t in _texts(value, here)]
    if isinstance(data, list):
        return [t for value in data for t in _texts(value, place)]
    return []
