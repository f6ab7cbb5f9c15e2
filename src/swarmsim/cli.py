"""The `swarmsim` command line: one click group, thin commands, documented exit codes.

Commands: ``run | validate | scenarios | schema | warmup | sweep | collect | plot-sweep |
app | plot | bench | params | check-model``.

``swarmsim --help`` lists them; each command's ``--help`` shows its options. A
SCENARIO is a file, or the name of a shipped scenario (``swarmsim scenarios``).

Exit codes: 0 ok, 1 the run failed, 2 bad input (scenario, options, output folder) or
a missing optional extra, 130 and 143 a run stopped by Ctrl-C or SIGTERM. Bad input
gives one line on standard error and writes nothing.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from swarmsim._version import __version__
from swarmsim.catalog import resolve as resolve_scenario
from swarmsim.docs import params as params_command
from swarmsim.errors import ScenarioError, SwarmsimError
from swarmsim.lab.bench import bench as bench_command
from swarmsim.results import folder_name
from swarmsim.runs import Interrupted
from swarmsim.scenario import parse_sets
from swarmsim.sweeps import commands as sweep_commands
from swarmsim.validation.runner import check_model as check_model_command
from swarmsim.viz import commands as viz_commands

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


@click.group(no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="swarmsim")
def app() -> None:
    """Organized consumer swarms versus firms: run, validate and describe scenarios."""


SCENARIO = click.Path(path_type=str, dir_okay=False)
"""A scenario file, or the name of a shipped one (:func:`swarmsim.catalog.resolve`)."""
err = Console(stderr=True, emoji=False, markup=False)  # user text (file names) is printed as it is
out = Console(width=None if sys.stdout.isatty() else 120, emoji=False, markup=False)


@app.command()
@click.argument("scenario", type=SCENARIO, required=False)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="results folder [default: results/<name>, the name's letters, digits, _ and -]",
)
@click.option("--seed", type=int, help="random seed (overrides the file)")
@click.option("--steps", type=int, help="steps to run (overrides the file)")
@click.option(
    "--set",
    "set_",
    multiple=True,
    metavar="PATH=VALUE",
    help="override a field, e.g. firms.0.price=1.2 (repeatable)",
)
@click.option("--overwrite", is_flag=True, help="replace a non-empty results folder")
@click.option("--plot/--no-plot", default=True, help="write summary.png")
@click.option(
    "--consumers", "consumers", metavar="every=K",
    help="also write every consumer's state every K steps (consumers/, traits.parquet)",
)  # fmt: skip
@click.option("--graph", "graph", is_flag=True, help="also write the edge list (graph.parquet)")
@click.option(
    "--checkpoint-every", type=click.IntRange(1), metavar="K",
    help="save the whole model every K steps in OUT.partial/, so that --resume can continue",
)  # fmt: skip
@click.option(
    "--resume", type=click.Path(path_type=Path), metavar="DIR",
    help="continue the checkpointed run that was writing DIR (no SCENARIO needed)",
)  # fmt: skip
def run(
    scenario: str | None,
    out_dir: Path | None,
    seed: int | None,
    steps: int | None,
    set_: tuple[str, ...],
    overwrite: bool,
    plot: bool,
    consumers: str | None,
    graph: bool,
    checkpoint_every: int | None,
    resume: Path | None,
) -> None:
    """Run SCENARIO; write timeseries.parquet, institutions.parquet, manifest.json, summary.png.

    SCENARIO is a YAML file or the name of a shipped scenario, e.g. baseline.
    Example: swarmsim run baseline --consumers every=10 --checkpoint-every 20
    """
    from swarmsim.runs import RunOptions, resume_run, start_run
    from swarmsim.scenario import load_scenario

    clock = time.perf_counter()
    if resume is not None:
        changed = [name for name, value in (
            ("SCENARIO", scenario), ("--out", out_dir), ("--seed", seed), ("--steps", steps),
            ("--set", set_), ("--consumers", consumers), ("--graph", graph),
            ("--checkpoint-every", checkpoint_every), ("--overwrite", overwrite),
        ) if value]  # fmt: skip
        if changed:
            raise ScenarioError("run", "--resume", f"continues the run as it was started; "
                                f"drop {', '.join(changed)}")  # fmt: skip
        with _step_progress(f"resume {resume}") as progress:
            model = resume_run(resume, on_model=progress.on_model, on_step=progress.on_step)
        _print_summary(model, resume, time.perf_counter() - clock)
        return
    if scenario is None:
        raise ScenarioError("run", "SCENARIO", "give a scenario file or name, or --resume DIR")
    scenario = resolve_scenario(scenario)
    overrides = parse_sets(list(set_))
    overrides.update({k: v for k, v in (("seed", seed), ("steps", steps)) if v is not None})
    if consumers is not None:
        overrides["output.consumers_every"] = _every(consumers)
    if graph:
        overrides["output.graph"] = True
    spec = load_scenario(scenario, overrides=overrides)
    target = out_dir if out_dir is not None else Path("results") / folder_name(spec.name)
    options = RunOptions(target, overwrite, plot, checkpoint_every)
    with _step_progress(spec.name) as progress:
        model = start_run(
            spec, str(scenario), options, on_model=progress.on_model, on_step=progress.on_step
        )
    _print_summary(model, target, time.perf_counter() - clock)


def _every(text: str) -> int:
    """Parse ``every=K`` (K >= 1) of ``--consumers``."""
    key, _, value = text.partition("=")
    if key.strip() != "every" or not value.strip().isdigit() or int(value) < 1:
        raise ScenarioError("run", "--consumers", f"expected every=K with K >= 1, got {text!r}")
    return int(value)


@app.command()
@click.argument("first", type=SCENARIO)
@click.argument("second", type=SCENARIO, required=False)
@click.option(
    "--set-b", "set_b", multiple=True, metavar="PATH=VALUE",
    help="B is SECOND (or FIRST) with this override, e.g. an events list (repeatable)",
)
@click.option("--seeds", type=click.IntRange(2, 100_000), default=30, show_default=True,
              help="seeds to pair, from FIRST's seed on")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="folder for runs.parquet, differences.parquet, manifest.json")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="processes [default: the number of cores]")
@click.option("--independent", is_flag=True,
              help="run B on other seeds instead (to see what pairing saves)")
@click.option("--overwrite", is_flag=True, help="replace a non-empty output folder")
def compare(
    first: str,
    second: str | None,
    set_b: tuple[str, ...],
    seeds: int,
    out_dir: Path | None,
    workers: int | None,
    independent: bool,
    overwrite: bool,
) -> None:
    r"""Compare scenario B with A on the same seeds: paired differences with 95 % intervals.

    \b
    Examples:
      swarmsim compare baseline.yaml regulated.yaml --seeds 30
      swarmsim compare baseline.yaml --set-b consumers.information_parity=0.9
    """
    from swarmsim.compare import compare as run_pairs
    from swarmsim.compare import paired_differences
    from swarmsim.results import staged_folder, write_json
    from swarmsim.scenario import load_scenario

    if second is None and not set_b:
        raise ScenarioError("compare", "SECOND", "give a second scenario or --set-b overrides")
    first = resolve_scenario(first)
    second = resolve_scenario(second) if second is not None else None
    spec_a = load_scenario(first)
    spec_b = load_scenario(second or first, overrides=parse_sets(list(set_b)))
    if out_dir is not None:
        from swarmsim.results import check_output_dir

        check_output_dir(out_dir, overwrite=overwrite)
    pairs = list(range(spec_a.seed, spec_a.seed + seeds))
    with Progress(TextColumn("compare"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("runs", total=2 * seeds)
        runs = run_pairs(
            spec_a.to_dict(), spec_b.to_dict(), pairs, workers=workers or os.cpu_count() or 1,
            independent=independent, progress=lambda done, _: bar.update(task, completed=done),
        )  # fmt: skip
    table = paired_differences(runs)
    if out_dir is not None:
        with staged_folder(out_dir, overwrite=overwrite) as tmp:
            runs.to_parquet(tmp / "runs.parquet", index=False)
            table.to_parquet(tmp / "differences.parquet", index=False)
            write_json({"first": str(first), "second": str(second or first),
                        "set_b": list(set_b), "seeds": pairs, "independent": independent,
                        "scenario_a": spec_a.to_dict(), "scenario_b": spec_b.to_dict(),
                        "command": sys.argv, "swarmsim_version": __version__},
                       tmp / "manifest.json")  # fmt: skip
    _print_differences(table, seeds, independent)


def _print_differences(table, seeds: int, independent: bool) -> None:
    how = "independent seeds" if independent else "common random numbers"
    rows = Table(title=f"B − A over {seeds} seeds ({how}), 95 % interval")
    for name in ("firm", "outcome", "A", "B", "B − A", "95 % interval"):
        rows.add_column(name, justify="left" if name in ("firm", "outcome") else "right")
    for row in table.itertuples():
        rows.add_row(
            row.firm, row.outcome, f"{row.mean_a:,.3f}", f"{row.mean_b:,.3f}",
            f"{row.difference:+,.3f}", f"[{row.low:+,.3f}, {row.high:+,.3f}]",
        )  # fmt: skip
    out.print(rows)


class _StepProgress:
    """A progress bar of a run's steps (ETA) that is silent off a terminal.

    ``on_model(model)`` sets its span once the model exists (a resumed run starts at
    its checkpoint's step) and warms the compiled kernels if the model uses them;
    ``on_step(t)`` moves it to step t.
    """

    def __init__(self, bar: Progress, name: str):
        self.bar, self.task = bar, bar.add_task(name, total=None)

    def on_model(self, model) -> None:
        from swarmsim.phases.warmup import compile_notice, warm_up

        if model.backend == "numba":
            with compile_notice(err.file):
                warm_up()
        self.bar.update(self.task, total=model.spec.steps, completed=int(model.steps))

    def on_step(self, t: int) -> None:
        self.bar.update(self.task, completed=t)


@contextmanager
def _step_progress(name: str) -> Iterator[_StepProgress]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as bar:
        yield _StepProgress(bar, name)


def _print_summary(model, target: Path, wall: float) -> None:
    table = Table(title=f"{model.spec.name}: step {model.steps}", title_justify="left")
    for column in ("firm", "strategy", "market share", "boycott share", "mean opinion", "profit"):
        table.add_column(column, justify="left" if column in ("firm", "strategy") else "right")
    for firm in model.firms:
        table.add_row(
            firm.name,
            firm.strategy,
            f"{firm.market_share:.1%}",
            f"{firm.boycott_share:.1%}",
            f"{firm.mean_opinion:+.2f}",
            f"{firm.profit:,.1f}",
        )
    out.print(table)
    out.print(f"wrote {target}/ in {wall:.1f} s ({model.graph.n:,} consumers)")


@app.command()
@click.argument("scenario", type=SCENARIO)
def validate(scenario: str) -> None:
    """Check a scenario file (or shipped name); print a one-line description when it is valid.

    It checks what ``run`` checks before the first step: the file, the memory the run
    needs, and a graph file's contents (read in full).
    """
    from swarmsim import memory
    from swarmsim.graphs import build_graph
    from swarmsim.scenario import load_scenario

    scenario = resolve_scenario(scenario)
    spec = load_scenario(scenario)
    memory.check_fits(spec, source=str(scenario))
    if getattr(spec.graph, "path", None) is not None:
        build_graph(spec.graph, seed=spec.seed)
    out.print(
        f"ok: {scenario}: {spec.name!r}, graph {spec.graph.kind}, {len(spec.firms)} firms, "
        f"{len(spec.institutions)} institutions, {spec.steps} steps"
    )


@app.command()
def scenarios() -> None:
    """List the shipped scenarios: name and what each shows (run one: swarmsim run NAME)."""
    from swarmsim.catalog import describe, shipped, shipped_folder, shipped_names

    folder = shipped_folder()
    names = shipped_names()
    width = max(map(len, names))
    for name in names:
        click.echo(f"{name:<{width}}  {describe(shipped(name))}")
    click.echo(f"(in {folder}; check-model's special cases are in {folder / 'validation'})")


@app.command()
def warmup() -> None:
    """Compile every Numba kernel now (about 30 s once per machine and install)."""
    import numba

    from swarmsim.phases.warmup import SLOW_SECONDS, cache_is_cold, compile_notice, warm_up

    if numba.config.DISABLE_JIT:
        click.echo("nothing to compile: NUMBA_DISABLE_JIT is set")
        return
    cold = cache_is_cold()
    clock = time.perf_counter()
    with compile_notice(err.file):
        warm_up()
    seconds = time.perf_counter() - clock
    if cold or seconds > SLOW_SECONDS:
        state = "compiled; later runs load them from the cache"
    else:
        state = "already compiled; loaded from the cache"
    click.echo(f"kernels ready ({state}, {seconds:.1f} s)")


@app.command()
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="write to this file instead of stdout",
)
@click.option("--sweep", is_flag=True, help="the schema of sweep files instead")
def schema(out_file: Path | None, sweep: bool) -> None:
    """Print the JSON Schema of scenario files (for editors and validators)."""
    from swarmsim.scenario import scenario_json_schema
    from swarmsim.sweeps.design import sweep_json_schema

    text = json.dumps(sweep_json_schema() if sweep else scenario_json_schema(), indent=2) + "\n"
    if out_file is None:
        sys.stdout.write(text)
        return
    try:
        out_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SwarmsimError(f"{out_file}: cannot write ({exc.strerror})") from None


for _command in (sweep_commands.sweep, sweep_commands.collect, sweep_commands.plot_sweep):
    app.add_command(_command)
for _command in (viz_commands.app_command, viz_commands.plot):
    app.add_command(_command)
app.add_command(bench_command)
app.add_command(params_command)
app.add_command(check_model_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map errors to one line and an exit code."""
    try:
        result = app.main(args=argv, prog_name="swarmsim", standalone_mode=False)
    except SwarmsimError as exc:
        err.print(f"swarmsim: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    except click.exceptions.NoArgsIsHelpError as exc:
        err.print(exc.ctx.get_help() if exc.ctx else str(exc), markup=False, highlight=False)
        return EXIT_BAD_INPUT
    except click.ClickException as exc:
        err.print(f"swarmsim: error: {exc.format_message()}", markup=False, highlight=False,
                  soft_wrap=True)  # fmt: skip
        return EXIT_BAD_INPUT
    except Interrupted as exc:
        err.print(f"swarmsim: {exc}", markup=False, highlight=False, soft_wrap=True)
        return exc.code
    except click.exceptions.Abort:
        err.print("swarmsim: interrupted; no results were written", markup=False)
        return 130
    except Exception as exc:
        err.print(f"swarmsim: run failed: {type(exc).__name__}: {exc}", markup=False,
                  highlight=False, soft_wrap=True)  # fmt: skip
        if os.environ.get("SWARMSIM_DEBUG"):
            traceback.print_exc()
        else:
            err.print("(set SWARMSIM_DEBUG=1 for the traceback)", markup=False)
        return EXIT_FAILED
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
