"""Tests for validation/independent_cascade.py: word of mouth vs cynetdiff."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

pytest.importorskip("cynetdiff")

from swarmsim.graphs import from_edges
from swarmsim.model import SwarmModel
from swarmsim.validation import independent_cascade as ic
from swarmsim.validation.common import load_check_scenario


def test_reference_on_a_path_with_certain_transmission():
    path = from_edges(6, [0, 1, 2, 3, 4], [1, 2, 3, 4, 5])
    assert ic.reference_sizes(path, 1.0, 20, seed=0).tolist() == [6] * 20
    assert ic.reference_sizes(path, 0.0, 20, seed=0).tolist() == [1] * 20


def test_model_on_a_path_with_certain_transmission():
    spec = load_check_scenario(ic.SCENARIO, None, {"graph.n": 6, "word_of_mouth.p_talk": 1.0})
    path = from_edges(6, [0, 1, 2, 3, 4], [1, 2, 3, 4, 5])
    assert ic.model_sizes(spec, path, 5, seed=0).tolist() == [6] * 5


@pytest.fixture(scope="module")
def quick():
    return ic.run(ic.QUICK, seed=0)


def test_quick_check_passes(quick):
    assert quick.passed, [m for m in quick.metrics if not m.passed]
    sizes = quick.data["model"]
    assert sizes.min() == 1
    assert sizes.max() > 0.3 * quick.data["n"]


def test_the_comparison_rejects_another_transmission_probability(quick):
    spec = load_check_scenario(ic.SCENARIO, None, {"graph.n": ic.QUICK.n})
    graph = SwarmModel(spec).graph
    other = ic.reference_sizes(graph, 0.45, ic.QUICK.replicates, seed=1)
    assert stats.ks_2samp(quick.data["model"], other).pvalue < ic.QUICK.alpha
    assert np.mean(other) > np.mean(quick.data["model"])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_quick_check_is_stable_under_seed_changes(seed):
    result = ic.run(ic.QUICK, seed=seed)
    assert result.passed, [m for m in result.metrics if not m.passed]
