"""
Tokenizers: words, subwords and special tokens
==============================================

A model never reads letters. It reads a list of numbers, one for each
:term:`token` of the text, and a *tokenizer* is the program that cuts the
text into tokens and looks up each token's number in a :term:`vocabulary`. A
:term:`pretrained model` comes with its own tokenizer, and you must use that
one: the model learned one list of numbers (an :term:`embedding`) for each
entry of *its* vocabulary, and no other. This lesson sets the tokenizer of
the small pretrained model of the next pages, all-MiniLM-L6-v2
(:cite:t:`wang2020minilm`, :cite:t:`reimers2019sentencebert`), beside
nlptut's word tokenizer: first on a few sentences, then on thousands of
English tweets (dair-emotion, :cite:t:`saravia2018carer`) and Indonesian
tweets (indonlu-emot, :cite:t:`saputri2018emotion`).

**Before this page:** :doc:`../02_emotion/plot_01_emotion_end_to_end`, where
a model cut tweets into words. **After it** you can run a pretrained
tokenizer, read what it makes of a text, and measure it on your own texts.
"""

# %%
# Two tokenizers
# --------------
# nlptut's tokenizer cuts a text into words and punctuation marks. Its
# vocabulary, built here on the English training tweets, gives a number to
# each word found at least twice there; every other word becomes the same
# unknown token, ``<unk>``. The pretrained model's tokenizer is loaded with
# :func:`nlptut.hf.load_tokenizer`. Its vocabulary was fixed once, before the
# model learned anything, and cannot change without training the model
# again. The output gives the size of each vocabulary.

from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hf import load_tokenizer
from nlptut.text import Vocabulary, tokenize

QUICK = quick_mode()
english = load_dataset("dair-emotion", limit=1000 if QUICK else None)
indonesian = load_dataset("indonlu-emot", limit=300 if QUICK else None)

vocab = Vocabulary.build(english["train"].texts, min_freq=2)
pretrained = load_tokenizer()  # all-MiniLM-L6-v2's tokenizer, installed with nlptut
print(f"nlptut:     {len(vocab):>6,} words, from {len(english['train']):,} English tweets")
print(f"pretrained: {pretrained.vocab_size:>6,} entries")


def show(text, vocabulary=vocab):
    """Print ``text``, then its nlptut tokens and its pretrained tokens, each with their count."""
    words = vocabulary.decode(vocabulary.encode(text))
    pieces = pretrained.convert_ids_to_tokens(pretrained(text)["input_ids"])
    print(text)
    print(f"  nlptut     ({len(words):>2}): {' '.join(words)}")
    print(f"  pretrained ({len(pieces):>2}): {' '.join(pieces)}")


# %%
# Words against pieces of words
# -----------------------------
# Three sentences that are not tweets of the dataset (the third, words of a
# hospital's notes), and what each tokenizer
# makes of them (the number of tokens in brackets), printed by the small
# function ``show`` defined above. nlptut keeps whole words, and a word
# missing from its vocabulary becomes ``<unk>``: the model learns nothing
# from it. Even ``.`` and ``!`` are unknown, because the
# training tweets contain no punctuation.
#
# The pretrained tokenizer is of the kind called :term:`WordPiece`. Its
# vocabulary holds common words whole and rarer words in pieces
# (:term:`subwords <subword>`): a word it does not hold whole is cut into
# pieces it does hold, and a piece that continues a word is written with
# ``##`` in front. It also turns capitals into small letters first, because
# its vocabulary has none. And it adds two *special tokens* that the model
# was trained with: ``[CLS]`` at the start and ``[SEP]``, "separator", at the
# end.

sentences = [
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
    "Tachycardia after metoprolol was stopped.",  # words of a clinic, not of tweets
]
for sentence in sentences:
    show(sentence)

# %%
# What even WordPiece cannot read
# -------------------------------
# A character that is in no entry of the vocabulary cannot be cut into known
# pieces. Such a character, and any word it is glued to, becomes the unknown
# token ``[UNK]``, and the model learns nothing from it. Many emoji are such
# characters. Read the output: which of these symbols become ``[UNK]``, and
# what happens to "happy" when an emoji touches it.

for text in ["so happy 😍", "so happy😍", "I ♥ you", "I ❤ you"]:
    print(f"{text}  ->  {' '.join(pretrained.tokenize(text))}")

# %%
# Tokens become numbers
# ---------------------
# The model reads numbers, not tokens: each token's number (its *id*) in the
# vocabulary. Several texts are read together in a :term:`batch`, and a
# batch is a rectangle, so shorter texts are filled up at the end with
# ``[PAD]`` tokens (:term:`padding`). Beside the ids the tokenizer returns
# the *attention mask*: 1 for a real token, 0 for padding, which tells the
# model to ignore it. The output gives each token of the shorter sentence,
# its id and its mask.

