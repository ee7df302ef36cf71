"""Update the message catalogues of the translated pages with sphinx-intl.

``sphinx-build -b gettext`` writes a template (``.pot``) for every page of the
site, API reference included; only the pages being translated get a
catalogue: those on ``docs/locale/<language>/complete.txt``, those that already
have one, and any docname given on the command line. Their templates are
copied to a temporary folder and ``sphinx-intl update`` merges them into
``docs/locale/<language>/LC_MESSAGES`` (new messages empty, changed ones fuzzy).

Usage: python .ci/update_catalogues.py [--language id] [--pot docs/_build/gettext] [DOCNAME ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from translation_coverage import LOCALE, ROOT, complete_list


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="id")
    parser.add_argument("--pot", type=Path, default=ROOT / "docs" / "_build" / "gettext")
    parser.add_argument("docnames", nargs="*", help="more pages to start translating")
    args = parser.parse_args(argv)
    messages = LOCALE / args.language / "LC_MESSAGES"
    # sphinx.po holds the interface's strings (theme, templates), not a page's
    existing = {
        p.relative_to(messages).with_suffix("").as_posix()
        for p in messages.rglob("*.po")
        if p.relative_to(messages).as_posix() != "sphinx.po"
    }
    wanted = sorted(set(complete_list(args.language)) | existing | set(args.docnames))
    with tempfile.TemporaryDirectory() as tmp:
        for docname in wanted:
            pot = args.pot / f"{docname}.pot"
            if not pot.is_file():
                print(f"no template for {docname} in {args.pot}: not a page of the site?")
                return 1
            target = Path(tmp) / f"{docname}.pot"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pot, target)
        command = ["sphinx-intl", "update", "-p", tmp, "-l", args.language, "-d", str(LOCALE)]
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
