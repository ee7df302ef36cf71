"""``nlptut evaluate``, ``predict`` and ``export``: using a trained model."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from nlptut import datasets, jsonout
from nlptut.cli.common import _MODEL_HELP, _is_tagger, _unicode_output
from nlptut.errors import DataWarning, NlptutError


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
        from nlptut.cli import tagging as cli_tagging

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
        from nlptut.cli import tagging as cli_tagging

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
