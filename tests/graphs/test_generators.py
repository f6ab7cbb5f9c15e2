"""Tests for swarmsim.graphs.generators: processes, determinism, pinned output, errors."""

from __future__ import annotations

import hashlib

import networkx as nx
import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from swarmsim import graphs
from swarmsim.errors import GraphError
from swarmsim.graphs import csr, generators
from swarmsim.kernels import rng

# ---------------------------------------------------------------------- generators

SEEDS = range(40)

GENERATORS = {
    "barabasi_albert": (
        lambda seed: graphs.barabasi_albert(200, 3, seed=seed),
        lambda seed: nx.barabasi_albert_graph(200, 3, seed=seed),
    ),
    "erdos_renyi": (
        lambda seed: graphs.erdos_renyi(200, 4.0, seed=seed),
        lambda seed: nx.fast_gnp_random_graph(200, 4.0 / 199, seed=seed),
    ),
    "watts_strogatz": (
        lambda seed: graphs.watts_strogatz(100, 6, 0.2, seed=seed),
        lambda seed: nx.watts_strogatz_graph(100, 6, 0.2, seed=seed),
    ),
    "watts_strogatz_dense": (  # rewiring must avoid existing edges most of the time
        lambda seed: graphs.watts_strogatz(12, 8, 0.7, seed=seed),
        lambda seed: nx.watts_strogatz_graph(12, 8, 0.7, seed=seed),
    ),
    "stochastic_block": (
        lambda seed: graphs.stochastic_block([30, 40, 30], 0.2, 0.01, seed=seed),
        lambda seed: nx.stochastic_block_model(
            [30, 40, 30], [[0.2, 0.01, 0.01], [0.01, 0.2, 0.01], [0.01, 0.01, 0.2]], seed=seed
        ),
    ),
    "configuration": (
        lambda seed: graphs.configuration([1, 2, 3, 4, 5, 3, 12] * 10, seed=seed),
        lambda seed: nx.configuration_model([1, 2, 3, 4, 5, 3, 12] * 10, seed=seed),
    ),
}


def pooled_degrees(build, seeds=SEEDS) -> np.ndarray:
    """Degrees of all nodes of the graphs built from ``seeds`` (networkx or CSR)."""
    out = []
    for seed in seeds:
        g = build(seed)
        if isinstance(g, nx.Graph):
            g = graphs.from_networkx(g)  # drops the configuration model's loops/multi-edges
        out.append(g.degree())
    return np.concatenate(out)


def same_distribution(a: np.ndarray, b: np.ndarray, alpha: float = 1e-3) -> bool:
    """Chi-square two-sample test on degree histograms (bins with >= 5 expected counts).

    Degrees are binned so each bin holds >= 10 pooled observations; the tail is merged
    into the last bin. The tests use fixed seeds, so each outcome is deterministic; a
    negative control below shows the test has power.
    """
    edges = [0]
    pooled = np.sort(np.concatenate((a, b)))
    for value in np.unique(pooled):
        if np.count_nonzero((pooled >= edges[-1]) & (pooled <= value)) >= 10:
            edges.append(value + 1)
    edges[-1] = pooled[-1] + 1
    table = np.array([np.histogram(x, bins=edges)[0] for x in (a, b)])
    return stats.chi2_contingency(table).pvalue > alpha


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_degree_distribution_matches_networkx(name):
    ours, theirs = GENERATORS[name]
    mine, reference = pooled_degrees(ours), pooled_degrees(theirs)
    assert len(mine) == len(reference)
    assert same_distribution(mine, reference)
    assert abs(mine.mean() - reference.mean()) < 4 * reference.std() / np.sqrt(len(SEEDS))
    assert stats.ks_2samp(mine, reference, method="asymp").pvalue > 1e-3


def test_degree_test_has_power():
    """Negative control: the same test tells BA from ER and p=0.2 from p=0.5 rewiring."""
    ba = pooled_degrees(lambda s: graphs.barabasi_albert(200, 3, seed=s))
    er = pooled_degrees(lambda s: graphs.erdos_renyi(200, 5.97, seed=s))
    assert not same_distribution(ba, er)
    ws_02 = pooled_degrees(lambda s: graphs.watts_strogatz(100, 6, 0.2, seed=s))
    ws_05 = pooled_degrees(lambda s: nx.watts_strogatz_graph(100, 6, 0.5, seed=s))
    assert not same_distribution(ws_02, ws_05)


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_output_is_a_valid_simple_graph(name):
    ours, _ = GENERATORS[name]
    for seed in range(5):
        ours(seed).validate()  # symmetric, sorted, no self-loops, no multi-edges


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_is_deterministic_per_seed(name):
    ours, _ = GENERATORS[name]
    assert ours(11) == ours(11)
    assert ours(11) != ours(12)


def test_barabasi_albert_structure():
    g = graphs.barabasi_albert(500, 4, seed=3)
    assert g.n_edges == 4 * (500 - 4)
    rows = np.repeat(np.arange(g.n), g.degree())
    earlier = np.bincount(rows[g.indices < rows], minlength=g.n)
    assert earlier.tolist() == [0] + [1] * 4 + [4] * 495  # the star, then m per node
    assert graphs.barabasi_albert(2, 1, seed=0).n_edges == 1
    star = graphs.barabasi_albert(6, 5, seed=0)  # n = m + 1: just the initial star
    assert star.degree().tolist() == [5, 1, 1, 1, 1, 1]


def test_barabasi_albert_degree_tail():
    """Degree-proportional attachment: the oldest nodes gather the most edges."""
    degree = graphs.barabasi_albert(20_000, 3, seed=1).degree()
    assert degree[:10].mean() > 20 * degree[-10_000:].mean() / 3
    assert degree.max() > 100  # uniform attachment would give a maximum near 30


def test_watts_strogatz_without_rewiring_is_networkx_lattice():
    for n, k in ((10, 4), (11, 6), (7, 0), (3, 2)):
        g = graphs.watts_strogatz(n, k, 0.0, seed=5)
        assert g == graphs.from_networkx(nx.watts_strogatz_graph(n, k, 0.0))


def test_watts_strogatz_full_rewiring_keeps_edge_count():
    g = graphs.watts_strogatz(6, 4, 1.0, seed=2)  # u often knows everyone: kept edges
    g.validate()
    assert g.n_edges == 12
    assert graphs.watts_strogatz(1, 0, 0.5, seed=1).n == 1


def test_erdos_renyi_edge_counts():
    counts = [graphs.erdos_renyi(300, 3.0, seed=s).n_edges for s in range(200)]
    pairs, p = 300 * 299 / 2, 3.0 / 299
    mean, sd = pairs * p, np.sqrt(pairs * p * (1 - p))
    assert abs(np.mean(counts) - mean) < 4 * sd / np.sqrt(200)
    assert np.std(counts) == pytest.approx(sd, rel=0.2)
    assert graphs.erdos_renyi(1, 0.0, seed=1).n == 1
    assert graphs.erdos_renyi(0, 0.0, seed=1).n == 0
    assert graphs.erdos_renyi(5, 4.0, seed=1) == graphs.complete(5)  # p = 1
    assert graphs.erdos_renyi(50, 0.0, seed=1).n_edges == 0


