"""The sweep store: one Parquet file per finished run, failure records, a manifest.

Layout of a sweep folder::

    manifest.json            the sweep: file, resolved spec, every run's id, point, seed
    runs/<run_id>.parquet    one finished run (see below)
    failures/<run_id>.json   the last error and traceback of a run that raised
    claims/<run_id>.json     a run being executed, and by whom (two drivers share a folder)
    runs.parquet             collected: one row per finished run (parameters, summaries)
    series.parquet           collected: one row per run × step × firm (outputs.series)
    executions.parquet       collected: where, when and how long each run ran

A run file is written to a temporary name in ``runs/`` and renamed into place, so it
exists completely or not at all; the store itself is the record of what is done. Its
rows are the run's per-step, per-firm series (none unless ``outputs.series``) and its
Parquet key-value metadata ``swarmsim.run`` holds the run record as JSON: id, point,
replicate, seed, parameters, summaries and execution details.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from swarmsim.errors import OutputError
from swarmsim.results import process_alive
from swarmsim.sweeps.design import Sweep

__all__ = ["Collected", "Store", "collect", "sweep_manifest"]

RECORD_KEY = b"swarmsim.run"
RUN_HEAD = ("run_id", "point", "replicate", "seed")
"""First columns of every collected table."""
EXECUTION_FIELDS = ("attempt", "wall_seconds", "host", "pid", "session", "finished_utc")
"""Record fields that describe how a run was executed rather than what it computed."""


@dataclass(frozen=True)
class Store:
    """A sweep folder (see the module docstring for its layout)."""

    root: Path

    @property
    def runs_dir(self) -> Path:
        """Folder of the per-run Parquet files."""
        return self.root / "runs"

    @property
    def failures_dir(self) -> Path:
        """Folder of the failure records."""
        return self.root / "failures"

    @property
    def manifest_path(self) -> Path:
        """The sweep manifest."""
        return self.root / "manifest.json"

    def result_path(self, run_id: str) -> Path:
        """Where the finished run ``run_id`` is stored."""
        return self.runs_dir / f"{run_id}.parquet"

    def finished(self) -> set[str]:
        """Ids of all finished runs (one directory listing)."""
        if not self.runs_dir.is_dir():
            return set()
        return {p.name.removesuffix(".parquet") for p in self.runs_dir.glob("*.parquet")}

    def has_result(self, run_id: str, *, series: bool = False) -> bool:
        """Whether ``run_id`` is finished (and, if ``series``, kept its series)."""
        path = self.result_path(run_id)
        if not path.is_file():
            return False
        return not series or self.read_record(run_id)["series"]

    def read_record(self, run_id: str) -> dict[str, Any]:
        """Return the JSON run record stored in a run file's metadata."""
        metadata = pq.read_schema(self.result_path(run_id)).metadata or {}
        return json.loads(metadata[RECORD_KEY])

    def write_result(self, record: dict[str, Any], series: pd.DataFrame | None) -> None:
        """Store a finished run atomically: temporary file, fsync, rename.

        Parameters
        ----------
        record : dict
            JSON-compatible run record; must hold ``run_id``.
        series : DataFrame or None
            Per-step, per-firm rows to keep, or None to keep none.
        """
        table = (
            pa.table({}) if series is None else pa.Table.from_pandas(series, preserve_index=False)
        )
        metadata = dict(table.schema.metadata or {})
        metadata[RECORD_KEY] = json.dumps(record, sort_keys=True).encode("utf-8")
        table = table.replace_schema_metadata(metadata)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.result_path(record["run_id"]), lambda tmp: pq.write_table(table, tmp))

    def read_series(self, run_id: str) -> pd.DataFrame:
        """Return the per-step, per-firm rows of a finished run (empty if not kept)."""
        return pq.read_table(self.result_path(run_id)).to_pandas()

    def record_failure(self, record: dict[str, Any]) -> None:
        """Store (replace) the failure record of ``record['run_id']`` atomically."""
        self.failures_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(record, indent=2, sort_keys=True, default=str) + "\n"
        path = self.failures_dir / f"{record['run_id']}.json"
        _atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def read_failure(self, run_id: str) -> dict[str, Any] | None:
        """Return the failure record of ``run_id``, or None."""
        path = self.failures_dir / f"{run_id}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def clear_failure(self, run_id: str) -> None:
        """Remove the failure record of a run that has now finished."""
        (self.failures_dir / f"{run_id}.json").unlink(missing_ok=True)

    @property
    def claims_dir(self) -> Path:
        """Folder of the claims of runs being executed."""
        return self.root / "claims"

    def claim(self, run_id: str, session: str) -> bool:
        """Claim ``run_id`` for this process; False if another live driver's task holds it.

        A claim is a file created exclusively (``O_EXCL``), naming the driver's session,
        the host and the process. It can be taken over by a task of the same session (a
        retry after a worker died) and from a process on this host that no longer runs.
        So two drivers on one folder share the work: each run is executed once.
        """
        self.claims_dir.mkdir(parents=True, exist_ok=True)
        path = self.claims_dir / f"{run_id}.json"
        mine = {"session": session, "host": socket.gethostname(), "pid": os.getpid()}
        for _ in range(2):
            try:
                with path.open("x", encoding="utf-8") as handle:
                    json.dump(mine, handle)
                return True
            except FileExistsError:
                if not _stale(path, mine):
                    return False
                path.unlink(missing_ok=True)  # then try once more to create it
        return False

    def claimed(self, run_id: str) -> bool:
        """Whether some task holds a claim on ``run_id``."""
        return (self.claims_dir / f"{run_id}.json").is_file()

    def release(self, run_id: str) -> None:
        """Drop the claim of ``run_id`` (it finished, or failed and may be retried)."""
        (self.claims_dir / f"{run_id}.json").unlink(missing_ok=True)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write ``manifest.json`` atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        text = json.dumps(manifest, indent=1) + "\n"
        _atomic_write(self.manifest_path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def read_manifest(self) -> dict[str, Any]:
        """Read ``manifest.json``.

        Raises
        ------
        OutputError
            The folder is not a sweep folder.
        """
        if not self.manifest_path.is_file():
            raise OutputError(f"{self.root}: not a sweep folder (no manifest.json)")
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def remove_temporary(self) -> int:
        """Delete temporary files left by killed writers; return how many."""
        stale = [
            p for d in (self.runs_dir, self.failures_dir) if d.is_dir() for p in d.glob(".*.tmp")
        ]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)


