"""
PyTorch's layers for NLP
========================

Every model in these tutorials is built from a handful of ``torch.nn``
:term:`layers <layer>`: :term:`embeddings <embedding>`, linear layers, dropout,
layer normalisation, convolutions, recurrent networks and :term:`attention`.
This page applies each one to the same real :term:`batch` of English tweets
(dair-emotion, six emotions), and prints the shape of what goes in, the shape
of what comes out, and how many :term:`weights <weight>` the layer learns. At
the end a small model is trained for a few seconds, and we look at the word
embeddings it learned.

**Before this page:** :doc:`plot_02_what_is_deep_learning` (layers, weights,
training). **After it** you can pick the PyTorch layers for a text model and
follow the shapes of the :term:`tensors <tensor>` through them.
"""

# %%
# One batch of tweets
# -------------------
# A layer works on tensors, so we first turn tweets into :term:`token` ids with
# nlptut's text pipeline: a :term:`vocabulary` of the words seen at least twice in the
# :term:`training split`, and a loader that pads each batch to its longest tweet.
# The loader normally *buckets*: it puts tweets of similar length in the same
# batch, so that little padding is needed. We switch bucketing off, so that
# the batch mixes short and long tweets and the :term:`padding` is easy to
# see. ``batch.ids`` holds the ids, ``batch.mask`` is
# ``True`` at real tokens and ``False`` at padding.

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.metrics.pairwise import cosine_similarity
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from nlptut.claims import expect
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.models import build_model, count_parameters
from nlptut.text import EncodedDataset, Vocabulary, make_loader
from nlptut.training import TrainConfig, evaluate, train

torch.manual_seed(0)
QUICK = quick_mode()
data = load_dataset("dair-emotion", limit=2000 if QUICK else None)
vocab = Vocabulary.build(data["train"].texts, min_freq=2)
train_set = EncodedDataset.from_texts(data["train"].texts, data["train"].labels, vocab, max_len=64)
val_set = EncodedDataset.from_texts(
    data["validation"].texts, data["validation"].labels, vocab, max_len=64
)
loader = make_loader(train_set, batch_size=8, shuffle=True, bucket=False, seed=0)
batch = next(iter(loader))
print(f"vocabulary: {len(vocab):,} tokens")
print("ids:", tuple(batch.ids.shape), batch.ids.dtype, " mask:", tuple(batch.mask.shape))
print("lengths:", batch.lengths.tolist())
print("first tweet:", " ".join(vocab.decode(batch.ids[0])))
print("its ids, then padding:", batch.ids[0, : int(batch.lengths[0]) + 4].tolist(), "...")

# %%
# To compare the layers at the end, we note for each one the shapes and the
# parameter count (the number of weights training adjusts).

summary = []


def record(name, layer, inputs, outputs):
    """Print and remember a layer's input shape, output shape and parameter count."""
    params = sum(p.numel() for p in layer.parameters())
    summary.append((name, tuple(inputs.shape), tuple(outputs.shape), params))
    print(f"{name}: {tuple(inputs.shape)} -> {tuple(outputs.shape)}, {params:,} parameters")


# %%
# Embedding: an id becomes a vector
# ---------------------------------
# ``nn.Embedding`` is a table with one learned row per token of the
# vocabulary; looking up a row is all it does. Each id of the ``(batch,
# seq_len)`` tensor becomes a vector, here of 64 numbers. With
# ``padding_idx`` the row of the padding id stays zero and is never trained.

dim = 64
embedding = nn.Embedding(len(vocab), dim, padding_idx=vocab.pad_id)
x = embedding(batch.ids)  # (batch, seq_len, dim)
record("Embedding", embedding, batch.ids, x)
print("a padded position holds only zeros:", bool((x[~batch.mask] == 0).all()))

# %%
# EmbeddingBag: look up and average in one step
# ---------------------------------------------
# A *bag of words* model only needs the average of a text's word vectors.
# ``nn.EmbeddingBag`` looks the rows up and averages them without building the
# ``(batch, seq_len, dim)`` tensor; padding ids are left out of the average.
# We give it the same table as above and check it against the average computed
# by hand over the real tokens.

