"""Print how long each gallery page took to execute in the docs build, and guard the budget.

Reads ``docs/sg_execution_times.rst`` (written by sphinx-gallery for all
galleries) and prints one line per page, slowest first, with the total.
Budgets (on 2 cores, with or without native bfloat16): every page <= 60 s,
the whole gallery <= 480 s. Timings on a shared machine are noisy, so this
script fails only when the gallery takes more than twice its budget, a sure
sign of a regression (a precision or a page gone wrong); pages and totals
over the real budget are flagged in the table for a person to read.

Usage: python .ci/gallery_times.py [docs/sg_execution_times.rst]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PAGE_BUDGET_S = 60.0
GALLERY_BUDGET_S = 480.0
FAIL_FACTOR = 2.0

ROW = re.compile(r"^\s*\* - :ref:`[^`]+` \(``(?P<path>[^`]+)``\)\s*$")
TIME = re.compile(r"^\s*- (?P<minutes>\d+):(?P<seconds>\d+\.\d+)\s*$")


def read_times(path: Path) -> dict[str, float]:
    """Return ``{example path: seconds}`` from a sphinx-gallery execution-times file."""
    times: dict[str, float] = {}
    pending: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        row = ROW.match(line)
        if row:
            pending = row["path"]
            continue
        time = TIME.match(line)
        if time and pending is not None:
            times[pending] = 60 * int(time["minutes"]) + float(time["seconds"])
            pending = None
    return times


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/sg_execution_times.rst")
    if not path.is_file():
        print(f"gallery times: {path} not found; did the docs build run the gallery?")
        return 1
    times = read_times(path)
    if not times:
        print(f"gallery times: no example rows in {path}")
        return 1
    width = max(len(name) for name in times)
    print(f"{'gallery page':<{width}}  {'seconds':>8}")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        flag = f"  OVER the {PAGE_BUDGET_S:.0f} s page budget" if seconds > PAGE_BUDGET_S else ""
        print(f"{name:<{width}}  {seconds:>8.1f}{flag}")
    total = sum(times.values())
    print(f"{'total (' + str(len(times)) + ' pages)':<{width}}  {total:>8.1f}")
    over = [name for name, seconds in times.items() if seconds > PAGE_BUDGET_S]
    print(
        f"budget: every page <= {PAGE_BUDGET_S:.0f} s ({len(over)} over), "
        f"gallery <= {GALLERY_BUDGET_S:.0f} s ({'met' if total <= GALLERY_BUDGET_S else 'NOT met'})"
    )
    if total > FAIL_FACTOR * GALLERY_BUDGET_S:
        print(
            f"gallery times: FAILED, {total:.0f} s is more than {FAIL_FACTOR:g} x the "
            f"{GALLERY_BUDGET_S:.0f} s budget"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
