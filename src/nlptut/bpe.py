"""Moved to :mod:`nlptut.generation.bpe`; ``nlptut.bpe`` keeps working for one release."""

import warnings

from nlptut.generation.bpe import *  # noqa: F403
from nlptut.generation.bpe import __all__  # noqa: F401

warnings.warn(
    "nlptut.bpe moved to nlptut.generation.bpe; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
