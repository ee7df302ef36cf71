"""Moved to :mod:`nlptut.generation.gpt`; ``nlptut.gpt`` keeps working for one release."""

import warnings

from nlptut.generation.gpt import *  # noqa: F403
from nlptut.generation.gpt import __all__  # noqa: F401

warnings.warn(
    "nlptut.gpt moved to nlptut.generation.gpt; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
