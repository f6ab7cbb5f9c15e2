"""Plot time and peak memory against consumers from `swarmsim bench` JSON files.

Usage: ``python -m swarmsim.lab.plot_scaling bench.json [more.json ...] [--out FILE.png]``

The points are the `scaling` series of each file (the full model, 1 Numba thread);
later files override earlier ones at the same n (e.g. a `--huge` run adding 10**7).
CPU time is drawn next to wall time because the machine may be shared (wall time then
includes waiting for a core). A dotted line of slope 1 through the 10**5 point shows
what linear growth looks like.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np


def load_points(paths: list[Path]) -> dict[int, dict]:
    """Read the ``scaling`` points of bench JSON files, by n (later files win)."""
    points: dict[int, dict] = {}
    for path in paths:
        results = json.loads(path.read_text())
        for point in results["scaling"]:
            points[point["n"]] = {**point, "steps": results["plan"]["steps"]}
    return dict(sorted(points.items()))


def plot(points: dict[int, dict], out: Path) -> None:
    """Draw time and peak memory against n, log-log, into ``out``."""
    n = np.array(list(points), dtype=float)
    wall = np.array([p["seconds"] for p in points.values()])
    cpu = np.array([p["cpu_seconds"] for p in points.values()])
    run = np.array([p["run_cpu_seconds"] for p in points.values()])
    peak = np.array([p["peak_rss_gb"] for p in points.values()])
    estimate = np.array([p["estimate_gb"] for p in points.values()])
    steps = {p["steps"] for p in points.values()}
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4.0), layout="constrained")
    left.loglog(n, wall, "o-", label="wall time, graph and set-up included")
    left.loglog(n, cpu, "^-", label="CPU time, graph and set-up included")
    left.loglog(n, run, "s-", label=f"CPU time of the {'/'.join(map(str, steps))} steps")
    anchor = int(np.argmin(np.abs(np.log10(n) - 5)))
    left.loglog(n, run[anchor] * n / n[anchor], ":", color="grey", label="slope 1 (linear)")
    left.set(xlabel="consumers n (Barabási–Albert, m = 5)", ylabel="seconds",
             title="Full model, 5 firms, 3 institutions, 1 thread")  # fmt: skip
    left.legend(fontsize=8)
    right.loglog(n, peak, "o-", color="C2", label="peak resident memory")
    right.loglog(n, estimate, "x--", color="C3", label="estimate, checked before building")
    right.loglog(n, peak[-1] * n / n[-1], ":", color="grey", label="slope 1")
    right.set(xlabel="consumers n", ylabel="GB", title="Peak memory (interpreter included)")
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)


def main() -> None:
    """Parse the options, plot, say where the figure went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/images/scaling.png"))
    args = parser.parse_args()
    plot(load_points(args.results), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
