"""
Writing tweets in a chosen emotion: counting models and a small GPT
===================================================================

Every page so far reads a text and answers a question about it. This one
turns the other way: models that *write*. We ask for a tweet in an emotion,
"write me something sad", and get a new one. Two kinds of writers compete on
the English tweets of dair-emotion :cite:p:`saravia2018carer`: models that
only count which words followed which, and a small :term:`GPT`, the kind of
:term:`Transformer` behind today's chatbots but far smaller (how much smaller
is printed below). We measure both with numbers: how surprised each is by tweets it has
never seen, and whether the site's own emotion classifier recognises the
emotion we asked for.

One thing to know before you start: to build in minutes on an ordinary
laptop, this page gives the GPT only two passes over the training tweets
(the seconds they took are printed where it trains). That is
little for a neural network, so do not take this page's GPT for what a GPT
can do: which writer wins on each measure, and whether the GPT's tweets
carry the emotion you asked for more often than chance, are printed where
they are measured, and the last sections say how to train the GPT longer
yourself.

**Before this page:** :doc:`../01_foundations/plot_04_transformers_inside`
(self-attention, positions, masks) and
:doc:`../02_emotion/plot_01_emotion_end_to_end` (the tweets and the emotion
classifiers). **After it** you can explain what a :term:`language model` is
and how it writes, measure one with :term:`perplexity`, build and train a
small GPT, write with :term:`temperature` and :term:`top-k sampling`, and
judge what a model wrote.
"""

# %%
# Writing is predicting the next word, again and again
# -----------------------------------------------------
# A :term:`language model` reads the start of a text and gives a
# :term:`probability` to every possible next :term:`token`: after "i feel so",
# perhaps "happy" 4%, "tired" 3%, "much" 2%, and so on (made-up numbers; the
# real ones of our models are printed below). To write, we draw one
# token from those probabilities, add it to the text, and ask again, until the
# model chooses the token that means "end of tweet".
#
# To choose *what kind* of tweet it writes, we use a trick: every training
# tweet starts with a special token naming its emotion, such as
# ``<joy> i feel so relaxed today``. A model that has read thousands of tweets
# that start so has learned what tends to follow ``<joy>``; to get a joyful
# tweet we give it ``<joy>`` alone and let it continue. The CTRL model
# :cite:p:`keskar2019ctrl` steers its writing the same way, with a
# *control code* as the first token.
#
# The data: the same 16,000 training tweets as the end-to-end page, each
# labelled with one of six emotions.

import dataclasses
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.stats import binomtest

from nlptut.classifier import RECIPES, TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.generation.gpt import GPT, GPTConfig, fit_lm, perplexity
from nlptut.generation.ngram import MixedLM, NGramLM
from nlptut.generation.writing import LabelledTokens, copied, recognised, write
from nlptut.models import count_parameters

QUICK = quick_mode()
PAGE_STARTED = time.perf_counter()
data = load_dataset("dair-emotion", limit=1500 if QUICK else None)
train, val, test = data["train"], data["validation"], data["test"]
print(f"{len(train):,} training, {len(val):,} validation, {len(test):,} test tweets")
print("emotions:", ", ".join(data.labels))
print(f"a training tweet ({data.labels[train.labels[0]]}): {train.texts[0]!r}")

# %%
# Tokens: pieces of words
# -----------------------
# What should a model write, one at a time: words or letters? A
# :term:`vocabulary` of whole words cannot write a word that is not in it,
# and every tweet has rare words. Letters can write anything, but a tweet of
# a hundred letters then takes a hundred steps to write, slow to learn on a
# CPU. :term:`Byte-pair
# encoding <byte-pair encoding>` (BPE, :cite:t:`sennrich2016neural`) sits
# between: it starts from single letters and merges the most frequent
# neighbouring pair, again and again, until the vocabulary has the size we
# ask for. Common words end up as one token, rare words as a few pieces, and
# no word is unknown. We train one of 2,000 tokens on the training tweets
# with Hugging Face's ``tokenizers`` library, adding one token per emotion
# and ``[EOS]``, "end of sequence". The ``▁`` mark stands for the space
# before a piece.

