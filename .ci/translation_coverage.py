"""Print how much of each page is translated, and hold the complete pages to 100%.

Compares the message templates that ``sphinx-build -b gettext`` just extracted
from the English pages (``docs/_build/gettext/**/*.pot``: what the pages say
now) with the translations in ``docs/locale/<language>/LC_MESSAGES/**/*.po``.
A message counts as translated when the catalogue has it with a translation
that is not marked fuzzy. Pages listed in ``docs/locale/<language>/complete.txt``
must be 100% translated with no fuzzy message: a change to the English of such
a page must update its translation in the same change (run ``nox -s gettext``,
translate the new messages, remove the fuzzy marks). Other pages may be
partial; their untranslated paragraphs show in English.

Usage: python .ci/translation_coverage.py [--language id] [--pot docs/_build/gettext]
       python .ci/translation_coverage.py --po FILE.po [...]   (check catalogues only)
Exit status 1 when a complete page falls short (or has gone from the site).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "docs" / "locale"


def _read(path: Path):
    """A catalogue or template, as babel reads it."""
    with path.open("rb") as f:
        return read_po(f)


def _ids(path: Path) -> list[str]:
    return [m.id for m in _read(path) if m.id and isinstance(m.id, str)]


def coverage(pot: Path, po: Path | None) -> tuple[int, int, int]:
    """(messages, translated, fuzzy) of one page: its template against its catalogue."""
    wanted = _ids(pot)
    if po is None or not po.is_file():
        return len(wanted), 0, 0
    catalog = _read(po)
    translated = fuzzy = 0
    for msgid in wanted:
        message = catalog.get(msgid)
        if message is None or not message.string:
            continue
        if message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return len(wanted), translated, fuzzy


# a role in reStructuredText (:term:`x`) or in MyST ({term}`x`)
_ROLE = re.compile(
    r"(?::(?P<rst>[a-z-]+(?::[a-z-]+)*):|\{(?P<myst>[a-z-]+(?::[a-z-]+)*)\})`(?P<body>[^`]+)`"
)
_LITERAL = re.compile(r"``(.+?)``")


def _targets(text: str) -> set[tuple[str, str]]:
    """The (role, target) of every role in a message: ``:term:`epoh <epoch>``` -> (term, epoch)."""
    found = set()
    for match in _ROLE.finditer(text):
        body = match["body"]
        target = re.search(r"<([^<>]+)>\s*$", body)
        role = match["rst"] or match["myst"]
        found.add((role, (target.group(1) if target else body).strip()))
    return found


def markup_problems(po: Path, catalog=None) -> list[str]:
    """Translations that lost a role target or changed an inline literal of their English."""
    problems = []
    for message in catalog if catalog is not None else _read(po):
        if not message.id or not message.string or message.fuzzy:
            continue
        english, translated = str(message.id), str(message.string)
        lost = _targets(english) - _targets(translated)
        literals = set(_LITERAL.findall(english)) - set(_LITERAL.findall(translated))
        if lost or literals:
            what = [f":{r}:`{t}`" for r, t in sorted(lost)] + [f"``{x}``" for x in sorted(literals)]
            problems.append(f"{po.name}: {english[:60]!r}... lost {', '.join(what)}")
    return problems


def check_catalogues(paths: list[Path]) -> int:
    """For a translator: the empty, fuzzy and markup-losing messages of some catalogues."""
    bad = 0
    for po in paths:
        catalog = _read(po)
        messages = [m for m in catalog if m.id]
        empty = sum(1 for m in messages if not m.string)
        fuzzy = sum(1 for m in messages if m.string and m.fuzzy)
        problems = markup_problems(po, catalog)
        print(f"{po}: {len(messages)} messages, {empty} empty, {fuzzy} fuzzy")
        for line in problems:
            print(f"  {line}")
        bad += empty + fuzzy + len(problems)
    return 1 if bad else 0


def complete_list(language: str) -> list[str]:
    path = LOCALE / language / "complete.txt"
    if not path.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="id")
    parser.add_argument("--pot", type=Path, default=ROOT / "docs" / "_build" / "gettext")
    parser.add_argument(
        "--po", type=Path, nargs="+", help="only check these catalogues (for a translator)"
    )
    args = parser.parse_args(argv)
    if args.po:
        return check_catalogues(args.po)
    if not args.pot.is_dir():
        print(f"no message templates in {args.pot}: run sphinx-build -b gettext first")
        return 1
    messages = LOCALE / args.language / "LC_MESSAGES"
    complete = complete_list(args.language)
    rows, untouched, failures, pots = [], 0, [], set()
    for pot in sorted(args.pot.rglob("*.pot")):
        docname = pot.relative_to(args.pot).with_suffix("").as_posix()
        pots.add(docname)
        po = messages / f"{docname}.po"
        total, done, fuzzy = coverage(pot, po)
        if docname not in complete and not po.is_file():
            untouched += 1
            continue
        rows.append((docname, total, done, fuzzy, docname in complete))
        if docname in complete and (done < total or fuzzy):
            failures.append(f"{docname}: {total - done} of {total} not translated ({fuzzy} fuzzy)")
    for po in sorted(messages.rglob("*.po")):
        failures += markup_problems(po)
    for docname in complete:
        if docname not in pots:
            failures.append(f"{docname}: on complete.txt but not a page of the site any more")

    print(f"translation coverage ({args.language}), from {args.pot}")
    print(f"{'page':<62}{'messages':>9}{'done':>7}{'fuzzy':>7}")
    for docname, total, done, fuzzy, must in rows:
        share = f"{done / total:.0%}" if total else "-"
        print(f"{docname:<62}{total:>9}{share:>7}{fuzzy:>7}{'  complete list' if must else ''}")
    print(f"{untouched} other pages have no translation (they show in English)")
    if failures:
        print("\nIncomplete translations, or translations that lost the markup of their English:")
        for line in failures:
            print(f"  {line}")
        print("Fix: nox -s gettext, then translate the new or fuzzy messages of those pages.")
        return 1
    print(f"all {len(complete)} pages on the complete list are fully translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
