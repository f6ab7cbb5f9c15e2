"""Run outputs: Parquet tables, manifest.json and summary.png, written atomically.

A results folder holds

- ``timeseries.parquet``: one row per step and firm (step 0 is the initial state);
- ``institutions.parquet``: one row per step, institution and watched firm;
- ``manifest.json``: the resolved scenario, seed, versions, platform and timings;
- ``summary.png``: market share, boycott share, mean opinion and profit per firm;
- with the scenario's ``output`` section (or ``swarmsim run --consumers every=K``,
  ``--graph``): ``consumers/``, ``traits.parquet`` and ``graph.parquet``
  (:mod:`swarmsim.consumer_output`).

Everything is first written to a hidden temporary folder beside the target and then
renamed into place, so an interrupted or failed run leaves no partial results.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from swarmsim.agents.firms import Firm
from swarmsim.agents.institutions import Institution
from swarmsim.consumer_output import step_file
from swarmsim.errors import OutputError

__all__ = [
    "Results", "check_output_dir", "clean_leftovers", "folder_name", "load_results",
    "process_alive", "write_results", "write_tables", "written_by_swarmsim",
]  # fmt: skip

TIMESERIES_COLUMNS = [
    "step", "firm", "firm_index", "strategy", "manipulation", "quality", "market_share",
    "boycott_share", "mean_opinion", "sales", "revenue", "cost", "profit", "ad_contacts",
    "misconduct", "exposed_share", "aware_share", "trust_in_firm", "messages", "boycott_joins",
    "boycott_leaves", "promoters", "saboteurs", "buycotters", "fines", "response",
    "response_cost",
]  # fmt: skip
INSTITUTION_COLUMNS = [
    "step", "institution", "kind", "firm", "members", "campaigning", "campaigns_started",
    "signatures", "level", "escalated", "fines", "endorsing", "sealed", "captured",
]  # fmt: skip
DEPENDENCIES = (
    "mesa", "numpy", "numba", "scipy", "networkx", "pandas", "pyarrow", "pydantic",
    "matplotlib", "pyyaml",
)  # fmt: skip


@dataclass(frozen=True)
class Results:
    """A loaded results folder.

    ``traits`` and ``edges`` are None when the run did not write them; the per-consumer
    table can be large, so it is read on demand by :meth:`consumers`.
    """

    timeseries: pd.DataFrame
    institutions: pd.DataFrame
    manifest: dict[str, Any]
    path: Path
    traits: pd.DataFrame | None = None
    edges: pd.DataFrame | None = None

    def consumers(
        self, steps: list[int] | None = None, columns: list[str] | None = None
    ) -> pd.DataFrame:
        """Read ``consumers/``: all recorded steps, or only ``steps``; all columns or ``columns``.

        Raises
        ------
        OutputError
            The run wrote no per-consumer output.
        """
        folder = self.path / "consumers"
        if not folder.is_dir():
            raise OutputError(
                f"{self.path}: no per-consumer output (run with --consumers every=K)"
            )
        files = sorted(folder.glob("step-*.parquet"))
        if steps is not None:
            files = [step_file(folder, t) for t in steps]
            missing = [p.name for p in files if not p.is_file()]
            if missing:
                raise OutputError(f"{folder}: steps not recorded: {', '.join(missing)}")
        return pd.concat(
            [pd.read_parquet(p, columns=columns) for p in files], ignore_index=True
        )


def timeseries_frame(model) -> pd.DataFrame:
    """Per step and firm, from the model's DataCollector (columns: TIMESERIES_COLUMNS)."""
    frame = model.datacollector.get_agenttype_vars_dataframe(Firm).reset_index()
    frame["step"] = frame["Step"].astype("int64")
    frame = frame[TIMESERIES_COLUMNS].sort_values(["step", "firm_index"], kind="stable")
    return frame.reset_index(drop=True)


def institutions_frame(model) -> pd.DataFrame:
    """Per step, institution and watched firm: campaign state (INSTITUTION_COLUMNS)."""
    firm_names = [firm.name for firm in model.firms]
    if not model.institutions:
        empty = {c: pd.Series(dtype=_INSTITUTION_DTYPES[c]) for c in INSTITUTION_COLUMNS}
        return pd.DataFrame(empty)
    raw = model.datacollector.get_agenttype_vars_dataframe(Institution).reset_index()
    watches = {inst.name: inst.watches for inst in model.institutions}
    rows = [
        (int(r.Step), r.institution, r.kind, firm, r.members, r.campaigning[f],
         r.campaigns_started[f], r.signatures[f], r.level[f], r.escalated[f], r.fines[f],
         r.endorsing[f], r.sealed[f], r.captured)
        for r in raw.itertuples(index=False)
        for f, firm in enumerate(firm_names)
        if watches[r.institution][f]
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=INSTITUTION_COLUMNS)
    return frame.astype(_INSTITUTION_DTYPES)


_INSTITUTION_DTYPES = {
    "step": "int64", "institution": "str", "kind": "str", "firm": "str", "members": "int64",
    "campaigning": "bool", "campaigns_started": "int64", "signatures": "int64",
    "level": "float64", "escalated": "bool", "fines": "float64", "endorsing": "bool",
    "sealed": "bool", "captured": "bool",
}  # fmt: skip


def manifest(
    model, *, source: str, wall_seconds: float, started: datetime, resumed_from: int | None = None
) -> dict[str, Any]:
    """Everything needed to reproduce and describe a run.

    ``resumed_from``: the step of the checkpoint a resumed run continued from (its
    ``started_utc`` and timings are then the resumed part's).
    """
    from swarmsim._version import __version__

    return {
        "swarmsim_version": __version__,
        "scenario_file": source,
        "scenario": model.spec.to_dict(),
        "seed": model.seed,
        "steps": int(model.steps),
        "consumers": int(model.graph.n),
        "edges": int(model.graph.n_edges),
        "roles": model.role_counts(),
        "backend": model.backend,
        "resumed_from_step": resumed_from,
        "started_utc": started.isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 4),
        "phase_seconds": {k: round(v, 4) for k, v in model.phase_seconds.items()},
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "command": sys.argv,
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_output_dir(out_dir: str | Path, *, overwrite: bool) -> Path:
    """Fail early (before running) if results cannot be written to ``out_dir``.

    The check creates and removes a probe folder in the nearest existing ancestor, so it
    leaves nothing behind.

    Raises
    ------
    OutputError
        The folder holds files and ``overwrite`` is false, or it holds files but is not
        a folder swarmsim wrote (:func:`written_by_swarmsim`); the path or an ancestor
        is a file, or the location is not writable.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: output path exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise OutputError(f"{out}: output folder is not empty (pass --overwrite to replace it)")
        if not written_by_swarmsim(out):
            raise OutputError(
                f"{out}: not a folder swarmsim wrote (no manifest.json of ours): --overwrite "
                "replaces only results folders; choose another --out"
            )
    ancestor = _nearest_existing(out.absolute().parent)
    if not ancestor.is_dir():
        raise OutputError(f"{out}: cannot create the output folder ({ancestor} is a file)")
    try:
        Path(tempfile.mkdtemp(prefix=".swarmsim-probe-", dir=ancestor)).rmdir()
    except OSError as exc:
        raise OutputError(
            f"{out}: output folder is not writable ({ancestor}: {exc.strerror})"
        ) from None
    return out


def folder_name(name: str) -> str:
    """Return a scenario's name as a folder name: letters, digits, ``_`` and ``-`` only.

    A name is a label, never a path: ``/etc`` becomes ``etc`` and ``../../x`` becomes
    ``x``, so results named after a scenario stay inside ``results/``.

    >>> folder_name("one scandal/../2024")
    'one_scandal_2024'
    """
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "scenario"


def written_by_swarmsim(folder: Path) -> bool:
    """Whether ``folder`` holds a ``manifest.json`` that swarmsim wrote (its version key)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "swarmsim_version" in manifest


_STAGE = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-[0-9a-f]{8}$")
"""A working folder beside a result: ``.NAME.tmp-PID-XXXXXXXX`` (being written) or
``.NAME.old-PID-XXXXXXXX`` (the previous result, moved aside while being replaced)."""


