"""The command line for taggers: ``nlptut train --model tagger``, and ``evaluate`` and
``predict`` on a tagger's checkpoint.

:mod:`nlptut.cli` parses the arguments and hands them here when the model is a
tagger (:func:`train`), or the checkpoint is a tagger's (:func:`evaluate`,
:func:`predict`); errors are raised as :class:`~nlptut.errors.NlptutError` and
printed by :func:`nlptut.cli.main` on one line.

::

    nlptut train --dataset indonlu-nerp --model tagger --out ner [--epochs N] [--seed S]
    nlptut evaluate ner --dataset indonlu-nerp [--split test] [--json]
    nlptut predict ner "presiden joko widodo tiba di bandung ." [--json]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nlptut import datasets, jsonout
from nlptut.errors import NlptutError

__all__ = ["train", "evaluate", "predict"]


def train(args: argparse.Namespace) -> int:
    """Train a tagger and save its checkpoint (the ``args`` of ``nlptut train``)."""
    from nlptut import distributed
    from nlptut.checkpoint import check_target
    from nlptut.conll import load_tagged
    from nlptut.tagging.tagger import Tagger, TagTrainConfig

    out = Path(args.out)
    check_target(out, force=args.force)  # before any training
    if distributed.launched():
        raise NlptutError(
            "--model tagger trains in one process; run 'nlptut train' without torchrun"
        )
    if args.max_len is not None:
        raise NlptutError("--max-len is for classifiers; the tagger reads every word of a sentence")
    if args.amp == "on":
        raise NlptutError("the tagger trains in float32; leave out --amp (or use --amp off)")
    if args.device not in ("auto", "cpu", "cuda") and not args.device.startswith("cuda:"):
        raise NlptutError(f"unknown device {args.device!r}; use auto, cpu or cuda")
    if args.device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise NlptutError(
                "--device cuda was asked for but CUDA is not available; use --device cpu"
            )
    data = load_tagged(args.dataset)
    settings = {"seed": args.seed}
    if args.epochs is not None:
        settings["epochs"] = args.epochs
    tagger = Tagger.fit(data, train=TagTrainConfig(**settings), device=args.device)
    tagger.save(out, force=args.force)
    info = tagger.info
    summary = {
        "model": "tagger",
        "dataset": data.name,
        "out": str(out),
        "epochs_run": len(tagger.history),
        "best_epoch": info["best_epoch"],
        "seconds": round(info["seconds"], 2),
        "precision": info["precision"],
        "crf": tagger.config.crf,
        "training_sentences": len(data["train"]),
        "validation_f1": info["val_f1"],
    }
    if args.json:
        print(jsonout.dumps(summary, indent=1))
        return 0
    for record in tagger.history:
        print(
            f"epoch {record.epoch:>2}: train loss {record.train_loss:.4f}  "
            f"val F1 {record.val_f1:.4f}  ({record.seconds:.1f} s)"
        )
    print(f"precision: {info['precision']}")
    print(
        f"validation F1 (per type, averaged over types): {info['val_f1']:.4f} "
        f"(epoch {info['best_epoch']})"
    )
    print(f"saved the tagger to {out}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    """Score a tagger's checkpoint on a split of a tagging dataset, or a whole CoNLL file."""
    from nlptut.conll import load_tagged, read_conll
    from nlptut.tagging.tagger import Tagger

    tagger = Tagger.load(args.checkpoint)
    path = Path(args.dataset).expanduser()
    if args.split is None and args.dataset not in datasets.DATASETS and path.is_file():
        part, name, split = read_conll(path), path.stem, "all sentences"
    else:
        data = load_tagged(args.dataset)
        name, split = data.name, args.split or "test"
        part = data[split]
    unknown = sorted({t for tags in part.tags for t in tags} - set(tagger.tags))
    if unknown:
        raise NlptutError(
            f"{name} has tags the tagger was not trained on ({', '.join(unknown)}); evaluate "
            "on data tagged with the same tags"
        )
    scores = tagger.score(part.tokens, part.tags)
    if args.json:
        head = {"checkpoint": str(args.checkpoint), "dataset": name, "split": split}
        print(jsonout.dumps(head | scores.to_dict(), indent=1))
        return 0
    print(f"tagger on {name} ({split}, {scores.sentences} sentences, {scores.words} words)")
    print(scores.format_report())
    return 0


def predict(args: argparse.Namespace, texts: list[str]) -> int:
    """Print one tag per word of each text (split at spaces), and the chunks found."""
    from nlptut.conll import chunks
    from nlptut.tagging.tagger import Tagger

    tagger = Tagger.load(args.checkpoint)
    sentences = [text.split() for text in texts]
    for text, words, tags in zip(texts, sentences, tagger.predict(sentences), strict=True):
        found = [
            {"type": kind, "text": " ".join(words[start:end]), "start": start, "end": end}
            for kind, start, end in chunks(tags)
        ]
        if args.json:
            print(
                jsonout.dumps(
                    {"text": text, "words": words, "tags": tags, "chunks": found},
                    ensure_ascii=False,
                )
            )
            continue
        # words outside any name are shown bare, the others as word/TAG
        print(" ".join(w if t == "O" else f"{w}/{t}" for w, t in zip(words, tags, strict=True)))
        named = [f"{c['type']}: {c['text']}" for c in found]
        if any(t.startswith("I-") or t == "O" for t in tagger.tags):  # names, not one-word tags
            print(f"  {'; '.join(named) if named else 'no names found'}")
    return 0
