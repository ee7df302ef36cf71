"""
A tag for every word: parts of speech in Indonesian
===================================================

Every page so far gave one answer per text: which emotion? Many tasks need an
answer per *word* instead: is it a noun or a verb (its :term:`part of
speech`), is it part of a person's name? This page tags the words of Indonesian news
sentences with a :term:`tag` for their :term:`part of speech`, on the POSP task of the IndoNLU
benchmark :cite:p:`wilie2020indonlu`, from :cite:t:`hoesen2018investigating`:
news sentences in which every word carries one of 26 tags (the next cells
count them).

You will learn how a tagging dataset looks, how a tagger is scored (F1 for
each tag, averaged over the tags, as IndoNLU reports it), why a baseline that
just memorises each word's usual tag is already strong, and how a
bidirectional LSTM that also reads the letters of each word guesses the tags
of words it has never seen.

**What you need before this page**: the end-to-end page (training,
validation, :term:`F1`); the layers page explains embeddings and LSTMs in
more depth, but this page says in plain words what they do.
"""

# %%
# Load the sentences
# ------------------
# :func:`nlptut.conll.load_tagged` loads a tagging dataset, fetched and checked
# against its sha256 like every dataset of the site. Each split is a list of
# sentences; each sentence a list of words and a list of tags, one per word.
# The sentences are news, lower-cased and already split into words (a full
# stop is a word of its own).

import time
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import confusion_matrix

from nlptut.config import quick_mode
from nlptut.conll import load_tagged
from nlptut.datasets import dataset_info
from nlptut.hardware import hardware_summary
from nlptut.tagging.metrics import tag_scores
from nlptut.tagging.tagger import Tagger, TaggerConfig, TagTrainConfig

QUICK = quick_mode()
data = load_tagged("indonlu-posp")
for split in ("train", "validation", "test"):
    part = data[split]
    print(f"{split:<10} {len(part):>5,} sentences, {part.num_words:>7,} words")

words, tags = data["train"].tokens[0], data["train"].tags[0]
print()
for word, tag in zip(words, tags, strict=True):
    print(f"  {word:<16} {tag}")

# %%
# Every tag is written ``B-`` and a name: ``B-`` says that the word *begins* a
# piece of the sentence (a :term:`chunk`); for parts of speech every word is a
# chunk of its own. The next page needs chunks of several words, for names
# such as "amos kenda". The names follow the tagging convention of the
# Indonesian Association of Computational Linguistics (INACL). The table
# shows how many training words carry each tag and its most frequent words,
# which say what the tag means better than a definition: ``NNO`` common nouns
# ("tahun", year; "presiden"), ``NNP`` proper nouns (names: "indonesia",
# "jakarta"), ``SYM`` punctuation, ``PPO`` prepositions ("di", in; "dari",
# from), ``VBT`` verbs with an object ("mengatakan", to say), ``VBI`` verbs
# without one, ``VBP`` passive verbs ("dilakukan", was done), ``CCN``
# conjunctions ("dan", and), ``NEG`` negations ("tidak", not). Some tags are
# very rare. (Some tags in the data also look wrong: in the first sentence
# above, "dinas", an office, is tagged as a passive verb. Real data has such
# mistakes, and a model learns from them too.)

counts = Counter(tag for sentence in data["train"].tags for tag in sentence)
total = sum(counts.values())
words_of: dict[str, Counter] = {}
for sentence, sentence_tags in zip(data["train"].tokens, data["train"].tags, strict=True):
    for word, tag in zip(sentence, sentence_tags, strict=True):
        words_of.setdefault(tag, Counter())[word] += 1
print(f"{'tag':<5}{'words':>8}{'share':>8}  most frequent words")
for tag, n in counts.most_common():
    frequent = "   ".join(w for w, _ in words_of[tag].most_common(4))
    print(f"{tag[2:]:<5}{n:>8,}{n / total:>8.2%}  {frequent}")

