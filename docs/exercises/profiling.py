"""Solutions to the exercises of "Profiling".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch
from torch.profiler import ProfilerActivity, profile, record_function

from nlptut.text import collate, padding_fraction


def tweets(*lengths: int) -> list[tuple[int, list[int], int]]:
    """Made-up tweets of the given lengths, as (index, token ids, label)."""
    return [(i, [7] * n, 0) for i, n in enumerate(lengths)]


def padding_by_hand():
    """Exercise 1: one batch of tweets of 5, 10, 20 and 25 tokens."""
    batch = collate(tweets(5, 10, 20, 25))
    return tuple(batch.ids.shape), padding_fraction([batch])


# --- exercise 2 ---
def sorted_batches():
    """Exercise 2: batches of two, in the order 5, 25, 10, 20 or sorted by length."""
    in_order = tweets(5, 25, 10, 20)
    by_length = sorted(in_order, key=lambda t: len(t[1]))
    as_read = [collate(in_order[:2]), collate(in_order[2:])]
    as_sorted = [collate(by_length[:2]), collate(by_length[2:])]
    return padding_fraction(as_read), padding_fraction(as_sorted)


# --- exercise 3 ---
def inside_a_linear_layer():
    """Exercise 3: which operators run when a linear layer reads a batch?"""
    layer = torch.nn.Linear(64, 6)
    x = torch.randn(32, 64)
    with profile(activities=[ProfilerActivity.CPU]) as prof, record_function("my linear layer"):
        layer(x)
    return [event.key for event in prof.key_averages()]


# --- end ---

if __name__ == "__main__":
    print(padding_by_hand())
    print(sorted_batches())
    print(inside_a_linear_layer())
