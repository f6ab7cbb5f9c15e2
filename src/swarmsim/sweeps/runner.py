"""Run a sweep on Dask: a LocalCluster, a running scheduler, or a SLURM/PBS cluster.

Each run is one Dask task (:func:`execute_run`) that builds the model from its resolved
scenario and seed, runs it, reduces it to summaries (and optionally its series) and
writes one Parquet file atomically. A run whose file exists is skipped, so a task that
Dask runs twice, a worker that is killed, or a driver that is killed and restarted
never produce a duplicate. A run that raises leaves a failure record; Dask retries it
``retries`` times; the sweep carries on and reports it at the end.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from swarmsim.errors import MissingExtraError, OutputError, SwarmsimError, require_extra
from swarmsim.sweeps.design import ClusterSpec, Run, Sweep
from swarmsim.sweeps.store import Collected, Store, collect, sweep_manifest

try:
    from distributed import WorkerPlugin
except ModuleNotFoundError as exc:  # the sweeps extra is not installed
    missing = [exc.name or "distributed"]
    raise MissingExtraError("swarmsim.sweeps.runner", "sweeps", missing) from None

__all__ = ["RunTask", "SweepReport", "execute_run", "open_client", "run_sweep", "summarize"]


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run (pickled to the worker).

    Attributes
    ----------
    run : Run
        The run: id, point, replicate, seed, parameters, resolved scenario.
    store : str
        Path of the sweep folder, as the worker sees it (a shared file system).
    series : bool
        Keep the per-step, per-firm series.
    session : str
        Id of the ``swarmsim sweep`` invocation that submitted the task.
    """

    run: Run
    store: str
    series: bool
    session: str


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did.

    Attributes
    ----------
    total : int
        Runs in the sweep.
    skipped : int
        Runs already finished before this invocation.
    executed : int
        Runs that were pending and are finished now. A run is counted once even if Dask
        executed its task twice (the second execution finds the file and skips), and not
        at all if another driver on the same folder ran it (this one waits for it).
    failed : list of dict
        Failure records of the runs that still have no result.
    collected : Collected
        The collected tables (also written to the sweep folder).
    seconds : float
        Wall time of this invocation, s.
    """

    total: int
    skipped: int
    executed: int
    failed: list[dict[str, Any]]
    collected: Collected
    seconds: float


# --------------------------------------------------------------------- one run
def execute_run(task: RunTask) -> str:
    """Run one simulation and store it; return ``"done"``, ``"skipped"`` or ``"claimed"``.

    Skips the run if its file exists (with series, if they are wanted), so executing a
    task twice is harmless, and leaves it to another driver that claimed it
    (:meth:`Store.claim`). On an exception the failure record (error, traceback,
    attempt number) is written and the exception re-raised, so Dask can retry it.
    """
    store, run = Store(Path(task.store)), task.run
    if store.has_result(run.run_id, series=task.series):
        return "skipped"
    if not store.claim(run.run_id, task.session):
        return "claimed"  # another driver on this folder is running it
    try:
        return _execute_claimed(store, task)
    finally:
        store.release(run.run_id)


def _execute_claimed(store: Store, task: RunTask) -> str:
    run = task.run
    if store.has_result(run.run_id, series=task.series):
        return "skipped"  # finished while it was claimed elsewhere
    previous = store.read_failure(run.run_id)
    attempt = 1 + (previous["attempts"] if previous else 0)
    started = time.perf_counter()
    try:
        record, series = _simulate(run, keep_series=task.series)
    except Exception as exc:
        store.record_failure(
            {
                **_identity(run),
                "attempts": attempt,
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
                **_where(task.session),
            }
        )
        raise
    record.update(attempt=attempt, wall_seconds=round(time.perf_counter() - started, 4))
    record.update(_where(task.session))
    store.write_result(record, series)
    store.clear_failure(run.run_id)
    return "done"


def _simulate(run: Run, *, keep_series: bool):
    """Build, run and reduce one model; return its record and series (or None)."""
    from swarmsim._version import __version__
    from swarmsim.model import SwarmModel
    from swarmsim.results import timeseries_frame

    model = SwarmModel.from_scenario(run.scenario)
    with _one_kernel_thread():
        model.run()
    record = {**_identity(run), "version": __version__, "series": keep_series}
    record["summaries"] = summarize(model)
    return record, (timeseries_frame(model) if keep_series else None)


@contextlib.contextmanager
def _one_kernel_thread() -> Iterator[None]:
    """Run compiled (Numba) kernels on one thread: a sweep already runs a worker per core.

    ``numba.set_num_threads`` is thread-local and is restored afterwards, so a run
    executed in a notebook's own thread leaves its setting as it was.
    """
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def _identity(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "point": run.point,
        "replicate": run.replicate,
        "seed": run.seed,
        "params": run.params,
    }


def _where(session: str) -> dict[str, Any]:
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "session": session,
        "finished_utc": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }


def summarize(model) -> dict[str, float]:
    """End-of-run summaries of a finished model.

    Per firm F (column ``name[F]``): ``final_market_share``, ``mean_market_share``
    (over steps 1..T), ``final_boycott_share``, ``peak_boycott_share`` (largest share
    of consumers boycotting F in any step), ``final_aware_share`` (share who know of a
    misconduct of F), ``final_mean_opinion`` (in [-1, 1]), ``cumulative_profit``
    (currency, steps 1..T) and ``final_manipulation`` (m in [0, 1]). For the whole
    market: ``final_boycott_share`` (share of consumers boycotting any firm),
    ``final_mean_opinion``, ``final_outside_share`` and ``campaigns`` (campaigns started
    by all institutions).
    """
    from swarmsim.results import timeseries_frame

    series = timeseries_frame(model)
    steps = series[series["step"] > 0].groupby("firm_index")
    profit, share = steps["profit"].sum(), steps["market_share"].mean()
    peak = steps["boycott_share"].max()
    out: dict[str, float] = {}
    for f, firm in enumerate(model.firms):
        values = {
            "final_market_share": firm.market_share,
            "mean_market_share": share[f],
            "final_boycott_share": firm.boycott_share,
            "peak_boycott_share": peak[f],
            "final_aware_share": firm.aware_share,
            "final_mean_opinion": firm.mean_opinion,
            "cumulative_profit": profit[f],
            "final_manipulation": firm.manipulation,
        }
        out.update({f"{k}[{firm.name}]": float(v) for k, v in values.items()})
    out["final_boycott_share"] = model.boycott_share
    out["final_mean_opinion"] = model.mean_opinion
    out["final_outside_share"] = float(model.outside_share)
    out["campaigns"] = float(sum(int(i.campaigns_started.sum()) for i in model.institutions))
    return out


# ------------------------------------------------------------------ clusters
class WarmUp(WorkerPlugin):
    """Import the model and warm compiled kernels once per worker (if a backend exists)."""

    name = "swarmsim-warm-up"

    def setup(self, worker) -> None:
        """Run when a worker starts (also a restarted one).

        A failure is logged, not raised: warming is an optimisation, and a run that
        needs a kernel that does not compile records its own error.
        """
        import swarmsim.model  # noqa: F401

        try:
            from swarmsim.phases.warmup import warm_up
        except ImportError:  # no compiled backend in this version
            return
        try:
            warm_up()
        except Exception:
            logging.getLogger(__name__).exception("warming the compiled kernels failed")


@contextlib.contextmanager
def open_client(
    *,
    scheduler: str | None = None,
    cluster: ClusterSpec | None = None,
    workers: int | None = None,
    log_dir: Path | None = None,
) -> Iterator[Any]:
    """Connect a Dask client: to ``scheduler``, a new SLURM/PBS cluster, or a LocalCluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``.
    cluster : ClusterSpec, optional
        Start a dask-jobqueue cluster; it scales adaptively between
        ``minimum_jobs`` and ``maximum_jobs`` jobs unless ``workers`` is given.
    workers : int, optional
        LocalCluster worker processes (default: the number of cores), or a fixed number
        of jobqueue workers.
    log_dir : Path, optional
        Where batch jobs write their logs.
    """
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise SwarmsimError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
        with client:
            yield client
    elif cluster is not None:
        with _jobqueue_cluster(cluster, workers, log_dir) as jobs, Client(jobs) as client:
            yield client
    else:
        local = LocalCluster(  # this machine only: scheduler, workers and dashboard
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host=LOOPBACK,
            dashboard_address=f"{LOOPBACK}:0",
            silence_logs=logging.ERROR,
        )
        with local, Client(local) as client:
            yield client


SUBMIT = {"slurm": "sbatch", "pbs": "qsub"}
"""The batch system's submit command, by cluster kind."""


