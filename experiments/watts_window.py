"""When does a self-started boycott go global? Watts' question asked of one scandal.

Runs (or resumes) the two sweeps ``watts_structure.yaml`` (mean degree k × rewiring p
of a small-world graph) and ``watts_outrage.yaml`` (share of activists × news shock),
both on the one-scandal scenario without institutions or seeded boycotters. A run's
boycott is *large* when its peak participation reaches LARGE of all consumers (local
cascades around the 1 % of activists stay far below). Prints, per point, the share of
large boycotts with a 90 % Wilson interval and the median peak, and writes
docs/images/watts_window.png (the figure of docs/model.md, "Self-started boycotts").

Run:  python experiments/watts_window.py [--results results] [--out docs/images/watts_window.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from swarmsim.sweeps import load_sweep, run_sweep

HERE = Path(__file__).parent
LARGE = 0.10
PEAK = "peak_boycott_share[Persuado]"
Z90 = 1.6449


def wilson(successes: np.ndarray, trials: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """90 % Wilson score interval of a binomial proportion (Wilson 1927)."""
    p = successes / trials
    centre = (p + Z90**2 / (2 * trials)) / (1 + Z90**2 / trials)
    half = Z90 * np.sqrt(p * (1 - p) / trials + Z90**2 / (4 * trials**2)) / (1 + Z90**2 / trials)
    return centre - half, centre + half


def large_share(runs: pd.DataFrame, x: str, line: str) -> pd.DataFrame:
    """Per point (x, line): runs, share of large boycotts, its interval, median peak."""
    grouped = runs.assign(large=runs[PEAK] >= LARGE).groupby([line, x])
    table = grouped.agg(
        runs=("large", "size"), large=("large", "sum"), median_peak=(PEAK, "median")
    )
    table["p_large"] = table["large"] / table["runs"]
    table["low"], table["high"] = wilson(table["large"].to_numpy(), table["runs"].to_numpy())
    return table.reset_index()


def sweep_runs(name: str, results: Path) -> pd.DataFrame:
    """Run (or resume) ``experiments/NAME.yaml`` into ``results/NAME``; return its runs."""
    return run_sweep(load_sweep(HERE / f"{name}.yaml"), results / name).collected.runs


def panel(ax, table: pd.DataFrame, x: str, line: str, label: str, xlabel: str) -> None:
    """Draw the share of large boycotts against ``x``, one line per value of ``line``."""
    for value, rows in table.groupby(line):
        ax.plot(rows[x], rows["p_large"], marker="o", label=f"{label} = {value:g}")
        ax.fill_between(rows[x], rows["low"], rows["high"], alpha=0.15)
    ax.set(xlabel=xlabel, ylabel=f"share of runs with a boycott ≥ {LARGE:.0%}", ylim=(-0.02, 1.02))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def main() -> None:
    """Run both sweeps, print the tables, draw the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--out", default="docs/images/watts_window.png")
    args = parser.parse_args()
    structure = large_share(sweep_runs("watts_structure", args.results), "graph.k", "graph.p")
    outrage = large_share(
        sweep_runs("watts_outrage", args.results), "consumers.activists", "word_of_mouth.news_shock"
    )
    with pd.option_context("display.width", 120, "display.float_format", "{:.3g}".format):
        print(structure.drop(columns="large").to_string(index=False))
        print(outrage.drop(columns="large").to_string(index=False))
    fig = Figure(figsize=(10, 3.8), dpi=120, layout="constrained")
    left, right = fig.subplots(1, 2)
    panel(left, structure, "graph.k", "graph.p", "rewiring p", "mean degree k")
    left.set_xscale("log", base=2)
    levels = sorted(structure["graph.k"].unique())
    left.set_xticks(levels, [str(k) for k in levels])
    left.minorticks_off()
    left.set_title("network: small-world graph, 2,000 consumers")
    panel(
        right, outrage, "consumers.activists", "word_of_mouth.news_shock", "news shock",
        "share of activists",
    )  # fmt: skip
    right.set_title("outrage: k = 8, p = 0.1")
    fig.savefig(args.out)


if __name__ == "__main__":
    main()
