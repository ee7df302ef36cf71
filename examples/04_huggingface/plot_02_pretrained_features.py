"""
Pretrained features: sentence embeddings and a linear classifier
================================================================

A :term:`pretrained <pretrained model>` encoder turns any text into a vector
that already carries much of its meaning, before it has seen a single
labelled example. This page keeps all-MiniLM-L6-v2
(:cite:t:`wang2020minilm`, trained for sentence similarity by
:cite:t:`reimers2019sentencebert`) *frozen*, uses it to embed English
tweets labelled with six emotions (dair-emotion, :cite:t:`saravia2018carer`),
and trains a :term:`logistic regression` on the vectors.

You will learn how mean pooling makes one vector of a sentence, what cosine
similarity between such vectors shows, and how far fixed features go on an
emotion task compared with plain word counts.
"""

# %%
# Load the data and the model
# ---------------------------
# Embedding a tweet means running the whole :term:`Transformer` on it:
# millions of multiplications per word, against a handful for a bag of words.
# To keep this page within its time budget, we embed the first 1,500 of the
# 16,000 training tweets and the first 1,000 of the 2,000 test tweets; the
# page prints how long that took on the machine that built it.
# :func:`nlptut.hf.load_encoder` loads the pretrained network with Hugging
# Face's ``AutoModel``, from a folder that ships in a Python package, so no
# download is needed.

import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import TSNE

from nlptut.compare import compare
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.hf import embed_texts, load_encoder, load_tokenizer, mean_pool
from nlptut.models import count_parameters
from nlptut.precision import choose_precision
from nlptut.text import tokenize
from nlptut.training import classification_metrics

QUICK = quick_mode()
N_TRAIN, N_TEST = (300, 200) if QUICK else (1500, 1000)
data = load_dataset("dair-emotion", limit=200 if QUICK else None)
train_texts, train_labels = data["train"].texts[:N_TRAIN], data["train"].labels[:N_TRAIN]
test = data.first(N_TEST, "test")["test"]
print(
    f"train on {len(train_texts):,} of {len(data['train']):,} tweets; "
    f"test on {len(test):,} of {len(data['test']):,}"
)

torch.manual_seed(0)
tokenizer = load_tokenizer()
encoder = load_encoder()
cfg = encoder.config
print(
    f"all-MiniLM-L6-v2: {cfg.num_hidden_layers} layers, {cfg.hidden_size} dimensions, "
    f"{cfg.num_attention_heads} heads, {count_parameters(encoder):,} weights"
)

# %%
# One vector per sentence
# -----------------------
# The encoder returns one vector per :term:`token`: its last hidden states, of
# shape (:term:`batch`, tokens, 384). To get one vector per sentence, this model
# averages the vectors of the real tokens (*mean pooling*; the :term:`attention` mask
# leaves out the :term:`padding`) and scales the result to length 1.
# :func:`nlptut.hf.embed_texts` does exactly that for a list of texts (here
# with ``amp=False``: float32 throughout, like the lines above, so that the
# two can be compared digit for digit).

SENTENCES = [
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
]
batch = tokenizer(SENTENCES, padding=True, return_tensors="pt")
with torch.no_grad():
    hidden = encoder(**batch).last_hidden_state  # (2, tokens, 384)
pooled = torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=1)
print("token vectors:   ", tuple(hidden.shape))
print(
    "sentence vectors:",
    tuple(pooled.shape),
    " lengths:",
    pooled.norm(dim=1).round(decimals=4).tolist(),
)
same = torch.allclose(pooled, embed_texts(SENTENCES, encoder, tokenizer, amp=False), atol=1e-5)
print("embed_texts gives the same vectors:", same)

# %%
# Embed the tweets
# ----------------
# Now every training and test tweet. Texts are batched in order of length, so
# that little time is spent on padding. :func:`~nlptut.hf.embed_texts` runs
# the encoder in :term:`mixed precision` (16-bit bfloat16 numbers for the matrix
# multiplies, see :ref:`the mixed-precision page
# <sphx_glr_auto_examples_03_performance_plot_01_mixed_precision.py>`) only
# where the CPU has instructions for it, and in float32 elsewhere: its
# default ``amp="auto"`` decides from the hardware. First, on 32 tweets, what
# each choice would cost here and how much it changes the vectors. These
# tweets go through as one batch padded to the longest, so they cost more per
# tweet than the length-sorted batches that follow; what matters is the
# ratio between the two formats.