batch = pretrained(sentences, padding=True)
ids, mask = batch["input_ids"][1], batch["attention_mask"][1]
for token, number, flag in zip(pretrained.convert_ids_to_tokens(ids), ids, mask, strict=True):
    print(f"{token:<10}{number:>6}{flag:>3}")

# %%
# Indonesian tweets
# -----------------
# Now two short tweets from the Indonesian dataset. nlptut's English
# vocabulary knows few of their words, so most become ``<unk>``. The
# pretrained tokenizer cuts them into English-looking fragments instead. It
# also cuts every punctuation mark off as a token of its own, so the
# placeholder ``[USERNAME]``, which the dataset puts where a user name was,
# falls apart into its brackets and the pieces of the word between them.
# Compare the numbers of tokens in brackets.

short = [text for text in indonesian["test"].texts if len(text) < 100]
show(short[0])
show(next(text for text in short if "[USERNAME]" in text))

# %%
# Measure them on real data
# -------------------------
# Two examples prove little, so we measure on every test tweet of both
# datasets. For a fair comparison nlptut also gets a vocabulary built on the
# Indonesian training tweets. How to read the columns:
#
# * *tokens per word*: the number of tokens divided by the number of words.
#   1.00 means whole words; more means words were cut into pieces.
# * *unknown*: the share of tokens that are ``<unk>`` or ``[UNK]``.
# * *over 64*: the share of tweets longer than 64 tokens. The fine-tuning
#   lesson cuts every tweet at 64 tokens, so these lose their end.
#
# The pretrained tokenizer's counts include ``[CLS]`` and ``[SEP]``.


def tokens_of(texts, vocabulary=None):
    """Each text's tokens: nlptut's with ``vocabulary``, else the pretrained tokenizer's."""
    if vocabulary is None:
        return [pretrained.convert_ids_to_tokens(ids) for ids in pretrained(texts)["input_ids"]]
    return [vocabulary.decode(vocabulary.encode(text)) for text in texts]


indonesian_vocab = Vocabulary.build(indonesian["train"].texts, min_freq=2)
rows = [
    ("English", "nlptut, English words", english["test"].texts, vocab),
    ("English", "pretrained", english["test"].texts, None),
    ("Indonesian", "nlptut, English words", indonesian["test"].texts, vocab),
    ("Indonesian", "nlptut, Indonesian words", indonesian["test"].texts, indonesian_vocab),
    ("Indonesian", "pretrained", indonesian["test"].texts, None),
]
print(f"{'tweets':<12}{'tokenizer':<26}{'tokens per word':>16}{'unknown':>9}{'over 64':>9}")
for tweets, name, texts, vocabulary in rows:
    tokens = tokens_of(texts, vocabulary)
    total = sum(len(t) for t in tokens)
    per_word = total / sum(len(tokenize(text)) for text in texts)
    unknown = sum(t.count("<unk>") + t.count("[UNK]") for t in tokens) / total
    over = sum(len(t) > 64 for t in tokens) / len(tokens)
    print(f"{tweets:<12}{name:<26}{per_word:>16.2f}{unknown:>9.1%}{over:>9.1%}")

# %%
# Takeaway
# --------
# A word vocabulary built on your own texts gives short sequences, but it
# cannot read a word it has not seen: read the *unknown* column, small for
# English tweets, large for Indonesian tweets under an English vocabulary.
# WordPiece cuts an unseen word into pieces instead, and gives up only on
# characters outside its vocabulary, such as many emoji. The price is length:
# few extra tokens on English, many on Indonesian, because its vocabulary was
# learned on English text. A pretrained model only understands its own
# tokens, so the tokenizer and the model always travel together; for
# Indonesian, the better choice is a model whose vocabulary was built on
# Indonesian, such as IndoBERT :cite:p:`wilie2020indonlu`. The same holds
# for the words of a clinic: see how the third sentence above was cut.
#
# **Next on the route:** :doc:`plot_03_fine_tuning`, which trains such a
# pretrained model, with its own tokenizer, on labelled tweets.
#
# .. dropdown:: For the curious: how WordPiece chooses its pieces, and why length matters
#
#    WordPiece is the tokenizer of :term:`BERT`, the pretrained model that
#    all-MiniLM-L6-v2 copies in build :cite:p:`devlin2019bert`. Its
#    vocabulary was learned from a large amount of English text much as
#    :term:`byte-pair encoding` learns one: start from single characters and
#    keep joining the pairs that occur together most often. To cut a word,
#    it takes the longest entry that starts the word, then the longest entry
#    that continues it, and so on; if it gets stuck on a character it holds
#    nowhere, the whole word becomes ``[UNK]``. This model's vocabulary is
#    *uncased* (small letters only); a *cased* one keeps capitals, at the
#    price of holding both spellings of many words.
#
#    Length matters because a pretrained model is a :term:`Transformer`,
#    whose :term:`attention` lets every token look at every other token: the
#    work grows much faster than the number of tokens. Every model also has a
#    longest input, and what goes beyond it is cut off.

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
