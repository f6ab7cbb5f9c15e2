"""Tests for sweeps/commands.py: `swarmsim sweep | collect | plot-sweep` as a user runs them."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pytest
from sweepfiles import write_sweep

from swarmsim.cli import main
from swarmsim.sweeps.store import Store


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def swarmsim(capsys):
    """Run the command line in this process (as `swarmsim ARGS...`) and capture its output."""

    def call(*args) -> Done:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Done(code, captured.out, captured.err)

    return call


@pytest.fixture(scope="module")
def scheduler():
    """Address of a running 2-worker LocalCluster, for --scheduler."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


def test_sweep_collect_and_plot_from_the_command_line(swarmsim, tmp_path, scheduler):
    path, out = write_sweep(tmp_path, replicates=2), tmp_path / "out"
    done = swarmsim("sweep", path, "--out", out, "--scheduler", scheduler)
    assert done.returncode == 0, done.stderr
    assert "tiny_grid: 12 runs: 0 already done, 12 run now, 0 failed" in done.stdout
    assert "dashboard: http" in done.stderr
    assert {p.name for p in out.iterdir()} >= {
        "manifest.json",
        "runs",
        "runs.parquet",
        "series.parquet",
        "executions.parquet",
    }
    table = (out / "runs.parquet").read_bytes()
    again = swarmsim("collect", out)
    assert again.returncode == 0, again.stderr
    assert "runs.parquet (12 rows), series.parquet (312 rows)" in again.stdout
    assert (out / "runs.parquet").read_bytes() == table
    for extra in ([], ["--y", "word_of_mouth.p_talk"], ["--y", "word_of_mouth.p_talk", "--lines"]):
        plot = swarmsim(
            "plot-sweep",
            out,
            "--x",
            "consumers.information_parity",
            "--metric",
            "final_market_share[Manip]",
            *extra,
        )
        assert plot.returncode == 0, plot.stderr
        target = Path(plot.stdout.split("wrote ", 1)[1].strip())
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_sweep_with_failing_runs_exits_1_and_lists_them(swarmsim, tmp_path, scheduler):
    params = {"seeding.boycotters": {"levels": [0, 100_000]}}
    path = write_sweep(tmp_path, parameters=params, replicates=2, retries=0)
    done = swarmsim("sweep", path, "--out", tmp_path / "out", "--scheduler", scheduler)
    assert done.returncode == 1, done.stderr
    failed = [line for line in done.stdout.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 2
    assert all("point 1" in line and "seeding.boycotters=100000" in line for line in failed)
    assert all("must be <= n consumers" in line for line in failed)
    assert f"2 runs failed; errors and tracebacks: {tmp_path / 'out'}/failures/" in done.stdout
    records = [json.loads(p.read_text()) for p in (tmp_path / "out/failures").iterdir()]
    assert all("Traceback" in r["traceback"] for r in records)
    assert len(pd.read_parquet(tmp_path / "out/runs.parquet")) == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "cannot be combined"),
        (["--resume"], "nothing to resume"),
        (["--workers", "0"], "0 is not in the range x>=1"),
        (["--cluster", "lsf"], "'lsf' is not one of 'slurm', 'pbs'"),
    ],
)
def test_bad_options_exit_2_with_one_line(swarmsim, tmp_path, args, expected):
    done = swarmsim("sweep", write_sweep(tmp_path), "--out", tmp_path / "out", *args)
    assert done.returncode == 2
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_bad_sweep_file_exits_2_naming_file_and_field_and_writes_nothing(swarmsim, tmp_path):
    path = write_sweep(tmp_path, parameters={"consumers.information_parity": {"levels": [2.0]}})
    done = swarmsim("sweep", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"swarmsim: error: {path}: parameters.consumers.information_parity: value 2.0: "
        "Input should be less than or equal to 1 (got 2.0)"
    )
    assert not (tmp_path / "out").exists()


def test_plot_sweep_rejects_unknown_metrics_and_parameters(swarmsim, tmp_path, scheduler):
    path, out = write_sweep(tmp_path, replicates=1, steps=2), tmp_path / "out"
    assert swarmsim("sweep", path, "--out", out, "--scheduler", scheduler).returncode == 0
    bad_metric = swarmsim("plot-sweep", out, "--x", "word_of_mouth.p_talk", "--metric", "share")
    assert bad_metric.returncode == 2
    assert bad_metric.stderr.startswith("swarmsim: error: --metric: share: not an output")
    bad_x = swarmsim("plot-sweep", out, "--x", "graph.n", "--metric", "campaigns")
    assert bad_x.returncode == 2
    assert "--x: graph.n: not a swept parameter (choose from: consumers." in bad_x.stderr
    no_x = swarmsim("plot-sweep", out, "--metric", "campaigns")
    assert no_x.returncode == 2
    assert "required unless the sweep has a sobol design" in no_x.stderr


