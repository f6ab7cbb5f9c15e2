"""One exposed scandal at default settings, with and without it, on the same seeds.

Runs the shipped scenario ``one_scandal`` (a manipulative firm whose only misconduct
is a scheduled, exposed scandal in week 10; no institution, no seeded boycotter) and
the same scenario without the event on seeds 0..N-1: common random numbers, so the
difference is the scandal's effect. Prints the table of docs/model.md ("One scandal")
and writes docs/images/one_scandal.png.

Run:  python experiments/one_scandal.py [--seeds 20] [--out docs/images/one_scandal.png]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from swarmsim import SwarmModel
from swarmsim.catalog import resolve
from swarmsim.results import timeseries_frame
from swarmsim.scenario import load_scenario

SCANDAL_WEEK = 10


def firm_series(data: dict, seed: int, firm: str = "Persuado") -> pd.DataFrame:
    """Run ``data`` on ``seed``; return one firm's rows of the time series, by step."""
    frame = timeseries_frame(SwarmModel.from_scenario(data, seed=seed).run())
    return frame[frame["firm"] == firm].set_index("step")


def main() -> None:
    """Run both scenarios on every seed; print the table, draw the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--out", default="docs/images/one_scandal.png")
    args = parser.parse_args()
    with_event = load_scenario(resolve("one_scandal")).to_dict()
    without = {**with_event, "events": []}
    rows, boycott, aware, loss = [], [], [], []
    for seed in range(args.seeds):
        a, b = firm_series(with_event, seed), firm_series(without, seed)
        weekly = 1.0 - a["sales"] / b["sales"].clip(lower=1)
        after = slice(SCANDAL_WEEK, SCANDAL_WEEK + 25)
        rows.append({
            "first-hand detection": a["exposed_share"].max(),
            "aware at the end": a["aware_share"].iloc[-1],
            "peak participation": a["boycott_share"].max(),
            "participation at the end": a["boycott_share"].iloc[-1],
            "peak weekly sales loss": weekly.loc[SCANDAL_WEEK:].max(),
            "26-week sales loss": 1.0 - a.loc[after, "sales"].sum() / b.loc[after, "sales"].sum(),
        })  # fmt: skip
        boycott.append(a["boycott_share"].loc[1:].to_numpy())
        aware.append(a["aware_share"].loc[1:].to_numpy())
        loss.append(weekly.loc[1:].to_numpy())
    table = pd.DataFrame(rows)
    summary = table.describe(percentiles=[0.1, 0.5, 0.9]).T[["mean", "10%", "50%", "90%"]]
    print(f"one exposed scandal in week {SCANDAL_WEEK}, {args.seeds} seeds, against the same")
    print("seeds without it (shares of all consumers; losses of the firm's weekly sales)")
    print("| outcome | mean | 10 % | median | 90 % |\n|---|---|---|---|---|")
    for name, row in summary.iterrows():
        print(f"| {name} | " + " | ".join(f"{v:.1%}" for v in row) + " |")
    print(f"runs with a boycott of over 5 %: {np.mean(table['peak participation'] > 0.05):.0%}")
    figure(np.array(boycott), np.array(aware), np.array(loss), args.out)


def figure(boycott, aware, loss, path: str) -> None:
    """Draw the median and the 10-90 % band over seeds of the three series, per week."""
    fig = Figure(figsize=(9, 3.4), dpi=120, layout="constrained")
    axes = fig.subplots(1, 3, sharex=True)
    weeks = np.arange(1, boycott.shape[1] + 1)
    for ax, values, title in zip(
        axes, (aware, boycott, loss),
        ("aware of the scandal", "boycotting the firm", "firm's weekly sales loss"),
        strict=True,
    ):  # fmt: skip
        low, mid, high = np.percentile(values * 100, [10, 50, 90], axis=0)
        ax.fill_between(weeks, low, high, alpha=0.25, label="10–90 % of seeds")
        ax.plot(weeks, mid, label="median")
        ax.axvline(SCANDAL_WEEK, color="0.3", linestyle=":", linewidth=1)
        ax.set(title=title, xlabel="week", ylabel="%")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8)
    fig.savefig(path)


if __name__ == "__main__":
    main()
