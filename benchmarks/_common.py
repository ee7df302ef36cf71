"""Shared by the benchmarks: the seed sentences, and what every report starts and ends with."""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

import torch

# The two sentences of the tutorials, with the emotion each expresses in the
# label names of the English and the Indonesian dataset.
SEEDS = {
    "We went to Bali for holiday. It was fantastic!": {"en": "joy", "id": "happy"},
    "My neighbour won the jackpot! not me.": {"en": "sadness", "id": "sadness"},
}


def machine_lines() -> list[str]:
    """Markdown bullets naming the machine, the date and the load at the start."""
    return [
        f"- machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
        f"Python {platform.python_version()}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        "- load average when the run started (other jobs slow the timings): "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    ]


def write_report(out: Path, lines: list[str]) -> None:
    """Write the report's lines to ``out`` (making its folder) and print them."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"report written to {out}")


def spread(values: list[float], fmt: str = ".2f") -> str:
    """``mean ± standard deviation`` of ``values`` (0 for a single value)."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):{fmt}} ± {sd:{fmt}}"
