"""Tests for phases/boycott.py and its kernel reference.boycott_update."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import csr_graphs
from swarmsim.graphs import CSRGraph, from_edges, neighbour_sums
from swarmsim.model import SwarmModel
from swarmsim.phases.boycott import phase as boycott
from swarmsim.phases.boycott.reference import boycott_update
from swarmsim.phases.boycott.spec import BoycottParams

PARAMS = BoycottParams(join_opinion=-0.2, leave_opinion=0.2, fatigue=0.0)


def update(
    graph: CSRGraph, state, opinion, threshold, *, weight=None, pressure=None, params=PARAMS
) -> np.ndarray:
    """One round for firm 1 of two (column 0 holds decoys); return the new column."""
    n = graph.n
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    pressure = np.zeros(n) if pressure is None else np.asarray(pressure, dtype=float)
    decoy = np.ones(n, dtype=bool)
    boycotts = np.column_stack([decoy, np.asarray(state, dtype=bool)])
    opinions = np.column_stack([np.full(n, -1.0), np.asarray(opinion, dtype=float)])
    pressures = np.column_stack([np.zeros(n), pressure])
    out = np.empty(n, dtype=bool)
    boycott_update(
        graph.indptr,
        graph.indices,
        boycotts,
        opinions,
        weight,
        neighbour_sums(graph, weight),
        np.asarray(threshold, dtype=float),
        pressures,
        np.zeros((n, 2), dtype=bool),
        0,
        0,
        0,
        1,
        params,
        out,
    )
    return out


def loop_rule(graph: CSRGraph, state, opinion, threshold, weight, pressure, params) -> list[bool]:
    """The documented rule, written as a plain loop over consumers."""
    result = []
    for i in range(graph.n):
        total = boycotting = 0.0
        for j in graph.neighbours(i):
            total += weight[j]
            if state[j]:
                boycotting += weight[j]
        share = boycotting / total if total > 0 else 0.0
        if state[i]:
            result.append(not opinion[i] > params.leave_opinion)
        else:
            joins = opinion[i] <= params.join_opinion
            result.append(bool(joins and share >= threshold[i] * (1 - pressure[i])))
    return result


@settings(max_examples=80, deadline=None)
@given(graph=csr_graphs(), data=st.data())
def test_kernel_equals_a_direct_loop(graph, data):
    n = graph.n

    def column(elements):
        return np.array(data.draw(st.lists(elements, min_size=n, max_size=n)))

    state = column(st.booleans()).astype(bool)
    opinion = column(st.sampled_from([-1.0, -0.5, -0.2, 0.0, 0.2, 0.5]))
    threshold = column(st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 2 / 3, 1.0]))
    weight = column(st.sampled_from([1.0, 3.0]))
    pressure = column(st.sampled_from([0.0, 0.5, 0.8]))
    join = data.draw(st.sampled_from([-0.5, -0.2, 0.0]))
    params = BoycottParams(join, data.draw(st.sampled_from([join, 0.2, 0.5])), 0.0)
    got = update(graph, state, opinion, threshold, weight=weight, pressure=pressure, params=params)
    expected = loop_rule(graph, state, opinion, threshold, weight, pressure, params)
    assert got.tolist() == expected


def test_watts_threshold_rule_on_a_hand_made_graph():
    #   0 - 1 - 2      consumer 1 has 3 neighbours, 2 of them boycotting
    #       |
    #       3 - 4
    graph = from_edges(5, [0, 1, 1, 3], [1, 2, 3, 4])
    state = [True, False, True, False, False]
    opinion = np.full(5, -0.5)
    joined = update(graph, state, opinion, threshold=np.full(5, 2 / 3))
    assert joined.tolist() == [True, True, True, False, False]  # 1 sees 2/3; 3 and 4 see 0
    stricter = update(graph, state, opinion, threshold=np.full(5, 0.7))
    assert stricter.tolist() == [True, False, True, False, False]
    led = update(graph, state, opinion, threshold=np.full(5, 0.7), weight=[3, 1, 1, 1, 1])
    assert led[1]  # alpha 0 weighs 3: share (3 + 1) / 5 = 0.8


def test_only_negative_consumers_join():
    graph = from_edges(2, [0], [1])
    assert update(graph, [True, False], [-1.0, -0.2], [0.5, 0.5]).tolist() == [True, True]
    assert update(graph, [True, False], [-1.0, -0.19], [0.5, 0.5]).tolist() == [True, False]


def test_hysteresis_leave_only_above_leave_opinion():
    graph = from_edges(4, [], [])  # nobody has neighbours: no new joiners
    state = [True, True, True, False]
    opinion = [0.1, 0.2, 0.21, 0.1]
    assert update(graph, state, opinion, np.full(4, 0.5)).tolist() == [True, True, False, False]


def test_leaving_does_not_need_the_neighbours():
    graph = from_edges(3, [0, 0], [1, 2])
    result = update(graph, [True, True, True], [0.9, -1.0, -1.0], np.full(3, 0.1))
    assert result.tolist() == [False, True, True]


def test_pressure_lowers_the_effective_threshold():
    graph = from_edges(3, [0, 0], [1, 2])  # 0 sees share 1/2
    state, opinion, threshold = [False, True, False], np.full(3, -1.0), np.full(3, 0.8)
    assert not update(graph, state, opinion, threshold)[0]
    assert not update(graph, state, opinion, threshold, pressure=[0.3, 0, 0])[0]  # 0.56 > 0.5
    assert update(graph, state, opinion, threshold, pressure=[0.4, 0, 0])[0]  # 0.48 <= 0.5


def test_isolated_consumers_have_share_zero():
    graph = from_edges(3, [0], [1])  # 2 is isolated
    state, opinion = [True, False, False], np.full(3, -1.0)
    result = update(graph, state, opinion, [0.5, 0.5, 0.01], pressure=[0, 0, 0.9])
    assert result.tolist() == [True, True, False]
    assert update(graph, state, opinion, [0.5, 0.5, 0.0])[2]  # θ = 0: joins alone (innovator)


def test_phase_is_synchronous_and_counts_joins():
    scenario = {
        "consumers": {"threshold": 0.5, "alphas": {"share": 0.0}},
        "phases": {"institutions": False},
        "firms": [{"name": "A"}, {"name": "B"}],
    }
    graph = from_edges(5, [0, 1, 2, 3], [1, 2, 3, 4])  # a path
    model = SwarmModel.from_scenario(scenario, graph=graph)
    people = model.consumers
    people.opinion[:] = -1.0
    people.boycott[0, 0] = True
    boycott.step(model, 1)
    assert people.boycott[:, 0].tolist() == [True, True, False, False, False]  # one hop
    assert not people.boycott[:, 1].any()
    assert [f.boycott_joins for f in model.firms] == [1, 0]
    boycott.step(model, 2)
    assert people.boycott[:, 0].tolist() == [True, True, True, False, False]
