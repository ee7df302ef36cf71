"""``nlptut train``: train a model of any kind and save its checkpoint folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from nlptut import datasets, jsonout
from nlptut.cli.common import _AMP_CHOICES, TRAINABLE, _max_len, _positive_int, _seed
from nlptut.errors import NlptutError


def _args_train(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dataset",
        required=True,
        metavar="NAME_OR_PATH",
        help="a known dataset (see 'nlptut datasets') or a path to your data",
    )
    p.add_argument(
        "--model",
        required=True,
        choices=TRAINABLE,
        help=(
            "which model to train: keyword rules, a network from scratch (nbow, cnn, lstm, "
            "transformer), or minilm: fine-tune the pretrained all-MiniLM-L6-v2 (needs the "
            "hf extra; the best start with a few hundred labelled texts, slower to train); "
            "tagger: a tag for every word (for a tagging dataset such as indonlu-nerp, or "
            "your own file of word<TAB>tag lines)"
        ),
    )
    p.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help="most epochs (default: the model's tuned setting)",
    )
    p.add_argument("--seed", type=_seed, default=0, help="random seed, 0 to 2**32-1 (default: 0)")
    p.add_argument(
        "--max-len",
        type=_max_len,
        default=None,
        metavar="N",
        help="read at most N tokens of each text; longer texts are cut (default: 64)",
    )
    p.add_argument(
        "--amp",
        nargs="?",
        const="on",
        default="auto",
        choices=tuple(_AMP_CHOICES),
        help=(
            "mixed precision: auto (default) uses it only where the hardware runs 16-bit "
            "floats natively; on (or a bare --amp) forces it; off keeps float32"
        ),
    )
    p.add_argument(
        "--class-weight",
        choices=("none", "balanced"),
        default="none",
        help=(
            "minilm only: balanced weighs the loss so that every label counts as much as if "
            "the labels were equally common (for data where some labels are rare; "
            "default: none)"
        ),
    )
    p.add_argument(
        "--augment",
        metavar="FILE",
        default=None,
        help=(
            "add the labelled texts of FILE to the training split only: a pairs file "
            "(tab-separated, header with text_a label_a text_b label_b) or a file of labelled "
            "texts; 'builtin' adds nlptut's 450 counterfactual pairs (five emotions)"
        ),
    )
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default: auto)")
    p.add_argument("--out", required=True, metavar="DIR", help="checkpoint folder to write")
    p.add_argument("--force", action="store_true", help="replace an existing checkpoint in DIR")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _augmented(data: datasets.LabelledData, augment: str | None):
    """``data`` with the texts of ``--augment`` added to its training split, and their record."""
    if augment is None:
        return data, None
    from nlptut.counterfactual import read_augment_file, read_builtin_augment_file

    extra = read_builtin_augment_file() if augment == "builtin" else read_augment_file(augment)
    data = data.with_extra_training(extra.texts, extra.labels, source=f"--augment {augment}")
    return data, extra.record()


def _cmd_train(args: argparse.Namespace) -> int:
    if args.class_weight != "none" and args.model != "minilm":
        raise NlptutError(
            f"--class-weight {args.class_weight} works with --model minilm only; "
            "leave it out for the other models"
        )
    if args.model == "tagger":
        if args.augment is not None:
            raise NlptutError(
                "--augment adds labelled texts to a classifier's training split; "
                "leave it out for --model tagger"
            )
        from nlptut.cli import tagging as cli_tagging

        return cli_tagging.train(args)
    import torch

    from nlptut import distributed
    from nlptut.classifier import TextClassifier, check_target

    out = Path(args.out)
    check_target(out, force=args.force)  # fail before spending minutes on training
    if args.device not in ("auto", "cpu", "cuda") and not args.device.startswith("cuda:"):
        raise NlptutError(f"unknown device {args.device!r}; use auto, cpu or cuda")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise NlptutError("--device cuda was asked for but CUDA is not available; use --device cpu")
    if args.model == "minilm" and distributed.launched():
        raise NlptutError(
            "--model minilm fine-tunes in one process; run 'nlptut train' without torchrun"
        )
    # Under torchrun: join the other processes; the first one fetches the data
    # into the cache while the others wait, so that no two write the same file.
    cuda = args.device != "cpu" and torch.cuda.is_available()
    ctx = distributed.setup("cuda" if cuda else "cpu")
    if not ctx.is_main:
        distributed.barrier(ctx)
    data = datasets.load_dataset(args.dataset)
    if ctx.is_main:
        distributed.barrier(ctx)
    data, augmented = _augmented(data, args.augment)
    overrides = {"seed": args.seed, "amp": _AMP_CHOICES[args.amp], "device": args.device}
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.model == "keywords":
        classifier, result = TextClassifier.fit(data, "keywords")
    elif args.model == "minilm":
        from nlptut.finetuned import FinetunedClassifier

        if args.max_len is not None:
            overrides["max_length"] = args.max_len
        if args.class_weight != "none":
            overrides["class_weight"] = args.class_weight
        classifier, result = FinetunedClassifier.fit(
            data, device=overrides.pop("device"), **overrides
        )
    else:
        classifier, result = TextClassifier.fit(data, args.model, max_len=args.max_len, **overrides)
    if not ctx.is_main:
        # The same weights as rank 0, which writes them; wait for it so that all
        # processes leave the group together (see nlptut.distributed.setup).
        distributed.barrier(ctx)
        return 0
    metrics = classifier.evaluate(data, "validation") if len(data["validation"]) else None
    if metrics is not None:
        classifier.info["validation"] = {"accuracy": metrics.accuracy, "macro_f1": metrics.macro_f1}
    if result:
        classifier.info["processes"] = result.world_size
    if augmented is not None:
        classifier.info["augment"] = augmented
    classifier.save(out, force=args.force)
    distributed.barrier(ctx)  # the other processes may leave now
    summary = {
        "model": args.model,
        "dataset": data.name,
        "out": str(out),
        "epochs_run": len(result.history) if result else 0,
        "best_epoch": result.best_epoch if result else None,
        "seconds": round(result.seconds, 2) if result else 0.0,
        "precision": result.precision if result else None,
        "processes": result.world_size if result else 1,
        "backend": result.backend if result else None,
        "batch_size": result.batch_size if result else None,
        "batch_per_process": result.batch_per_process if result else None,
        "lr": result.lr if result else None,
        "max_len": classifier.max_len if classifier.is_neural else None,
        "training_texts_cut": classifier.info.get("training_texts_cut", 0),
        "training_texts": len(data["train"]),
        "augment": augmented,
        "validation_accuracy": metrics.accuracy if metrics else None,
        "validation_macro_f1": metrics.macro_f1 if metrics else None,
    }
    if args.json:
        print(jsonout.dumps(summary, indent=1))
    else:
        if result:
            for rec in result.history:
                print(
                    f"epoch {rec.epoch:>2}: train loss {rec.train_loss:.4f}  "
                    f"val accuracy {rec.val_accuracy:.4f}  val macro-F1 {rec.val_macro_f1:.4f}  "
                    f"({rec.seconds:.1f} s)"
                )
            print(f"precision: {result.precision}")
            if result.world_size > 1:
                print(
                    f"processes: {result.world_size} ({result.backend}), each computing about "
                    f"{result.batch_per_process} of every {result.batch_size} texts; "
                    f"effective batch {result.batch_size}, learning rate {result.lr:g}"
                )
        if summary["training_texts_cut"]:
            print(
                f"training texts longer than {classifier.max_len} tokens, read only in part: "
                f"{summary['training_texts_cut']:,} of {summary['training_texts']:,} "
                "(--max-len N reads more of each)"
            )
        if metrics:
            print(f"validation: accuracy {metrics.accuracy:.4f}, macro-F1 {metrics.macro_f1:.4f}")
        if augmented is not None:
            print(
                f"added to the training split: {augmented['texts']:,} texts of "
                f"{augmented['file']} (sha256 {augmented['sha256'][:12]}...)"
            )
        print(f"saved the {args.model} model to {out}")
    return 0
