"""Paired comparisons of two scenarios with common random numbers.

Scenario A and scenario B run on the same seeds. Every random draw is a counter-based
function of (seed, stream, step, indices), so on each seed the two runs share every
draw that their difference does not touch, and the run-to-run noise largely cancels in
the paired difference B − A (common random numbers; Law 2015, *Simulation Modeling and
Analysis*, §11.2). For each firm and outcome the summary gives the mean difference
with a Student-t confidence interval over the seeds; ``independent=True`` runs B on
other seeds, which shows what the pairing saves.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["INDEPENDENT_OFFSET", "OUTCOMES", "compare", "outcomes", "paired_differences"]

OUTCOMES = {
    "final_market_share": "market share in the last step",
    "mean_market_share": "market share averaged over the steps",
    "peak_boycott_share": "largest share of consumers boycotting the firm",
    "final_boycott_share": "share boycotting the firm in the last step",
    "total_profit": "profit summed over the steps, currency",
}
"""The outcomes compared per firm, with what each means."""

INDEPENDENT_OFFSET = 1_000_003
"""With ``independent=True``, B's seed is A's plus this (a different stream of draws)."""


def outcomes(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Reduce one run's time series to the :data:`OUTCOMES`, one row per firm and outcome."""
    steps = timeseries[timeseries["step"] > 0]
    last = steps[steps["step"] == steps["step"].max()].set_index("firm")
    by_firm = steps.groupby("firm", sort=False)
    table = pd.DataFrame({
        "final_market_share": last["market_share"],
        "mean_market_share": by_firm["market_share"].mean(),
        "peak_boycott_share": by_firm["boycott_share"].max(),
        "final_boycott_share": last["boycott_share"],
        "total_profit": by_firm["profit"].sum(),
    })  # fmt: skip
    return table.reset_index().melt(id_vars="firm", var_name="outcome", value_name="value")


def _run_outcomes(scenario: dict[str, Any], seed: int) -> pd.DataFrame:
    """Run ``scenario`` on ``seed`` in this process and return its :func:`outcomes`."""
    from swarmsim.model import SwarmModel
    from swarmsim.results import timeseries_frame

    model = SwarmModel.from_scenario(scenario, seed=seed).run()
    return outcomes(timeseries_frame(model))


def compare(
    first: dict[str, Any],
    second: dict[str, Any],
    seeds: list[int],
    *,
    workers: int = 1,
    independent: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run both scenarios on every seed; return the outcomes of every run.

    Parameters
    ----------
    first, second : dict
        Validated scenarios as plain data (``Scenario.to_dict()``), A and B.
    seeds : list of int
        Seeds, >= 0; each runs A and B (B on ``seed + INDEPENDENT_OFFSET`` if
        ``independent``).
    workers : int
        Processes, >= 1 (1: in this process).
    progress : callable, optional
        Called as ``progress(done, total)`` after each run.

    Returns
    -------
    DataFrame
        Columns ``scenario`` ("A" or "B"), ``seed`` (the pair's seed), ``firm``,
        ``outcome``, ``value``.
    """
    offset = INDEPENDENT_OFFSET if independent else 0
    jobs = [("A", first, s, s) for s in seeds] + [("B", second, s, s + offset) for s in seeds]
    if workers <= 1:
        results = (_run_outcomes(scenario, run_seed) for _, scenario, _, run_seed in jobs)
        frames = _collect(jobs, results, progress)
    else:
        context = multiprocessing.get_context("spawn")  # Numba's threads do not survive fork
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [pool.submit(_run_outcomes, scenario, s) for _, scenario, _, s in jobs]
            frames = _collect(jobs, (f.result() for f in futures), progress)
    return pd.concat(frames, ignore_index=True)


def _collect(jobs, results, progress) -> list[pd.DataFrame]:
    frames = []
    pairs = zip(jobs, results, strict=True)
    for done, ((label, _, pair_seed, _), table) in enumerate(pairs, start=1):
        frames.append(table.assign(scenario=label, seed=pair_seed))
        if progress is not None:
            progress(done, len(jobs))
    return [f[["scenario", "seed", "firm", "outcome", "value"]] for f in frames]


def paired_differences(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Summarise B − A per firm and outcome over the seeds.

    Returns
    -------
    DataFrame
        Per firm and outcome: ``mean_a``, ``mean_b``, ``difference`` (mean of B − A),
        ``sd`` (standard deviation of the differences), ``low`` and ``high`` (the
        ``confidence`` Student-t interval of the mean difference) and ``seeds``.
    """
    wide = runs.pivot_table(
        index=["firm", "outcome", "seed"], columns="scenario", values="value", sort=False
    )
    wide["delta"] = wide["B"] - wide["A"]
    rows = []
    for (firm, outcome), group in wide.groupby(level=["firm", "outcome"], sort=False):
        n, delta = len(group), group["delta"].to_numpy()
        sd = float(delta.std(ddof=1)) if n > 1 else float("nan")
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * sd / np.sqrt(n)
        mean = float(delta.mean())
        rows.append({
            "firm": firm, "outcome": outcome, "mean_a": float(group["A"].mean()),
            "mean_b": float(group["B"].mean()), "difference": mean, "sd": sd,
            "low": mean - half, "high": mean + half, "seeds": n,
        })  # fmt: skip
    return pd.DataFrame(rows)
