"""Tests of nlptut.text: tokenizer, vocabulary, datasets, batching and bucketing."""

from __future__ import annotations

import doctest
import json
import random

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlptut.fileio
import nlptut.text
import nlptut.vocab
from nlptut.errors import DataFormatError, NlptutError
from nlptut.text import (
    PAD,
    UNK,
    Batch,
    BucketBatchSampler,
    EncodedDataset,
    Example,
    Vocabulary,
    collate,
    make_loader,
    padding_fraction,
    tokenize,
)

# Lean settings: the CI machine is small and shared.
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(text: str) -> list[str]:
    """Tokenize the tokens of ``text`` joined by spaces."""
    return tokenize(" ".join(tokenize(text)))


# Tokenizer
# ---------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We went to Bali for holiday. It was fantastic!",
            ["we", "went", "to", "bali", "for", "holiday", ".", "it", "was", "fantastic", "!"],
        ),
        (
            "My neighbour won the jackpot! not me.",
            ["my", "neighbour", "won", "the", "jackpot", "!", "not", "me", "."],
        ),
        (
            "[USERNAME] [USERNAME] Kangen banget sama kalian, anak-anak!",
            [
                "[USERNAME]",
                "[USERNAME]",
                "kangen",
                "banget",
                "sama",
                "kalian",
                ",",
                "anak-anak",
                "!",
            ],
        ),
        ("Gw nggak ngerti [URL]", ["gw", "nggak", "ngerti", "[URL]"]),
        ("I'm sure it’s fine, don't worry", ["im", "sure", "its", "fine", ",", "dont", "worry"]),
        ("'quoted' rock 'n' roll", ["'", "quoted", "'", "rock", "'", "n", "'", "roll"]),
        ("so happy 😂😂 today!!", ["so", "happy", "😂", "😂", "today", "!", "!"]),
        ("FANTASTIC Fantastic fantastic", ["fantastic"] * 3),
        ("well-being -dash- 3-2", ["well-being", "-", "dash", "-", "3-2"]),
        ("snake_case", ["snake", "_", "case"]),
        ("Straße ﬁne", ["strasse", "fine"]),  # case folding and NFKC
        ("[lower] [] [A1]", ["[", "lower", "]", "[", "]", "[", "a1", "]"]),
        ("", []),
        (" \t\n ", []),
    ],
)
def test_tokenize_examples(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_tokenize_drops_invisible_format_characters() -> None:
    # Rule 5: invisible format characters (the variation selector U+FE0F, the
    # zero-width joiner U+200D) are dropped, not made into tokens.
    assert tokenize("❤️") == ["❤"]
    assert tokenize("👨\u200d👩") == ["👨", "👩"]
    assert tokenize("so\u200bhappy") == ["sohappy"]


def test_module_doctests() -> None:
    result = doctest.testmod(nlptut.text, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@FAST
@given(st.text(max_size=40))
def test_tokenize_round_trip_is_a_fixpoint(text: str) -> None:
    # What holds for all text: after one round trip (join tokens by spaces,
    # tokenize again), further round trips change nothing.
    once = round_trip(text)
    assert tokenize(" ".join(once)) == once


_PLAIN = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF)
    | st.sampled_from("😂😭🙏🔥👍’“”…—[]_-'USERNAME"),
    max_size=40,
)


@FAST
@given(_PLAIN)
def test_tokenize_is_idempotent_on_latin_text_and_emoji(text: str) -> None:
    assert round_trip(text) == tokenize(text)
    assert all(token and not token.isspace() for token in tokenize(text))


def test_tokenize_is_not_idempotent_on_all_unicode() -> None:
    # Known exceptions to exact idempotence (neither occurs in the datasets):
    # case folding "İ" gives "i" + a combining dot, which the next pass splits;
    # dropping an apostrophe between Hangul jamo leaves a decomposed syllable
    # that the next pass's NFKC composes.
    assert tokenize("İ") == ["i\u0307"]
    assert round_trip("İ") == ["i", "\u0307"]
    assert tokenize("\u1100'\u1161") == ["\u1100\u1161"]
    assert round_trip("\u1100'\u1161") == ["\uac00"]


