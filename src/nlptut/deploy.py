"""From a trained classifier to an application: ONNX export, ONNX Runtime, int8.

A checkpoint folder (:meth:`nlptut.classifier.TextClassifier.save`) needs
PyTorch and nlptut's model code to run. :func:`export_onnx` writes the network
as one ``.onnx`` file instead: the computation graph captured by
:func:`torch.export` and translated by ``torch.onnx.export(..., dynamo=True)``,
with the weights, and with the vocabulary and the label names stored in the
file's metadata, with the sha256 of the file's content, which is verified before
the file is loaded (a changed or damaged file is refused). :class:`OnnxClassifier`
runs such a file with `ONNX Runtime <https://onnxruntime.ai>`_ and answers like
:class:`~nlptut.classifier.TextClassifier` (``predict``, ``predict_proba``,
``score``); ``nlptut predict model.onnx "..."`` uses it. Predicting with an
exported file does not import PyTorch: the tokenizer and vocabulary
(:mod:`nlptut.vocab`), ONNX Runtime and NumPy are all it needs.

``quantize="int8"`` stores the weights of the matrix multiplications and the
embedding tables as 8-bit integers with ONNX Runtime's dynamic quantization
(:func:`onnxruntime.quantization.quantize_dynamic`): those weights take one
byte instead of four, and the activations are quantized on the fly at each call.
:func:`quantize_int8` does the same for a PyTorch model with torchao's
``quantize_`` (the maintained replacement of ``torch.ao.quantization``, which
PyTorch 2.13 deprecates).

The LSTM cannot be exported: :func:`torch.export` does not capture the packed
sequences it reads (:func:`torch.nn.utils.rnn.pack_padded_sequence`).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlptut import __version__
from nlptut.errors import NlptutError
from nlptut.fileio import replacing
from nlptut.prediction import Prediction, check_texts, from_probabilities
from nlptut.vocab import MAX_LEN_LIMIT, Vocabulary, too_long, valid_labels, valid_max_len

__all__ = [
    "EXPORTABLE",
    "check_export_target",
    "export_onnx",
    "OnnxClassifier",
    "load_classifier",
    "quantize_onnx",
    "quantize_int8",
]

EXPORTABLE = ("nbow", "cnn", "transformer")
"""The models :func:`export_onnx` can write."""

FORMAT = "nlptut-onnx"
_META_KEY = "nlptut"  # the metadata entry that holds labels, vocabulary and settings


def check_export_target(out: Path, *, force: bool) -> None:
    """Refuse an output path that is not an ``.onnx`` file nlptut may write."""
    if out.suffix != ".onnx":
        raise NlptutError(f"{out}: the output must be a file ending in .onnx")
    if out.is_dir():
        raise NlptutError(f"{out}: is a folder; give a file name ending in .onnx")
    if not out.parent.is_dir():
        raise NlptutError(f"{out.parent}: no such folder; create it first")
    if out.exists() or out.is_symlink():
        if not force:
            raise NlptutError(f"{out}: already exists; use --force (force=True) to replace it")
        if out.is_symlink() or not out.is_file() or _read_meta(out, quiet=True) is None:
            raise NlptutError(
                f"{out}: is not an ONNX model written by nlptut, so it is not replaced even "
                "with --force; choose another file name"
            )


@contextlib.contextmanager
def _quiet():
    """Silence the exporter's progress lines and warnings (they are not the reader's)."""
    names = ("", "torch.onnx", "torch.export", "onnxscript", "onnx_ir")  # "": ONNX Runtime's
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with (
            warnings.catch_warnings(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def export_onnx(
    classifier: Any,
    out: str | os.PathLike,
    *,
    quantize: str | None = None,
    force: bool = False,
) -> Path:
    """Write ``classifier`` as one ONNX file that :class:`OnnxClassifier` runs.

    Parameters
    ----------
    classifier : nlptut.classifier.TextClassifier
        A trained nbow, CNN or Transformer classifier.
    out : path
        The file to write, ending in ``.onnx``. It is written to a temporary
        file beside it and renamed into place, so a failure leaves no half file.
    quantize : {None, "int8"}
        ``"int8"``: store the weights as 8-bit integers (ONNX Runtime's dynamic
        quantization).
    force : bool
        Replace ``out`` if it is an ONNX model written by nlptut.

    Returns
    -------
    pathlib.Path
        ``out``.
    """
    import torch

    out = Path(out)
    if classifier.model_name not in EXPORTABLE:
        why = {
            "lstm": "the exporter fixes its batch size to the example's, and the graph fails "
            "on texts of other lengths",
            "minilm": "the exporter writes nlptut's own networks and vocabularies, not a "
            "Hugging Face encoder and tokenizer",
        }.get(classifier.model_name, "it is not a neural network")
        raise NlptutError(
            f"the {classifier.model_name} model cannot be exported to ONNX ({why}); "
            f"export one of {', '.join(EXPORTABLE)}"
        )
    if quantize not in (None, "int8"):
        raise NlptutError(f"unknown quantization {quantize!r}; use int8 or none")
    check_export_target(out, force=force)
    model = copy.deepcopy(classifier.model).cpu().eval()
    ids = torch.full((2, 8), 2, dtype=torch.long)  # (batch, seq_len): any tokens will do
    mask = torch.ones_like(ids, dtype=torch.bool)  # (batch, seq_len)
    mask[1, 5:] = False  # a padded row, so the graph covers masking
    ids[~mask] = 0
    batch, length = torch.export.Dim("batch"), torch.export.Dim("seq_len")
    meta = {
        "format": FORMAT,
        "nlptut_version": __version__,
        "model": classifier.model_name,
        "labels": list(classifier.labels),
        "max_len": classifier.max_len,
        "quantized": quantize,
        "vocab": classifier.vocab.to_dict(),
    }
    with _quiet(), torch.no_grad():
        program = torch.onnx.export(
            model,
            (ids, mask),
            dynamo=True,
            input_names=["ids", "mask"],
            output_names=["logits"],
            dynamic_shapes=({0: batch, 1: length}, {0: batch, 1: length}),
        )
        proto = program.model_proto
    return _write(proto, meta, out)


def quantize_onnx(
    source: str | os.PathLike, out: str | os.PathLike, *, force: bool = False
) -> Path:
    """Write an int8 copy of a file from :func:`export_onnx` (ONNX Runtime's dynamic
    quantization), without exporting the model again.

    The same as ``export_onnx(..., quantize="int8")``, starting from the file.
    """
    import onnx

    source, out = Path(source), Path(out)
    meta = _verified_meta(source)
    if meta.get("quantized"):
        raise NlptutError(f"{source}: is already quantized ({meta['quantized']})")
    check_export_target(out, force=force)
    return _write(onnx.load_model(source), meta | {"quantized": "int8"}, out)


def _write(proto: Any, meta: dict, out: Path) -> Path:
    """Save ``proto`` with ``meta`` to ``out`` atomically, int8 if ``meta`` says so."""
    import onnx

    with replacing(out) as tmp:
        if meta.get("quantized") == "int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            with _quiet():
                onnx.save_model(proto, tmp)
                quantize_dynamic(tmp, tmp, weight_type=QuantType.QInt8)
            proto = onnx.load_model(tmp)
        _seal(proto, meta)
        onnx.save_model(proto, tmp)
    return out


def _content_digest(proto: Any, meta: dict) -> str:
    """The sha256 of what a file holds: its metadata (but this digest), the graph's
    operations and every weight's values (external data included)."""
    import hashlib

    from onnx import numpy_helper

    digest = hashlib.sha256()
    settings = {key: value for key, value in meta.items() if key != "sha256"}
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    for node in proto.graph.node:
        digest.update(f"\x00{node.op_type}\x1f{list(node.input)}\x1f{list(node.output)}".encode())
        for attribute in node.attribute:
            digest.update(attribute.SerializeToString(deterministic=True))
    for tensor in proto.graph.initializer:
        values = numpy_helper.to_array(tensor)
        digest.update(f"\x00{tensor.name}\x1f{values.dtype}\x1f{values.shape}".encode())
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()


