"""benchmarks/report_tables.py: the site's pages read the committed reports through it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import report_tables  # noqa: E402

HEADER = (
    "| model | trained on | pairs added | repeats | pair accuracy, test half "
    "| pair accuracy, dev half | jackpot, seed by seed |\n|---|---|---|---:|---:|---:|---|\n"
)


def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str) -> None:
    (tmp_path / "counterfactual.md").write_text(f"# title\n\n{HEADER}{rows}\nafter\n")
    monkeypatch.setattr(report_tables, "RESULTS", tmp_path)


def test_the_committed_counterfactual_report_reads():
    found = report_tables.counterfactual_findings()
    assert 0 <= found.best_without <= found.any_without <= 1
    assert 0 < found.best_with <= 1
    assert 0 <= found.sad_runs <= found.runs_with and found.runs_with > 0


def test_the_arm_the_development_half_chose_and_its_arm_without(tmp_path, monkeypatch):
    report(
        tmp_path,
        monkeypatch,
        "| nbow | dair | no | - | 0.10 ± 0.01 | 0.05 | joy, joy |\n"
        "| nbow | dair | yes | 3 | 0.40 ± 0.02 | 0.20 | sadness, joy |\n"
        "| minilm-frozen (c=3) | go | no | - | 0.20 ± 0.03 | 0.10 | anger, anger |\n"
        "| minilm-frozen (c=3) | go | yes | 1 | 0.30 ± 0.01 | 0.35 | sadness, sadness |\n",
    )
    found = report_tables.counterfactual_findings()
    # the development half chose minilm on go, although nbow on dair did better on the test half
    assert (found.best_model, found.best_data) == ("minilm-frozen", "go")
    assert (found.best_with, found.best_without, found.any_without) == (0.30, 0.20, 0.20)
    assert (found.sad_runs, found.runs_with) == (3, 4)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "| nbow | dair | yes | 3 | 0.40 ± 0.02 | 0.30 | joy |\n",
            "is not as expected",
        ),  # no arm without
        ("| nbow | dair | yes | 3 | n/a | 0.30 | joy |\n", "is not as expected"),
        ("| nbow | dair | yes | 0.40 | joy |\n", "another number of cells"),
    ],
)
def test_a_report_in_another_format_is_one_line_naming_it(tmp_path, monkeypatch, rows, message):
    report(tmp_path, monkeypatch, rows)
    with pytest.raises(ValueError, match=message) as error:
        report_tables.counterfactual_findings()
    assert "benchmarks/results/counterfactual.md" in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_report_names_its_benchmark(tmp_path, monkeypatch):
    monkeypatch.setattr(report_tables, "RESULTS", tmp_path)
    with pytest.raises(FileNotFoundError, match="counterfactual.md: no such report"):
        report_tables.counterfactual_findings()
