"""Independent cascade: word of mouth alone against cynetdiff's independent cascade.

Special case (``scenarios/validation/independent_cascade.yaml``): every phase off except
word of mouth; one random critic (opinion −1, speaking at step 1); peer trust 1 and a
learning rate of 10, so one message moves a listener all the way to the speaker's −1;
negativity bias 1, no mavens, no alphas, so every message goes out with probability
p_talk; ``speakers: movers``, so a consumer speaks once, in the step after it was
moved. That is the independent cascade model (Kempe, Kleinberg & Tardos 2003): each
newly activated node gets one chance to activate each neighbour, with probability p.

The final size (consumers with opinion −1) over many seeds is compared, on the same
graph, with the final sizes of cynetdiff's ``IndependentCascadeModel`` (an
independent C++ implementation; test-only dependency) from uniformly random seed
nodes, by a two-sample Kolmogorov–Smirnov test and a Mann–Whitney U test, each at
level ``alpha``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from swarmsim.errors import SwarmsimError
from swarmsim.graphs import CSRGraph
from swarmsim.model import SwarmModel
from swarmsim.scenario import Scenario
from swarmsim.validation.common import (
    CheckResult,
    Metric,
    load_check_scenario,
    replicate_seed,
    run_until_stable,
)

NAME = "independent_cascade"
SCENARIO = "independent_cascade.yaml"
TITLE = "Word of mouth as one-shot talk vs cynetdiff's independent cascade (same graph)"


@dataclass(frozen=True, slots=True)
class Design:
    """Sample sizes and significance level.

    Attributes
    ----------
    n : int
        Consumers (nodes of the one graph both implementations use).
    replicates : int
        Cascades per implementation.
    alpha : float
        Level of each two-sample test.
    """

    n: int
    replicates: int
    alpha: float = 0.001


QUICK = Design(n=500, replicates=200)
FULL = Design(n=2000, replicates=2000)
DESIGNS = {"quick": QUICK, "full": FULL}


def model_sizes(spec: Scenario, graph: CSRGraph, replicates: int, *, seed: int) -> NDArray:
    """Run the model once per seed; return final counts of opinion −1, shape (replicates,)."""
    sizes = np.empty(replicates, dtype=np.int64)
    for r in range(replicates):
        model = SwarmModel(spec, seed=replicate_seed(seed, r), graph=graph)
        run_until_stable(model, lambda m: m.consumers.opinion, spec.steps)
        sizes[r] = np.count_nonzero(model.consumers.opinion[:, 0] == -1.0)
    return sizes


def reference_sizes(graph: CSRGraph, p: float, replicates: int, *, seed: int) -> NDArray:
    """Return final sizes of cynetdiff's independent cascade from random seed nodes."""
    try:
        from cynetdiff.utils import networkx_to_ic_model
    except ImportError:
        raise SwarmsimError(
            "the independent-cascade check needs cynetdiff "
            "(pip install 'swarmsim-consumers[bench]')"
        ) from None
    generator = np.random.default_rng(seed)
    model, index = networkx_to_ic_model(graph.to_networkx(), activation_prob=p, rng=generator)
    sizes = np.empty(replicates, dtype=np.int64)
    for r, start in enumerate(generator.integers(graph.n, size=replicates)):
        model.reset_model()
        model.set_seeds([index[int(start)]])
        model.advance_until_completion()
        sizes[r] = model.get_num_activated_nodes()
    return sizes


def run(design: Design, *, seed: int = 0, folder: Path | None = None) -> CheckResult:
    """Compare the two final-size samples with KS and Mann–Whitney tests."""
    start = time.perf_counter()
    spec = load_check_scenario(SCENARIO, folder, {"graph.n": design.n})
    graph = SwarmModel(spec).graph  # the scenario's graph, at the scenario's seed
    ours = model_sizes(spec, graph, design.replicates, seed=seed)
    theirs = reference_sizes(graph, spec.word_of_mouth.p_talk, design.replicates, seed=seed)
    ks = stats.ks_2samp(ours, theirs)
    mw = stats.mannwhitneyu(ours, theirs)
    metrics = [
        Metric(
            "two-sample KS distance of final sizes",
            float(ks.statistic),
            0.0,
            f"p >= {design.alpha:g} (p = {ks.pvalue:.3g})",
            bool(ks.pvalue >= design.alpha),
        ),
        Metric(
            "Mann–Whitney U / (n₁n₂) of final sizes",
            float(mw.statistic) / design.replicates**2,
            0.5,
            f"p >= {design.alpha:g} (p = {mw.pvalue:.3g})",
            bool(mw.pvalue >= design.alpha),
        ),
    ]
    data = {
        "model": ours,
        "reference": theirs,
        "n": graph.n,
        "edges": graph.n_edges,
        "p": spec.word_of_mouth.p_talk,
        "ks_pvalue": float(ks.pvalue),
    }
    return CheckResult(NAME, TITLE, metrics, data, seconds=time.perf_counter() - start)


def plot(result: CheckResult, path: Path) -> None:
    """Empirical CDFs of the two final-size samples (and their histograms)."""
    import matplotlib.pyplot as plt

    d = result.data
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.8), layout="constrained")
    bins = np.linspace(0, d["n"], 41)
    for sizes, label, color in (
        (d["model"], "swarmsim", "C1"),
        (d["reference"], "cynetdiff", "C0"),
    ):
        left.hist(sizes, bins=bins, histtype="step", color=color, label=label, lw=1.5)
        ordered = np.sort(sizes)
        right.step(ordered, np.arange(1, ordered.size + 1) / ordered.size, where="post",
                   color=color, label=label)  # fmt: skip
    left.set(xlabel="final size (consumers reached)", ylabel="runs", yscale="log",
             title=f"n = {d['n']}, {d['edges']} edges, p = {d['p']:g}")  # fmt: skip
    right.set(xlabel="final size", ylabel="empirical CDF",
              title=f"two-sample KS p = {d['ks_pvalue']:.3g}")  # fmt: skip
    left.legend(fontsize=8)
    fig.savefig(path, dpi=120)
    plt.close(fig)
