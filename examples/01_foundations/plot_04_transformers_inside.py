"""
Transformers from the inside
============================

The :term:`Transformer` of :cite:t:`vaswani2017attention` reads a text with
:term:`self-attention <attention>`: every word builds its new vector as a
weighted average of all the words' vectors. This page writes self-attention
step by step with plain :term:`tensor` operations and checks it against
PyTorch, shows why a Transformer needs positional encodings and
:term:`padding` masks, and then trains nlptut's small Transformer classifier
on English tweets labelled with six emotions (dair-emotion) to look at where
it attends.

**Before this page:** :doc:`plot_03_layers_for_nlp`
(:term:`embeddings <embedding>`, linear :term:`layers <layer>`, masks). **After it** you can
explain self-attention, positional encodings and padding masks, and read an
attention map.
"""

# %%
# Queries, keys and values
# ------------------------
# **In words.** Self-attention lets every word of a sentence gather
# information from the other words. Think of a meeting in which each word
# asks a question, wears a badge saying what it is about, and holds a piece
# of information. Each word compares its question with every badge, listens
# most to the words whose badge matches best, and leaves the meeting with a
# mix of what they told it. In "it was fantastic", the word "it" might ask
# "what am I referring to?" and listen most to the noun it stands for.
#
# The question is called the *query*, the badge the *key* and the
# information the *value*. Each is a list of numbers (a vector) made from
# the word's own vector by a different :term:`weight` table (a *matrix*),
# which training learns. Here the words are random vectors of 64 numbers, as
# an untrained :term:`embedding` would give, and the weight tables random too:
# we only check the arithmetic.
#
# .. dropdown:: For the curious: the formulas
#
#    With the :term:`token` vectors as the rows of :math:`X` and three weight
#    matrices, :math:`Q = X W_Q`, :math:`K = X W_K`, :math:`V = X W_V`.

import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

from nlptut.claims import expect
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.models import PositionalEncoding, build_model, count_parameters
from nlptut.text import EncodedDataset, Vocabulary, collate, tokenize
from nlptut.training import TrainConfig, evaluate, train

torch.manual_seed(0)
QUICK = quick_mode()
tokens = tokenize("We went to Bali for holiday. It was fantastic!")
d = 64
X = torch.randn(len(tokens), d)  # (seq_len, d)
W_q, W_k, W_v = (torch.randn(d, d) / math.sqrt(d) for _ in range(3))
Q, K, V = X @ W_q, X @ W_k, X @ W_v  # (seq_len, d) each
print("tokens:", tokens)
print("X:", tuple(X.shape), " Q, K, V:", tuple(Q.shape))

# %%
# Scaled dot product and softmax
# ------------------------------
# **In words.** How well does a question match a badge? Multiply the two
# vectors number by number and add up the products (the *dot product*): the
# result is large when both have large numbers in the same places. Each word
# gets one such score for every word of the sentence, itself included. The
# scores are divided by the square root of the vector size (8, for 64
# numbers) to keep them moderate (with large scores the softmax would give
# nearly all the weight to one word), and a :term:`softmax` turns each word's
# scores into *attention weights*: positive, adding up to 1, the best match
# getting the most. The word's new vector is the average of all the values,
# each counted with its weight.
#
# .. dropdown:: For the curious: the formula
#
#    .. math::
#
#       \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^T}{\sqrt{d}}\right) V
#
#    with :math:`d` the size of the vectors; the softmax runs along each row.

scores = Q @ K.T / math.sqrt(d)  # (seq_len, seq_len)
weights = scores.softmax(dim=-1)  # (seq_len, seq_len), rows sum to 1
output = weights @ V  # (seq_len, d)
print(
    "weights:",
    tuple(weights.shape),
    " every row sums to 1:",
    torch.allclose(weights.sum(-1), torch.ones(len(tokens))),
)
reference = F.scaled_dot_product_attention(Q, K, V)
print(
    f"largest difference to F.scaled_dot_product_attention: {(output - reference).abs().max():.1e}"
)

# %%
# Several heads: nn.MultiheadAttention by hand
# --------------------------------------------
# A *multi-head* attention layer runs several small attentions side by side,
# each on its own slice of the projected vectors, so that one head can follow,
# say, negations while another follows the subject. The heads' outputs are
# joined and mixed by an output projection. We rebuild
# ``nn.MultiheadAttention`` from its own weights and compare.

heads = 4
mha = nn.MultiheadAttention(d, heads, batch_first=True)
mha.eval()
W_in, b_in = mha.in_proj_weight, mha.in_proj_bias  # (3d, d), (3d,): Q, K and V stacked
q, k, v = (X @ W_in[i * d : (i + 1) * d].T + b_in[i * d : (i + 1) * d] for i in range(3))
q, k, v = (t.view(len(tokens), heads, d // heads).transpose(0, 1) for t in (q, k, v))
# q, k, v: (heads, seq_len, d / heads), one slice of the features per head
head_weights = (q @ k.transpose(1, 2) / math.sqrt(d // heads)).softmax(-1)  # (heads, T, T)
joined = (head_weights @ v).transpose(0, 1).reshape(len(tokens), d)  # (seq_len, d)
by_hand = mha.out_proj(joined)  # (seq_len, d)
with torch.no_grad():
    by_torch, torch_weights = mha(X[None], X[None], X[None], average_attn_weights=False)
print(f"outputs: largest difference {(by_hand - by_torch[0]).abs().max():.1e}")
print(f"weights: largest difference {(head_weights - torch_weights[0]).abs().max():.1e}")

# %%
# Attention does not see word order
# ---------------------------------
# Nothing above depends on where a token stands. If we reverse the sentence,
# every token gets exactly the same output as before, only in reversed order;
# averaged over the tokens (as a classifier does) the result is identical.
# To a bare attention layer, "not happy, sad" and "not sad, happy" are the
# same bag of words.


def attend(x):
    """Self-attention of the token vectors ``x`` (seq_len, d), with the weights above."""
    return F.scaled_dot_product_attention(x @ W_q, x @ W_k, x @ W_v)  # (seq_len, d)


reverse = torch.arange(len(tokens) - 1, -1, -1)
out_reversed = attend(X[reverse])
print(
    f"reversed input, outputs re-reversed: largest difference "
    f"{(out_reversed[reverse] - attend(X)).abs().max():.1e}"
)
print(
    f"mean over tokens: largest difference "
    f"{(out_reversed.mean(0) - attend(X).mean(0)).abs().max():.1e}"
)

# %%
# Sinusoidal positional encodings
# -------------------------------
# **In words.** To let attention see word order, the Transformer adds to
# each word's vector a fixed pattern of numbers that depends only on where
# the word stands: one pattern for the first word, another for the second,
# and so on. The patterns are made of waves. The first numbers of the pattern
# swing fast from one position to the next and the last ones slowly, like the
# second, minute and hour hands of a clock: together they give every
# position a pattern of its own, and neighbouring positions similar
# patterns. ``nlptut.models.PositionalEncoding`` holds the table; the
# picture shows it (left) and how alike the patterns of different positions
# are (right).
#
# .. dropdown:: For the curious: the formula
#
#    Position :math:`p` gets :math:`\sin(p / 10000^{2i/d})` in feature
#    :math:`2i` and :math:`\cos(p / 10000^{2i/d})` in feature :math:`2i + 1`,
#    for a vector of :math:`d` features (a *feature* is one of the numbers of
#    the vector, here one of 64).

encoding = PositionalEncoding(dim=d, max_len=50)
table = encoding.pe  # (max_len, dim)
similarity = table @ table.T  # (max_len, max_len): dot products between positions

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8, 3.5))
image = ax1.imshow(table, cmap="RdBu", aspect="auto")
ax1.set_xlabel("feature")
ax1.set_ylabel("position")
ax1.set_title("positional encoding")
fig.colorbar(image, ax=ax1)
for p in (0, 10, 25):
    ax2.plot(similarity[p], label=f"position {p}")
ax2.set_xlabel("position")
ax2.set_ylabel("dot product")
ax2.set_title("similar to the positions nearby")
ax2.legend(fontsize=8)
fig.tight_layout()

# %%
# With the encoding added, reversing the sentence changes the result: the
# model can now tell word order apart.

X_pos = encoding(X[None])[0]  # (seq_len, d): token vectors plus their positions
reversed_pos = encoding(X[reverse][None])[0]
print(
    f"with positions, mean over tokens: largest difference "
    f"{(attend(reversed_pos).mean(0) - attend(X_pos).mean(0)).abs().max():.2f}"
)

# %%
# Padding masks
# -------------
# Tweets in a :term:`batch` are padded to the same length. Padding vectors are not
# words, but attention does not know that: a padding position still has a key,
# so it still gets a share of every softmax, and the real tokens' outputs
# change with the amount of padding. ``key_padding_mask`` (``True`` at
# padding) sets those scores to :math:`-\infty` before the softmax, so
# padding gets weight 0. We encode the two seed sentences of these tutorials,
# pad them into one batch, and compare the shorter one with itself read alone.

texts = ["We went to Bali for holiday. It was fantastic!", "My neighbour won the jackpot! not me."]
toy_vocab = Vocabulary.build(texts)
batch = collate(EncodedDataset.from_texts(texts, None, toy_vocab))
embed = nn.Embedding(len(toy_vocab), d, padding_idx=toy_vocab.pad_id)
with torch.no_grad():
    x = embed(batch.ids)  # (2, seq_len, d); padding rows are zero vectors
    n = int(batch.lengths[1])
    alone = mha(x[1:, :n], x[1:, :n], x[1:, :n])[0][0]  # (n, d): no padding at all
    no_mask, no_mask_weights = mha(x, x, x)
    masked = mha(x, x, x, key_padding_mask=~batch.mask)[0][1, :n]
    no_mask = no_mask[1, :n]
print(
    "lengths:",
    batch.lengths.tolist(),
    "-> the second sentence gets",
    batch.ids.shape[1] - n,
    "padding positions",
)
print(
    f"without a mask: padding gets {no_mask_weights[1, :n, n:].sum(-1).mean():.0%} of the "
    f"attention; largest difference to reading it alone {(no_mask - alone).abs().max():.2f}"
)
print(f"with the mask:  largest difference to reading it alone {(masked - alone).abs().max():.1e}")

# %%
# Train a small Transformer on dair-emotion
# -----------------------------------------
# ``nlptut.models.TransformerClassifier`` puts these pieces together: word
# embeddings plus positional encodings, a stack of pre-norm
# ``nn.TransformerEncoderLayer`` (attention and a feed-forward block, each with
# a residual connection), a masked average over the tokens and a linear layer.
# We train a small one (64 numbers per token, two layers of four heads) for
# one :term:`epoch` on the training tweets, in batches of 128 (the time it
# took on the machine that built this page is printed below). The
# :term:`learning rate`, 1.2e-2, was chosen on the validation tweets in our
# trial runs (larger batches take fewer, larger steps, so they need a larger
# rate than the batches of 32 used elsewhere).
# ``train`` keeps the weights of the epoch that scored best on the validation
# tweets, and we score them on the test tweets.

data = load_dataset("dair-emotion", limit=2000 if QUICK else None)
vocab = Vocabulary.build(data["train"].texts, min_freq=2)
splits = {
    name: EncodedDataset.from_texts(data[name].texts, data[name].labels, vocab, max_len=64)
    for name in ("train", "validation", "test")
}
model = build_model("transformer", len(vocab), len(data.labels), d_model=64, ff_dim=128)
epochs = 1
result = train(
    model,
    splits["train"],
    splits["validation"],
    TrainConfig(epochs=epochs, lr=1.2e-2, batch_size=128, seed=0, progress=False),
)
metrics = evaluate(model, splits["test"], data.labels)
print(
    f"{count_parameters(model):,} parameters, {epochs} epoch on "
    f"{len(splits['train']):,} training tweets in {result.seconds:.0f} s"
)
print(f"precision: {result.precision}")
for record in result.history:
    print(
        f"epoch {record.epoch}: train loss {record.train_loss:.3f}, "
        f"validation accuracy {record.val_accuracy:.3f}"
    )
print(
    f"weights of epoch {result.best_epoch}: test accuracy {metrics.accuracy:.3f}, "
    f"macro-F1 {metrics.macro_f1:.3f}"
)
expect(
    metrics.accuracy > 0.5,
    "a small Transformer trained for one epoch already classifies most test tweets right",
    numbers=f"test accuracy {metrics.accuracy:.3f}",
)

# %%
# Where the trained model attends
# -------------------------------
# ``forward_with_attention`` runs the model and returns its :term:`logits` and each
# layer's attention weights, ``(batch, heads, seq_len, seq_len)``
# (``attention_maps`` returns only the weights). We average the heads of the
# last layer and plot one map per seed sentence, with the model's prediction.
# Each row is one token; its colours show how that token shares its
# attention among the tokens of the columns (the scale beside each map; the
# weights of a row add up to 1). A bright column is a token that many tokens
# look at. Two cautions when reading such maps: every word the model does not
# know is the same ``<unk>`` vector, so ``<unk>`` columns often stand out for
# that reason alone; and a map shows where information flows in one layer,
# not why the model chose its answer (the meaning page measures which words
# pushed an answer, with attributions).
# Words that the training tweets never (or only once) contain, and all
# punctuation, which dair-emotion's tweets do not have, are ``<unk>`` to it.

model.eval()
batch = collate(EncodedDataset.from_texts(texts, None, vocab))
with torch.no_grad():
    logits, maps = model.forward_with_attention(batch.ids, batch.mask)
probs = logits.softmax(-1)
last = maps[-1].mean(dim=1)  # (batch, seq_len, seq_len): last layer, heads averaged

fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
for i, ax in enumerate(axes):
    n = int(batch.lengths[i])
    words = vocab.decode(batch.ids[i, :n])
    label = int(probs[i].argmax())
    image = ax.imshow(last[i, :n, :n], cmap="viridis", vmin=0)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="attention weight")
    ax.set_xticks(range(n), words, rotation=90, fontsize=8)
    ax.set_yticks(range(n), words, fontsize=8)
    ax.set_title(f"{data.labels[label]} ({probs[i, label]:.0%})", fontsize=10)
fig.suptitle(
    "Last layer's attention, averaged over heads (row: token, column: attended)", fontsize=10
)
fig.tight_layout()
for i, text in enumerate(texts):
    n = int(batch.lengths[i])
    received = last[i, :n, :n].sum(dim=0)  # (n,): attention each token receives
    top = [vocab.token(int(batch.ids[i, j])) for j in received.argsort(descending=True)[:3]]
    print(text)
    print(
        "    probabilities:",
        ", ".join(f"{lab} {v:.2f}" for lab, v in zip(data.labels, probs[i], strict=True)),
    )
    print("    most attended tokens:", ", ".join(top))

# %%
# Takeaway
# --------
# Self-attention is three matrix products and a softmax: queries meet keys,
# the softmax turns the scores into weights, and the weights average the
# values. On its own it ignores word order, which positional encodings add
# back, and it mixes padding into every word unless a padding mask removes it.
# A small Transformer trained for one epoch on a CPU already classifies most
# test tweets right, but it only knows the words of its training
# tweets: an unknown word is an ``<unk>`` vector, whatever it means.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (plain tensor arithmetic, it runs at once) and compare. The solutions are
# the code that nlptut's own tests run, so they stay correct.
#
# 1. **Why divide by the square root of the size?** Compute the attention
#    weights of random queries and keys with and without the division by
#    :math:`\sqrt{64} = 8`, and look at each token's largest weight. What does
#    leaving the division out do?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/transformers_inside.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Without the division the scores are eight times larger, and the
#       softmax turns large differences into near-certainty: each token puts
#       most of its attention on a single other token (nlptut's tests check
#       that the average largest weight at least doubles). Such a softmax
#       also passes back tiny :term:`gradients <gradient>`, so training barely moves it; the
#       division keeps the weights spread out at the start of training.
#
# 2. **Shuffled words.** Shuffle the tokens of a sentence and run
#    self-attention (without positional encodings) again. Does each token's
#    own output change?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/transformers_inside.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       No: once the outputs are put back in the original order, they are the
#       same up to rounding (nlptut's tests check that the differences stay
#       below a hundred-thousandth). Each
#       token attends to the same set of tokens, whatever their order, which
#       is why the model needs positional encodings to read word order.
#
# 3. **Only the past.** A model that writes text must not look at the words
#    it has not written yet: each token may attend only to itself and the
#    tokens before it (a *causal mask*, ``is_causal=True`` in PyTorch).
#    Build that mask by hand. What attention weights does the first token get?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/transformers_inside.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       The first token can see only itself, so it gives itself weight 1 and
#       every other token 0; the second shares its attention between the
#       first two, and so on. The hand-made mask gives the same outputs as
#       ``F.scaled_dot_product_attention(..., is_causal=True)``. This is the
#       mask of GPT-style models, which write one token at a time.