# %%
# How a tagger is scored
# ----------------------
# Word by word, we could count the share of right tags (:term:`accuracy`). IndoNLU
# reports a different measure, the :term:`F1` of each tag, *averaged over the
# tags*: a rare tag counts as much as a common one, so a tagger cannot score
# well by getting only nouns right, and one that gets a rare tag right gains as
# much as one that gets nouns right. It can be higher or lower than accuracy.
# :func:`nlptut.tagging.metrics.tag_scores` computes it with seqeval
# :cite:p:`nakayama2018seqeval`, the library the field uses; its default mode
# counts as the CoNLL evaluation script does, which IndoNLU's own code
# reimplements. A made-up sentence of three words, with one verb tagged as a
# noun:

example = tag_scores([["B-NNO", "B-VBI", "B-NNO"]], [["B-NNO", "B-NNO", "B-NNO"]])
print(example.format_report())

# %%
# Two of three words are right (accuracy 0.667). For ``NNO``, 2 of the 3 words
# tagged ``NNO`` are nouns (:term:`precision <precision (metric)>` 0.667) and
# both nouns were found (:term:`recall` 1), so its F1 is 0.8; ``VBI`` was never
# found, F1 0. Averaged over the two tags: 0.4, here far below the accuracy.
# The ``chunks`` column counts each tag's words in the true tags; *micro F1*
# pools all words of all tags before computing F1, so that common tags weigh
# more (for one-word chunks it equals the accuracy).
#
# A baseline that memorises
# -------------------------
# Before training anything, a :term:`baseline`: give each word the tag it had
# most often in the training sentences, and a word never seen there the most
# common tag of all. Many Indonesian words have one usual part of speech, so
# this already gets far.

usual = {}
by_word: dict[str, Counter] = {}
for sentence, sentence_tags in zip(data["train"].tokens, data["train"].tags, strict=True):
    for word, tag in zip(sentence, sentence_tags, strict=True):
        by_word.setdefault(word, Counter())[tag] += 1
usual = {word: c.most_common(1)[0][0] for word, c in by_word.items()}
most_common_tag = counts.most_common(1)[0][0]


def memorise(sentences):
    return [[usual.get(w, most_common_tag) for w in s] for s in sentences]


test = data["test"]
baseline = tag_scores(test.tags, memorise(test.tokens))
print(
    f"memorising baseline, test: F1 {baseline.f1:.3f} (averaged over tags), "
    f"accuracy {baseline.accuracy:.3f}"
)

# %%
# The words it has never seen are its weak point. How many words of the test
# sentences never occur in the training sentences, and how often does the
# baseline tag them right?

seen = set(by_word)
flat_true = [t for s in test.tags for t in s]
flat_words = [w for s in test.tokens for w in s]
unseen = np.array([w not in seen for w in flat_words])


def accuracy_on(predicted, where):
    flat = np.array([t for s in predicted for t in s])
    return float((flat[where] == np.array(flat_true)[where]).mean())


baseline_tags = memorise(test.tokens)
print(
    f"test words never seen in training: {unseen.sum():,} of {len(unseen):,} ({unseen.mean():.1%})"
)
print(
    f"baseline accuracy on seen words {accuracy_on(baseline_tags, ~unseen):.3f}, "
    f"on unseen words {accuracy_on(baseline_tags, unseen):.3f}"
)

# %%
# A tagger that reads letters and context
# ---------------------------------------
# :class:`nlptut.tagging.tagger.Tagger` builds a network in four steps
# (:class:`~nlptut.tagging.tagger.BiLSTMTagger`):
#
# 1. each word becomes a list of numbers (its :term:`embedding`), learned from
#    the training words; a word never seen in training gets one shared vector,
#    which learns what an unknown word tends to be because, during training,
#    5% of the words are hidden behind it at random (*word dropout*);
# 2. each word's *letters* also become numbers: a small convolution slides
#    over the letters and notices pieces such as the prefix ``mem-`` or the
#    ending ``-kan``, which say a lot about a word never seen whole;
# 3. a bidirectional LSTM reads the sentence from left to right and from right
#    to left, so that each word's numbers also carry its neighbours: "tahu" is
#    a verb (know) in one sentence and a noun (tofu) in another;
# 4. a linear :term:`layer` scores each of the 26 tags for each word, and the
#    highest score wins.
#
# It trains with the :term:`loss` of each word's tag (cross-entropy, averaged
# over the words), with *dropout* (a third of the numbers set to zero at random
# during training, so that the network cannot lean on any single one), and
# keeps the :term:`epoch` with the best F1 on the :term:`validation split
# <validation split>`. To fit this page's time budget the network is smaller
# than nlptut's default (64 numbers per word instead of 100 to 128) and trains
# for three epochs, on :term:`batches <batch>` of 64 sentences at a :term:`learning rate` of 8e-3
# (better on the validation split than the other short settings we tried);
# ``benchmarks/bench_tagging.py`` trains the default network longer, with
# three seeds.

