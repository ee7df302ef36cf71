"""Solutions to the exercises of "Does the model read the meaning?".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states. The
exercises of its deep dive, "Minimal pairs: two datasets, four kinds of
model", are in ``read_the_meaning_further.py``.
"""

from __future__ import annotations

# --- exercise 1 ---
import numpy as np

from nlptut.contrast import LABELS, load_pairs, score_pairs

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
def lucky_guessers(at_least: int = 3, guessers: int = 2000, seed: int = 0):
    """Exercise 3: guessers who pick one of the five emotions at random for every sentence.

    Returns their mean pair accuracy on the test pairs, and the share of them
    that get at least ``at_least`` pairs right.
    """
    test = load_pairs("test")
    rng = np.random.default_rng(seed)
    pair_accuracies = []
    for _ in range(guessers):
        guess_a, guess_b = rng.choice(LABELS, size=(2, len(test))).tolist()
        pair_accuracies.append(score_pairs(test, guess_a, guess_b).pair_accuracy)
    pairs_right = np.rint(np.array(pair_accuracies) * len(test))  # a count of pairs
    return float(np.mean(pair_accuracies)), float(np.mean(pairs_right >= at_least))


# --- end ---

if __name__ == "__main__":
    print(always_joy())
    print(swapped())
    print(lucky_guessers())