def _check_submission(spec: ClusterSpec, script: str) -> None:
    """Refuse in one line a cluster whose worker jobs the batch system would not take.

    The submit command must exist; SLURM's ``sbatch --test-only`` also checks the job
    (partition, account, limits) without queueing it. Otherwise dask-jobqueue would
    retry the submission for ever, logging each failure.
    """
    command = SUBMIT[spec.kind]
    if shutil.which(command) is None:
        raise SwarmsimError(f"--cluster {spec.kind}: {command} not found on this machine")
    if spec.kind != "slurm":
        return
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as handle:
        handle.write(script)
    try:
        done = subprocess.run([command, "--test-only", handle.name], capture_output=True,
                              text=True, timeout=60, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise SwarmsimError(f"--cluster slurm: {command} did not answer in 60 s") from None
    finally:
        Path(handle.name).unlink()
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SwarmsimError(f"--cluster slurm: the worker job would be refused ({reason})")


LOOPBACK = "127.0.0.1"
"""A local sweep's scheduler, workers and dashboard listen here only."""


def jobqueue_options(spec: ClusterSpec, log_dir: Path | None) -> dict[str, Any]:
    """Keyword arguments of dask-jobqueue's SLURMCluster / PBSCluster for ``spec``.

    With ``tls`` the cluster creates temporary self-signed credentials
    (``security=True``) in ``log_dir``, which the jobs read; the scheduler listens on
    ``scheduler_interface`` if given, its dashboard on ``dashboard_address``.
    """
    scheduler: dict[str, Any] = {"dashboard_address": spec.dashboard_address}
    if spec.scheduler_interface:
        scheduler["interface"] = spec.scheduler_interface
    return {
        "queue": spec.queue,
        "account": spec.account,
        "cores": spec.cores,
        "processes": spec.cores,
        "memory": spec.memory,
        "walltime": spec.walltime,
        "job_extra_directives": list(spec.job_extra_directives),
        "job_script_prologue": list(spec.job_script_prologue),
        "interface": spec.interface,
        "scheduler_options": scheduler,
        "security": True if spec.tls else None,
        "shared_temp_directory": None if log_dir is None else str(log_dir),
        "log_directory": None if log_dir is None else str(log_dir),
        "python": sys.executable,
    }


def _jobqueue_cluster(spec: ClusterSpec, workers: int | None, log_dir: Path | None):
    """Start a dask-jobqueue SLURMCluster or PBSCluster: a 1-thread worker per core."""
    require_extra(f"--cluster {spec.kind}", "sweeps", "dask_jobqueue")
    from dask_jobqueue import PBSCluster, SLURMCluster

    kind = SLURMCluster if spec.kind == "slurm" else PBSCluster
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)  # logs, and the TLS credentials
    cluster = kind(**jobqueue_options(spec, log_dir))
    try:
        _check_submission(spec, cluster.job_script())
    except BaseException:
        cluster.close()
        raise
    if workers:
        cluster.scale(n=workers)
    else:
        cluster.adapt(minimum_jobs=spec.minimum_jobs, maximum_jobs=spec.maximum_jobs)
    return cluster


# -------------------------------------------------------------------- sweeps
def run_sweep(
    sweep: Sweep,
    out: str | Path,
    *,
    scheduler: str | None = None,
    cluster: ClusterSpec | None = None,
    workers: int | None = None,
    resume: bool = False,
    client: Any = None,
    console: Console | None = None,
) -> SweepReport:
    """Run every unfinished run of ``sweep`` into the folder ``out`` and collect it.

    Parameters
    ----------
    sweep : Sweep
        From :func:`swarmsim.sweeps.design.load_sweep`.
    out : path
        The sweep folder; created if needed. A folder holding this (or an earlier
        version of this) sweep is resumed: finished runs are not run again.
    scheduler, cluster, workers
        Where to run; see :func:`open_client`. ``cluster`` defaults to the sweep
        file's ``cluster`` section.
    resume : bool
        Require that ``out`` already holds a sweep (guards against typos in ``out``).
    client : distributed.Client, optional
        Use this client (tests, notebooks) instead of opening one.
    console : rich Console, optional
        Where the dashboard link and progress go (default: standard error).

    Raises
    ------
    OutputError
        ``out`` is a file, a non-empty folder that is not a sweep folder, or (with
        ``resume``) holds no sweep.
    """
    console = console or Console(stderr=True, emoji=False, markup=False)
    clock, store = time.perf_counter(), Store(Path(out))
    created = not store.root.exists()
    _prepare(store, sweep, resume=resume, console=console)
    pending = _pending(store, sweep)
    if pending:
        cluster = cluster or sweep.spec.cluster
        with contextlib.ExitStack() as stack:
            if client is None:
                log_dir = store.root / "logs"
                try:
                    client = stack.enter_context(
                        open_client(
                            scheduler=scheduler, cluster=cluster, workers=workers,
                            log_dir=log_dir,
                        )
                    )  # fmt: skip
                except BaseException:
                    if created:  # nothing ran: leave no folder behind
                        shutil.rmtree(store.root, ignore_errors=True)
                    raise
            store.write_manifest(sweep_manifest(sweep))
            session = _execute(client, sweep, store, pending, console)
    else:
        store.write_manifest(sweep_manifest(sweep))
        session = None
    store.remove_temporary()
    collected = collect(store.root)
    return SweepReport(
        total=len(sweep.runs),
        skipped=len(sweep.runs) - len(pending),
        executed=int((collected.executions["session"] == session).sum()),  # stored by us
        failed=collected.failed,
        collected=collected,
        seconds=time.perf_counter() - clock,
    )