EPOCHS = 1 if QUICK else 3
# smaller than TaggerConfig's defaults; no CRF (the next page adds one)
config = TaggerConfig(word_dim=64, char_filters=32, hidden=64, crf=False)
settings = TagTrainConfig(epochs=EPOCHS, batch_size=64, lr=8e-3, seed=0)
train_data = data.first(300) if QUICK else data
started = time.perf_counter()
tagger = Tagger.fit(train_data, config, settings, progress=False)
seconds = time.perf_counter() - started
print(tagger.model)
weights = sum(p.numel() for p in tagger.model.parameters())
print(
    f"{weights:,} weights, {tagger.model.words.weight.numel() / weights:.0%} of them "
    "in the table of word vectors"
)
for record in tagger.history:
    print(
        f"epoch {record.epoch}: training loss {record.train_loss:.3f}, "
        f"validation F1 {record.val_f1:.3f} ({record.seconds:.1f} s)"
    )
print(
    f"trained in {seconds:.0f} s on {hardware_summary().splitlines()[0]}; "
    f"number format {tagger.info['precision']}"
)
rising = len(tagger.history) > 1 and tagger.history[-1].val_f1 > tagger.history[-2].val_f1
print("validation F1 still rising at the last epoch:", "yes" if rising else "no")

# %%
# Results, tag by tag
# -------------------
# The tagger's scores on the test sentences, and how they compare with the
# baseline and with the rows IndoNLU published: a model trained from scratch
# (*Scratch*), one built on fastText word vectors trained on a large
# Indonesian corpus (*fastText-indo4b*), and the large pretrained IndoBERT.

scores = tagger.evaluate(data, "test")
published = dataset_info("indonlu-posp").published_scores("tag_f1")
rows = [
    ("memorising baseline (this page)", 100 * baseline.f1),
    (f"BiLSTM tagger, {EPOCHS} epochs (this page)", 100 * scores.f1),
]
rows += [
    (f"IndoNLU: {name}", published[name])
    for name in ("Scratch", "fastText-indo4b", "IndoBERT large")
]
for name, f1 in sorted(rows, key=lambda r: r[1]):
    print(f"{name:<40} F1 {f1:6.2f}")
print(f"\nword accuracy: tagger {scores.accuracy:.3f}, baseline {baseline.accuracy:.3f}")
better_f1 = "tagger" if scores.f1 > baseline.f1 else "baseline"
better_acc = "tagger" if scores.accuracy > baseline.accuracy else "baseline"
print(f"higher F1 (averaged over tags): the {better_f1}; higher word accuracy: the {better_acc}")

# %%
# The two measures can disagree, because the average over tags gives each of
# the 26 tags the same :term:`weight`, however rare. The tags the tagger does worst
# on, beside the baseline's score for the same tag and the number of test
# words that carry it:

ordered = sorted(scores.per_type.items(), key=lambda kv: kv[1].f1)
print(f"{'tag':<5}{'tagger F1':>10}{'baseline F1':>13}{'test words':>12}")
for name, s in ordered[:7]:
    print(f"{name:<5}{s.f1:>10.3f}{baseline.per_type[name].f1:>13.3f}{s.support:>12,}")
