"""Sweep benchmarks: Dask speed-up over one process, and what common random numbers buy.

.. code-block:: sh

    python -m swarmsim.lab.sweeps speedup experiments/benchmark_200_runs.yaml --workers 2
    python -m swarmsim.lab.sweeps crn experiments/crn_parity.yaml --metric 'x[F]'

Both print a small table; docs/sweeps.md reports the results.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import click
import pandas as pd
from rich.console import Console

from swarmsim.sweeps.analysis import paired_differences
from swarmsim.sweeps.design import Sweep, load_sweep
from swarmsim.sweeps.runner import RunTask, WarmUp, execute_run, open_client, run_sweep

QUIET = Console(quiet=True)


def time_sequential(sweep: Sweep, folder: Path) -> float:
    """Seconds to execute every run one after another in this process.

    One extra run in a scratch folder first pays the one-off import and compile costs,
    as the worker plugin does for Dask workers.
    """
    series = sweep.spec.outputs.series
    execute_run(RunTask(sweep.runs[0], str(folder / "warm-up"), series, "warm-up"))
    start = time.perf_counter()
    for run in sweep.runs:
        execute_run(RunTask(run, str(folder / "sequential"), series, "sequential"))
    return time.perf_counter() - start


@dataclass(frozen=True)
class DaskTiming:
    """A timed sweep on a LocalCluster.

    Attributes
    ----------
    seconds : float
        Wall time from submitting the first run to the collected table, warm workers.
    total_seconds : float
        Including starting the cluster and warming the workers.
    run_seconds : float
        Sum of the runs' own wall times (measured inside the workers).
    driver_cpu_seconds : float
        CPU time of this process (scheduler, client, store bookkeeping) during the sweep.
    """

    seconds: float
    total_seconds: float
    run_seconds: float
    driver_cpu_seconds: float


def time_dask(sweep: Sweep, folder: Path, workers: int) -> DaskTiming:
    """Time the sweep on a LocalCluster of ``workers`` single-threaded processes."""
    start = time.perf_counter()
    with open_client(workers=workers) as client:
        client.wait_for_workers(workers)
        client.register_plugin(WarmUp(), name=WarmUp.name)
        ready, cpu = time.perf_counter(), time.process_time()
        report = run_sweep(sweep, folder / "dask", client=client, console=QUIET)
        done, cpu = time.perf_counter(), time.process_time() - cpu
    runs = float(report.collected.executions["wall_seconds"].sum())
    return DaskTiming(done - ready, done - start, runs, cpu)


@click.group()
def cli() -> None:
    """Sweep benchmarks."""


@cli.command()
@click.argument("sweep_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option(
    "--repeats",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="alternate both timings this often and keep the fastest of each (shared machines)",
)
def speedup(sweep_file: Path, workers: int, repeats: int) -> None:
    """Time SWEEP_FILE sequentially in one process and on a LocalCluster."""
    sweep = load_sweep(sweep_file)
    timings = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="swarmsim-bench-") as tmp:
            timings.append(
                (time_sequential(sweep, Path(tmp)), time_dask(sweep, Path(tmp), workers))
            )
    sequential = min(t[0] for t in timings)
    dask = min((t[1] for t in timings), key=lambda d: d.seconds)
    n, per_run = len(sweep.runs), dask.run_seconds / len(sweep.runs)
    graph, steps = sweep.runs[0].scenario["graph"].get("n"), sweep.runs[0].scenario["steps"]
    print(f"{n} runs of {graph} consumers, {steps} steps; {workers} workers")
    print(f"sequential, one process  : {sequential:7.1f} s ({sequential / n:.3f} s/run)")
    print(
        f"Dask, warm workers       : {dask.seconds:7.1f} s ({per_run:.3f} s/run in a worker); "
        f"speed-up {sequential / dask.seconds:.2f}x, overhead "
        f"{1 - sequential / workers / dask.seconds:.1%}"
    )
    print(
        f"Dask, incl. cluster start: {dask.total_seconds:7.1f} s; "
        f"speed-up {sequential / dask.total_seconds:.2f}x"
    )
    print(
        f"workers busy {dask.run_seconds / workers / dask.seconds:.1%} of the time; "
        f"driver CPU {dask.driver_cpu_seconds / n * 1000:.1f} ms per run"
    )


@cli.command()
@click.argument("sweep_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--metric", "metrics", multiple=True, required=True, help="output column(s)")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
def crn(sweep_file: Path, metrics: tuple[str, ...], workers: int) -> None:
    """Variance of a paired difference with common vs independent seeds.

    SWEEP_FILE must sweep one parameter over two levels.
    """
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="swarmsim-crn-") as tmp,
        open_client(workers=workers) as client,
    ):
        for seeds in ("common", "independent"):
            sweep = load_sweep(sweep_file, overrides={"seeds": seeds})
            ((name, spec),) = sweep.spec.parameters.items()
            low, high = spec.values()
            report = run_sweep(sweep, Path(tmp) / seeds, client=client, console=QUIET)
            for metric in metrics:
                diff = paired_differences(report.collected.runs, name, low, high, metric)
                rows.append(
                    {
                        "metric": metric,
                        "seeds": seeds,
                        "pairs": len(diff),
                        "mean difference": diff.mean(),
                        "variance": diff.var(ddof=1),
                        "standard error": diff.std(ddof=1) / len(diff) ** 0.5,
                    }
                )
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    variance = table.pivot(index="metric", columns="seeds", values="variance")
    for metric, row in variance.iterrows():
        ratio = row["independent"] / row["common"]
        print(
            f"{metric}: common random numbers cut the variance of the paired difference by "
            f"{1 - 1 / ratio:.1%} (factor {ratio:.1f})"
        )


if __name__ == "__main__":
    cli()
