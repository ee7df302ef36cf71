"""Teaching the model the difference: training with counterfactual pairs.

Every model is trained on the five emotions that dair-emotion and GoEmotions
share, on dair-emotion, on GoEmotions and on both, **with and without** the
450 counterfactual training pairs of ``nlptut.counterfactual`` (both texts of
every pair added to the training split only), and scored on

- its own test split (does in-distribution accuracy fall?),
- the minimal pairs of ``nlptut.contrast``: the development half (used for
  every choice) and the test half (reported, never used to choose),
- the jackpot sentence "My neighbour won the jackpot! not me.", seed by seed.

The one choice, how many times the pairs are repeated in the training split
(``--repeats``, default 1 and 3: a few hundred pairs among thousands of
tweets may be drowned out), is made per model and dataset on the mean pair
accuracy of the development half. A learning curve over the number of pairs
(0, 50, 100, 200, all; a random subset per seed) is run for ``--curve-model``
on dair-emotion.

Models: ``nbow``, ``cnn``, ``lstm``, ``transformer`` (nlptut's recipes from
scratch, on ``--train`` random texts per dataset and seed, 0 for all),
``--short`` trains them with the tutorials' short runs (``nlptut.shortruns``, seconds
per run) instead; ``minilm-frozen`` (``nlptut.frozen.FrozenClassifier``: all-MiniLM-L6-v2 kept
frozen, a logistic regression on ``--frozen-train`` texts per dataset, its
``c`` chosen on the development half) and ``minilm`` (fine-tuned end to end
on ``--minilm-train`` texts per dataset, as in ``bench_meaning.py``).

Usage::

    python benchmarks/bench_counterfactual.py [--models nbow minilm-frozen]
        [--datasets dair-emotion goemotions both] [--seeds 0 1 2]
        [--out benchmarks/results/counterfactual.md]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from _common import machine_lines, write_report
from bench_meaning import JACKPOT, fit, mean_sd

from nlptut.classifier import TextClassifier
from nlptut.contrast import LABELS, load_pairs, score_model
from nlptut.counterfactual import as_texts, load_counterfactuals
from nlptut.datasets import LabelledData, load_dataset
from nlptut.frozen import FrozenClassifier, SentenceVectors
from nlptut.shortruns import SHORT_RUNS

FROZEN_C = (0.3, 3.0)


def own_accuracy(clf: Any, data: LabelledData, n: int) -> float:
    """Accuracy on ``n`` random texts of the test split (the same texts for every model)."""
    test = data.sampled(n, 100, split="test")
    answers = [p.label for p in clf.predict(test["test"].texts)]
    return statistics.mean(a == b for a, b in zip(answers, test.labels_of("test"), strict=True))


def train(model: str, data: LabelledData, seed: int, args: argparse.Namespace, vectors, extra):
    """One run of ``model`` on ``data`` plus ``extra`` (texts, labels) in its training split;
    for minilm-frozen, one run per value of c (chosen later on the development half)."""
    if model == "minilm-frozen":
        data = data.sampled(args.frozen_train, seed)
        if extra[0]:
            data = data.with_extra_training(*extra, source="counterfactual pairs")
        return {c: FrozenClassifier.fit(data, c=c, vectors=vectors) for c in FROZEN_C}
    if model == "minilm":
        data = data.sampled(args.minilm_train, seed)
    elif args.train:
        data = data.sampled(args.train, seed)
    if extra[0]:
        data = data.with_extra_training(*extra, source="counterfactual pairs")
    if args.short and model in SHORT_RUNS:
        clf, _ = TextClassifier.fit(data, model, seed=seed, progress=False, **SHORT_RUNS[model])
        return {None: clf}
    return {None: fit(model, data, seed, 10**9, 0)}  # sampled above: fit samples nothing


def run_arm(model, data, args, vectors, pairs, extra_of_seed) -> dict[str, Any]:
    """Train every seed, choose c (frozen MiniLM) on the development half, score."""
    start = time.perf_counter()
    runs = [train(model, data, s, args, vectors, extra_of_seed(s)) for s in args.seeds]
    choices = list(runs[0])
    dev = {
        c: statistics.mean(score_model(r[c], pairs["dev"]).pair_accuracy for r in runs)
        for c in choices
    }
    best = max(choices, key=lambda c: dev[c])
    models = [r[best] for r in runs]
    test = [score_model(m, pairs["test"]) for m in models]
    return {
        "choice": best,
        "dev": dev[best],
        "test": [s.pair_accuracy for s in test],
        "sentences": [s.sentence_accuracy for s in test],
        "own": [own_accuracy(m, data, args.own_test) for m in models],
        "jackpot": [m.predict([JACKPOT])[0].label for m in models],
        "seconds": (time.perf_counter() - start) / len(args.seeds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models",
        nargs="+",
        default=["nbow", "minilm-frozen"],
        choices=["nbow", "cnn", "lstm", "transformer", "minilm-frozen", "minilm"],
    )
    parser.add_argument("--datasets", nargs="+", default=["dair-emotion", "goemotions", "both"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--repeats", nargs="+", type=int, default=[1, 3])
    parser.add_argument(
        "--short",
        action="store_true",
        help="train the from-scratch models with the tutorials' short runs "
        "(nlptut.shortruns) instead of their full recipes",
    )
    parser.add_argument("--train", type=int, default=6000, help="texts per dataset (0: all)")
    parser.add_argument("--frozen-train", type=int, default=2000)
    parser.add_argument("--minilm-train", type=int, default=1500)
    parser.add_argument("--own-test", type=int, default=1000)
    parser.add_argument("--curve-model", default="nbow")
    parser.add_argument("--curve", nargs="+", type=int, default=[0, 50, 100, 200, 450])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/counterfactual.md"))
    args = parser.parse_args(argv)
    began = time.perf_counter()

    five = list(LABELS)
    dair = load_dataset("dair-emotion").only(five)
    go = load_dataset("goemotions").only(five)
    known = {"dair-emotion": dair, "goemotions": go, "both": dair.combined(go, "both")}
    pairs = {"dev": load_pairs("dev"), "test": load_pairs("test")}
    cf = load_counterfactuals()
    vectors = SentenceVectors() if {"minilm-frozen"} & set(args.models) else None

    def none(seed: int) -> tuple[list, list]:
        return [], []

    report = [
        "# Teaching the model the difference: counterfactual training pairs",
        "",
        *machine_lines(),
        f"- pairs: {len(cf)} counterfactual training pairs ({2 * len(cf)} texts), added to the "
        "training split only; scored on the minimal pairs' test half "
        f"({len(pairs['test'])} pairs), every choice made on the development half "
        f"({len(pairs['dev'])})",
        f"- models: {', '.join(args.models)}; from scratch "
        + ("(the tutorials' short runs, nlptut.shortruns) " if args.short else "(full recipes) ")
        + "on "
        + (f"{args.train:,} random texts per dataset and seed" if args.train else "every text")
        + (
            f"; minilm-frozen on {args.frozen_train:,} (c from {FROZEN_C} chosen on the "
            "development half)"
            if "minilm-frozen" in args.models
            else ""
        )
        + (f"; minilm fine-tuned on {args.minilm_train:,}" if "minilm" in args.models else ""),
        f"- repeats of the pairs tried (chosen on the development half): {args.repeats}; "
        f"seeds {args.seeds}; mean ± standard deviation over the seeds; own test: "
        f"{args.own_test:,} random test-split texts",
        "",
        "| model | trained on | pairs added | repeats | pair accuracy, test half "
        "| pair accuracy, dev half | sentence accuracy, test half | own test accuracy "
        "| jackpot, seed by seed | seconds per run |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    best: tuple[float, str] = (-1.0, "")
    for model in args.models:
        for name in args.datasets:
            data = known[name]
            print(f"{model} on {name} without the pairs ...", flush=True)
            arms = [("no", "-", run_arm(model, data, args, vectors, pairs, none))]
            tried = {}
            for k in args.repeats:
                print(f"{model} on {name} with the pairs x{k} ...", flush=True)
                texts, labels = as_texts(cf)
                tried[k] = run_arm(
                    model,
                    data,
                    args,
                    vectors,
                    pairs,
                    lambda s, k=k, t=texts, y=labels: (t * k, y * k),
                )
            k = max(tried, key=lambda r: tried[r]["dev"])
            arms.append(("yes", f"{k}", tried[k]))
            for added, repeats, r in arms:
                choice = f" (c={r['choice']:g})" if r["choice"] is not None else ""
                report.append(
                    f"| {model}{choice} | {name} | {added} | {repeats} | {mean_sd(r['test'])} "
                    f"| {r['dev']:.3f} | {mean_sd(r['sentences'])} | {mean_sd(r['own'])} "
                    f"| {', '.join(r['jackpot'])} | {r['seconds']:.0f} |"
                )
                if added == "yes" and r["dev"] > best[0]:
                    best = (r["dev"], f"{model} on {name}")
    report += ["", f"Best with the pairs on the development half: {best[1]}.", ""]

    report += [
        f"## Learning curve: {args.curve_model} on dair-emotion, by number of pairs",
        "",
        "A random subset of the pairs per seed, added once.",
        "",
        "| pairs | pair accuracy, test half | pair accuracy, dev half | own test accuracy |",
        "|---:|---:|---:|---:|",
    ]
    for n in args.curve:
        print(f"curve: {n} pairs ...", flush=True)

        def subset(seed: int, n: int = n) -> tuple[list, list]:
            chosen = random.Random(seed).sample(cf, min(n, len(cf)))
            return as_texts(chosen) if chosen else ([], [])

        r = run_arm(args.curve_model, dair, args, vectors, pairs, subset)
        report.append(f"| {n} | {mean_sd(r['test'])} | {r['dev']:.3f} | {mean_sd(r['own'])} |")
    report += ["", f"Total time: {(time.perf_counter() - began) / 60:.0f} minutes.", ""]
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
