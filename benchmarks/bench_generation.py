"""A small GPT that writes tweets in a chosen emotion: the runs behind issue 18's aims.

Trains :class:`nlptut.generation.gpt.GPT` (2 layers, 128 numbers per token, 4 heads) on
the dair-emotion training tweets, each started with its emotion's token
(:class:`nlptut.generation.writing.LabelledTokens`, a byte-pair vocabulary of 2,000
tokens, texts cut to 32 tokens), with three seeds, keeping the epoch with the
lowest validation perplexity. For each run it reports:

- test perplexity, beside two interpolated trigram models
  (:class:`nlptut.generation.ngram.NGramLM`, their weights chosen on validation) on the
  same tokens: a plain one, and one that keeps the emotion token in every
  context (``keep_first=True``);
- for 100 tweets written per emotion under each sampling setting, by the GPT
  and by both counting models, the share whose requested emotion the site's
  own classifier recognises (the neural bag of words,
  :class:`nlptut.classifier.TextClassifier`, trained as the end-to-end page
  trains it: three epochs on batches of 256 at 6e-2; the generation page
  judges with a words-only version, to save time); the classifier's accuracy
  on the real test tweets is printed as the yardstick;
- the share of written tweets that copy a training tweet word for word.

Aims (issue 18): recognised >= 70% averaged over the six emotions; copies <= 5%.

The report goes to ``benchmarks/results/generation.md``. With the defaults a
run took about four minutes on 2 CPU cores.

Usage::

    python benchmarks/bench_generation.py [--seeds 0 1 2] [--epochs 10]
        [--per-emotion 100] [--out benchmarks/results/generation.md]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch
from _common import machine_lines, spread, write_report

from nlptut.classifier import TextClassifier
from nlptut.datasets import load_dataset
from nlptut.generation.gpt import GPT, GPTConfig, fit_lm, perplexity
from nlptut.generation.ngram import NGramLM
from nlptut.generation.writing import LabelledTokens, copied, recognised, write
from nlptut.models import count_parameters

AIM_RECOGNISED, AIM_COPIED = 0.70, 0.05
SETTINGS = [(1.0, None), (1.0, 40), (0.7, 40)]  # (temperature, top_k)
VOCAB, CONTEXT = 2000, 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--per-emotion", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/generation.md"))
    args = parser.parse_args()

    data = load_dataset("dair-emotion")
    train, val, test = data["train"], data["validation"], data["test"]
    tokens = LabelledTokens.train(train.texts, data.labels, VOCAB, CONTEXT)
    ids = {s: tokens.encode(data[s].texts, data[s].labels) for s in ("train", "validation", "test")}
    cut = sum(len(x) == CONTEXT and x[-1] != tokens.eos_id for x in ids["train"])

    counting = {}  # name -> (model, validation and test perplexity, seconds)
    for name, keep_first in (("trigram", False), ("trigram per emotion", True)):
        started = time.perf_counter()
        ngram = NGramLM(tokens.vocab_size, order=3, keep_first=keep_first).fit(ids["train"])
        ngram_val = ngram.choose_weights(ids["validation"])
        ngram_test = ngram.perplexity(ids["test"])
        counting[name] = (ngram, ngram_val, ngram_test, time.perf_counter() - started)

    judge, _ = TextClassifier.fit(data, "nbow", epochs=3, batch_size=256, lr=6e-2, progress=False)
    judge_real = judge.evaluate(data, "test").accuracy

    def predict(texts):
        return judge.predict_proba(list(texts)).argmax(axis=1)

    def judged(model, seed: int) -> dict:
        """Write per_emotion tweets per emotion under each setting; judge them."""
        out = {}
        for temperature, top_k in SETTINGS:
            texts, per_label, sample = [], {}, {}
            for y, label in enumerate(data.labels):
                written = write(
                    model,
                    tokens,
                    label,
                    args.per_emotion,
                    temperature=temperature,
                    top_k=top_k,
                    seed=seed,
                )
                per_label[label] = recognised(written, [y] * len(written), predict)
                sample[label] = written[0]
                texts += written
            out[temperature, top_k] = {
                "recognised": statistics.mean(per_label.values()),
                "per_label": per_label,
                "copied": copied(texts, train.texts),
                "sample": sample,
            }
        return out

    counting_runs = {
        name: [judged(model, seed) for seed in args.seeds] for name, (model, *_) in counting.items()
    }

    runs = []
    for seed in args.seeds:
        torch.manual_seed(seed)
        model = GPT(GPTConfig(tokens.vocab_size, context=CONTEXT, dim=128, heads=4, layers=2))
        began = time.perf_counter()
        history = fit_lm(
            model,
            ids["train"],
            ids["validation"],
            epochs=args.epochs,
            batch_size=64,
            lr=5e-3,
            seed=seed,
            amp=False,
        )
        seconds = time.perf_counter() - began
        run = {
            "seed": seed,
            "seconds": seconds,
            "best_epoch": history.best_epoch,
            "test_ppl": perplexity(model, ids["test"]),
            "settings": judged(model, seed),
        }
        runs.append(run)
        print(f"seed {seed}: {run['test_ppl']:.1f} test perplexity, {seconds:.0f} s", flush=True)

    def name(setting) -> str:
        temperature, top_k = setting
        return f"temperature {temperature:g}, " + (f"top-k {top_k}" if top_k else "no top-k")

    n_weights = count_parameters(model)  # every seed's model has the same shape
    aims = (
        f"recognised (aim >= {AIM_RECOGNISED:.0%}) | lowest seed | copies (aim <= {AIM_COPIED:.0%})"
    )
    lines = [
        "# A small GPT writing tweets in a chosen emotion (dair-emotion)",
        "",
        *machine_lines(),
        f"- data: {len(train):,} training tweets, {len(val):,} validation, {len(test):,} test; "
        f"byte-pair vocabulary of {tokens.vocab_size:,} tokens (6 of them emotions) trained on "
        f"the training tweets; texts cut to {CONTEXT} tokens ({cut:,} training tweets were longer)",
        f"- model: GPT, 2 layers, 128 numbers per token, 4 heads, "
        f"{n_weights:,} "
        f"weights; {args.epochs} epochs on batches of 64, AdamW at 5e-3 (warm-up, cosine decay), "
        "float32, the epoch with the lowest validation perplexity kept",
        f"- judge: nlptut's neural bag of words, three epochs; it recognises the emotion of "
        f"{judge_real:.1%} of the real test tweets",
        f"- {args.per_emotion} tweets written per emotion and setting, seeds {args.seeds}",
        "",
        "## Perplexity on the test tweets (lower is better)",
        "",
        "| model | test perplexity |",
        "|---|---|",
        *(
            f"| {name}, interpolated (validation {val:.1f}; {secs:.0f} s) | {test:.1f} |"
            for name, (_, val, test, secs) in counting.items()
        ),
        f"| GPT | {spread([r['test_ppl'] for r in runs], '.1f')} |",
        "",
        "## Written tweets, judged (mean ± standard deviation over seeds)",
        "",
        "The counting models write too (`NGramLM.generate`), with the same settings and "
        "seeds; the plain trigram cannot see the emotion token once a tweet is three "
        "tokens long, the trigram per emotion keeps it in every context.",
        "",
        f"| writer | sampling | {aims} |",
        "|---|---|---|---|---|",
    ]
    writers = {**counting_runs, "GPT": [r["settings"] for r in runs]}
    for writer, per_seed in writers.items():
        for setting in SETTINGS:
            rec = [s[setting]["recognised"] for s in per_seed]
            cop = [s[setting]["copied"] for s in per_seed]
            row = [writer, name(setting), spread(rec, ".3f"), f"{min(rec):.3f}"]
            lines.append("| " + " | ".join([*row, spread(cop, ".3f")]) + " |")
    lines += ["", "## Recognised, per emotion (GPT, mean over seeds)", ""]
    lines += [
        "| sampling | " + " | ".join(data.labels) + " |",
        "|---" * (len(data.labels) + 1) + "|",
    ]
    for setting in SETTINGS:
        cells = [
            f"{statistics.mean(r['settings'][setting]['per_label'][label] for r in runs):.2f}"
            for label in data.labels
        ]
        lines.append(f"| {name(setting)} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Runs",
        "",
        "| seed | best epoch | test perplexity | seconds |",
        "|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['seed']} | {r['best_epoch']} | {r['test_ppl']:.1f} | {r['seconds']:.0f} |"
        )
    first = runs[0]
    setting = SETTINGS[1]
    lines += [
        "",
        f"## The first tweet written per emotion (seed {first['seed']}, {name(setting)})",
        "",
    ]
    for label, text in first["settings"][setting]["sample"].items():
        lines.append(f"- **{label}**: {text}")
    best = SETTINGS[1]
    met_rec = all(r["settings"][best]["recognised"] >= AIM_RECOGNISED for r in runs)
    met_cop = all(r["settings"][best]["copied"] <= AIM_COPIED for r in runs)
    lines += [
        "",
        f"Aims with {name(best)}, in every seed: recognised >= {AIM_RECOGNISED:.0%} "
        f"{'met' if met_rec else 'NOT met'}; "
        f"copies <= {AIM_COPIED:.0%} {'met' if met_cop else 'NOT met'}.",
    ]
    write_report(args.out, lines)


if __name__ == "__main__":
    main()
