"""Shared test fixtures: where the development corpus is, and the samples."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = Path(str(resources.files("kg.samples")))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The development corpus beside the checkout; skips when absent."""
    if not (CORPUS / "gold").is_dir():
        pytest.skip("../shared/corpus is not present on this machine")
    return CORPUS


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES
