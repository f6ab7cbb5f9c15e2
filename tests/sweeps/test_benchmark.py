"""Tests for sweeps/benchmark.py (the timing itself is reported in docs, not asserted)."""

from __future__ import annotations

from sweepfiles import write_sweep

from swarmsim.sweeps.benchmark import time_sequential
from swarmsim.sweeps.design import load_sweep
from swarmsim.sweeps.store import Store


def test_time_sequential_executes_every_run_once_after_a_warm_up_run(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, replicates=1, steps=2))
    seconds = time_sequential(sweep, tmp_path)
    assert seconds > 0
    assert Store(tmp_path / "sequential").finished() == {r.run_id for r in sweep.runs}
    assert len(Store(tmp_path / "warm-up").finished()) == 1
