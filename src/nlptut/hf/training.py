"""Fine-tuning: the encoder and its head trained together, in one readable loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from nlptut.config import show_progress
from nlptut.hf.batches import HFCollator, _device_of, _token_lengths
from nlptut.precision import AmpSetting, check_amp, choose_precision
from nlptut.runtime import seed_everything
from nlptut.text import BucketBatchSampler
from nlptut.training import check_schedule, warmup_schedule

if TYPE_CHECKING:  # pragma: no cover - typing only
    pass


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
