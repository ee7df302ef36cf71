"""Solutions to the exercises of "Emotion classification, end to end".

Each function is shown on the page (in a dropdown, with ``literalinclude``)
and run by ``tests/test_exercises.py``, which checks the outcome the page
promises. They train on a slice of dair-emotion so that they run in seconds.
"""

from __future__ import annotations

# --- imports ---
from nlptut.classifier import ModelRecipe, TextClassifier
from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels
from nlptut.training import TrainConfig

# --- quick recipe ---
# A quick bag of words: words only (no word pairs or pieces), a few epochs.
QUICK_RECIPE = ModelRecipe(TrainConfig(epochs=4, batch_size=64, lr=2e-2, seed=0, progress=False))


# --- exercise 1 ---
def word_order(data=None):
    """Does the bag of words notice word order?"""
    data = data or load_dataset("dair-emotion", limit=2000)
    model, _ = TextClassifier.fit(data, "nbow", recipe=QUICK_RECIPE)
    one = "i am not happy i am sad"
    other = "i am not sad i am happy"
    return model.predict_proba([one, other])  # two rows of probabilities


# --- exercise 2 ---


def how_many_words(data=None):
    """What if the model may read only the first two words of each tweet?"""
    data = data or load_dataset("dair-emotion", limit=2000)
    scores = {}
    for max_len in (64, 2):
        model, _ = TextClassifier.fit(data, "nbow", recipe=QUICK_RECIPE, max_len=max_len)
        scores[max_len] = model.evaluate(data, "test").accuracy
    return scores  # {64: accuracy, 2: accuracy}


# --- exercise 3 ---


def negation():
    """What do the keyword rules make of a negation?"""
    rules = for_labels(["anger", "fear", "joy", "love", "sadness", "surprise"])
    (answer,) = rules.predict(["I am not happy at all."])
    return answer.label, answer.matched


# --- end ---

if __name__ == "__main__":
    print(word_order())
    print(how_many_words())
    print(negation())