VOCAB, CONTEXT = 2000, 32
start = time.perf_counter()
tokens = LabelledTokens.train(train.texts, data.labels, VOCAB, CONTEXT)
ids = {
    split: tokens.encode(data[split].texts, data[split].labels)
    for split in ("train", "validation", "test")
}
print(f"vocabulary of {tokens.vocab_size:,} tokens trained in {time.perf_counter() - start:.1f} s")
example = ids["train"][0]
print("tokens of the first tweet:", [tokens.tokenizer.id_to_token(i) for i in example])
lengths = np.array([len(x) for x in ids["train"]])
cut = int(sum(len(x) == CONTEXT and x[-1] != tokens.eos_id for x in ids["train"]))
print(
    f"tokens per tweet: median {np.median(lengths):.0f}; "
    f"{cut:,} of {len(lengths):,} tweets ({cut / len(lengths):.0%}) are longer than "
    f"{CONTEXT} tokens and are cut there"
)

# %%
# Cutting tweets at 32 tokens keeps the models' work small; a cut tweet has
# no ``[EOS]``, so the models also learn that tweets may go on.
#
# The judge
# ---------
# Reading a few written tweets is not a measurement. We let a judge read
# many: the site's own emotion classifier, the neural bag of words of the
# end-to-end page, trained here for three :term:`epochs <epoch>` on whole
# words only (its recipe also reads pieces of words and pairs of words, which
# takes longer to prepare; this page saves that time for the GPT).
# For each writer, we ask for the same number of tweets in each of the six
# emotions and count the share whose requested emotion the judge recognises.
# Picking an emotion at random would be right one time in six (17%), and the
# judge's :term:`accuracy` on the real test tweets, written by people, is about the
# most we can hope for.
#
# We also count the written tweets that copy a training tweet word for word:
# a writer that only repeated its training tweets would fool the judge
# without writing anything new.
#
# The share recognised is measured on a sample of written tweets, so it comes
# with a range: the 95% interval printed beside it (a binomial interval from
# ``scipy``) says how far another sample of the same size could land.

words_only = dataclasses.replace(RECIPES["nbow"], char_ngrams=None, word_bigrams=False)
judge, _ = TextClassifier.fit(
    data, "nbow", recipe=words_only, epochs=3, batch_size=256, lr=6e-2, progress=False
)
real = judge.evaluate(data, "test").accuracy
print(f"the judge recognises the emotion of {real:.0%} of the real test tweets")

PER_EMOTION = 10 if QUICK else 30
CHANCE = 1 / len(data.labels)


def judge_predict(texts: list[str]) -> np.ndarray:
    return judge.predict_proba(texts).argmax(axis=1)


def judge_writer(model, temperature: float = 1.0, top_k: int | None = 40) -> dict:
    """Write PER_EMOTION tweets per emotion and judge them."""
    written = {
        label: write(model, tokens, label, PER_EMOTION, temperature=temperature, top_k=top_k)
        for label in data.labels
    }
    every = [text for label in data.labels for text in written[label]]
    per_emotion = {  # the same number of tweets per emotion: the overall share is their mean
        label: recognised(written[label], [y] * PER_EMOTION, judge_predict)
        for y, label in enumerate(data.labels)
    }
    share = float(np.mean(list(per_emotion.values())))
    interval = binomtest(round(share * len(every)), len(every)).proportion_ci()
    return {
        "written": written,
        "per_emotion": per_emotion,
        "recognised": share,
        "low": interval.low,
        "high": interval.high,
        "copies": copied(every, train.texts),
        "n": len(every),
    }