bag = nn.EmbeddingBag(len(vocab), dim, mode="mean", padding_idx=vocab.pad_id)
bag.weight = embedding.weight
averaged = bag(batch.ids)  # (batch, dim)
record("EmbeddingBag", bag, batch.ids, averaged)
by_hand = (x * batch.mask.unsqueeze(-1)).sum(1) / batch.lengths.unsqueeze(-1)  # (batch, dim)
print(f"largest difference to the masked average: {(averaged - by_hand).abs().max():.1e}")

# %%
# Linear: from features to emotion scores
# ---------------------------------------
# ``nn.Linear`` makes each output a weighted sum of all the inputs plus a
# constant (the :term:`weights <weight>` and the :term:`bias`; in symbols
# :math:`y = x W^T + b`). Mapping a tweet's 64 numbers to six scores
# (:term:`logits`), one per emotion, is the last layer of every classifier on
# this site.

linear = nn.Linear(dim, len(data.labels))
logits = linear(averaged)  # (batch, num_classes)
record("Linear", linear, averaged, logits)
print("probabilities of the untrained layer, first tweet:")
probs = logits[0].softmax(-1).tolist()
print(", ".join(f"{label} {p:.2f}" for label, p in zip(data.labels, probs, strict=True)))

# %%
# Dropout: switched on only while training
# ----------------------------------------
# ``nn.Dropout(p)`` sets a random fraction ``p`` of its inputs to zero and
# multiplies the others by :math:`1 / (1 - p)`, so that their expected sum is
# unchanged. It makes a network rely on many features rather than a few.
# ``model.eval()`` switches it off: then it passes its input through.

dropout = nn.Dropout(p=0.5)
dropped = dropout(x)  # (batch, seq_len, dim)
record("Dropout", dropout, x, dropped)
real = x[batch.mask]  # the real tokens' vectors
kept = dropped[batch.mask]
print(
    f"training mode: {(kept == 0).float().mean():.1%} of the values zeroed, "
    f"the others scaled by {(kept[kept != 0] / real[kept != 0]).mean():.2f}"
)
dropout.eval()
print("eval mode: output equals input:", torch.equal(dropout(x), x))

# %%
# LayerNorm: each token vector rescaled
# -------------------------------------
# ``nn.LayerNorm`` shifts and scales each token's vector to mean 0 and standard
# deviation 1 (then applies a learned scale and shift, 2 x 64 weights). It
# keeps the numbers in a deep stack of layers in a range where training works;
# every :term:`Transformer` layer uses it.

norm = nn.LayerNorm(dim)
normed = norm(x)  # (batch, seq_len, dim)
record("LayerNorm", norm, x, normed)
first = normed[0, 0]
print(f"first token before: mean {x[0, 0].mean():+.3f}, std {x[0, 0].std(correction=0):.3f}")
print(f"first token after:  mean {first.mean():+.3f}, std {first.std(correction=0):.3f}")

# %%
# Conv1d: detectors of short phrases
# ----------------------------------
# A *filter* is a small detector of a short phrase: it looks at a window of a
# few consecutive words (``kernel_size`` of them, here 3, such as "not very
# happy") and gives the window a score, high when the window looks like the
# phrase it has learned. ``nn.Conv1d`` slides each of its filters (here 32)
# along the text, one word at a time, and scores every window
# (``padding=1`` adds one empty position at each end, so that there is a
# window centred on every word; it has nothing to do with the padding of
# the batch). It expects
# the numbers of each word (its *channels*, here the 64 numbers of the
# embedding) along the second dimension and the positions along the third,
# the other way round from our tensor, so we swap the two dimensions
# (``transpose``). Keeping each filter's largest score over the real
# positions (the padding positions are set to minus infinity first, so they
# never win) gives one vector per tweet that says which phrases occur,
# wherever they are :cite:p:`kim2014cnn`.

conv = nn.Conv1d(dim, 32, kernel_size=3, padding=1)
windows = conv(x.transpose(1, 2))  # (batch, filters, seq_len)
record("Conv1d", conv, x.transpose(1, 2), windows)
pooled = windows.masked_fill(~batch.mask.unsqueeze(1), float("-inf")).amax(dim=-1)  # (batch, 32)
print("max-pooled over the real positions:", tuple(pooled.shape))

