"""Moved to :mod:`nlptut.generation.ngram`; ``nlptut.ngram`` keeps working for one release."""

import warnings

from nlptut.generation.ngram import *  # noqa: F403
from nlptut.generation.ngram import __all__  # noqa: F401

warnings.warn(
    "nlptut.ngram moved to nlptut.generation.ngram; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
