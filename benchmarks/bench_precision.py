"""float32 against bfloat16 autocast, for every model, on the CPU this runs on.

For each of nlptut's neural models (with its recipe's vocabulary and sizes,
built on dair-emotion's training tweets) and for all-MiniLM-L6-v2 with the
fine-tuning tutorial's classification head, the benchmark times with
``torch.utils.benchmark.Timer`` (median of repeated runs, on all of torch's
threads):

* the forward pass on a batch of 256 tweets (inference, no gradients);
* one training step on a batch of 32 tweets (forward, cross-entropy,
  backward, AdamW step; for MiniLM a batch of 16, as on the fine-tuning page);

once in float32 and once under ``torch.autocast("cpu", dtype=torch.bfloat16)``,
and prints the ratio. The report starts with the CPU, whether it has native
bfloat16 and what ``amp="auto"`` (:mod:`nlptut.precision`) chooses on it, so
that the table can be read against the policy.

To see what a CPU *without* native bfloat16 does on one that has it, hold
PyTorch and oneDNN to AVX2 kernels::

    ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 \\
        python benchmarks/bench_precision.py --out benchmarks/results/precision-avx2.md

Usage::

    python benchmarks/bench_precision.py [--models nbow cnn lstm transformer minilm]
        [--min-run-time 0.5] [--out benchmarks/results/precision.md]
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from _common import machine_lines, write_report
from torch.utils import benchmark

from nlptut.classifier import RECIPES
from nlptut.datasets import load_dataset
from nlptut.hardware import hardware_summary
from nlptut.models import build_model, count_parameters
from nlptut.precision import choose_precision
from nlptut.text import EncodedDataset, Vocabulary, make_loader

FORMATS = {"float32": None, "bfloat16": torch.bfloat16}


def autocast(dtype: torch.dtype | None) -> contextlib.AbstractContextManager:
    return contextlib.nullcontext() if dtype is None else torch.autocast("cpu", dtype=dtype)


def median_ms(fn: Callable[[], None], min_run_time: float) -> float:
    fn()  # warm-up: first calls set up kernels
    timer = benchmark.Timer("fn()", globals={"fn": fn}, num_threads=torch.get_num_threads())
    return timer.blocked_autorange(min_run_time=min_run_time).median * 1e3


def time_model(
    model: torch.nn.Module,
    forward: Callable[[], torch.Tensor],
    train_forward: Callable[[], tuple[torch.Tensor, torch.Tensor]],
    min_run_time: float,
) -> dict[str, dict[str, float]]:
    """Median milliseconds of inference and of a training step, per format."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    times: dict[str, dict[str, float]] = {}
    for name, dtype in FORMATS.items():

        @torch.no_grad()
        def infer(dtype=dtype) -> None:
            with autocast(dtype):
                forward()

        def step(dtype=dtype) -> None:
            optimizer.zero_grad(set_to_none=True)
            with autocast(dtype):
                logits, labels = train_forward()
                loss = F.cross_entropy(logits.float(), labels)
            loss.backward()
            optimizer.step()

        model.eval()
        inference = median_ms(infer, min_run_time)
        model.train()
        training = median_ms(step, min_run_time)
        times[name] = {"inference": inference, "training": training}
    return times


def nlptut_model(name: str, texts: list[str], labels: list[int], n_labels: int, mrt: float):
    recipe = RECIPES[name]
    vocab = Vocabulary.build(
        texts,
        min_freq=recipe.min_freq,
        char_ngrams=recipe.char_ngrams,
        word_bigrams=recipe.word_bigrams,
    )
    encoded = EncodedDataset.from_texts(texts, labels, vocab, max_len=recipe.max_len)
    big = next(iter(make_loader(encoded, batch_size=256, shuffle=True, seed=0)))
    small = next(iter(make_loader(encoded, batch_size=32, shuffle=True, seed=1)))
    torch.manual_seed(0)
    model = build_model(name, len(vocab), n_labels, **recipe.model)
    times = time_model(
        model,
        lambda: model(big.ids, big.mask),
        lambda: (model(small.ids, small.mask), small.labels),
        mrt,
    )
    return count_parameters(model), times


def minilm(texts: list[str], labels: list[int], n_labels: int, mrt: float):
    from nlptut.hf import PretrainedClassifier, load_tokenizer

    tokenizer = load_tokenizer()
    torch.manual_seed(0)
    model = PretrainedClassifier.from_pretrained(num_classes=n_labels)
    big = tokenizer(texts[:256], padding=True, truncation=True, max_length=64, return_tensors="pt")
    small = tokenizer(texts[:16], padding=True, truncation=True, max_length=64, return_tensors="pt")
    small_labels = torch.tensor(labels[:16])
    times = time_model(
        model,
        lambda: model(big["input_ids"], big["attention_mask"]),
        lambda: (model(small["input_ids"], small["attention_mask"]), small_labels),
        mrt,
    )
    return count_parameters(model), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models", nargs="+", default=["nbow", "cnn", "lstm", "transformer", "minilm"]
    )
    parser.add_argument("--min-run-time", type=float, default=0.5, metavar="SECONDS")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/precision.md"))
    args = parser.parse_args()

    data = load_dataset("dair-emotion")
    train = data["train"]
    texts, labels = list(train.texts), list(train.labels)
    rows = []
    for name in args.models:
        if name == "minilm":
            params, times = minilm(texts, labels, len(data.labels), args.min_run_time)
        else:
            params, times = nlptut_model(name, texts, labels, len(data.labels), args.min_run_time)
        rows.append((name, params, times))
        print(name, times, flush=True)

    auto = choose_precision("auto", "cpu")
    lines = [
        "# float32 against bfloat16 autocast on the CPU",
        "",
        *machine_lines(),
        "",
        "```",
        hardware_summary(),
        "```",
        "",
        f'`amp="auto"` chooses here: {auto.reason}.',
        "",
        "Median milliseconds (torch.utils.benchmark, "
        f"{torch.get_num_threads()} threads, at least {args.min_run_time} s per cell). "
        "Inference: forward pass on 256 training tweets, no gradients. Training: one step "
        "(forward, loss, backward, AdamW) on 32 tweets (MiniLM: 16, as on the fine-tuning "
        "page). Ratio = float32 time / bfloat16 time: above 1 bfloat16 is faster.",
        "",
        "| model | weights | inference float32 | inference bfloat16 | ratio "
        "| training float32 | training bfloat16 | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, params, times in rows:
        cells = []
        for kind in ("inference", "training"):
            f32, bf16 = times["float32"][kind], times["bfloat16"][kind]
            cells += [f"{f32:.1f}", f"{bf16:.1f}", f"{f32 / bf16:.2f}x"]
        lines.append(f"| {name} | {params:,} | " + " | ".join(cells) + " |")
    write_report(args.out, lines)


if __name__ == "__main__":
    main()
