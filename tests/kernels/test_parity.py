"""Parity of every phase's compiled.py with its reference.py: the same bits, always.

Every name in ``compiled.__all__`` (except ``warm_up``) is run through both backends on
hypothesis-generated CSR graphs (isolated consumers, graphs without edges, hubs) and
random states, in row-major and column-major layouts, and every output is compared
bit for bit: floats by their 64-bit patterns, so even -0.0 against 0.0 would fail.
An edit of rng.py or fmath.py drops compiled.py's Numba cache at import
(kernels/cache_stamp.py), so the compiled kernels are rebuilt, not loaded stale.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twins import compiled, reference

from swarmsim import graphs
from swarmsim.kernels import rng
from swarmsim.phases.advertising.spec import AdvertisingParams
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.phases.experience.spec import ExperienceParams
from swarmsim.phases.exposure.spec import ExposureParams
from swarmsim.phases.institutions.spec import CallParams
from swarmsim.phases.purchase.spec import PurchaseParams
from swarmsim.phases.word_of_mouth.spec import AdvocacyParams, WordOfMouthParams

STREAM = rng.stable_hash("tests.parity")
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TESTED = set()  # kernel names with a parity test below


def parity_of(name: str):
    """Register the decorated test as the parity test of kernel ``name``."""
    TESTED.add(name)
    return lambda fn: fn


def assert_same(a, b) -> None:
    """Bit-identical: same shape, dtype and bytes (floats compared as uint64 patterns)."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    assert a.dtype == b.dtype
    if a.dtype == np.float64:
        a, b = a.view(np.uint64), b.view(np.uint64)
    mismatch = np.flatnonzero(np.ravel(a != b))
    assert mismatch.size == 0, f"{mismatch.size} entries differ, first at flat index {mismatch[:5]}"


@st.composite
def csr_graphs(draw, max_n: int = 40) -> graphs.CSRGraph:
    """Small simple undirected graphs: no nodes, no edges, isolated nodes, or a hub."""
    n = draw(st.integers(0, max_n))
    kind = draw(st.sampled_from(["empty", "random", "hub"])) if n else "empty"
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "empty":
        src = dst = np.empty(0, dtype=np.int64)
    else:
        m = int(gen.integers(0, 3 * n + 1))
        src, dst = gen.integers(0, n, m), gen.integers(0, n, m)
        if kind == "hub":
            src = np.concatenate([src, np.zeros(n, dtype=np.int64)])
            dst = np.concatenate([dst, np.arange(n)])
    graph = graphs.from_edges(n, src, dst)
    if draw(st.booleans()):  # int64 ids, as a graph above 2**31 nodes stores them
        object.__setattr__(graph, "indices", graph.indices.astype(np.int64))
    return graph


@st.composite
def states(draw, max_n: int = 40, max_firms: int = 4) -> dict:
    """A graph and a population state; per-firm arrays row- or column-major."""
    graph = draw(csr_graphs(max_n))
    n, n_firms = graph.n, draw(st.integers(1, max_firms))
    order = draw(st.sampled_from("CF"))
    gen = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def per_firm(values):
        return np.asarray(values, order=order)

    # Integer weights take the compiled boycott cache's exact add/subtract path, others
    # its re-summing path.
    alpha = draw(st.sampled_from([3.0, 100.0, 2.5, 1.0 + 2**-30]))
    weight = np.where(gen.random(n) < 0.2, alpha, 1.0)
    return {
        "graph": graph,
        "n_firms": n_firms,
        "f": draw(st.integers(0, n_firms - 1)),
        "seed": draw(st.integers(0, 2**63 - 1)),
        "t": draw(st.integers(0, 10_000)),
        "competence": gen.random(n),
        "peer_trust": gen.random(n),
        "weight": weight,
        "neighbour_weight": graphs.neighbour_sums(graph, weight),
        "threshold": gen.random(n),
        "factor": np.where(gen.random(n) < 0.2, 2.0, 1.0),
        "opinion": per_firm(opinions(gen, (n, n_firms))),
        "expectation": per_firm(gen.random((n, n_firms))),
        "loyalty": per_firm(gen.random((n, n_firms))),
        "boycott": per_firm(gen.random((n, n_firms)) < gen.random()),
        "speaking": per_firm(gen.random((n, n_firms)) < gen.random()),
        "flags": per_firm(gen.random((n, n_firms)) < 0.3),
        "aware": per_firm(gen.random((n, n_firms)) < gen.random()),
        "firm_trust": per_firm(np.maximum(gen.random((n, n_firms)), gen.random(n_firms) < 0.5)),
        "gave_up": per_firm(gen.random((n, n_firms)) < 0.2),
        "pressure": per_firm(gen.random((n, n_firms)) * (gen.random() < 0.5)),
        "purchase": gen.integers(-1, n_firms, n),
        "price": gen.uniform(0.0, 3.0, n_firms),
    }  # fmt: skip


