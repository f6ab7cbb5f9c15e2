"""The scenarios shipped with swarmsim, found by name: ``swarmsim run baseline``.

The repository's ``scenarios/`` folder is their source of truth; a wheel installs the
same files as the data package ``swarmsim._scenarios`` (see ``setup.py``). In a source
checkout that is not installed (``PYTHONPATH=src``) the checkout's ``scenarios/`` is
used. ``scenarios/validation/`` holds the special cases of ``swarmsim check-model``.

A command-line argument names a scenario file if such a path exists; otherwise a bare
name (``baseline``, or ``baseline.yaml``) is looked up among the shipped scenarios.

Examples
--------
>>> from swarmsim.catalog import resolve, shipped_names
>>> "baseline" in shipped_names()
True
>>> resolve("baseline").name
'baseline.yaml'
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from swarmsim.errors import ScenarioError, SwarmsimError

__all__ = [
    "describe", "resolve", "shipped", "shipped_folder", "shipped_names", "validation_folder",
]  # fmt: skip

DATA_PACKAGE = "swarmsim._scenarios"
"""Where an installed swarmsim keeps the shipped scenarios."""

SUFFIXES = (".yaml", ".yml")


def shipped_folder() -> Path:
    """Return the folder of the shipped scenarios (installed data, else the checkout's).

    Raises
    ------
    SwarmsimError
        If neither exists (a broken installation).
    """
    try:
        spec = importlib.util.find_spec(DATA_PACKAGE)
    except (ImportError, ValueError):
        spec = None
    candidates = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    candidates.append(Path(__file__).resolve().parents[2] / "scenarios")  # a checkout
    for folder in candidates:
        if (folder / "baseline.yaml").is_file():
            return folder
    raise SwarmsimError(
        f"the shipped scenarios are missing (looked in {', '.join(map(str, candidates))}); "
        "reinstall swarmsim"
    )


def validation_folder() -> Path:
    """Return the folder of ``swarmsim check-model``'s scenarios (``validation/``)."""
    return shipped_folder() / "validation"


def shipped_names() -> list[str]:
    """Return the names of the shipped scenarios, sorted (``baseline``, ...)."""
    folder = shipped_folder()
    return sorted({p.stem for suffix in SUFFIXES for p in folder.glob(f"*{suffix}")})


def shipped(name: str) -> Path | None:
    """Return the file of the shipped scenario ``name`` (``.yaml`` optional), else None."""
    if "/" in name or "\\" in name:
        return None
    stem = Path(name).stem if Path(name).suffix in SUFFIXES else name
    if stem not in shipped_names():
        return None
    folder = shipped_folder()
    return next(folder / (stem + s) for s in SUFFIXES if (folder / (stem + s)).is_file())


def describe(path: Path) -> str:
    """Return the first line of a scenario file's opening comment (its one-line summary)."""
    with path.open(encoding="utf-8") as handle:
        first = handle.readline().strip()
    return first.lstrip("#").strip() if first.startswith("#") else ""


def resolve(scenario: str | Path) -> Path:
    """Return the scenario file that a command-line argument names.

    An existing path, or any argument with a folder in it, is that path. Otherwise a
    bare name (``.yaml`` optional) is a shipped scenario.

    Raises
    ------
    ScenarioError
        Neither a file nor a shipped name; the message lists the shipped names.
    """
    path = Path(scenario)
    text = str(scenario)
    if path.exists() or "/" in text or "\\" in text:
        return path  # a missing path is reported by whoever reads it
    found = shipped(text)
    if found is not None:
        return found
    raise ScenarioError(
        text,
        "",
        f"no such file, and no shipped scenario of that name (shipped: "
        f"{', '.join(shipped_names())}; `swarmsim scenarios` describes them)",
    )
