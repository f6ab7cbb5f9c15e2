"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import strategies as st

from swarmsim.graphs import CSRGraph, from_edges

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


@st.composite
def csr_graphs(draw, max_n: int = 10, max_edges: int = 30) -> CSRGraph:
    """Small CSR graphs; empty graphs, isolated nodes and n = 0 all occur.

    Import it with ``from conftest import csr_graphs`` (pytest puts tests/ on the path).
    """
    n = draw(st.integers(0, max_n))
    pairs = [] if n == 0 else draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=max_edges)
    )
    src = np.array([u for u, _ in pairs], dtype=np.int64)
    dst = np.array([v for _, v in pairs], dtype=np.int64)
    return from_edges(n, src, dst)


def step_until_quiet(model) -> int:
    """Step ``model`` until a step leaves nobody moved by word of mouth; return the steps."""
    steps = 0
    while True:
        model.step()
        steps += 1
        if not model.consumers.heard.any():
            return steps
