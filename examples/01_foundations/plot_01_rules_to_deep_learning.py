"""
From rules to deep learning
===========================

The oldest way to tell the emotion of a text is a list of keywords for each
emotion: count the matches, and the emotion with the most wins. This page
puts such rules next to a small neural network trained on 16,000 English
tweets labelled with six emotions, the dair-emotion data of
:cite:t:`saravia2018carer`: first on two sentences, then on the 2,000 tweets
of the test set. You will see what each one gets right, what each one gets
wrong, and why.

**Before this page:** a little Python; :doc:`/intro/tale-of-nlp` tells the
story this page puts numbers on. **After it** you can say what keyword rules
and a trained model each get right and wrong, and why.
"""

# %%
# Two sentences
# -------------
# Our two example sentences: the writer of the first is happy, the writer of
# the second is sad, because the luck was someone else's. We load the data as
# well: its six emotion labels, and later the tweets to train and test on.

import matplotlib.pyplot as plt
import numpy as np

from nlptut.classifier import TextClassifier
from nlptut.config import quick_mode
from nlptut.datasets import load_dataset
from nlptut.keywords import for_labels, highlight
from nlptut.shortruns import SHORT_RUNS
from nlptut.text import tokenize, word_bigrams_of
from nlptut.training import classification_metrics

QUICK = quick_mode()
data = load_dataset("dair-emotion", limit=2000 if QUICK else None)
sentences = [
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
]
truth = ["joy", "sadness"]
print("labels:", ", ".join(data.labels))
for text, label in zip(sentences, truth, strict=True):
    print(f"{label:<8} {text}")

# %%
# Keyword rules
# -------------
# ``nlptut.keywords`` holds a hand-written list of words for each emotion.
# The rules tokenize a text, count its words found in each list, and answer
# the emotion with the most matches; a text without any match gets the most
# common emotion of the training tweets. Every answer comes with its evidence:
# the matched words, in bold.

rules = for_labels(data.labels)
rules.fit(data["train"].texts, [data.labels[i] for i in data["train"].labels])
print(rules)
for text, label, pred in zip(sentences, truth, rules.predict(sentences), strict=True):
    verdict = "right" if pred.label == label else "WRONG"
    print(
        f"{highlight(text, pred)}\n    rules: {pred.label} ({verdict}); "
        f"matches per emotion: {pred.scores}"
    )

# %%
# Why the second sentence fools the rules
# ---------------------------------------
# The rules read one word at a time. "won" and "jackpot" are on the list of
# joy words, so the second sentence scores two points for joy. The part that
# carries its meaning, "not me", has no emotion word in it, and the rules
# cannot see that it turns the jackpot into someone else's luck. We could add
# a rule for "not me", but then "not me, thank goodness" would be sad too:
# rules for words in context multiply without end.
#
# A neural network learns from examples instead. We train nlptut's neural bag
# of words on the training tweets (``nbow``: each word, each pair of
# neighbouring words and each piece of a word of one to six characters gets a
# learned vector, the vectors are averaged, and a linear :term:`layer` on top scores
# the emotions, much like fastText
# :cite:p:`joulin2017bag,bojanowski2017enriching`). To keep the page short it
# makes two passes (:term:`epochs <epoch>`) over the tweets in
# :term:`batches <batch>` of 256, with a :term:`learning rate` chosen for that
# on the :term:`validation <validation split>` tweets (the short run of
# :mod:`nlptut.shortruns`, which other pages share); its full recipe runs up
# to 20 epochs. The next lesson, :doc:`plot_02_how_a_model_learns`, shows
# what training does.

classifier, result = TextClassifier.fit(data, "nbow", progress=False, **SHORT_RUNS["nbow"])
print(
    f"trained {len(result.history)} epoch(s) in {result.seconds:.0f} s; "
    f"best validation macro-F1 {result.best_val_macro_f1:.3f} after epoch {result.best_epoch}"
)
print(f"precision: {result.precision}")

# %%
# The network on the two sentences
# --------------------------------
# Each answer is now a :term:`probability` for every emotion.

predictions = classifier.predict(sentences)
for pred, label in zip(predictions, truth, strict=True):
    verdict = "right" if pred.label == label else "WRONG"
    print(
        f"{pred.text}\n    network: {pred.label} ({verdict}), probabilities "
        + ", ".join(f"{k} {v:.2f}" for k, v in pred.probabilities.items())
    )