def show(name: str, result: dict) -> None:
    inside = result["low"] <= CHANCE <= result["high"]
    print(
        f"{name}: requested emotion recognised in {result['recognised']:.0%} of "
        f"{result['n']} tweets (95% interval {result['low']:.0%}-{result['high']:.0%}; "
        f"chance {CHANCE:.0%}, {'inside' if inside else 'outside'} the interval); "
        f"copies of a training tweet: {result['copies']:.0%}"
    )


# %%
# A writer that counts
# --------------------
# Before any neural network, the simplest language model: count. After the
# two tokens "i feel", which tokens followed in the training tweets, and how
# often? Such an :term:`n-gram` model (here a *trigram* model: the next token
# given the two before) would give probability 0 to a token it never saw
# after a context, and a single 0 makes a test tweet "impossible" (its
# perplexity, defined next, would be infinite). So it mixes four guesses
# :cite:p:`jelinek1980interpolated`: every token equally likely (the
# "uniform" guess), and the counts after the last 0, 1 and 2 tokens, in
# proportions chosen on the :term:`validation split` (printed as "mixing
# weights"; they are not the weights of a neural network). Each counting
# model writes at temperature 1 with top-k 40, two settings explained further
# down.
#
# We measure every model with :term:`perplexity`: how unsure the model is
# about each next token of the test tweets, on average. A perplexity of 50
# means "as unsure as if choosing uniformly among 50 tokens"; guessing blindly
# among our 2,000 tokens would score 2,000. Lower is better. (It is the
# exponential of the average :term:`loss` defined below.)

start = time.perf_counter()
trigram = NGramLM(tokens.vocab_size, order=3).fit(ids["train"])
trigram.choose_weights(ids["validation"])
trigram_ppl = trigram.perplexity(ids["test"])
print(f"trigram model: test perplexity {trigram_ppl:.1f} ({time.perf_counter() - start:.1f} s)")
print("mixing weights (uniform, 1, 2, 3 tokens):", [round(w, 2) for w in trigram.weights])
trigram_judged = judge_writer(trigram)
show("trigram", trigram_judged)
print("three of its <joy> tweets:", *trigram_judged["written"]["joy"][:3], sep="\n    ")

# %%
# Counting takes seconds. But compare the share recognised with chance (the
# line above says whether chance lies inside its interval): the trigram model
# cannot see the emotion token once it is more than two tokens back. The word
# after "i feel" is where the emotion shows, and when the model picks the word
# after ``<joy> i feel``, it sees only ``i feel``. Its guesses after
# ``<joy> i feel`` and ``<sadness> i feel`` are the same:

piece = {t: tokens.tokenizer.token_to_id(t) for t in ("▁i", "▁feel")}


def top_after(model: NGramLM, label: str) -> str:
    probs = model.distribution([tokens.label_id(label), piece["▁i"], piece["▁feel"]])
    top = np.argsort(-probs)[:6]
    return ", ".join(f"{tokens.tokenizer.id_to_token(int(t))} {probs[t]:.0%}" for t in top)


for label in ("joy", "sadness"):
    print(f"<{label}> i feel -> {top_after(trigram, label)}")

# %%
# Keeping the emotion in view
# ---------------------------
# A counting fix: keep the emotion token in every context, so that the model
# counts "what followed *<joy>* ... i feel" apart from "what followed
# *<sadness>* ... i feel". That is six separate sets of counts, one per
# emotion (``keep_first=True``).

start = time.perf_counter()
by_emotion = NGramLM(tokens.vocab_size, order=3, keep_first=True).fit(ids["train"])
by_emotion.choose_weights(ids["validation"])
by_emotion_ppl = by_emotion.perplexity(ids["test"])
print(
    f"trigram per emotion: test perplexity {by_emotion_ppl:.1f} "
    f"(plain trigram {trigram_ppl:.1f}; {time.perf_counter() - start:.1f} s)"
)
for label in ("joy", "sadness"):
    print(f"<{label}> i feel -> {top_after(by_emotion, label)}")
