"""Moved to :mod:`nlptut.cli.tagging`; ``nlptut.cli_tagging`` keeps working for one release."""

import warnings

from nlptut.cli.tagging import *  # noqa: F403
from nlptut.cli.tagging import __all__  # noqa: F401

warnings.warn(
    "nlptut.cli_tagging moved to nlptut.cli.tagging; import it from there",
    DeprecationWarning,
    stacklevel=2,
)
