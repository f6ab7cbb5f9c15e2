"""Tests for phases/word_of_mouth.py and its kernel reference.word_of_mouth."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import csr_graphs
from swarmsim.graphs import CSRGraph, from_edges
from swarmsim.model import SwarmModel
from swarmsim.phases.word_of_mouth import phase as phase
from swarmsim.phases.word_of_mouth.reference import word_of_mouth
from swarmsim.phases.word_of_mouth.spec import WordOfMouthParams

SEED, STREAM, T = 21, phase.STREAM, 5
PARAMS = WordOfMouthParams(
    p_talk=1.0, negativity_bias=2.0, learning_rate=0.5, speak_threshold=0.05, news_shock=0.5,
    trust_loss=0.5,
)


def talk(
    graph: CSRGraph,
    speaking,
    opinion,
    *,
    weight=None,
    trust=None,
    talk_factor=None,
    f=0,
    params=PARAMS,
    aware=None,
):
    """Run one round; return (new opinion column, heard, messages); ``aware`` is updated."""
    n = graph.n
    opinion = np.asarray(opinion, dtype=float)
    if opinion.ndim == 1:
        opinion = opinion[:, None]
    speaking = np.asarray(speaking, dtype=np.bool_).reshape(opinion.shape)
    heard = np.zeros(opinion.shape, dtype=np.bool_)
    opinion = opinion.copy()
    messages = word_of_mouth(
        graph.indptr,
        graph.indices,
        speaking,
        opinion,
        np.ones(n) if talk_factor is None else np.asarray(talk_factor, dtype=float),
        np.ones(n) if weight is None else np.asarray(weight, dtype=float),
        np.ones(n) if trust is None else np.asarray(trust, dtype=float),
        SEED,
        STREAM,
        T,
        f,
        params,
        heard,
        np.zeros(opinion.shape, dtype=np.bool_) if aware is None else aware,
        np.ones(opinion.shape),
    )
    return opinion[:, f], heard, messages


def star(leaves: int) -> CSRGraph:
    """Centre 0 linked to leaves 1..leaves."""
    return from_edges(leaves + 1, np.zeros(leaves, dtype=np.int64), np.arange(1, leaves + 1))


def test_listener_moves_toward_the_weighted_mean_of_its_messages():
    graph = star(3)
    opinion = np.array([0.1, -0.6, 0.8, 0.4])
    speaking = [False, True, True, False]  # leaf 3 is silent
    weight = np.array([1.0, 1.0, 3.0, 1.0])
    new, heard, messages = talk(graph, speaking, opinion, weight=weight, trust=np.full(4, 0.2))
    assert messages == 2  # each speaker's only neighbour is the centre
    target = (1.0 * -0.6 + 3.0 * 0.8) / 4.0
    alpha = min(1.0, 0.5 * 0.2 * 4.0)
    assert new[0] == pytest.approx(0.1 + alpha * (target - 0.1))
    np.testing.assert_array_equal(new[1:], opinion[1:])  # the centre was silent
    assert heard[:, 0].tolist() == [True, False, False, False]


def test_alphas_pull_harder():
    graph = star(2)
    opinion = np.array([0.0, -0.5, 0.5])
    plain, _, _ = talk(graph, [False, True, True], opinion)
    led, _, _ = talk(graph, [False, True, True], opinion, weight=[1.0, 1.0, 3.0])
    assert plain[0] == pytest.approx(0.0)  # equal weights cancel
    assert led[0] > 0.0  # the alpha's side wins
    single, _, _ = talk(star(1), [False, True], [0.0, 0.5], weight=[1.0, 1.0], trust=[0.1, 1.0])
    strong, _, _ = talk(star(1), [False, True], [0.0, 0.5], weight=[1.0, 3.0], trust=[0.1, 1.0])
    assert strong[0] > single[0] > 0.0  # α = η·τ·Σw grows with the speaker's weight


def test_messages_come_only_from_speakers():
    graph = from_edges(6, [0, 1, 2, 3, 4], [1, 2, 3, 4, 5])  # a path
    opinion = np.linspace(-1, 1, 6)
    silent, heard, messages = talk(graph, np.zeros(6), opinion)
    assert messages == 0
    assert np.array_equal(silent, opinion)
    assert not heard.any()
    new, _, messages = talk(graph, [False, False, True, False, False, False], opinion)
    assert messages == 2
    moved = np.flatnonzero(new != opinion)
    assert moved.tolist() == [1, 3]  # the speaker's neighbours, nobody else


def test_bad_news_reaches_more_listeners_than_equally_strong_good_news():
    leaves = 4000
    graph = star(leaves)
    params = PARAMS._replace(p_talk=0.1, negativity_bias=3.0, speak_threshold=0.0)
    speaking = np.zeros(leaves + 1, dtype=bool)
    speaking[0] = True
    reached = {}
    for sign in (-1.0, 1.0):
        opinion = np.zeros(leaves + 1)
        opinion[0] = 0.8 * sign
        new, heard, messages = talk(graph, speaking, opinion, params=params)
        reached[sign] = heard[1:, 0]
        assert messages == np.count_nonzero(new[1:] != 0.0)
    bad, good = reached[-1.0], reached[1.0]
    assert np.all(bad[good])  # same draws: whoever hears good news would hear bad news
    for hits, p in ((bad, 0.3), (good, 0.1)):
        assert abs(hits.sum() - leaves * p) < 5 * np.sqrt(leaves * p * (1 - p))


def test_mavens_talk_more():
    leaves = 4000
    speaking = np.zeros(leaves + 1, dtype=bool)
    speaking[0] = True
    opinion = np.zeros(leaves + 1)
    opinion[0] = 0.5
    params = PARAMS._replace(p_talk=0.1, speak_threshold=0.0)
    factor = np.ones(leaves + 1)
    _, _, plain = talk(star(leaves), speaking, opinion, params=params)
    factor[0] = 2.0
    _, _, maven = talk(star(leaves), speaking, opinion, params=params, talk_factor=factor)
    assert maven > 1.5 * plain


def test_heard_flags_only_listeners_moved_beyond_the_threshold():
    graph = star(2)
    opinion = np.array([0.0, 0.02, 0.0])
    params = PARAMS._replace(learning_rate=1.0, speak_threshold=0.05)
    _, heard, _ = talk(graph, [False, True, False], opinion, params=params)
    assert not heard.any()  # moved by 0.02 only
    opinion[1] = 0.5
    _, heard, _ = talk(graph, [False, True, False], opinion, params=params)
    assert heard[:, 0].tolist() == [True, False, False]


@settings(max_examples=60, deadline=None)
@given(
    graph=csr_graphs(),
    data=st.data(),
    rate=st.floats(0.0, 10.0),
    p_talk=st.floats(0.0, 1.0),
)
def test_opinions_stay_in_range_on_any_graph(graph, data, rate, p_talk):
    n = graph.n
    unit = st.floats(0.0, 1.0)
    opinion = np.array(data.draw(st.lists(st.floats(-1.0, 1.0), min_size=n, max_size=n)))
    speaking = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    weight = np.array(data.draw(st.lists(st.floats(1.0, 100.0), min_size=n, max_size=n)))
    trust = np.array(data.draw(st.lists(unit, min_size=n, max_size=n)))
    params = WordOfMouthParams(p_talk, 3.0, rate, 0.05, 0.5, 0.5)
    new, heard, messages = talk(graph, speaking, opinion, weight=weight, trust=trust, params=params)
    assert np.all((new >= -1.0) & (new <= 1.0))
    assert 0 <= messages <= int(graph.degree()[speaking].sum())
    isolated = graph.degree() == 0
    assert np.array_equal(new[isolated], opinion[isolated])
    assert not heard[isolated].any()
    # a listener never overshoots: it ends between its old opinion and its messages' range
    speakers_only = np.where(speaking, opinion, np.nan)
    for j in np.flatnonzero(new != opinion):
        said = speakers_only[graph.neighbours(j)]
        low, high = min(opinion[j], np.nanmin(said)), max(opinion[j], np.nanmax(said))
        assert low - 1e-12 <= new[j] <= high + 1e-12


def path_model(length: int, speakers: str = "movers") -> SwarmModel:
    """Only word of mouth on a path graph; consumer 0 is a critic."""
    scenario = {
        "consumers": {"peer_trust": 1.0, "mavens": {"share": 0.0}, "alphas": {"share": 0.0}},
        "word_of_mouth": {"p_talk": 1.0, "learning_rate": 1.0, "speakers": speakers},
        "phases": dict.fromkeys(
            (
                "firms_decide",
                "advertising",
                "purchase",
                "experience",
                "exposure",
                "institutions",
                "boycott",
            ),
            False,
        ),
        "firms": [{"name": "F"}],
    }
    graph = from_edges(length, np.arange(length - 1), np.arange(1, length))
    model = SwarmModel.from_scenario(scenario, graph=graph)
    model.consumers.opinion[0, 0] = -1.0
    model.consumers.heard[0, 0] = True  # speaks in the first step
    return model


def test_news_cascades_one_hop_per_step_via_heard():
    model = path_model(6)
    people = model.consumers
    for step in range(1, 5):
        model.step()
        reached = np.flatnonzero(people.opinion[:, 0] < 0.0)
        assert reached.tolist() == list(range(step + 1))
        assert np.flatnonzero(people.heard[:, 0]).tolist() == [step]  # speaks next step
    assert model.firms[0].messages == 2  # node 3 tells 2 and 4; 2's talk came a step earlier


@pytest.mark.parametrize(("speakers", "talkers"), [("movers", 0), ("opinionated", 1)])
def test_opinionated_consumers_keep_talking_movers_fall_silent(speakers, talkers):
    model = path_model(3, speakers)
    people = model.consumers
    people.opinion[0, 0], people.heard[0, 0] = 0.0, False
    people.opinion[2, 0] = 0.9  # holds an opinion, but nothing moved it this step
    model.step()
    assert model.firms[0].messages == talkers
    assert (people.opinion[1, 0] > 0.0) == bool(talkers)
