"""The training engine: one readable loop, evaluation and metrics.

:func:`train` runs mini-batch training with AdamW, an optional learning-rate
schedule, gradient clipping, early stopping on validation macro-F1 and
automatic mixed precision (AMP) where the hardware runs it fast (see
:mod:`nlptut.precision`), and returns the per-epoch history.
:func:`evaluate` computes accuracy, macro-F1, a per-class report and a confusion
matrix with scikit-learn.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score
from torch import nn
from tqdm.auto import tqdm

from nlptut import distributed
from nlptut.config import show_progress
from nlptut.precision import AmpSetting, Precision, check_amp, choose_precision
from nlptut.runtime import BestEpoch, choose_device, seed_everything  # noqa: F401 - also here
from nlptut.text import EncodedDataset, Vocabulary, make_loader

UNK_ID = Vocabulary.unk_id  # the same in every vocabulary
_distributed = distributed  # the module, where a parameter named `distributed` hides it
_ONE_PROCESS = distributed.Context()

__all__ = [
    "TrainConfig",
    "EpochRecord",
    "TrainResult",
    "Metrics",
    "check_schedule",
    "amp_dtype",
    "train",
    "predict_logits",
    "evaluate",
    "classification_metrics",
]


def check_schedule(epochs: int, batch_size: int, lr: float, warmup: float) -> None:
    """Raise ``ValueError`` for settings that no training run can use.

    Shared by :class:`TrainConfig` and :class:`nlptut.hf.FinetuneConfig`:
    at least one epoch and one example per batch, a positive learning rate,
    and a warm-up fraction in ``[0, 1)``.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if not lr > 0.0:
        raise ValueError(f"lr must be positive, got {lr}")
    if not 0.0 <= warmup < 1.0:
        raise ValueError(f"warmup must be in [0, 1), got {warmup}")


@dataclass
class TrainConfig:
    """Settings of :func:`train`.

    Parameters
    ----------
    epochs : int
        Most passes over the training data.
    batch_size : int
        Examples per step.
    lr : float
        Peak learning rate of AdamW.
    weight_decay : float
        AdamW's decoupled weight decay.
    scheduler : {"linear", "cosine", None}
        Learning-rate schedule after a linear warm-up; ``None`` keeps ``lr``.
    warmup : float
        Fraction of all steps spent warming up (with a scheduler).
    max_grad_norm : float or None
        Clip the gradients' global norm to this; ``None`` turns clipping off.
    patience : int or None
        Stop after this many epochs without a better validation macro-F1;
        ``None`` trains all epochs. The best epoch's weights are restored.
    label_smoothing : float
        Label smoothing of the cross-entropy loss.
    word_dropout : float
        Probability of replacing each real token of a training batch with the
        unknown-word id, so that the model learns what to do with words it has
        never seen (and leans less on any single word).
    amp : {"auto", True, False}
        Mixed precision: run the forward pass under :func:`torch.autocast`.
        ``"auto"`` uses it only where the hardware computes in 16 bits natively
        (bfloat16 on such a CPU; on CUDA bfloat16, or float16 with a
        :class:`torch.amp.GradScaler`); ``True`` forces it, ``False`` keeps
        float32. See :func:`nlptut.precision.choose_precision`.
    fused : bool
        Use the fused AdamW, which updates each weight in one pass instead of
        several: much faster optimizer steps for large embedding tables (the
        ``nbow`` recipe's n-gram features), same maths up to rounding. Rounding
        differences change the training run, so a recipe's results hold for
        the setting it was tuned with. On a device without a fused AdamW the
        ordinary one runs.
    device : str
        ``"auto"`` (CUDA when available, else the CPU), ``"cpu"`` or ``"cuda"``.
    seed : int
        Seeds Python, NumPy and torch, and the batch order.
    bucket : bool
        Batch examples of similar length together to cut padding.
    progress : bool or None
        Show tqdm progress bars; ``None`` shows them only on a terminal.
    """

    epochs: int = 10
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.01
    scheduler: str | None = "linear"
    warmup: float = 0.05
    max_grad_norm: float | None = 1.0
    patience: int | None = 3
    label_smoothing: float = 0.0
    word_dropout: float = 0.0
    amp: AmpSetting = "auto"
    fused: bool = False
    device: str = "auto"
    seed: int = 0
    bucket: bool = True
    progress: bool | None = None

    def __post_init__(self) -> None:
        check_schedule(self.epochs, self.batch_size, self.lr, self.warmup)
        check_amp(self.amp)
        if not 0.0 <= self.word_dropout < 1.0:
            raise ValueError(f"word_dropout must be in [0, 1), got {self.word_dropout}")
        if self.scheduler not in (None, "linear", "cosine"):
            raise ValueError(
                f"scheduler must be 'linear', 'cosine' or None, got {self.scheduler!r}"
            )


