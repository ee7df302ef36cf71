"""Benchmark the text pipeline: load, tokenize, build a vocabulary, encode, batch.

Times each stage of :mod:`nlptut.text` on a whole dataset (all splits) and
measures how much padding bucketing saves, then writes a Markdown report.

Run it offline against the mirror, with a throw-away cache::

    NLPTUT_DATA_MIRROR=/path/to/datasets NLPTUT_DATA=/tmp/nlptut-bench-cache \\
        python benchmarks/bench_pipeline.py --out benchmarks/results/pipeline.md

The first load copies and verifies the files into the cache when it is empty
(reported as "cold"); the second load reads the verified cache ("warm").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import torch

from nlptut import __version__
from nlptut.datasets import cached_files, load_dataset
from nlptut.text import EncodedDataset, Vocabulary, make_loader, padding_fraction

T = TypeVar("T")
SPLITS = ("train", "validation", "test")


def timed(fn: Callable[[], T], repeats: int) -> tuple[T, list[float]]:
    """Run ``fn`` ``repeats`` times; return its last result and the wall times in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, times


def machine() -> list[tuple[str, str]]:
    """Describe the machine the numbers come from."""
    try:
        usable = str(len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        usable = "n/a"
    return [
        ("CPU", platform.processor() or platform.machine()),
        ("CPU cores (os.cpu_count / usable)", f"{os.cpu_count()} / {usable}"),
        ("torch threads", str(torch.get_num_threads())),
        ("torch", torch.__version__),
        ("Python", platform.python_version()),
        ("OS", platform.platform()),
        ("nlptut", __version__),
    ]


def run(dataset: str, batch_size: int, repeats: int) -> str:
    """Run the benchmark and return the Markdown report."""
    cold = not all(cached_files(dataset).values())
    data, load_first = timed(lambda: load_dataset(dataset), 1)
    _, load_again = timed(lambda: load_dataset(dataset), repeats)
    splits = {name: data[name] for name in SPLITS}
    n_all = sum(len(split) for split in splits.values())
    n_train = len(splits["train"])

    vocab, build_times = timed(lambda: Vocabulary.build(splits["train"].texts), repeats)

    def encode_all() -> dict[str, EncodedDataset]:
        return {
            name: EncodedDataset.from_texts(split.texts, split.labels, vocab, max_len=None)
            for name, split in splits.items()
        }

    encoded, encode_times = timed(encode_all, repeats)
    lengths = [n for ds in encoded.values() for n in ds.lengths]

    def loaders(bucket: bool) -> dict[str, torch.utils.data.DataLoader]:
        return {
            name: make_loader(ds, batch_size=batch_size, shuffle=name == "train", bucket=bucket)
            for name, ds in encoded.items()
        }

    def batch_all(bucket: bool) -> dict[str, float]:
        return {name: padding_fraction(loader) for name, loader in loaders(bucket).items()}

    padding_bucket, batch_times_bucket = timed(lambda: batch_all(True), repeats)
    padding_plain, batch_times_plain = timed(lambda: batch_all(False), repeats)

    def row(stage: str, times: list[float], examples: int) -> str:
        median = statistics.median(times)
        return (
            f"| {stage} | {examples:,} | {median * 1000:,.0f} | {min(times) * 1000:,.0f} "
            f"| {examples / median:,.0f} |"
        )

    load_label = "cold: copy from mirror + sha256" if cold else "cache already filled"
    lines = [
        f"# Text pipeline benchmark: {dataset}",
        "",
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `benchmarks/bench_pipeline.py "
        f"--dataset {dataset} --batch-size {batch_size} --repeats {repeats}`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in machine()),
        "",
        "## Time per stage",
        "",
        f"Wall-clock time, median and best of {repeats} runs (the first load runs once). "
        "Every stage covers all splits, except the vocabulary (train split only).",
        "",
        "| stage | examples | median (ms) | best (ms) | examples/s |",
        "|---|---:|---:|---:|---:|",
        row(f"load_dataset, first call ({load_label})", load_first, n_all),
        row("load_dataset, again (verified cache)", load_again, n_all),
        row("tokenize + Vocabulary.build (train)", build_times, n_train),
        row("EncodedDataset.from_texts (tokenize + encode)", encode_times, n_all),
        row(
            f"batch with bucketing (make_loader, batch {batch_size}, full epoch)",
            batch_times_bucket,
            n_all,
        ),
        row(f"batch without bucketing (batch {batch_size}, full epoch)", batch_times_plain, n_all),
        "",
        f"Vocabulary: {len(vocab):,} tokens (min_freq=1, from {n_train:,} training texts). "
        f"Example lengths in tokens: mean {statistics.mean(lengths):.1f}, "
        f"median {statistics.median(lengths):.0f}, max {max(lengths)} (no truncation).",
        "",
        "## Padding",
        "",
        f"Share of padded positions in the `ids` tensors, batch size {batch_size} "
        "(train shuffled, validation and test in a fixed order).",
        "",
        "| split | without bucketing | with bucketing |",
        "|---|---:|---:|",
        *(
            f"| {name} | {padding_plain[name]:.1%} | {padding_bucket[name]:.1%} |"
            for name in SPLITS
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="dair-emotion", help="dataset name or path")
    parser.add_argument(
        "--out", type=Path, default=Path("benchmarks/results/pipeline.md"), help="report file"
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3, help="runs per timed stage")
    args = parser.parse_args(argv)

    report = run(args.dataset, args.batch_size, args.repeats)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
