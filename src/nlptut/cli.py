"""The ``nlptut`` command line.

::

    nlptut datasets [--json]        list the known datasets and whether they are cached
    nlptut fetch NAME [NAME ...] [--verify]   download (or copy from the mirror) and verify
    nlptut train --dataset NAME_OR_PATH --model MODEL --out DIR [--epochs N] [--seed S]
                 [--max-len N] [--amp [auto|on|off]] [--device auto|cpu|cuda] [--force]
                 [--json]
    torchrun --nproc-per-node 2 -m nlptut train ...   the same, on 2 processes (DDP)
    nlptut evaluate MODEL --dataset NAME_OR_PATH [--split SPLIT] [--json]
    nlptut predict MODEL [TEXT ...] [--file PATH] [--json]   (MODEL: DIR or FILE.onnx)
    nlptut train --dataset indonlu-nerp --model tagger --out DIR   a tag per word;
                 evaluate and predict take its DIR too (see nlptut.cli_tagging)
    nlptut export DIR --format onnx [--quantize int8] --out FILE.onnx [--force] [--json]
    nlptut --version

Adding a command
----------------
Write ``_args_<name>(parser)`` to declare its arguments and ``_cmd_<name>(args)``
to run it (returning the exit status), then add one :class:`Command` line to
``COMMANDS`` at the bottom of this module.

Errors
------
Every :class:`~nlptut.errors.NlptutError` (and an ``OSError`` such as a
missing file, a permission problem or a full disk) is printed as one line,
``nlptut: error: <message>``, on standard error, with exit status 2, the same
status as a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nlptut import __version__, config, datasets, jsonout
from nlptut.errors import DataWarning, NlptutError
from nlptut.fileio import name_as_text

# nlptut.models.MODEL_NAMES (a test keeps them equal), written out so that the
# command line imports PyTorch only for the commands that need it: predicting
# with an exported .onnx file runs on ONNX Runtime alone.
MODEL_NAMES = ("keywords", "nbow", "cnn", "lstm", "transformer")
# ... the pretrained model that 'nlptut train' fine-tunes (nlptut.finetuned), and
# the tagger for tagging datasets (nlptut.tagging.tagger, run by nlptut.cli_tagging)
TRAINABLE = (*MODEL_NAMES, "minilm", "tagger")

__all__ = ["main", "Command", "COMMANDS"]

EXIT_OK = 0
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a tool stopped by a closed pipe


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument declaration and action.

    Attributes
    ----------
    name : str
        What the user types, e.g. ``"fetch"``.
    help : str
        One line for ``nlptut --help``.
    add_arguments : callable
        Declares the command's arguments on its sub-parser.
    run : callable
        Runs the command on the parsed arguments and returns the exit status.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _print_table(rows: Sequence[Sequence[str]], *, indent: str = "") -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        print((indent + "  ".join(cells)).rstrip())


# %% nlptut datasets ---------------------------------------------------------


def _args_datasets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print machine-readable JSON instead of a table"
    )


def _cmd_datasets(args: argparse.Namespace) -> int:
    entries = []
    for info in datasets.list_datasets():
        cached = datasets.cached_files(info.name)
        entries.append((info, cached))

    if args.json:
        payload = [
            {
                "name": info.name,
                "title": info.title,
                "language": info.language,
                "task": info.task,
                "labels": list(info.labels),
                "splits": info.split_sizes(),
                "files": [
                    {
                        "split": f.split,
                        "filename": f.filename,
                        "url": f.url,
                        "sha256": f.sha256,
                        "rows": f.rows,
                    }
                    for f in info.files
                ],
                "format": info.format,
                "license": info.license,
                "citation": info.citation,
                "bibtex_key": info.bibtex_key,
                "homepage": info.homepage,
                "description": info.description,
                "cached": all(path is not None for path in cached.values()),
                "cache_dir": str(datasets.cache_dir(info.name)),
                "cached_files": {
                    split: None if path is None else str(path) for split, path in cached.items()
                },
            }
            for info, cached in entries
        ]
        print(jsonout.dumps(payload, indent=2, ensure_ascii=not _unicode_output()))
        return EXIT_OK

    rows = [["NAME", "LANG", "TASK", "TRAIN", "VAL", "TEST", "LABELS", "CACHED"]]
    for info, cached in entries:
        sizes = info.split_sizes()
        present = sum(path is not None for path in cached.values())
        if present == len(cached):
            status = f"yes: {datasets.cache_dir(info.name)}"
        elif present:
            status = f"partly ({present}/{len(cached)} files): run `nlptut fetch {info.name}`"
        else:
            status = f"no: run `nlptut fetch {info.name}`"
        rows.append(
            [
                info.name,
                info.language,
                info.task,
                str(sizes["train"]),
                str(sizes["validation"]),
                str(sizes["test"]),
                _label_summary(info),
                status,
            ]
        )
    _print_table(rows)
    print("(TRAIN, VAL, TEST: texts; sentences for tagging datasets)")
    print()
    print("Licences")
    _print_table([[info.name, info.license] for info, _ in entries], indent="  ")
    print()
    mirror = config.data_mirror()
    print(f"cache:  {config.data_home()} (set NLPTUT_DATA to change)")
    print(f"mirror: {mirror if mirror is not None else 'not set (NLPTUT_DATA_MIRROR)'}")
    return EXIT_OK


def _label_summary(info: datasets.DatasetInfo, shown: int = 8) -> str:
    """The labels, or for a tagging dataset its chunk types (the first ``shown``)."""
    if info.task != "tagging":
        return " ".join(info.labels)
    types = list(dict.fromkeys(tag[2:] for tag in info.labels if tag != "O"))
    more = f" ... ({len(types)} types)" if len(types) > shown else ""
    return f"BIO tags of {' '.join(types[:shown])}{more}"


# %% nlptut fetch ------------------------------------------------------------


def _args_fetch(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names",
        nargs="+",
        metavar="NAME",
        help=f"dataset name ({', '.join(datasets.DATASETS)})",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show download progress bars (default: when standard error is a terminal)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="hash every cached file again (by default an unchanged file is trusted)",
    )


def _cmd_fetch(args: argparse.Namespace) -> int:
    for name in args.names:  # reject a typo before fetching anything
        datasets.dataset_info(name)
    said = {"cache": "(cached)", "mirror": "(from the mirror)", "network": "(downloaded)"}
    for name in dict.fromkeys(args.names):
        files = datasets.fetch_with_origins(name, progress=args.progress, verify=args.verify)
        print(f"{name}: {len(files)} files verified in {datasets.cache_dir(name)}")
        _print_table(
            [[split, str(path), said[origin]] for split, (path, origin) in files.items()],
            indent="  ",
        )
    return EXIT_OK


# %% Models: train, evaluate, predict ------------------------------------


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
        from nlptut import cli_tagging

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


_MODEL_HELP = "a folder written by 'nlptut train', or an .onnx file from 'nlptut export'"


def _is_tagger(path: str) -> bool:
    """Whether ``path`` holds a tagger (its manifest read without torch)."""
    from nlptut.predictor import kind

    return kind(path) == "tagger"


def _args_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("checkpoint", metavar="MODEL", help=_MODEL_HELP)
    p.add_argument("--dataset", required=True, metavar="NAME_OR_PATH")
    p.add_argument(
        "--split",
        default=None,
        choices=("train", "validation", "test"),
        help=(
            "which split to score (default: test; a single file is scored whole unless "
            "--split asks for a part of its 80/10/10 split)"
        ),
    )
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")


def _cmd_evaluate(args: argparse.Namespace) -> int:
    if _is_tagger(args.checkpoint):
        from nlptut import cli_tagging

        return cli_tagging.evaluate(args)
    from nlptut.predictor import load_classifier

    classifier = load_classifier(args.checkpoint)
    path = Path(args.dataset).expanduser()
    whole_file = args.split is None and args.dataset not in datasets.DATASETS and path.is_file()
    if whole_file:
        texts, labels = datasets.read_labelled_file(path)
        name, split = path.stem, "all rows"
        metrics = classifier.score(texts, labels)
    else:
        data = datasets.load_dataset(args.dataset)
        name, split = data.name, args.split or "test"
        metrics = classifier.evaluate(data, split)
    if args.json:
        print(
            jsonout.dumps(
                {"checkpoint": str(args.checkpoint), "dataset": name, "split": split}
                | metrics.to_dict(),
                indent=1,
            )
        )
    else:
        print(f"{classifier.model_name} on {name} ({split}, {metrics.support} examples)")
        print(metrics.format_report())
    return 0


def _args_predict(p: argparse.ArgumentParser) -> None:
    p.add_argument("checkpoint", metavar="MODEL", help=_MODEL_HELP)
    p.add_argument("texts", nargs="*", metavar="TEXT", help="texts to classify")
    p.add_argument(
        "--file", metavar="PATH", help="a UTF-8 file with one text per line ('-': standard input)"
    )
    p.add_argument("--json", action="store_true", help="print predictions as JSON lines")


def _read_lines(path: str) -> list[str]:
    """One text per line of ``path`` (``-``: standard input), so outputs match input lines."""
    if path == "-":
        return _texts_of(sys.stdin.buffer, "standard input")
    file = Path(path)
    if file.is_dir():
        raise NlptutError(f"{file}: is a folder; give a UTF-8 text file with one text per line")
    if not file.exists():
        raise NlptutError(f"{file}: no such file; give a UTF-8 text file with one text per line")
    with open(file, "rb") as handle:  # a file, or a pipe such as /dev/stdin or a FIFO
        return _texts_of(handle, str(file))


def _texts_of(handle, name: str) -> list[str]:
    texts = []
    for number, raw in enumerate(handle, start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
            if number == 1:
                line = line.removeprefix("\ufeff")  # a byte-order mark is not part of the text
        except UnicodeDecodeError as exc:
            raise NlptutError(
                f"{name}, line {number}: not valid UTF-8 ({exc.reason}); save the file as UTF-8"
            ) from None
        if not line.strip():
            raise NlptutError(
                f"{name}, line {number}: blank; remove blank lines, so that each output line "
                "answers one input line"
            )
        texts.append(line)
    if not texts:
        raise NlptutError(f"{name}: no texts (the file is empty); put one text per line")
    return texts


def _cmd_predict(args: argparse.Namespace) -> int:
    texts = list(args.texts)
    if args.file:
        texts += _read_lines(args.file)
    if not texts:
        raise NlptutError("no text to classify; give TEXT arguments or --file PATH")
    if _is_tagger(args.checkpoint):
        from nlptut import cli_tagging

        return cli_tagging.predict(args, texts)
    from nlptut.predictor import load_classifier

    classifier = load_classifier(args.checkpoint)
    cut = classifier.too_long(texts)
    if cut:
        warnings.warn(
            DataWarning(
                f"{len(cut)} of {len(texts)} texts have more than {classifier.max_len} tokens "
                f"(the first is text {cut[0] + 1}); the model reads only the first "
                f"{classifier.max_len} tokens of each. Split long documents into parts, or "
                "train with --max-len N to read more"
            ),
            stacklevel=1,
        )
    for prediction in classifier.predict(texts):
        if args.json:
            print(jsonout.dumps(prediction.to_dict(), ensure_ascii=not _unicode_output()))
            continue
        probs = "  ".join(
            f"{k} {v:.2f}"
            for k, v in sorted(prediction.probabilities.items(), key=lambda kv: -kv[1])
        )
        print(f"{prediction.label:<10} {prediction.text}")
        print(f"{'':<10} {probs}")
        if prediction.matched is not None:
            words = "; ".join(f"{k}: {', '.join(v)}" for k, v in prediction.matched.items() if v)
            print(f"{'':<10} matched: {words or 'no keyword'}")
    return 0


def _args_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("checkpoint", metavar="DIR", help="a folder written by 'nlptut train'")
    p.add_argument("--format", default="onnx", choices=("onnx",), help="file format (onnx)")
    p.add_argument(
        "--quantize",
        default="none",
        choices=("none", "int8"),
        help="int8: store the weights as 8-bit integers (1 byte instead of 4): a smaller file",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the .onnx file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if nlptut wrote it")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _cmd_export(args: argparse.Namespace) -> int:
    from nlptut.deploy import check_export_target, export_onnx
    from nlptut.predictor import load_classifier

    out = Path(args.out)
    if Path(args.checkpoint).suffix == ".onnx":
        raise NlptutError(
            f"{args.checkpoint}: is already an exported model; export a checkpoint folder "
            "written by 'nlptut train'"
        )
    check_export_target(out, force=args.force)  # before loading anything
    classifier = load_classifier(args.checkpoint)
    quantize = None if args.quantize == "none" else args.quantize
    export_onnx(classifier, out, quantize=quantize, force=args.force)
    summary = {
        "checkpoint": str(args.checkpoint),
        "model": classifier.model_name,
        "out": str(out),
        "format": args.format,
        "quantize": quantize,
        "bytes": out.stat().st_size,
    }
    if args.json:
        print(jsonout.dumps(summary, indent=1))
    else:
        kind = "int8 " if quantize else ""
        print(
            f"wrote the {classifier.model_name} model to {out} ({kind}ONNX, "
            f"{summary['bytes'] / 1e6:.1f} MB)"
        )
        print(f'try it: nlptut predict {out} "your text"')
    return 0


#: ``--amp``'s words and the ``amp`` setting each stands for (see nlptut.precision).
_AMP_CHOICES = {"auto": "auto", "on": True, "off": False}


def _seed(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if not 0 <= number < 2**32:
        raise argparse.ArgumentTypeError(f"a seed must be from 0 to {2**32 - 1}, got {number}")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {number}")
    return number


def _max_len(value: str) -> int:
    from nlptut.vocab import MAX_LEN_LIMIT

    number = _positive_int(value)
    if number > MAX_LEN_LIMIT:
        raise argparse.ArgumentTypeError(
            f"expected at most {MAX_LEN_LIMIT:,} tokens per text, got {number:,}"
        )
    return number


# %% The parser and main -----------------------------------------------------

#: The subcommands, in the order ``nlptut --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command(
        name="datasets",
        help="list the known datasets and where they are cached",
        add_arguments=_args_datasets,
        run=_cmd_datasets,
    ),
    Command(
        name="fetch",
        help="download (or copy from the mirror) and verify datasets",
        add_arguments=_args_fetch,
        run=_cmd_fetch,
    ),
    Command(
        name="train",
        help="train a classifier and save it to a checkpoint folder",
        add_arguments=_args_train,
        run=_cmd_train,
    ),
    Command(
        name="evaluate",
        help=(
            "score a checkpoint on a dataset split (accuracy, macro-F1, per class; for a "
            "tagger, F1 per type and averaged over types)"
        ),
        add_arguments=_args_evaluate,
        run=_cmd_evaluate,
    ),
    Command(
        name="predict",
        help="predict the label and class probabilities of texts (a tagger: a tag per word)",
        add_arguments=_args_predict,
        run=_cmd_predict,
    ),
    Command(
        name="export",
        help="export a checkpoint to an ONNX file (optionally int8) that ONNX Runtime runs",
        add_arguments=_args_export,
        run=_cmd_export,
    ),
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``nlptut`` command, with every subcommand.

    Returns
    -------
    argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(
        prog="nlptut",
        description="Deep learning for NLP with PyTorch: datasets and models of the nlptut "
        "tutorials.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def _is_unicode(stream: object) -> bool:
    """True when ``stream`` can print any character (a UTF encoding)."""
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name.startswith("utf")
    except LookupError:
        return False


def _unicode_output() -> bool:
    """True when standard output can print any character."""
    return _is_unicode(sys.stdout)


def _never_fail_to_print() -> None:
    """On a terminal or pipe whose encoding cannot show every character
    (``PYTHONIOENCODING=ascii``, an old Windows console), print what it cannot
    as escapes such as ``\U0001f600`` instead of stopping with an error."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_unicode(stream):
            reconfigure(errors="backslashreplace")


