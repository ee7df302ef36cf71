"""A text classifier you can train, evaluate, save, load and ask for predictions.

:class:`TextClassifier` ties the pieces together: a vocabulary, a model (one of
the neural models in :mod:`nlptut.models` or the keyword rules of
:mod:`nlptut.keywords`), the label names and the settings it was trained with.

A checkpoint is a folder::

    config.json          model name and config, labels, settings, sha256 of each
                         file and of config.json's own content
    model.safetensors    the weights (neural models)
    vocab.json           the vocabulary (neural models)
    keywords.json        the lexicon (keyword model)

:meth:`TextClassifier.save` writes it atomically (into a temporary folder that
is renamed into place) and :meth:`TextClassifier.load` verifies the manifest
and every file's sha256 before it reads the weights, reading only regular
files inside the folder, so a missing, mismatched, tampered or redirected file
gives a clear :class:`~nlptut.errors.CheckpointError` (see
:mod:`nlptut.checkpoint`).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file, save_file

from nlptut import __version__, buildcache, checkpoint
from nlptut.datasets import LabelledData
from nlptut.errors import CheckpointError, NlptutError, SettingError, UnknownName
from nlptut.keywords import KeywordClassifier, for_labels
from nlptut.models import MODEL_NAMES, build_model, config_from_dict, config_to_dict
from nlptut.prediction import Prediction, check_texts
from nlptut.text import EncodedDataset, Vocabulary
from nlptut.training import (
    EpochRecord,
    Metrics,
    TrainConfig,
    TrainResult,
    classification_metrics,
    predict_logits,
    train,
)
from nlptut.vocab import MAX_LEN_LIMIT, too_long, valid_labels, valid_max_len

__all__ = [
    "Prediction",
    "ModelRecipe",
    "RECIPES",
    "BAG_MODELS",
    "MAX_LEN_LIMIT",
    "TextClassifier",
    "check_target",
]

CHECKPOINT_FORMAT = checkpoint.FORMAT
CHECKPOINT_VERSION = checkpoint.VERSION


@dataclass
class ModelRecipe:
    """Everything but the data that decides how a model is trained.

    Attributes
    ----------
    train : TrainConfig
        The training settings.
    min_freq : int
        Words seen fewer times in the training split map to ``<unk>``.
    max_len : int
        Texts are cut to this many tokens.
    model : dict
        Overrides of the model's config.
    char_ngrams : (int, int) or None
        Add the character n-grams of each word, ``min_n`` to ``max_n`` long, as
        features (see :meth:`nlptut.text.Vocabulary.build`). Only for ``nbow``,
        the model that reads its input as a bag.
    word_bigrams : bool
        Add the pairs of neighbouring words as features (``nbow`` only).
    """

    train: TrainConfig = field(default_factory=TrainConfig)
    min_freq: int = 2
    max_len: int = 64
    model: dict = field(default_factory=dict)
    char_ngrams: tuple[int, int] | None = None
    word_bigrams: bool = False

    def check(self, model: str) -> None:
        """Raise ``ValueError`` if this recipe cannot train ``model``."""
        if (self.char_ngrams or self.word_bigrams) and model not in BAG_MODELS:
            raise ValueError(
                f"n-gram features (char_ngrams, word_bigrams) are only for the bag models "
                f"({', '.join(BAG_MODELS)}): {model} reads its words in order; "
                "set char_ngrams=None and word_bigrams=False in its recipe"
            )


BAG_MODELS = ("nbow",)
"""The models that ignore word order, and so may take n-gram features as extra 'words'."""


# The defaults with which each model reaches its best result (see benchmarks/).
RECIPES: dict[str, ModelRecipe] = {
    # fastText-style: words, their character 1- to 6-grams and word pairs, averaged
    # by a linear layer. The subword pieces read spellings the training words lack;
    # without a hidden layer, which overfit the 3,500 EmoT tweets. min_freq 3 had the
    # best validation macro-F1 averaged over dair-emotion and indonlu-emot.
    "nbow": ModelRecipe(
        TrainConfig(epochs=20, lr=5e-3, batch_size=32, patience=4, fused=True),
        min_freq=3,
        model={"embed_dim": 64, "hidden_dim": 0, "dropout": 0.5},
        char_ngrams=(1, 6),
        word_bigrams=True,
    ),
    "cnn": ModelRecipe(TrainConfig(epochs=10, lr=2e-3, batch_size=32)),
    # 15 epochs with patience 4 (against 8 and 3): validation accuracy on
    # dair-emotion 0.935 against 0.932, averaged over seeds 0-2; most runs stop
    # after 6 to 8 epochs.
    "lstm": ModelRecipe(
        TrainConfig(epochs=15, lr=3e-3, batch_size=32, patience=4, word_dropout=0.1)
    ),
    # A small Transformer: on 16,000 tweets the default width (d_model 128) was
    # slower and no more accurate (see examples/01_foundations/plot_04).
    "transformer": ModelRecipe(
        TrainConfig(epochs=5, lr=2e-3, batch_size=32, patience=2),
        model={"d_model": 64, "ff_dim": 128},
    ),
}


def _softmax(logits: torch.Tensor) -> np.ndarray:
    return torch.softmax(logits.float(), dim=-1).numpy()


def _reuse(
    data: LabelledData, model: str, recipe: ModelRecipe
) -> tuple[TextClassifier, TrainResult] | None:
    """The model this build already trained with the same data and recipe, if any.

    See :mod:`nlptut.buildcache`; a stored model that fails to load is trained again.
    """
    cache = buildcache.folder()
    if cache is None:
        return None
    name = buildcache.key(data, model, recipe)
    stored = buildcache.result_path(cache, name)
    if not stored.is_file():
        return None
    try:
        result = json.loads(stored.read_text(encoding="utf-8"))
        result["history"] = [EpochRecord(**record) for record in result["history"]]
        return TextClassifier.load(cache / name), TrainResult(**result)
    except (OSError, ValueError, TypeError, KeyError, NlptutError):
        return None


def _store(
    data: LabelledData,
    model: str,
    recipe: ModelRecipe,
    classifier: TextClassifier,
    result: TrainResult,
) -> None:
    """Keep a trained model for the rest of the build (no-op without a build cache)."""
    cache = buildcache.folder()
    if cache is None:
        return
    name = buildcache.key(data, model, recipe)
    cache.mkdir(parents=True, exist_ok=True)
    classifier.save(cache / name, force=True)
    buildcache.write_result(cache, name, result.to_dict())


class TextClassifier:
    """A trained text classifier: model, vocabulary and label names together.

    Build one with :meth:`fit` or :meth:`load`.

    Parameters
    ----------
    model_name : str
        One of ``nlptut.models.MODEL_NAMES``.
    labels : sequence of str
        Label names, in the order of the model's outputs.
    model : torch.nn.Module or KeywordClassifier
    vocab : Vocabulary, optional
        Required for neural models.
    max_len : int
        Texts are cut to this many tokens.
    info : dict, optional
        Free-form facts saved with the checkpoint (dataset, history, metrics).
    """

    def __init__(
        self,
        model_name: str,
        labels: Sequence[str],
        model: torch.nn.Module | KeywordClassifier,
        vocab: Vocabulary | None = None,
        *,
        max_len: int = 64,
        info: Mapping | None = None,
    ) -> None:
        if model_name not in MODEL_NAMES:
            raise UnknownName(
                f"unknown model {model_name!r}; choose one of {', '.join(MODEL_NAMES)}"
            )
        if model_name != "keywords" and vocab is None:
            raise ValueError(f"the {model_name} model needs a vocabulary")
        self.model_name = model_name
        self.labels = list(labels)
        self.model = model
        self.vocab = vocab
        self.max_len = max_len
        self.info = dict(info or {})

    @property
    def is_neural(self) -> bool:
        return self.model_name != "keywords"

    # -- training -------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        data: LabelledData,
        model: str = "cnn",
        *,
        recipe: ModelRecipe | None = None,
        max_len: int | None = None,
        **train_overrides,
    ) -> tuple[TextClassifier, TrainResult | None]:
        """Train a classifier on ``data``'s train split, stopping early on its validation split.

        Parameters
        ----------
        data : LabelledData
            From :func:`nlptut.datasets.load_dataset`.
        model : str
            ``"keywords"``, ``"nbow"``, ``"cnn"``, ``"lstm"`` or ``"transformer"``.
        recipe : ModelRecipe, optional
            Defaults to ``RECIPES[model]``, the tuned settings.
        **train_overrides
            Fields of :class:`TrainConfig` to change, such as ``epochs=3`` or ``seed=1``.

        Returns
        -------
        classifier : TextClassifier
        result : TrainResult or None
            The training history (``None`` for the keyword model, which learns nothing
            but its fallback label).
        """
        if model not in MODEL_NAMES:
            raise UnknownName(f"unknown model {model!r}; choose one of {', '.join(MODEL_NAMES)}")
        info = {"dataset": data.name, "language": data.language}
        train_split = data["train"]
        if model == "keywords":
            try:
                rules = for_labels(data.labels, language=data.language or "en")
            except ValueError as exc:  # the lexicon has no words for these labels
                raise NlptutError(
                    f"--model keywords has hand-written word lists only for emotions; "
                    f"{data.name}'s labels {', '.join(map(str, data.labels))} have none "
                    f"({exc}). Train a model that learns from the data instead, such as "
                    "--model nbow"
                ) from exc
            rules.fit(train_split.texts, [data.labels[i] for i in train_split.labels])
            return cls("keywords", data.labels, rules, info=info), None

        recipe = dataclasses.replace(recipe or RECIPES[model])
        recipe.train = dataclasses.replace(recipe.train, **train_overrides)
        if max_len is not None:
            if not valid_max_len(max_len):
                raise SettingError(
                    f"max_len must be a whole number from 1 to {MAX_LEN_LIMIT}, got {max_len!r}"
                )
            recipe.max_len = max_len
        recipe.check(model)
        reused = _reuse(data, model, recipe)
        if reused is not None:
            return reused
        torch.manual_seed(recipe.train.seed)
        vocab = Vocabulary.build(
            train_split.texts,
            min_freq=recipe.min_freq,
            char_ngrams=recipe.char_ngrams,
            word_bigrams=recipe.word_bigrams,
        )
        train_set = EncodedDataset.from_texts(
            train_split.texts, train_split.labels, vocab, max_len=recipe.max_len
        )
        val_split = data["validation"]
        val_set = (
            EncodedDataset.from_texts(
                val_split.texts, val_split.labels, vocab, max_len=recipe.max_len
            )
            if len(val_split)
            else None
        )
        network = build_model(model, len(vocab), len(data.labels), **recipe.model)
        result = train(network, train_set, val_set, recipe.train)
        network.cpu()
        info["train"] = dataclasses.asdict(recipe.train)
        info["history"] = [dataclasses.asdict(r) for r in result.history]
        info["best_epoch"] = result.best_epoch
        info["precision"] = result.precision
        info["training_texts_cut"] = len(too_long(train_split.texts, recipe.max_len))
        classifier = cls(model, data.labels, network, vocab, max_len=recipe.max_len, info=info)
        _store(data, model, recipe, classifier, result)
        return classifier, result

    # -- prediction -----------------------------------------------------------
    def too_long(self, texts: Sequence[str]) -> list[int]:
        """The positions of the texts longer than the model reads (``max_len`` tokens).

        The model reads only the first ``max_len`` tokens of each; the keyword
        rules read every text whole (an empty list).
        """
        return too_long(check_texts(texts), self.max_len) if self.is_neural else []

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the class probabilities, ``(len(texts), len(labels))``."""
        texts = check_texts(texts)
        if not self.is_neural:
            return np.asarray(self.model.predict_proba(texts))
        dataset = EncodedDataset.from_texts(texts, None, self.vocab, max_len=self.max_len)
        return _softmax(predict_logits(self.model, dataset, device="cpu"))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Predict the label of each text, with probabilities (and matched words for rules)."""
        texts = check_texts(texts)
        probs = self.predict_proba(texts)
        if self.is_neural:
            labels = [self.labels[int(i)] for i in probs.argmax(axis=1)]
            matched = [None] * len(texts)
        else:
            rules = self.model.predict(texts)
            labels = [r.label for r in rules]
            matched = [r.matched for r in rules]
        return [
            Prediction(
                text,
                label,
                {name: float(p) for name, p in zip(self.labels, row, strict=True)},
                words,
            )
            for text, label, row, words in zip(texts, labels, probs, matched, strict=True)
        ]

    def evaluate(self, data: LabelledData, split: str = "test") -> Metrics:
        """Score the classifier on one split of ``data``.

        Labels are matched by name, so data whose labels come in another order
        (a user's file sorts them alphabetically) or that lack some of the
        model's labels is scored correctly; a label the model does not know is
        refused.
        """
        part = data[split]
        return self.score(part.texts, [data.labels[i] for i in part.labels])

    def score(self, texts: Sequence[str], labels: Sequence[str]) -> Metrics:
        """Score the classifier on ``texts`` whose true labels are the names ``labels``.

        The report covers all of the model's labels, in the model's order.
        """
        return score_texts(self, texts, labels)

    # -- checkpoints ----------------------------------------------------------
    def save(self, directory: str | os.PathLike, *, force: bool = False) -> Path:
        """Write the checkpoint folder ``directory`` atomically.

        Parameters
        ----------
        directory : path
            Must not exist, or be empty, unless ``force`` is true; with ``force``
            an existing nlptut checkpoint there is replaced (never any other
            folder, nor one that holds files nlptut did not write).
        force : bool
            Replace an existing checkpoint.
        """

        def fill(tmp: Path) -> tuple[dict, list[str]]:
            if self.is_neural:
                state = {
                    k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()
                }
                save_file(state, tmp / "model.safetensors")
                self.vocab.save(tmp / "vocab.json")
                files = ["model.safetensors", "vocab.json"]
                model_config = config_to_dict(self.model.config)
            else:
                (tmp / "keywords.json").write_text(
                    json.dumps(self.model.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
                )
                files = ["keywords.json"]
                model_config = {}
            config = {
                "nlptut_version": __version__,
                "model": self.model_name,
                "model_config": model_config,
                "labels": self.labels,
                "max_len": self.max_len,
                "info": self.info,
            }
            return config, files

        return checkpoint.write(Path(directory), force=force, fill=fill)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> TextClassifier:
        """Load a checkpoint folder written by :meth:`save`, verifying every file first.

        Raises
        ------
        CheckpointError
            With a one-line message, for a folder that is missing, damaged,
            edited, of another version, or whose files do not fit together.
        """
        folder = Path(directory)
        config = checkpoint.read_manifest(folder)
        where = folder / "config.json"
        name, labels, max_len, info = manifest_fields(config, where)
        needed = {"keywords.json"} if name == "keywords" else {"model.safetensors", "vocab.json"}
        checkpoint.require_files(config, where, needed, name)
        if name == "keywords":
            return cls(name, labels, _load_rules(folder / "keywords.json", labels), info=info)
        vocab = Vocabulary.load(folder / "vocab.json")
        network = _load_network(folder, name, config.get("model_config"), vocab, labels)
        return cls(name, labels, network, vocab, max_len=max_len, info=info)


def score_texts(classifier: Any, texts: Sequence[str], labels: Sequence[str]) -> Metrics:
    """Score any classifier of nlptut (a :class:`TextClassifier` or an exported
    :class:`~nlptut.deploy.OnnxClassifier`) on texts whose true labels are the names ``labels``.

    Labels are matched by name; the report covers all of the classifier's
    labels, in its order; a label it does not know is refused.
    """
    texts = check_texts(texts)
    if len(texts) != len(labels):
        raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
    index = {name: i for i, name in enumerate(classifier.labels)}
    unknown = sorted(set(labels) - set(index))
    if unknown:
        raise NlptutError(
            f"the data has labels the model was not trained on ({', '.join(unknown)}; the "
            f"model knows {', '.join(classifier.labels)}); evaluate on data with those labels"
        )
    truth = [index[name] for name in labels]
    if classifier.is_neural:
        probs = classifier.predict_proba(texts)
        pred = probs.argmax(axis=1).tolist()
        eps = 1e-12
        loss = float(-np.mean(np.log(probs[np.arange(len(truth)), truth] + eps)))
    else:
        pred = [index[p.label] for p in classifier.model.predict(texts)]
        loss = float("nan")
    return classification_metrics(truth, pred, classifier.labels, loss=loss)


def manifest_fields(
    config: Mapping, where: Path, *, known: Sequence[str] = MODEL_NAMES
) -> tuple[str, list[str], int, dict]:
    """The model name (one of ``known``), labels, max_len and info of a manifest, each checked."""
    name, labels = config.get("model"), config.get("labels")
    if name == "minilm" and "minilm" not in known:
        raise CheckpointError(
            f"{where}: a fine-tuned MiniLM checkpoint; load it with "
            "nlptut.predictor.load (or nlptut.finetuned.FinetunedClassifier.load)"
        )
    if name == "tagger":
        raise CheckpointError(
            f"{where}: a tagger (a tag per word), not a classifier; load it with "
            "nlptut.predictor.load ('nlptut export' exports classifiers only)"
        )
    if name not in known:
        raise CheckpointError(f"{where}: unknown model {name!r}")
    if not valid_labels(labels):
        raise CheckpointError(f"{where}: 'labels' must list two or more different names")
    max_len = config.get("max_len")
    if not valid_max_len(max_len):
        raise CheckpointError(
            f"{where}: 'max_len' must be a whole number from 1 to {MAX_LEN_LIMIT}"
        )
    info = config.get("info", {})
    if not isinstance(info, dict):
        raise CheckpointError(f"{where}: 'info' must be a JSON object")
    return name, labels, max_len, info


def _load_rules(path: Path, labels: list[str]) -> KeywordClassifier:
    try:
        rules = KeywordClassifier.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise CheckpointError(f"{path}: not a valid keyword model ({exc})") from None
    if list(rules.labels) != labels:
        raise CheckpointError(
            f"{path}: its labels ({', '.join(rules.labels)}) differ from config.json's "
            f"({', '.join(labels)}); the files do not belong together"
        )
    return rules


def _load_network(
    folder: Path, name: str, model_config: Any, vocab: Vocabulary, labels: list[str]
) -> torch.nn.Module:
    """Build the network on the meta device, check the weights' shapes, then load them."""
    where = folder / "config.json"
    weights = folder / "model.safetensors"
    try:
        if not isinstance(model_config, dict):
            raise TypeError("'model_config' must be a JSON object")
        settings = config_from_dict(name, model_config)
        with torch.device("meta"):  # no memory: sizes are checked before anything is allocated
            skeleton = build_model(name, **dataclasses.asdict(settings))
    except (TypeError, ValueError, UnknownName) as exc:
        raise CheckpointError(f"{where}: invalid model_config ({exc})") from None
    if settings.vocab_size != len(vocab) or settings.num_classes != len(labels):
        raise CheckpointError(
            f"{folder}: the model expects {settings.vocab_size} words and "
            f"{settings.num_classes} labels but the checkpoint has {len(vocab)} and "
            f"{len(labels)}; the files do not belong together"
        )
    expected = {key: tuple(value.shape) for key, value in skeleton.state_dict().items()}
    try:
        with safe_open(str(weights), framework="pt") as handle:
            stored = {key: tuple(handle.get_slice(key).get_shape()) for key in handle.keys()}  # noqa: SIM118
        if stored != expected:
            raise CheckpointError(
                f"{weights}: the weights' names or shapes do not fit the {name} model "
                "described in config.json; the files do not belong together"
            )
        network = build_model(name, **dataclasses.asdict(settings))
        network.load_state_dict(load_file(weights))
    except (SafetensorError, RuntimeError, OSError) as exc:
        raise CheckpointError(f"{weights}: weights do not fit the {name} model ({exc})") from None
    network.eval()
    return network


check_target = checkpoint.check_target  # importable from here, as before
