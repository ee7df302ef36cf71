"""A page's fixed words held to its numbers: :func:`expect`.

A tutorial page prints every comparison from its own numbers
(:meth:`nlptut.compare.Comparison.sentence` and the like), so that the
sentence follows the run that printed it. Some sentences of a page's prose
still say which way a result goes: the explanation after a timing table
explains a slowdown, a takeaway says the bag of words beats the keyword
rules. Such a sentence rests on a condition the page computes, and the page
states it right after computing it::

    expect(slower > 1, "the bullets below explain why two processes were slower",
           numbers=f"two processes took {slower:.2f} times as long")

In a full build a false condition stops the page with
:class:`ClaimContradicted`, naming the sentence and the numbers: the site is
never built with words its numbers contradict, and whoever builds it on a
machine where the result goes the other way learns which sentence to
rewrite. In quick mode (``NLPTUT_QUICK``, the tests' shrunken runs, whose
numbers are not meant to be read) it warns instead.
"""

from __future__ import annotations

import warnings

from nlptut.config import quick_mode
from nlptut.errors import NlptutError

__all__ = ["ClaimContradicted", "ClaimWarning", "expect"]


class ClaimContradicted(NlptutError):
    """A sentence of a page says the opposite of the numbers the page computed."""


class ClaimWarning(UserWarning):
    """In quick mode: a sentence the shrunken run's numbers do not bear out."""


def expect(holds: object, claim: str, *, numbers: str = "") -> None:
    """Stop the page (warn in quick mode) when ``holds`` is false.

    Parameters
    ----------
    holds : bool
        The condition the sentence rests on, computed by the page.
    claim : str
        The sentence, or enough of it to find it on the page.
    numbers : str, optional
        The numbers it was checked against, for the message.

    Raises
    ------
    ClaimContradicted
        In a full build, when ``holds`` is false.
    """
    if holds:
        return
    message = f"the page says {claim!r}, but its numbers do not"
    if numbers:
        message += f" ({numbers})"
    message += "; rewrite the sentence so that the page prints it from the numbers"
    if quick_mode():
        warnings.warn(message, ClaimWarning, stacklevel=2)
        return
    raise ClaimContradicted(message)
