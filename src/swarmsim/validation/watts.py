"""Watts (2002) global cascades: the boycott phase alone on Erdős–Rényi graphs.

Special case (``scenarios/validation/watts_cascade.yaml``): one firm, every phase off
except boycott, a fixed threshold φ for everyone, influence weights 1 (no alphas),
``join_opinion = leave_opinion = 1`` (the opinion condition always holds and nobody
leaves) and one random seed boycotter. The boycott rule then is Watts' threshold rule:
consumer i joins when the share of its neighbours boycotting is >= φ, so a consumer of
degree k is *vulnerable* (one boycotting neighbour suffices) when 1/k >= φ.

Theory (Watts 2002, PNAS 99:5766; generating functions as in Newman, Strogatz & Watts
2001). With degree distribution p_k (Poisson with mean z here) and ρ_k = 1 for
vulnerable degrees, else 0, global cascades are possible when

    Σ_k k (k − 1) ρ_k p_k > z,

which holds inside a window z_lower < z < z_upper. A single random seed sets off a
global cascade when one of its neighbours belongs to the giant vulnerable cluster. An
edge leads to that cluster with probability 1 − u, where u is the smallest root in
[0, 1] of u = 1 − (1/z) Σ_k k ρ_k p_k (1 − u^(k−1)); so the frequency of global
cascades is P(z) = 1 − G₀(u) = 1 − exp(−z (1 − u)) for Poisson degrees (the
"extended vulnerable cluster" of Gleeson & Cahalane 2007, PRE 75:056103).

Finite graphs blur the edges: near the upper edge the simulated window reaches beyond
z_upper, by less as n grows (docs/validation.md). So grid points close to an edge are
compared only through the edge estimate, the others point by point.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from swarmsim.errors import ScenarioError
from swarmsim.model import SwarmModel
from swarmsim.scenario import FixedValue
from swarmsim.validation.common import (
    CheckResult,
    Metric,
    binomial_pvalue,
    load_check_scenario,
    replicate_seed,
    run_until_stable,
    scenario_dir,
)

NAME = "watts_cascade"
SCENARIO = "watts_cascade.yaml"
TITLE = "Watts (2002) cascade window on Erdős–Rényi graphs vs generating functions"


@dataclass(frozen=True, slots=True)
class Design:
    """Sizes and tolerances of one run of the check.

    Attributes
    ----------
    n : int
        Consumers per graph.
    mean_degrees : tuple of float
        The grid of mean degrees z, ascending.
    replicates : int
        Runs per grid point (new graph, seed node and draws each time).
    global_share : float
        A cascade is global when more than this share of consumers boycotts, in (0, 1).
    edge_level : float
        The simulated window edges are where the frequency crosses this level.
    lower_zone, upper_zone : tuple of float
        Grid points with z_lower − a < z < z_lower + b (or the same around z_upper) are
        left out of the point-by-point comparison (finite-size blur).
    lower_tolerance, upper_tolerance : float
        Allowed distance between simulated and analytic edge, in units of z.
    alpha : float
        Family-wise significance level of the point-by-point binomial tests
        (Bonferroni over grid points).
    """

    n: int
    mean_degrees: tuple[float, ...]
    replicates: int
    lower_tolerance: float
    upper_tolerance: float
    global_share: float = 0.05
    edge_level: float = 0.1
    lower_zone: tuple[float, float] = (0.3, 0.25)
    upper_zone: tuple[float, float] = (0.6, 1.0)
    alpha: float = 0.01


QUICK = Design(
    n=3000,
    mean_degrees=(0.5, 0.9, 1.3, 3.0, 5.5, 6.0, 6.5, 7.5),
    replicates=60,
    lower_tolerance=0.3,
    upper_tolerance=0.8,
    alpha=0.001,
)
FULL = Design(
    n=10_000,
    mean_degrees=(
        0.5, 0.7, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5,
        5.0, 5.25, 5.5, 5.75, 6.0, 6.25, 6.5, 7.0, 8.0, 9.0,
    ),
    replicates=200,
    lower_tolerance=0.2,
    upper_tolerance=0.5,
)  # fmt: skip
DESIGNS = {"quick": QUICK, "full": FULL}


# ------------------------------------------------------------------------ theory
def vulnerable_degrees(phi: float) -> NDArray[np.int64]:
    """Degrees k >= 1 at which one boycotting neighbour suffices: 1/k >= φ.

    The comparison is made in floating point exactly as the boycott kernel makes it
    (share 1.0 / k against the threshold), so ties such as φ = 0.2, k = 5 agree.

    Parameters
    ----------
    phi : float
        Threshold φ in (0, 1].
    """
    top = int(np.floor(1.0 / phi)) + 1
    k = np.arange(1, top + 1, dtype=np.int64)
    return k[1.0 / k >= phi]


def _poisson(k: NDArray[np.int64], z: float) -> NDArray[np.float64]:
    return np.exp(k * np.log(z) - z - special.gammaln(k + 1.0))


def cascade_condition(z: float, phi: float) -> float:
    """Σ_k k(k − 1) ρ_k p_k − z for Poisson degrees of mean ``z`` > 0; > 0 inside the window."""
    k = vulnerable_degrees(phi)
    return float(np.sum(k * (k - 1) * _poisson(k, z)) - z)


def cascade_window(phi: float, z_max: float = 50.0) -> tuple[float, float] | None:
    """Analytic window (z_lower, z_upper) of global cascades, or None if there is none.

    Parameters
    ----------
    phi : float
        Threshold φ in (0, 1].
    z_max : float
        Largest mean degree searched.
    """
    grid = np.linspace(0.01, z_max, 5000)
    values = np.array([cascade_condition(z, phi) for z in grid])
    inside = np.flatnonzero(values > 0.0)
    if inside.size == 0:
        return None
    first, last = inside[0], inside[-1]
    lower = optimize.brentq(cascade_condition, grid[first - 1], grid[first], args=(phi,))
    upper = optimize.brentq(cascade_condition, grid[last], grid[last + 1], args=(phi,))
    return float(lower), float(upper)


def cascade_probability(z: float, phi: float) -> float:
    """Probability 1 − exp(−z(1 − u)) that one random seed sets off a global cascade.

    ``u`` is the smallest root in [0, 1] of h(u) = 1 − u − (1/z) Σ_k k ρ_k p_k (1 − u^(k−1)).
    h is convex with h(1) = 0, so a root below 1 exists exactly inside the window.

    Parameters
    ----------
    z : float
        Mean degree, > 0.
    phi : float
        Threshold φ in (0, 1].
    """
    k = vulnerable_degrees(phi)
    edge_weight = k * _poisson(k, z) / z

    def h(u: float) -> float:
        return 1.0 - u - float(np.sum(edge_weight * (1.0 - u ** (k - 1.0))))

    if h(0.0) <= 0.0:
        return float(-np.expm1(-z))
    lowest = optimize.minimize_scalar(h, bounds=(0.0, 1.0), method="bounded")
    if lowest.fun >= -1e-12:
        return 0.0
    u = optimize.brentq(h, 0.0, lowest.x, xtol=1e-14)
    return float(-np.expm1(-z * (1.0 - u)))


# -------------------------------------------------------------------- simulation
def final_shares(design: Design, z: float, *, seed: int, folder: Path | None) -> NDArray:
    """Return the final boycott share of each replicate at mean degree ``z``, (replicates,)."""
    spec = load_check_scenario(
        SCENARIO, folder, {"graph.n": design.n, "graph.mean_degree": float(z)}
    )
    shares = np.empty(design.replicates)
    for r in range(design.replicates):
        model = SwarmModel(spec, seed=replicate_seed(seed, r))
        run_until_stable(model, lambda m: m.consumers.boycott, spec.steps)
        shares[r] = np.count_nonzero(model.consumers.boycott[:, 0]) / design.n
    return shares


def crossing(z: NDArray, frequency: NDArray, level: float, *, rising: bool) -> float:
    """Return the first z where ``frequency`` reaches ``level`` (or the last, falling).

    Linear interpolation between the two grid points around the crossing; NaN if the
    frequency never reaches the level.
    """
    above = np.flatnonzero(frequency >= level)
    if above.size == 0:
        return float("nan")
    i = above[0] if rising else above[-1]
    j = i - 1 if rising else i + 1
    if j < 0 or j >= z.size:
        return float(z[i])
    share = (level - frequency[j]) / (frequency[i] - frequency[j])
    return float(z[j] + share * (z[i] - z[j]))


def run(design: Design, *, seed: int = 0, folder: Path | None = None) -> CheckResult:
    """Run the check: frequencies of global cascades over the grid against theory."""
    start = time.perf_counter()
    phi, window = _theory_inputs(folder)
    z = np.asarray(design.mean_degrees, dtype=np.float64)
    shares = [final_shares(design, zi, seed=seed, folder=folder) for zi in z]
    counts = np.array([np.count_nonzero(s > design.global_share) for s in shares])
    frequency = counts / design.replicates
    theory = np.array([cascade_probability(zi, phi) for zi in z])
    edges = (
        crossing(z, frequency, design.edge_level, rising=True),
        crossing(z, frequency, design.edge_level, rising=False),
    )
    metrics = _edge_metrics(design, edges, window)
    metrics += _point_metrics(design, z, counts, theory, window)
    global_sizes = [s[s > design.global_share] for s in shares]
    data = {
        "z": z,
        "frequency": frequency,
        "theory": theory,
        "mean_global_size": np.array([g.mean() if g.size else np.nan for g in global_sizes]),
        "window": window,
        "edges": edges,
        "phi": phi,
        "n": design.n,
        "replicates": design.replicates,
    }
    return CheckResult(NAME, TITLE, metrics, data, seconds=time.perf_counter() - start)


def _theory_inputs(folder: Path | None) -> tuple[float, tuple[float, float]]:
    """Return the scenario's fixed threshold φ and its analytic window, or raise."""
    threshold = load_check_scenario(SCENARIO, folder).consumers.threshold
    window = cascade_window(threshold.value) if isinstance(threshold, FixedValue) else None
    if window is None:
        path = (scenario_dir() if folder is None else folder) / SCENARIO
        raise ScenarioError(
            str(path), "consumers.threshold", f"expected a fixed value <= 0.5 (got {threshold})"
        )
    return threshold.value, window