# %%
# RNN, LSTM and GRU, with packed sequences
# ----------------------------------------
# A recurrent network reads the tokens one at a time, as a person reads, and
# carries a *state*, a vector that sums up what it has read so far, from each
# token to the next. A plain RNN rewrites its whole state at every word and
# soon forgets the start of a long text. The LSTM and GRU add *gates*: small
# layers that decide, at every word, how much of the old state to forget, how
# much of the new word to let in and (in the LSTM) how much of the state to
# show, which lets them remember over longer texts
# :cite:p:`hochreiter1997lstm`. (The LSTM keeps a second vector for this, its
# *cell state*.) Each gate, and the new content itself, has as many weights
# as a plain RNN: three gates and the content make the LSTM four times as
# large, two gates and the content the GRU three times. The size of the
# state (here 48 numbers) is called the *hidden* size.
#
# A padded batch would make the network go on reading the padding after
# each short tweet, and its final state would then be about padding.
# ``pack_padded_sequence`` *packs* the batch: it hands the network only the
# real tokens of each tweet, and ``pad_packed_sequence`` pads the outputs back
# into a rectangle. The final state ``h_n`` of each tweet is then the one
# after its own last word.

packed = pack_padded_sequence(x, batch.lengths, batch_first=True, enforce_sorted=False)
recurrent = {
    "RNN": nn.RNN(dim, 48, batch_first=True),
    "LSTM": nn.LSTM(dim, 48, batch_first=True),
    "GRU": nn.GRU(dim, 48, batch_first=True),
}
for name, rnn in recurrent.items():
    packed_out, state = rnn(packed)
    h_n = state[0] if name == "LSTM" else state  # the LSTM also returns its cell state
    out, _ = pad_packed_sequence(packed_out, batch_first=True)  # (batch, seq_len, 48)
    record(name, rnn, x, out)
    print(f"   final state h_n: {tuple(h_n.shape)} (layers, batch, hidden)")

# %%
# What packing buys: the final state of the shortest tweet in the batch, read
# with and without packing, against the same tweet read on its own, with no
# padding at all.

gru = recurrent["GRU"]
short = int(batch.lengths.argmin())
on_its_own = gru(x[short : short + 1, : batch.lengths[short]])[1][0, 0]  # (48,)
with_packing = gru(packed)[1][0, short]
without_packing = gru(x)[1][0, short]  # reads the padding too
print(f"shortest tweet: {int(batch.lengths[short])} tokens, padded to {batch.ids.shape[1]}")
print(f"packed   vs alone: largest difference {(with_packing - on_its_own).abs().max():.1e}")
print(f"unpacked vs alone: largest difference {(without_packing - on_its_own).abs().max():.1e}")

# %%
# MultiheadAttention: every token looks at every token
# ----------------------------------------------------
# Self-attention replaces the left-to-right reading by a weighted average:
# each token's output mixes the vectors of all tokens, with weights computed
# from how well they match :cite:p:`vaswani2017attention`. Each token compares
# a *query* (what it looks for) with every token's *key* (what that token is
# about); the next tutorial takes this apart step by step. *Heads* are
# several such attentions side by side (here 4), each free to look for
# something else. These *attention weights* are computed afresh for every
# text from the tokens themselves; they are not knobs that training turns
# (the layer's knobs are the tables that make the queries and keys).
# ``key_padding_mask`` (``True`` at padding, the opposite of ``batch.mask``)
# stops any token from looking at padding. The weights form an attention map,
# one row per token, each row summing to 1.

attention = nn.MultiheadAttention(dim, num_heads=4, batch_first=True)
attended, weights = attention(x, x, x, key_padding_mask=~batch.mask)
record("MultiheadAttention", attention, x, attended)
print("attention weights (averaged over the 4 heads):", tuple(weights.shape))
print(f"weight given to padding: {weights[~batch.mask.unsqueeze(1).expand_as(weights)].sum():.1f}")

# %%
# The map of the shortest tweet: its tokens and the first few of the padding
# positions it carries in this batch. Each row is a token that looks (its
# query), each column a token it looks at (its key), and the colour the share
# of its attention (the scale at the side). The padding *rows* are not
# empty: a padding position still asks its query and attends to the real
# tokens, but no real token attends to it, and its output is thrown away.
# The layer is untrained, so its weights are close to uniform; the point
# here is the shape of the map and the empty padding columns. The next
# tutorial plots the attention of a trained Transformer.

