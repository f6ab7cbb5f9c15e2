"""Tests for lab/cases.py: the scenarios are the special cases they claim to be."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from conftest import step_until_quiet
from swarmsim.lab import cases
from swarmsim.lab.peers import hand_cascade
from swarmsim.model import SwarmModel
from swarmsim.scenario import load_scenario


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_threshold_case_is_watts_cascade(backend):
    model = SwarmModel.from_scenario(cases.threshold_cascade(3000, 2, 0.3, 12, backend=backend))
    people = model.consumers
    seeds = np.flatnonzero(people.boycott[:, 0])
    assert len(seeds) == 12
    assert np.all(people.weight == 1.0)
    assert np.all(people.threshold == 0.3)
    while True:
        model.step()
        if model.firms[0].boycott_joins == 0:
            break
    g = model.graph
    active, _ = hand_cascade.threshold_cascade(g.indptr, g.indices, people.threshold, seeds)
    assert people.boycott[:, 0].tolist() == active.tolist()
    assert 12 < active.sum() < g.n  # a partial cascade: the comparison is not trivial


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_independent_case_with_certain_talk_floods_the_seed_components(backend):
    scenario = cases.independent_cascade(400, 1, 1.0, 3, backend=backend)
    scenario["graph"] = {"kind": "erdos_renyi", "n": 400, "mean_degree": 1.2}
    model = SwarmModel.from_scenario(scenario)
    seeds = np.flatnonzero(model.consumers.opinion[:, 0] < 0)
    steps = step_until_quiet(model)
    reached = set()
    nx_graph = model.graph.to_networkx()
    for s in seeds:
        reached |= nx.node_connected_component(nx_graph, int(s))
    assert set(np.flatnonzero(model.consumers.opinion[:, 0] < 0).tolist()) == reached
    assert np.all(model.consumers.opinion[list(reached), 0] == -1.0)
    distance = nx.multi_source_dijkstra_path_length(nx_graph, {int(s) for s in seeds})
    assert steps == max(distance.values()) + 1  # one hop per step, then a quiet step


def test_full_model_case_validates():
    spec = load_scenario(cases.full_model(1000, 3, 10, backend="numpy"))
    assert (len(spec.firms), len(spec.institutions), spec.steps) == (5, 3, 10)
    assert all(vars(spec.phases).values())
