"""What the commands share: the model names, the exit statuses, a command's
shape, argument types and how output is printed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# nlptut.models.MODEL_NAMES (a test keeps them equal), written out so that the
# command line imports PyTorch only for the commands that need it: predicting
# with an exported .onnx file runs on ONNX Runtime alone.
MODEL_NAMES = ("keywords", "nbow", "cnn", "lstm", "transformer")
# ... the pretrained model that 'nlptut train' fine-tunes (nlptut.finetuned), and
# the tagger for tagging datasets (nlptut.tagging.tagger, run by nlptut.cli.tagging)
TRAINABLE = (*MODEL_NAMES, "minilm", "tagger")

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


_MODEL_HELP = "a folder written by 'nlptut train', or an .onnx file from 'nlptut export'"


def _is_tagger(path: str) -> bool:
    """Whether ``path`` holds a tagger (its manifest read without torch)."""
    from nlptut.predictor import kind

    return kind(path) == "tagger"


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
