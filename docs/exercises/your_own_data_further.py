"""Solutions to the exercises of "Your own data, further".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlptut.datasets import load_dataset
from nlptut.errors import DataFormatError
from nlptut.text import tokenize


# --- exercise 1 ---
def ahead_of_the_other(n_test: int, draws: int = 1000, seed: int = 0):
    """Exercise 1: in how many bootstrap draws the second model is ahead, and behind."""
    first = np.zeros(n_test, dtype=bool)
    second = np.zeros(n_test, dtype=bool)
    first[: int(0.8 * n_test)] = True  # right on 80% of the texts: 40 of 50
    second[int(0.14 * n_test) :] = True  # right on 86%, partly other texts: 43 of 50
    resampled = np.random.default_rng(seed).integers(0, n_test, size=(draws, n_test))
    first_scores = first[resampled].mean(axis=1)
    second_scores = second[resampled].mean(axis=1)
    ahead = float(np.mean(second_scores > first_scores))
    behind = float(np.mean(second_scores < first_scores))
    return int(first.sum()), int(second.sum()), ahead, behind


# --- exercise 2 ---
def own_column_names(folder: Path):
    """Exercise 2: a header nlptut does not know, the header renamed, the columns swapped."""
    rows = [(f"text number {i}", "happy" if i % 2 else "sad") for i in range(20)]
    path = Path(folder) / "export.csv"

    def write(header, lines):
        path.write_text(header + "\n" + "".join(f"{a},{b}\n" for a, b in lines), "utf-8")

    write("comment,category", rows)
    try:
        load_dataset(path)
        message = None
    except DataFormatError as error:
        message = str(error)
    write("text,label", rows)  # the header renamed
    renamed = load_dataset(path)
    write("label,text", [(label, text) for text, label in rows])  # label column first
    label_first = load_dataset(path)
    same = renamed["train"].texts == label_first["train"].texts
    return message, renamed.labels, same


# --- exercise 3 ---
def a_long_letter():
    """Exercise 3: the tokens of a letter, and of each of its paragraphs."""
    letter = (
        "Dear team, I want to thank every one of you for the care you gave my mother "
        "during her weeks on the ward. The nurses were patient and kind, even at night, "
        "and the doctors always found the time to explain what was happening.\n\n"
        "I was less happy with the discharge. We waited the whole day for the letter "
        "and the medicines, nobody could tell us why, and my mother was exhausted "
        "by the time we got home.\n\n"
        "Still, we are grateful, and we hope the waiting can be shortened for others."
    )
    paragraphs = letter.split("\n\n")
    return len(tokenize(letter)), [len(tokenize(p)) for p in paragraphs]


# --- end ---

if __name__ == "__main__":
    import tempfile

    print(ahead_of_the_other(50), ahead_of_the_other(500))
    print(own_column_names(Path(tempfile.mkdtemp())))
    print(a_long_letter())
