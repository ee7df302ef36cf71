"""A fine-tuned pretrained Transformer as an nlptut checkpoint: ``nlptut train --model minilm``.

:class:`FinetunedClassifier` fine-tunes all-MiniLM-L6-v2 (the offline weights
of :func:`nlptut.hf.minilm_path`) with a classification head on any labelled
data that :func:`nlptut.datasets.load_dataset` reads, keeps the epoch with the
best validation macro-F1, and saves a checkpoint folder with the same contract
as :class:`nlptut.classifier.TextClassifier`: a verified manifest
(``config.json``), the weights (``model.safetensors``, encoder and head) and the
tokenizer (``tokenizer.json``), written atomically; ``evaluate``, ``predict``
and ``load`` work in a new process without the network. Load any checkpoint
with :func:`nlptut.predictor.load`.

With a few hundred labelled texts this is the model to start from: the encoder
has already learned English from a billion sentence pairs, so the data only
has to teach the head and nudge the encoder (see the gallery page "Your own
data").

Examples
--------
>>> from nlptut.datasets import load_dataset  # doctest: +SKIP
>>> clf, result = FinetunedClassifier.fit(load_dataset("dair-emotion"))  # doctest: +SKIP
>>> clf.predict(["We went to Bali for holiday. It was fantastic!"])[0].label  # doctest: +SKIP
'joy'
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from nlptut import __version__, checkpoint, distributed
from nlptut.classifier import score_texts
from nlptut.datasets import LabelledData
from nlptut.errors import CheckpointError, NlptutError, SettingError
from nlptut.hf import (
    MINILM_NAME,
    FinetuneConfig,
    PretrainedClassifier,
    finetune,
    load_tokenizer,
    predict_texts,
)
from nlptut.prediction import Prediction, check_texts, from_probabilities
from nlptut.runtime import BestEpoch, choose_device
from nlptut.training import EpochRecord, Metrics, TrainResult

__all__ = ["MINILM_RECIPE", "FinetunedClassifier"]

MODEL_NAME = "minilm"

MINILM_RECIPE = FinetuneConfig(epochs=2, batch_size=16, lr=1e-4, warmup=0.1, max_length=64)
"""The default settings of ``nlptut train --model minilm``: two epochs at a peak
learning rate of 1e-4 (the fine-tuning page runs one epoch at 3e-4 to fit its
time budget; two gentler epochs suit a command that may take minutes), batches
of 16, texts cut at 64 tokens. ``--epochs`` and ``--max-len`` change them."""

_WEIGHTS, _TOKENIZER = "model.safetensors", "tokenizer.json"
_PREDICT_BATCH = 64


def _transformers() -> Any:
    from nlptut.hf import import_transformers as load

    return load()


class FinetunedClassifier:
    """A fine-tuned MiniLM with its tokenizer and label names, used like a
    :class:`~nlptut.classifier.TextClassifier`.

    Parameters
    ----------
    labels : sequence of str
        Label names, in the order of the model's outputs.
    model : PretrainedClassifier
        Encoder and head (:class:`nlptut.hf.PretrainedClassifier`).
    tokenizer : transformers.PreTrainedTokenizerFast
    max_len : int
        Texts are cut to this many tokens, special tokens included.
    info : dict, optional
        Free-form facts saved with the checkpoint (dataset, history, metrics).
    """

    model_name = MODEL_NAME
    is_neural = True

    def __init__(
        self,
        labels: Sequence[str],
        model: PretrainedClassifier,
        tokenizer: Any,
        *,
        max_len: int = 64,
        info: dict | None = None,
    ) -> None:
        self.labels = list(labels)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_len = max_len
        self.info = dict(info or {})

    # -- training -------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        data: LabelledData,
        *,
        config: FinetuneConfig | None = None,
        device: str = "auto",
        **overrides: Any,
    ) -> tuple[FinetunedClassifier, TrainResult]:
        """Fine-tune MiniLM on ``data``'s train split; keep the epoch best on validation.

        Parameters
        ----------
        data : LabelledData
            From :func:`nlptut.datasets.load_dataset`.
        config : FinetuneConfig, optional
            Defaults to :data:`MINILM_RECIPE`.
        device : str
            ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``.
        **overrides
            Fields of :class:`~nlptut.hf.FinetuneConfig` to change, such as
            ``epochs=1``, ``seed=1``, ``amp=False`` or ``max_length=128``.

        Returns
        -------
        classifier : FinetunedClassifier
        result : TrainResult
            One :class:`~nlptut.training.EpochRecord` per epoch; validation
            values are ``nan`` when the data has no validation split.

        Raises
        ------
        NlptutError
            Under ``torchrun`` with several processes (fine-tuning here runs in one).
        """
        if distributed.launched():
            raise NlptutError(
                "--model minilm fine-tunes in one process; run 'nlptut train' without torchrun"
            )
        config = dataclasses.replace(config or MINILM_RECIPE, **overrides)
        torch_device = choose_device(device)
        tokenizer = load_tokenizer()
        torch.manual_seed(config.seed)  # the head's first weights
        model = PretrainedClassifier.from_pretrained(num_classes=len(data.labels)).to(torch_device)
        _check_max_len(config.max_length, model, "max_length")
        train_split, val_split = data["train"], data["validation"]
        clf = cls(data.labels, model, tokenizer, max_len=config.max_length)
        history: list[EpochRecord] = []
        best = BestEpoch(start=-1.0)
        clock = {"epoch_start": time.perf_counter(), "steps": 0}

        def on_epoch(epoch: int, run: Any) -> None:
            steps = run.loss[clock["steps"] :]
            clock["steps"] = run.steps
            if len(val_split):
                metrics = clf.evaluate(data, "validation")
                val = (metrics.loss, metrics.accuracy, metrics.macro_f1)
            else:
                val = (float("nan"),) * 3
            history.append(
                EpochRecord(
                    epoch,
                    float(np.mean(steps)) if steps else float("nan"),
                    *val,
                    run.lr[-1] if run.lr else config.lr,
                    time.perf_counter() - clock["epoch_start"],
                )
            )
            best.offer(epoch, val[2], model, always=not len(val_split))
            clock["epoch_start"] = time.perf_counter()

        run = finetune(
            model,
            tokenizer,
            train_split.texts,
            train_split.labels,
            config,
            on_epoch=on_epoch,
        )
        best.restore(model)
        model.cpu().eval()
        clf.info = {
            "dataset": data.name,
            "language": data.language,
            "pretrained": MINILM_NAME,
            "train": dataclasses.asdict(config),
            "history": [dataclasses.asdict(r) for r in history],
            "best_epoch": best.epoch,
            "precision": run.precision,
            "training_texts_cut": len(clf.too_long(train_split.texts)),
        }
        result = TrainResult(
            history=history,
            best_epoch=best.epoch,
            best_val_macro_f1=best.score if len(val_split) else float("nan"),
            seconds=run.seconds,
            device=str(torch_device),
            amp_dtype=run.amp_dtype,
            stopped_early=False,
            precision=run.precision,
            batch_size=config.batch_size,
            lr=config.lr,
        )
        return clf, result

    # -- prediction -----------------------------------------------------------
    def too_long(self, texts: Sequence[str]) -> list[int]:
        """The positions of the texts longer than the model reads (``max_len`` tokens)."""
        texts = check_texts(texts)
        if not texts:
            return []
        ids = self.tokenizer(list(texts), truncation=False)["input_ids"]
        return [i for i, x in enumerate(ids) if len(x) > self.max_len]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the class probabilities, ``(len(texts), len(labels))``."""
        texts = check_texts(texts)
        logits = predict_texts(
            texts,
            self.model,
            self.tokenizer,
            batch_size=_PREDICT_BATCH,
            max_length=self.max_len,
            progress=False,
        )
        return torch.softmax(logits, dim=-1).numpy()

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Predict the label of each text, with every label's probability."""
        texts = check_texts(texts)
        return from_probabilities(texts, self.labels, self.predict_proba(texts))

    def evaluate(self, data: LabelledData, split: str = "test") -> Metrics:
        """Score the classifier on one split of ``data`` (labels matched by name)."""
        part = data[split]
        return self.score(part.texts, [data.labels[i] for i in part.labels])

    def score(self, texts: Sequence[str], labels: Sequence[str]) -> Metrics:
        """Score the classifier on ``texts`` whose true labels are the names ``labels``."""
        return score_texts(self, texts, labels)

    # -- checkpoints ----------------------------------------------------------
    def save(self, directory: str | os.PathLike, *, force: bool = False) -> Path:
        """Write the checkpoint folder ``directory`` atomically (as
        :meth:`nlptut.classifier.TextClassifier.save`)."""

        def fill(tmp: Path) -> tuple[dict, list[str]]:
            state = {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()}
            save_file(state, tmp / _WEIGHTS)
            self.tokenizer.backend_tokenizer.save(str(tmp / _TOKENIZER))
            config = {
                "nlptut_version": __version__,
                "model": MODEL_NAME,
                "model_config": {
                    "encoder": self.model.encoder.config.to_dict(),
                    "num_classes": len(self.labels),
                    "dropout": self.model.dropout.p,
                    "special_tokens": dict(self.tokenizer.special_tokens_map),
                },
                "labels": self.labels,
                "max_len": self.max_len,
                "info": self.info,
            }
            return config, [_WEIGHTS, _TOKENIZER]

        return checkpoint.write(Path(directory), force=force, fill=fill)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> FinetunedClassifier:
        """Load a folder written by :meth:`save`, verifying every file first.

        Raises
        ------
        CheckpointError
            With a one-line message, for a folder that is missing, damaged,
            edited, or whose files do not fit together.
        """
        from nlptut.classifier import manifest_fields

        folder = Path(directory)
        config = checkpoint.read_manifest(folder)
        where = folder / checkpoint.MANIFEST
        _, labels, max_len, info = manifest_fields(config, where, known=(MODEL_NAME,))
        checkpoint.require_files(config, where, {_WEIGHTS, _TOKENIZER}, MODEL_NAME)
        transformers = _transformers()
        settings = config.get("model_config")
        try:
            if not isinstance(settings, dict):
                raise TypeError("'model_config' must be a JSON object")
            encoder_config = transformers.AutoConfig.for_model(**settings["encoder"])
            num_classes, dropout = int(settings["num_classes"]), float(settings["dropout"])
            special = dict(settings["special_tokens"])
        except (TypeError, ValueError, KeyError) as exc:
            raise CheckpointError(f"{where}: invalid model_config ({exc})") from None
        if num_classes != len(labels):
            raise CheckpointError(
                f"{folder}: the model has {num_classes} outputs but the checkpoint lists "
                f"{len(labels)} labels; the files do not belong together"
            )
        try:
            model = PretrainedClassifier(
                transformers.AutoModel.from_config(encoder_config), num_classes, dropout=dropout
            )
        except Exception as exc:  # noqa: BLE001 - transformers and torch raise many types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CheckpointError(
                f"{where}: the model_config describes no model that can be built ({first})"
            ) from None
        try:
            model.load_state_dict(load_file(folder / _WEIGHTS))
        except Exception as exc:  # noqa: BLE001 - includes safetensors' own SafetensorError
            first = str(exc).strip().splitlines()[0]
            raise CheckpointError(
                f"{folder / _WEIGHTS}: the weights do not fit the model in config.json ({first})"
            ) from None
        try:
            _check_max_len(max_len, model, "max_len")
        except SettingError as exc:
            raise CheckpointError(f"{where}: {exc}") from None
        try:
            tokenizer = transformers.PreTrainedTokenizerFast(
                tokenizer_file=str(folder / _TOKENIZER), **special
            )
        except Exception as exc:  # the tokenizers library raises its own Exception type
            raise CheckpointError(f"{folder / _TOKENIZER}: not a valid tokenizer ({exc})") from None
        return cls(labels, model, tokenizer, max_len=max_len, info=info)


def is_finetuned_checkpoint(folder: str | os.PathLike) -> bool:
    """True when ``folder``'s manifest names the ``minilm`` model (read without verifying)."""
    return checkpoint.model_name(folder) == MODEL_NAME


def _check_max_len(max_len: int, model: PretrainedClassifier, name: str) -> None:
    """Refuse more tokens per text than the encoder has positions for."""
    limit = int(model.encoder.config.max_position_embeddings)
    if isinstance(max_len, bool) or not isinstance(max_len, int) or not 1 <= max_len <= limit:
        raise SettingError(
            f"{name} must be a whole number from 1 to {limit} (MiniLM reads at most {limit} "
            f"tokens of a text), got {max_len!r}; use --max-len {limit} or less"
        )
