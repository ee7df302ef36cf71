"""Solutions to the exercises of "Your own data".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import csv
from pathlib import Path

import numpy as np
from sklearn.dummy import DummyClassifier

from nlptut.datasets import load_dataset


def bootstrap_range(n_test: int, right: float = 0.9, draws: int = 1000, seed: int = 0):
    """Exercise 1: the 95% range of accuracy over bootstrap draws of a test split."""
    rng = np.random.default_rng(seed)
    correct = np.arange(n_test) < round(right * n_test)  # right on 90% of the texts
    resampled = rng.integers(0, n_test, size=(draws, n_test))
    low, high = np.percentile(correct[resampled].mean(axis=1), [2.5, 97.5])
    return float(low), float(high)


# --- exercise 2 ---
def quote_the_comma(folder: Path):
    """Exercise 2: write texts with commas so that they load."""
    rows = [("well, that was rude", "angry"), ("i feel great", "happy")] * 10
    path = Path(folder) / "fixed.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)  # quotes a text that holds a comma
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    data = load_dataset(path)
    first_line = path.read_text(encoding="utf-8").splitlines()[1]
    return first_line, sorted(set(data["train"].texts))


# --- exercise 3 ---
def better_than_what():
    """Exercise 3: the accuracy of always answering the most common label."""
    labels = ["happy"] * 6 + ["sad"] * 3 + ["angry"]
    texts = [[0]] * len(labels)  # the dummy model ignores the texts
    dummy = DummyClassifier(strategy="most_frequent").fit(texts, labels)
    return str(dummy.predict([[0]])[0]), dummy.score(texts, labels)


# --- end ---

if __name__ == "__main__":
    import tempfile

    print(bootstrap_range(50), bootstrap_range(1000))
    print(quote_the_comma(Path(tempfile.mkdtemp())))
    print(better_than_what())
