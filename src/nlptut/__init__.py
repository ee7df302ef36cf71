"""nlptut: deep learning for natural language processing with PyTorch.

The package behind the nlptut tutorials. Data flows one way::

    datasets -> vocab (tokens, vocabulary) -> text (batches) -> models -> training
        -> classifier -> deploy (ONNX, int8) -> cli

Each module imports only from modules to its left.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