def test_stochastic_block_edge_counts_inside_and_between():
    sizes, p_in, p_out = [50, 80, 70], 0.1, 0.005
    labels = graphs.block_labels(sizes)
    inside, between = [], []
    for seed in range(60):
        g = graphs.stochastic_block(sizes, p_in, p_out, seed=seed)
        rows = np.repeat(np.arange(g.n), g.degree())
        same = labels[rows] == labels[g.indices]
        inside.append(np.count_nonzero(same) // 2)
        between.append(np.count_nonzero(~same) // 2)
    pairs_in = sum(s * (s - 1) // 2 for s in sizes)
    pairs_out = (sum(sizes) ** 2 - sum(s * s for s in sizes)) // 2
    for counts, pairs, p in ((inside, pairs_in, p_in), (between, pairs_out, p_out)):
        sd = np.sqrt(pairs * p * (1 - p))
        assert abs(np.mean(counts) - pairs * p) < 4 * sd / np.sqrt(60)


def test_stochastic_block_labels():
    sizes = [30, 40, 30]
    labels = graphs.block_labels(sizes)
    assert labels.dtype == np.int64
    assert labels.tolist() == [0] * 30 + [1] * 40 + [2] * 30
    g = graphs.stochastic_block(sizes, 1.0, 0.0, seed=0)  # three disjoint cliques
    rows = np.repeat(np.arange(g.n), g.degree())
    assert np.all(labels[rows] == labels[g.indices])
    assert g.n_edges == sum(s * (s - 1) // 2 for s in sizes)
    assert graphs.block_labels([2, 0, 1]).tolist() == [0, 0, 2]
    assert graphs.stochastic_block([2, 0, 3], 1.0, 1.0, seed=0) == graphs.complete(5)


def test_configuration_degrees_bounded_by_request():
    degrees = np.array([1, 2, 3, 4, 5, 3] * 10)
    for seed in range(5):
        cm = graphs.configuration(degrees, seed=seed)
        assert np.all(cm.degree() <= degrees)
    regular = graphs.configuration([3] * 1000, seed=1)  # few loops and multi-edges
    assert np.count_nonzero(regular.degree() == 3) > 980
    assert graphs.configuration([0, 0], seed=1).n_edges == 0


def test_generators_do_not_depend_on_thread_count():
    threads = numba.get_num_threads()
    builds = (
        lambda: graphs.erdos_renyi(3000, 8.0, seed=4),
        lambda: graphs.stochastic_block([1000, 2000], 0.01, 0.001, seed=4),
        lambda: graphs.barabasi_albert(3000, 3, seed=4),
    )
    try:
        numba.set_num_threads(1)
        single = [build() for build in builds]
    finally:
        numba.set_num_threads(threads)
    assert [build() for build in builds] == single


@pytest.mark.parametrize("name", GENERATORS)
def test_int64_temporaries_give_the_same_graph(name, monkeypatch):
    """Above 2**31 - 1 nodes the generators keep int64 temporaries; same result."""
    ours, _ = GENERATORS[name]
    small = ours(3)
    for module in (csr, generators):  # the generators' temporaries and the CSR assembly
        monkeypatch.setattr(module, "id_dtype", lambda n: np.int64)
    wide = ours(3)
    assert wide.indices.dtype == np.int64
    assert wide == small


@pytest.mark.slow
def test_large_graphs_are_valid():
    n = 300_000
    ba = graphs.barabasi_albert(n, 5, seed=1)
    ba.validate()
    assert ba.n_edges == 5 * (n - 5)
    er = graphs.erdos_renyi(n, 10.0, seed=1)
    er.validate()
    pairs, p = n * (n - 1) / 2, 10.0 / (n - 1)
    assert abs(er.n_edges - pairs * p) < 5 * np.sqrt(pairs * p)
    ws = graphs.watts_strogatz(n, 10, 0.1, seed=1)
    ws.validate()
    assert ws.n_edges == 5 * n


@settings(deadline=None)
@given(
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**63 - 1),
    st.integers(0, 2**40),
    st.integers(0, 2**40),
    st.integers(0, 2**40),
)
def test_compiled_uniform_is_the_numpy_draw(seed, stream, t, a, b):
    assert generators._uniform(seed, stream, t, a, b) == rng.uniform(seed, stream, t, a, b)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 17])
def test_complete(n):
    g = graphs.complete(n)
    g.validate()
    assert g.n == n
    assert g.n_edges == n * (n - 1) // 2
    assert g == graphs.from_networkx(nx.complete_graph(n))


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: graphs.barabasi_albert(10, 10, seed=0), r"m must be in \[1, 9\].*got m=10"),
        (lambda: graphs.barabasi_albert(10, 0, seed=0), "got m=0"),
        (lambda: graphs.barabasi_albert(10, 2.0, seed=0), "m must be an integer, got m=2.0"),
        (lambda: graphs.barabasi_albert(10, 2, seed=-1), r"seed must be in \[0, 9223.*got seed=-1"),
        (
            lambda: graphs.erdos_renyi(10, 9.5, seed=0),
            r"mean_degree must be in \[0.0, 9.0\], got mean_degree=9.5",
        ),
        (lambda: graphs.erdos_renyi(10, -1, seed=0), "got mean_degree=-1.0"),
        (lambda: graphs.erdos_renyi(10, float("nan"), seed=0), "got mean_degree=nan"),
        (lambda: graphs.watts_strogatz(10, 3, 0.1, seed=0), "k must be even.*got k=3"),
        (lambda: graphs.watts_strogatz(10, 10, 0.1, seed=0), r"k must be in \[0, 9\].*got k=10"),
        (
            lambda: graphs.watts_strogatz(10, 4, 1.5, seed=0),
            r"p must be in \[0.0, 1.0\], got p=1.5",
        ),
        (lambda: graphs.stochastic_block([], 0.1, 0.1, seed=0), "at least one block"),
        (
            lambda: graphs.stochastic_block([3, -2], 0.1, 0.1, seed=0),
            r"sizes must be >= 0, got sizes\[1\]=-2",
        ),
        (lambda: graphs.stochastic_block([3, 2], 0.1, 2, seed=0), "got p_out=2.0"),
        (lambda: graphs.configuration([1, 2], seed=0), "sum of degrees must be even.*got sum=3"),
        (lambda: graphs.configuration([1.5, 0.5], seed=0), "degrees must hold integers"),
        (lambda: graphs.complete(-2), "n must be in .*got n=-2"),
    ],
)
def test_generators_reject_bad_arguments(build, match):
    with pytest.raises(GraphError, match=match):
        build()


