"""Strategy evolution under imitation: does the market tip as information parity rises?

Runs the shipped scenario ``adaptive_firms`` (four firms, two manipulative and two
customer-centric, imitating the more profitable with exploration) at several levels of
information parity on seeds 0..N-1, and records the share of firms that manipulate
(m >= 0.5) at every step. Prints the share at the end per parity (mean with a 95 %
interval over seeds) and how many runs locked in — every firm on one strategy from
the first decision on, never to change — with the scenario's exploration and without
it (``adaptation.mutation: 0``), and writes docs/images/adaptation_parity.png.

Run:  python experiments/adaptation_parity.py [--seeds 12] [--out docs/images/adaptation_parity.png]
"""

from __future__ import annotations

import argparse

import numpy as np
from matplotlib.figure import Figure
from scipy import stats

from swarmsim import SwarmModel
from swarmsim.catalog import resolve
from swarmsim.results import timeseries_frame
from swarmsim.scenario import load_scenario

PARITIES = (0.1, 0.3, 0.5, 0.7, 0.9)


def manipulating_share(data: dict, seed: int) -> np.ndarray:
    """Share of firms with m >= 0.5 at each step 1..T of one run."""
    frame = timeseries_frame(SwarmModel.from_scenario(data, seed=seed).run())
    frame = frame[frame["step"] >= 1]
    return frame.groupby("step")["manipulation"].apply(lambda m: float((m >= 0.5).mean())).to_numpy()


def locked_in(share: np.ndarray, first_decision: int) -> bool:
    """Every firm on one strategy from the first decision on, and never a change."""
    after = share[first_decision - 1 :]
    return bool(np.all(after == after[0]) and after[0] in (0.0, 1.0))


def main() -> None:
    """Run every parity on every seed; print the table, draw the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--out", default="docs/images/adaptation_parity.png")
    args = parser.parse_args()
    scenario = load_scenario(resolve("adaptive_firms")).to_dict()
    every = scenario["adaptation"]["every"]
    shares, pure = {}, {}
    for parity in PARITIES:
        data = {**scenario, "consumers": {**scenario["consumers"], "information_parity": parity}}
        shares[parity] = runs(data, args.seeds)
        pure[parity] = runs({**data, "adaptation": {**data["adaptation"], "mutation": 0.0}},
                            args.seeds)  # fmt: skip
    print(f"adaptive_firms, {args.seeds} seeds per parity: firms manipulating at the end")
    print("| information parity | manipulating at the end | 95 % interval | locked in "
          "| without exploration: manipulating | locked in |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for parity in PARITIES:
        final = shares[parity][:, -1]
        half = stats.t.ppf(0.975, len(final) - 1) * final.std(ddof=1) / np.sqrt(len(final))
        print(f"| {parity:g} | {final.mean():.0%} | ± {half:.0%} "
              f"| {locks(shares[parity], every)} | {pure[parity][:, -1].mean():.0%} "
              f"| {locks(pure[parity], every)} |")  # fmt: skip
    figure(shares, args.out)


def runs(data: dict, seeds: int) -> np.ndarray:
    """Share of firms manipulating per step (columns) of each seed's run (rows)."""
    return np.array([manipulating_share(data, seed) for seed in range(seeds)])


def locks(shares: np.ndarray, every: int) -> str:
    """How many runs locked in, as 'k of N'."""
    return f"{sum(locked_in(run, every) for run in shares)} of {len(shares)}"


def figure(shares: dict[float, np.ndarray], path: str) -> None:
    """Mean share of manipulating firms over time per parity; the end share per seed."""
    fig = Figure(figsize=(9, 3.6), dpi=120, layout="constrained")
    over_time, at_end = fig.subplots(1, 2, width_ratios=(3, 2))
    colors = [f"C{k}" for k in range(len(shares))]
    for color, (parity, runs) in zip(colors, shares.items(), strict=True):
        weeks = np.arange(1, runs.shape[1] + 1)
        over_time.plot(weeks, 100 * runs.mean(axis=0), color=color, label=f"parity {parity:g}")
        jitter = np.linspace(-0.02, 0.02, len(runs))
        at_end.scatter(parity + jitter, 100 * runs[:, -1], color=color, s=10, alpha=0.6)
        at_end.errorbar(parity, 100 * runs[:, -1].mean(), fmt="o", color="k", markersize=4)
    over_time.set(title="Firms manipulating (mean over seeds)", xlabel="week", ylabel="%",
                  ylim=(-5, 105))  # fmt: skip
    over_time.legend(fontsize=8)
    at_end.set(title="At the end: each seed, and the mean", xlabel="information parity",
               ylabel="% of firms manipulating", ylim=(-5, 105))  # fmt: skip
    for ax in (over_time, at_end):
        ax.grid(alpha=0.3)
    fig.savefig(path)


if __name__ == "__main__":
    main()
