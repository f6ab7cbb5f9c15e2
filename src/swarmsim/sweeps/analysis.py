"""Sweep analysis: Sobol indices with confidence intervals, line plots with bands.

All functions take the collected ``runs`` table (one row per run; see
:func:`swarmsim.sweeps.store.collect`). Figures are :class:`matplotlib.figure.Figure`
objects built without ``pyplot``, as in :mod:`swarmsim.viz.plots`, whose
``sweep_heatmap`` draws the heatmaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from swarmsim.errors import OutputError, ScenarioError, require_extra
from swarmsim.sweeps.design import SweepSpec, sobol_problem
from swarmsim.sweeps.store import RUN_HEAD, Store

__all__ = [
    "line_figure",
    "load_runs",
    "paired_differences",
    "replicate_bands",
    "sobol_figure",
    "sobol_indices",
    "sobol_table",
    "summary_metrics",
    "sweep_figure",
    "write_sobol_table",
]

Z95 = 1.959963984540054
"""Two-sided 95% quantile of the standard normal distribution."""


def summary_metrics(runs: pd.DataFrame, parameters: Sequence[str]) -> list[str]:
    """Return the output columns of a runs table (everything but ids and parameters)."""
    skip = {*RUN_HEAD, *parameters}
    return [c for c in runs.columns if c not in skip]


def point_means(runs: pd.DataFrame, metric: str) -> pd.Series:
    """Mean of ``metric`` over replicates at each design point, indexed by point."""
    return runs.groupby("point", sort=True)[metric].mean()


# --------------------------------------------------------------------------- Sobol
def sobol_indices(
    runs: pd.DataFrame,
    problem: dict[str, Any],
    metric: str,
    *,
    points: int,
    second_order: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``metric`` with 95% bootstrap intervals.

    The replicates of each design point are averaged first, so the indices describe
    the parameters' effect on the expected output (replicate noise shows up as
    wider intervals, not as a parameter's effect). Uses SALib's
    ``SALib.analyze.sobol.analyze`` (Saltelli 2002; Saltelli et al. 2010).

    Parameters
    ----------
    runs : DataFrame
        The collected runs of a ``sobol`` design.
    problem : dict
        SALib problem (``num_vars``, ``names``, ``bounds``).
    metric : str
        Output column.
    points : int
        Number of design points of the sweep, N·(D+2) or N·(2D+2).
    second_order : bool
        Whether the sample was drawn for second-order indices.
    seed : int
        Seed of the bootstrap resampling.

    Returns
    -------
    DataFrame
        One row per parameter: ``parameter, S1, S1_conf, ST, ST_conf``; a ``_conf``
        column is the half-width of the 95% interval. All NaN if the output is the
        same at every point (there is no variance to attribute).

    Raises
    ------
    ValueError
        Some design points have no finished run.
    """
    require_extra("Sobol indices", "sweeps", "SALib")
    from SALib.analyze import sobol

    means = point_means(runs, metric)
    if len(means) != points:
        raise ValueError(
            f"Sobol indices need every design point; {points - len(means)} of {points} "
            "have no finished run (resume the sweep first)"
        )
    columns = ("S1", "S1_conf", "ST", "ST_conf")
    if np.ptp(means.to_numpy(dtype=np.float64)) == 0.0:  # constant: no variance to share out
        frame = pd.DataFrame({c: np.full(len(problem["names"]), np.nan) for c in columns})
        frame.insert(0, "parameter", problem["names"])
        return frame
    result = sobol.analyze(
        problem,
        means.to_numpy(dtype=np.float64),
        calc_second_order=second_order,
        conf_level=0.95,
        seed=seed,
    )
    frame = pd.DataFrame({c: np.asarray(result[c], dtype=np.float64) for c in columns})
    frame.insert(0, "parameter", problem["names"])
    return frame


def sobol_figure(indices: pd.DataFrame, metric: str) -> Figure:
    """Bar chart of first-order (S1) and total (ST) indices with 95% intervals."""
    fig = Figure(figsize=(1.6 + 1.2 * len(indices), 3.6), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(indices))
    for offset, (name, label) in zip(
        (-0.2, 0.2), (("S1", "first order"), ("ST", "total")), strict=True
    ):
        ax.bar(
            x + offset,
            indices[name],
            width=0.4,
            yerr=indices[f"{name}_conf"],
            capsize=3,
            label=label,
        )
    ax.set_xticks(x, indices["parameter"], rotation=20, ha="right")
    ax.set_ylabel("Sobol index")
    ax.set_title(metric)
    ax.axhline(0.0, color="black", linewidth=0.5)
    ax.legend(frameon=False)
    return fig


# ---------------------------------------------------------------------- grid plots
def replicate_bands(runs: pd.DataFrame, by: Sequence[str], metric: str) -> pd.DataFrame:
    """Mean, 95% interval of the mean, and 5–95% range of ``metric`` per value of ``by``.

    Runs at the same values of ``by`` are pooled (replicates, and any other swept
    parameter, which is thereby averaged over).

    Returns
    -------
    DataFrame
        Columns ``*by, mean, ci_low, ci_high, q05, q95, n``, sorted by ``by``.
    """
    groups = runs.groupby(list(by), sort=True)[metric]
    stats = groups.agg(["mean", "std", "count"]).rename(columns={"count": "n"})
    half = Z95 * stats["std"].fillna(0.0) / np.sqrt(stats["n"])
    stats["ci_low"], stats["ci_high"] = stats["mean"] - half, stats["mean"] + half
    stats["q05"], stats["q95"] = groups.quantile(0.05), groups.quantile(0.95)
    return stats.drop(columns="std").reset_index()


