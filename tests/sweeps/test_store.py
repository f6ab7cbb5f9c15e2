"""Tests for sweeps/store.py: atomic run files, failure records, manifest and collect.

Runs are executed in-process with runner.execute_run (no Dask) to get real records.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from sweepfiles import write_sweep

from swarmsim.errors import OutputError
from swarmsim.sweeps.design import load_sweep
from swarmsim.sweeps.runner import RunTask, execute_run
from swarmsim.sweeps.store import RUN_HEAD, Store, _atomic_write, collect, sweep_manifest


@pytest.fixture
def sweep(tmp_path):
    return load_sweep(write_sweep(tmp_path, replicates=1, steps=4))


def run(store: Store, sweep, k: int, *, series: bool = True) -> str:
    return execute_run(RunTask(sweep.runs[k], str(store.root), series, "test"))


def test_a_run_is_stored_once_with_its_record_and_no_temporary_files(tmp_path, sweep):
    store = Store(tmp_path / "out")
    assert run(store, sweep, 0) == "done"
    path = store.result_path(sweep.runs[0].run_id)
    before = path.stat()
    assert run(store, sweep, 0) == "skipped"
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert [p.name for p in store.runs_dir.iterdir()] == [path.name]
    record = store.read_record(sweep.runs[0].run_id)
    assert record["params"] == sweep.runs[0].params
    assert record["seed"] == sweep.runs[0].seed
    assert record["attempt"] == 1
    assert record["session"] == "test"
    assert record["series"]
    assert len(store.read_series(sweep.runs[0].run_id)) == 5 * 2  # steps 0..4 × 2 firms


def test_a_run_without_series_is_redone_when_series_are_wanted(tmp_path, sweep):
    store = Store(tmp_path / "out")
    assert run(store, sweep, 0, series=False) == "done"
    assert store.has_result(sweep.runs[0].run_id)
    assert not store.has_result(sweep.runs[0].run_id, series=True)
    assert store.read_series(sweep.runs[0].run_id).empty
    assert run(store, sweep, 0, series=True) == "done"
    assert store.has_result(sweep.runs[0].run_id, series=True)


def test_an_interrupted_write_leaves_neither_target_nor_temporary_file(tmp_path):
    target = tmp_path / "x.parquet"

    def half_write(tmp):
        tmp.write_bytes(b"PAR1 half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _atomic_write(target, half_write)
    assert list(tmp_path.iterdir()) == []


def test_remove_temporary_deletes_only_leftover_temporary_files(tmp_path, sweep):
    store = Store(tmp_path / "out")
    run(store, sweep, 0)
    (store.runs_dir / ".abc.parquet.123.tmp").write_bytes(b"partial")
    assert store.remove_temporary() == 1
    assert store.finished() == {sweep.runs[0].run_id}


def test_a_failing_run_records_error_traceback_and_attempts_then_clears_on_success(tmp_path, sweep):
    store = Store(tmp_path / "out")
    scenario = {**sweep.runs[0].scenario, "seeding": {"boycotters": 10_000, "critics": 0}}
    bad_run = dataclasses.replace(sweep.runs[0], scenario=scenario)
    task = RunTask(bad_run, str(store.root), False, "s1")
    for attempt in (1, 2):
        with pytest.raises(ValueError, match=r"seeding\.boycotters"):
            execute_run(task)
        failure = store.read_failure(bad_run.run_id)
        assert failure["attempts"] == attempt
        assert failure["error"].startswith("ScenarioError: <dict>: seeding.boycotters")
        assert "Traceback" in failure["traceback"]
        assert failure["params"] == bad_run.params
    assert not store.has_result(bad_run.run_id)
    store.clear_failure(bad_run.run_id)
    assert store.read_failure(bad_run.run_id) is None


def test_collect_gives_one_row_per_finished_run_and_lists_failed_and_missing(tmp_path, sweep):
    store = Store(tmp_path / "out")
    store.write_manifest(sweep_manifest(sweep))
    for k in (4, 0, 2):  # out of order on purpose
        run(store, sweep, k)
    failed = sweep.runs[1]
    store.record_failure(
        {
            "run_id": failed.run_id,
            "point": failed.point,
            "replicate": 0,
            "seed": failed.seed,
            "params": failed.params,
            "attempts": 3,
            "error": "RuntimeError: boom",
            "traceback": "",
        }
    )
    got = collect(store.root)
    assert list(got.runs["point"]) == [0, 2, 4]
    assert list(got.runs.columns[:6]) == [*RUN_HEAD, *sweep.parameter_names]
    assert got.runs["run_id"].is_unique
    assert [f["run_id"] for f in got.failed] == [failed.run_id]
    assert got.missing == [sweep.runs[k].run_id for k in (3, 5)]
    shares = got.runs.filter(like="final_market_share[").sum(axis=1)
    assert ((shares + got.runs["final_outside_share"]) - 1.0).abs().max() < 1e-12
    series = got.series
    assert len(series) == 3 * 5 * 2
    assert set(series["point"]) == {0, 2, 4}
    profit = series[series["step"] > 0].groupby(["run_id", "firm"])["profit"].sum()
    table = got.runs.set_index("run_id")
    for (key, firm), value in profit.items():
        assert table.loc[key, f"cumulative_profit[{firm}]"] == pytest.approx(value, rel=1e-12)
    written = pd.read_parquet(store.root / "runs.parquet")
    pd.testing.assert_frame_equal(written, got.runs)
    assert list(pd.read_parquet(store.root / "executions.parquet")["run_id"]) == list(
        got.runs["run_id"]
    )


def test_collect_refuses_a_folder_without_manifest(tmp_path):
    with pytest.raises(OutputError, match="not a sweep folder"):
        collect(tmp_path)


def test_manifest_round_trips(tmp_path, sweep):
    store = Store(tmp_path / "out")
    store.write_manifest(sweep_manifest(sweep))
    assert store.read_manifest() == json.loads(json.dumps(sweep_manifest(sweep)))
