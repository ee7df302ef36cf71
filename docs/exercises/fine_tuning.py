"""Solutions to the exercises of "Fine-tuning a pretrained model".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- imports ---
import math

import torch
import torch.nn.functional as F

from nlptut.training import warmup_schedule


def loss_of_a_guess(classes: int = 6):
    """The loss when every class gets the same score."""
    logits = torch.zeros(1, classes)  # a head that has learned nothing: equal scores
    loss = F.cross_entropy(logits, torch.tensor([0]))
    return loss.item(), math.log(classes)


# --- exercise 2 ---
def learning_rates(tweets: int = 1000, batch: int = 16, peak: float = 3e-4, warmup: float = 0.1):
    """The learning rate at a few steps of the page's one epoch."""
    total = math.ceil(tweets / batch)  # steps in one epoch
    warmup_steps = max(1, round(warmup * total))
    factor = warmup_schedule("linear", warmup_steps, total)
    return total, warmup_steps, {step: peak * factor(step) for step in (0, 5, 6, 34, total - 1)}


# --- exercise 3 ---
def cut_tweets(max_length: int = 64, data=None, tokenizer=None):
    """The share of training tweets longer than ``max_length`` MiniLM tokens."""
    from nlptut.datasets import load_dataset
    from nlptut.hf import load_tokenizer

    data = data or load_dataset("dair-emotion")
    tokenizer = tokenizer or load_tokenizer()
    lengths = [len(ids) for ids in tokenizer(data["train"].texts)["input_ids"]]
    too_long = sum(n > max_length for n in lengths)
    return too_long / len(lengths), max(lengths)


# --- exercise 4 ---
def head_weights(classes: int = 6):
    """How many weights the new head has, and how many MiniLM has."""
    from nlptut.hf import PretrainedClassifier
    from nlptut.models import count_parameters

    model = PretrainedClassifier.from_pretrained(num_classes=classes)
    print(model.head)  # Linear(in_features=384, out_features=6, bias=True)
    head, encoder = count_parameters(model.head), count_parameters(model.encoder)
    print(f"head {head:,} weights, encoder {encoder:,}: the head is {head / encoder:.3%}")
    return head, encoder


# --- end ---

if __name__ == "__main__":
    print(loss_of_a_guess())
    print(learning_rates())
    print(cut_tweets())
    print(head_weights())
