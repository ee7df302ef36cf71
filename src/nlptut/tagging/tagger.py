"""A tagger: one tag for every word (parts of speech, named entities).

The network, :class:`BiLSTMTagger`, reads a sentence in four steps:

1. each word becomes a vector, from a table of the training words (a word
   never seen in training gets the shared ``<unk>`` vector);
2. each word's *characters* also become a vector: a small convolution slides
   over the characters and keeps, for each of its filters, the strongest match
   (so ``-nya`` or ``mem-`` can be recognised in a word never seen whole);
3. a bidirectional LSTM reads the sentence left to right and right to left,
   so that each word's vector now also carries its context;
4. a linear layer scores every tag for every word (the *emissions*); the tag
   is chosen word by word (the highest score), or, with ``crf=True``, for the
   whole sentence at once by a :class:`~nlptut.tagging.crf.CRF`.

:class:`Tagger` wraps the network with its vocabularies and tags: it trains
(:meth:`Tagger.fit`, keeping the epoch with the best validation F1), predicts,
scores with :func:`nlptut.tagging.metrics.tag_scores`, and saves and loads a
checkpoint folder verified like every nlptut checkpoint
(:mod:`nlptut.checkpoint`): ``config.json``, ``model.safetensors`` and
``vocab.json`` (the words and the characters).

The tagger trains and predicts in float32 on every device (a recurrent layer
gains little from bfloat16 on a CPU, and loses much on one without native
bfloat16): its precision is recorded as ``"float32"``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from nlptut import __version__, checkpoint
from nlptut.config import show_progress
from nlptut.conll import TaggedData, repair_bio
from nlptut.errors import CheckpointError, NlptutError
from nlptut.models import bidirectional_lstm
from nlptut.runtime import BestEpoch, choose_device, seed_everything
from nlptut.tagging.crf import CRF
from nlptut.tagging.metrics import TagScores, tag_scores
from nlptut.text import BucketBatchSampler
from nlptut.vocab import Vocabulary

__all__ = [
    "TaggerConfig",
    "TagTrainConfig",
    "TagEpoch",
    "BiLSTMTagger",
    "Tagger",
    "is_tagger_checkpoint",
]

MODEL_NAME = "tagger"


@dataclass
class TaggerConfig:
    """The shape of a :class:`BiLSTMTagger` and how words are read.

    Attributes
    ----------
    word_dim : int
        Numbers per word vector.
    char_dim : int
        Numbers per character vector.
    char_filters : int
        Filters of the character convolution (the size of a word's character
        vector); 0 reads no characters.
    char_width : int
        How many neighbouring characters each filter looks at.
    hidden : int
        Numbers per word of the LSTM, in each direction.
    layers : int
        Stacked LSTM layers.
    dropout : float
        Share of numbers set to zero during training, before and after the LSTM.
    crf : bool
        Choose tags for the whole sentence with a CRF, instead of word by word.
    lowercase : bool
        Look words up in lower case (characters keep their case).
    min_freq : int
        Training words seen fewer times share the ``<unk>`` vector.
    max_word_len : int
        Characters read per word (the rest are ignored).
    """

    word_dim: int = 100
    char_dim: int = 30
    char_filters: int = 50
    char_width: int = 3
    hidden: int = 128
    layers: int = 1
    dropout: float = 0.33
    crf: bool = True
    lowercase: bool = True
    min_freq: int = 1
    max_word_len: int = 20

    def __post_init__(self) -> None:
        for name in ("word_dim", "char_dim", "hidden", "layers", "min_freq", "max_word_len"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"TaggerConfig.{name} must be a positive whole number, got {value!r}"
                )
        if self.char_filters < 0 or self.char_width < 1 or self.char_width % 2 == 0:
            raise ValueError(
                "TaggerConfig: char_filters must be 0 or more and char_width an odd positive "
                f"number, got {self.char_filters} and {self.char_width}"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"TaggerConfig.dropout must be in [0, 1), got {self.dropout}")


@dataclass
class TagTrainConfig:
    """How a :class:`Tagger` is trained.

    Attributes
    ----------
    epochs : int
        Passes over the training sentences; the epoch with the best validation
        F1 is kept.
    batch_size : int
        Sentences per step (of similar lengths, see :class:`~nlptut.text.BucketBatchSampler`).
    lr : float
        Learning rate of Adam.
    clip : float
        Gradients are scaled down to at most this norm.
    word_dropout : float
        Share of training words replaced by ``<unk>``, so that the ``<unk>`` vector
        learns what an unseen word is likely to be.
    seed : int
        Seeds the weights, the dropout and the order of the batches.
    """

    epochs: int = 8
    batch_size: int = 32
    lr: float = 2e-3
    clip: float = 5.0
    word_dropout: float = 0.05
    seed: int = 0

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError(
                f"TagTrainConfig: epochs and batch_size must be at least 1, got "
                f"{self.epochs} and {self.batch_size}"
            )
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"TagTrainConfig.lr must be a positive number, got {self.lr}")
        if not 0.0 <= self.word_dropout < 1.0:
            raise ValueError(
                f"TagTrainConfig.word_dropout must be in [0, 1), got {self.word_dropout}"
            )


@dataclass
class TagEpoch:
    """One epoch of training: its mean training loss, validation F1 and seconds."""

    epoch: int
    train_loss: float
    val_f1: float
    seconds: float


class BiLSTMTagger(nn.Module):
    """Word and character vectors -> bidirectional LSTM -> a score per tag per word.

    Parameters
    ----------
    num_words, num_chars, num_tags : int
        Sizes of the word vocabulary, the character vocabulary and the tag set.
    config : TaggerConfig
    """

    def __init__(self, num_words: int, num_chars: int, num_tags: int, config: TaggerConfig) -> None:
        super().__init__()
        self.config = config
        self.words = nn.Embedding(num_words, config.word_dim, padding_idx=0)
        width = config.word_dim
        if config.char_filters:
            self.chars = nn.Embedding(num_chars, config.char_dim, padding_idx=0)
            self.char_conv = nn.Conv1d(
                config.char_dim,
                config.char_filters,
                config.char_width,
                padding=config.char_width // 2,
            )
            width += config.char_filters
        self.drop = nn.Dropout(config.dropout)
        self.lstm = nn.LSTM(
            width,
            config.hidden,
            num_layers=config.layers,
            bidirectional=True,
            batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.out = nn.Linear(2 * config.hidden, num_tags)
        self.crf = CRF(num_tags) if config.crf else None

    def char_vectors(self, chars: torch.Tensor) -> torch.Tensor:
        """One vector per word from its characters: ``(batch, words, char_filters)``."""
        batch, words, length = chars.shape  # (batch, words, chars)
        x = self.chars(chars.view(batch * words, length))  # (batch*words, chars, char_dim)
        x = self.char_conv(x.transpose(1, 2))  # (batch*words, char_filters, chars)
        pad = chars.view(batch * words, 1, length) == 0  # padding never wins the max
        x = x.masked_fill(pad, float("-inf")).max(dim=2).values  # (batch*words, char_filters)
        x = torch.where(torch.isinf(x), torch.zeros_like(x), x)  # padded words: zeros
        return x.view(batch, words, -1)

    def forward(
        self, words: torch.Tensor, chars: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """Emissions ``(batch, words, num_tags)`` for word ids ``(batch, words)``,
        character ids ``(batch, words, chars)`` and sentence lengths ``(batch,)``."""
        x = self.words(words)  # (batch, words, word_dim)
        if self.config.char_filters:
            x = torch.cat([x, self.char_vectors(chars)], dim=-1)  # (batch, words, width)
        x = self.drop(x)
        # neither direction reads padding (see nlptut.models.bidirectional_lstm)
        h = bidirectional_lstm(self.lstm, x, lengths)  # (batch, words, 2 * hidden)
        return self.out(self.drop(h))  # (batch, words, num_tags)

    def loss(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The training loss: the CRF's negative log-likelihood, or the cross-entropy
        of each real word's tag (padding ignored)."""
        if self.crf is not None:
            return self.crf(emissions, tags, mask)
        return nn.functional.cross_entropy(emissions[mask], tags[mask])

    def decode(
        self, emissions: torch.Tensor, mask: torch.Tensor, *, together: bool = True
    ) -> list[list[int]]:
        """The tag ids of each sentence: Viterbi with a CRF (unless ``together`` is
        false), the best tag of each word on its own without."""
        if self.crf is not None and together:
            return self.crf.decode(emissions, mask)
        best = emissions.argmax(-1).tolist()  # (batch, words)
        return [row[:n] for row, n in zip(best, mask.sum(1).tolist(), strict=True)]


