"""Tests for nlptut.models: shapes, padding invariance, overfitting, the registry."""

from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F

from nlptut.errors import UnknownName
from nlptut.models import (
    MODEL_NAMES,
    MODELS,
    NEURAL_MODELS,
    CNNConfig,
    PositionalEncoding,
    TransformerClassifier,
    build_model,
    config_from_dict,
    config_to_dict,
    count_parameters,
    make_config,
)

VOCAB = 50
CLASSES = 4

# Small sizes keep the tests fast; the architecture is the same as the defaults.
SMALL = {
    "nbow": {"embed_dim": 16, "hidden_dim": 16},
    "cnn": {"embed_dim": 16, "num_filters": 8},
    "lstm": {"embed_dim": 16, "hidden_dim": 16},
    "transformer": {"d_model": 16, "n_heads": 2, "ff_dim": 32, "max_len": 64},
}


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run fastest on one thread (and leave the other cores to others)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_model(name: str, **overrides) -> torch.nn.Module:
    torch.manual_seed(0)
    return build_model(name, VOCAB, CLASSES, **{**SMALL[name], **overrides})


def padded_batch(lengths: list[int], seq_len: int | None = None, seed: int = 0):
    """Random ids (never 0) padded with 0 on the right, and the mask."""
    generator = torch.Generator().manual_seed(seed)
    seq_len = seq_len or max(lengths)
    ids = torch.zeros(len(lengths), seq_len, dtype=torch.long)
    for row, length in enumerate(lengths):
        ids[row, :length] = torch.randint(2, VOCAB, (length,), generator=generator)
    return ids, ids != 0


@pytest.mark.parametrize("name", NEURAL_MODELS)
def test_forward_shape_and_finite(name):
    model = small_model(name)
    ids, mask = padded_batch([7, 1, 3, 1, 12])
    for mode in (model.train, model.eval):
        mode()
        logits = model(ids, mask)
        assert logits.shape == (5, CLASSES)
        assert torch.isfinite(logits).all()


@pytest.mark.parametrize("name", NEURAL_MODELS)
def test_extra_padding_does_not_change_logits(name):
    model = small_model(name).eval()
    ids, mask = padded_batch([6, 1, 3])
    more_ids, more_mask = padded_batch([6, 1, 3], seq_len=15)
    assert torch.equal(more_ids[:, :6], ids)
    with torch.no_grad():
        torch.testing.assert_close(model(more_ids, more_mask), model(ids, mask), atol=1e-5, rtol=0)
        # A row alone, without padding, also gets the same logits.
        torch.testing.assert_close(
            model(ids[1:2, :1], mask[1:2, :1]), model(ids, mask)[1:2], atol=1e-5, rtol=0
        )


@pytest.mark.parametrize("name", NEURAL_MODELS)
def test_overfits_a_tiny_batch(name):
    model = small_model(name, dropout=0.0)
    ids, mask = padded_batch([5, 9, 1, 3, 12, 2, 7, 4], seed=1)
    labels = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(100):
        loss = F.cross_entropy(model(ids, mask), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(ids, mask)
    assert F.cross_entropy(logits, labels).item() < 0.05
    assert torch.equal(logits.argmax(dim=1), labels)


@pytest.mark.parametrize("name", NEURAL_MODELS)
def test_pad_embedding_is_zero(name):
    model = build_model(name, VOCAB, CLASSES)
    assert torch.all(model.embedding.weight[0] == 0)


def test_registry_names():
    assert NEURAL_MODELS == ("nbow", "cnn", "lstm", "transformer")
    assert ("keywords", *NEURAL_MODELS) == MODEL_NAMES
    for name, (model_cls, config_cls) in MODELS.items():
        model = build_model(name, VOCAB, CLASSES)
        assert type(model) is model_cls
        assert type(model.config) is config_cls
        assert model.config.vocab_size == VOCAB and model.config.num_classes == CLASSES


def test_unknown_model_name_lists_choices():
    with pytest.raises(UnknownName, match="nbow, cnn, lstm, transformer"):
        build_model("gru", VOCAB, CLASSES)
    with pytest.raises(UnknownName, match="for_labels"):
        build_model("keywords", VOCAB, CLASSES)


def test_unknown_override_lists_settings():
    with pytest.raises(UnknownName, match="num_filters"):
        build_model("cnn", VOCAB, CLASSES, filters=10)
    with pytest.raises(UnknownName):
        make_config("nbow", VOCAB, CLASSES, embedding_dim=3)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="dropout"):
        make_config("lstm", VOCAB, CLASSES, dropout=1.5)
    with pytest.raises(ValueError, match="divisible"):
        make_config("transformer", VOCAB, CLASSES, d_model=10, n_heads=4)
    with pytest.raises(ValueError, match="pooling"):
        make_config("lstm", VOCAB, CLASSES, pooling="mean")