shown = min(int(batch.lengths[short]) + 4, batch.ids.shape[1])
tokens = vocab.decode(batch.ids[short, :shown], skip_pad=False)
fig, ax = plt.subplots(figsize=(5, 4))
image = ax.imshow(weights[short, :shown, :shown].detach(), cmap="viridis", vmin=0)
ax.set_xticks(range(len(tokens)), tokens, rotation=90)
ax.set_yticks(range(len(tokens)), tokens)
ax.set_xlabel("attends to (key)")
ax.set_ylabel("token (query)")
ax.set_title("Untrained self-attention: padding gets no weight")
fig.colorbar(image, ax=ax, shrink=0.8)
fig.tight_layout()

# %%
# TransformerEncoderLayer: attention plus a feed-forward block
# ------------------------------------------------------------
# One Transformer layer is self-attention followed by a small two-layer
# network applied to every token, each wrapped in a residual connection and a
# LayerNorm. It keeps the shape ``(batch, seq_len, dim)``, so layers stack.

encoder_layer = nn.TransformerEncoderLayer(
    dim, nhead=4, dim_feedforward=128, batch_first=True, norm_first=True
)
encoded = encoder_layer(x, src_key_padding_mask=~batch.mask)  # (batch, seq_len, dim)
record("TransformerEncoderLayer", encoder_layer, x, encoded)

# %%
# The layers side by side
# -----------------------
# The embedding table holds almost all the weights (more than four times as
# many as all the other layers of the table together): one row per word of
# the vocabulary. The layers that read the text (convolution, recurrent
# networks, attention) are small next to it.

print(f"{'layer':<24} {'input':<16} {'output':<16} {'parameters':>10}")
for name, shape_in, shape_out, params in summary:
    print(f"{name:<24} {str(shape_in):<16} {str(shape_out):<16} {params:>10,}")
weights = {name: params for name, _, _, params in summary}
readers = sum(n for name, n in weights.items() if not name.startswith("Embedding"))
expect(
    weights["Embedding"] > 4 * readers,
    "the embedding table holds almost all the weights",
    numbers=f"{weights['Embedding']:,} in the table, {readers:,} in all the other layers",
)

# %%
# Learned embeddings of emotion words
# -----------------------------------
# An untrained embedding is random. We now train nlptut's neural bag of words
# with its default layers (printed below: an ``EmbeddingBag``, a hidden
# ``Linear`` layer with a :term:`ReLU`, and the output ``Linear`` layer) on the
# training tweets for a few
# :term:`epochs <epoch>` (``fused=True`` picks PyTorch's faster, one-pass
# version of the :term:`optimizer`; :doc:`../03_performance/plot_02_profiling`
# shows where it saves time), then project the embeddings of some emotion words from their 128
# numbers (the default size of nlptut's bag of words, larger than the 64 of the
# untrained layers above) down to two with a principal component analysis (PCA, from scikit-learn).
# Each word is coloured by the emotion the trained model gives it when it reads
# that word alone.

model = build_model("nbow", len(vocab), len(data.labels))
epochs = 1 if QUICK else 3
result = train(
    model,
    train_set,
    val_set,
    TrainConfig(epochs=epochs, lr=5e-3, batch_size=32, fused=True, progress=False),
)
metrics = evaluate(model, val_set, data.labels)
print(
    f"nbow, {count_parameters(model):,} parameters, {epochs} epoch(s) in "
    f"{result.seconds:.1f} s: validation accuracy {metrics.accuracy:.3f}"
)
print(f"precision: {result.precision}")
for name, layer in model.named_children():
    print(f"  {name}: {layer} ({count_parameters(layer):,} parameters)")

# %%
# Do words of one emotion end up close together? Below are five words for
# each emotion, written down by us before training. We look at where the
# model put them, and at what it reads each word alone as. Nothing told the
# model which words belong together: whatever it learned came from the tweets.

GROUPS = {
    "joy": ["happy", "glad", "cheerful", "excited", "joyful"],
    "sadness": ["sad", "miserable", "lonely", "depressed", "hopeless"],
    "anger": ["angry", "furious", "irritated", "annoyed", "bitter"],
    "fear": ["scared", "afraid", "terrified", "nervous", "anxious"],
    "love": ["loving", "sweet", "caring", "tender", "passionate"],
    "surprise": ["surprised", "amazed", "shocked", "curious", "stunned"],
}
intended = {word: emotion for emotion, group in GROUPS.items() for word in group}
words = list(intended)
words = [w for w in words if w in vocab]
ids = torch.tensor([vocab.lookup(w) for w in words])
model.eval()
with torch.no_grad():
    vectors = model.embedding.weight[ids].numpy()  # (words, embed_dim)
    alone = model(ids.unsqueeze(1), torch.ones(len(ids), 1, dtype=torch.bool)).argmax(-1)
