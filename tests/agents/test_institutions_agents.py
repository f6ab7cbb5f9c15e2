"""Tests for agents/institutions.py: institution agents, kinds and members."""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
import pytest

from swarmsim import graphs
from swarmsim.agents.institutions import Institution, choose_members
from swarmsim.model import SwarmModel
from swarmsim.scenario import INSTITUTION_KINDS, KIND_DEFAULTS, InstitutionSpec

GRAPH = graphs.barabasi_albert(2000, 2, seed=1)


def spec(**kw) -> InstitutionSpec:
    return InstitutionSpec.model_validate({"name": "I", "kind": "church", **kw})


@pytest.mark.parametrize("kind", INSTITUTION_KINDS)
def test_each_kind_fills_its_defaults(kind):
    inst = InstitutionSpec.model_validate({"name": "I", "kind": kind})
    profile = KIND_DEFAULTS[kind]
    assert inst.credibility == profile["credibility"]
    assert inst.reach == profile["reach"]
    assert inst.petition_rate == profile["petition_rate"]
    assert inst.trigger.model_dump() == profile["trigger"]


def test_kinds_have_distinct_profiles():
    assert set(KIND_DEFAULTS) == set(INSTITUTION_KINDS)
    profiles = {repr(sorted(p.items())) for p in KIND_DEFAULTS.values()}
    assert len(profiles) == len(INSTITUTION_KINDS)


def test_explicit_values_win_over_kind_defaults():
    inst = spec(credibility=0.1, trigger={"when": "misconduct", "level": 0.5})
    assert inst.credibility == 0.1
    assert inst.trigger.when == "misconduct"
    assert inst.trigger.level == 0.5
    assert inst.reach == KIND_DEFAULTS["church"]["reach"]  # the rest still from the kind


def test_a_partial_trigger_keeps_the_kinds_other_trigger_fields():
    inst = spec(trigger={"level": 0.9})
    assert inst.trigger.level == 0.9
    assert inst.trigger.when == KIND_DEFAULTS["church"]["trigger"]["when"]


def test_kind_defaults_are_not_shared_between_specs():
    first = spec()
    second = spec(trigger={"when": "misconduct", "level": 0.2})
    assert first.trigger.when == "negative_share"
    assert KIND_DEFAULTS["church"]["trigger"] == {"when": "negative_share", "level": 0.4}
    assert second.trigger.level == 0.2


@pytest.mark.parametrize("by", ["random", "degree", "community"])
def test_member_count_is_the_rounded_share(by):
    members = choose_members(spec(members={"share": 0.0375, "by": by}), GRAPH, seed=4)
    assert members.size == round(0.0375 * GRAPH.n)
    assert np.array_equal(members, np.unique(members))  # sorted, distinct


def test_members_by_degree_are_the_best_connected():
    members = choose_members(spec(members={"share": 0.05, "by": "degree"}), GRAPH, seed=4)
    degree = GRAPH.degree()
    outside = np.setdiff1d(np.arange(GRAPH.n), members)
    assert degree[members].min() >= degree[outside].max()


def test_members_at_random_are_spread_over_the_graph():
    members = choose_members(spec(members={"share": 0.1, "by": "random"}), GRAPH, seed=4)
    degree = GRAPH.degree()
    assert abs(degree[members].mean() - degree.mean()) < 5 * degree.std() / np.sqrt(members.size)
    sub = GRAPH.to_networkx().subgraph(members.tolist())
    assert nx.number_connected_components(sub) > 10


def test_members_by_community_are_connected():
    for seed in range(3):
        members = choose_members(spec(members={"share": 0.05, "by": "community"}), GRAPH, seed=seed)
        sub = GRAPH.to_networkx().subgraph(members.tolist())
        assert nx.is_connected(sub)


def test_community_members_differ_by_seed_and_by_name():
    base = spec(members={"share": 0.05, "by": "community"})
    a = choose_members(base, GRAPH, seed=1)
    assert not np.array_equal(a, choose_members(base, GRAPH, seed=2))
    renamed = base.model_copy(update={"name": "Other"})
    assert not np.array_equal(a, choose_members(renamed, GRAPH, seed=1))


def scenario(*institutions: dict) -> dict:
    return {
        "graph": {"kind": "barabasi_albert", "n": 500, "m": 2},
        "firms": [{"name": "A"}, {"name": "B"}],
        "institutions": list(institutions),
    }


def test_members_do_not_change_when_another_institution_is_added():
    first = {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2}}
    second = {"name": "BI", "kind": "citizen_initiative", "members": {"share": 0.3}}
    alone = SwarmModel.from_scenario(scenario(first)).institutions[0].members
    both = SwarmModel.from_scenario(scenario(second, first)).institutions[1].members
    np.testing.assert_array_equal(alone, both)


def test_model_builds_institution_agents_and_membership_matrix():
    model = SwarmModel.from_scenario(
        scenario(
            {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2}},
            {"name": "K", "kind": "church", "targets": ["B"], "members": {"share": 0.1}},
        )
    )
    vz, church = model.institutions
    assert all(isinstance(i, mesa.Agent) for i in model.institutions)
    assert set(model.agents_by_type[Institution]) == {vz, church}
    for k, inst in enumerate(model.institutions):
        np.testing.assert_array_equal(
            np.flatnonzero(model.consumers.membership[:, k]), inst.members
        )
    assert vz.watches.tolist() == [True, True]
    assert church.watches.tolist() == [False, True]
    assert church.kind == "church"
    assert church.active_campaigns == 0
    assert church.remaining.tolist() == [0, 0]
    assert church.signatures.tolist() == [0, 0]