def test_schema_sweep_prints_the_sweep_file_schema(swarmsim):
    done = swarmsim("schema", "--sweep")
    assert done.returncode == 0
    assert json.loads(done.stdout)["title"] == "swarmsim sweep"


def start_driver(path: Path, out: Path) -> subprocess.Popen:
    """`swarmsim sweep` in a subprocess with a 2-worker LocalCluster of its own."""
    command = [sys.executable, "-m", "swarmsim.cli", "sweep", path, "--out", out, "--workers", 2]
    return subprocess.Popen(
        [str(part) for part in command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_runs(store: Store, count: int, driver: subprocess.Popen) -> None:
    """Wait until ``count`` runs are stored; fail if the driver ends first."""
    deadline = time.monotonic() + 120
    while len(store.finished()) < count and time.monotonic() < deadline:
        if driver.poll() is not None:
            pytest.fail(f"the driver ended early ({driver.returncode}): {driver.communicate()}")
        time.sleep(0.01)


def test_two_drivers_on_one_folder_share_the_runs(tmp_path):
    path, out = write_sweep(tmp_path, steps=600), tmp_path / "out"  # slow enough to overlap
    first = start_driver(path, out)
    wait_for_runs(Store(out), 1, first)
    second = start_driver(path, out)
    outputs = [driver.communicate(timeout=300) for driver in (first, second)]
    assert [driver.returncode for driver in (first, second)] == [0, 0], outputs
    counts = [int(stdout.split(" run now")[0].rsplit(", ", 1)[1]) for stdout, _ in outputs]
    assert counts[0] + counts[1] == 18  # each run executed by one driver, once
    assert min(counts) > 0, outputs  # and both did some
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 18
    assert runs["run_id"].is_unique
    assert not list((out / "claims").iterdir())


def test_sigterm_stops_a_sweep_in_one_line_with_exit_143(tmp_path):
    path, out = write_sweep(tmp_path, steps=30), tmp_path / "out"
    driver = start_driver(path, out)
    wait_for_runs(Store(out), 1, driver)
    driver.send_signal(signal.SIGTERM)
    _, stderr = driver.communicate(timeout=120)
    assert driver.returncode == 143, stderr
    assert f"interrupted by SIGTERM: the finished runs are kept in {out}/" in stderr
    assert "Traceback" not in stderr, stderr
    assert "leaked semaphore" not in stderr, stderr


def test_interrupted_and_killed_drivers_then_a_rerun_execute_each_run_exactly_once(tmp_path):
    path, out = write_sweep(tmp_path, steps=30), tmp_path / "out"
    store = Store(out)

    driver = start_driver(path, out)  # Ctrl-C: a clean stop that keeps the finished runs
    wait_for_runs(store, 2, driver)
    driver.send_signal(signal.SIGINT)
    _, stderr = driver.communicate(timeout=120)
    assert driver.returncode == 130, stderr
    assert f"interrupted by Ctrl-C: the finished runs are kept in {out}/" in stderr
    assert "Traceback" not in stderr, stderr
    interrupted = len(store.finished())

    driver = start_driver(path, out)  # SIGKILL: no chance to clean up
    wait_for_runs(store, interrupted + 2, driver)
    workers = psutil.Process(driver.pid).children(recursive=True)
    driver.kill()
    driver.communicate()
    psutil.wait_procs(workers, timeout=30)  # orphaned workers notice and exit
    before = {key: store.read_record(key)["session"] for key in store.finished()}
    inodes = {key: store.result_path(key).stat().st_ino for key in before}
    assert interrupted + 2 <= len(before) < 18, "the driver was not killed mid-sweep"

    rerun = start_driver(path, out)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert f"{len(before)} already done, {18 - len(before)} run now, 0 failed" in stdout
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 18
    assert runs["run_id"].is_unique
    assert len(list(store.runs_dir.iterdir())) == 18  # no duplicates, no temporary files
    sessions = {key: store.read_record(key)["session"] for key in store.finished()}
    assert {key: sessions[key] for key in before} == before  # finished runs were not redone
    assert {key: store.result_path(key).stat().st_ino for key in before} == inodes
    assert len(set(before.values())) == 2  # the interrupted and the killed driver
    new = {sessions[key] for key in sessions if key not in before}
    assert len(new) == 1
    assert not new & set(before.values())