def opinions(gen, shape):
    """Opinions in [-1, 1], a fifth of them exactly -1, -0.4, 0, 0.1 or 1 (where ties
    with the rules' cut-offs would expose a wrong comparison)."""
    values = gen.uniform(-1.0, 1.0, shape)
    special = gen.random(shape) < 0.2
    values[special] = gen.choice([-1.0, -0.4, 0.0, 0.1, 1.0], np.count_nonzero(special))
    return values


def run_both(kernel: str, make_args, compare) -> None:
    """Call both backends on fresh copies of the inputs; compare results and outputs."""
    args_ref, args_jit = make_args(), make_args()
    out_ref = getattr(reference, kernel)(*args_ref)
    out_jit = getattr(compiled, kernel)(*args_jit)
    assert_same(out_ref, out_jit)  # counts returned (None for kernels that return nothing)
    for k in compare:
        assert_same(args_ref[k], args_jit[k])


def copy(a):
    return a.copy(order="K")


def unit(draw):
    return draw(st.floats(0.0, 1.0))


@parity_of("advertise")
@EXAMPLES
@given(s=states(), data=st.data())
def test_advertise(s, data):
    params = AdvertisingParams(*(unit(data.draw) for _ in range(4)), data.draw(st.floats(0, 5)),
                               unit(data.draw), unit(data.draw))  # fmt: skip
    run_both(
        "advertise",
        lambda: [s["competence"], s["peer_trust"], copy(s["firm_trust"]), copy(s["opinion"]),
                 copy(s["expectation"]), s["seed"], STREAM, s["t"], s["f"], params],
        compare=[2, 3, 4],
    )  # fmt: skip


@parity_of("choose_purchases")
@EXAMPLES
@given(s=states(max_firms=7), data=st.data())
def test_choose_purchases(s, data):
    weights = [data.draw(st.floats(0.0, 50.0)) for _ in range(4)]
    outside = data.draw(st.floats(-50.0, 50.0))
    pull = data.draw(st.sampled_from([0.0, 0.5, 50.0]))
    params = PurchaseParams(*weights, outside, pull, data.draw(st.floats(0.01, 1.0)))
    n = s["graph"].n
    run_both(
        "choose_purchases",
        lambda: [s["opinion"], s["expectation"], s["loyalty"], s["boycott"],
                 copy(s["flags"]), s["price"], s["seed"], STREAM, s["t"], params,
                 np.full(n, -7, dtype=np.int64)],
        compare=[4, 10],
    )  # fmt: skip


def test_choose_purchases_spans_blocks_and_extreme_utilities():
    # More consumers than one compiled block, all firms boycotted for some, and
    # utilities so far apart that weights underflow to exactly 0.
    gen = np.random.default_rng(5)
    n, n_firms = 1000, 3
    opinion = np.asfortranarray(gen.uniform(-1, 1, (n, n_firms)))
    boycott = np.asfortranarray(gen.random((n, n_firms)) < 0.4)
    boycott[:100] = True
    for params in (PurchaseParams(2, 2, 1, 1, 1, 1, 0.3), PurchaseParams(50, 50, 50, 50, -50, 0, 1)):  # noqa: E501
        outs = []
        for backend in (reference, compiled):
            out = np.empty(n, dtype=np.int64)
            prices = np.array([1.0, 900.0, 0.5])
            buycott = np.zeros((n, n_firms), dtype=np.bool_, order="F")
            backend.choose_purchases(
                opinion, opinion * 0.5, opinion**2, boycott, buycott, prices, 3, STREAM, 2,
                params, out,
            )  # fmt: skip
            outs.append((out, buycott))
        (out_ref, buycott_ref), (out_jit, buycott_jit) = outs
        assert_same(out_ref, out_jit)
        assert_same(buycott_ref, buycott_jit)
        assert np.all(out_ref[:100] == -1)


