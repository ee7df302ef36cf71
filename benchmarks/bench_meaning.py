"""Does a model read the meaning? The longer runs behind the page of that name.

The page "Does the model read the meaning?" trains what fits in a minute. This
benchmark runs the heavier models on the same question: every model is trained
on the five emotions that dair-emotion and GoEmotions share (joy, sadness,
anger, fear, surprise; ``nlptut.contrast.LABELS``), on dair-emotion's tweets,
on GoEmotions' comments, and on both, with several seeds, and is scored on

- its own test split (texts like its training texts),
- the hand-written minimal pairs (``nlptut.contrast``), development and test
  halves: sentence accuracy, pair accuracy (both texts right), flip rate,
- the two seed sentences: the label given to "My neighbour won the jackpot!
  not me." and whether P(joy) falls when "not me." is added.

Models: the bag-of-words network of ``nlptut`` on all the training texts (the
recipe's features, 20 epochs with early stopping), and all-MiniLM-L6-v2
fine-tuned with ``nlptut.finetuned.FinetunedClassifier`` on a sample of
``--minilm-train`` texts per dataset (two epochs, best epoch on validation).
``--models cnn lstm transformer`` trains the other from-scratch recipes of
``nlptut`` the same way as the bag of words (their defaults, every training
text). Nothing is chosen on the test half of the pairs.

The report goes to ``benchmarks/results/meaning.md``. On 2 CPU cores the
defaults took 28 minutes (about a minute per MiniLM run, one to three per
bag-of-words run); the CNN, LSTM and Transformer together took 52 minutes.

Usage::

    python benchmarks/bench_meaning.py [--seeds 0 1 2] [--minilm-train 1500]
        [--models nbow minilm] [--out benchmarks/results/meaning.md]

The other from-scratch recipes (CNN, LSTM, Transformer) run the same way::

    python benchmarks/bench_meaning.py --models cnn lstm transformer \
        --out benchmarks/results/meaning-scratch.md
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from _common import machine_lines, write_report

from nlptut.classifier import TextClassifier
from nlptut.contrast import LABELS, SEED_SENTENCES, load_pairs, score_classifier
from nlptut.datasets import LabelledData, Split, load_dataset
from nlptut.finetuned import MINILM_RECIPE, FinetunedClassifier
from nlptut.precision import choose_precision

JACKPOT = SEED_SENTENCES[1]
WITHOUT_NOT_ME = "My neighbour won the jackpot!"


def sample(data: LabelledData, n: int, seed: int) -> LabelledData:
    """``data`` whose training split is a random sample of ``n`` texts."""
    train = data["train"]
    if n >= len(train):
        return data
    keep = sorted(random.Random(seed).sample(range(len(train)), n))
    part = Split([train.texts[i] for i in keep], [train.labels[i] for i in keep])
    return LabelledData(data.name, data.labels, {**data.splits, "train": part}, data.language)


def fit(model: str, data: LabelledData, seed: int, minilm_train: int, train: int = 0) -> Any:
    """Train ``model`` with ``seed``: MiniLM on ``minilm_train`` texts, the others on
    ``train`` texts (0: all)."""
    if model == "minilm":
        subset = sample(data, minilm_train, seed)
        clf, _ = FinetunedClassifier.fit(subset, seed=seed, progress=False)
        return clf
    if train:
        data = sample(data, train, seed)
    clf, _ = TextClassifier.fit(data, model, seed=seed, progress=False)
    return clf


def measure(clf: Any, data: LabelledData, pairs: dict[str, list]) -> dict[str, Any]:
    def labels_of(texts: list[str]) -> list[str]:
        return [p.label for p in clf.predict(texts)]

    row: dict[str, Any] = {"test_accuracy": clf.evaluate(data, "test").accuracy}
    for half, half_pairs in pairs.items():
        row[half] = score_classifier(labels_of, half_pairs)
    with_, without = clf.predict([JACKPOT, WITHOUT_NOT_ME])
    row["jackpot"] = with_.label
    row["joy_falls"] = with_.probabilities["joy"] < without.probabilities["joy"]
    row["p_sadness"] = with_.probabilities["sadness"]
    return row


def mean_sd(values: list[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {sd:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--minilm-train", type=int, default=1500)
    parser.add_argument(
        "--models",
        nargs="+",
        default=["nbow", "minilm"],
        choices=["nbow", "cnn", "lstm", "transformer", "minilm"],
    )
    parser.add_argument(
        "--train",
        type=int,
        default=0,
        help="training texts per dataset and seed for the from-scratch models (0: all; "
        "a smaller number makes a quick smoke run)",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/meaning.md"))
    args = parser.parse_args(argv)
    scratch = [m for m in args.models if m != "minilm"]

    five = list(LABELS)
    dair = load_dataset("dair-emotion").only(five)
    go = load_dataset("goemotions").only(five)
    datasets = {"dair-emotion": dair, "goemotions": go, "both": dair.combined(go, "both")}
    pairs = {"dev": load_pairs("dev"), "test": load_pairs("test")}
    report = [
        "# Does a model read the meaning? Minimal pairs and the jackpot sentence",
        "",
        *machine_lines(),
        f"- labels: {', '.join(five)} (the emotions both datasets share); training texts: "
        + ", ".join(f"{name} {len(d['train']):,}" for name, d in datasets.items()),
        *(
            [
                f"- minilm: all-MiniLM-L6-v2 fine-tuned on a random {args.minilm_train:,} "
                f"training texts per seed (epochs {MINILM_RECIPE.epochs}, lr "
                f"{MINILM_RECIPE.lr:g}, batch {MINILM_RECIPE.batch_size}, best epoch on "
                "validation)"
            ]
            if "minilm" in args.models
            else []
        ),
        *(
            [
                f"- {', '.join(scratch)}: nlptut's recipe, trained from scratch on "
                + (
                    f"a random {args.train:,} training texts per seed"
                    if args.train
                    else "every training text"
                )
            ]
            if scratch
            else []
        ),
        f"- seeds {args.seeds}; precision (amp='auto'): {choose_precision('auto', 'cpu').reason}",
        f"- pairs: {len(pairs['dev'])} development and {len(pairs['test'])} test pairs; "
        "mean ± standard deviation over the seeds",
        "",
        "| model | trained on | test-split accuracy | pairs (test): sentence accuracy "
        "| pair accuracy | flip rate | pair accuracy (dev) | jackpot labels | P(joy) falls "
        "with 'not me.' | seconds per run |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for model in args.models:
        for name, data in datasets.items():
            rows, start = [], time.perf_counter()
            for seed in args.seeds:
                print(f"{model} on {name}, seed {seed} ...", flush=True)
                rows.append(
                    measure(fit(model, data, seed, args.minilm_train, args.train), data, pairs)
                )
            seconds = (time.perf_counter() - start) / len(args.seeds)
            report.append(
                f"| {model} | {name} | {mean_sd([r['test_accuracy'] for r in rows])} "
                f"| {mean_sd([r['test'].sentence_accuracy for r in rows])} "
                f"| {mean_sd([r['test'].pair_accuracy for r in rows])} "
                f"| {mean_sd([r['test'].flip_rate for r in rows])} "
                f"| {mean_sd([r['dev'].pair_accuracy for r in rows])} "
                f"| {', '.join(r['jackpot'] for r in rows)} "
                f"| {sum(r['joy_falls'] for r in rows)} of {len(rows)} | {seconds:.0f} |"
            )
    report.append("")
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
