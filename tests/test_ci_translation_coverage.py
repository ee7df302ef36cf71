"""The CI's check of the Indonesian edition's catalogues (.ci/translation_coverage.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "translation_coverage.py"
spec = importlib.util.spec_from_file_location("translation_coverage", SCRIPT)
coverage_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(coverage_script)

ENGLISH = [
    "Training",
    "A :term:`layer <layer>` turns numbers into numbers.",
    "Run ``nlptut train`` to train.",
]


def _write(path: Path, messages: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Path:
    catalog = Catalog(locale="id")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog)
    return path


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A template folder with one page, and a locale folder beside it."""
    pot = _write(tmp_path / "gettext" / "intro" / "page.pot", dict.fromkeys(ENGLISH, ""))
    locale = tmp_path / "locale"
    monkeypatch.setattr(coverage_script, "LOCALE", locale)
    (locale / "id").mkdir(parents=True)
    (locale / "id" / "complete.txt").write_text("# pages\nintro/page\n", encoding="utf-8")
    return pot.parent.parent, locale / "id" / "LC_MESSAGES" / "intro" / "page.po"


def test_counts_translated_fuzzy_and_missing(tmp_path, site):
    pot_dir, po = site
    _write(po, {ENGLISH[0]: "Pelatihan", ENGLISH[1]: "Sebuah lapisan."}, fuzzy=(ENGLISH[1],))
    assert coverage_script.coverage(pot_dir / "intro" / "page.pot", po) == (3, 1, 1)
    assert coverage_script.coverage(pot_dir / "intro" / "page.pot", None) == (3, 0, 0)


def test_a_complete_page_must_be_fully_translated(site, capsys):
    pot_dir, po = site
    _write(po, {ENGLISH[0]: "Pelatihan", ENGLISH[1]: "Sebuah :term:`lapisan <layer>`."})
    assert coverage_script.main(["--pot", str(pot_dir)]) == 1
    assert "intro/page: 1 of 3 not translated" in capsys.readouterr().out
    _write(
        po,
        {
            ENGLISH[0]: "Pelatihan",
            ENGLISH[1]: "Sebuah :term:`lapisan <layer>` mengubah angka menjadi angka.",
            ENGLISH[2]: "Jalankan ``nlptut train`` untuk melatih.",
        },
    )
    assert coverage_script.main(["--pot", str(pot_dir)]) == 0


def test_a_translation_that_loses_markup_fails(site, capsys):
    pot_dir, po = site
    _write(
        po,
        {
            ENGLISH[0]: "Pelatihan",
            ENGLISH[1]: "Sebuah :term:`lapisan` mengubah angka.",  # target lost
            ENGLISH[2]: "Jalankan ``nlptut latih`` untuk melatih.",  # literal changed
        },
    )
    assert coverage_script.main(["--pot", str(pot_dir)]) == 1
    out = capsys.readouterr().out
    assert ":term:`layer`" in out and "``nlptut train``" in out


def test_myst_roles_keep_their_targets(tmp_path):
    po = _write(
        tmp_path / "x.po",
        {
            "A {term}`loss` and {doc}`the lesson <../a/b>`.": (
                "Sebuah {term}`loss` dan {doc}`pelajaran <../a/b>`."
            ),
            "See {term}`epochs <epoch>`.": "Lihat {term}`epoch`.",
        },
    )
    assert coverage_script.markup_problems(po) == []
    assert coverage_script.check_catalogues([po]) == 0


def test_a_page_gone_from_the_site_fails(site, capsys):
    pot_dir, _ = site
    (coverage_script.LOCALE / "id" / "complete.txt").write_text("intro/gone\n", encoding="utf-8")
    assert coverage_script.main(["--pot", str(pot_dir)]) == 1
    assert "intro/gone: on complete.txt but not a page" in capsys.readouterr().out
