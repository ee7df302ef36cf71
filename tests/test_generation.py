"""Texts that start with their label: encoding, decoding, seeded writing, judging."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from nlptut.generation.bpe import EOS
from nlptut.generation.gpt import GPT, GPTConfig
from nlptut.generation.ngram import NGramLM
from nlptut.generation.writing import LabelledTokens, copied, recognised, write

pytest.importorskip("tokenizers")

TEXTS = ["i feel happy today", "i feel sad and tired", "we went to bali", "i am so angry"] * 4
LABELS = ["joy", "sadness", "anger"]


@pytest.fixture(scope="module")
def tokens() -> LabelledTokens:
    return LabelledTokens.train(TEXTS, LABELS, vocab_size=60, context=8)


def test_each_text_starts_with_its_label_and_ends_with_eos(tokens):
    encoded = tokens.encode(["i feel happy", "we went to bali"], [0, 1])
    assert encoded[0][0] == tokens.tokenizer.token_to_id("<joy>")
    assert encoded[1][0] == tokens.tokenizer.token_to_id("<sadness>")
    assert encoded[0][-1] == tokens.eos_id == tokens.tokenizer.token_to_id(EOS)
    assert tokens.decode(encoded[0]) == "i feel happy"
    assert tokens.decode(encoded[1]) == "we went to bali"


def test_long_texts_are_cut_to_the_context_without_eos(tokens):
    (cut,) = tokens.encode(["i feel happy today and sad and tired and angry"], [2])
    assert len(cut) == tokens.context
    assert tokens.eos_id not in cut


def test_unknown_labels_and_short_contexts_are_refused(tokens):
    with pytest.raises(
        ValueError, match="unknown label 'love'; the labels are joy, sadness, anger"
    ):
        tokens.label_id("love")
    with pytest.raises(ValueError, match="context must be at least 2"):
        LabelledTokens.train(TEXTS, LABELS, vocab_size=60, context=1)


def test_writing_is_seeded_and_starts_nowhere_but_the_label(tokens):
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=tokens.vocab_size, context=8, dim=16, heads=2, layers=1))
    first = write(model, tokens, "joy", 5, temperature=1.0, top_k=10, seed=3)
    assert first == write(model, tokens, "joy", 5, temperature=1.0, top_k=10, seed=3)
    assert len(first) == 5 and all(isinstance(t, str) for t in first)
    assert all("<joy>" not in t and EOS not in t for t in first)
    # Another label, the same seed: other random draws. Give the two labels the
    # same vector, so that the model's probabilities are the same for both:
    # equal draws would then write equal texts.
    with torch.no_grad():
        model.tokens.weight[tokens.label_id("anger")] = model.tokens.weight[tokens.label_id("joy")]
    joy = write(model, tokens, "joy", 5, temperature=1.0, top_k=10, seed=3)
    assert write(model, tokens, "anger", 5, temperature=1.0, top_k=10, seed=3) != joy


def test_recognised_and_copied_count_shares():
    predict = lambda texts: np.array([0 if "happy" in t else 1 for t in texts])  # noqa: E731
    assert recognised(["so happy", "so sad", "happy"], [0, 1, 1], predict) == pytest.approx(2 / 3)
    # an empty text is not recognised, and never reaches the classifier
    assert recognised(["so happy", "  ", "so sad"], [0, 0, 1], predict) == pytest.approx(2 / 3)
    assert recognised([""], [0], lambda texts: 1 / 0) == 0.0
    assert copied(["I  feel happy today", "new words"], TEXTS) == 0.5
    with pytest.raises(ValueError, match="2 texts but 1 wanted"):
        recognised(["a", "b"], [0], predict)
    with pytest.raises(ValueError, match="at least one text"):
        copied([], TEXTS)


def test_an_ngram_model_writes_for_a_label_too(tokens):
    encoded = tokens.encode(TEXTS, [0, 1, 2, 2] * 4)
    model = NGramLM(tokens.vocab_size, order=3, keep_first=True).fit(encoded)
    joy = write(model, tokens, "joy", 6, temperature=1.0, top_k=5, seed=2)
    assert joy == write(model, tokens, "joy", 6, temperature=1.0, top_k=5, seed=2)
    assert all("<" not in t and EOS not in t for t in joy)
    # with all weight on the counts of joy's texts, greedy writing repeats joy's text
    greedy = NGramLM(tokens.vocab_size, 3, [1e-9, 1e-9, 1e-9, 1.0], keep_first=True).fit(encoded)
    assert write(greedy, tokens, "joy", 1, temperature=0) == ["i feel happy today"]