@dataclass
class _Batch:
    words: torch.Tensor  # (batch, words)
    chars: torch.Tensor  # (batch, words, chars)
    lengths: torch.Tensor  # (batch,)
    mask: torch.Tensor  # (batch, words)
    tags: torch.Tensor | None  # (batch, words)

    def to(self, device: torch.device) -> _Batch:
        move = lambda t: None if t is None else t.to(device)  # noqa: E731
        return _Batch(
            move(self.words), move(self.chars), move(self.lengths), move(self.mask), move(self.tags)
        )


def _split_sentence(sentence: str | Sequence[str]) -> list[str]:
    if isinstance(sentence, str):
        return sentence.split()
    return [str(w) for w in sentence]


class Tagger:
    """A trained tagger: its network, word and character vocabularies and tags.

    Build one with :meth:`fit` or :meth:`load`.

    Attributes
    ----------
    model : BiLSTMTagger
    words, chars : Vocabulary
    tags : tuple of str
    history : list of TagEpoch
        One record per training epoch (empty after :meth:`load`).
    info : dict
        What it was trained on and how (recorded in the checkpoint).
    """

    def __init__(
        self,
        model: BiLSTMTagger,
        words: Vocabulary,
        chars: Vocabulary,
        tags: Sequence[str],
        *,
        info: dict | None = None,
        history: list[TagEpoch] | None = None,
    ) -> None:
        self.model = model.eval()
        self.words = words
        self.chars = chars
        self.tags = tuple(tags)
        self.info = dict(info or {})
        self.history = list(history or [])
        self._tag_index = {tag: i for i, tag in enumerate(self.tags)}

    @property
    def config(self) -> TaggerConfig:
        """The network's :class:`TaggerConfig`."""
        return self.model.config

    @property
    def device(self) -> torch.device:
        """Where the network's weights are."""
        return next(self.model.parameters()).device

    # -- encoding -----------------------------------------------------------

    def _encode(self, sentence: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """A sentence's word ids ``(words,)`` and character ids ``(words, chars)``
        (each word's first ``max_word_len`` characters, zero-padded)."""
        cfg = self.config
        keys = [w.lower() for w in sentence] if cfg.lowercase else list(sentence)
        spelled = [self.chars.encode(list(w[: cfg.max_word_len])) for w in sentence]
        width = max(map(len, spelled), default=1)
        chars = torch.tensor([ids + [0] * (width - len(ids)) for ids in spelled], dtype=torch.long)
        return torch.tensor(self.words.encode(keys), dtype=torch.long), chars

    def _batch(
        self,
        encoded: Sequence[tuple[torch.Tensor, torch.Tensor]],
        tags: Sequence[Sequence[str]] | None = None,
        *,
        word_dropout: float = 0.0,
        generator: torch.Generator | None = None,
    ) -> _Batch:
        """Pad encoded sentences (from :meth:`_encode`) into one batch."""
        lengths = torch.tensor([len(ids) for ids, _ in encoded])
        longest, width = int(lengths.max()), max(c.size(1) for _, c in encoded)
        words = pad_sequence([ids for ids, _ in encoded], batch_first=True)  # (batch, words)
        chars = torch.zeros(len(encoded), longest, width, dtype=torch.long)
        for i, (_, c) in enumerate(encoded):
            chars[i, : c.size(0), : c.size(1)] = c
        mask = torch.arange(longest).unsqueeze(0) < lengths.unsqueeze(1)  # (batch, words)
        if word_dropout > 0:
            drop = torch.rand(words.shape, generator=generator) < word_dropout
            words = words.masked_fill(drop & mask, self.words.unk_id)
        tag_ids = None
        if tags is not None:
            index = self._tag_index
            rows = [torch.tensor([index[t] for t in row], dtype=torch.long) for row in tags]
            tag_ids = pad_sequence(rows, batch_first=True)
        return _Batch(words, chars, lengths, mask, tag_ids)

    # -- training -----------------------------------------------------------

    @classmethod
    def fit(
        cls,
        data: TaggedData,
        config: TaggerConfig | None = None,
        train: TagTrainConfig | None = None,
        *,
        progress: bool | None = None,
        on_epoch: Callable[[TagEpoch], None] | None = None,
        device: str | torch.device = "auto",
    ) -> Tagger:
        """Train a tagger on ``data["train"]``, keeping the epoch with the best
        validation F1 (:attr:`TagScores.f1`).

        Parameters
        ----------
        data : TaggedData
        config : TaggerConfig, optional
        train : TagTrainConfig, optional
        progress : bool, optional
            Show a tqdm bar per epoch (default: only in a terminal).
        on_epoch : callable, optional
            Called with each epoch's :class:`TagEpoch`.
        device : str or torch.device, default "auto"
            Where to train: CUDA when available, else the CPU (see
            :func:`nlptut.runtime.choose_device`).
        """
        from tqdm.auto import tqdm

        config = config or TaggerConfig()
        train = train or TagTrainConfig()
        seed_everything(train.seed)
        part = data["train"]
        if len(part) == 0:
            raise NlptutError(f"{data.name}: the training split has no sentences")
        unknown = {t for tags in part.tags for t in tags} - set(data.tags)
        if unknown:
            raise NlptutError(f"{data.name}: tags {sorted(unknown)} are not in its tag list")
        keys = [[w.lower() for w in s] if config.lowercase else s for s in part.tokens]
        words = Vocabulary.build(keys, min_freq=config.min_freq)
        chars = Vocabulary.build([list(w) for s in part.tokens for w in s])
        model = BiLSTMTagger(len(words), len(chars), len(data.tags), config)
        model.to(choose_device(device))
        tagger = cls(model, words, chars, data.tags)
        # fused: one kernel for all the weights (the word table is most of them)
        optimizer = torch.optim.Adam(model.parameters(), lr=train.lr, fused=True)
        sampler = BucketBatchSampler(
            [len(s) for s in part.tokens],
            train.batch_size,
            seed=train.seed,
            bucket_size_multiplier=20,
        )
        generator = torch.Generator().manual_seed(train.seed)
        progress = show_progress(progress)
        encoded = [tagger._encode(sentence) for sentence in part.tokens]
        best, started = BestEpoch(start=-1.0), time.perf_counter()
        for epoch in range(1, train.epochs + 1):
            began, total, count = time.perf_counter(), 0.0, 0
            model.train()
            batches = list(sampler)
            for idx in tqdm(batches, desc=f"epoch {epoch}", disable=not progress, leave=False):
                batch = tagger._batch(
                    [encoded[i] for i in idx],
                    [part.tags[i] for i in idx],
                    word_dropout=train.word_dropout,
                    generator=generator,
                )
                batch = batch.to(tagger.device)
                emissions = model(batch.words, batch.chars, batch.lengths)
                loss = model.loss(emissions, batch.tags, batch.mask)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), train.clip)
                optimizer.step()
                total += loss.item() * len(idx)
                count += len(idx)
            model.eval()
            val = tagger.evaluate(data, "validation")
            record = TagEpoch(epoch, total / count, val.f1, time.perf_counter() - began)
            tagger.history.append(record)
            if on_epoch is not None:
                on_epoch(record)
            best.offer(epoch, val.f1, model)
        best.restore(model)
        model.eval()
        best = max(tagger.history, key=lambda r: r.val_f1)
        tagger.info = {
            "dataset": data.name,
            "train_sentences": len(part),
            "train": dataclasses.asdict(train),
            "best_epoch": best.epoch,
            "val_f1": best.val_f1,
            "seconds": time.perf_counter() - started,
            "precision": "float32",
            "device": str(tagger.device),
            "threads": torch.get_num_threads(),
        }
        return tagger

    # -- prediction ---------------------------------------------------------

    def predict_ids(
        self, sentences: Sequence[Sequence[str]], *, batch_size: int = 64, together: bool = True
    ) -> list[list[int]]:
        """The tag ids of each sentence (sentences given as lists of words); see
        :meth:`predict` for ``together``."""
        sentences = [list(s) for s in sentences]
        out: list[list[int] | None] = [None] * len(sentences)
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                batch = self._batch([self._encode(sentences[i]) for i in idx]).to(self.device)
                emissions = self.model(batch.words, batch.chars, batch.lengths)
                decoded = self.model.decode(emissions, batch.mask, together=together)
                for i, ids in zip(idx, decoded, strict=True):
                    out[i] = ids
        return [ids if ids is not None else [] for ids in out]

    def predict(
        self,
        sentences: Sequence[str | Sequence[str]],
        *,
        together: bool = True,
        repair: bool = True,
    ) -> list[list[str]]:
        """One tag per word for each sentence.

        Parameters
        ----------
        sentences : sequence of str or of lists of words
            A string is split into words at spaces (the datasets' sentences are
            already split so: put spaces around punctuation, "jakarta , senin").
        together : bool, default True
            With a CRF, choose the tags of a sentence together (Viterbi); false
            takes each word's best tag on its own, from the same scores.
        repair : bool, default True
            Return valid BIO tags (:func:`~nlptut.conll.repair_bio`); false returns
            the tags as chosen, which may break the BIO rules.

        Returns
        -------
        list of list of str
            One tag per word.
        """
        if isinstance(sentences, str):
            raise TypeError("predict expects a list of sentences; wrap one sentence in a list")
        split = [_split_sentence(s) for s in sentences]
        tagged = [[self.tags[i] for i in ids] for ids in self.predict_ids(split, together=together)]
        return [repair_bio(tags) for tags in tagged] if repair else tagged

    def score(self, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> TagScores:
        """Score the tagger's tags for ``sentences`` against ``tags``."""
        return tag_scores(tags, self.predict(sentences))

    def evaluate(self, data: TaggedData, split: str = "test") -> TagScores:
        """Score the tagger on one split of ``data``."""
        part = data[split]
        return self.score(part.tokens, part.tags)

    # -- checkpoints ----------------------------------------------------------

    def save(self, directory: str | os.PathLike, *, force: bool = False) -> Path:
        """Write the checkpoint folder ``directory`` atomically (see
        :func:`nlptut.checkpoint.write`; ``force`` replaces an existing checkpoint)."""

        def fill(tmp: Path) -> tuple[dict, list[str]]:
            state = {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()}
            save_file(state, tmp / "model.safetensors")
            vocab = {"words": self.words.to_dict(), "chars": self.chars.to_dict()}
            (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
            config = {
                "nlptut_version": __version__,
                "model": MODEL_NAME,
                "model_config": dataclasses.asdict(self.config),
                "labels": list(self.tags),
                "info": self.info,
            }
            return config, ["model.safetensors", "vocab.json"]

        return checkpoint.write(Path(directory), force=force, fill=fill)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> Tagger:
        """Load a checkpoint folder written by :meth:`save`, verifying every file first.

        Raises
        ------
        CheckpointError
            With a one-line message for a missing, damaged or edited checkpoint, or
            one that is not a tagger's.
        """
        folder = Path(directory)
        manifest = checkpoint.read_manifest(folder)
        where = folder / "config.json"
        if manifest.get("model") != MODEL_NAME:
            raise CheckpointError(
                f"{where}: a {manifest.get('model')!r} classifier, not a tagger; load it with "
                "nlptut.predictor.load"
            )
        tags = manifest.get("labels")
        if not isinstance(tags, list) or len(tags) < 2 or not all(isinstance(t, str) for t in tags):
            raise CheckpointError(f"{where}: 'labels' must list the tagger's tags")
        checkpoint.require_files(manifest, where, {"model.safetensors", "vocab.json"}, "tagger")
        try:
            config = TaggerConfig(**manifest.get("model_config", {}))
            vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
            words = Vocabulary.from_dict(vocab["words"])
            chars = Vocabulary.from_dict(vocab["chars"])
            model = BiLSTMTagger(len(words), len(chars), len(tags), config)
            model.load_state_dict(load_file(folder / "model.safetensors"))
        except (TypeError, ValueError, KeyError, RuntimeError, SafetensorError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CheckpointError(
                f"{folder}: the tagger's files do not fit together ({first})"
            ) from None
        info = manifest.get("info", {})
        return cls(model, words, chars, tags, info=info if isinstance(info, dict) else {})


def is_tagger_checkpoint(folder: str | os.PathLike) -> bool:
    """Whether ``folder``'s manifest names a tagger (read without verifying the files)."""
    return checkpoint.model_name(folder) == MODEL_NAME
