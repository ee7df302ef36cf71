"""Solutions to the exercises of "Does the model read the meaning?".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch
from captum.attr import FeatureAblation

from nlptut.contrast import load_pairs, score_pairs

pairs = load_pairs("dev")


def always_joy():
    """Exercise 1: a "model" that answers joy whatever the text."""
    scores = score_pairs(pairs, ["joy"] * len(pairs), ["joy"] * len(pairs))
    return scores.sentence_accuracy, scores.pair_accuracy, scores.flip_rate


# --- exercise 2 ---
def swapped():
    """Exercise 2: a "model" that gives each text the label of the other text of its pair."""
    scores = score_pairs(pairs, [p.label_b for p in pairs], [p.label_a for p in pairs])
    return scores.sentence_accuracy, scores.pair_accuracy, scores.flip_rate


# --- exercise 3 ---
WORDS = ["it", "was", "great", "and", "fantastic"]


def happy_if_any(keep: torch.Tensor) -> torch.Tensor:
    """1 if the kept words include "great" or "fantastic", else 0; one row per variant."""
    kept = [{w for w, k in zip(WORDS, row, strict=True) if k > 0.5} for row in keep]
    return torch.tensor([1.0 if words & {"great", "fantastic"} else 0.0 for words in kept])


def words_that_matter_together():
    """Exercise 3: leave out one word at a time, then both happy words at once."""
    ablation = FeatureAblation(happy_if_any)
    everything = torch.ones(1, len(WORDS))  # 1 = the word is kept
    one_at_a_time = ablation.attribute(everything, baselines=0.0)
    together = torch.tensor([[0, 1, 2, 3, 2]])  # "great" and "fantastic" form one feature
    as_a_group = ablation.attribute(everything, baselines=0.0, feature_mask=together)
    return one_at_a_time[0].tolist(), as_a_group[0].tolist()


# --- end ---

if __name__ == "__main__":
    print(always_joy())
    print(swapped())
    print(words_that_matter_together())
