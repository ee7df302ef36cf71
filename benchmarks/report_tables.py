"""Read the committed reports of ``benchmarks/results/`` back: for the site's pages.

The tale and the route's last page show what the benchmarks found. They read
the numbers from the reports when the site is built, through this module, so
that a rerun benchmark changes the pages and a report whose format has changed
stops the build with a one-line error naming the file, instead of showing
numbers parsed wrongly. It imports nothing but the standard library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def read_report(name: str) -> str:
    """The text of ``benchmarks/results/<name>``."""
    path = RESULTS / name
    if not path.is_file():
        raise FileNotFoundError(f"benchmarks/results/{name}: no such report; run its benchmark")
    return path.read_text(encoding="utf-8")


def table_rows(name: str, text: str | None = None) -> list[dict[str, str]]:
    """The rows of a report's first Markdown table, as dicts keyed by its header."""
    text = read_report(name) if text is None else text
    table = re.search(r"^(\|.*\|\n)+", text, re.M)
    if table is None:
        raise ValueError(f"benchmarks/results/{name} has no table: has its format changed?")
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in table[0].splitlines()]
    try:
        return [dict(zip(cells[0], values, strict=True)) for values in cells[2:]]
    except ValueError:
        raise ValueError(
            f"benchmarks/results/{name}: a table row has another number of cells than its header"
        ) from None


@dataclass(frozen=True)
class CounterfactualFindings:
    """What ``counterfactual.md`` found, in the numbers the pages quote."""

    best_model: str  # the model with the pairs that the development half chose (its pair accuracy)
    best_data: str  # the data it was trained on
    best_with: float  # its mean test-half pair accuracy with the pairs
    best_without: float  # the same model and data without them
    any_without: float  # the best mean of any model and data without the pairs
    sad_runs: int  # runs with the pairs that read the jackpot sentence as sadness
    runs_with: int  # runs with the pairs


def counterfactual_findings(name: str = "counterfactual.md") -> CounterfactualFindings:
    """Read the report of ``bench_counterfactual.py``.

    The best model with the pairs is chosen on the development half, as the
    benchmark chose everything; its test-half score is what the pages quote.
    """
    arms, dev = {}, {}
    try:
        for row in table_rows(name):
            mean = float(row["pair accuracy, test half"].split("±")[0])
            key = (row["model"].split(" (")[0], row["trained on"], row["pairs added"])
            arms[key] = (mean, row["jackpot, seed by seed"].split(", "))
            dev[key] = float(row["pair accuracy, dev half"].split("±")[0])
        best = max((k for k in arms if k[2] == "yes"), key=lambda k: dev[k])
        before = arms[(best[0], best[1], "no")][0]
    except (KeyError, ValueError) as error:
        raise ValueError(
            f"benchmarks/results/{name} is not as expected ({error!r}): has its format changed?"
        ) from None
    with_pairs = [labels for (_, _, added), (_, labels) in arms.items() if added == "yes"]
    return CounterfactualFindings(
        best_model=best[0],
        best_data=best[1],
        best_with=arms[best][0],
        best_without=before,
        any_without=max(mean for (_, _, added), (mean, _) in arms.items() if added == "no"),
        sad_runs=sum(labels.count("sadness") for labels in with_pairs),
        runs_with=sum(len(labels) for labels in with_pairs),
    )
