"""Solutions to the exercises of "Reading the meaning: other data, other models".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from collections import Counter

import torch
from captum.attr import FeatureAblation

from nlptut.contrast import load_pairs

# --- exercise 1 ---
WORDS = ["it", "was", "great", "and", "fantastic"]


def happy_if_any(keep: torch.Tensor) -> torch.Tensor:
    """1 if the kept words include "great" or "fantastic", else 0; one row per variant."""
    kept = [{w for w, k in zip(WORDS, row, strict=True) if k > 0.5} for row in keep]
    return torch.tensor([1.0 if words & {"great", "fantastic"} else 0.0 for words in kept])


def words_that_matter_together():
    """Exercise 1: leave out one word at a time, then both happy words at once."""
    ablation = FeatureAblation(happy_if_any)
    everything = torch.ones(1, len(WORDS))  # 1 = the word is kept
    one_at_a_time = ablation.attribute(everything, baselines=0.0)
    together = torch.tensor([[0, 1, 2, 3, 2]])  # "great" and "fantastic" form one feature
    as_a_group = ablation.attribute(everything, baselines=0.0, feature_mask=together)
    return one_at_a_time[0].tolist(), as_a_group[0].tolist()


# --- exercise 2 ---
def pairs_per_edit():
    """Exercise 2: the test pairs of each kind of edit, and what one pair is worth there."""
    counts = Counter(pair.edit for pair in load_pairs("test"))
    one_pair = {edit: round(1 / n, 2) for edit, n in counts.items()}
    return dict(counts), one_pair


# --- end ---

if __name__ == "__main__":
    print(words_that_matter_together())
    print(pairs_per_edit())