by_emotion_judged = judge_writer(by_emotion)
show("trigram per emotion", by_emotion_judged)
print("three of its <joy> tweets:", *by_emotion_judged["written"]["joy"][:3], sep="\n    ")

# %%
# Now the guesses after "i feel" depend on the emotion; compare the share the
# judge recognises with the plain trigram's. Compare the two perplexities
# above, though: splitting the counts six ways leaves each emotion's counts
# with only that emotion's tweets (a sixth on average, far fewer for the
# rarer emotions, love and surprise), so many contexts were seen
# rarely or never, and on every token where the emotion does not matter
# ("the", "and", "to") the model knows less than before: a short view with
# plenty of counts, or a view that includes the emotion with fewer counts.
#
# A counting model need not choose, though. It can mix the two, as the
# trigram model already mixes its counts after 0, 1 and 2 tokens:
# :class:`nlptut.generation.ngram.MixedLM` gives every next token a weighted sum of the
# two models' probabilities, the weight chosen on the :term:`validation split`
# (the line says how much each model got; the weight is chosen for the lowest
# perplexity, not for the judge, so compare its share recognised with the two
# models it mixes). The plain counts then carry the common words, the
# per-emotion counts what each emotion says.

mixed = MixedLM([trigram, by_emotion])
mixed.choose_weights(ids["validation"])
mixed_ppl = mixed.perplexity(ids["test"])
print(
    f"the two trigram models mixed ({mixed.weights[0]:.2f} plain, {mixed.weights[1]:.2f} "
    f"per emotion): test perplexity {mixed_ppl:.1f} (plain {trigram_ppl:.1f}, "
    f"per emotion {by_emotion_ppl:.1f})"
)
mixed_judged = judge_writer(mixed)
show("trigrams mixed", mixed_judged)

# %%
# A Transformer that only looks back
# ----------------------------------
# A neural network can learn such a mix by itself, given enough training. A :term:`GPT`
# :cite:p:`radford2018improving` is a Transformer like the one of
# :doc:`../01_foundations/plot_04_transformers_inside`, with one change:
# each token may attend only to itself and to the tokens *before* it. This
# *causal mask* matters because the model learns by predicting every next
# token of a training tweet at once; if a position could see the token after
# it, it would copy the answer instead of predicting it. Every position sees
# all the tokens before it, the emotion token included, however long the
# tweet; and one set of :term:`weights <weight>` serves all six emotions, so
# what it learns about "the" from joyful tweets also serves sad ones.
#
# :class:`nlptut.generation.gpt.GPT` turns each token into an :term:`embedding`, a list
# of 64 numbers (``dim=64``), adds a list for its position, passes them
# through a block of causal self-attention and a small
# feed-forward network (one block here, to train fast; large GPTs stack
# dozens; ``heads=2`` splits the :term:`attention` into two, as on the
# Transformers page), and ends with a score (a :term:`logit <logits>`) for
# every token of the vocabulary. The
# mask in one picture, and a check: changing the last tokens of a text leaves
# the model's output at the earlier positions unchanged.

config = GPTConfig(tokens.vocab_size, context=CONTEXT, dim=64, heads=2, layers=1, dropout=0.0)
torch.manual_seed(0)
model = GPT(config)
n_weights = count_parameters(model)
print(f"GPT: {n_weights:,} weights")
print(f"GPT-2's smallest model has about 124 million: {124e6 / n_weights:,.0f} times as many")

long_enough = next(x for x in ids["train"] if len(x) >= 8)
check = torch.tensor([long_enough[:8]])
changed = check.clone()
changed[0, 5:] = torch.tensor(long_enough[1:4])  # positions 5-7 get other tokens
with torch.no_grad():
    before, after = model.eval()(check), model(changed)
print("outputs at positions 0-4 unchanged:", torch.allclose(before[0, :5], after[0, :5], atol=1e-6))
print("outputs at positions 5-7 changed:", not torch.allclose(before[0, 5:], after[0, 5:]))

