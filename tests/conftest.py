"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SMALL = {
    "name": "small",
    "seed": 7,
    "steps": 30,
    "graph": {"kind": "barabasi_albert", "n": 600, "m": 3},
    "firms": [
        {"name": "Manip", "strategy": "manipulative", "misconduct_rate": 0.1},
        {"name": "Care", "strategy": "customer_centric"},
        {"name": "Mix", "strategy": "mixed"},
    ],
    "institutions": [
        {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2}},
        {"name": "BI", "kind": "citizen_initiative", "members": {"share": 0.1, "by": "community"}},
    ],
}


@pytest.fixture
def small() -> dict:
    """A fresh copy of a small three-firm, two-institution scenario dict."""
    return copy.deepcopy(SMALL)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT
