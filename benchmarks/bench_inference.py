"""Inference five ways, and training on one process against two, on the CPU this runs on.

For two models (by default the CNN and the Transformer, each trained with its
recipe's sizes on dair-emotion for ``--epochs`` epochs, seed 0), the
benchmark measures with ``torch.utils.benchmark.Timer`` (median, on all of
torch's threads; ONNX Runtime on as many threads):

* **latency**: one test tweet alone (batch 1), in milliseconds;
* **throughput**: the first 64 test tweets in one batch, in tweets per second;

for PyTorch eager, ``torch.compile(dynamic=True)`` (with its compile time),
the ONNX file of :func:`nlptut.deploy.export_onnx` run by ONNX Runtime, the
same file with int8 weights (:func:`nlptut.deploy.quantize_onnx`) and the
PyTorch model with torchao int8 linear layers
(:func:`nlptut.deploy.quantize_int8`), with the test accuracy of each and
the file sizes.

Then it trains ``nbow`` with ``nlptut train`` on one process and with
``torchrun --standalone --nproc-per-node 2`` on two, and reports the training
seconds, the wall time and the validation accuracy.

Usage::

    python benchmarks/bench_inference.py [--models cnn transformer] [--epochs 2]
        [--min-run-time 0.5] [--out benchmarks/results/inference.md]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch
from _common import machine_lines, write_report
from torch.utils import benchmark

from nlptut.classifier import TextClassifier
from nlptut.datasets import load_dataset
from nlptut.deploy import OnnxClassifier, export_onnx, quantize_int8, quantize_onnx
from nlptut.hardware import hardware_summary
from nlptut.text import EncodedDataset, collate


def median_seconds(fn: Callable[[], object], min_run_time: float) -> float:
    fn()  # warm-up
    timer = benchmark.Timer("fn()", globals={"fn": fn}, num_threads=torch.get_num_threads())
    return timer.blocked_autorange(min_run_time=min_run_time).median


def inference_rows(name: str, data, epochs: int, min_run_time: float, work: Path) -> list[str]:
    classifier, result = TextClassifier.fit(data, name, epochs=epochs, progress=False)
    texts = data["test"].texts
    labels = [data.labels[i] for i in data["test"].labels]
    encoded = EncodedDataset.from_texts(texts[:64], None, classifier.vocab, max_len=64)
    many, one = collate([encoded[i] for i in range(64)]), collate([encoded[0]])
    model = classifier.model.eval()
    threads = torch.get_num_threads()

    onnx_path = export_onnx(classifier, work / f"{name}.onnx")
    int8_path = quantize_onnx(onnx_path, work / f"{name}-int8.onnx")
    ways: dict[str, tuple[Callable, float, str]] = {}  # name -> (run(batch), accuracy, size)
    accuracy = classifier.score(texts, labels).accuracy
    ways["PyTorch eager"] = (lambda b: model(b.ids, b.mask), accuracy, "")
    compile_note = "no C++ compiler"
    if shutil.which("g++") or shutil.which("clang++"):
        compiled = torch.compile(model, dynamic=True)
        with torch.inference_mode():
            t0 = time.perf_counter()
            compiled(many.ids, many.mask)
            compiled(one.ids, one.mask)
        compile_note = f"compile {time.perf_counter() - t0:.1f} s"
        ways["PyTorch compiled"] = (lambda b: compiled(b.ids, b.mask), accuracy, compile_note)
    for label, path in [("ONNX Runtime", onnx_path), ("ONNX Runtime int8", int8_path)]:
        runner = OnnxClassifier(path, threads=threads)
        session = runner.session
        ways[label] = (
            lambda b, s=session: s.run(None, {"ids": b.ids.numpy(), "mask": b.mask.numpy()}),
            runner.score(texts, labels).accuracy,
            f"{path.stat().st_size / 1e6:.2f} MB",
        )
    int8 = quantize_int8(model)
    int8_classifier = TextClassifier(
        name, classifier.labels, int8, classifier.vocab, max_len=classifier.max_len
    )
    ways["PyTorch int8 (torchao)"] = (
        lambda b: int8(b.ids, b.mask),
        int8_classifier.score(texts, labels).accuracy,
        "",
    )
    rows = []
    with torch.inference_mode():
        for way, (run, acc, note) in ways.items():
            latency = median_seconds(lambda r=run: r(one), min_run_time) * 1e3
            throughput = 64 / median_seconds(lambda r=run: r(many), min_run_time)
            rows.append(
                f"| {name} | {way} | {acc:.4f} | {latency:.2f} | {throughput:,.0f} | {note} |"
            )
            print(rows[-1], flush=True)
    print(f"{name}: trained {result.seconds:.1f} s ({result.precision})")
    return rows


def training_rows(epochs: int, work: Path) -> list[str]:
    rows = []
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    for processes, launcher in [(1, [sys.executable]), (2, [*torchrun, "--nproc-per-node", "2"])]:
        out = work / f"nbow-{processes}"
        args = ["-m", "nlptut", "train", "--dataset", "dair-emotion", "--model", "nbow"]
        args += ["--epochs", str(epochs), "--out", str(out), "--json"]
        t0 = time.perf_counter()
        done = subprocess.run(launcher + args, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        r = json.loads(done.stdout)
        rows.append(
            f"| {processes} | {r['batch_size']} ({r['batch_per_process']} per process) | "
            f"{r['seconds']:.1f} | {wall:.1f} | {r['validation_accuracy']:.4f} | "
            f"{r['precision']} |"
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["cnn", "transformer"])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--min-run-time", type=float, default=0.5)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/inference.md"))
    args = parser.parse_args()
    data = load_dataset("dair-emotion")
    work = Path(tempfile.mkdtemp(prefix="bench-inference-"))
    lines = ["# Inference five ways, and training on one process against two", ""]
    lines += machine_lines()
    lines += ["", "```", hardware_summary(), "```", ""]
    lines += [
        f"Models trained {args.epochs} epochs with their recipe's sizes, seed 0, on dair-emotion. "
        "Latency: one test tweet (batch 1); throughput: the first 64 test tweets in one batch; "
        "accuracy on all 2,000 test tweets.",
        "",
        "| model | way | test accuracy | latency (ms) | throughput (tweets/s) | note |",
        "|---|---|---|---|---|---|",
    ]
    for name in args.models:
        lines += inference_rows(name, data, args.epochs, args.min_run_time, work)
    lines += [
        "",
        f"## nbow with `nlptut train`, {args.epochs} epochs: one process against two",
        "",
        "| processes | batch per step | training (s) | wall (s) | validation accuracy | "
        "precision |",
        "|---|---|---|---|---|---|",
    ]
    lines += training_rows(args.epochs, work)
    shutil.rmtree(work, ignore_errors=True)
    write_report(args.out, lines)


if __name__ == "__main__":
    main()
