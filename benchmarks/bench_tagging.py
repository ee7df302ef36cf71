"""Taggers on IndoNLU POSP and NERP: the longer runs behind the tagging pages.

The tagging pages train a small network for a few epochs, to fit their time
budget. This benchmark trains nlptut's default tagger (:class:`nlptut.tagging.tagger.TaggerConfig`:
word vectors, a character CNN, a bidirectional LSTM, a CRF) with three seeds on
each task, keeping the epoch with the best validation F1, and scores it on the
test split the way IndoNLU's Table 5 does (F1 of each type, averaged over the
types; :mod:`nlptut.tagging.metrics`). Beside it: the memorising baseline of the
parts-of-speech page (each word's most frequent training tag) and the rows
IndoNLU published.

Aim (issue 18): from scratch on a CPU, above IndoNLU's fastText-indo4b row on
both tasks (test F1 >= 94.94 on POSP and >= 46.79 on NERP), and well above its
Scratch row.

The report goes to ``benchmarks/results/tagging.md``. On 2 CPU cores the
defaults took about 20 minutes (two to four minutes per run).

Usage::

    python benchmarks/bench_tagging.py [--seeds 0 1 2] [--epochs 12]
        [--tasks indonlu-posp indonlu-nerp] [--out benchmarks/results/tagging.md]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from _common import machine_lines, spread, write_report

from nlptut.conll import TaggedData, load_tagged
from nlptut.datasets import dataset_info
from nlptut.tagging.metrics import tag_scores
from nlptut.tagging.tagger import Tagger, TaggerConfig, TagTrainConfig

AIMS = {"indonlu-posp": 94.94, "indonlu-nerp": 46.79}
PUBLISHED = ("Scratch", "fastText-cc-id", "fastText-indo4b", "IndoBERT base", "IndoBERT large")


def memorising_baseline(data: TaggedData) -> float:
    """Test F1 of tagging each word with its most frequent training tag (``O`` or the
    most common tag for unseen words)."""
    by_word: dict[str, Counter] = {}
    for words, tags in zip(data["train"].tokens, data["train"].tags, strict=True):
        for word, tag in zip(words, tags, strict=True):
            by_word.setdefault(word, Counter())[tag] += 1
    overall = Counter(t for tags in data["train"].tags for t in tags).most_common(1)[0][0]
    usual = {w: c.most_common(1)[0][0] for w, c in by_word.items()}
    test = data["test"]
    guess = [[usual.get(w, overall) for w in words] for words in test.tokens]
    return tag_scores(test.tags, guess).f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--tasks", nargs="+", default=list(AIMS))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/tagging.md"))
    args = parser.parse_args()

    config = TaggerConfig()
    lines = [
        "# Taggers on IndoNLU POSP and NERP",
        "",
        *machine_lines(),
        f"- tagger: nlptut's default `TaggerConfig` ({config}), float32",
        f"- training: up to {args.epochs} epochs, batches of 32, Adam lr 2e-3, the epoch "
        "with the best validation F1 kept; seeds " + ", ".join(map(str, args.seeds)),
        "- F1: per type, averaged over types (IndoNLU's Table 5), on the test split, in percent",
        "",
    ]
    for task in args.tasks:
        data = load_tagged(task)
        runs = []
        for seed in args.seeds:
            started = time.perf_counter()
            tagger = Tagger.fit(
                data, config, TagTrainConfig(epochs=args.epochs, seed=seed), progress=False
            )
            seconds = time.perf_counter() - started
            scores = tagger.evaluate(data, "test")
            runs.append(
                (seed, tagger.info["best_epoch"], 100 * tagger.info["val_f1"], scores, seconds)
            )
            print(
                f"{task} seed {seed}: test F1 {100 * scores.f1:.2f} ({seconds:.0f} s)", flush=True
            )
        f1s = [100 * r[3].f1 for r in runs]
        aim = AIMS.get(task)
        published = dataset_info(task).published_scores("tag_f1")
        lines += [
            f"## {task}",
            "",
            "| seed | best epoch | validation F1 | test F1 | test micro F1 | word accuracy "
            "| seconds |",
            "|---|---|---|---|---|---|---|",
        ]
        for seed, epoch, val, scores, seconds in runs:
            lines.append(
                f"| {seed} | {epoch} | {val:.2f} | {100 * scores.f1:.2f} | "
                f"{100 * scores.micro_f1:.2f} | {100 * scores.accuracy:.2f} | {seconds:.0f} |"
            )
        lines += [
            "",
            f"- test F1 over seeds: **{spread(f1s)}** (lowest {min(f1s):.2f})",
            f"- memorising baseline (each word's most frequent training tag): "
            f"{100 * memorising_baseline(data):.2f}",
            "- IndoNLU, published: "
            + "; ".join(f"{name} {published[name]:.2f}" for name in PUBLISHED if name in published),
        ]
        if aim is not None:
            met = (
                "met"
                if min(f1s) >= aim
                else ("met on the mean" if statistics.mean(f1s) >= aim else "not met")
            )
            lines.append(f"- aim, test F1 >= {aim} (fastText-indo4b) in every seed: **{met}**")
        per_type = {}
        for _, _, _, scores, _ in runs:
            for name, s in scores.per_type.items():
                per_type.setdefault(name, []).append(100 * s.f1)
        worst = sorted(per_type.items(), key=lambda kv: statistics.mean(kv[1]))[:5]
        lines.append(
            "- lowest types (mean test F1): "
            + "; ".join(f"{name} {statistics.mean(v):.1f}" for name, v in worst)
        )
        lines.append("")
    write_report(args.out, lines)


if __name__ == "__main__":
    main()
