"""Fine-tune the pretrained MiniLM on dair-emotion with more data than a page can.

The fine-tuning tutorial trains all-MiniLM-L6-v2 for one epoch on the first
3,000 training tweets, because a page must build in a minute. This benchmark
runs the same recipe (one epoch, batches of 16, learning rate 3e-4, 10%
warm-up, bfloat16 autocast on the CPU) on 3,000 tweets and on the whole
training split, with several seeds, and scores each run on the validation
and test splits. It also prints the class probabilities of the two seed
sentences, to see whether a pretrained model reads "My neighbour won the
jackpot! not me." differently from the models trained from scratch.

The report goes to ``benchmarks/results/finetune.md``. On 2 CPU cores a run on
the whole split takes about four minutes.

Usage::

    python benchmarks/bench_finetune.py [--train-sizes 3000 16000] [--seeds 0 1]
        [--out benchmarks/results/finetune.md]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import torch
from _common import SEEDS, machine_lines, write_report

from nlptut.datasets import LabelledData, load_dataset
from nlptut.hf import FinetuneConfig, PretrainedClassifier, finetune, load_tokenizer, predict_texts
from nlptut.precision import choose_precision
from nlptut.training import classification_metrics

SENTENCES = {text: labels["en"] for text, labels in SEEDS.items()}  # text -> its emotion
RECIPE = {"epochs": 1, "batch_size": 16, "lr": 3e-4, "warmup": 0.1, "max_length": 64}


def run(data: LabelledData, tokenizer: Any, train_size: int, seed: int) -> dict:
    """Fine-tune a fresh MiniLM on the first ``train_size`` tweets; score it."""
    texts, labels = data["train"].texts[:train_size], data["train"].labels[:train_size]
    torch.manual_seed(seed)  # the head's initial weights
    model = PretrainedClassifier.from_pretrained(num_classes=len(data.labels))
    config = FinetuneConfig(seed=seed, progress=False, **RECIPE)
    history = finetune(model, tokenizer, texts, labels, config)
    row = {"train": len(texts), "seed": seed, "seconds": history.seconds}
    for split in ("validation", "test"):
        split_texts, split_labels = data[split].texts, data[split].labels
        logits = predict_texts(split_texts, model, tokenizer, max_length=RECIPE["max_length"])
        metrics = classification_metrics(split_labels, logits.argmax(1).tolist(), data.labels)
        row[split] = (metrics.accuracy, metrics.macro_f1)
    probabilities = predict_texts(list(SENTENCES), model, tokenizer).softmax(dim=1)
    row["sentences"] = [dict(zip(data.labels, p.tolist(), strict=True)) for p in probabilities]
    return row


def describe(probabilities: dict[str, float], expected: str) -> str:
    """'joy 0.93 (right)' or 'anger 0.40 (wrong), sadness 0.14' for a table cell."""
    ranked = sorted(probabilities.items(), key=lambda kv: -kv[1])
    top, p = ranked[0]
    if top == expected:
        return f"{top} {p:.2f} (right)"
    return f"{top} {p:.2f} (wrong), {expected} {probabilities[expected]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train-sizes", nargs="+", type=int, default=[3000, 16000])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/finetune.md"))
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.train_sizes):
        parser.error(f"--train-sizes must be positive, got {args.train_sizes}")

    report = [
        "# Fine-tuning benchmark: all-MiniLM-L6-v2 on dair-emotion",
        "",
        *machine_lines(),
        "- recipe of the fine-tuning tutorial: "
        + ", ".join(f"{k} {v}" for k, v in RECIPE.items())
        + f"; precision (amp='auto'): {choose_precision('auto', 'cpu').reason}"
        + "; the first N training tweets; the whole validation and test splits",
        "- seed sentences: the top emotion and its probability; for a wrong answer, also "
        "the probability of the expected one (Bali: joy; jackpot: sadness)",
        "",
        "| train tweets | seed | fine-tune seconds | val accuracy | val macro-F1 "
        "| accuracy | macro-F1 | Bali sentence | jackpot sentence |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    data, tokenizer = load_dataset("dair-emotion"), load_tokenizer()
    rows = []
    for size in args.train_sizes:
        for seed in args.seeds:
            print(f"fine-tuning on {size:,} tweets, seed {seed} ...", flush=True)
            row = run(data, tokenizer, size, seed)
            rows.append(row)
            cells = [
                describe(p, expected)
                for p, expected in zip(row["sentences"], SENTENCES.values(), strict=True)
            ]
            report.append(
                f"| {row['train']:,} | {seed} | {row['seconds']:.0f} | "
                f"{row['validation'][0]:.4f} | {row['validation'][1]:.4f} | "
                f"{row['test'][0]:.4f} | {row['test'][1]:.4f} | {cells[0]} | {cells[1]} |"
            )
    report += ["", "Jackpot sentence, every class probability:", ""]
    report += [
        "| train tweets | seed | " + " | ".join(data.labels) + " |",
        "|---:|---:|" + "---:|" * len(data.labels),
    ]
    for row in rows:
        jackpot = row["sentences"][1]
        report.append(
            f"| {row['train']:,} | {row['seed']} | "
            + " | ".join(f"{jackpot[label]:.2f}" for label in data.labels)
            + " |"
        )
    report.append("")
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