def _seal(proto: Any, meta: dict) -> None:
    """Store ``meta`` in ``proto``'s metadata with the digest of the whole content."""
    meta = {**meta, "sha256": _content_digest(proto, meta)}
    del proto.metadata_props[:]
    entry = proto.metadata_props.add()
    entry.key, entry.value = _META_KEY, json.dumps(meta, ensure_ascii=False)


def _verified_meta(path: Path) -> dict:
    """The metadata of an export, after checking the file against its digest and
    the metadata's values; a one-line :class:`NlptutError` otherwise."""
    import onnx

    meta = _read_meta(path)
    again = "export the checkpoint again with 'nlptut export'"
    if "sha256" not in meta:
        raise NlptutError(f"{path}: has no sha256 of its content (an older export?); {again}")
    try:
        proto = onnx.load_model(path)  # with its external data, if any
        digest = _content_digest(proto, meta)
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways
        raise NlptutError(f"{path}: cannot be read whole ({type(exc).__name__}); {again}") from None
    if digest != meta["sha256"]:
        raise NlptutError(
            f"{path}: sha256 of its content differs from the one recorded at export "
            f"(the file was changed or damaged); {again}"
        )
    if not valid_labels(meta.get("labels")):
        raise NlptutError(f"{path}: its metadata's 'labels' must list two or more different names")
    if not valid_max_len(meta.get("max_len")):
        raise NlptutError(
            f"{path}: its metadata's 'max_len' must be a whole number from 1 to {MAX_LEN_LIMIT}"
        )
    if meta.get("model") not in EXPORTABLE or meta.get("quantized") not in (None, "int8"):
        raise NlptutError(f"{path}: its metadata names an unknown model or quantization")
    return meta