fig, ax = plt.subplots(figsize=(3.2, 3.2), dpi=80)
ax.imshow(np.tril(np.ones((8, 8))), cmap="Blues", vmin=0, vmax=1.6)
ax.set_xlabel("attends to position")
ax.set_ylabel("position")
ax.set_title("causal mask: blue = allowed")
fig.tight_layout()

# %%
# Training: predict every next token
# ----------------------------------
# The :term:`loss` is the cross-entropy of each next token, the same loss as
# for classifying emotions, but with 2,000 classes (the tokens) and one
# prediction per position: for ``<joy> i feel so relaxed``, predict "i" from
# ``<joy>``, "feel" from ``<joy> i``, and so on. Its exponential is the
# perplexity. :func:`nlptut.generation.gpt.fit_lm` trains with the AdamW
# :term:`optimizer`, with a :term:`learning rate` that rises over the first
# steps and then falls smoothly to zero, and keeps the epoch with the lowest
# validation perplexity.
#
# How long to train? Longer is better here, but this page has a time budget:
# it trains two epochs (the seconds each took are printed), which is little.
# On your own machine, set ``EPOCHS`` to 10 and compare. After each epoch the
# model writes one ``<joy>`` tweet, so you can watch it learn.

EPOCHS = 1 if QUICK else 2  # on your own machine, try 10
BATCH = 64
print(f"training {EPOCHS} epochs on {torch.get_num_threads()} processor threads")


def after_epoch(r) -> None:
    sample = write(model, tokens, "joy", 1, temperature=0.8, top_k=40, seed=r.epoch)[0]
    print(
        f"epoch {r.epoch}: training loss {r.train_loss:.2f}, validation perplexity "
        f"{r.val_perplexity:.1f} ({r.seconds:.0f} s); <joy> {sample}"
    )


history = fit_lm(
    model,
    ids["train"],
    ids["validation"],
    epochs=EPOCHS,
    batch_size=BATCH,
    lr=1e-2,
    amp=False,
    on_epoch=after_epoch,
)
gpt_ppl = perplexity(model, ids["test"])
print(f"\ntest perplexity: GPT {gpt_ppl:.1f}, trigram {trigram_ppl:.1f} ({history.precision})")

# %%
# The GPT's validation perplexity after each epoch, against the counting
# models' test perplexities (flat lines: they do not train in epochs):

fig, ax = plt.subplots(figsize=(6, 3.2), dpi=80)
ax.plot(
    [r.epoch for r in history.epochs],
    [r.val_perplexity for r in history.epochs],
    marker="o",
    label="GPT, validation",
)
ax.axhline(trigram_ppl, color="grey", linestyle="--", label="trigram, test")
ax.axhline(by_emotion_ppl, color="grey", linestyle=":", label="trigram per emotion, test")
ax.set_xlabel("epoch")
ax.set_ylabel("perplexity (lower is better)")
ax.set_title("Perplexity of the GPT by epoch, against the trigram models")
ax.set_yscale("log")
ax.xaxis.get_major_locator().set_params(integer=True)
ax.legend()
fig.tight_layout()

# %%
# Writing: temperature and top-k
# ------------------------------
# To write, :func:`nlptut.generation.writing.write` gives a model an emotion token
# and draws one token at a time from its probabilities until ``[EOS]`` (or
# 32 tokens). Two settings change how it draws, for a GPT and for a counting
# model alike:
#
# * :term:`temperature` divides the model's scores before the
#   :term:`softmax`. Below 1, likely tokens become likelier still: safer,
#   plainer, more repetitive text. Above 1, unlikely tokens get more chances:
#   more surprising text, and more nonsense.
# * :term:`top-k sampling` :cite:p:`fan2018hierarchical` draws only among the
#   *k* likeliest tokens, so that the long tail of unlikely tokens, each rare
#   but many together, never gets drawn.
#
# The same emotion, ``<joy>``, three GPT tweets under each setting (each draw
# is :term:`seeded <seed>`, so the page shows the same tweets each time it is
# built on the same machine). The first three settings change only the
# temperature, from high to low; the last keeps temperature 1 and adds top-k.
# Read down the list: at a high temperature, look for made-up words and
# jumps; at a low one, for the same few words over and over; with top-k, for
# fewer odd words than at the same temperature without it.

