"""Command line: ``swarmsim sweep | collect | plot-sweep`` (registered in swarmsim.cli).

Exit codes as for ``swarmsim run``: 0 all runs finished, 1 some runs failed (or are
missing), 2 bad input (one line naming the file, the field and the expectation) or the
``sweeps`` extra is missing (one line saying what to install).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from swarmsim.errors import require_extra
from swarmsim.results import folder_name
from swarmsim.runs import interrupt_on_signals

EXIT_OK, EXIT_FAILED = 0, 1
SWEEPS_EXTRA = ("dask", "distributed", "dask_jobqueue", "SALib")
"""Modules of the ``sweeps`` extra; without them ``swarmsim sweep`` says what to install
(exit 2). ``collect`` and ``plot-sweep`` need only SALib, and only for Sobol indices."""
SHOW_FAILED = 20
"""Failed runs listed at the end of a sweep (all are in the folder's failures/)."""

err = Console(stderr=True, emoji=False, markup=False)  # user text (file names) is printed as it is
out = Console(width=None if sys.stdout.isatty() else 120, emoji=False, markup=False)
FOLDER = click.Path(path_type=Path, file_okay=False)


@click.command()
@click.argument("sweep_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out_dir", type=FOLDER, help="sweep folder [default: results/<name>]")
@click.option("--scheduler", metavar="ADDRESS", help="use a running Dask scheduler")
@click.option(
    "--cluster",
    type=click.Choice(["slurm", "pbs"]),
    help="start a dask-jobqueue cluster (settings: the file's cluster section)",
)
@click.option("--resume", is_flag=True, help="require that --out already holds this sweep")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="local worker processes [default: cores], or fixed SLURM/PBS workers",
)
def sweep(
    sweep_file: Path,
    out_dir: Path | None,
    scheduler: str | None,
    cluster: str | None,
    resume: bool,
    workers: int | None,
) -> int:
    """Run the sweep SWEEP_FILE on Dask; finished runs are skipped, so rerunning resumes.

    Needs the sweeps extra (Dask, distributed, dask-jobqueue, SALib).
    """
    require_extra("swarmsim sweep", "sweeps", *SWEEPS_EXTRA)
    from swarmsim.sweeps.design import ClusterSpec, load_sweep
    from swarmsim.sweeps.runner import run_sweep

    if scheduler and (cluster or workers):
        raise click.UsageError("--scheduler cannot be combined with --cluster or --workers")
    plan = load_sweep(sweep_file)
    target = out_dir if out_dir is not None else Path("results") / folder_name(plan.spec.name)
    jobs = None
    if cluster is not None:
        section = plan.spec.cluster
        jobs = (
            section.model_copy(update={"kind": cluster}) if section else ClusterSpec(kind=cluster)
        )
    def what_is_kept(name: str) -> str:
        return (f"interrupted by {name}: the finished runs are kept in {target}/; run the "
                "same command again to resume")  # fmt: skip

    with interrupt_on_signals(what_is_kept):
        report = run_sweep(
            plan, target, scheduler=scheduler, cluster=jobs, workers=workers, resume=resume,
            console=err,
        )  # fmt: skip
    out.print(
        f"sweep {plan.spec.name}: {report.total} runs: {report.skipped} already done, "
        f"{report.executed} run now, {len(report.failed)} failed ({report.seconds:.1f} s)",
        highlight=False,
    )
    return _finish(target, report.collected)


@click.command()
@click.argument("sweep_dir", type=FOLDER)
def collect(sweep_dir: Path) -> int:
    """Gather the finished runs of SWEEP_DIR into runs.parquet (and series.parquet)."""
    from swarmsim.sweeps.store import collect as collect_runs

    return _finish(sweep_dir, collect_runs(sweep_dir))


def _finish(root: Path, collected) -> int:
    """Write the analysis tables, report them and the failed/missing runs; exit code."""
    from swarmsim.sweeps.analysis import write_sobol_table

    written = [f"runs.parquet ({len(collected.runs)} rows)"]
    if collected.series is not None:
        written.append(f"series.parquet ({len(collected.series)} rows)")
    if write_sobol_table(root, collected.runs) is not None:
        written.append("sobol.parquet (S1, ST with 95% intervals per output)")
    out.print(f"wrote {root}/: {', '.join(written)}", highlight=False, soft_wrap=True)
    for record in collected.failed[:SHOW_FAILED]:
        out.print(_failure_line(record), markup=False, highlight=False, soft_wrap=True)
    if len(collected.failed) > SHOW_FAILED:
        out.print(f"... and {len(collected.failed) - SHOW_FAILED} more", highlight=False)
    if collected.failed:
        out.print(
            f"{len(collected.failed)} runs failed; errors and tracebacks: {root}/failures/",
            highlight=False,
        )
    if collected.missing:
        out.print(
            f"{len(collected.missing)} runs not run yet; rerun the sweep to finish them",
            highlight=False,
        )
    return EXIT_FAILED if collected.failed or collected.missing else EXIT_OK


def _failure_line(record: dict[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in record["params"].items())
    first = record["error"].splitlines()[0] if record["error"] else "unknown error"
    return (
        f"failed: {record['run_id']} (point {record['point']}, replicate "
        f"{record['replicate']}, seed {record['seed']}; {params}): {first}"
    )


@click.command("plot-sweep")
@click.argument("sweep_dir", type=FOLDER)
@click.option("--metric", required=True, help="output column, e.g. 'final_market_share[Candor]'")
@click.option("--x", "x", help="parameter on the x axis (dotted path); omit for Sobol indices")
@click.option("--y", "y", help="second parameter: heatmap, or one line per value (--lines)")
@click.option("--lines", is_flag=True, help="with --y: one line per y value instead of a heatmap")
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PNG file [default: SWEEP_DIR/plots/<metric>-<x>[-<y>].png]",
)
def plot_sweep(
    sweep_dir: Path, metric: str, x: str | None, y: str | None, lines: bool, out_file: Path | None
) -> None:
    """Plot an output of SWEEP_DIR over one or two parameters, or its Sobol indices."""
    from swarmsim.sweeps.analysis import load_runs, sweep_figure
    from swarmsim.viz.plots import save_figure

    runs, manifest = load_runs(sweep_dir)
    figure = sweep_figure(runs, manifest, metric=metric, x=x, y=y, lines=lines)
    name = "-".join(part for part in (metric, x or "sobol", y) if part)
    target = out_file or sweep_dir / "plots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    save_figure(figure, target)
    out.print(f"wrote {target}", highlight=False, soft_wrap=True)
