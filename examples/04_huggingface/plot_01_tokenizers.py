"""
Tokenizers: words, subwords and special tokens
==============================================

A :term:`pretrained model` comes with its own tokenizer, and you must use
that one: the model learned one vector (an :term:`embedding`) for each entry
of *its* :term:`vocabulary`. This page
puts the WordPiece tokenizer of all-MiniLM-L6-v2, a small English BERT-style
encoder (:cite:t:`wang2020minilm`, :cite:t:`reimers2019sentencebert`), beside
nlptut's word tokenizer with a vocabulary built on English tweets
(dair-emotion, :cite:t:`saravia2018carer`), first on two sentences, then on
thousands of English and Indonesian tweets (indonlu-emot,
:cite:t:`saputri2018emotion`).

You will learn what subwords, special :term:`tokens <token>` and attention masks are, how to
measure a tokenizer on real data, and why an English vocabulary chops
Indonesian words into many pieces.

**Before this page:** :doc:`../02_emotion/plot_01_emotion_end_to_end` (tokens
and a vocabulary). **After it** you can run a pretrained tokenizer, read what
it makes of a text, and measure it on a dataset.
"""

# %%
# Two tokenizers
# --------------
# nlptut's tokenizer cuts a text into words and punctuation marks; a
# :class:`~nlptut.text.Vocabulary` built on the English training tweets gives
# each word that occurs at least twice an id, and every other word the id of
# ``<unk>`` (unknown). The pretrained tokenizer is
# loaded from the model's
# folder with :func:`nlptut.hf.load_tokenizer`, which calls Hugging Face's
# ``AutoTokenizer``. Its vocabulary was fixed once, before the model was
# pretrained, and we cannot change it without retraining the model.

import matplotlib.pyplot as plt
import numpy as np

from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hf import load_tokenizer
from nlptut.text import Vocabulary, tokenize

QUICK = quick_mode()
english = load_dataset("dair-emotion", limit=1000 if QUICK else None)
indonesian = load_dataset("indonlu-emot", limit=300 if QUICK else None)

vocab = Vocabulary.build(english["train"].texts, min_freq=2)
wordpiece = load_tokenizer()  # all-MiniLM-L6-v2, from the offline package
print(f"nlptut:    {len(vocab):>6,} words, built on {len(english['train']):,} English tweets")
print(f"WordPiece: {wordpiece.vocab_size:>6,} entries ({type(wordpiece).__name__})")
print("special tokens:", wordpiece.all_special_tokens)

# %%
# Words against subwords
# ----------------------
# Here are two sentences that are not tweets from the data set. nlptut keeps
# whole words; a word missing from the vocabulary becomes ``<unk>``, and the
# model learns nothing from it. Even ``.`` and ``!`` are unknown here, because
# the dair-emotion tweets contain no punctuation at all. WordPiece never needs
# an unknown word: it splits a rare word into pieces that are in its
# vocabulary, and marks a piece that continues a word with ``##``. It also
# lower-cases (this model's vocabulary is *uncased*) and adds two *special
# tokens*: ``[CLS]`` at the start and ``[SEP]`` at the end, as in BERT
# :cite:p:`devlin2019bert`.

SENTENCES = [
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
]
for sentence in SENTENCES:
    words = vocab.decode(vocab.encode(sentence))
    pieces = wordpiece.convert_ids_to_tokens(wordpiece(sentence)["input_ids"])
    print(sentence)
    print(f"  nlptut    ({len(words):>2}): {' '.join(words)}")
    print(f"  WordPiece ({len(pieces):>2}): {' '.join(pieces)}")

# %%
# Padding and the attention mask
# ------------------------------
# A :term:`batch` is a rectangle, so shorter texts are :term:`padded
# <padding>` to the longest one. The
# pretrained tokenizer pads with ``[PAD]`` (id 0) and returns an
# ``attention_mask``: 1 at real tokens, 0 at padding, so that attention and
# pooling ignore the padding. nlptut's :class:`~nlptut.text.Batch` carries
# the same information as a boolean ``mask``. The table shows each position
# of the two-sentence batch: token, id and mask.

batch = wordpiece(SENTENCES, padding=True, return_tensors="pt")
print({name: tuple(tensor.shape) for name, tensor in batch.items()})
print(
    f"{'pos':>3}  {'sentence 1':<12}{'id':>6}{'mask':>5}   {'sentence 2':<12}{'id':>6}{'mask':>5}"
)
rows = zip(*(wordpiece.convert_ids_to_tokens(ids) for ids in batch["input_ids"]), strict=True)
for pos, (first, second) in enumerate(rows):
    ids = batch["input_ids"][:, pos].tolist()
    mask = batch["attention_mask"][:, pos].tolist()
    print(f"{pos:>3}  {first:<12}{ids[0]:>6}{mask[0]:>5}   {second:<12}{ids[1]:>6}{mask[1]:>5}")

# %%
# Indonesian tweets
# -----------------
# Now two short tweets from the Indonesian data set. The English vocabulary
# of nlptut knows few of their words, so most become ``<unk>``. WordPiece has
# no unknown words here either, but it cuts Indonesian words into
# English-looking fragments, and because it splits every punctuation mark off
# as a token of its own, the placeholder ``[USERNAME]`` (which IndoNLU puts
# where a user name was) comes apart into its brackets and the pieces of the
# word between them, as the output shows. The sequences grow long, and the
# pieces mean little to a model pretrained on English.

short = [t for t in indonesian["test"].texts if len(t) < 100]
examples = [short[0], next((t for t in short if "[USERNAME]" in t), short[1])]
for text in examples:
    words = vocab.decode(vocab.encode(text))
    pieces = wordpiece.tokenize(text)
    print(text)
    print(f"  nlptut    ({len(words):>2}): {' '.join(words)}")
    print(f"  WordPiece ({len(pieces):>2}): {' '.join(pieces)}")