probe = train_texts[:32]
probe_seconds, probe_vectors = {}, {}
for name, amp in [("float32", False), ("bfloat16", True)]:
    embed_texts(probe[:8], encoder, tokenizer, amp=amp)  # warm-up
    start = time.perf_counter()
    probe_vectors[name] = embed_texts(probe, encoder, tokenizer, amp=amp)
    probe_seconds[name] = time.perf_counter() - start
    print(f"{name:<9} {probe_seconds[name] * 1e3 / len(probe):6.1f} ms per tweet")
ratio = probe_seconds["float32"] / probe_seconds["bfloat16"]
print(f"bfloat16 is {ratio:.2f}x as fast as float32 here ({'faster' if ratio > 1 else 'slower'})")
change = (probe_vectors["float32"] - probe_vectors["bfloat16"]).abs().max().item()
print(f"largest change of a vector entry in bfloat16: {change:.4f}")
print(f'amp="auto" chooses: {choose_precision("auto", "cpu").reason}')

# %%
# Then all the tweets, with the default:

start = time.perf_counter()
x_train = embed_texts(train_texts, encoder, tokenizer).numpy()
x_test = embed_texts(test.texts, encoder, tokenizer).numpy()
seconds = time.perf_counter() - start
n = len(x_train) + len(x_test)
print(
    f"embedded {n:,} tweets in {seconds:.1f} s "
    f"({seconds * 1e3 / n:.1f} ms per tweet, {n / seconds:.0f} tweets/s)"
)
everything = len(data["train"]) + len(data["test"])
print(
    f"all {len(data['train']):,} training tweets and the {len(data['test']):,} test tweets "
    f"would take about {everything / (n / seconds):.0f} s here"
)
print("features:", x_train.shape, x_train.dtype)

# %%
# Nearest neighbours
# ------------------
# Because the vectors have length 1, the dot product of two of them is their
# *cosine similarity*: 1 for the same direction, near 0 for unrelated texts.
# Which training tweets are closest to our two sentences? The model was
# trained to place sentences with similar meaning close together, which is
# not the same as the same emotion.

queries = embed_texts(SENTENCES, encoder, tokenizer).numpy()
similarity = queries @ x_train.T  # (2, n_train)
for sentence, row in zip(SENTENCES, similarity, strict=True):
    print(sentence)
    for i in np.argsort(-row)[:3]:
        label = data.labels[train_labels[i]]
        print(f"  {row[i]:.2f}  {label:<9} {train_texts[i][:80]}")

# %%
# A linear classifier on frozen features
# --------------------------------------
# The encoder stays fixed; only a logistic regression learns, one :term:`weight` per
# feature and emotion. As a yardstick we train the same classifier on
# TF-IDF word and word-pair counts of the same tweets. Neither is tuned: both
# use ``C=10`` (the inverse strength of the regularisation).

start = time.perf_counter()
classifier = LogisticRegression(C=10, max_iter=3000).fit(x_train, train_labels)
fit_seconds = time.perf_counter() - start
frozen_answers = classifier.predict(x_test)
frozen = classification_metrics(test.labels, frozen_answers, data.labels)

tfidf = TfidfVectorizer(
    tokenizer=tokenize, lowercase=False, token_pattern=None, ngram_range=(1, 2), sublinear_tf=True
)
words_train = tfidf.fit_transform(train_texts)
words_model = LogisticRegression(C=10, max_iter=3000).fit(words_train, train_labels)
words_answers = words_model.predict(tfidf.transform(test.texts))
words = classification_metrics(test.labels, words_answers, data.labels)

print(f"{'features':<34}{'size':>7}{'accuracy':>10}{'macro-F1':>10}")
rows = [
    ("frozen MiniLM sentence vectors", x_train.shape[1], frozen),
    ("TF-IDF words and word pairs", words_train.shape[1], words),
]
for name, size, metrics in rows:
    print(f"{name:<34}{size:>7,}{metrics.accuracy:>10.3f}{metrics.macro_f1:>10.3f}")
