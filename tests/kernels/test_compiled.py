"""Tests of the phases' compiled twins beyond parity: compile once, reuse the on-disk cache.

Bit-for-bit agreement with the reference is in test_parity.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numba
import numpy as np
import pytest

from swarmsim.kernels import jit
from swarmsim.phases.boycott import compiled as boycott
from swarmsim.phases.warmup import COMPILED, warm_up

# Runs warm_up in a fresh process and reports, per compiled function, how often Numba
# loaded it from its cache and how often it had to compile it.
PROBE = """
import json
from numba.core.registry import CPUDispatcher
from swarmsim.kernels import jit
from swarmsim.phases.warmup import COMPILED, warm_up
warm_up()
stats = {}
for module in (jit, *COMPILED):
    for name, obj in vars(module).items():
        if isinstance(obj, CPUDispatcher) and obj.signatures:
            hits, misses = obj.stats.cache_hits.values(), obj.stats.cache_misses.values()
            stats[f"{module.__name__.split('.')[-2]}.{name}"] = [sum(hits), sum(misses)]
print(json.dumps(stats))
"""


def probe() -> dict[str, list[int]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is compiled without the JIT")
def test_second_process_loads_every_kernel_from_the_cache():
    probe()  # compiles whatever is not cached yet (nothing once the cache is warm)
    stats = probe()
    entry_points = {"advertising.advertise", "purchase.choose_purchases",
                    "experience._experience", "exposure.detect_misconduct",
                    "institutions.call", "boycott.boycott_update",
                    "kernels.triangular"}  # fmt: skip
    assert entry_points <= stats.keys()
    recompiled = {name: misses for name, (hits, misses) in stats.items() if misses}
    assert recompiled == {}
    assert all(hits >= 1 for hits, _ in stats.values())


# A few steps of the whole model on a graph whose last consumers are isolated, everyone
# speaking, boycotts, a campaign and misconduct: every kernel runs, and with
# NUMBA_BOUNDSCHECK=1 an index past an array's end raises instead of reading garbage
# (an isolated speaker's row starts at the end of `indices`).
BOUNDS_PROBE = """
import numpy as np
from swarmsim import graphs
from swarmsim.model import SwarmModel
graph = graphs.from_edges(40, np.arange(0, 30), np.arange(1, 31))  # a path; 31..39 isolated
scenario = {
    "backend": "numba", "steps": 4,
    "firms": [{"name": "A", "strategy": "manipulative", "misconduct_rate": 1.0}, {"name": "B"}],
    "institutions": [{"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.5},
                      "trigger": {"when": "negative_share", "level": 0.1}}],
    "seeding": {"critics": 40, "boycotters": 5},
}
SwarmModel.from_scenario(scenario, graph=graph).run()
"""


@pytest.mark.slow  # compiles every kernel afresh, with bounds checks: 30-55 s
@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is compiled without the JIT")
def test_kernels_index_within_bounds_on_isolated_consumers(tmp_path):
    env = {**os.environ, "NUMBA_BOUNDSCHECK": "1", "NUMBA_CACHE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", BOUNDS_PROBE], env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is compiled without the JIT")
def test_warm_up_compiles_the_kernels_once():
    warm_up()
    python_wrappers = {"word_of_mouth", "boycott_update_cached", "experience"}
    kernels = [getattr(module, name) for module in COMPILED for name in module.__all__
               if name not in python_wrappers]  # fmt: skip
    before = [list(kernel.signatures) for kernel in kernels]
    assert all(before)
    warm_up()  # the second call finds every kernel compiled for these types
    assert before == [list(kernel.signatures) for kernel in kernels]


def test_boycott_sums_take_the_exact_path_only_for_integer_weights():
    # Adding and subtracting weights in any order equals the CSR-order sum only when
    # float64 never rounds: non-negative integers with a total below 2**53.
    assert boycott._sums_are_exact(np.array([1.0, 3.0, 100.0, 0.0]))
    assert not boycott._sums_are_exact(np.array([1.0, 2.5]))
    assert not boycott._sums_are_exact(np.array([1.0, -1.0]))
    assert not boycott._sums_are_exact(np.full(3, 2.0**52))
    # Why the re-summing path exists: with fractions, order changes the sum.
    assert (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)


@pytest.mark.parametrize("item_cost", [0, 4, 64])
@pytest.mark.parametrize("parts", [1, 2, 3, 8])
def test_balanced_parts_cut_edges_plus_item_costs_evenly(item_cost, parts):
    degree = np.random.default_rng(parts).zipf(2.0, 500).clip(max=400)  # hubs and leaves
    offsets = np.concatenate([[0], np.cumsum(degree)])
    starts = jit.balanced_parts(offsets, parts, item_cost)
    assert starts[0] == 0
    assert starts[-1] == 500
    assert np.all(np.diff(starts) >= 0)
    work_before = offsets + item_cost * np.arange(501)  # work of the items before each
    total = work_before[-1]
    for part in range(1, parts):  # each cut: the first item whose work before it reaches the goal
        goal = part * total // parts
        assert work_before[starts[part]] >= goal
        assert starts[part] == 0 or work_before[starts[part] - 1] < goal


def test_work_buffers_grow_by_doubling_up_to_their_bound():
    scratch = jit.Scratch()
    first = scratch.get("b", 10, np.int64, most=100)
    assert first.shape == (10,)
    assert not first.any()
    first[:] = 7
    assert scratch.get("b", 8, np.int64, most=100).tolist() == [7] * 8  # reused as left
    assert scratch.buffers["b"].shape == (10,)
    assert scratch.get("b", 11, np.int64, most=100).shape == (11,)
    assert scratch.buffers["b"].shape == (20,)  # twice the old size, not just 11
    scratch.get("b", 90, np.int64, most=100)
    assert scratch.buffers["b"].shape == (90,)  # more than doubling when asked
    scratch.get("b", 95, np.int64, most=100)
    assert scratch.buffers["b"].shape == (100,)  # doubling capped by the bound
    scratch.get("c", 3, np.float64)
    scratch.get("c", 4, np.float64)
    assert scratch.buffers["c"].shape == (6,)  # no bound: doubling alone
