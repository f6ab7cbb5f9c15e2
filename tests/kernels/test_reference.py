"""Tests for the phases' reference kernels: conventions every one keeps.

Each rule's behaviour is tested with its phase (tests/phases/); here: the noise helper,
the pair-key layout, and that every kernel writes only its firm's column, leaves its
read-only inputs alone, and gives each consumer a result that does not depend on the
rest of the population (so chunking or reordering work cannot change a run).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from twins import reference

from swarmsim import graphs
from swarmsim.kernels import rng
from swarmsim.phases.advertising.spec import AdvertisingParams
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.phases.experience.spec import ExperienceParams
from swarmsim.phases.exposure.spec import ExposureParams
from swarmsim.phases.institutions.spec import CallParams
from swarmsim.phases.purchase.spec import PurchaseParams
from swarmsim.phases.word_of_mouth.spec import AdvocacyParams, WordOfMouthParams
from swarmsim.scenario import MAX_FIRMS

SEED, STREAM, T = 4, rng.stable_hash("tests.reference"), 7
N, F = 400, 3


def test_all_lists_the_kernels():
    kernels = set(reference.__all__)
    assert kernels == {
        "advertise",
        "advocate",
        "boycott_update",
        "boycott_update_cached",
        "call",
        "campaign_pressure",
        "choose_purchases",
        "detect_misconduct",
        "experience",
        "independent_cascade",
        "negative_members",
        "petition",
        "triangular",
        "word_of_mouth",
    }
    assert all(callable(getattr(reference, name)) for name in kernels)


def test_firm_slots_leave_room_for_every_firm():
    assert rng.FIRM_SLOTS > MAX_FIRMS
    keys = {j * rng.FIRM_SLOTS + f for j in range(50) for f in range(MAX_FIRMS)}
    assert len(keys) == 50 * MAX_FIRMS  # pair keys never collide


def test_triangular_noise_has_unit_variance_and_bounded_support():
    x = reference.triangular(SEED, STREAM, T, np.arange(200_000), 3)
    assert abs(x.mean()) < 5 / np.sqrt(x.size)
    assert x.var() == pytest.approx(1.0, rel=0.02)
    assert np.abs(x).max() <= np.sqrt(6.0)
    tri = stats.triang(c=0.5, loc=-np.sqrt(6.0), scale=2 * np.sqrt(6.0))
    assert stats.kstest(x, tri.cdf).pvalue > 1e-4


def test_triangular_noise_is_the_sum_of_two_documented_uniforms():
    a = np.arange(10)
    u1 = rng.uniform(SEED, STREAM, T, a, 2 * 5)
    u2 = rng.uniform(SEED, STREAM, T, a, 2 * 5 + 1)
    expected = (u1 + u2 - 1.0) * np.sqrt(6.0)
    np.testing.assert_array_equal(reference.triangular(SEED, STREAM, T, a, 5), expected)


# ------------------------------------------------------------- shared harness


def random_state(n: int = N) -> dict:
    gen = np.random.default_rng(11)
    unit = lambda *shape: gen.uniform(0.0, 1.0, shape)  # noqa: E731
    return {
        "competence": unit(n),
        "peer_trust": unit(n),
        "weight": np.where(unit(n) < 0.1, 3.0, 1.0),
        "threshold": unit(n),
        "factor": np.where(unit(n) < 0.2, 2.0, 1.0),
        "opinion": gen.uniform(-1.0, 1.0, (n, F)),
        "expectation": unit(n, F),
        "loyalty": unit(n, F),
        "pressure": 0.5 * unit(n, F),
        "boycott": unit(n, F) < 0.3,
        "speaking": unit(n, F) < 0.3,
        "heard": np.zeros((n, F), dtype=bool),
        "aware": unit(n, F) < 0.3,
        "firm_trust": unit(n, F),
        "gave_up": unit(n, F) < 0.2,
        "detected": np.zeros((n, F), dtype=bool),
        "purchase": gen.integers(-1, F, n),
        "member": unit(n) < 0.2,
    }


GRAPH = graphs.erdos_renyi(N, 6.0, seed=3)


def run_advertise(s, f, graph):
    reference.advertise(
        s["competence"],
        s["peer_trust"],
        s["firm_trust"],
        s["opinion"],
        s["expectation"],
        SEED,
        STREAM,
        T,
        f,
        AdvertisingParams(0.5, 0.3, 0.6, 0.7, 0.5, 0.1, 0.05),
    )


def run_experience(s, f, graph):
    params = ExperienceParams(
        0.02, 0.4, 0.1, 0.5, 0.3, 0.5, 0.5, 0.05, 0.1, 0.05, 0.3, 0.3, 0.1, 0.5
    )
    reference.experience(
        s["purchase"],
        s["competence"],
        s["opinion"],
        s["expectation"],
        s["loyalty"],
        s["firm_trust"],
        s["speaking"],
        SEED,
        STREAM,
        T,
        f,
        params,
    )


def run_detect(s, f, graph):
    reference.detect_misconduct(
        s["competence"],
        s["factor"],
        s["opinion"],
        s["speaking"],
        s["detected"],
        SEED,
        STREAM,
        T,
        f,
        ExposureParams(0.8, 0.7),
    )


def run_campaign(s, f, graph):
    members = np.flatnonzero(s["member"])
    reference.petition(members, s["opinion"], s["boycott"], SEED, STREAM, T, f, 64 + f, 0.5)
    params = CallParams(64 + f, 0.2, 0.3, -1.0)
    reference.call(s["member"], s["opinion"], SEED, STREAM + 1, T, f, params)


def run_word_of_mouth(s, f, graph):
    reference.word_of_mouth(
        graph.indptr,
        graph.indices,
        s["speaking"],
        s["opinion"],
        s["factor"],
        s["weight"],
        s["peer_trust"],
        SEED,
        STREAM,
        T,
        f,
        WordOfMouthParams(0.5, 2.0, 0.5, 0.05, 0.5, 0.5),
        s["heard"],
        s["aware"],
        s["firm_trust"],
    )


def run_boycott(s, f, graph):
    out = np.empty(graph.n, dtype=bool)
    reference.boycott_update(
        graph.indptr,
        graph.indices,
        s["boycott"],
        s["opinion"],
        s["weight"],
        graphs.neighbour_sums(graph, s["weight"]),
        s["threshold"],
        s["pressure"],
        s["gave_up"],
        SEED,
        STREAM,
        T,
        f,
        BoycottParams(-0.2, 0.2, 0.0),  # no fatigue draws: they are keyed on the labels
        out,
    )
    s["boycott"][:, f] = out


def run_advocate(s, f, graph):
    reference.advocate(
        s["opinion"], s["loyalty"], SEED, STREAM, T, f, AdvocacyParams(0.3, 0.5), s["speaking"]
    )


PER_FIRM = [
    run_advertise, run_advocate, run_experience, run_detect, run_campaign, run_word_of_mouth,
    run_boycott,
]  # fmt: skip
PER_CONSUMER = [run_advertise, run_advocate, run_experience, run_detect, run_campaign]


@pytest.mark.parametrize("kernel", PER_FIRM, ids=lambda k: k.__name__)
def test_kernels_write_only_their_firms_column(kernel):
    before = random_state()
    after = {k: v.copy() for k, v in before.items()}
    kernel(after, 1, GRAPH)
    changed = []
    for name, value in after.items():
        if value.ndim == 2:
            assert np.array_equal(value[:, [0, 2]], before[name][:, [0, 2]]), name
        if not np.array_equal(value, before[name]):
            changed.append(name)
    assert changed  # the kernel did something


@pytest.mark.parametrize("kernel", PER_CONSUMER, ids=lambda k: k.__name__)
def test_per_consumer_kernels_do_not_depend_on_the_rest_of_the_population(kernel):
    whole = random_state()
    head = {k: v[:150].copy() for k, v in random_state().items()}
    kernel(whole, 2, GRAPH)
    kernel(head, 2, GRAPH)
    for name, value in head.items():
        np.testing.assert_array_equal(value, whole[name][:150], err_msg=name)


def test_choose_purchases_reads_only():
    s = random_state()
    frozen = {k: v.copy() for k, v in s.items()}
    out = np.empty(N, dtype=np.int64)
    reference.choose_purchases(
        s["opinion"],
        s["expectation"],
        s["loyalty"],
        s["boycott"],
        np.zeros((N, F), dtype=np.bool_),
        np.ones(F),
        SEED,
        STREAM,
        T,
        PurchaseParams(1, 1, 1, 1, 0, 1, 0.3),
        out,
    )
    assert all(np.array_equal(s[k], frozen[k]) for k in s)
    assert out.min() >= -1
    assert out.max() < F


def test_boycott_round_is_synchronous_so_consumer_labels_do_not_matter():
    # relabel consumers by a permutation: each consumer's result must move with it
    # (an in-place sweep would let early consumers' new state leak into later ones)
    perm = np.random.default_rng(5).permutation(N)
    inverse = np.argsort(perm)
    src = np.repeat(np.arange(N), GRAPH.degree())
    relabelled = graphs.from_edges(N, inverse[src], inverse[GRAPH.indices])
    state = random_state()
    state["opinion"][:] = -1.0
    state["threshold"] *= 0.5
    moved = {k: v[perm].copy() for k, v in state.items()}
    run_boycott(state, 0, GRAPH)
    run_boycott(moved, 0, relabelled)
    np.testing.assert_array_equal(moved["boycott"], state["boycott"][perm])
    assert state["boycott"][:, 0].sum() > random_state()["boycott"][:, 0].sum()  # some joined


def test_campaign_pressure_multiplies_the_reliefs_of_each_consumers_institutions():
    membership = np.array([[True, True], [True, False], [False, True], [False, False]])
    pressure = np.full((4, 2), 0.5)
    reference.campaign_pressure(membership, np.array([0.4, 0.5]), 1, pressure)
    np.testing.assert_array_equal(pressure[:, 1], [1 - 0.4 * 0.5, 1 - 0.4, 1 - 0.5, 0.0])
    np.testing.assert_array_equal(pressure[:, 0], 0.5)  # other firms' columns untouched
    reference.campaign_pressure(membership, np.array([1.0, 1.0]), 1, pressure)  # none runs
    np.testing.assert_array_equal(pressure[:, 1], 0.0)


@pytest.mark.parametrize("cached", [False, True])
def test_boycott_round_returns_the_consumers_who_joined(cached):
    s = random_state()
    s["threshold"] *= 0.3  # some shares reach their thresholds
    args = [GRAPH.indptr, GRAPH.indices, s["boycott"], s["opinion"], s["weight"],
            graphs.neighbour_sums(GRAPH, s["weight"]), s["threshold"], s["pressure"],
            np.zeros((N, F), dtype=bool), SEED, STREAM, T, 1,
            BoycottParams(-0.2, 0.2, 0.0)]  # fmt: skip
    out = np.empty(N, dtype=bool)
    if cached:
        args += [np.zeros((N, F)), np.zeros((N, F), dtype=bool)]
        joined = reference.boycott_update_cached(*args, out)
    else:
        joined = reference.boycott_update(*args, out)
    assert joined == np.count_nonzero(out & ~s["boycott"][:, 1])
    assert 0 < joined < np.count_nonzero(out)  # joiners, and boycotters who stayed


def test_negative_members_counts_members_below_zero_only():
    opinion = np.array([[-0.5, 0.1], [0.0, -1.0], [-0.0, -0.2], [-1.0, 0.3]])
    members = np.array([0, 1, 2], dtype=np.int64)  # consumer 3, negative, is not a member
    assert reference.negative_members(members, opinion, 0) == 1  # 0.0 and -0.0 are not < 0
    assert reference.negative_members(members, opinion, 1) == 2
    assert reference.negative_members(members[:0], opinion, 1) == 0