def _edge_metrics(design: Design, edges, window) -> list[Metric]:
    metrics = []
    for label, simulated, analytic, tolerance in (
        ("lower", edges[0], window[0], design.lower_tolerance),
        ("upper", edges[1], window[1], design.upper_tolerance),
    ):
        metrics.append(
            Metric(
                f"{label} window edge z (frequency {design.edge_level:g} crossing)",
                simulated,
                analytic,
                f"|Δ| <= {tolerance:g}",
                bool(abs(simulated - analytic) <= tolerance),
            )
        )
    return metrics


def _point_metrics(design: Design, z, counts, theory, window) -> list[Metric]:
    lower, upper = window
    blurred = ((z > lower - design.lower_zone[0]) & (z < lower + design.lower_zone[1])) | (
        (z > upper - design.upper_zone[0]) & (z < upper + design.upper_zone[1])
    )
    compared = np.flatnonzero(~blurred)
    level = design.alpha / max(compared.size, 1)
    metrics = []
    for i in compared:
        where = "inside" if lower < z[i] < upper else "outside"
        p = binomial_pvalue(int(counts[i]), design.replicates, float(theory[i]))
        metrics.append(
            Metric(
                f"global-cascade frequency at z = {z[i]:g} ({where})",
                counts[i] / design.replicates,
                float(theory[i]),
                f"binomial p >= {level:.2g} (p = {p:.3g})",
                bool(p >= level),
            )
        )
    return metrics


