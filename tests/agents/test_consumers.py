"""Tests for agents/consumers.py: the consumer population as arrays."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from swarmsim.agents.consumers import (
    ALPHA,
    MAVEN,
    ORDINARY,
    _filled,
    build_population,
    competence_mean,
    draw_values,
    pick,
)
from swarmsim.kernels import rng
from swarmsim.model import CONSUMER_STATE
from swarmsim.scenario import ConsumerSpec

N = 100_000
DEGREE = np.arange(N, dtype=np.int64) % 97 + (np.arange(N) * 7919) % 13  # many ties


def population(
    n_firms: int = 2, n_institutions: int = 1, seed: int = 3, degree=DEGREE[:20_000], **spec
):
    return build_population(
        ConsumerSpec(**spec), degree, n_firms, n_institutions, seed=seed, state=CONSUMER_STATE
    )


@pytest.mark.parametrize("parity", [0.0, 0.3, 1.0])
def test_competence_is_beta_with_mean_rising_with_parity(parity):
    people = population(degree=DEGREE, information_parity=parity, competence_concentration=8.0)
    mean = 0.1 + 0.8 * parity
    assert competence_mean(parity) == pytest.approx(mean)
    assert people.competence.mean() == pytest.approx(mean, abs=5 * 0.2 / np.sqrt(N))
    assert people.competence.var() == pytest.approx(mean * (1 - mean) / 9.0, rel=0.05)
    assert people.competence.min() >= 0.0
    assert people.competence.max() <= 1.0
    ks = stats.kstest(people.competence, stats.beta(mean * 8, (1 - mean) * 8).cdf)
    assert ks.pvalue > 1e-4


def test_role_counts_are_rounded_shares_and_disjoint():
    people = population(mavens={"share": 0.05}, alphas={"share": 0.0123, "by": "degree"})
    counts = np.bincount(people.role, minlength=3)
    n = people.n
    assert counts[MAVEN] == round(0.05 * n)
    assert counts[ALPHA] == round(0.0123 * n)
    assert counts[ORDINARY] == n - counts[MAVEN] - counts[ALPHA]
    assert set(np.unique(people.role)) == {ORDINARY, MAVEN, ALPHA}


def test_alphas_by_degree_are_the_best_connected():
    people = population(
        mavens={"share": 0.1, "by": "degree"}, alphas={"share": 0.02, "by": "degree"}
    )
    alphas, mavens = people.role == ALPHA, people.role == MAVEN
    ordinary, degree = people.role == ORDINARY, DEGREE[: people.n]
    assert degree[alphas].min() >= degree[~alphas].max()
    assert degree[mavens].min() >= degree[ordinary].max()  # mavens: best of the rest
    np.testing.assert_array_equal(people.weight, np.where(alphas, 3.0, 1.0))


def test_random_roles_ignore_degree():
    people = population(mavens={"share": 0.2, "by": "random"}, alphas={"share": 0.0})
    mavens, degree = people.role == MAVEN, DEGREE[: people.n]
    assert abs(degree[mavens].mean() - degree.mean()) < 5 * degree.std() / np.sqrt(mavens.sum())


def test_roles_can_take_everyone():
    people = population(degree=DEGREE[:100], mavens={"share": 0.7}, alphas={"share": 0.3})
    assert np.bincount(people.role, minlength=3).tolist() == [0, 70, 30]


def test_pick_clips_to_the_eligible_and_breaks_ties_at_random():
    degree = np.array([5, 5, 5, 1, 9])
    u = np.array([0.9, 0.1, 0.5, 0.0, 0.3])
    assert pick(2, "degree", degree, u).tolist() == [1, 4]  # 9 first, then the tie by u
    assert pick(2, "random", degree, u).tolist() == [1, 3]  # smallest u
    eligible = np.array([True, False, True, False, False])
    assert pick(10, "degree", degree, u, eligible).tolist() == [0, 2]


def picked_by_sorting(count, by, degree, u, eligible):
    """The definition: a stable sort by (−degree if by degree, u); the first ``count``."""
    candidates = np.flatnonzero(eligible)
    primary = -degree[candidates] if by == "degree" else np.zeros(candidates.shape[0])
    order = np.lexsort((u[candidates], primary))
    return np.sort(candidates[order[:count]])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), n=st.integers(0, 60), by=st.sampled_from(["degree", "random"]))
def test_pick_is_the_stable_sort_choice_in_linear_time(data, n, by):
    # few distinct degrees and uniforms: many ties, at the cut too
    degree = np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
    u = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5]), min_size=n, max_size=n)))
    eligible = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    count = data.draw(st.integers(0, n + 2))
    expected = picked_by_sorting(count, by, degree, u, eligible)
    assert pick(count, by, degree, u, eligible).tolist() == expected.tolist()


def moments_of(spec) -> tuple[float, float]:
    values = population(degree=DEGREE, threshold=spec, activists=0.0).threshold
    assert values.min() >= 0.0
    assert values.max() <= 1.0
    return values.mean(), values.var()


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "beta", "mean": 0.3, "concentration": 5.0},
        {"kind": "normal", "mean": 0.5, "sd": 0.2},
    ],
)
def test_quantiles_do_not_depend_on_the_threads(spec):
    u = rng.uniform(1, 2, 0, np.arange(120_000))  # above the size that uses threads
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = draw_values(ConsumerSpec(threshold=spec).threshold, u)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = draw_values(ConsumerSpec(threshold=spec).threshold, u)
    finally:
        numba.set_num_threads(threads)
    assert np.array_equal(one, many)


@pytest.mark.parametrize(
    ("shape", "value", "dtype"),
    [((100_003, 5), 0.25, np.float64), ((100_001, 3), True, np.bool_), ((7, 2), -1, np.int64)],
)
def test_threaded_fill_is_np_full_in_column_major_order(shape, value, dtype):
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)  # chunks on every thread
        array = _filled(shape, value, dtype)
    finally:
        numba.set_num_threads(threads)
    assert array.flags.f_contiguous
    assert array.dtype == dtype
    assert np.array_equal(array, np.full(shape, value, dtype=dtype))


def test_threshold_fixed_value_and_number_shorthand():
    assert np.all(population(threshold=0.3, activists=0.0).threshold == 0.3)
    fixed = {"kind": "fixed", "value": 0.7}
    assert np.all(population(threshold=fixed, activists=0.0).threshold == 0.7)


def test_threshold_uniform_moments():
    mean, var = moments_of({"kind": "uniform", "low": 0.2, "high": 0.6})
    assert mean == pytest.approx(0.4, abs=0.002)
    assert var == pytest.approx(0.4**2 / 12, rel=0.03)


def test_threshold_normal_is_clipped_into_the_unit_interval():
    mean, var = moments_of({"kind": "normal", "mean": 0.5, "sd": 0.1})
    assert mean == pytest.approx(0.5, abs=0.002)
    assert var == pytest.approx(0.01, rel=0.03)
    values = population(
        degree=DEGREE, threshold={"kind": "normal", "mean": 0.1, "sd": 0.2}, activists=0.0
    ).threshold
    lo, hi = (0 - 0.1) / 0.2, (1 - 0.1) / 0.2  # E[clip(X, 0, 1)] for X ~ N(0.1, 0.2²)
    inside = 0.1 * (stats.norm.cdf(hi) - stats.norm.cdf(lo)) + 0.2 * (
        stats.norm.pdf(lo) - stats.norm.pdf(hi)
    )
    assert values.mean() == pytest.approx(inside + stats.norm.sf(hi), abs=0.002)
    assert (values == 0.0).mean() == pytest.approx(stats.norm(0.1, 0.2).cdf(0), abs=0.005)


def test_threshold_beta_moments():
    mean, var = moments_of({"kind": "beta", "mean": 0.3, "concentration": 8})
    assert mean == pytest.approx(0.3, abs=0.002)
    assert var == pytest.approx(0.3 * 0.7 / 9, rel=0.03)


def test_peer_trust_uses_the_same_distributions():
    people = population(peer_trust={"kind": "uniform", "low": 0.5, "high": 1.0})
    assert people.peer_trust.min() >= 0.5
    assert people.peer_trust.mean() == pytest.approx(0.75, abs=0.003)
    assert not np.array_equal(people.peer_trust, people.threshold)


def test_draw_values_rejects_an_unknown_distribution():
    with pytest.raises(TypeError, match="unknown distribution"):
        draw_values(object(), np.zeros(3))


def test_changing_the_maven_share_leaves_every_other_trait_alone():
    few = population(mavens={"share": 0.01})
    many = population(mavens={"share": 0.3})
    np.testing.assert_array_equal(few.competence, many.competence)
    np.testing.assert_array_equal(few.threshold, many.threshold)
    np.testing.assert_array_equal(few.peer_trust, many.peer_trust)
    np.testing.assert_array_equal(few.role == ALPHA, many.role == ALPHA)
    assert np.all(many.role[few.role == MAVEN] == MAVEN)  # a larger share adds mavens
    other_seed = population(seed=4)
    assert not np.array_equal(few.competence, other_seed.competence)


def test_changing_parity_keeps_each_consumers_rank():
    low, high = population(information_parity=0.2), population(information_parity=0.8)
    assert np.all(high.competence > low.competence)  # same uniform, shifted quantile
    np.testing.assert_array_equal(low.threshold, high.threshold)


def test_initial_state_shapes_and_values():
    people = population(
        n_firms=3,
        n_institutions=2,
        degree=DEGREE[:50],
        initial_opinion=-0.2,
        initial_expectation=0.6,
    )
    assert people.n == 50
    for name in (
        "opinion",
        "expectation",
        "loyalty",
        "boycott",
        "speaking",
        "heard",
        "detected",
        "pressure",
    ):
        assert getattr(people, name).shape == (50, 3), name
    assert people.membership.shape == (50, 2)
    for name in ("opinion", "boycott", "pressure", "membership"):
        # kernels loop over one column: a strided column is not vectorised
        assert getattr(people, name)[:, 1].flags.c_contiguous, name
    assert np.all(people.opinion == -0.2)
    assert np.all(people.expectation == 0.6)
    assert not people.boycott.any()
    assert np.all(people.purchase == -1)


def test_begin_step_turns_listeners_into_speakers_and_clears_flags():
    people = population(degree=DEGREE[:5])
    people.heard[1, 0] = people.speaking[2, 1] = people.detected[3, 0] = True
    people.purchase[:] = 1
    people.begin_step()
    assert np.argwhere(people.speaking).tolist() == [[1, 0]]
    assert not people.heard.any()
    assert not people.detected.any()
    assert np.all(people.purchase == -1)


def test_every_declared_array_is_allocated_once_with_its_shape_dtype_and_fill():
    people = population(n_firms=3, n_institutions=2, degree=DEGREE[:50], initial_opinion=-0.2)
    names = [array.name for array in people.state]
    assert len(names) == len(set(names))
    assert {"opinion", "expectation", "boycott", "membership", "purchase", "heard"} <= set(names)
    shapes = {"consumer": (50,), "firm": (50, 3), "institution": (50, 2)}
    for array in people.state:
        values = getattr(people, array.name)
        assert values.shape == shapes[array.per], array.name
        assert values.dtype == array.dtype, array.name
        spec = ConsumerSpec(initial_opinion=-0.2)
        fill = array.fill(spec) if callable(array.fill) else array.fill
        assert np.all(values == fill), array.name
        copied = array.start_of_step not in (None, "clear")
        assert not copied or array.start_of_step in names, array.name