@dataclass
class EpochRecord:
    """Metrics of one epoch (validation values are ``nan`` without validation data)."""

    epoch: int
    train_loss: float
    val_loss: float
    val_accuracy: float
    val_macro_f1: float
    lr: float
    seconds: float


@dataclass
class TrainResult:
    """What :func:`train` returns: the history and where the best epoch was."""

    history: list[EpochRecord]
    best_epoch: int
    best_val_macro_f1: float
    seconds: float
    device: str
    amp_dtype: str | None
    stopped_early: bool
    precision: str = "float32"
    """Why training ran in the format it did (:attr:`nlptut.precision.Precision.reason`)."""
    world_size: int = 1
    """How many processes trained together (see :mod:`nlptut.distributed`)."""
    backend: str | None = None
    """How they talked: ``"gloo"`` (CPU), ``"nccl"`` (CUDA) or ``None`` (one process)."""
    batch_size: int = 0
    """Texts per optimizer step, across all processes (the effective batch)."""
    lr: float = 0.0
    """The peak learning rate the run used."""

    @property
    def batch_per_process(self) -> int:
        """About how many texts of each batch one process computed."""
        return math.ceil(self.batch_size / max(self.world_size, 1))

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Metrics:
    """Classification metrics from scikit-learn.

    Attributes
    ----------
    accuracy, macro_f1 : float
    report : dict
        ``sklearn.metrics.classification_report(..., output_dict=True)``.
    confusion : list of list of int
        Rows are true labels, columns predictions, in ``labels`` order.
    labels : list of str
    loss : float
        Mean cross-entropy (``nan`` when not computed from logits).
    """

    accuracy: float
    macro_f1: float
    report: dict
    confusion: list[list[int]]
    labels: list[str]
    loss: float = float("nan")
    support: int = 0
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def top_confusions(self, n: int = 3) -> list[tuple[str, str, int]]:
        """The ``n`` most frequent mistakes as ``(true label, answer, count)``, most first.

        Read off the confusion matrix without its diagonal; ties keep the
        matrix's order (row by row). Pairs that never happened are left out.
        """
        cells = [
            (self.labels[i], self.labels[j], count)
            for i, row in enumerate(self.confusion)
            for j, count in enumerate(row)
            if i != j and count > 0
        ]
        return sorted(cells, key=lambda cell: -cell[2])[:n]

    def format_report(self) -> str:
        """Return a plain-text per-class table (precision, recall, F1, support)."""
        lines = [f"{'label':<12} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
        for name in self.labels:
            row = self.report[name]
            lines.append(
                f"{name:<12} {row['precision']:>9.3f} {row['recall']:>9.3f} "
                f"{row['f1-score']:>9.3f} {int(row['support']):>8d}"
            )
        lines.append(f"{'accuracy':<12} {self.accuracy:>9.3f}")
        lines.append(f"{'macro-F1':<12} {self.macro_f1:>9.3f}")
        return "\n".join(lines)


def amp_dtype(device: torch.device, amp: AmpSetting = True) -> torch.dtype | None:
    """Return the autocast dtype that ``amp`` chooses on ``device`` (``None``: float32).

    A shortcut for ``choose_precision(amp, device).dtype``; with the default
    ``amp=True``: bfloat16 on the CPU; on CUDA bfloat16 where the GPU has it
    natively, else float16.
    """
    return choose_precision(amp, device).dtype


def warmup_schedule(kind: str | None, warmup_steps: int, total_steps: int):
    """Return a learning-rate factor for :class:`torch.optim.lr_scheduler.LambdaLR`.

    The factor rises linearly from ``1 / warmup_steps`` to 1 over the first
    ``warmup_steps`` steps, then falls to 0 at ``total_steps``: linearly for
    ``kind="linear"``, along a half cosine for ``"cosine"``. ``kind=None`` keeps 1.
    """

    def factor(step: int) -> float:
        if kind is None:
            return 1.0
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
        if kind == "linear":
            return max(0.0, 1.0 - progress)
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))

    return factor


def _lr_lambda(config: TrainConfig, total_steps: int):
    warmup_steps = max(1, int(config.warmup * total_steps)) if config.scheduler else 0
    return warmup_schedule(config.scheduler, warmup_steps, total_steps)


