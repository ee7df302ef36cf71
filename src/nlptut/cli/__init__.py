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
                 evaluate and predict take its DIR too (see nlptut.cli.tagging)
    nlptut export DIR --format onnx [--quantize int8] --out FILE.onnx [--force] [--json]
    nlptut --version

Adding a command
----------------
Write ``_args_<name>(parser)`` to declare its arguments and ``_cmd_<name>(args)``
to run it (returning the exit status) in the module of its kind (``data``:
datasets and fetch; ``train``; ``use``: evaluate, predict and export;
``tagging``: the tagger's side of train, evaluate and predict), then add one
:class:`Command` line to ``COMMANDS`` in this package's ``__init__``. What the
commands share (model names, exit statuses, argument types) is in ``common``.

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

from nlptut import __version__
from nlptut.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    MODEL_NAMES,
    TRAINABLE,
    Command,
    _is_unicode,
)
from nlptut.cli.data import _args_datasets, _args_fetch, _cmd_datasets, _cmd_fetch
from nlptut.cli.train import _args_train, _cmd_train
from nlptut.cli.use import (
    _args_evaluate,
    _args_export,
    _args_predict,
    _cmd_evaluate,
    _cmd_export,
    _cmd_predict,
)
from nlptut.errors import DataWarning, NlptutError
from nlptut.fileio import name_as_text

__all__ = [
    "main",
    "build_parser",
    "Command",
    "COMMANDS",
    "MODEL_NAMES",
    "TRAINABLE",
    "EXIT_OK",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_BROKEN_PIPE",
]


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