# %%
# The same probabilities as bars; the writer's emotion is the green one.

fig, axes = plt.subplots(1, 2, figsize=(8, 3), sharey=True)
for ax, pred, label in zip(axes, predictions, truth, strict=True):
    colors = ["tab:green" if name == label else "tab:gray" for name in data.labels]
    ax.bar(data.labels, list(pred.probabilities.values()), color=colors)
    ax.set_title(f"{pred.text}\nnetwork: {pred.label}", fontsize=9)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
axes[0].set_ylabel("network's probability")
axes[0].set_ylim(0, 1)
fig.tight_layout()

# %%
# What the network sees
# ---------------------
# The network knows only the words of its training tweets; every other word
# becomes the same ``<unk>`` ("unknown") :term:`token`. This is what is left of the
# two sentences, word by word, followed by how many word pieces and word
# pairs from its training tweets the network also finds in them:

vocab = classifier.vocab
for text in sentences:
    ids = vocab.encode(text)
    words = [i for i in ids if i < vocab.num_words]  # the n-gram ids come after the words'
    print(" ".join(vocab.decode(words)), f"  (+ {len(ids) - len(words)} pieces and pairs)")

# %%
# An unknown word is not quite silent: its pieces that the training tweets
# share still count. These are the known pieces of "jackpot" and "neighbour",
# and the word pairs of the second sentence that the network knows:

for word in ("jackpot", "neighbour"):
    pieces = vocab.decode(vocab.encode(word)[1:])
    print(f"{word}: {len(pieces)} known pieces, such as {', '.join(pieces[-8:])}")
pairs = [t for t in vocab.decode(vocab.encode(sentences[1])) if " " in t]
print("known word pairs:", ", ".join(pairs) or "none")

# %%
# The dair-emotion tweets are lower-case and have no punctuation, so ``!``
# and ``.`` are unknown, and so is any word seen only once in the training
# tweets. For each word of the second sentence: how many training tweets of
# each emotion contain it, and which emotion the network gives that word on
# its own.

train = data["train"]
words = tokenize(sentences[1])
counts = {word: np.zeros(len(data.labels), dtype=int) for word in words}
for text, label in zip(train.texts, train.labels, strict=True):
    for word in counts.keys() & set(tokenize(text)):
        counts[word][label] += 1
print(f"{'word':<10}" + "".join(f"{label:>9}" for label in data.labels) + "   network, word alone")
for word, alone in zip(words, classifier.predict(words), strict=True):
    known = word if word in classifier.vocab else f"{word}*"
    row = "".join(f"{n:>9}" for n in counts[word])
    print(f"{known:<10}{row}   {alone.label} {alone.probabilities[alone.label]:.2f}")
print("* not in the network's vocabulary: it sees <unk> and the word's known pieces")

# %%
# Read alone, the words pull different ways. "won" is found in more joyful
# tweets than in tweets of any other emotion. "neighbour" and "jackpot" are
# (almost) never seen, so the network can only judge them by their pieces,
# which it learned from other words: a guess, not knowledge of what a jackpot
# is. The words that carry the meaning, "not" and "me", are common words found
# with every emotion. Only the pair "not me" ties them together, and the
# training tweets hold it rarely:

with_pair = np.zeros(len(data.labels), dtype=int)
for text, label in zip(train.texts, train.labels, strict=True):
    with_pair[label] += "not me" in word_bigrams_of(tokenize(text))
print(
    f'training tweets with the pair "not me": {with_pair.sum()} of {len(train)} ('
    + ", ".join(f"{name} {n}" for name, n in zip(data.labels, with_pair, strict=True) if n)
    + ")"
)

# %%
# A handful of tweets is weak evidence against a word as joyful as "won".
# Learning from examples only helps with what the examples contain. The
# models of the later Hugging Face tutorials start from billions of words of
# pretraining, in which "jackpot" is no stranger; the :ref:`fine-tuning page
# <sphx_glr_auto_examples_04_huggingface_plot_03_fine_tuning.py>` asks one of
# them about this sentence, and the :ref:`last page
# <sphx_glr_auto_examples_04_huggingface_plot_05_read_the_meaning.py>` tests
# many models on ninety pairs of such sentences. Now let us see what learning
# from 16,000 tweets does buy.