@pytest.mark.parametrize("name", NEURAL_MODELS)
def test_config_dict_round_trip(name):
    config = make_config(name, VOCAB, CLASSES, dropout=0.2)
    d = json.loads(json.dumps(config_to_dict(config)))
    assert config_from_dict(name, d) == config
    with pytest.raises(UnknownName):
        config_from_dict(name, {**d, "colour": "red"})


def test_cnn_kernel_sizes_from_a_list():
    assert CNNConfig(VOCAB, CLASSES, kernel_sizes=[3, 4]).kernel_sizes == (3, 4)


def test_count_parameters():
    model = small_model("nbow")
    expected = VOCAB * 16 + (16 * 16 + 16) + (16 * CLASSES + CLASSES)
    assert count_parameters(model) == expected
    for name in NEURAL_MODELS:
        assert count_parameters(build_model(name, VOCAB, CLASSES)) > 0


def test_lstm_pooling_options():
    ids, mask = padded_batch([4, 1, 6])
    for pooling in ("last", "both"):
        model = small_model("lstm", pooling=pooling).eval()
        assert model(ids, mask).shape == (3, CLASSES)


def test_attention_maps_match_forward():
    model = small_model("transformer", n_layers=3).eval()
    assert isinstance(model, TransformerClassifier)
    ids, mask = padded_batch([5, 1, 8])
    with torch.no_grad():
        logits, maps = model.forward_with_attention(ids, mask)
        torch.testing.assert_close(logits, model(ids, mask), atol=1e-5, rtol=1e-5)
    assert len(maps) == 3
    for weights in maps:
        assert weights.shape == (3, 2, 8, 8)  # (batch, heads, seq, seq)
        torch.testing.assert_close(weights.sum(-1), torch.ones(3, 2, 8))
        assert torch.all(weights[1, :, :, 1:] == 0)  # nobody attends to padding
    assert len(model.attention_maps(ids, mask)) == 3


def test_positional_encoding():
    encoding = PositionalEncoding(dim=6, max_len=10)
    out = encoding(torch.zeros(1, 4, 6))
    assert out.shape == (1, 4, 6)
    torch.testing.assert_close(out[0, 0], torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0, 1.0]))
    assert "pe" not in encoding.state_dict()  # recomputed, not saved
    with pytest.raises(ValueError, match="max_len"):
        encoding(torch.zeros(1, 11, 6))


@pytest.mark.parametrize("layers", [1, 2])
def test_bidirectional_lstm_equals_a_packed_sequence(layers: int):
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    from nlptut.models import bidirectional_lstm

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(6, 5, num_layers=layers, bidirectional=True, batch_first=True).eval()
    x = torch.randn(3, 7, 6)
    lengths = torch.tensor([7, 3, 1])
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    expected, _ = pad_packed_sequence(lstm(packed)[0], batch_first=True, total_length=7)
    got = bidirectional_lstm(lstm, x, lengths)
    for row, n in enumerate(lengths.tolist()):
        assert torch.allclose(got[row, :n], expected[row, :n], atol=1e-5)
