"""Small sweep files shared by the sweep tests (imported by the test modules)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

BASE = {
    "name": "tiny",
    "seed": 7,
    "steps": 12,
    "graph": {"kind": "barabasi_albert", "n": 300, "m": 3},
    "firms": [
        {"name": "Manip", "strategy": "manipulative", "misconduct_rate": 0.1},
        {"name": "Care", "strategy": "customer_centric"},
    ],
    "institutions": [{"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2}}],
}

GRID = {
    "name": "tiny_grid",
    "scenario": "base.yaml",
    "seed": 11,
    "replicates": 3,
    "parameters": {
        "consumers.information_parity": {"levels": [0.3, 0.7]},
        "word_of_mouth.p_talk": {"low": 0.05, "high": 0.2, "count": 3},
    },
    "outputs": {"series": True},
    "retries": 1,
}
"""2 × 3 points × 3 replicates = 18 runs of 300 consumers and 12 steps."""


def write_sweep(folder: Path, sweep: dict[str, Any] | None = None, **changes: Any) -> Path:
    """Write base.yaml and sweep.yaml (GRID, or ``sweep``, updated by ``changes``)."""
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    data = copy.deepcopy(GRID if sweep is None else sweep)
    data.update(changes)
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
