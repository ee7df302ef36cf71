"""Moved to :mod:`nlptut.tagging.metrics`; ``nlptut.tag_metrics`` keeps working for one release."""

import warnings

from nlptut.tagging.metrics import *  # noqa: F403
from nlptut.tagging.metrics import __all__  # noqa: F401

warnings.warn(
    "nlptut.tag_metrics moved to nlptut.tagging.metrics; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
