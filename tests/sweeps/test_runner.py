"""Tests for sweeps/runner.py on a real Dask LocalCluster (2 worker processes)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pandas as pd
import pytest
from rich.console import Console
from sweepfiles import write_sweep

from swarmsim.errors import OutputError
from swarmsim.sweeps.design import load_sweep
from swarmsim.sweeps.runner import run_sweep
from swarmsim.sweeps.store import Store

QUIET = Console(quiet=True)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def reference(tmp_path_factory, client):
    """The tiny grid sweep (18 runs) run once, undisturbed."""
    folder = tmp_path_factory.mktemp("reference")
    sweep = load_sweep(write_sweep(folder))
    report = run_sweep(sweep, folder / "out", client=client, console=QUIET)
    assert report.executed == 18
    assert not report.failed
    return folder / "out", report


def test_a_sweep_runs_every_run_once_and_twice_gives_a_byte_identical_table(
    tmp_path, client, reference
):
    first_dir, first = reference
    sweep = load_sweep(write_sweep(tmp_path))
    second = run_sweep(sweep, tmp_path / "out", client=client, console=QUIET)
    assert (second.total, second.skipped, second.executed) == (18, 0, 18)
    assert (first_dir / "runs.parquet").read_bytes() == (tmp_path / "out/runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(first.collected.series, second.collected.series)
    runs = second.collected.runs
    assert len(runs) == 18
    assert runs["run_id"].is_unique
    assert runs.groupby("point").size().eq(3).all()
    sessions = second.collected.executions["session"]
    assert sessions.nunique() == 1
    assert set(second.collected.executions["attempt"]) == {1}


def test_rerunning_a_finished_sweep_runs_nothing(tmp_path, client):
    sweep = load_sweep(write_sweep(tmp_path, replicates=1))
    run_sweep(sweep, tmp_path / "out", client=client, console=QUIET)
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out/runs").iterdir()}
    again = run_sweep(sweep, tmp_path / "out", client=client, resume=True, console=QUIET)
    assert (again.skipped, again.executed) == (6, 0)
    assert stamps == {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out/runs").iterdir()}


def test_more_replicates_reuse_the_finished_runs(tmp_path, client):
    run_sweep(
        load_sweep(write_sweep(tmp_path, replicates=1)),
        tmp_path / "out",
        client=client,
        console=QUIET,
    )
    grown = run_sweep(
        load_sweep(write_sweep(tmp_path, replicates=2)),
        tmp_path / "out",
        client=client,
        console=QUIET,
    )
    assert (grown.total, grown.skipped, grown.executed) == (12, 6, 6)
    assert len(grown.collected.runs) == 12


def test_killing_a_worker_mid_sweep_still_completes_every_run_exactly_once(
    tmp_path, client, reference
):
    sweep = load_sweep(write_sweep(tmp_path))
    store = Store(tmp_path / "out")
    result = {}
    thread = threading.Thread(
        target=lambda: result.update(
            report=run_sweep(sweep, store.root, client=client, console=QUIET)
        )
    )
    pids = client.run(os.getpid)
    thread.start()
    while len(store.finished()) < 2:
        time.sleep(0.01)
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    done_at_kill = len(store.finished())
    thread.join(timeout=300)
    report = result["report"]
    assert done_at_kill < 18, "the sweep ended before the kill; make the runs longer"
    assert victim not in client.run(os.getpid).values()  # the nanny restarted it
    assert not report.failed
    assert (report.skipped, report.executed) == (0, 18)
    assert report.collected.executions["session"].nunique() == 1
    pd.testing.assert_frame_equal(report.collected.runs, reference[1].collected.runs)
    assert len(list(store.runs_dir.iterdir())) == 18  # no duplicates, no temporary files


def test_a_failing_run_is_retried_recorded_and_does_not_stop_the_sweep(tmp_path, client):
    params = {"seeding.boycotters": {"levels": [0, 100_000]}}
    sweep = load_sweep(write_sweep(tmp_path, parameters=params, replicates=2, retries=2))
    report = run_sweep(sweep, tmp_path / "out", client=client, console=QUIET)
    assert report.executed == 2
    assert len(report.failed) == 2
    assert sorted(f["point"] for f in report.failed) == [1, 1]
    for failure in report.failed:
        assert failure["attempts"] == 3  # the first try and two retries
        assert "seeding.boycotters: must be <= n consumers" in failure["error"]
    assert list(report.collected.runs["point"]) == [0, 0]


def test_an_output_folder_that_holds_something_else_is_refused(tmp_path, client):
    sweep = load_sweep(write_sweep(tmp_path))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds no sweep"):
        run_sweep(sweep, tmp_path / "other", client=client, console=QUIET)
    with pytest.raises(OutputError, match="nothing to resume"):
        run_sweep(sweep, tmp_path / "new", client=client, resume=True, console=QUIET)
    assert not (tmp_path / "new").exists()


def test_a_run_uses_one_kernel_thread_and_restores_the_callers_setting(tmp_path, monkeypatch):
    import numba

    from swarmsim.model import SwarmModel
    from swarmsim.sweeps.runner import RunTask, execute_run

    seen, original = [], SwarmModel.run

    def spy(model, *args, **kwargs):
        seen.append(numba.get_num_threads())
        return original(model, *args, **kwargs)

    monkeypatch.setattr(SwarmModel, "run", spy)
    sweep = load_sweep(write_sweep(tmp_path, replicates=1, steps=2))
    before = numba.get_num_threads()
    execute_run(RunTask(sweep.runs[0], str(tmp_path / "out"), False, "test"))
    assert seen == [1]
    assert numba.get_num_threads() == before


# ------------------------------------------------------------------ network exposure


def test_a_local_sweep_listens_on_this_machine_only():
    from urllib.parse import urlparse

    from swarmsim.sweeps.runner import open_client

    with open_client(workers=1) as client:
        info = client.scheduler_info()
        hosts = {urlparse(address).hostname for address in [info["address"], *info["workers"]]}
        assert hosts == {"127.0.0.1"}
        assert urlparse(client.dashboard_link).hostname == "127.0.0.1"
        dashboard = client.cluster.scheduler.http_server.port
        assert dashboard > 0


def test_cluster_jobs_use_tls_and_a_loopback_dashboard_by_default(tmp_path):
    from swarmsim.sweeps.design import ClusterSpec
    from swarmsim.sweeps.runner import jobqueue_options

    options = jobqueue_options(ClusterSpec(kind="slurm"), tmp_path)
    assert options["security"] is True
    assert options["shared_temp_directory"] == str(tmp_path)  # the jobs read the credentials
    assert options["scheduler_options"] == {"dashboard_address": "127.0.0.1:0"}
    plain = ClusterSpec(kind="pbs", tls=False, scheduler_interface="ib0",
                        dashboard_address=":8787")  # fmt: skip
    options = jobqueue_options(plain, None)
    assert options["security"] is None
    assert options["scheduler_options"] == {"dashboard_address": ":8787", "interface": "ib0"}