points = PCA(n_components=2).fit_transform(vectors)

fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
colors = plt.get_cmap("tab10")
for k, label in enumerate(data.labels):
    chosen = (alone == k).numpy()
    if chosen.any():
        ax.scatter(points[chosen, 0], points[chosen, 1], color=colors(k), label=label)
for word, (px, py) in zip(words, points, strict=True):
    ax.annotate(word, (px, py), fontsize=8, xytext=(3, 3), textcoords="offset points")
ax.margins(x=0.12, y=0.08)  # room for the words next to the points
ax.set_xlabel("first principal component")
ax.set_ylabel("second principal component")
ax.set_title("Embeddings of emotion words after training (PCA)")
fig.legend(
    fontsize=8, title="model reads\nthe word as", title_fontsize=8, loc="outside right center"
)
print("words by predicted emotion:")
for k, label in enumerate(data.labels):
    if (alone == k).any():
        print(f"  {label:<9}", ", ".join(np.array(words)[(alone == k).numpy()]))

# Closeness in all the embedding's numbers, not only the two drawn: for each
# word, which other word's vector points most in the same direction?
similarity = cosine_similarity(vectors)  # (words, words)
np.fill_diagonal(similarity, -np.inf)  # a word is not its own neighbour
nearest = similarity.argmax(axis=1)
same_group = np.mean([intended[words[i]] == intended[words[j]] for i, j in enumerate(nearest)])
group_sizes = {e: sum(intended[w] == e for w in words) for e in GROUPS}
chance = np.mean([(group_sizes[intended[w]] - 1) / (len(words) - 1) for w in words])
read_as_listed = np.mean(
    [data.labels[int(k)] == intended[w] for w, k in zip(words, alone, strict=True)]
)
print(f"nearest word from the same emotion list: {same_group:.0%} (by chance: {chance:.0%})")
print(f"words the model reads as the emotion we listed them under: {read_as_listed:.0%}")

# %%
# Takeaway
# --------
# Every layer maps a tensor of a known shape to another: ids ``(batch,
# seq_len)`` become vectors ``(batch, seq_len, dim)`` in an embedding, the
# reading layers (convolution, recurrent network, attention) keep one vector
# per token, a pooling step or ``EmbeddingBag`` makes one vector per text, and
# a linear layer turns it into one score per emotion. Padding must be kept
# out at every step: ``padding_idx``, the mask in pooling, packed sequences
# and ``key_padding_mask`` all do that. Most weights sit in the embedding
# table, and training arranges them by what the words do in the tweets: the
# two shares printed above, set against chance, say how far the words of one
# emotion came together after this short training, and the words listed under
# another emotion than ours show where the tweets taught the model something
# else than our lists assume.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (small random layers, it runs at once) and compare. The solutions are the code
# that nlptut's own tests run, so they stay correct.
#
# 1. **An embedding is a lookup.** Turn the word ids 3, 7, 3 into one-hot
#    vectors (all zeros but a 1 at the word's id) and multiply them by an
#    embedding layer's table of weights. Is that what the layer returns? Do
#    the two 3s get the same vector?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/layers_for_nlp.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Yes to both: a one-hot vector times the table picks out one row, and
#       the embedding layer simply reads that row, without the
#       multiplication. The same word always gets the same vector, whatever
#       its neighbours; the layers after it bring in the context.
#
# 2. **Filters and lengths.** A convolution with filters 3 words wide reads
#    12 words. How many outputs does it give with ``padding=1``, and without
#    padding?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/layers_for_nlp.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       12 with padding, 10 without: a filter 3 wide fits in 10 places along
#       12 words, and the empty position added at each end gives it the two
#       places it needs to also sit centred on the first and the last word.
#
# 3. **Counting an LSTM.** How many weights has an LSTM that reads 8
#    numbers per word and keeps a state of 16? Count by hand, then ask
#    PyTorch.
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/layers_for_nlp.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       1,664: each of the four parts (three gates and the content) has 16 ×
#       8 weights from the input, 16 × 16 from the previous state and 16
#       biases, and PyTorch keeps a second set of 16 biases for the state
#       (the two add up; it is a convention inherited from the GPU library
#       cuDNN). 4 × (128 + 256 + 16 + 16) = 1,664, as PyTorch counts.
