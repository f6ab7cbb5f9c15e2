"""Tests for lab/sweeps.py (the timing itself is reported in docs, not asserted)."""

from __future__ import annotations

import yaml

from swarmsim.lab.sweeps import time_sequential
from swarmsim.sweeps.design import load_sweep
from swarmsim.sweeps.store import Store

BASE = {
    "name": "tiny",
    "seed": 7,
    "steps": 2,
    "graph": {"kind": "barabasi_albert", "n": 300, "m": 3},
    "firms": [{"name": "Manip", "strategy": "manipulative"}, {"name": "Care"}],
}
SWEEP = {
    "name": "tiny_grid",
    "scenario": "base.yaml",
    "seed": 11,
    "replicates": 1,
    "parameters": {"consumers.information_parity": {"levels": [0.3, 0.7]}},
}


def test_time_sequential_executes_every_run_once_after_a_warm_up_run(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    (tmp_path / "sweep.yaml").write_text(yaml.safe_dump(SWEEP), encoding="utf-8")
    sweep = load_sweep(tmp_path / "sweep.yaml")
    seconds = time_sequential(sweep, tmp_path)
    assert seconds > 0
    assert Store(tmp_path / "sequential").finished() == {r.run_id for r in sweep.runs}
    assert len(Store(tmp_path / "warm-up").finished()) == 1