# %%
# The whole test set
# ------------------
# Both models now classify the 2,000 test tweets, which neither has seen. We
# report :term:`accuracy` (the share of tweets labelled right) and
# :term:`macro-F1`, the average over the six emotions of the :term:`F1` score,
# which weighs rare emotions such as surprise as much as the frequent ones.

test = data["test"]
index = {label: i for i, label in enumerate(data.labels)}
rule_test = rules.predict(test.texts)
rule_pred = np.array([index[p.label] for p in rule_test])
net_pred = classifier.predict_proba(test.texts).argmax(axis=1)
y = np.array(test.labels)
scores = {
    "keyword rules": classification_metrics(y, rule_pred, data.labels),
    "network (nbow)": classification_metrics(y, net_pred, data.labels),
}
no_match = np.mean([not any(p.scores.values()) for p in rule_test])
print(f"{'':<16} {'accuracy':>9} {'macro-F1':>9}")
for name, m in scores.items():
    print(f"{name:<16} {m.accuracy:>9.3f} {m.macro_f1:>9.3f}")
print(f"test tweets without any keyword: {no_match:.0%}")

# %%
# Per emotion, the F1 score of each model:

positions = np.arange(len(data.labels))
fig, ax = plt.subplots(figsize=(6.5, 3.5))
for shift, (name, m) in zip((-0.2, 0.2), scores.items(), strict=True):
    f1 = [m.report[label]["f1-score"] for label in data.labels]
    ax.bar(
        positions + shift,
        f1,
        width=0.4,
        label=f"{name}: accuracy {m.accuracy:.2f}, macro-F1 {m.macro_f1:.2f}",
    )
ax.set_xticks(positions, data.labels)
ax.set_ylabel("F1 score on the test tweets")
ax.set_ylim(0, 1)  # F1 runs from 0 (always wrong) to 1 (always right)
ax.set_title(f"F1 per emotion on the {len(test):,} test tweets: rules and network", fontsize=10)
ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
fig.tight_layout()

# %%
# Where the rules fail and the network does not
# ---------------------------------------------
# Counting the test tweets by which model is right:

rules_right, net_right = rule_pred == y, net_pred == y
print(f"both right:                         {np.sum(rules_right & net_right):>5}")
print(f"network right, rules wrong:         {np.sum(~rules_right & net_right):>5}")
print(f"rules right, network wrong:         {np.sum(rules_right & ~net_right):>5}")
print(f"both wrong:                         {np.sum(~rules_right & ~net_right):>5}")

# %%
# Five of the tweets the network gets right and the rules do not, drawn at
# random (with a fixed :term:`seed`). The keywords the rules matched are marked
# ``**like this**``: often a word of another emotion, or none at all.

rng = np.random.default_rng(0)
only_network = np.flatnonzero(~rules_right & net_right)
chosen = rng.choice(only_network, size=min(5, len(only_network)), replace=False)
for i in sorted(chosen):
    print(
        f"{highlight(test.texts[i], rule_test[i])}\n    true: {data.labels[y[i]]}, "
        f"rules: {rule_test[i].label}, network: {data.labels[net_pred[i]]}"
    )

# %%
# Takeaway
# --------
# Hand-written rules are transparent, but they read words one at a time, and
# many tweets hold no keyword at all. A network that learned word vectors from
# 16,000 labelled tweets (in the time printed above) is right more often, as
# the test scores show, including on many
# tweets whose wording no rule foresaw. It is still no reader: a sentence
# whose key words it never saw ("jackpot") or whose meaning hangs on word
# order ("not me") can fool it as it fools the rules. The next tutorials open
# the network up: what a layer computes, how it learns, and how models that
# read word order (convolutions, recurrent networks, Transformers) are built.

# %%
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# and compare. The solutions are the code that nlptut's own tests run.
#
# 1. **Shouting.** Do capital letters and exclamation marks change what the
#    keyword rules answer? Compare *"I am SO HAPPY!!"* with
#    *"i am so happy"*.
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/rules_to_deep_learning.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Both are joy: the tokenizer turns every word into lower case before
#       the rules look it up, and the exclamation marks are no keyword.
#
# 2. **No keyword at all.** What do the rules answer for *"The meeting is at
#    noon."*, where no word of any list occurs?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/rules_to_deep_learning.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- end ---
#
#       No list matches, so the rules fall back on the answer they learned
#       from the training tweets: the most common emotion there, which is the
#       label the solution prints last. Every tweet without a keyword gets
#       that same answer, right or wrong.