def _stale(path: Path, mine: dict[str, Any]) -> bool:
    """Whether the claim at ``path`` may be taken over by ``mine``."""
    try:
        owner = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # unreadable or half written: its writer died
    if owner.get("session") == mine["session"]:
        return True
    if owner.get("host") != mine["host"]:
        return False  # cannot tell whether a process on another host still runs
    try:
        return not process_alive(int(owner["pid"]))
    except (KeyError, ValueError, TypeError):
        return False


def sweep_manifest(sweep: Sweep) -> dict[str, Any]:
    """Describe ``sweep`` for manifest.json: its file, resolved spec, every run's identity."""
    from swarmsim._version import __version__

    return {
        "swarmsim_version": __version__,
        "sweep_file": sweep.source,
        "sweep": sweep.spec.model_dump(mode="json"),
        "parameters": sweep.parameter_names,
        "points": sweep.points,
        "first_run_scenario": sweep.runs[0].scenario,
        "written_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": [
            {
                "run_id": r.run_id,
                "point": r.point,
                "replicate": r.replicate,
                "seed": r.seed,
                "params": r.params,
            }
            for r in sweep.runs
        ],
    }


def _atomic_write(path: Path, write) -> None:
    """Call ``write(tmp)`` on a temporary name beside ``path``, fsync, rename to ``path``."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Collected:
    """A collected sweep.

    Attributes
    ----------
    runs : DataFrame
        One row per finished run, in (point, replicate) order: ``run_id, point,
        replicate, seed``, one column per swept parameter (its dotted path) and one per
        summary output (e.g. ``final_market_share[Persuado]``).
    series : DataFrame or None
        One row per finished run × step × firm (``run_id, point, replicate, seed``,
        parameters, then the run's series columns), if the sweep keeps series.
    executions : DataFrame
        One row per finished run: attempt, wall seconds, host, pid, session, time.
    failed : list of dict
        Failure records of runs that raised and have no result.
    missing : list of str
        Ids of runs that neither finished nor failed (not yet run).
    """

    runs: pd.DataFrame
    series: pd.DataFrame | None
    executions: pd.DataFrame
    failed: list[dict[str, Any]]
    missing: list[str]


def collect(root: str | Path, *, write: bool = True) -> Collected:
    """Gather a sweep folder's runs into tidy tables (and write them if ``write``).

    Only the runs listed in the manifest are collected, each exactly once, in (point,
    replicate) order; run files of other sweeps that share the folder are ignored.

    Raises
    ------
    OutputError
        ``root`` is not a sweep folder.
    """
    store = Store(Path(root))
    manifest = store.read_manifest()
    names, keep_series = manifest["parameters"], manifest["sweep"]["outputs"]["series"]
    finished = store.finished()
    rows, executions, series, failed, missing = [], [], [], [], []
    for run in manifest["runs"]:
        key = run["run_id"]
        if key not in finished:
            failure = store.read_failure(key)
            (failed if failure else missing).append(failure or key)
            continue
        record = store.read_record(key)
        head = {k: run[k] for k in RUN_HEAD}
        head.update({name: run["params"][name] for name in names})
        rows.append({**head, **record["summaries"]})
        executions.append({"run_id": key, **{f: record.get(f) for f in EXECUTION_FIELDS}})
        if keep_series:
            series.append(_with_head(store.read_series(key), head))
    collected = Collected(
        runs=pd.DataFrame(rows, columns=_columns(rows, [*RUN_HEAD, *names])),
        series=pd.concat(series, ignore_index=True) if keep_series and series else None,
        executions=pd.DataFrame(executions, columns=["run_id", *EXECUTION_FIELDS]),
        failed=failed,
        missing=missing,
    )
    if write:
        _write_tables(store, collected)
    return collected


def _columns(rows: list[dict[str, Any]], head: list[str]) -> list[str]:
    """Head columns, then every other key in first-seen order."""
    seen = dict.fromkeys(head)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _with_head(frame: pd.DataFrame, head: dict[str, Any]) -> pd.DataFrame:
    """Prepend the run's id, point, replicate, seed and parameters to each row."""
    front = pd.DataFrame({k: [v] * len(frame) for k, v in head.items()}, index=frame.index)
    return pd.concat([front, frame], axis=1)


def _write_tables(store: Store, collected: Collected) -> None:
    tables = {"runs.parquet": collected.runs, "executions.parquet": collected.executions}
    if collected.series is not None:
        tables["series.parquet"] = collected.series
    for name, frame in tables.items():
        _atomic_write(store.root / name, lambda tmp, f=frame: f.to_parquet(tmp, index=False))
