"""The models by name: building one, its config, and saving the config as plain values."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from torch import nn

from nlptut.errors import UnknownName
from nlptut.models.cnn import CNNClassifier, CNNConfig
from nlptut.models.lstm import LSTMClassifier, LSTMConfig
from nlptut.models.nbow import NBoWClassifier, NBoWConfig
from nlptut.models.transformer import TransformerClassifier, TransformerConfig

MODELS: dict[str, tuple[type[nn.Module], type]] = {
    "nbow": (NBoWClassifier, NBoWConfig),
    "cnn": (CNNClassifier, CNNConfig),
    "lstm": (LSTMClassifier, LSTMConfig),
    "transformer": (TransformerClassifier, TransformerConfig),
}
"""The neural models by name: ``name -> (model class, config class)``."""

NEURAL_MODELS: tuple[str, ...] = tuple(MODELS)
"""Names of the neural models, simplest first."""

MODEL_NAMES: tuple[str, ...] = ("keywords", *NEURAL_MODELS)
"""Names of all models, the keyword rules (:mod:`nlptut.keywords`) first."""


def _lookup(name: str) -> tuple[type[nn.Module], type]:
    if name in MODELS:
        return MODELS[name]
    if name == "keywords":
        raise UnknownName(
            "'keywords' is the rule baseline, not a neural network: build it with "
            "nlptut.keywords.for_labels(labels, language); neural models: "
            + ", ".join(NEURAL_MODELS)
        )
    raise UnknownName(f"unknown model {name!r}; choose one of: {', '.join(NEURAL_MODELS)}")


def _check_keys(name: str, config_cls: type, keys: Any, fixed: tuple[str, ...] = ()) -> None:
    allowed = [f.name for f in dataclasses.fields(config_cls) if f.name not in fixed]
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise UnknownName(
            f"model {name!r} has no setting {', '.join(map(repr, unknown))}; "
            f"its settings are: {', '.join(allowed)}"
        )


def make_config(name: str, vocab_size: int, num_classes: int, **overrides: Any) -> Any:
    """Return the default config of model ``name``, with ``overrides`` applied.

    Parameters
    ----------
    name : str
        One of :data:`NEURAL_MODELS`.
    vocab_size : int
        Number of token ids.
    num_classes : int
        Number of labels.
    **overrides
        Other settings of that model's config, e.g. ``embed_dim=64``.

    Returns
    -------
    NBoWConfig, CNNConfig, LSTMConfig or TransformerConfig

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or an override is not one of its settings.
    ValueError
        If a setting is out of range (say a negative size).
    """
    _, config_cls = _lookup(name)
    _check_keys(name, config_cls, overrides, fixed=("vocab_size", "num_classes"))
    return config_cls(vocab_size=vocab_size, num_classes=num_classes, **overrides)


def build_model(name: str, vocab_size: int, num_classes: int, **overrides: Any) -> nn.Module:
    """Build the neural model ``name`` with default settings, or ``overrides``.

    Parameters
    ----------
    name : str
        One of :data:`NEURAL_MODELS`: ``"nbow"``, ``"cnn"``, ``"lstm"``, ``"transformer"``.
    vocab_size : int
        Number of token ids (``len(vocabulary)``).
    num_classes : int
        Number of labels.
    **overrides
        Settings to change, see the model's config class.

    Returns
    -------
    torch.nn.Module
        A freshly initialised model; its settings are in ``model.config``.

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or an override is not one of its settings.

    Examples
    --------
    >>> model = build_model("cnn", vocab_size=1000, num_classes=6, num_filters=50)
    >>> model.config.kernel_sizes
    (2, 3, 4, 5)
    """
    model_cls, _ = _lookup(name)
    return model_cls(make_config(name, vocab_size, num_classes, **overrides))


def config_to_dict(config: Any) -> dict[str, Any]:
    """Return a config's settings as a plain dict (JSON-ready: tuples become lists)."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in dataclasses.asdict(config).items()
    }


def config_from_dict(name: str, d: Mapping[str, Any]) -> Any:
    """Rebuild the config of model ``name`` from :func:`config_to_dict`'s dict.

    Raises
    ------
    UnknownName
        If ``name`` is not a neural model, or ``d`` holds a key that is not one
        of its settings.
    ValueError
        If ``d`` lacks ``vocab_size`` or ``num_classes``.
    """
    _, config_cls = _lookup(name)
    _check_keys(name, config_cls, d)
    missing = [key for key in ("vocab_size", "num_classes") if key not in d]
    if missing:
        raise ValueError(f"the {name!r} config lacks {', '.join(missing)}")
    return config_cls(**d)


def count_parameters(model: nn.Module, *, trainable_only: bool = True) -> int:
    """Return the number of (trainable, by default) parameters of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