@parity_of("experience")
@EXAMPLES
@given(s=states(), data=st.data())
def test_experience(s, data):
    params = ExperienceParams(*(unit(data.draw) for _ in range(14)))
    run_both(
        "experience",
        lambda: [s["purchase"], copy(s["competence"]), copy(s["opinion"]),
                 copy(s["expectation"]), copy(s["loyalty"]), copy(s["firm_trust"]),
                 copy(s["flags"]), s["seed"], STREAM, s["t"], s["f"], params],
        compare=[1, 2, 3, 4, 5, 6],
    )  # fmt: skip


@parity_of("detect_misconduct")
@EXAMPLES
@given(s=states(), data=st.data())
def test_detect_misconduct(s, data):
    params = ExposureParams(unit(data.draw), data.draw(st.floats(0.0, 2.0)))
    run_both(
        "detect_misconduct",
        lambda: [s["competence"], s["factor"], copy(s["opinion"]), copy(s["speaking"]),
                 copy(s["flags"]), s["seed"], STREAM, s["t"], s["f"], params],
        compare=[2, 3, 4],
    )  # fmt: skip


@parity_of("word_of_mouth")
@EXAMPLES
@given(s=states(), data=st.data())
def test_word_of_mouth(s, data):
    params = WordOfMouthParams(
        unit(data.draw), data.draw(st.floats(1.0, 20.0)), data.draw(st.floats(0.0, 10.0)),
        data.draw(st.sampled_from([0.0, 0.01, 0.05, 0.5])), data.draw(st.floats(0.0, 2.0)),
        unit(data.draw),
    )  # fmt: skip
    g = s["graph"]
    run_both(
        "word_of_mouth",
        lambda: [g.indptr, g.indices, s["speaking"], copy(s["opinion"]), s["factor"],
                 s["weight"], s["peer_trust"], s["seed"], STREAM, s["t"], s["f"], params,
                 copy(s["flags"]), copy(s["aware"]), copy(s["firm_trust"])],
        compare=[3, 12, 13, 14],
    )  # fmt: skip


@parity_of("advocate")
@EXAMPLES
@given(s=states(), data=st.data())
def test_advocate(s, data):
    level = data.draw(st.sampled_from([0.1, 0.4, 1.0]))  # 0.1, 1.0: ties with the opinions
    params = AdvocacyParams(level, unit(data.draw))
    run_both(
        "advocate",
        lambda: [s["opinion"], s["loyalty"] * (s["boycott"] | s["flags"]), s["seed"], STREAM,
                 s["t"], s["f"], params, copy(s["speaking"])],
        compare=[7],
    )  # fmt: skip


@parity_of("independent_cascade")
@EXAMPLES
@given(s=states(), data=st.data())
def test_independent_cascade(s, data):
    g, n = s["graph"], s["graph"].n
    seeds = np.asarray(data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=5 * (n > 0))))
    chance = data.draw(st.sampled_from([0.0, 0.3, 0.7, 1.0]))
    run_both(
        "independent_cascade",
        lambda: [g.indptr, g.indices, seeds.astype(np.int64), chance, s["seed"], STREAM, s["f"],
                 s["t"], s["speaking"][:, s["f"]].copy()],
        compare=[8],
    )  # fmt: skip


@parity_of("petition")
@EXAMPLES
@given(s=states(), data=st.data())
def test_petition(s, data):
    n = s["graph"].n
    is_member = np.random.default_rng(s["t"]).random(n) < data.draw(st.floats(0.0, 1.0))
    key, rate = data.draw(st.integers(0, 20 * 64)), unit(data.draw)
    run_both(
        "petition",
        lambda: [np.flatnonzero(is_member), copy(s["opinion"]), copy(s["boycott"]), s["seed"],
                 STREAM, s["t"], s["f"], key, rate],
        compare=[2],
    )  # fmt: skip


@parity_of("call")
@EXAMPLES
@given(s=states(), data=st.data())
def test_call(s, data):
    n = s["graph"].n
    is_member = np.random.default_rng(s["t"]).random(n) < data.draw(st.floats(0.0, 1.0))
    params = CallParams(
        data.draw(st.integers(0, 20 * 64)), unit(data.draw), unit(data.draw),
        data.draw(st.sampled_from([-1.0, 1.0])),
    )  # fmt: skip
    run_both(
        "call",
        lambda: [is_member, copy(s["opinion"]), s["seed"], STREAM, s["t"], s["f"], params],
        compare=[1],
    )  # fmt: skip