def test_seed_is_keyword_only():
    with pytest.raises(TypeError):
        graphs.barabasi_albert(10, 2, 0)


# ------------------------------------------------------------------- pinned output


def digest(g: graphs.CSRGraph) -> str:
    """First 16 hex digits of the SHA-256 of indptr and indices, both as int64."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(g.indptr, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(g.indices, dtype=np.int64).tobytes())
    return h.hexdigest()[:16]


PINNED = {  # computed with graphs.py before it became a package; any change is a new graph
    "barabasi_albert": (lambda: graphs.barabasi_albert(500, 3, seed=7), "6f5bf00e8e8f43fe"),
    "erdos_renyi": (lambda: graphs.erdos_renyi(500, 6.0, seed=7), "f2de9d93fac29886"),
    "watts_strogatz": (lambda: graphs.watts_strogatz(300, 6, 0.2, seed=7), "d999053a2855802e"),
    "stochastic_block": (
        lambda: graphs.stochastic_block([100, 150, 50], 0.1, 0.01, seed=7),
        "b3f9c1cf7e5da9b9",
    ),
    "configuration": (
        lambda: graphs.configuration([1, 2, 3, 4, 5, 3, 12] * 20, seed=7),
        "dfbb92130ad9a511",
    ),
    "complete": (lambda: graphs.complete(10), "c12e42d830dbf4cb"),
}


@pytest.mark.parametrize("name", PINNED)
def test_generators_give_the_pinned_graphs(name):
    """The same seed gives the same graph bit for bit across releases (results depend on it)."""
    build, expected = PINNED[name]
    assert digest(build()) == expected


@pytest.mark.parametrize("mean_degree", [1e-300, 1e-310, 5e-324])
def test_a_vanishing_edge_probability_gives_no_edges_instead_of_overflowing(mean_degree):
    graph = graphs.erdos_renyi(20, mean_degree, seed=1)
    assert (graph.n, graph.n_edges) == (20, 0)