SETTINGS = [(1.3, None), (1.0, None), (0.6, None), (1.0, 40)]
for temperature, top_k in SETTINGS:
    print(f"temperature {temperature:g}, " + (f"top-k {top_k}" if top_k else "no top-k"))
    for text in write(model, tokens, "joy", 3, temperature=temperature, top_k=top_k, seed=1):
        print("   ", text)

# %%
# Four writers side by side
# -------------------------
# The GPT writes for the judge like the counting models did (temperature 1,
# top-k 40), and one table puts the four writers together.

gpt_judged = judge_writer(model)
print(f"{'asked for':<10}{'recognised':>11}   first GPT tweet")
for label, share in gpt_judged["per_emotion"].items():
    print(f"{label:<10}{share:>11.0%}   {gpt_judged['written'][label][0]}")
print()
rows = [
    ("trigram", trigram_ppl, trigram_judged),
    ("trigram per emotion", by_emotion_ppl, by_emotion_judged),
    ("trigrams mixed", mixed_ppl, mixed_judged),
    (f"GPT, {EPOCHS} epoch{'s' if EPOCHS > 1 else ''}", gpt_ppl, gpt_judged),
]
print(f"{'writer':<22}{'perplexity':>11}{'recognised':>12}{'95% interval':>15}{'copies':>8}")
for name, ppl, r in rows:
    interval = f"{r['low']:.0%}-{r['high']:.0%}"
    print(f"{name:<22}{ppl:>11.1f}{r['recognised']:>12.0%}{interval:>15}{r['copies']:>8.0%}")
best_ppl = min(rows, key=lambda row: row[1])[0]
best_judged = max(rows, key=lambda row: row[2]["recognised"])[0]
print(f"\nlowest perplexity: {best_ppl}; most often recognised: {best_judged}")
print(f"(chance: {CHANCE:.0%}; the judge on real tweets: {real:.0%})")

# %%
# Reading the table
# -----------------
# The last lines above name the winners of this build. If the counting
# models won, remember how little the GPT trained. Counting needs one pass
# over the tweets; a neural network learns from its mistakes one small step
# at a time, and this one saw each training tweet only as many times as it
# had epochs. Whether its validation perplexity was still falling when
# training stopped:

curve = [r.val_perplexity for r in history.epochs]
drops = [a - b for a, b in zip(curve, curve[1:], strict=False)]
if drops:
    print(f"validation perplexity fell by {drops[-1]:.1f} in the last epoch")
else:
    print("one epoch only: no curve yet; raise EPOCHS")

# %%
# How far does longer training go? This page has no time to find out.
# ``benchmarks/bench_generation.py`` in the repository trains a larger GPT
# (two blocks, 128 numbers per token) for ten epochs, with three
# :term:`seeds <seed>`, and writes its table of perplexities, shares
# recognised and copies to ``benchmarks/results/generation.md`` (numbers
# measured when that script last ran, on the machine the report names, not
# when this page was built). To see longer training on this page, raise
# ``EPOCHS`` and run the page yourself (the "Download" links below); each
# epoch prints how long it took on your machine.
#
# Read the judge's numbers with the judge in mind: a written tweet that the
# judge misreads may still be a fine tweet, and the judge, a bag of words,
# reads which words a tweet has but not their order, so it says more about
# the words than about the sense. And perplexity and the judge measure
# different things, as the two counting models show:

