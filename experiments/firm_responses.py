"""A customer-centric firm's answer to its scandal, each move against doing nothing.

Runs the shipped scenario ``firm_response`` (Candor, customer-centric, is caught in
one exposed misconduct in week 10) on seeds 0..N-1 once per move of
``firms.0.response.move``, and once without the scandal: common random numbers, so each
move's difference from ``nothing`` on the same seed is the move's effect. Prints the
table of docs/model.md ("Firm responses": mean and 95 % confidence interval of the
paired differences) and writes docs/images/firm_responses.png.

Run:  python experiments/firm_responses.py [--seeds 20] [--out docs/images/firm_responses.png]
"""

from __future__ import annotations

import argparse
import copy

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from one_scandal import firm_series  # experiments/ is the script's folder
from scipy import stats

from swarmsim.catalog import resolve
from swarmsim.phases.firms_decide.spec import RESPONSE_MOVES
from swarmsim.scenario import load_scenario

FIRM = "Candor"  # the customer-centric firm that is caught
SCANDAL_WEEK = 10
WINDOW = 26  # weeks from the scandal on
YEAR_END = 4  # the last weeks of the year, where the lasting loss is read


def outcomes(run: pd.DataFrame, clean: pd.DataFrame) -> dict[str, float]:
    """One run's outcomes against the same seed without the scandal."""
    after = slice(SCANDAL_WEEK, SCANDAL_WEEK + WINDOW - 1)
    last = run.index[-YEAR_END:]

    def loss(column: str, weeks) -> float:
        return 1.0 - run.loc[weeks, column].sum() / clean.loc[weeks, column].sum()

    return {
        "26-week sales loss": loss("sales", after),
        "26-week profit loss": loss("profit", after),
        "year-end sales loss": loss("sales", last),
        "peak participation": run["boycott_share"].max(),
    }


def main() -> None:
    """Run every move on every seed; print the paired comparison, draw the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--out", default="docs/images/firm_responses.png")
    args = parser.parse_args()
    scenario = load_scenario(resolve("firm_response")).to_dict()
    clean_scenario = {**scenario, "events": []}
    rows, ratios = [], {move: [] for move in RESPONSE_MOVES}
    for seed in range(args.seeds):
        clean = firm_series(clean_scenario, seed, FIRM)
        for move in RESPONSE_MOVES:
            data = copy.deepcopy(scenario)
            data["firms"][0]["response"] = {"move": move}
            run = firm_series(data, seed, FIRM)
            rows.append({"seed": seed, "move": move, **outcomes(run, clean)})
            ratios[move].append((run["sales"] / clean["sales"].clip(lower=1)).loc[1:].to_numpy())
    table = pd.DataFrame(rows)
    print_table(table, args.seeds)
    figure({move: np.array(r) for move, r in ratios.items()}, args.out)


def print_table(table: pd.DataFrame, seeds: int) -> None:
    """Each move's mean outcomes and its paired difference from nothing (95 % CI)."""
    base = table[table["move"] == "nothing"].set_index("seed")
    print(f"{FIRM}'s scandal in week {SCANDAL_WEEK}, {seeds} seeds; each move against "
          "nothing on the same seed (mean difference, 95 % t-interval)")  # fmt: skip
    print("| move | 26-week sales loss | vs nothing | 26-week profit loss | vs nothing "
          f"| sales loss, last {YEAR_END} weeks | vs nothing |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for move in RESPONSE_MOVES:
        runs = table[table["move"] == move].set_index("seed")
        cells = []
        for column in ("26-week sales loss", "26-week profit loss", "year-end sales loss"):
            diff = 100 * (runs[column] - base[column])
            half = stats.t.ppf(0.975, seeds - 1) * diff.std(ddof=1) / np.sqrt(seeds)
            cells.append(f"{100 * runs[column].mean():.1f} %")
            cells.append("—" if move == "nothing" else f"{diff.mean():+.1f} ± {half:.1f} pt")
        print(f"| {move} | " + " | ".join(cells) + " |")


def figure(ratios: dict[str, np.ndarray], path: str) -> None:
    """Mean weekly sales against the same seed without the scandal, one line per move."""
    fig = Figure(figsize=(7, 3.6), dpi=120, layout="constrained")
    ax = fig.subplots()
    weeks = np.arange(1, next(iter(ratios.values())).shape[1] + 1)
    for move, values in ratios.items():
        ax.plot(weeks, 100 * values.mean(axis=0), label=move)
    low, high = np.percentile(100 * ratios["apology"], [10, 90], axis=0)
    ax.fill_between(weeks, low, high, alpha=0.2, label="apology, 10–90 % of seeds")
    ax.axvline(SCANDAL_WEEK, color="0.3", linestyle=":", linewidth=1)
    ax.set(
        title="Weekly sales after a scandal, by the firm's answer",
        xlabel="week", ylabel="% of sales without the scandal",
    )  # fmt: skip
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.savefig(path)


if __name__ == "__main__":
    main()