# Vocabulary
# ----------

CORPUS = ["I feel happy", "I feel sad!", "happy happy joy", "sad"]


def test_build_orders_by_count_then_alphabetically() -> None:
    vocab = Vocabulary.build(CORPUS)
    # happy 3; feel, i, sad 2; !, joy 1
    assert vocab.tokens == [PAD, UNK, "happy", "feel", "i", "sad", "!", "joy"]
    assert (vocab.pad_id, vocab.unk_id) == (0, 1)
    assert vocab.lookup(PAD) == 0 and vocab.lookup(UNK) == 1


def test_build_min_freq_and_max_size() -> None:
    assert Vocabulary.build(CORPUS, min_freq=2).tokens == [PAD, UNK, "happy", "feel", "i", "sad"]
    assert Vocabulary.build(CORPUS, min_freq=4).tokens == [PAD, UNK]
    assert Vocabulary.build(CORPUS, max_size=4).tokens == [PAD, UNK, "happy", "feel"]
    assert Vocabulary.build(CORPUS, max_size=2).tokens == [PAD, UNK]
    assert len(Vocabulary.build(CORPUS, max_size=1000)) == 8


def test_build_is_deterministic() -> None:
    shuffled = CORPUS[::-1]
    random.Random(0).shuffle(shuffled)
    assert Vocabulary.build(shuffled) == Vocabulary.build(CORPUS)
    assert Vocabulary.build(CORPUS) != Vocabulary.build(CORPUS[:2])


def test_build_from_token_lists_ignores_specials() -> None:
    vocab = Vocabulary.build([["b", PAD, "a"], ["b", UNK, "Not Tokenized"]])
    assert vocab.tokens == [PAD, UNK, "b", "Not Tokenized", "a"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"min_freq": 0}, "min_freq"), ({"max_size": 1}, "max_size")],
)
def test_build_rejects_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Vocabulary.build(CORPUS, **kwargs)


def test_build_rejects_a_single_string() -> None:
    with pytest.raises(TypeError, match=r"Vocabulary.build\(\[text\]\)"):
        Vocabulary.build("I feel happy")


@pytest.mark.parametrize(
    ("tokens", "match"),
    [
        (["a", "b"], "must start with"),
        ([UNK, PAD], "must start with"),
        ([], "must start with"),
        ([PAD, UNK, "a", "a"], "appears twice"),
        ([PAD, UNK, 3], "must be strings"),
    ],
)
def test_init_validates_tokens(tokens: list, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Vocabulary(tokens)


def test_lookup_encode_decode() -> None:
    vocab = Vocabulary.build(CORPUS)
    assert "happy" in vocab and "angry" not in vocab and PAD in vocab
    assert vocab.lookup("angry") == vocab.unk_id
    assert vocab.encode("I feel ANGRY") == [4, 3, 1]
    assert vocab.encode(["i", "Feel"]) == [4, 1]  # token lists are not tokenized
    assert vocab.encode("happy happy joy", max_len=2) == [2, 2]
    assert vocab.encode("") == []
    assert vocab.decode([4, 3, 1, 0, 0]) == ["i", "feel", UNK]
    assert vocab.decode([4, 0], skip_pad=False) == ["i", PAD]
    assert vocab.decode(torch.tensor([4, 3, 0])) == ["i", "feel"]
    assert vocab.token(2) == "happy"


def test_encode_and_decode_errors() -> None:
    vocab = Vocabulary.build(CORPUS)
    with pytest.raises(IndexError, match="out of range"):
        vocab.token(len(vocab))
    with pytest.raises(IndexError, match="out of range"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match="max_len"):
        vocab.encode("a", max_len=0)
    with pytest.raises(ValueError, match="row by row"):
        vocab.decode(torch.zeros(2, 3, dtype=torch.long))


def test_save_load_round_trip(tmp_path) -> None:
    vocab = Vocabulary.build(CORPUS + ["😂 [USERNAME] anak-anak"])
    path = tmp_path / "sub" / "vocab.json"
    vocab.save(path)
    assert Vocabulary.load(path) == vocab
    assert Vocabulary.from_dict(vocab.to_dict()) == vocab
    assert json.loads(path.read_text(encoding="utf-8"))["tokens"] == vocab.tokens
    assert sorted(p.name for p in path.parent.iterdir()) == ["vocab.json"]  # no temp files


def test_save_replaces_atomically(tmp_path, monkeypatch) -> None:
    path = tmp_path / "vocab.json"
    old = Vocabulary.build(["old words"])
    old.save(path)
    Vocabulary.build(CORPUS).save(path)  # overwrite
    assert Vocabulary.load(path) == Vocabulary.build(CORPUS)

    def broken_sync(fd):  # the bytes are written, the disk fails before the file moves in
        raise OSError("disk full")

    monkeypatch.setattr(nlptut.fileio.os, "fsync", broken_sync)
    with pytest.raises(OSError, match="disk full"):
        old.save(path)
    assert Vocabulary.load(path) == Vocabulary.build(CORPUS)  # old file intact
    assert [p.name for p in tmp_path.iterdir()] == ["vocab.json"]  # temp file removed


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b'{"format": "nlptut.vocabulary", "tokens": [', "invalid JSON"),
        (b"", "invalid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'["<pad>", "<unk>", "a"]', "got a JSON list"),
        (b'{"tokens": ["<pad>", "<unk>"]}', '"format"'),
        (b'{"format": "nlptut.vocabulary", "version": 99, "tokens": []}', '"version"'),
        (b'{"format": "nlptut.vocabulary", "version": 1}', '"tokens"'),
        (b'{"format": "nlptut.vocabulary", "version": 1, "tokens": ["a", "b"]}', "start with"),
        (b'{"format": "nlptut.vocabulary", "version": 1, "tokens": ["<pad>", "<unk>", 1]}', "str"),
    ],
)
def test_load_bad_files(tmp_path, content: bytes, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=match) as info:
        Vocabulary.load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, NlptutError)