def _prepare(store: Store, sweep: Sweep, *, resume: bool, console: Console) -> None:
    """Check the folder and report what is reused (the manifest is written once work can start)."""
    root = store.root
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: output path exists and is not a folder")
    has_manifest = store.manifest_path.is_file()
    if resume and not has_manifest:
        raise OutputError(f"{root}: nothing to resume (no manifest.json); drop --resume to start")
    if not has_manifest and root.is_dir() and any(root.iterdir()):
        raise OutputError(f"{root}: folder is not empty and holds no sweep; choose another --out")
    if has_manifest:
        old = {run["run_id"] for run in store.read_manifest()["runs"]}
        new = {run.run_id for run in sweep.runs}
        if old != new:
            console.print(
                f"sweep changed since {store.manifest_path} was written; "
                f"{len(old & new)} of its runs belong to the new sweep"
            )


def _pending(store: Store, sweep: Sweep) -> list[Run]:
    """Return the runs without a (complete) result file, in sweep order, each id once."""
    finished, series = store.finished(), sweep.spec.outputs.series
    pending, seen = [], set()
    for run in sweep.runs:
        done = run.run_id in finished and (not series or store.read_record(run.run_id)["series"])
        if not done and run.run_id not in seen:
            pending.append(run)
            seen.add(run.run_id)
    return pending