def _one_line(message: object) -> str:
    """The message on one line, printable on any stream: a file name's undecodable
    bytes (kept by Python as lone surrogates) are shown as escapes such as ``\\xff``."""
    return name_as_text(" ".join(str(message).split()), "backslashreplace")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a warning about the user's data as one line, like the errors."""
    if issubclass(category, DataWarning):
        print(f"nlptut: warning: {_one_line(message)}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: list[str] | None = None) -> int:
    """Run the ``nlptut`` command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments, without the program name; by default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 on a usage error or an nlptut error,
        130 when interrupted, 141 when the reader of its output went away.
    """
    _never_fail_to_print()
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        # argparse fills TEXT... before an option, so `predict DIR --json "text"`
        # leaves "text" over: it belongs to TEXT, wherever it stands.
        if extra and getattr(args, "texts", None) is not None:
            args.texts += [item for item in extra if not item.startswith("-")]
            extra = [item for item in extra if item.startswith("-")]
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return args.run(args)
    except NlptutError as exc:
        print(f"nlptut: error: {_one_line(exc)}", file=sys.stderr)
    except BrokenPipeError:  # the reader went away (`nlptut predict ... | head`): stop quietly
        with contextlib.suppress(OSError):  # no "Exception ignored" when Python flushes stdout
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a missing file, no permission, a full or read-only disk
        where = f": {exc.filename}" if exc.filename else ""
        print(f"nlptut: error: {_one_line(exc.strerror or exc)}{where}", file=sys.stderr)
    except KeyboardInterrupt:
        print("nlptut: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
