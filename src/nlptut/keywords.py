"""Keyword rules: the explainable baseline that the neural models must beat.

A :class:`KeywordClassifier` holds a small hand-written word list per label
(its *lexicon*). It splits a text into tokens with :func:`nlptut.text.tokenize`
and counts, for every label, how many tokens are in that label's list; the label
with the most matches wins. Every decision can be explained by pointing at the
words that matched (see :func:`highlight`)::

    >>> clf = for_labels(["sadness", "joy", "love", "anger", "fear", "surprise"])
    >>> pred = clf.predict(["My neighbour won the jackpot! not me."])[0]
    >>> pred.label, pred.matched["joy"]
    ('joy', ['won', 'jackpot'])

The writer of that tweet is sad, not joyful: the rules only see ``"won"`` and
``"jackpot"`` and cannot read ``"not me"``. Words in context are what the
neural models of :mod:`nlptut.models` learn.

The rules are written by hand, not learned: :meth:`KeywordClassifier.fit` only
sets the label to answer when no word matches (the most common label of the
training data).

Two lexicons come built in: :data:`ENGLISH_LEXICON` for the labels of the
dair-emotion tweets and :data:`INDONESIAN_LEXICON` for those of IndoNLU EmoT
(with the informal spellings common on Indonesian Twitter). :func:`for_labels`
picks one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlptut.errors import UnknownName
from nlptut.text import tokenize

__all__ = [
    "ENGLISH_LEXICON",
    "INDONESIAN_LEXICON",
    "LEXICONS",
    "KeywordPrediction",
    "KeywordClassifier",
    "for_labels",
    "highlight",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH_LEXICON: dict[str, tuple[str, ...]] = {
    "sadness": _words(
        """sad sadness unhappy depressed depressing miserable lonely alone cry crying cried
        tears heartbroken hurt pain grief lost loss miss missed sorry regret guilty
        ashamed hopeless useless worthless empty tired exhausted disappointed discouraged
        gloomy awful terrible horrible devastated broken rejected ignored defeated
        embarrassed humiliated pathetic unloved numb"""
    ),
    "joy": _words(
        """happy happiness joy joyful glad cheerful delighted pleased excited thrilled
        fantastic great wonderful awesome amazing brilliant excellent perfect fun enjoy
        enjoyed smile smiling laugh laughing celebrate won win winning jackpot lucky proud
        satisfied content confident grateful thankful blessed hopeful optimistic relaxed
        relieved peaceful successful cool super terrific fabulous ecstatic holiday
        vacation party"""
    ),
    "love": _words(
        """love loved loving lovely romantic romance sweet caring tender gentle affection
        adore adored darling kiss hug cuddle passionate devoted fond longing beloved
        sympathetic compassionate supportive loyal faithful nostalgic generous crush
        boyfriend girlfriend husband wife valentine marry wedding"""
    ),
    "anger": _words(
        """angry anger mad furious annoyed annoying irritated irritable frustrated
        frustrating hate hated hateful rage outraged pissed bitter resentful offended
        insulted cranky grumpy jealous envious disgusted rude selfish hostile violent
        greedy stubborn impatient bothered dissatisfied heartless agitated damn stupid
        idiot"""
    ),
    "fear": _words(
        """afraid scared fear frightened terrified terrifying nervous anxious anxiety
        worried worry panic scary horror nightmare danger dangerous threatened insecure
        unsure uncertain vulnerable shaky shaken paranoid hesitant reluctant apprehensive
        uncomfortable restless fearful intimidated timid shy suspicious doubtful
        helpless tense"""
    ),
    "surprise": _words(
        """surprise surprised surprising shocked shock shocking amazed astonished stunned
        startled unexpected suddenly wow omg unbelievable incredible curious impressed
        strange weird funny dazed speechless odd bizarre overwhelmed"""
    ),
}
"""Keywords for the dair-emotion labels (English tweets)."""

INDONESIAN_LEXICON: dict[str, tuple[str, ...]] = {
    "sadness": _words(
        """sedih kesedihan menyedihkan sedihnya kecewa mengecewakan kekecewaan nangis
        menangis tangis galau sakit hancur duka berduka kehilangan rindu sepi kesepian
        patah terluka luka pilu miris kasihan meninggal wafat putus menyesal nyesel
        capek lelah hampa perih merana gagal"""
    ),
    "anger": _words(
        """marah kemarahan kesel kesal sebel sebal benci membenci emosi muak geram dongkol
        jengkel ngeselin nyebelin bego bodoh goblok tolol dungu bangsat anjing kampret
        sialan brengsek bajingan busuk munafik jijik nyinyir keterlaluan bacot sampah
        korupsi koruptor"""
    ),
    "love": _words(
        """cinta cintanya mencintai mencintaimu dicintai sayang sayangku menyayangi
        kangen peluk pelukan cium kecup romantis mesra pacar kekasih pasangan tulus
        setia love baby manis ganteng cantik nikah menikah suami istri"""
    ),
    "fear": _words(
        """takut ketakutan takutnya khawatir kekhawatiran cemas was-was waswas ngeri serem
        seram panik gelisah deg-degan degdegan deg2an trauma horor hantu setan merinding
        bahaya berbahaya ancaman teror parno gaberani minder stress stres mengerikan
        menakutkan"""
    ),
    "happy": _words(
        """senang kesenangan menyenangkan bahagia kebahagiaan membahagiakan seneng gembira
        ceria asik asyik seru lucu keren mantap mantul hebat bangga syukur bersyukur
        alhamdulillah menang juara beruntung untung puas ketawa tertawa ngakak haha
        hahaha wkwk wkwkwk happy yeay yey hore selamat sukses semangat berkah lulus
        senyum tersenyum"""
    ),
}
"""Keywords for the IndoNLU EmoT labels (Indonesian tweets, informal spellings included)."""

LEXICONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": ENGLISH_LEXICON,
    "id": INDONESIAN_LEXICON,
}
"""The built-in lexicons by language code."""


@dataclass(frozen=True)
class KeywordPrediction:
    """The rule model's answer for one text, with its evidence.

    Attributes
    ----------
    label : str
        The predicted label.
    scores : dict of str to int
        For every label, how many of the text's tokens are in its word list.
    matched : dict of str to list of str
        For every label, the tokens that matched its word list, in text order
        (a word that occurs twice is listed twice). Empty lists mean no match.
    """

    label: str
    scores: dict[str, int]
    matched: dict[str, list[str]]


class KeywordClassifier:
    """Classify texts by counting hand-picked keywords per label.

    Score of a label = number of the text's tokens found in that label's word
    list. The label with the highest score wins; ties go to the label that
    comes first in ``labels``; a text with no match at all gets ``default``.

    Parameters
    ----------
    lexicon : mapping of str to collection of str
        For each label, its keywords: single words, matched after the same
        lower-casing as :func:`nlptut.text.tokenize` (so ``"Happy"`` and
        ``"happy"`` are the same keyword). Labels missing from it never match.
    labels : sequence of str
        All labels, in order (the order breaks ties and orders the columns of
        :meth:`predict_proba`).
    default : str, optional
        The label for texts without any keyword. ``None`` (the default) means
        the first label, until :meth:`fit` sets the most common training label.
    smoothing : float
        The pseudo-count added to every label's score in :meth:`predict_proba`.

    Raises
    ------
    ValueError
        If the lexicon names a label not in ``labels``, a keyword is not a
        single token, or ``default`` is not one of ``labels``.
    """

    def __init__(
        self,
        lexicon: Mapping[str, Collection[str]],
        labels: Sequence[str],
        *,
        default: str | None = None,
        smoothing: float = 1.0,
    ) -> None:
        if isinstance(labels, str):
            raise TypeError("labels must be a sequence of label names, not one string")
        self.labels: tuple[str, ...] = tuple(labels)
        if not self.labels:
            raise ValueError("labels is empty: give at least one label")
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f"labels has duplicates: {list(self.labels)}")
        extra = [label for label in lexicon if label not in self.labels]
        if extra:
            raise ValueError(
                f"the lexicon has words for {extra}, "
                f"which are not among the labels {list(self.labels)}"
            )
        if default is not None and default not in self.labels:
            raise ValueError(f"default {default!r} is not one of the labels {list(self.labels)}")
        if smoothing <= 0:
            raise ValueError(f"smoothing must be > 0 (so no probability is 0), got {smoothing!r}")
        self.default = default
        self.smoothing = float(smoothing)
        self.lexicon: dict[str, tuple[str, ...]] = {
            label: tuple(dict.fromkeys(_as_token(word) for word in lexicon.get(label, ())))
            for label in self.labels
        }
        # Inverted index: keyword -> the labels that list it (usually just one).
        self._index: dict[str, list[str]] = {}
        for label, words in self.lexicon.items():
            for word in words:
                self._index.setdefault(word, []).append(label)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{label}: {len(words)}" for label, words in self.lexicon.items())
        return f"KeywordClassifier({{{sizes}}} words, default={self.default!r})"

    @property
    def fallback(self) -> str:
        """The label given to texts without any keyword: ``default`` or the first label."""
        return self.default if self.default is not None else self.labels[0]

    def fit(self, texts: Iterable[str], labels: Iterable[str]) -> KeywordClassifier:
        """Set :attr:`default` to the most common label in ``labels``.

        The keyword rules themselves are written by hand and are *not* learned
        from the data; ``texts`` is only checked to be as long as ``labels``.
        Ties between equally common labels go to the one listed first.

        Returns
        -------
        KeywordClassifier
            ``self``, so that ``clf = for_labels(...).fit(texts, labels)`` works.
        """
        texts, labels = list(texts), list(labels)
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        if not labels:
            raise ValueError("cannot fit on zero examples")
        unknown = sorted(set(labels) - set(self.labels))
        if unknown:
            raise ValueError(f"unknown labels {unknown}; this model knows {list(self.labels)}")
        counts = Counter(labels)
        self.default = max(self.labels, key=lambda label: counts[label])  # first wins ties
        return self

    def _predict_one(self, text: str) -> KeywordPrediction:
        matched: dict[str, list[str]] = {label: [] for label in self.labels}
        for token in tokenize(text):
            for label in self._index.get(token, ()):
                matched[label].append(token)
        scores = {label: len(words) for label, words in matched.items()}
        best = max(scores.values())
        # max() returns the first of equal scores, so ties go to the earlier label.
        label = max(self.labels, key=scores.__getitem__) if best > 0 else self.fallback
        return KeywordPrediction(label=label, scores=scores, matched=matched)

    def predict(self, texts: Iterable[str]) -> list[KeywordPrediction]:
        """Predict a label for each text, with the scores and matched words behind it.

        Parameters
        ----------
        texts : iterable of str
            The texts (a list, even for one text).

        Returns
        -------
        list of KeywordPrediction
        """
        if isinstance(texts, str):
            raise TypeError("predict takes a list of texts: write predict([text])")
        return [self._predict_one(text) for text in texts]

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Turn the keyword counts into probabilities, one row per text.

        With ``a = smoothing`` (1 by default, "add-one" smoothing) and ``K``
        labels, ``p(label) = (score(label) + a) / (total score + a * K)``: the
        more keywords of a label, the likelier it is, and no label gets
        probability 0. A text without any keyword counts as one match for the
        default label, so that the most probable label is always the one
        :meth:`predict` returns.

        Returns
        -------
        numpy.ndarray
            ``(n_texts, n_labels)`` float64, columns in the order of ``labels``;
            each row sums to 1.
        """
        predictions = self.predict(texts)
        counts = np.zeros((len(predictions), len(self.labels)), dtype=np.float64)
        for row, pred in enumerate(predictions):
            counts[row] = [pred.scores[label] for label in self.labels]
            if counts[row].sum() == 0:
                counts[row, self.labels.index(pred.label)] = 1.0
        counts += self.smoothing
        return counts / counts.sum(axis=1, keepdims=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the model as a JSON-ready dict (see :meth:`from_dict`)."""
        return {
            "labels": list(self.labels),
            "lexicon": {label: list(words) for label, words in self.lexicon.items()},
            "default": self.default,
            "smoothing": self.smoothing,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> KeywordClassifier:
        """Rebuild a model saved with :meth:`to_dict`."""
        missing = [key for key in ("labels", "lexicon") if key not in d]
        if missing:
            raise ValueError(f"a saved keyword model needs {', '.join(missing)}")
        return cls(
            d["lexicon"],
            d["labels"],
            default=d.get("default"),
            smoothing=d.get("smoothing", 1.0),
        )


def _as_token(word: str) -> str:
    """Return ``word`` as the single token it must be, or raise ``ValueError``."""
    tokens = tokenize(word)
    if len(tokens) != 1:
        raise ValueError(
            f"keyword {word!r} is {len(tokens)} tokens {tokens}: keywords must be single words"
        )
    return tokens[0]


def for_labels(labels: Sequence[str], language: str = "en") -> KeywordClassifier:
    """Return a keyword model for ``labels`` built on a built-in lexicon.

    Parameters
    ----------
    labels : sequence of str
        The dataset's labels, in order.
    language : {"en", "id"}
        ``"en"`` uses :data:`ENGLISH_LEXICON`, ``"id"`` :data:`INDONESIAN_LEXICON`.
        Labels the lexicon lacks get no keywords (they are only predicted as
        the default).

    Returns
    -------
    KeywordClassifier
        With ``default=None``: call :meth:`~KeywordClassifier.fit` on the
        training data to set the default label.

    Raises
    ------
    UnknownName
        If ``language`` has no lexicon.
    ValueError
        If the lexicon covers none of ``labels``.

    Examples
    --------
    >>> clf = for_labels(["sadness", "anger", "love", "fear", "happy"], language="id")
    >>> clf.predict(["Alhamdulillah seneng banget hari ini"])[0].label
    'happy'
    """
    if language not in LEXICONS:
        raise UnknownName(
            f"no keyword lexicon for language {language!r}; choose one of: {', '.join(LEXICONS)}"
        )
    lexicon = LEXICONS[language]
    covered = {label: lexicon[label] for label in labels if label in lexicon}
    if not covered:
        raise ValueError(
            f"the {language!r} lexicon has words for {list(lexicon)}, "
            f"but none for the labels {list(labels)}"
        )
    return KeywordClassifier(covered, labels)


_WORD_RE = re.compile(r"[^\W_]+(?:[-'\u2019\u02bc`][^\W_]+)*")


def highlight(text: str, prediction: KeywordPrediction, label: str | None = None) -> str:
    """Return ``text`` with its matched keywords wrapped in ``**...**`` (Markdown bold).

    Parameters
    ----------
    text : str
        The text that was classified.
    prediction : KeywordPrediction
        Its prediction, from :meth:`KeywordClassifier.predict`.
    label : str, optional
        Only highlight the keywords of this label; by default, those of all labels.

    Examples
    --------
    >>> clf = for_labels(["sadness", "joy", "love", "anger", "fear", "surprise"])
    >>> text = "We went to Bali for holiday. It was fantastic!"
    >>> highlight(text, clf.predict([text])[0])
    'We went to Bali for **holiday**. It was **fantastic**!'
    """
    if label is None:
        keywords = {word for words in prediction.matched.values() for word in words}
    else:
        keywords = set(prediction.matched.get(label, ()))

    def bold(match: re.Match[str]) -> str:
        word = match.group()
        return f"**{word}**" if any(t in keywords for t in tokenize(word)) else word

    return _WORD_RE.sub(bold, text)
