"""Tests for agents/institutions.py: institution agents, kinds and members."""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from swarmsim import graphs
from swarmsim.agents.institutions import Institution, choose_members
from swarmsim.model import SwarmModel
from swarmsim.phases.institutions.spec import INSTITUTION_KINDS, InstitutionSpec

GRAPH = graphs.barabasi_albert(2000, 2, seed=1)
READ = TypeAdapter(InstitutionSpec)


def spec(**kw):
    return READ.validate_python({"name": "I", "kind": "church", **kw})


def test_each_kind_has_its_own_mechanism_section():
    sections = {
        "consumer_protection": "sanction", "church": "appeal", "citizen_initiative": "petition",
        "charity_foundation": "endorsement", "professional_association": "code",
    }  # fmt: skip
    assert set(sections) == set(INSTITUTION_KINDS)
    for kind, section in sections.items():
        inst = READ.validate_python({"name": "I", "kind": kind})
        assert hasattr(inst, section)
        assert not any(hasattr(inst, other) for other in set(sections.values()) - {section})


def test_a_section_of_another_kind_is_refused():
    with pytest.raises(ValidationError, match="petition"):
        spec(petition={"rate": 0.5})


def test_kinds_have_distinct_shared_profiles():
    profiles = {
        (inst.credibility, inst.reach, inst.trigger)
        for inst in (READ.validate_python({"name": "I", "kind": k}) for k in INSTITUTION_KINDS)
    }
    assert len(profiles) == len(INSTITUTION_KINDS)


def test_explicit_values_win_over_kind_defaults():
    inst = spec(credibility=0.1, trigger={"when": "misconduct", "level": 0.5})
    assert inst.credibility == 0.1
    assert inst.trigger.when == "misconduct"
    assert inst.trigger.level == 0.5
    assert inst.reach == spec().reach  # the rest still from the kind


def test_a_partial_section_keeps_the_kinds_other_fields():
    inst = spec(trigger={"level": 0.9}, appeal={"half_life": 4})
    assert inst.trigger.level == 0.9
    assert inst.trigger.when == "negative_share"  # the church's, not the base default
    assert inst.appeal.half_life == 4
    assert inst.appeal.build_steps == spec().appeal.build_steps


def test_kind_defaults_are_not_shared_between_specs():
    first = spec()
    second = spec(trigger={"when": "misconduct", "level": 0.2})
    assert first.trigger.when == "negative_share"
    assert second.trigger.level == 0.2
    assert spec().trigger == first.trigger


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