@parity_of("campaign_pressure")
@EXAMPLES
@given(s=states(), data=st.data())
def test_campaign_pressure(s, data):
    n, institutions = s["graph"].n, data.draw(st.integers(1, 5))
    gen = np.random.default_rng(s["t"])
    membership = np.asarray(
        gen.random((n, institutions)) < 0.4, order=data.draw(st.sampled_from("CF"))
    )
    relief = np.array(
        [data.draw(st.sampled_from([1.0, 0.0, 0.25, 0.7, 1 - 1e-9])) for _ in range(institutions)]
    )
    run_both(
        "campaign_pressure",
        lambda: [membership, relief, s["f"], copy(s["pressure"])],
        compare=[3],
    )


@parity_of("negative_members")
@EXAMPLES
@given(s=states(), data=st.data())
def test_negative_members(s, data):
    n = s["graph"].n
    members = np.flatnonzero(np.random.default_rng(s["t"]).random(n) < unit(data.draw))
    run_both("negative_members", lambda: [members, s["opinion"], s["f"]], compare=[])


def boycott_params(draw) -> BoycottParams:
    join = draw(st.sampled_from([-1.0, -0.4, 0.0, 1.0]))
    leave = draw(st.sampled_from([join, 0.1, 1.0])) if join < 1 else 1.0
    return BoycottParams(join, leave, draw(st.sampled_from([0.0, 0.3, 1.0])))


@parity_of("boycott_update")
@EXAMPLES
@given(s=states(), data=st.data())
def test_boycott_update(s, data):
    g, n, params = s["graph"], s["graph"].n, boycott_params(data.draw)
    run_both(
        "boycott_update",
        lambda: [g.indptr, g.indices, s["boycott"], s["opinion"], s["weight"],
                 s["neighbour_weight"], s["threshold"], s["pressure"], copy(s["gave_up"]),
                 s["seed"], STREAM, s["t"], s["f"], params, np.zeros(n, dtype=np.bool_)],
        compare=[8, 14],
    )  # fmt: skip


@parity_of("boycott_update_cached")
@EXAMPLES
@given(s=states(), data=st.data())
def test_boycott_update_cached_over_rounds(s, data):
    # Several rounds with the caches carried over, the state changed in between by the
    # rule itself and by outside writes (petitions, seeding): every round must give the
    # reference's full recomputation, and the compiled cache must hold the true sums.
    g, n, f = s["graph"], s["graph"].n, s["f"]
    params = boycott_params(data.draw)
    shape = s["boycott"].shape
    boycott = {b: copy(s["boycott"]) for b in ("ref", "jit")}
    gave_up = {b: copy(s["gave_up"]) for b in ("ref", "jit", "check")}
    cache = {b: (np.zeros(shape, order="F"), np.zeros(shape, dtype=np.bool_, order="F"))
             for b in ("ref", "jit")}  # fmt: skip
    gen = np.random.default_rng(s["t"])
    for t in range(s["t"], s["t"] + 4):
        outs = {}
        for b, backend in (("ref", reference), ("jit", compiled)):
            outs[b] = np.zeros(n, dtype=np.bool_)
            backend.boycott_update_cached(
                g.indptr, g.indices, boycott[b], s["opinion"], s["weight"],
                s["neighbour_weight"], s["threshold"], s["pressure"], gave_up[b], s["seed"],
                STREAM, t, f, params, *cache[b], outs[b],
            )  # fmt: skip
        assert_same(outs["ref"], outs["jit"])
        assert_same(gave_up["ref"], gave_up["jit"])
        assert_same(cache["ref"][0][:, f], cache["jit"][0][:, f])
        expected = np.zeros(n, dtype=np.bool_)
        reference.boycott_update(g.indptr, g.indices, boycott["ref"], s["opinion"], s["weight"],
                                 s["neighbour_weight"], s["threshold"], s["pressure"],
                                 gave_up["check"], s["seed"], STREAM, t, f, params,
                                 expected)  # fmt: skip
        assert_same(outs["ref"], expected)
        assert_same(gave_up["check"], gave_up["ref"])
        flip = gen.random(n) < 0.1
        for b in boycott:
            boycott[b][:, f] = outs[b] ^ flip


@parity_of("triangular")
@EXAMPLES
@given(
    seed=st.integers(0, 2**63 - 1),
    t=st.integers(0, 2**40),
    a=st.lists(st.integers(0, 2**40), min_size=1, max_size=20),
    b=st.integers(0, 2**20),
)
def test_triangular(seed, t, a, b):
    expected = reference.triangular(seed, STREAM, t, np.array(a), b)
    got = [compiled.triangular(seed, STREAM, t, ai, b) for ai in a]
    assert_same(expected, np.array(got))