def line_figure(runs: pd.DataFrame, x: str, metric: str, *, by: str | None = None) -> Figure:
    """``metric`` over parameter ``x``: replicate mean, 95% interval and 5–95% range.

    With ``by``, one line per value of that parameter.
    """
    fig = Figure(figsize=(6.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    groups = [(None, runs)] if by is None else list(runs.groupby(by, sort=True))
    for level, frame in groups:
        bands = replicate_bands(frame, [x], metric)
        label = "mean" if by is None else f"{by} = {level}"
        (line,) = ax.plot(bands[x], bands["mean"], marker="o", markersize=3, label=label)
        ax.fill_between(
            bands[x],
            bands["ci_low"],
            bands["ci_high"],
            color=line.get_color(),
            alpha=0.3,
            linewidth=0,
        )
        ax.fill_between(
            bands[x], bands["q05"], bands["q95"], color=line.get_color(), alpha=0.1, linewidth=0
        )
    ax.set_xlabel(x)
    ax.set_ylabel(metric)
    ax.set_title(
        "mean; dark band: 95% interval of the mean; light band: 5–95% of runs", fontsize="small"
    )
    ax.legend(frameon=False, fontsize="small")
    return fig


# ------------------------------------------------------------ common random numbers
def paired_differences(
    runs: pd.DataFrame, parameter: str, low: Any, high: Any, metric: str
) -> pd.Series:
    """``metric`` at ``parameter = high`` minus at ``low``, paired by replicate index.

    With common random numbers, replicate r has the same seed at both values, so the
    differences are free of seed-to-seed noise that both runs share.

    Returns
    -------
    Series
        One difference per replicate present at both values, indexed by replicate.
    """
    at = {
        value: runs[runs[parameter] == value].groupby("replicate")[metric].mean()
        for value in (low, high)
    }
    both = at[low].index.intersection(at[high].index)
    return (at[high][both] - at[low][both]).rename(f"{metric} difference")


# ------------------------------------------------------------------- sweep folders
def load_runs(root: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read a sweep folder's collected ``runs.parquet`` and its manifest.

    Raises
    ------
    OutputError
        Not a sweep folder, or not collected yet.
    """
    store = Store(Path(root))
    manifest = store.read_manifest()
    table = store.root / "runs.parquet"
    if not table.is_file():
        raise OutputError(f"{table}: not found; run `swarmsim collect {store.root}` first")
    return pd.read_parquet(table), manifest


def sobol_table(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """Sobol indices of every output of a ``sobol`` sweep (None for other designs).

    Returns
    -------
    DataFrame or None
        Columns ``metric, parameter, S1, S1_conf, ST, ST_conf``.
    """
    spec = SweepSpec.model_validate(manifest["sweep"])
    if spec.design.kind != "sobol":
        return None
    frames = [
        sobol_indices(
            runs,
            sobol_problem(spec),
            metric,
            points=manifest["points"],
            second_order=spec.design.second_order,
            seed=spec.seed,
        ).assign(metric=metric)
        for metric in summary_metrics(runs, manifest["parameters"])
    ]
    table = pd.concat(frames, ignore_index=True)
    return table[["metric", *table.columns.drop("metric")]]


def write_sobol_table(root: str | Path, runs: pd.DataFrame) -> pd.DataFrame | None:
    """Write ``sobol.parquet`` for a complete ``sobol`` sweep; return it (else None)."""
    manifest = Store(Path(root)).read_manifest()
    if len(runs) == 0 or runs["point"].nunique() != manifest["points"]:
        return None
    table = sobol_table(runs, manifest)
    if table is not None:
        table.to_parquet(Path(root) / "sobol.parquet", index=False)
    return table


def sweep_figure(
    runs: pd.DataFrame,
    manifest: dict[str, Any],
    *,
    metric: str,
    x: str | None = None,
    y: str | None = None,
    lines: bool = False,
) -> Figure:
    """Draw the figure of ``swarmsim plot-sweep``.

    Sobol indices of ``metric`` if ``x`` is None (sobol designs only); a line over
    ``x`` if ``y`` is None; else a heatmap over ``x`` × ``y``, or one line per ``y``
    value with ``lines``.

    Raises
    ------
    ScenarioError
        ``metric`` is not an output, ``x``/``y`` not a swept parameter, or ``x`` is
        missing for a design other than sobol.
    """
    parameters = manifest["parameters"]
    outputs = summary_metrics(runs, parameters)
    if metric not in outputs:
        raise ScenarioError("--metric", metric, f"not an output of this sweep ({_some(outputs)})")
    for option, name in (("--x", x), ("--y", y)):
        if name is not None and name not in parameters:
            raise ScenarioError(option, name, f"not a swept parameter ({_some(parameters)})")
    if x is None:
        table = sobol_table(runs, manifest)
        if table is None:
            raise ScenarioError("--x", "", "required unless the sweep has a sobol design")
        return sobol_figure(table[table["metric"] == metric], metric)
    if y is None or lines:
        return line_figure(runs, x, metric, by=y)
    from swarmsim.viz.plots import sweep_heatmap

    return sweep_heatmap(runs, x, y, metric)


def _some(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return f"choose from: {shown}" + (
        f" and {len(names) - limit} more" if len(names) > limit else ""
    )
