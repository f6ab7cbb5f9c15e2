"""Run the validation checks, print a pass/fail table, write one figure per check.

``swarmsim check-model`` is :func:`check_model`; :func:`run_checks` is the same from
Python. The full designs take about half an hour on two cores; ``--quick`` runs the
small designs of the test suite (about a minute).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import click
import numpy as np

from swarmsim.errors import OutputError, require_extra

if TYPE_CHECKING:
    from swarmsim.validation.common import CheckResult

__all__ = [
    "CHECKS",
    "check_model",
    "check_module",
    "results_table",
    "run_checks",
    "write_outputs",
]

CHECKS: dict[str, str] = {
    "threshold_exact": "threshold",
    "watts_cascade": "watts",
    "independent_cascade": "independent_cascade",
    "bass_diffusion": "bass",
    "logit_market": "logit",
}
"""Check name → module of :mod:`swarmsim.validation`, in the order they run. Modules
are imported when a check runs, so the command line starts fast."""


EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "independent_cascade": ("bench", ("cynetdiff",)),
}
"""Checks whose reference comes from an optional extra: name → (extra, modules)."""


def require_references(names: Sequence[str]) -> None:
    """Fail at once, naming the extra, if a check in ``names`` lacks its reference package."""
    for name in names:
        if name in EXTRAS:
            extra, modules = EXTRAS[name]
            others = ", ".join(n for n in CHECKS if n not in EXTRAS)
            require_extra(
                f"check-model's {name} check (its reference; or run only {others} with --only)",
                extra,
                *modules,
            )


def check_module(name: str) -> ModuleType:
    """Return the module of check ``name``.

    It has NAME, TITLE, SCENARIO, DESIGNS (``"quick"``, ``"full"``),
    ``run(design, *, seed, folder)`` and ``plot(result, path)``.
    """
    return importlib.import_module(f"swarmsim.validation.{CHECKS[name]}")


DEFAULT_OUT = Path("docs/validation")


def run_checks(
    *,
    quick: bool = False,
    seed: int = 0,
    only: Sequence[str] = (),
    folder: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[CheckResult]:
    """Run the checks named in ``only`` (default: all) and return their results.

    Parameters
    ----------
    quick : bool
        Small designs (seconds each) instead of the full ones.
    seed : int
        Base seed, >= 0; replicate seeds are hashed from it.
    only : sequence of str
        Names from :data:`CHECKS`; empty means all.
    folder : Path, optional
        Folder of the validation scenarios (default: ``scenarios/validation``).
    progress : callable, optional
        Called with each check's name before it runs.
    """
    design = "quick" if quick else "full"
    require_references([name for name in CHECKS if not only or name in only])
    results = []
    for name in CHECKS:
        if only and name not in only:
            continue
        if progress is not None:
            progress(name)
        module = check_module(name)
        result = module.run(module.DESIGNS[design], seed=seed, folder=folder)
        result.design = design
        results.append(result)
    return results


def results_table(results: Sequence[CheckResult]):
    """Return a rich Table with one row per metric: model, reference, rule, pass/fail."""
    from rich.table import Table

    table = Table(title="swarmsim check-model", title_justify="left")
    for column in ("check", "metric", "model", "reference", "rule", "result"):
        table.add_column(column, justify="right" if column in ("model", "reference") else "left")
    for result in results:
        for k, metric in enumerate(result.metrics):
            table.add_row(
                f"{result.name} ({result.seconds:.0f} s)" if k == 0 else "",
                metric.name,
                f"{metric.simulated:.4g}",
                f"{metric.expected:.4g}",
                metric.tolerance,
                "pass" if metric.passed else "FAIL",
                end_section=k == len(result.metrics) - 1,
            )
    return table


def write_outputs(results: Sequence[CheckResult], out: Path, *, seed: int) -> list[Path]:
    """Write ``<name>.png`` per check and ``summary.json`` (all metrics) into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        path = out / f"{result.name}.png"
        check_module(result.name).plot(result, path)
        written.append(path)
    summary = {
        "seed": seed,
        "checks": [
            {
                "name": r.name,
                "title": r.title,
                "design": r.design,
                "seconds": round(r.seconds, 1),
                "passed": r.passed,
                "metrics": [
                    {
                        "name": m.name,
                        "model": float(m.simulated),
                        "reference": float(m.expected),
                        "rule": m.tolerance,
                        "passed": bool(m.passed),
                    }
                    for m in r.metrics
                ],
            }
            for r in results
        ],
    }
    path = out / "summary.json"
    path.write_text(json.dumps(summary, indent=2, default=_plain) + "\n", encoding="utf-8")
    written.append(path)
    return written


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


@click.command("check-model")
@click.option("--quick", is_flag=True, help="small designs (about a minute) instead of the full")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"folder for one PNG per check and summary.json [default: {DEFAULT_OUT}; with "
    "--quick no figures unless --out is given]",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(list(CHECKS)),
    help="run only this check (repeatable)",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="base seed of the replicates")  # fmt: skip
@click.option(
    "--scenarios",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="folder of the validation scenarios [default: scenarios/validation]",
)
def check_model(
    quick: bool, out: Path | None, only: tuple[str, ...], seed: int, scenarios: Path | None
) -> int:
    """Check the model against known results; exit 0 only if every check passes.

    Watts' cascade window, the independent cascade, Bass diffusion, the exact threshold
    cascade and logit market shares, each by switching the full model into the special
    case with a scenario in scenarios/validation/ (see docs/validation.md).
    """
    from rich.console import Console

    from swarmsim.phases.warmup import cache_is_cold, compile_notice, warm_up

    console = Console(width=None if sys.stdout.isatty() else 160, emoji=False, markup=False)
    note = Console(stderr=True, emoji=False, markup=False)
    if out is None and not quick:
        out = DEFAULT_OUT
    if out is not None:
        _require_writable(out)
    require_references([name for name in CHECKS if not only or name in only])
    if cache_is_cold():  # say so before the first check sits silent while Numba compiles
        with compile_notice(note.file):
            warm_up()
    results = run_checks(
        quick=quick,
        seed=seed,
        only=only,
        folder=scenarios,
        progress=lambda name: note.print(f"running {name} …", highlight=False),
    )
    console.print(results_table(results))
    if out is not None:
        for path in write_outputs(results, out, seed=seed):
            console.print(f"wrote {path}", highlight=False)
    failed = [r.name for r in results if not r.passed]
    console.print(f"FAILED: {', '.join(failed)}" if failed else "all checks passed")
    return 1 if failed else 0


def _require_writable(out: Path) -> None:
    """Create the figure folder before the checks run, so a bad --out fails at once."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror})") from None