def _stage(out: Path, kind: str) -> Path:
    return out.resolve().parent / f".{out.name}.{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def clean_leftovers(out: Path) -> None:
    """Tidy what a killed run left beside ``out``; a result it had moved aside comes back.

    Only the working folders of processes that no longer run are touched. If ``out`` is
    missing and an old result was moved aside (the run died between the two renames of
    a replace), that result is put back, so a user never loses both.
    """
    parent = out.resolve().parent
    if not parent.is_dir():
        return
    for path in sorted(parent.iterdir()):
        match = _STAGE.match(path.name)
        if not match or match["name"] != out.name or process_alive(int(match["pid"])):
            continue
        if match["kind"] == "old" and not out.exists():
            path.rename(out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this host (one owned by another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _nearest_existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def write_results(
    model,
    out_dir: str | Path,
    *,
    source: str,
    wall_seconds: float,
    started: datetime,
    overwrite: bool = False,
    plot: bool = True,
) -> Path:
    """Write all outputs to a temporary folder, then move it to ``out_dir`` in one rename."""
    with staged_folder(out_dir, overwrite=overwrite) as tmp:
        write_tables(model, tmp, source=source, wall_seconds=wall_seconds, started=started,
                     plot=plot)  # fmt: skip
    return Path(out_dir)


def write_tables(
    model,
    folder: Path,
    *,
    source: str,
    wall_seconds: float,
    started: datetime,
    plot: bool = True,
    resumed_from: int | None = None,
) -> None:
    """Write the tables, the manifest and the plot of a finished run into ``folder``."""
    timeseries, institutions = timeseries_frame(model), institutions_frame(model)
    timeseries.to_parquet(folder / "timeseries.parquet", index=False)
    institutions.to_parquet(folder / "institutions.parquet", index=False)
    info = manifest(model, source=source, wall_seconds=wall_seconds, started=started,
                    resumed_from=resumed_from)  # fmt: skip
    write_json(info, folder / "manifest.json")
    if plot:
        _write_plot(timeseries, institutions, folder / "summary.png", model.spec)


@contextmanager
def staged_folder(
    out_dir: str | Path, *, overwrite: bool, keep_as: Path | None = None
) -> Iterator[Path]:
    """Yield a working folder beside ``out_dir``; on success it becomes ``out_dir``.

    Nothing partial is ever left at ``out_dir``: success replaces it in one rename. The
    working folder is a fresh hidden one, removed on an error (or an interrupt) inside
    the block; or ``keep_as``, created if needed and left in place on an error, for a
    run that can be resumed from it.
    """
    clean_leftovers(Path(out_dir))
    out = check_output_dir(out_dir, overwrite=overwrite)
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    if keep_as is None:
        tmp = _stage(out, "tmp")
        tmp.mkdir()
    else:
        tmp = keep_as
        tmp.mkdir(parents=True, exist_ok=True)
    try:
        yield tmp
        _replace_dir(tmp, out)
    except BaseException:
        if keep_as is None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(data: Any, path: Path) -> None:
    """Write ``data`` as indented JSON with a final newline."""
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _write_plot(timeseries, institutions, path: Path, spec) -> None:
    from swarmsim.viz.plots import event_marks, save_figure, summary_figure

    events = event_marks(spec.to_dict())
    save_figure(summary_figure(timeseries, institutions, title=spec.name, events=events), path)


def _replace_dir(tmp: Path, out: Path) -> None:
    """Move ``tmp`` to ``out``; an existing ``out`` is moved aside first, then deleted."""
    old = None
    if out.exists():
        old = _stage(out, "old")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def load_results(path: str | Path) -> Results:
    """Read a results folder written by ``swarmsim run``.

    Raises
    ------
    OutputError
        The folder or one of its files is missing.
    """
    folder = Path(path)
    needed = ("timeseries.parquet", "institutions.parquet", "manifest.json")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise OutputError(f"{folder}: not a results folder (missing {', '.join(missing)})")
    return Results(
        timeseries=pd.read_parquet(folder / "timeseries.parquet"),
        institutions=pd.read_parquet(folder / "institutions.parquet"),
        manifest=json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        path=folder,
        traits=_read_if_written(folder / "traits.parquet"),
        edges=_read_if_written(folder / "graph.parquet"),
    )


def _read_if_written(path: Path) -> pd.DataFrame | None:
    return pd.read_parquet(path) if path.is_file() else None


def utc_now() -> datetime:
    """Return the current time in UTC (for manifests)."""
    return datetime.now(UTC)