def plot(result: CheckResult, path: Path) -> None:
    """Draw simulated frequency (with 95% binomial error bars) and theory over z."""
    import matplotlib.pyplot as plt

    d = result.data
    fine = np.linspace(0.05, max(d["z"].max(), d["window"][1] + 2.0), 400)
    analytic = [cascade_probability(zi, d["phi"]) for zi in fine]
    error = 1.96 * np.sqrt(d["frequency"] * (1.0 - d["frequency"]) / d["replicates"])
    fig, ax = plt.subplots(figsize=(9.5, 4.2), layout="constrained")
    ax.axvspan(*d["window"], color="0.92", label="analytic window")
    ax.plot(fine, analytic, color="C0", label="theory: P(global cascade)")
    ax.errorbar(d["z"], d["frequency"], yerr=error, fmt="o", color="C1", ms=4, capsize=2,
                label=f"model: frequency ({d['replicates']} runs per z)")  # fmt: skip
    ax.plot(d["z"], d["mean_global_size"], "s", mfc="none", color="C2", ms=4,
            label="model: mean size of global cascades")  # fmt: skip
    for edge in d["edges"]:
        ax.axvline(edge, color="C1", ls=":", lw=1)
    title = f"Watts cascade window, φ = {d['phi']:g}, n = {d['n']:,} (dotted: model edges)"
    ax.set(xlabel="mean degree z", ylabel="frequency / share of consumers", ylim=(-0.02, 1.05),
           title=title)  # fmt: skip
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    fig.savefig(path, dpi=120)
    plt.close(fig)
