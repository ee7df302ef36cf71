"""Moved to :mod:`nlptut.tagging.tagger`; ``nlptut.tagger`` keeps working for one release."""

import warnings

from nlptut.tagging.tagger import *  # noqa: F403
from nlptut.tagging.tagger import __all__  # noqa: F401

warnings.warn(
    "nlptut.tagger moved to nlptut.tagging.tagger; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