def test_every_compiled_kernel_has_a_parity_test():
    kernels = set(compiled.__all__) - {"warm_up"}
    assert kernels == TESTED
    assert kernels - {"triangular"} <= set(reference.__all__)


def test_compiled_draws_equal_the_reference_generator():
    # The compiled kernels' counter hashing, through a kernel whose output is the draw:
    # with reach 1 everybody is reached, with reach = u_i + tiny exactly those drawn.
    n = 500
    u = rng.uniform(7, STREAM, 3, np.arange(n), 2)
    for threshold in (0.25, 0.5, float(np.median(u))):
        params = AdvertisingParams(threshold, 0.5, 1.0, 0.5, 0.0, 0.0, 0.0)
        opinion = [np.zeros((n, 3)) for _ in range(2)]
        for backend, o in zip((reference, compiled), opinion, strict=True):
            assert backend.advertise(np.zeros(n), np.zeros(n), np.ones((n, 3)), o,
                                     np.zeros((n, 3)), 7, STREAM,
                                     3, 2, params) == np.count_nonzero(u < threshold)  # fmt: skip
        assert_same(*opinion)
        assert np.array_equal(opinion[0][:, 2] != 0.0, u < threshold)


@pytest.mark.parametrize("layout", ["C", "F"])
def test_kernels_write_only_their_firm_column(layout):
    gen = np.random.default_rng(2)
    n, n_firms, f = 300, 3, 1
    graph = graphs.from_edges(n, gen.integers(0, n, 900), gen.integers(0, n, 900))
    opinion = np.asarray(gen.uniform(-1, 1, (n, n_firms)), order=layout)
    speaking = np.asarray(gen.random((n, n_firms)) < 0.3, order=layout)
    heard = np.zeros((n, n_firms), dtype=np.bool_, order=layout)
    before = opinion.copy()
    params = WordOfMouthParams(1.0, 1.0, 1.0, 0.0, 0.5, 0.5)
    compiled.word_of_mouth(graph.indptr, graph.indices, speaking, opinion, np.ones(n), np.ones(n),
                           np.ones(n), 1, STREAM, 1, f, params, heard,
                           np.ones((n, n_firms), dtype=np.bool_, order=layout),
                           np.ones((n, n_firms), order=layout))  # fmt: skip
    assert heard[:, f].any()
    assert not heard[:, [0, 2]].any()
    assert not np.array_equal(opinion[:, f], before[:, f])
    assert np.array_equal(opinion[:, [0, 2]], before[:, [0, 2]])


def large_state(n: int = 10_000, n_firms: int = 3) -> dict:
    """A state above every compiled block size: 10⁴ consumers (purchase blocks of 256,
    experience blocks of 4,096, pressure blocks of 1,024) and a hub of 3,000 edges (rows
    drawn 1,024 edges at a time), column-major like the model's."""
    gen = np.random.default_rng(11)
    src = np.concatenate([gen.integers(0, n, 4 * n), np.zeros(3000, dtype=np.int64)])
    dst = np.concatenate([gen.integers(0, n, 4 * n), gen.choice(n, 3000, replace=False)])
    graph = graphs.from_edges(n, src, dst)
    weight = np.where(gen.random(n) < 0.1, 3.0, 1.0)

    def per_firm(values):
        return np.asfortranarray(values)

    return {
        "graph": graph, "f": 1, "seed": 99, "t": 5,
        "competence": gen.random(n), "peer_trust": gen.random(n), "weight": weight,
        "neighbour_weight": graphs.neighbour_sums(graph, weight), "threshold": gen.random(n),
        "factor": np.where(gen.random(n) < 0.2, 2.0, 1.0),
        "opinion": per_firm(opinions(gen, (n, n_firms))),
        "expectation": per_firm(gen.random((n, n_firms))),
        "loyalty": per_firm(gen.random((n, n_firms))),
        "boycott": per_firm(gen.random((n, n_firms)) < 0.3),
        "speaking": per_firm(gen.random((n, n_firms)) < 0.2),
        "flags": per_firm(gen.random((n, n_firms)) < 0.3),
        "aware": per_firm(gen.random((n, n_firms)) < 0.2),
        "firm_trust": per_firm(gen.random((n, n_firms))),
        "gave_up": per_firm(gen.random((n, n_firms)) < 0.2),
        "pressure": per_firm(gen.random((n, n_firms)) * 0.5),
        "purchase": gen.integers(-1, n_firms, n), "price": gen.uniform(0.5, 2.0, n_firms),
        "membership": per_firm(gen.random((n, 4)) < 0.3),
    }  # fmt: skip


