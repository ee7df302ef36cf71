"""The small GPT: the causal mask hides the future, sampling repeats with a seed, it can learn."""

from __future__ import annotations

import math

import pytest
import torch

from nlptut.generation.bpe import EOS, PAD, train_bpe
from nlptut.generation.gpt import GPT, GPTConfig, fit_lm, generate, lm_loss, perplexity


def _model(**kw) -> GPT:
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=20, context=12, dim=16, heads=2, layers=2, **kw)).eval()


def test_the_future_does_not_change_the_past():
    model = _model()
    ids = torch.tensor([[3, 4, 5, 6, 7, 8]])
    changed = ids.clone()
    changed[0, 4:] = torch.tensor([9, 10])
    a, b = model(ids), model(changed)
    assert torch.allclose(a[0, :4], b[0, :4], atol=1e-6)
    assert not torch.allclose(a[0, 4:], b[0, 4:])


def test_a_seeded_sample_repeats_and_stops_at_the_stop_token():
    model = _model()
    prompt = torch.tensor([[3], [4]])
    draw = lambda: generate(  # noqa: E731
        model,
        prompt,
        max_new=8,
        temperature=1.0,
        top_k=5,
        stop_id=2,
        generator=torch.Generator().manual_seed(7),
    )
    first = draw()
    assert first == draw()
    for row in first:
        assert 0 not in row and len(row) <= 9
        if 2 in row:
            assert row.index(2) == len(row) - 1
    greedy = generate(model, prompt, max_new=4, temperature=0)
    assert greedy == generate(model, prompt, max_new=4, temperature=0)


def test_top_k_one_is_greedy():
    model = _model()
    prompt = torch.tensor([[5]])
    assert generate(model, prompt, max_new=5, top_k=1) == generate(
        model, prompt, max_new=5, temperature=0
    )


def test_a_tiny_model_learns_one_batch_by_heart():
    model = _model(dropout=0.0).train()
    ids = torch.tensor([[3, 4, 5, 6, 7, 2], [8, 9, 10, 11, 2, 0]])
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(150):
        optimizer.zero_grad()
        loss = lm_loss(model, ids)
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.05
    assert generate(model, torch.tensor([[3]]), max_new=5, temperature=0, stop_id=2) == [
        [3, 4, 5, 6, 7, 2]
    ]


def test_fit_lm_keeps_the_best_epoch_and_reports_perplexity():
    sequences = [[3, 4, 5, 6, 2], [3, 4, 5, 7, 2], [8, 9, 10, 2]] * 20
    model = _model()
    before = perplexity(model, sequences)
    history = fit_lm(model, sequences, sequences[:6], epochs=3, batch_size=8, lr=1e-2, amp=False)
    assert history.precision == "float32"
    assert [r.epoch for r in history.epochs] == [1, 2, 3]
    best = min(history.epochs, key=lambda r: r.val_perplexity)
    assert history.best_epoch == best.epoch
    assert perplexity(model, sequences[:6]) == pytest.approx(best.val_perplexity, rel=1e-5)
    assert perplexity(model, sequences) < before < 20 * 1.5
    assert math.isfinite(before)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="multiple of heads"):
        GPTConfig(vocab_size=10, dim=10, heads=3)
    with pytest.raises(ValueError, match="13 tokens is longer than the model's context of 12"):
        _model()(torch.ones(1, 13, dtype=torch.long))
    with pytest.raises(ValueError, match="two or more tokens"):
        perplexity(_model(), [[3], [4]])
    # one-token sequences among longer ones are skipped, in any batch
    assert perplexity(_model(), [[3], [4], [3, 4, 5]], batch_size=2) == pytest.approx(
        perplexity(_model(), [[3, 4, 5]])
    )
    with pytest.raises(ValueError, match="one of them is empty"):
        fit_lm(_model(), [[3, 4]], [], epochs=1)
    with pytest.raises(ValueError, match="dropout must be in"):
        GPTConfig(vocab_size=10, dropout=1.0)
    with pytest.raises(ValueError, match="temperature"):
        generate(_model(), torch.tensor([[1]]), max_new=1, temperature=-1)


def test_bpe_keeps_special_tokens_whole_and_decodes_back():
    pytest.importorskip("tokenizers")
    texts = ["i feel happy today", "i feel sad and tired", "we went to bali"] * 5
    tokenizer = train_bpe(texts, 60, special_tokens=["<joy>", "<sadness>"])
    assert [tokenizer.token_to_id(t) for t in (PAD, EOS, "<joy>", "<sadness>")] == [0, 1, 2, 3]
    ids = tokenizer.encode("i feel happy").ids
    assert tokenizer.decode(ids) == "i feel happy"
    assert len(ids) < len("i feel happy")
    with pytest.raises(ValueError, match="at least one text"):
        train_bpe([], 50)