rare = [name for name, s in scores.per_type.items() if s.support < 60]
gap = baseline.f1 - scores.f1
from_rare = sum(baseline.per_type[n].f1 - scores.per_type[n].f1 for n in rare)
from_rare /= len(scores.per_type)
print(
    f"\ntags with fewer than 60 test words: {len(rare)} of {len(scores.per_type)} "
    f"({', '.join(rare)})"
)
print(
    f"F1 averaged over tags, baseline minus tagger: {100 * gap:+.1f} points, of which "
    f"{100 * from_rare:+.1f} come from those {len(rare)} rare tags"
)

# %%
# Did reading letters help with new words? The same comparison as for the
# baseline, seen and unseen words apart:

predicted = tagger.predict(test.tokens)
print(f"{'':<10}{'seen words':>12}{'unseen words':>14}")
print(
    f"{'baseline':<10}{accuracy_on(baseline_tags, ~unseen):>12.3f}"
    f"{accuracy_on(baseline_tags, unseen):>14.3f}"
)
print(
    f"{'tagger':<10}{accuracy_on(predicted, ~unseen):>12.3f}{accuracy_on(predicted, unseen):>14.3f}"
)
gain_seen = accuracy_on(predicted, ~unseen) - accuracy_on(baseline_tags, ~unseen)
gain_unseen = accuracy_on(predicted, unseen) - accuracy_on(baseline_tags, unseen)
print(
    f"\nthe tagger's gain over the baseline: {100 * gain_seen:+.1f} points on seen words, "
    f"{100 * gain_unseen:+.1f} points on unseen words"
)

# %%
# Which tags get confused
# -----------------------
# A :term:`confusion matrix` of the ten most common tags: each row is a true
# tag, and each cell the share of its test words that the tagger gave the
# column's tag. The last column collects the other 16 tags, so each row sums
# to 1.

top = [tag for tag, _ in counts.most_common(10)]
flat_pred = [t for s in predicted for t in s]
pairs = [
    (t, p if p in top else "other") for t, p in zip(flat_true, flat_pred, strict=True) if t in top
]
matrix = confusion_matrix([t for t, _ in pairs], [p for _, p in pairs], labels=[*top, "other"])
shares = matrix[: len(top)] / matrix[: len(top)].sum(axis=1, keepdims=True)  # (10, 11)
fig, ax = plt.subplots(figsize=(8, 6))
image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
ax.set_xticks(range(len(top) + 1), [t[2:] for t in top] + ["other"])
ax.set_yticks(range(len(top)), [t[2:] for t in top])
for i in range(len(top)):
    for j in range(len(top) + 1):
        if shares[i, j] >= 0.005:
            color = "white" if shares[i, j] > 0.5 else "black"
            ax.text(j, i, f"{shares[i, j]:.2f}", ha="center", va="center", fontsize=7, color=color)
ax.set_xlabel("tag given by the tagger")
ax.set_ylabel("true tag")
fig.colorbar(image, ax=ax, label="share of the row's test words")
ax.set_title("Which tag the tagger gave the words of each true tag (test split)")
plt.tight_layout()
plt.show()

confusions = Counter((t, p) for t, p in zip(flat_true, flat_pred, strict=True) if t != p)
print("most common mistakes (true -> predicted):")
for (t, p), n in confusions.most_common(5):
    print(f"  {t[2:]:<4} -> {p[2:]:<4} {n:>4} words")
nouns = sum(n for (t, p), n in confusions.items() if {t, p} == {"B-NNO", "B-NNP"})
print(
    f"between common and proper nouns (NNO, NNP): {nouns / sum(confusions.values()):.0%} "
    "of all wrong words"
)

# %%
# The last line says how many of the mistakes are between common and proper
# nouns (``NNO`` and ``NNP``). One reason they are hard here: the text is
# lower-cased, so the capital letter that marks a name in written Indonesian
# is gone, and a word such as "partai" (party) or "kota" (city) inside a name
# looks like an ordinary noun.
#
# Sentences it gets wrong
# -----------------------
# Two test sentences with mistakes, each wrong word shown as
# ``word/PREDICTED (true TAG)``. Reading them is how you find out whether the
# mistakes are the model's or, sometimes, the data's: a true tag that looks
# odd (a first name tagged as a verb, say) is more likely a slip of the
# annotators than of the model.

