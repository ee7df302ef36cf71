"""Solutions to the exercises of "Teaching the model the difference".

Shown on the page (in dropdowns, with ``literalinclude``) and run by
``tests/test_exercises.py``, which checks the outcome the page states.
"""

from __future__ import annotations

# --- exercise 1 ---
from collections import Counter

from nlptut.counterfactual import as_texts, load_counterfactuals

pairs = load_counterfactuals()
kinds = Counter(p.edit for p in pairs)
texts, labels = as_texts(pairs)
emotions = Counter(labels)
print(dict(kinds))
print(emotions.most_common(1), "of", len(labels), "texts")

# --- exercise 2 ---
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from nlptut.counterfactual import read_augment_file  # noqa: E402

folder = Path(tempfile.mkdtemp())
mine = folder / "my_pairs.tsv"
mine.write_text(
    "text_a\tlabel_a\ttext_b\tlabel_b\n"
    "The scan came back clear.\tjoy\tThe scan did not come back clear.\tfear\n"
    "We all got a pay rise, me too!\tjoy\tWe all got a pay rise, except me.\tanger\n",
    encoding="utf-8",
)
added = read_augment_file(mine)
print(len(added.texts), "texts;", added.record())
# --- end ---