# %%
# Measure them on real data
# -------------------------
# Two examples prove little, so we measure on every test tweet of both data
# sets (and, for a fair comparison, also give nlptut a vocabulary built on the
# Indonesian training tweets). *Tokens per word* divides the number of tokens
# by the number of nlptut words: 1.0 means whole words, more means the words
# were cut into pieces. The *unknown rate* is the share of tokens that are
# ``<unk>`` or ``[UNK]``, and *over 64* the share of tweets longer than 64
# tokens. WordPiece's counts include ``[CLS]`` and ``[SEP]``.

indonesian_vocab = Vocabulary.build(indonesian["train"].texts, min_freq=2)
test_sets = {"dair-emotion": english["test"].texts, "indonlu-emot": indonesian["test"].texts}
tokenizers = {
    "nlptut, English vocabulary": lambda texts: [vocab.encode(t) for t in texts],
    "nlptut, Indonesian vocabulary": lambda texts: [indonesian_vocab.encode(t) for t in texts],
    "WordPiece (MiniLM)": lambda texts: wordpiece(texts)["input_ids"],
}
unknown_id = {
    "nlptut, English vocabulary": vocab.unk_id,
    "nlptut, Indonesian vocabulary": indonesian_vocab.unk_id,
    "WordPiece (MiniLM)": wordpiece.unk_token_id,
}
lengths: dict[tuple[str, str], np.ndarray] = {}
print(
    f"{'data':<14}{'tokenizer':<31}{'tokens/text':>12}{'tokens/word':>12}{'unknown':>9}"
    f"{'over 64':>9}"
)
for data_name, texts in test_sets.items():
    words = sum(len(tokenize(t)) for t in texts)
    for name, encode in tokenizers.items():
        if data_name == "dair-emotion" and "Indonesian" in name:
            continue
        ids = encode(texts)
        n = np.array([len(x) for x in ids])
        lengths[data_name, name] = n
        unknown = sum(x.count(unknown_id[name]) for x in ids) / n.sum()
        print(
            f"{data_name:<14}{name:<31}{n.mean():>12.1f}{n.sum() / words:>12.2f}"
            f"{unknown:>9.1%}{(n > 64).mean():>9.1%}"
        )

# %%
# Sequence lengths
# ----------------
# The histograms show the whole distributions. On English tweets WordPiece
# adds little beyond its two special tokens; on Indonesian tweets its
# sequences are far longer than the word counts. Length matters: a
# :term:`Transformer`'s cost grows with the number of tokens (attention with its
# square), and a model truncates what is longer than its limit.

fig, axes = plt.subplots(1, 2, figsize=(7, 3.2), sharey=False)
for ax, data_name in zip(axes, test_sets, strict=True):
    words = lengths[data_name, "nlptut, English vocabulary"]
    pieces = lengths[data_name, "WordPiece (MiniLM)"]
    bins = np.arange(0, max(words.max(), pieces.max()) + 5, 4)
    ax.hist(words, bins=bins, alpha=0.6, label=f"nlptut words (median {np.median(words):.0f})")
    ax.hist(pieces, bins=bins, alpha=0.6, label=f"WordPiece (median {np.median(pieces):.0f})")
    ax.set_title(f"{data_name} test tweets", fontsize=10)
    ax.set_xlabel("tokens per tweet")
    ax.legend(fontsize=8)
axes[0].set_ylabel("tweets")
fig.tight_layout()

# %%
# Takeaway
# --------
# A word vocabulary built on your own data gives short sequences but cannot
# represent an unseen word: English tweets leave a small share of ``<unk>``,
# Indonesian tweets under an English vocabulary leave a large one. WordPiece
# never gives up on a word; it spends more tokens instead, few on English and
# many on Indonesian, because its vocabulary was learned on English text.
# A pretrained model only understands its own tokens, so the tokenizer and the
# model always travel together; for Indonesian, the next step is a model whose
# vocabulary was built on Indonesian, such as IndoBERT :cite:p:`wilie2020indonlu`.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it runs in a second or two) and compare. The solutions are the code that
# nlptut's own tests run, so they stay correct.
#
# 1. **Capitals.** Does WordPiece give *FANTASTIC*, *Fantastic* and
#    *fantastic* the same tokens?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/hf_tokenizers.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       The same single token, ``fantastic``, for all three: this model's
#       vocabulary is *uncased*, so the tokenizer lower-cases every text
#       before it looks anything up. The model cannot tell shouting from
#       writing calmly; a *cased* model keeps capitals, at the price of a
#       vocabulary that must hold both spellings.
#
# 2. **A word no dictionary has.** Make up a word, such as *snorkelbration*.
#    What does nlptut's word vocabulary make of it, and what does WordPiece?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/hf_tokenizers.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       The word vocabulary turns it into ``<unk>``: whatever it means, the
#       model sees the same "unknown" vector. WordPiece splits it into
#       several pieces it knows, each piece after the first marked ``##``, so
#       the model still gets something to read (here ``s ##nor ##kel ##bra
#       ##tion``: pieces, not the meaningful parts a person would pick).
#
# 3. **Cutting a text short.** Models have a longest input, so tokenizers can
#    cut (``truncation=True, max_length=8``). Which tokens of *"We went to Bali
#    for holiday. It was fantastic!"* survive, and is ``[SEP]`` among them?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/hf_tokenizers.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Eight tokens: ``[CLS]``, the first six word tokens, and ``[SEP]``.
#       The tokenizer keeps the special tokens the model expects and cuts the
#       text between them, so here the words that carry the emotion ("it was
#       fantastic") are the ones lost: look at how long your texts are before
#       choosing a maximum length.