def _execute(client, sweep: Sweep, store: Store, pending: list[Run], console: Console) -> str:
    """Submit the pending runs and follow them to the end; return this driver's session.

    Runs another driver claimed are awaited. The session marks the runs this driver
    stored (their records' ``session``).
    """
    from distributed import as_completed

    link = _dashboard_link(client)
    console.print(
        f"sweep {sweep.spec.name}: {len(pending)} of {len(sweep.runs)} runs to do; "
        f"dashboard: {link}",
        highlight=False,
        soft_wrap=True,
    )
    client.register_plugin(WarmUp(), name=WarmUp.name)
    session = uuid.uuid4().hex[:12]
    root = str(store.root.resolve())
    futures = {
        client.submit(
            execute_run,
            RunTask(run, root, sweep.spec.outputs.series, session),
            key=f"swarmsim-run-{run.run_id}",
            retries=sweep.spec.retries,
            pure=False,
        ): run
        for run in pending
    }
    done = failed = 0
    left: set[str] = set()  # runs another driver on this folder claimed
    with _Progress(len(futures), console, sweep.spec.name) as progress:
        for future in as_completed(futures):
            if future.status == "finished":
                done += 1
                if future.result() == "claimed":
                    left.add(futures[future].run_id)
            else:
                failed += 1
                _record_lost(store, futures[future], future)
            progress.update(done=done, failed=failed)
            future.release()
    if left:
        console.print(f"waiting for {len(left)} runs that another driver on {store.root} "
                      "is running", highlight=False, soft_wrap=True)  # fmt: skip
        _await_claims(store, left)
    return session


def _await_claims(store: Store, run_ids: set[str], poll: float = 0.2) -> None:
    """Wait until each run is finished or no longer claimed (its driver ended)."""
    waiting = set(run_ids)
    while waiting:
        finished = store.finished()
        waiting = {r for r in waiting if r not in finished and store.claimed(r)}
        if waiting:
            time.sleep(poll)


def _record_lost(store: Store, run: Run, future) -> None:
    """Record a failure the task could not record itself (e.g. its worker kept dying)."""
    if store.read_failure(run.run_id) is not None:
        return
    error = future.exception() if future.status == "error" else f"task {future.status}"
    store.record_failure(
        {
            **_identity(run),
            "attempts": 0,
            "error": f"{type(error).__name__}: {error}",
            "traceback": "",
            **_where("driver"),
        }
    )


def _dashboard_link(client) -> str:
    try:
        import bokeh  # noqa: F401  (the dashboard is served only with bokeh installed)
    except ImportError:
        return "unavailable (pip install bokeh)"
    return client.dashboard_link


class _Progress:
    """Done / failed / remaining with ETA: a live bar on a terminal, else a line per 10%."""

    def __init__(self, total: int, console: Console, name: str):
        self.total, self.console, self.name = total, console, name
        self.start, self.last_line = time.perf_counter(), 0
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn(
                "{task.fields[done]} done · {task.fields[failed]} failed · "
                "{task.fields[remaining]} remaining"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        self.bar = Progress(*columns, console=console, disable=not console.is_terminal)
        self.task = self.bar.add_task(name, total=total, done=0, failed=0, remaining=total)

    def __enter__(self) -> _Progress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def update(self, *, done: int, failed: int) -> None:
        """Show ``done`` and ``failed`` runs so far."""
        finished = done + failed
        remaining = self.total - finished
        self.bar.update(
            self.task, completed=finished, done=done, failed=failed, remaining=remaining
        )
        if self.console.is_terminal or finished - self.last_line < max(1, self.total // 10):
            return
        self.last_line = finished
        elapsed = time.perf_counter() - self.start
        eta = elapsed / finished * remaining
        self.console.print(
            f"{self.name}: {done} done, {failed} failed, {remaining} remaining, ETA {eta:.0f} s",
            highlight=False,
        )
