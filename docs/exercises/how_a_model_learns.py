"""Solutions to the exercises of "How a model learns, in plain words".

Each part between ``# --- exercise N ---`` markers is shown on the page (in a
dropdown, with ``literalinclude``) and run by ``tests/test_exercises.py``,
which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import torch
from sklearn.feature_extraction.text import CountVectorizer

from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels


def loss_of(knobs, x, y):
    """The page's loss: binary cross-entropy of the sigmoid of the scores."""
    return torch.nn.functional.binary_cross_entropy(torch.sigmoid(x @ knobs), y)


def joy_or_sadness(data, split, n):
    """The first n tweets of a split labelled joy or sadness, and 1.0 for joy, 0.0 for sadness."""
    keep = [
        (text, float(data.labels[label] == "joy"))
        for text, label in zip(data[split].texts, data[split].labels, strict=True)
        if data.labels[label] in ("joy", "sadness")
    ][:n]
    return [text for text, _ in keep], torch.tensor([y for _, y in keep])


# --- exercise 1 ---
def no_keyword():
    """Exercise 1: a tweet with no joy word and no sadness word."""
    counts = torch.tensor([[0.0, 0.0]])  # (joy words, sadness words)
    answers = []
    for knobs in ([2.3, -2.2], [-5.0, 7.0], [0.0, 0.0]):
        answers.append(torch.sigmoid(counts @ torch.tensor(knobs)).item())
    return answers  # the probability of joy for three settings of the knobs


# --- exercise 2 ---
def one_step(data=None):
    """Exercise 2: one step of learning rate 1 from both knobs at 0."""
    data = data or load_dataset("dair-emotion")
    texts, y = joy_or_sadness(data, "train", 2000)
    rules = for_labels(data.labels)
    found = [p.matched for p in rules.predict(texts)]
    x = torch.tensor([[len(m["joy"]), len(m["sadness"])] for m in found], dtype=torch.float32)
    knobs = torch.zeros(2, requires_grad=True)
    before = loss_of(knobs, x, y)
    before.backward()
    after = knobs.detach() - 1.0 * knobs.grad  # new knob = knob - learning rate x slope
    print(f"slopes {knobs.grad.tolist()}, knobs after one step {after.tolist()}")
    print(f"loss {before.item():.3f} -> {loss_of(after, x, y).item():.3f}")
    return knobs.grad, after, before.item(), loss_of(after, x, y).item()


# --- exercise 3 ---
def more_tweets(data=None, sizes=(200, 1000), epochs=300):
    """Exercise 3: the one-knob-per-word model on more training tweets."""
    data = data or load_dataset("dair-emotion")
    train_texts, train_y = joy_or_sadness(data, "train", max(sizes))
    val_texts, val_y = joy_or_sadness(data, "validation", 2000)
    results = {}
    for n in sizes:
        words = CountVectorizer(binary=True).fit(train_texts[:n])

        def one_per_word(texts, words=words):
            counts = torch.tensor(words.transform(texts).toarray(), dtype=torch.float32)
            return torch.cat([counts, torch.ones(len(texts), 1)], dim=1)

        x, check = one_per_word(train_texts[:n]), one_per_word(val_texts)
        knobs = torch.zeros(x.shape[1], requires_grad=True)
        val_loss = []
        for _ in range(epochs):
            knobs.grad = None
            loss_of(knobs, x, train_y[:n]).backward()
            with torch.no_grad():
                knobs -= 1.0 * knobs.grad
                val_loss.append(loss_of(knobs, check, val_y).item())
        best = min(range(epochs), key=val_loss.__getitem__)
        results[n] = (best + 1, val_loss[best], val_loss[-1])
        print(f"{n:>5} tweets: best epoch {best + 1}, best validation loss {val_loss[best]:.3f}")
    return results  # for each size: (best epoch, best validation loss, last validation loss)


# --- end ---
