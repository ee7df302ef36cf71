"""nlptut: deep learning for natural language processing with PyTorch.

The package behind the nlptut tutorials. Data flows one way::

    datasets -> text (tokenize, vocabulary, batches) -> models -> training -> cli

Each module imports only from modules to its left.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
