"""Moved to :mod:`nlptut.tagging.crf`; ``nlptut.crf`` keeps working for one release."""

import warnings

from nlptut.tagging.crf import *  # noqa: F403
from nlptut.tagging.crf import __all__  # noqa: F401

warnings.warn(
    "nlptut.crf moved to nlptut.tagging.crf; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