def train(
    model: nn.Module,
    train_set: EncodedDataset,
    val_set: EncodedDataset | None = None,
    config: TrainConfig | None = None,
) -> TrainResult:
    """Train ``model`` on ``train_set``; keep the weights of the best validation epoch.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier called as ``model(ids, mask)`` that returns logits.
    train_set, val_set : EncodedDataset
        Encoded examples with labels. Without ``val_set`` there is no early
        stopping and the last epoch's weights are kept.
    config : TrainConfig, optional
        The settings; defaults to ``TrainConfig()``.

    Returns
    -------
    TrainResult
        The per-epoch history, the best epoch and the device it ran on.

    Notes
    -----
    Started by ``torchrun`` with several processes, every process calls
    ``train`` with the same arguments; they train one model together with
    :class:`~torch.nn.parallel.DistributedDataParallel`, each on its share of
    every batch, and all return the same weights (see :mod:`nlptut.distributed`).
    """
    config = config or TrainConfig()
    seed_everything(config.seed)
    device = choose_device(config.device)
    ctx = distributed.setup(device.type)
    if ctx.active and device.type == "cuda":
        device = torch.device("cuda", ctx.local_rank)  # one GPU per process
    model.to(device)
    precision = choose_precision(config.amp, device, model=getattr(model, "kind", None))
    scaler = torch.amp.GradScaler(device.type, enabled=precision.needs_scaler)

    loader = make_loader(
        train_set,
        batch_size=config.batch_size,
        shuffle=True,
        bucket=config.bucket,
        seed=config.seed,
    )
    # Several processes: each takes its share of every batch, and DDP averages
    # the gradients after the backward pass. `net` computes; `model` keeps the weights.
    loader = distributed.shard_loader(loader, ctx)
    net: nn.Module = model
    if ctx.active:
        net = nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )
    optimizer = torch.optim.AdamW(
        model.parameters(),
        lr=config.lr,
        weight_decay=config.weight_decay,
        fused=True if config.fused and device.type in ("cpu", "cuda") else None,
    )
    total_steps = config.epochs * len(loader)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(config, total_steps))
    show = show_progress(config.progress) and ctx.is_main

    history: list[EpochRecord] = []
    best = BestEpoch(start=-1.0)
    stale, stopped_early = 0, False
    start = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        epoch_start = time.perf_counter()
        net.train()
        total_loss, seen = 0.0, 0
        bar = tqdm(loader, desc=f"epoch {epoch}/{config.epochs}", leave=False, disable=not show)
        for batch in bar:
            batch = batch.to(device)
            optimizer.zero_grad(set_to_none=True)
            ids = batch.ids
            if config.word_dropout:
                drop = (torch.rand(ids.shape, device=device) < config.word_dropout) & batch.mask
                ids = ids.masked_fill(drop, UNK_ID)  # (batch, seq_len)
            with precision.autocast():
                logits = net(ids, batch.mask)  # (batch, classes)
                loss = F.cross_entropy(
                    logits.float(), batch.labels, label_smoothing=config.label_smoothing
                )
            scaler.scale(loss).backward()
            if config.max_grad_norm is not None:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            total_loss += loss.item() * len(batch)
            seen += len(batch)
            bar.set_postfix(loss=f"{total_loss / seen:.4f}")

        lr = optimizer.param_groups[0]["lr"]
        if ctx.active:  # the mean training loss over every process's examples
            sums = distributed.all_reduce_sum(torch.tensor([total_loss, float(seen)]), ctx)
            total_loss, seen = sums[0].item(), int(sums[1].item())
        if val_set is not None:
            metrics = evaluate(
                model,
                val_set,
                batch_size=config.batch_size * 4,
                device=device,
                amp=precision,
                distributed=ctx,
            )
            val_loss, val_acc, val_f1 = metrics.loss, metrics.accuracy, metrics.macro_f1
        else:
            val_loss = val_acc = val_f1 = float("nan")
        history.append(
            EpochRecord(
                epoch,
                total_loss / max(seen, 1),
                val_loss,
                val_acc,
                val_f1,
                lr,
                time.perf_counter() - epoch_start,
            )
        )
        if val_set is None:
            continue
        if best.offer(epoch, val_f1, model):
            stale = 0
        else:
            stale += 1
            if config.patience is not None and stale >= config.patience:
                stopped_early = epoch < config.epochs
                break

    best_epoch = best.epoch if best.restore(model) else len(history)
    model.eval()
    return TrainResult(
        history=history,
        best_epoch=best_epoch,
        best_val_macro_f1=best.score if best.score >= 0 else float("nan"),
        seconds=time.perf_counter() - start,
        device=str(device),
        amp_dtype=precision.name if precision.enabled else None,
        stopped_early=stopped_early,
        precision=precision.reason,
        world_size=ctx.world_size,
        backend=ctx.backend,
        batch_size=config.batch_size,
        lr=config.lr,
    )


