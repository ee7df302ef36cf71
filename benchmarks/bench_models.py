"""Train every model with the command line and compare it with a TF-IDF baseline.

For each dataset, every model is trained with ``nlptut train`` (its default,
tuned settings, seed 0), scored on the validation and test splits with
``nlptut evaluate --json`` and asked about the two seed sentences (English
only) with ``nlptut predict --json``. A TF-IDF + linear SVM baseline from
scikit-learn is trained in the same run.

The best model is the one with the highest *validation* score (the test split
is not used to choose). It is trained again with other seeds (``--seeds``),
and the target is judged on its mean test score over all its seeds, because
one run's test score moves by up to about a point with the seed alone. The
report (a Markdown table per dataset, the best model's runs, and whether each
target is met) goes to ``benchmarks/results/models.md``.

Usage::

    python benchmarks/bench_models.py [--datasets dair-emotion indonlu-emot]
        [--models keywords nbow cnn lstm transformer] [--seeds 1 2]
        [--out benchmarks/results/models.md]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import SEEDS, machine_lines, write_report
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from nlptut.datasets import load_dataset

TARGETS = {
    "dair-emotion": ("accuracy", 0.93),
    "indonlu-emot": ("macro_f1", 0.70),
}
MAX_SECONDS = 180.0


def nlptut(*args: str) -> str:
    """Run the nlptut command line; return its standard output."""
    cmd = [sys.executable, "-m", "nlptut.cli", *args]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr}")
    return result.stdout


def tfidf_baseline(name: str) -> dict:
    data = load_dataset(name)
    train, test = data["train"], data["test"]
    if name == "indonlu-emot":
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    else:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    model = make_pipeline(vectorizer, LinearSVC(C=1.0))
    start = time.perf_counter()
    model.fit(train.texts, train.labels)
    seconds = time.perf_counter() - start
    pred = model.predict(test.texts)
    return {
        "model": "tfidf + linear SVM",
        "accuracy": accuracy_score(test.labels, pred),
        "macro_f1": f1_score(test.labels, pred, average="macro"),
        "seconds": seconds,
        "seeds": "",
    }


def run_model(name: str, model: str, workdir: Path, language: str, seed: int = 0) -> dict:
    out = workdir / f"{name}-{model}-{seed}"
    start = time.perf_counter()
    summary = json.loads(
        nlptut(
            "train",
            "--dataset",
            name,
            "--model",
            model,
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--json",
        )
    )
    seconds = time.perf_counter() - start
    metrics = json.loads(nlptut("evaluate", str(out), "--dataset", name, "--json"))
    val = json.loads(
        nlptut("evaluate", str(out), "--dataset", name, "--split", "validation", "--json")
    )
    verdicts = []
    if language == "en":  # the seed sentences are English
        lines = nlptut("predict", str(out), *SEEDS, "--json").strip().splitlines()
        for text, line in zip(SEEDS, lines, strict=True):
            got = json.loads(line)["label"]
            verdicts.append("right" if got == SEEDS[text][language] else f"wrong ({got})")
    return {
        "model": model,
        "seed": seed,
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "val_accuracy": val["accuracy"],
        "val_macro_f1": val["macro_f1"],
        "seconds": seconds,
        "epochs": summary["epochs_run"],
        "seeds": " / ".join(verdicts),
    }


def score_cells(row: dict) -> str:
    """The cells every table row shares, from validation accuracy to seed sentences."""
    val = (
        f"{row['val_accuracy']:.4f} | {row['val_macro_f1']:.4f}" if "val_accuracy" in row else " | "
    )
    return (
        f"{val} | {row['accuracy']:.4f} | {row['macro_f1']:.4f} | {row['seconds']:.1f} | "
        f"{row.get('epochs', '')} | {row['seeds']} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="+", default=list(TARGETS))
    parser.add_argument(
        "--models", nargs="+", default=["keywords", "nbow", "cnn", "lstm", "transformer"]
    )
    parser.add_argument(
        "--seeds",
        nargs="*",
        type=int,
        default=[1, 2],
        help="further seeds for the best model (seed 0 is always run)",
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/models.md"))
    args = parser.parse_args(argv)
    extra_seeds = [s for s in dict.fromkeys(args.seeds) if s != 0]

    report = [
        "# Models benchmark",
        "",
        *machine_lines(),
        "- every model trained with `nlptut train` at its default settings (seed 0), scored "
        "on the validation (val) and test splits; seed sentences: the Bali sentence / the "
        "jackpot sentence",
        "- the best model is the one with the highest validation score; its target is "
        "judged on its mean test score over seed 0 and the further seeds "
        + (", ".join(map(str, extra_seeds)) or "(none)"),
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.datasets:
            language = "id" if name == "indonlu-emot" else "en"
            rows = [tfidf_baseline(name)]
            for model in args.models:
                print(f"{name}: training {model} ...", flush=True)
                rows.append(run_model(name, model, Path(tmp), language))
            report += [
                f"## {name}",
                "",
                "| model | val accuracy | val macro-F1 | accuracy | macro-F1 | train seconds "
                "| epochs | seed sentences |",
                "|---|---:|---:|---:|---:|---:|---:|---|",
            ]
            report += [f"| {row['model']} | {score_cells(row)}" for row in rows]
            metric, target = TARGETS.get(name, ("accuracy", 0.0))
            neural = [r for r in rows if r["model"] not in ("keywords", "tfidf + linear SVM")]
            if neural:
                best = max(neural, key=lambda r: r[f"val_{metric}"])
                runs = [best]
                for seed in extra_seeds:
                    print(f"{name}: training {best['model']} with seed {seed} ...", flush=True)
                    runs.append(run_model(name, best["model"], Path(tmp), language, seed))
                mean = sum(r[metric] for r in runs) / len(runs)
                slowest = max(neural + runs[1:], key=lambda r: r["seconds"])  # runs[0] is best
                report += [
                    "",
                    f"Best on validation: {best['model']}. Its runs:",
                    "",
                    "| seed | val accuracy | val macro-F1 | accuracy | macro-F1 | train seconds "
                    "| epochs | seed sentences |",
                    "|---:|---:|---:|---:|---:|---:|---:|---|",
                ]
                report += [f"| {r['seed']} | {score_cells(r)}" for r in runs]
                report += [
                    "",
                    f"- best from-scratch model: {best['model']}, test {metric} "
                    f"{mean:.4f}, the mean of {len(runs)} seeds (lowest "
                    f"{min(r[metric] for r in runs):.4f}, highest "
                    f"{max(r[metric] for r in runs):.4f}; target >= {target}: "
                    f"{'met' if mean >= target else 'NOT met'})",
                    f"- slowest training: {slowest['model']}, {slowest['seconds']:.0f} s "
                    f"(target <= {MAX_SECONDS:.0f} s, including start-up and evaluation: "
                    f"{'met' if slowest['seconds'] <= MAX_SECONDS else 'NOT met'})",
                ]
                if language == "en":
                    both = sum(r["seeds"] == "right / right" for r in runs)
                    report.append(
                        f"- best model on the seed sentences: both right in {both} of "
                        f"{len(runs)} seeds"
                    )
            report.append("")
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
