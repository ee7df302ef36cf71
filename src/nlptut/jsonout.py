"""JSON for the command line's ``--json`` output: standard JSON, never ``NaN``.

Python's :func:`json.dumps` writes a float that is not a number as ``NaN``
(and infinities as ``Infinity``), which is not JSON: JavaScript's
``JSON.parse``, ``jq`` and most other readers reject the whole document. A
value with no number to give (the loss of a keyword model, say) is written
as ``null`` instead.
"""

from __future__ import annotations

import json
import math

__all__ = ["dumps", "finite"]


def finite(value: object) -> object:
    """``value`` with every NaN or infinite float, at any depth, replaced by ``None``."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def dumps(value: object, **options: object) -> str:
    """Standard JSON text of ``value`` (options as :func:`json.dumps`); NaN becomes null."""
    return json.dumps(finite(value), allow_nan=False, **options)