better_ppl = "per emotion" if by_emotion_ppl < trigram_ppl else "plain"
better_judged = (
    "per emotion" if by_emotion_judged["recognised"] > trigram_judged["recognised"] else "plain"
)
print(
    f"lower perplexity: the {better_ppl} trigram "
    f"(per emotion {by_emotion_ppl:.1f}, plain {trigram_ppl:.1f})"
)
print(
    f"more often recognised: the {better_judged} trigram (per emotion "
    f"{by_emotion_judged['recognised']:.0%}, plain {trigram_judged['recognised']:.0%})"
)

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (tiny examples, it runs at once) and compare. The
# solutions are the code that nlptut's own tests run, so they stay correct.
#
# 1. **Perplexity by hand.** A model gives each actual next token of a text
#    the probability 1/4. What is its perplexity? And a model that gives every
#    token of a vocabulary of 8 the same probability?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/writing_tweets.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       4 and 8. The average loss is :math:`-\log(1/4) = \log 4`, and the
#       perplexity is its exponential: 4, "as unsure as choosing among four".
#       A uniform model's perplexity is the size of its vocabulary, whatever
#       the text (nlptut's tests check both numbers).
#
# 2. **Temperature.** Three tokens have the scores 2, 1 and 0. What is the
#    probability of the first one at temperature 0.5, 1 and 2?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/writing_tweets.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       About 87%, 67% and 51%: the lower the temperature, the more the
#       likeliest token takes. At temperature 0 it would take everything
#       (always the likeliest token, "greedy" writing); at a very high one the
#       three would become equally likely.
#
# 3. **The emotion in view.** Five tiny tweets: two ``<joy> i feel great``,
#    two ``<sadness> i feel awful`` and one ``<sadness> i feel great``. With
#    all the weight on the longest context, what probability does a trigram
#    model give to "great" after ``<joy> i feel`` and after ``<sadness> i
#    feel``, without and with ``keep_first=True``?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/writing_tweets.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       Without it, 0.6 after both: "great" followed "i feel" in three of the
#       five tweets, whatever the emotion. With it, 1.0 after ``<joy>`` (both
#       joyful tweets) and 0.33 after ``<sadness>`` (one of three sad ones).
#
# Where to go next
# ----------------
# * **Bigger and longer.** Our GPT has the :term:`weights <weight>` counted
#   above and saw each training tweet once or a few times. GPT-2
#   :cite:p:`radford2019language`, the model family that made this recipe
#   famous, has about 124 million to 1.5 billion weights and read millions of
#   web pages; the recipe is the same: predict the next token, then sample.
# * **Pretrained writers through Hugging Face.** With internet access,
#   ``transformers`` loads such a model and samples with the same settings
#   (not run on this page, which builds offline)::
#
#       from transformers import AutoModelForCausalLM, AutoTokenizer
#       tokenizer = AutoTokenizer.from_pretrained("gpt2")
#       model = AutoModelForCausalLM.from_pretrained("gpt2")
#       ids = tokenizer("I feel", return_tensors="pt").input_ids
#       out = model.generate(ids, do_sample=True, temperature=0.8, top_k=40,
#                            max_new_tokens=30)
#       print(tokenizer.decode(out[0]))
#
#   :term:`Fine-tuning <fine-tuning>` one on the tweets, with the emotion token first as here, is
#   the loop of :doc:`../04_huggingface/plot_03_fine_tuning` with this
#   page's loss.
# * **Readers and writers.** The MiniLM of
#   :doc:`../04_huggingface/plot_02_pretrained_features` is an
#   *encoder*: every token attends to the tokens on both sides, which makes
#   it a good reader (a classifier on top reads the whole tweet at once). It
#   was made from a larger encoder of that kind, BERT's family, pretrained
#   to fill in hidden words, by *distillation*, then trained on sentence
#   pairs to place sentences that mean the same close together
#   :cite:p:`wang2020minilm,reimers2019sentencebert`. A GPT is a *decoder*:
#   the causal mask lets it look only back, which makes it a writer. Both are
#   stacks of the same blocks of self-attention and feed-forward :term:`layers <layer>`.

print(f"this page ran in {time.perf_counter() - PAGE_STARTED:.0f} s")