@torch.no_grad()
def predict_logits(
    model: nn.Module,
    dataset: EncodedDataset,
    *,
    batch_size: int = 256,
    device: str | torch.device | None = None,
    amp: AmpSetting | Precision = False,
    distributed: distributed.Context | None = None,
) -> torch.Tensor:
    """Return the model's logits for every example, in the dataset's order.

    ``amp`` is an ``amp`` setting (see :mod:`nlptut.precision`; float32 by
    default, the most exact) or a :class:`~nlptut.precision.Precision` already chosen.
    With a ``distributed`` context of several processes, every process computes
    its share of each batch and the logits are gathered, so that all processes
    return all of them.

    Returns
    -------
    torch.Tensor
        ``(len(dataset), num_classes)`` float32 logits on the CPU.
    """
    if device is None:
        device = next(model.parameters()).device
    device = choose_device(device)
    model.eval()
    model.to(device)
    precision = (
        amp
        if isinstance(amp, Precision)
        else choose_precision(amp, device, model=getattr(model, "kind", None), phase="inference")
    )
    if len(dataset) == 0:
        raise ValueError("cannot predict on an empty dataset")
    ctx = distributed or _ONE_PROCESS
    loader = make_loader(dataset, batch_size=batch_size, shuffle=False, bucket=True)
    loader = _distributed.shard_loader(loader, ctx)  # every process gets at least one example
    out: torch.Tensor | None = None
    counts = torch.zeros(len(dataset))  # (n,): how many processes computed each example
    for batch in loader:
        batch = batch.to(device)
        with precision.autocast():
            logits = model(batch.ids, batch.mask).float().cpu()  # (batch, classes)
        if out is None:
            out = torch.zeros(len(dataset), logits.shape[1])
        index = batch.index.cpu()
        out[index] = logits
        counts[index] = 1.0
    assert out is not None  # a non-empty dataset gives every process a batch
    if ctx.active:  # add up the shares; an example padded onto two processes is averaged
        _distributed.all_reduce_sum(out, ctx)
        _distributed.all_reduce_sum(counts, ctx)
        out /= counts.unsqueeze(1)
    return out


def classification_metrics(
    y_true: Sequence[int],
    y_pred: Sequence[int],
    label_names: Sequence[str],
    *,
    loss: float = float("nan"),
) -> Metrics:
    """Compute accuracy, macro-F1, the per-class report and the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : sequence of int
        True and predicted label indices.
    label_names : sequence of str
        Names of the label indices ``0 .. len(label_names) - 1``.

    Notes
    -----
    Macro-F1 averages the F1 of the labels that occur in ``y_true`` or
    ``y_pred`` (scikit-learn's default): a label that neither the data nor the
    model ever names has no F1 to average, and counting it as 0 would make a
    perfect answer score below 1. The per-class report lists every label.
    """
    indices = list(range(len(label_names)))
    seen = sorted({int(i) for i in y_true} | {int(i) for i in y_pred}) or indices
    report = classification_report(
        y_true,
        y_pred,
        labels=indices,
        target_names=list(label_names),
        output_dict=True,
        zero_division=0,
    )
    return Metrics(
        accuracy=float(accuracy_score(y_true, y_pred)),
        macro_f1=float(f1_score(y_true, y_pred, labels=seen, average="macro", zero_division=0)),
        report=report,
        confusion=confusion_matrix(y_true, y_pred, labels=indices).tolist(),
        labels=list(label_names),
        loss=loss,
        support=len(y_true),
    )


def evaluate(
    model: nn.Module,
    dataset: EncodedDataset,
    label_names: Sequence[str] | None = None,
    *,
    batch_size: int = 256,
    device: str | torch.device | None = None,
    amp: AmpSetting | Precision = False,
    distributed: distributed.Context | None = None,
) -> Metrics:
    """Evaluate ``model`` on a labelled dataset.

    Parameters
    ----------
    model : torch.nn.Module
    dataset : EncodedDataset
        Encoded examples with labels.
    label_names : sequence of str, optional
        Names for the report; defaults to ``"0"``, ``"1"``, ...
    distributed : nlptut.distributed.Context, optional
        Share the work between the processes of a run (see :func:`predict_logits`).
    """
    logits = predict_logits(
        model, dataset, batch_size=batch_size, device=device, amp=amp, distributed=distributed
    )
    labels = torch.tensor([dataset[i][2] for i in range(len(dataset))])
    if label_names is None:
        label_names = [str(i) for i in range(logits.shape[1])]
    loss = F.cross_entropy(logits, labels).item()
    return classification_metrics(
        labels.tolist(), logits.argmax(1).tolist(), label_names, loss=loss
    )
