"""Solutions to the exercises of "From rules to deep learning".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
from collections import Counter

from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels


# --- exercise 1 ---
def capitals():
    """Exercise 1: do capital letters and exclamation marks change the rules' answer?"""
    rules = for_labels(["anger", "fear", "joy", "love", "sadness", "surprise"])
    loud, quiet = rules.predict(["I am SO HAPPY!!", "i am so happy"])
    return loud.label, quiet.label


# --- exercise 2 ---
def no_keyword():
    """Exercise 2: what do the rules answer when no keyword matches?"""
    data = load_dataset("dair-emotion")
    train = data["train"]
    train_labels = [data.labels[i] for i in train.labels]
    rules = for_labels(data.labels)
    rules.fit(train.texts, train_labels)  # learns the answer for texts with no keyword
    (answer,) = rules.predict(["The meeting is at noon."])
    most_common = Counter(train_labels).most_common(1)[0][0]
    return answer.label, answer.matched, most_common


# --- end ---

if __name__ == "__main__":
    print(capitals())
    print(no_keyword())
