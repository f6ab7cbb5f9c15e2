"""Command-line commands of the viz package: ``swarmsim app`` and ``swarmsim plot``.

They are registered on the ``swarmsim`` group in :mod:`swarmsim.cli`. Heavy imports
(Solara, Mesa's visualization, matplotlib) happen inside the commands, so the rest of
the CLI starts quickly and works without the ``viz`` extra.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from swarmsim.errors import DISTRIBUTION, SwarmsimError

__all__ = ["app_command", "plot"]

VIZ_MODULES = ("solara", "altair", "ipyvuetify")
"""Modules of the ``viz`` extra that ``swarmsim app`` needs."""


@click.command(name="app")
@click.argument("scenario", required=False, type=click.Path(path_type=str, dir_okay=False))
@click.option("--seed", type=int, help="random seed (overrides the file)")
@click.option(
    "--set",
    "set_",
    multiple=True,
    metavar="PATH=VALUE",
    help="override a field, e.g. graph.n=500 (repeatable)",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="TCP port"
)
def app_command(
    scenario: str | None, seed: int | None, set_: tuple[str, ...], host: str, port: int
) -> None:
    """Serve the interactive app for SCENARIO (default: a 1,000-consumer demo) in the browser.

    SCENARIO is a YAML file or the name of a shipped scenario, e.g. baseline.

    Runs `solara run` on swarmsim.viz.app and prints the address to open. Sliders,
    Step / Play / Reset, live charts and, up to 2,000 consumers, the network view.
    """
    from swarmsim.catalog import resolve
    from swarmsim.scenario import parse_sets

    missing = [name for name in VIZ_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise SwarmsimError(
            f"swarmsim app: {', '.join(missing)} not installed; "
            f"install the viz extra: pip install '{DISTRIBUTION}[viz]'"
        )
    scenario = None if scenario is None else resolve(scenario)
    overrides = parse_sets(list(set_))
    if seed is not None:
        overrides["seed"] = seed
    from swarmsim.viz.app import serve

    serve(scenario, overrides=overrides, host=host, port=port)


@click.command()
@click.argument("results_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="folder for the figures [default: RESULTS_DIR]",
)
def plot(results_dir: Path, out_dir: Path | None) -> None:
    """Regenerate the figures of a run from its Parquet files.

    Writes summary.png (market share, boycott share, mean opinion and profit per
    firm) and cascades.png (size distribution of the boycott waves).
    """
    from swarmsim.results import load_results
    from swarmsim.viz.plots import write_run_figures

    for path in write_run_figures(load_results(results_dir), out_dir or results_dir):
        click.echo(f"wrote {path}")
