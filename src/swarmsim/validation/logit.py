"""Logit market: the purchase phase alone against closed-form multinomial logit shares.

Special case (``scenarios/validation/logit_market.yaml``): every phase off except
purchase, so opinions, expectations and loyalty stay at their initial values. Each
consumer then buys from firm f with the probability

    P(f) = exp(U_f) / (exp(U_0) + Σ_g exp(U_g)),
    U_f = beta_opinion·initial_opinion + beta_quality·initial_expectation − beta_price·price_f,

U_0 = outside_utility (buy nothing), and independently of everyone else and of other
steps. Consumers seeded as boycotters (``seeding.boycotters``, who boycott every
firm) always take the outside option. Summed over n consumers and T steps the counts
of each option are multinomial; a chi-square goodness-of-fit test at level ``alpha``
compares them with the closed form, and each share is reported with its binomial
standard error. Several cases vary the logit weights and the number of boycotters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from swarmsim.model import SwarmModel
from swarmsim.scenario import Scenario
from swarmsim.validation.common import CheckResult, Metric, load_check_scenario, replicate_seed

NAME = "logit_market"
SCENARIO = "logit_market.yaml"
TITLE = "Purchase phase with fixed beliefs vs closed-form multinomial logit shares"

CASES: tuple[dict[str, object], ...] = (
    {},
    {"purchase.beta_price": 3.0, "purchase.outside_utility": -0.5},
    {"seeding.boycotters": 0.25},
)
"""Overrides of each case; a float ``seeding.boycotters`` is a share of n."""


@dataclass(frozen=True, slots=True)
class Design:
    """Market size, steps and significance level.

    Attributes
    ----------
    n : int
        Consumers.
    steps : int
        Steps pooled (independent choices each step).
    alpha : float
        Family-wise level of the chi-square tests (Bonferroni over cases).
    """

    n: int
    steps: int
    alpha: float = 0.01


QUICK = Design(n=2000, steps=20)
FULL = Design(n=20_000, steps=100)
DESIGNS = {"quick": QUICK, "full": FULL}


def logit_shares(spec: Scenario) -> NDArray[np.float64]:
    """Return the expected shares (outside option first, then firms) from the scenario."""
    buy = spec.purchase
    consumers = spec.consumers
    prices = np.array([firm.price for firm in spec.firms])
    utility = np.concatenate(
        (
            [buy.outside_utility],
            buy.beta_opinion * consumers.initial_opinion
            + buy.beta_quality * consumers.initial_expectation
            - buy.beta_price * prices,
        )
    )
    weights = np.exp(utility - utility.max())
    shares = weights / weights.sum()
    boycotting = spec.seeding.boycotters / spec.graph.n
    shares *= 1.0 - boycotting
    shares[0] += boycotting
    return shares


def resolve(case: dict[str, object], n: int) -> dict[str, object]:
    """Return the overrides of a case for ``n`` consumers (boycotter shares as counts)."""
    overrides: dict[str, object] = {"graph.n": n}
    for key, value in case.items():
        overrides[key] = round(value * n) if key == "seeding.boycotters" else value
    return overrides


def simulate_counts(spec: Scenario, steps: int, *, seed: int) -> NDArray[np.int64]:
    """Choices summed over consumers and steps: outside option first, then firms."""
    model = SwarmModel(spec, seed=seed)
    counts = np.zeros(len(spec.firms) + 1, dtype=np.int64)
    for _ in range(steps):
        model.step()
        counts += np.bincount(model.consumers.purchase + 1, minlength=counts.size)
    return counts


def run(design: Design, *, seed: int = 0, folder: Path | None = None) -> CheckResult:
    """Run every case and test its pooled counts against the closed form."""
    start = time.perf_counter()
    level = design.alpha / len(CASES)
    metrics, observed, expected, labels = [], [], [], []
    for k, case in enumerate(CASES):
        spec = load_check_scenario(SCENARIO, folder, resolve(case, design.n))
        counts = simulate_counts(spec, design.steps, seed=replicate_seed(seed, k))
        shares = logit_shares(spec)
        total = counts.sum()
        chi2 = stats.chisquare(counts, total * shares)
        label = ", ".join(f"{key.split('.')[-1]}={value}" for key, value in case.items())
        metrics.append(
            Metric(
                f"case {k} ({label or 'base'}): chi-square over {total:,} choices",
                float(chi2.statistic),
                float(counts.size - 1),
                f"p >= {level:.2g} (p = {chi2.pvalue:.3g})",
                bool(chi2.pvalue >= level),
            )
        )
        se = np.sqrt(shares * (1.0 - shares) / total)
        worst = float(np.max(np.abs(counts / total - shares) / se))
        limit = float(stats.norm.isf(level / (2 * counts.size)))
        metrics.append(
            Metric(
                f"case {k}: largest |share − logit| in binomial standard errors",
                worst,
                0.0,
                f"<= {limit:.2f}",
                worst <= limit,
            )
        )
        observed.append(counts / total)
        expected.append(shares)
        labels.append(label or "base")
    data = {
        "observed": observed,
        "expected": expected,
        "labels": labels,
        "firms": ["outside"] + [f.name for f in spec.firms],
        "choices": design.n * design.steps,
    }
    return CheckResult(NAME, TITLE, metrics, data, seconds=time.perf_counter() - start)


def plot(result: CheckResult, path: Path) -> None:
    """Observed against closed-form shares, one group of bars per case."""
    import matplotlib.pyplot as plt

    d = result.data
    options = len(d["firms"])
    fig, axes = plt.subplots(1, len(d["labels"]), figsize=(3.4 * len(d["labels"]), 3.6),
                             sharey=True, layout="constrained")  # fmt: skip
    x = np.arange(options)
    for ax, label, obs, exp in zip(axes, d["labels"], d["observed"], d["expected"], strict=True):
        error = 1.96 * np.sqrt(exp * (1.0 - exp) / d["choices"])
        ax.bar(x - 0.2, exp, width=0.4, color="C0", label="closed-form logit")
        ax.bar(x + 0.2, obs, width=0.4, yerr=error, color="C1", capsize=2, label="model")
        ax.set_xticks(x, d["firms"], rotation=30)
        ax.set_title(label, fontsize=9)
    axes[0].set_ylabel("market share")
    axes[0].legend(fontsize=8)
    fig.savefig(path, dpi=120)
    plt.close(fig)
