"""What common random numbers buy in a what-if comparison (``swarmsim compare``).

A = ``scandal_and_regulation`` (a scandal in week 20, a regulation raising information
parity in week 50, a second scandal in week 70); B = the same without the regulation.
Both run on seeds 0..N-1 with common random numbers (B on the same seed as A) and with
independent seeds (B on other seeds), for N = 10 and 30. Prints, per outcome of the
scandal firm, the mean difference B − A, the standard deviation of the differences and
the half-width of the 95 % interval: the table of README.md, "Events".

Run:  python experiments/crn_compare.py [--workers 2]
"""

from __future__ import annotations

import argparse

import pandas as pd

from swarmsim.catalog import resolve
from swarmsim.compare import compare, paired_differences
from swarmsim.scenario import load_scenario

FIRM = "Persuado"
SHOWN = ("total_profit", "mean_market_share", "peak_boycott_share")


def main() -> None:
    """Run the four comparisons and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    first = load_scenario(resolve("scandal_and_regulation")).to_dict()
    kept = [e for e in first["events"] if e["name"] != "disclosure regulation"]
    second = {**first, "events": kept}
    assert len(second["events"]) == len(first["events"]) - 1, "the regulation event is named"
    rows = []
    for seeds in (10, 30):
        for independent in (False, True):
            runs = compare(first, second, list(range(seeds)), workers=args.workers,
                           independent=independent)  # fmt: skip
            table = paired_differences(runs)
            table = table[(table["firm"] == FIRM) & table["outcome"].isin(SHOWN)]
            for row in table.itertuples():
                rows.append({
                    "outcome": row.outcome, "seeds": seeds,
                    "pairing": "independent" if independent else "common",
                    "B − A": row.difference, "sd": row.sd, "± 95 %": (row.high - row.low) / 2,
                })  # fmt: skip
    frame = pd.DataFrame(rows).sort_values(["outcome", "seeds", "pairing"], kind="stable")
    with pd.option_context("display.width", 120, "display.float_format", "{:.4g}".format):
        print(frame.to_string(index=False))


if __name__ == "__main__":
    main()
