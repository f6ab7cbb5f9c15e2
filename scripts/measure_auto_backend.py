"""Time the baseline scenario on both backends to place ``backend: auto``'s threshold.

Usage: python scripts/measure_auto_backend.py [--sizes 100,300,1000,3000,10000]
[--steps 104] [--repeats 3] [--threads 1,2] [--scenario scenarios/baseline.yaml]

With a warm Numba cache (every kernel is compiled or loaded before the first timing),
for each number of consumers ``n`` it builds the scenario with ``graph.n = n`` and runs
``--steps`` steps, once per repeat on NumPy and on Numba with each of ``--threads``
threads, the configurations taking turns (their order rotating from repeat to
repeat), so a change in the machine's load hits all of them. Prints a Markdown table
of the median seconds (set-up and steps) and NumPy's time over Numba's, and the
seconds a fresh process takes to load every kernel from the warm cache (paid once
per process, e.g. once per ``swarmsim run``: add it to the Numba column to compare
single runs). ``swarmsim.kernels.backend.AUTO_NUMBA_CONSUMERS`` is the smallest size
from which Numba wins.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from numba import config, set_num_threads
from swarmsim.kernels.warmup import warm_up

from swarmsim.model import SwarmModel


def one_run(scenario: str, n: int, steps: int, config_: tuple[str, int]) -> float:
    """Seconds to build and step the scenario with ``n`` consumers on ``(backend, threads)``."""
    backend, threads = config_
    if threads:
        set_num_threads(threads)
    start = time.perf_counter()
    model = SwarmModel.from_scenario(
        scenario, overrides={"graph.n": n, "backend": backend, "steps": steps}
    )
    model.run(steps)
    return time.perf_counter() - start


LOAD = (
    "import time, swarmsim.model; from swarmsim.kernels.warmup import warm_up; "
    "t = time.perf_counter(); warm_up(); print(time.perf_counter() - t)"
)


def load_seconds(repeats: int) -> float:
    """Median seconds a fresh process takes to load every kernel from the warm cache."""
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(repeats)
    )  # fmt: skip


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,3000,10000")
    parser.add_argument("--steps", type=int, default=104)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", default=f"1,{config.NUMBA_NUM_THREADS}")
    parser.add_argument("--scenario", default="scenarios/baseline.yaml")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    threads = sorted({int(k) for k in args.threads.split(",")})
    configs = [("numpy", 0), *(("numba", k) for k in threads)]
    warm_up()
    for config_ in configs:  # graph generators and any kernel warm_up misses
        one_run(args.scenario, 50, 2, config_)
    seconds: dict[tuple[int, tuple[str, int]], list[float]] = {}
    for n in sizes:
        for r in range(args.repeats):
            shift = r % len(configs)
            for config_ in configs[shift:] + configs[:shift]:
                seconds.setdefault((n, config_), []).append(
                    one_run(args.scenario, n, args.steps, config_)
                )
    print(f"{args.steps} steps of {args.scenario}, set-up included, medians of {args.repeats}")
    numba_configs = configs[1:]
    print(
        "| consumers | NumPy s | "
        + " | ".join(f"Numba {k} thr. s | NumPy / Numba {k}" for _, k in numba_configs)
        + " |"
    )
    print("|---:|---:|" + "---:|---:|" * len(numba_configs))
    for n in sizes:
        numpy_s = statistics.median(seconds[n, configs[0]])
        cells = []
        for config_ in numba_configs:
            numba_s = statistics.median(seconds[n, config_])
            cells.append(f"{numba_s:.2f} | {numpy_s / numba_s:.1f}×")
        print(f"| {n:,} | {numpy_s:.2f} | " + " | ".join(cells) + " |")
    print(f"loading every kernel from the warm cache: {load_seconds(args.repeats):.2f} s")


if __name__ == "__main__":
    main()