def test_every_kernel_agrees_above_the_block_sizes():
    s, half = large_state(), 0.5
    s["speaking"][0, :] = True  # the hub speaks: its row is drawn in three chunks
    g, n, f = s["graph"], s["graph"].n, s["f"]
    members = np.flatnonzero(s["membership"][:, 0])
    cases = {
        "advertise": ([s["competence"], s["peer_trust"], s["firm_trust"], copy(s["opinion"]),
                       copy(s["expectation"]), 1, STREAM, 3, f,
                       AdvertisingParams(0.3, 0.2, half, 0.6, 0.4, 0.1, 0.02)], [2, 3, 4]),
        "choose_purchases": ([s["opinion"], s["expectation"], s["loyalty"], s["boycott"],
                              s["flags"], s["price"], 1, STREAM, 3,
                              PurchaseParams(2, 3, 1, 1, 0.5, 1.0, 0.2),
                              np.full(n, -7, dtype=np.int64)], [4, 10]),
        "experience": ([s["purchase"], copy(s["competence"]), copy(s["opinion"]),
                        copy(s["expectation"]), copy(s["loyalty"]), s["firm_trust"],
                        s["flags"], 1, STREAM, 3, f, ExperienceParams(*[0.3] * 14)],
                       [1, 2, 3, 4, 5, 6]),
        "detect_misconduct": ([s["competence"], s["factor"], copy(s["opinion"]),
                               copy(s["speaking"]), copy(s["flags"]), 1, STREAM, 3, f,
                               ExposureParams(0.6, 0.8)], [2, 3, 4]),
        "word_of_mouth": ([g.indptr, g.indices, s["speaking"], copy(s["opinion"]), s["factor"],
                           s["weight"], s["peer_trust"], 1, STREAM, 3, f,
                           WordOfMouthParams(0.3, 2.0, 0.5, 0.01, 0.4, 0.5), copy(s["flags"]),
                           copy(s["aware"]), copy(s["firm_trust"])], [3, 12, 13, 14]),
        "advocate": ([s["opinion"], s["loyalty"], 1, STREAM, 3, f, AdvocacyParams(0.4, 0.3),
                      copy(s["speaking"])], [7]),
        "independent_cascade": ([g.indptr, g.indices, np.arange(5, dtype=np.int64), 0.2, 1,
                                 STREAM, f, 3, np.zeros(n, dtype=np.bool_)], [8]),
        "petition": ([members, copy(s["opinion"]), copy(s["boycott"]), 1, STREAM, 3, f, 65, 0.2],
                     [2]),
        "call": ([s["membership"][:, 0], copy(s["opinion"]), 1, STREAM, 3, f,
                  CallParams(65, 0.1, 0.3, 1.0)], [1]),
        "campaign_pressure": ([s["membership"], np.array([0.5, 1.0, 0.25, 0.9]), f,
                               copy(s["pressure"])], [3]),
        "negative_members": ([members, s["opinion"], f], []),
        "boycott_update": ([g.indptr, g.indices, s["boycott"], s["opinion"], s["weight"],
                            s["neighbour_weight"], s["threshold"], s["pressure"],
                            copy(s["gave_up"]), 1, STREAM, 3, f, BoycottParams(0.0, 0.2, 0.3),
                            np.zeros(n, dtype=np.bool_)], [8, 14]),
        "boycott_update_cached": ([g.indptr, g.indices, s["boycott"], s["opinion"], s["weight"],
                                   s["neighbour_weight"], s["threshold"], s["pressure"],
                                   copy(s["gave_up"]), 1, STREAM, 3, f,
                                   BoycottParams(0.0, 0.2, 0.3), np.zeros((n, 3), order="F"),
                                   np.zeros((n, 3), dtype=np.bool_, order="F"),
                                   np.zeros(n, dtype=np.bool_)], [8, 14, 15, 16]),
    }  # fmt: skip
    assert set(cases) == set(compiled.__all__) - {"triangular"}
    for kernel, (args, compare) in cases.items():
        run_both(kernel, lambda args=args: [copy(a) if isinstance(a, np.ndarray) else a
                                            for a in args], compare)  # fmt: skip