wrong = [i for i, (t, p) in enumerate(zip(test.tags, predicted, strict=True)) if t != p]
shown = [i for i in wrong if len(test.tokens[i]) <= 14][:2] or wrong[:2]
for i in shown:
    parts = []
    for word, t, p in zip(test.tokens[i], test.tags[i], predicted[i], strict=True):
        parts.append(word if t == p else f"{word}/{p[2:]} (true {t[2:]})")
    print(" ".join(parts), "\n")
print(f"{len(wrong):,} of {len(test):,} test sentences have at least one wrong tag")

# %%
# What the numbers mean
# ---------------------
# The printed table above ranks the tagger, the baseline and IndoNLU's rows;
# this page's run is short (a small network, a few epochs, one :term:`seed`,
# validation F1 perhaps still rising), so read small gaps with care. The
# memorising baseline shows how much of part-of-speech tagging is recalling
# each word's usual tag: it is hard to beat on common words and on rare tags
# whose few words it simply remembers ("maaf", sorry, is an interjection), and
# the average over tags rewards exactly that: the printed split of the gap
# says how much of it the rare tags make. Where the network gains (the two
# gains printed above) tells what reading letters and neighbouring words adds:
# for a word never seen in training, they are all the tagger has.
# ``benchmarks/bench_tagging.py`` trains the default, larger network for more
# epochs with three seeds, against the same baseline and IndoNLU's rows.
#
# Next, the same sentences tagged with the names of people, places and
# organisations: chunks of several words, and a :term:`CRF` layer that chooses all the
# tags of a sentence together. To tag your own sentences from the command
# line, see the end of that page.
#
# Exercises
# ---------
# For each one, first write down what you expect, then run the solution's code
# (it runs in about a second, the last two on the training sentences) and
# compare. The solutions are the code that nlptut's own tests run, so they stay
# correct.
#
# 1. **One rare tag.** A text of 100 words: 99 nouns and one interjection
#    ("wah!"). A tagger calls all 100 words nouns. What are its accuracy, the
#    F1 of each tag, and their average?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/parts_of_speech.py
#          :start-after: # --- imports ---
#          :end-before: # --- exercise 2 ---
#
#       Accuracy 0.99, F1 0.995 for nouns and 0 for the interjection, average
#       about 0.50. The average over tags gives the one missed interjection as
#       much weight as the 99 nouns, which is why IndoNLU's F1 punishes a
#       tagger that neglects rare tags.
#
# 2. **A better guess for new words.** The baseline above gives a word it
#    has never seen the most common tag of all. Which tag is most common
#    among the training words seen only once (a stand-in for the new words of
#    the test sentences), and is it the same?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/parts_of_speech.py
#          :start-after: # --- exercise 2 ---
#          :end-before: # --- exercise 3 ---
#
#       No: over all words the most common tag is ``NNO`` (common noun), but
#       among words seen once it is ``NNP`` (proper noun). Rare words are
#       often names of people, places and organisations, so a baseline that
#       guesses ``NNP`` for new words does better on them; try it with the
#       page's ``memorise`` function.
#
# 3. **What letters tell.** Among the training words of more than five
#    letters that start with "me", what share are verbs (tags starting with
#    ``VB``)?
#
#    .. dropdown:: Solution
#
#       .. literalinclude:: ../../exercises/parts_of_speech.py
#          :start-after: # --- exercise 3 ---
#          :end-before: # --- end ---
#
#       About four in five (nlptut's tests check more than 75%). The prefix
#       *meN-* makes active verbs: *membaca* (to read), *menulis* (to write),
#       *mengatakan* (to say). A word's first and last letters are clues
#       a tagger that reads letters can use for a word it has never seen;
#       the exceptions, such as *menteri* (minister) and *memang* (indeed),
#       are why it still needs the words around it.