def test_load_missing_file(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        Vocabulary.load(tmp_path / "nope.json")


_TOKENS = st.text(min_size=1, max_size=6)
_TOKEN_LISTS = st.lists(st.lists(_TOKENS, max_size=8), min_size=1, max_size=8)


@FAST
@given(_TOKEN_LISTS, st.data())
def test_decode_inverts_encode_for_known_tokens(token_lists, data) -> None:
    vocab = Vocabulary.build(token_lists)
    tokens = data.draw(st.lists(st.sampled_from(vocab.tokens[1:]), max_size=10))
    assert vocab.decode(vocab.encode(tokens)) == tokens
    with_pad = data.draw(st.lists(st.sampled_from(vocab.tokens), max_size=10))
    assert vocab.decode(vocab.encode(with_pad), skip_pad=False) == with_pad
    assert vocab.decode(vocab.encode(with_pad)) == [t for t in with_pad if t != PAD]


@FAST
@given(_TOKEN_LISTS, st.lists(_TOKENS, max_size=10))
def test_unknown_tokens_encode_as_unk(token_lists, tokens) -> None:
    vocab = Vocabulary.build(token_lists)
    unknown = [t for t in tokens if t not in vocab]
    assert vocab.encode(unknown) == [vocab.unk_id] * len(unknown)


@FAST
@given(_TOKEN_LISTS)
def test_build_invariants(token_lists) -> None:
    vocab = Vocabulary.build(token_lists)
    assert vocab.tokens[:2] == [PAD, UNK]
    assert all(vocab.lookup(t) == i for i, t in enumerate(vocab.tokens))
    assert {t for tokens in token_lists for t in tokens} - {PAD, UNK} == set(vocab.tokens[2:])


# Dataset and collate
# -------------------


def test_encoded_dataset_from_texts() -> None:
    vocab = Vocabulary.build(CORPUS)
    data = EncodedDataset.from_texts(["i feel happy happy", "", "?!"], [0, 1, 2], vocab, max_len=3)
    assert len(data) == 3
    assert data[0] == Example(0, [4, 3, 2], 0)
    assert data[1] == Example(1, [vocab.unk_id], 1)  # empty text -> [unk]
    assert data[2] == Example(2, [1, 6], 2)
    assert data[-1].index == 2
    assert data.lengths == [3, 1, 2]
    index, ids, label = data[0]
    assert (index, ids, label) == (0, [4, 3, 2], 0)
    unlabelled = EncodedDataset.from_texts(["happy"], None, vocab)
    assert unlabelled[0].label is None
    with pytest.raises(IndexError, match="out of range"):
        data[3]


def test_encoded_dataset_validates() -> None:
    with pytest.raises(ValueError, match="no token ids"):
        EncodedDataset([[1], []])
    with pytest.raises(ValueError, match="labels"):
        EncodedDataset([[1], [2]], [0])
    with pytest.raises(TypeError, match="not one string"):
        EncodedDataset.from_texts("a text", None, Vocabulary([PAD, UNK]))


def test_collate_errors() -> None:
    with pytest.raises(ValueError, match="empty"):
        collate([])
    with pytest.raises(ValueError, match="no label"):
        collate([(0, [2], 1), (1, [3], None)])
    with pytest.raises(ValueError, match="no token ids"):
        collate([(0, [], 1)])
    with pytest.raises(TypeError, match=r"\(index, ids, label\)"):
        collate([([2, 3], 1)])


def test_batch_to_and_len() -> None:
    batch = collate([(4, [2, 3], 1), (7, [5], 0)])
    moved = batch.to("cpu")
    assert isinstance(moved, Batch) and len(moved) == 2
    assert torch.equal(moved.ids, batch.ids) and torch.equal(moved.labels, batch.labels)
    assert collate([(0, [2], None)]).to(torch.device("cpu")).labels is None


_SEQUENCES = st.lists(
    st.lists(st.integers(2, 50), min_size=1, max_size=12), min_size=1, max_size=10
)


@FAST
@given(_SEQUENCES, st.integers(0, 3), st.booleans())
def test_collate_properties(sequences, pad_id, labelled) -> None:
    items = [(10 * i + 3, seq, i % 3 if labelled else None) for i, seq in enumerate(sequences)]
    batch = collate(items, pad_id=pad_id)
    longest = max(len(s) for s in sequences)
    assert batch.ids.shape == (len(sequences), longest) and batch.ids.dtype == torch.long
    assert batch.mask.dtype == torch.bool and batch.mask.shape == batch.ids.shape
    assert batch.lengths.tolist() == [len(s) for s in sequences]
    assert torch.equal(batch.mask.sum(1), batch.lengths)
    assert (batch.ids[~batch.mask] == pad_id).all()
    assert [
        row[:n] for row, n in zip(batch.ids.tolist(), batch.lengths.tolist(), strict=True)
    ] == sequences
    assert batch.index.tolist() == [item[0] for item in items]
    if labelled:
        assert batch.labels.tolist() == [item[2] for item in items]
    else:
        assert batch.labels is None


# Bucketing and loaders
# ---------------------


@FAST
@given(
    st.lists(st.integers(1, 100), max_size=300),
    st.integers(1, 40),
    st.integers(0, 2**32),
    st.integers(1, 8),
    st.booleans(),
)
def test_bucket_sampler_yields_every_index_once(lengths, batch_size, seed, multiplier, shuffle):
    sampler = BucketBatchSampler(
        lengths, batch_size, shuffle=shuffle, seed=seed, bucket_size_multiplier=multiplier
    )
    for _ in range(2):  # two epochs
        batches = list(sampler)
        assert len(batches) == len(sampler)
        assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
        assert all(1 <= len(batch) <= batch_size for batch in batches)
        assert sum(len(batch) < batch_size for batch in batches) <= 1
        # within a batch, examples come sorted by length
        assert all(
            [lengths[i] for i in batch] == sorted(lengths[i] for i in batch) for batch in batches
        )


@FAST
@given(st.lists(st.integers(1, 100), max_size=300), st.integers(1, 40), st.integers(0, 2**32))
def test_bucket_sampler_drop_last(lengths, batch_size, seed):
    sampler = BucketBatchSampler(lengths, batch_size, seed=seed, drop_last=True)
    batches = list(sampler)
    assert len(batches) == len(sampler) == len(lengths) // batch_size
    assert all(len(batch) == batch_size for batch in batches)
    seen = [i for batch in batches for i in batch]
    assert len(seen) == len(set(seen)) == len(lengths) - len(lengths) % batch_size


@FAST
@given(st.lists(st.integers(1, 30), min_size=40, max_size=200), st.integers(0, 2**32))
def test_bucket_sampler_seeds_and_epochs(lengths, seed):
    def epoch_order(seed: int, epoch: int) -> list[list[int]]:
        sampler = BucketBatchSampler(lengths, 4, seed=seed, bucket_size_multiplier=2)
        sampler.set_epoch(epoch)
        return list(sampler)

    assert epoch_order(seed, 0) == epoch_order(seed, 0)
    assert epoch_order(seed, 0) != epoch_order(seed, 1)
    assert epoch_order(seed, 0) != epoch_order(seed + 1, 0)
    assert epoch_order(0, 1) != epoch_order(1, 0)  # not just seed + epoch

    auto = BucketBatchSampler(lengths, 4, seed=seed, bucket_size_multiplier=2)
    assert [list(auto), list(auto)] == [epoch_order(seed, 0), epoch_order(seed, 1)]
    auto.set_epoch(0)  # rewind
    assert list(auto) == epoch_order(seed, 0)


def test_bucket_sampler_without_shuffle_is_fixed() -> None:
    lengths = [5, 1, 4, 2, 3, 6, 9]
    sampler = BucketBatchSampler(lengths, 2, shuffle=False, bucket_size_multiplier=2)
    expected = [[1, 3], [2, 0], [4, 5], [6]]  # chunks [0..3], [4..6] sorted by length
    assert list(sampler) == expected
    assert list(sampler) == expected  # same every epoch


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2, "seed": -1}, "seed"),
        ({"batch_size": 2, "bucket_size_multiplier": 0}, "bucket_size_multiplier"),
    ],
)
def test_bucket_sampler_validates(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        BucketBatchSampler([1, 2, 3], **kwargs)


def _skewed_dataset(n: int = 600, seed: int = 0) -> EncodedDataset:
    """Mostly short examples with a long tail, like tweets."""
    rng = random.Random(seed)
    lengths = [min(1 + int(rng.expovariate(1 / 8)), 120) for _ in range(n)]
    return EncodedDataset([[2] * n_tokens for n_tokens in lengths], [i % 2 for i in range(n)])


@pytest.mark.parametrize("bucket", [True, False])
@pytest.mark.parametrize("shuffle", [True, False])
def test_make_loader_covers_the_dataset(bucket: bool, shuffle: bool) -> None:
    data = _skewed_dataset(130)
    loader = make_loader(data, batch_size=16, shuffle=shuffle, bucket=bucket, seed=3)
    batches = list(loader)
    assert len(batches) == len(loader) == 9
    index = torch.cat([b.index for b in batches])
    assert sorted(index.tolist()) == list(range(130))
    for batch in batches:
        assert batch.lengths.tolist() == [data.lengths[i] for i in batch.index.tolist()]
        assert batch.labels.tolist() == [data.labels[i] for i in batch.index.tolist()]
    if not bucket and not shuffle:
        assert index.tolist() == list(range(130))
    again = make_loader(data, batch_size=16, shuffle=shuffle, bucket=bucket, seed=3)
    assert [b.index.tolist() for b in again] == [b.index.tolist() for b in batches]
    if shuffle:  # the next epoch differs
        assert [b.index.tolist() for b in loader] != [b.index.tolist() for b in batches]


def test_bucketing_reduces_padding() -> None:
    data = _skewed_dataset()
    bucketed = padding_fraction(make_loader(data, batch_size=32, shuffle=True, bucket=True))
    plain = padding_fraction(make_loader(data, batch_size=32, shuffle=True, bucket=False))
    assert 0 <= bucketed < plain < 1
    assert bucketed < plain / 3


def test_padding_fraction() -> None:
    assert padding_fraction([collate([(0, [2, 3], None), (1, [4, 5], None)])]) == 0.0
    batches = [collate([(0, [2, 3, 4, 5], None), (1, [2], None)]), collate([(2, [7], None)])]
    assert padding_fraction(batches) == pytest.approx(3 / 9)
    with pytest.raises(ValueError, match="no batches"):
        padding_fraction([])


# n-gram features (the fastText-style nbow)
# -----------------------------------------


def test_char_ngrams_and_word_bigrams_of() -> None:
    from nlptut.text import char_ngrams_of, word_bigrams_of

    assert char_ngrams_of("ab", 1, 2) == ["a", "b", "<a", "ab", "b>"]
    assert char_ngrams_of("ab", 4, 6) == ["<ab>"]  # longer than the marked word: nothing more
    assert word_bigrams_of(["not", "me"]) == ["not me"]
    assert word_bigrams_of(["alone"]) == []


def test_vocabulary_with_ngram_features() -> None:
    vocab = Vocabulary.build(
        ["sad sad day", "sad day"], min_freq=2, char_ngrams=(3, 3), word_bigrams=True
    )
    assert vocab.tokens == [PAD, UNK, "sad", "day"]
    assert vocab.num_words == 4
    assert vocab.ngrams == ["<sa", "ad>", "sad", "<da", "ay>", "day", "sad day"]
    assert len(vocab) == 4 + 7
    assert "sad day" not in vocab and "sad" in vocab  # membership is about words
    ids = vocab.encode("Sad day")
    assert ids[:2] == [2, 3]  # the words first
    assert vocab.decode(ids[2:]) == ["<sa", "sad", "ad>", "<da", "day", "ay>", "sad day"]
    assert vocab.token(len(vocab) - 1) == "sad day"
    # An unseen word is <unk>, but its known pieces still speak for it.
    assert vocab.decode(vocab.encode("sadday")) == [UNK, "<sa", "sad", "day", "ay>"]
    # max_len cuts the words; only the kept words give n-grams.
    assert vocab.decode(vocab.encode("sad day", max_len=1)) == ["sad", "<sa", "sad", "ad>"]


def test_ngram_vocabulary_round_trip(tmp_path) -> None:
    vocab = Vocabulary.build(CORPUS, char_ngrams=(1, 4), word_bigrams=True)
    assert vocab.ngrams and vocab != Vocabulary.build(CORPUS)
    assert vocab != Vocabulary.build(CORPUS, char_ngrams=(1, 3), word_bigrams=True)
    path = tmp_path / "vocab.json"
    vocab.save(path)
    loaded = Vocabulary.load(path)
    assert loaded == vocab and loaded.char_ngrams == (1, 4) and loaded.word_bigrams
    assert loaded.encode("I feel happy!") == vocab.encode("I feel happy!")
    assert "ngrams" not in Vocabulary.build(CORPUS).to_dict()  # plain vocabularies unchanged


@pytest.mark.parametrize("char_ngrams", [(0, 3), (4, 2), (1,), "ab", (1, "x")])
def test_bad_char_ngrams_are_refused(char_ngrams) -> None:
    with pytest.raises(ValueError, match="char_ngrams"):
        Vocabulary.build(CORPUS, char_ngrams=char_ngrams)


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ({"ngrams": "abc"}, '"ngrams" must be a list'),
        ({"word_bigrams": "yes", "ngrams": []}, '"ngrams" must be a list'),
        ({"ngrams": ["ab", "ab"], "char_ngrams": [1, 2]}, "appears twice"),
        ({"ngrams": ["ab"], "char_ngrams": None}, "neither char_ngrams nor word_bigrams"),
        ({"ngrams": ["ab"], "char_ngrams": [3, 1]}, "min_n <= max_n"),
    ],
)
def test_malformed_ngram_vocabulary_is_refused(extra: dict, match: str) -> None:
    d = {"format": "nlptut.vocabulary", "version": 1, "tokens": [PAD, UNK, "a"], **extra}
    with pytest.raises(DataFormatError, match=match):
        Vocabulary.from_dict(d)


def test_ngram_cache_holds_only_vocabulary_words() -> None:
    vocab = Vocabulary.build(["sad sad day"], char_ngrams=(2, 3))
    first = vocab.encode("sad zzzsad")
    assert vocab.encode("sad zzzsad") == first  # same ids, cached or not
    assert set(vocab._pieces_cache) == {"sad"}  # unknown words are not remembered
