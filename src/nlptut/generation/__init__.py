"""Writing text: from a byte-pair vocabulary to tweets written in a chosen emotion.

One module per job, each importing only those before it in this list:
``bpe`` (a byte-pair vocabulary), ``ngram`` (counting models, the baseline),
``gpt`` (a small decoder-only Transformer, its training and its sampling) and
``writing`` (texts that start with their label, and judging what was written).
The names of ``writing`` also import from here:
``from nlptut.generation import LabelledTokens, write``.

The old module names ``nlptut.bpe``, ``nlptut.ngram`` and ``nlptut.gpt`` still
import, with a DeprecationWarning, for one release.
"""

from nlptut.generation.writing import LabelledTokens, copied, label_token, recognised, write

__all__ = ["LabelledTokens", "write", "recognised", "copied", "label_token"]