def _read_meta(path: Path, *, quiet: bool = False) -> dict | None:
    """The nlptut metadata of an ONNX file (``None`` with ``quiet`` when it has none)."""
    import onnx

    try:
        proto = onnx.load_model(path, load_external_data=False)
        entries = {p.key: p.value for p in proto.metadata_props}
        meta = json.loads(entries[_META_KEY])
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError("not an nlptut export")
        return meta
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same answer
        if quiet:
            return None
        raise NlptutError(
            f"{path}: not an ONNX model written by 'nlptut export' ({type(exc).__name__}); "
            "export a checkpoint with 'nlptut export DIR --format onnx --out FILE'"
        ) from None


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


class OnnxClassifier:
    """A classifier exported by :func:`export_onnx`, run by ONNX Runtime.

    Answers like :class:`~nlptut.classifier.TextClassifier`: :meth:`predict`,
    :meth:`predict_proba` and :meth:`score`.

    Parameters
    ----------
    path : path
        The ``.onnx`` file.
    threads : int, optional
        ONNX Runtime's threads within an operation (default: its own choice,
        one per core).
    """

    def __init__(self, path: str | os.PathLike, *, threads: int | None = None) -> None:
        import onnxruntime as ort

        self.path = Path(path)
        if not self.path.is_file():
            raise NlptutError(f"{self.path}: no such file; give an .onnx file from 'nlptut export'")
        meta = _verified_meta(self.path)
        try:
            self.vocab = Vocabulary.from_dict(meta["vocab"])
            self.labels = [str(label) for label in meta["labels"]]
            self.max_len = int(meta["max_len"])
            self.model_name = str(meta["model"])
        except (KeyError, TypeError, ValueError) as exc:
            raise NlptutError(f"{self.path}: its nlptut metadata is damaged ({exc})") from None
        self.quantized = meta.get("quantized")
        options = ort.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3  # errors only
        try:
            self.session = ort.InferenceSession(
                str(self.path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # noqa: BLE001 - ONNX Runtime raises its own types
            raise NlptutError(f"{self.path}: ONNX Runtime cannot load it ({exc})") from None
        outputs = self.session.get_outputs()[0].shape
        if outputs[-1] != len(self.labels):
            raise NlptutError(
                f"{self.path}: the model gives {outputs[-1]} scores but its metadata names "
                f"{len(self.labels)} labels; the file is damaged"
            )

    @property
    def is_neural(self) -> bool:
        return True

    def too_long(self, texts: Sequence[str]) -> list[int]:
        """The positions of the texts longer than the model reads (``max_len`` tokens)."""
        return too_long(check_texts(texts), self.max_len)

    def logits(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Return the raw scores ``(len(texts), len(labels))`` as float32."""
        texts = check_texts(texts)
        encoded = [self.vocab.encode(t, max_len=self.max_len) or [self.vocab.unk_id] for t in texts]
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))  # less padding
        out = np.empty((len(encoded), len(self.labels)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encoded[i]) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)  # (batch, seq_len), 0 = padding
            mask = np.zeros_like(ids, dtype=bool)  # (batch, seq_len), True at real tokens
            for r, i in enumerate(rows):
                ids[r, : len(encoded[i])] = encoded[i]
                mask[r, : len(encoded[i])] = True
            (scores,) = self.session.run(["logits"], {"ids": ids, "mask": mask})
            if not np.isfinite(scores).all():
                bad = rows[int(np.argwhere(~np.isfinite(scores))[0][0])]
                raise NlptutError(
                    f"{self.path}: the model's scores for text {bad + 1} are not numbers "
                    "(nan or infinite), so no label can be chosen; the file is damaged: "
                    "export the checkpoint again"
                )
            out[rows] = scores
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the class probabilities, ``(len(texts), len(labels))``."""
        return _softmax(self.logits(texts))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Predict each text's label, with every label's probability."""
        texts = check_texts(texts)
        return from_probabilities(texts, self.labels, self.predict_proba(texts))

    def score(self, texts: Sequence[str], labels: Sequence[str]):
        """Accuracy, macro-F1 and the per-class report on labelled texts (label names)."""
        from nlptut.classifier import score_texts

        return score_texts(self, texts, labels)

    def evaluate(self, data: Any, split: str = "test"):
        """Score the classifier on one split of a :class:`~nlptut.datasets.LabelledData`."""
        part = data[split]
        return self.score(part.texts, [data.labels[i] for i in part.labels])


def load_classifier(path: str | os.PathLike):
    """Deprecated: use :func:`nlptut.predictor.load_classifier` (or
    :func:`nlptut.predictor.load`), which this calls. Kept for one release so
    that downloaded notebooks keep working."""
    warnings.warn(
        "nlptut.deploy.load_classifier moved to nlptut.predictor.load_classifier; "
        "nlptut.predictor.load opens every kind of model",
        DeprecationWarning,
        stacklevel=2,
    )
    from nlptut.predictor import load_classifier as load

    return load(path)


def quantize_int8(model: Any) -> Any:
    """Return a copy of ``model`` whose linear layers compute in int8 (torchao).

    Weights are stored as 8-bit integers, one scale per output row; each call
    quantizes the inputs on the fly (dynamic quantization), multiplies in
    integers and scales back to floats. Uses torchao's ``quantize_`` with
    ``Int8DynamicActivationInt8WeightConfig``, the path PyTorch points to now
    that ``torch.ao.quantization.quantize_dynamic`` is deprecated. Only
    :class:`torch.nn.Linear` layers change; embeddings and convolutions stay
    in float32.
    """
    # torchao reports optional GPU kernels it cannot load on a CPU machine: not news.
    for name in ("torchao", "torch.utils._pytree"):
        logging.getLogger(name).setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_

        quantized = copy.deepcopy(model).cpu().eval()
        quantize_(quantized, Int8DynamicActivationInt8WeightConfig())
    return quantized