print(f"logistic regression on the frozen vectors trained in {fit_seconds:.1f} s")
# which scored higher, and whether by more than another test sample could change
verdict = compare(
    test.labels, frozen_answers, words_answers, names=("sentence vectors", "word counts")
)
print(verdict.sentence())
print()
print(frozen.format_report())

# %%
# What it says about our two sentences
# ------------------------------------
# The :term:`probabilities <probability>` of the logistic regression on the
# frozen vectors, for the two sentences from the start of the page:

probabilities = classifier.predict_proba(queries)
print(f"{'':<48}" + "".join(f"{name:>9}" for name in data.labels))
for sentence, row in zip(SENTENCES, probabilities, strict=True):
    print(f"{sentence:<48}" + "".join(f"{p:>9.2f}" for p in row))

# %%
# A map of the embeddings
# -----------------------
# t-SNE (from scikit-learn) draws the 384-dimensional vectors in two
# dimensions so that tweets that are neighbours in the full space tend to stay
# neighbours on the map; distances between far-apart regions mean little.
# Each dot is one of the first 1,000 test tweets, coloured by its true
# emotion. If the emotions formed separate groups in this space, a linear
# classifier would find them easily.

n_map = min(1000, len(x_test))
points = TSNE(n_components=2, init="pca", perplexity=30, random_state=0).fit_transform(
    x_test[:n_map]
)
labels = np.array(test.labels[:n_map])
fig, ax = plt.subplots(figsize=(6.5, 4))
for k, name in enumerate(data.labels):
    ax.scatter(*points[labels == k].T, s=6, alpha=0.7, label=name)
ax.set_title(f"Frozen MiniLM vectors of {n_map:,} test tweets (t-SNE)", fontsize=10)
ax.set_xticks([])
ax.set_yticks([])
ax.legend(markerscale=3, fontsize=8, loc="lower left", ncols=2)
fig.tight_layout()

# %%
# Takeaway
# --------
# A frozen pretrained encoder gives every text a useful vector at no training
# cost, and a linear classifier on top learns quickly (its time is printed
# above). But these vectors
# were trained to say which sentences *mean* the same thing, not which *feel*
# the same: on the map the emotions overlap, with only loose regions where one
# of them dominates. Which features scored higher in this run, and whether
# by more than the noise of the test sample (a paired bootstrap,
# :mod:`nlptut.compare`), is the line under the table. Where the word counts
# hold their own, a likely reason is that the few words that carry an
# emotion are diluted in an average over the whole sentence, while the word
# counts keep each of them as a feature of its own. Either way, the remedy
# for vectors that were not made for emotions is to let the encoder's
# weights learn too: :term:`fine-tuning`.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it loads MiniLM once, a few seconds, and embeds a handful of sentences) and
# compare. The solutions are the code that nlptut's own tests run, so they
# stay correct.
#
# 1. **Opposite feelings.** Embed "i am so happy today", "i feel glad
#    today", "i am so sad today" and "the train leaves at nine". How close
#    (cosine similarity, 1 = same direction) is the happy sentence to each
#    of the others?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/pretrained_features.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       The glad sentence is closest, but the sad one is nearly as close,
#       and the train sentence far from both (nlptut's tests check that the
#       sad sentence is at most 0.5 and the train sentence at least 0.4
#       below the glad one). The encoder was trained to place sentences by
#       what they talk about and how; a happy and a sad day are much the
#       same kind of sentence. This is the overlap of the map above.
#
# 2. **"not me."** How similar are "My neighbour won the jackpot! not me."
#    and "My neighbour won the jackpot!", our sad sentence without the words
#    that make it sad?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/pretrained_features.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       Almost the same vector (a cosine similarity above 0.9, which the
#       tests check): two short words barely move an average over every
#       token of the sentence. A classifier on these vectors can hardly tell
#       the two apart, which is why the next page lets the encoder learn.
#
# 3. **Lengths.** How many numbers does a sentence get, and how long (the
#    square root of the sum of squares) is each vector, for a one-word text
#    and a long sentence?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/pretrained_features.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       384 numbers each, whatever the length of the text, and every vector
#       has length 1: ``embed_texts`` divides each by its length
#       (``normalize=True``), so that the dot product of two vectors is
#       their cosine similarity and only the direction counts.
