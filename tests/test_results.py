"""Tests for results.py: tables, manifest, atomic writing and loading."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from swarmsim import results
from swarmsim.errors import OutputError
from swarmsim.model import PHASES, SwarmModel
from swarmsim.results import (
    INSTITUTION_COLUMNS,
    TIMESERIES_COLUMNS,
    check_output_dir,
    institutions_frame,
    load_results,
    timeseries_frame,
    utc_now,
    write_results,
)


@pytest.fixture(scope="module")
def model() -> SwarmModel:
    scenario = {
        "name": "tiny",
        "graph": {"kind": "barabasi_albert", "n": 300, "m": 2},
        "firms": [{"name": "A", "strategy": "manipulative"}, {"name": "B"}],
        "institutions": [
            {"name": "VZ", "kind": "consumer_protection", "targets": ["A"]},
            {"name": "K", "kind": "church"},
        ],
    }
    return SwarmModel.from_scenario(scenario, seed=2).run(4)


def write(model, out, **kw):
    kw.setdefault("plot", False)
    return write_results(model, out, source="tiny.yaml", wall_seconds=1.5, started=utc_now(), **kw)


def test_timeseries_has_one_row_per_step_and_firm(model):
    frame = timeseries_frame(model)
    assert list(frame.columns) == TIMESERIES_COLUMNS
    assert frame[["step", "firm"]].values.tolist() == [
        [step, firm] for step in range(5) for firm in ("A", "B")
    ]
    assert frame["strategy"].iloc[0] == "manipulative"


def test_institutions_table_lists_watched_firms_only(model):
    frame = institutions_frame(model)
    assert list(frame.columns) == INSTITUTION_COLUMNS
    pairs = set(map(tuple, frame[["institution", "firm"]].values.tolist()))
    assert pairs == {("VZ", "A"), ("K", "A"), ("K", "B")}
    assert len(frame) == 5 * 3
    assert frame["campaigning"].dtype == bool


def test_institutions_table_without_institutions_is_empty_but_typed():
    bare = SwarmModel.from_scenario(
        {"graph": {"kind": "complete", "n": 10}, "firms": [{"name": "A"}]}
    ).run(2)
    frame = institutions_frame(bare)
    assert frame.empty
    assert list(frame.columns) == INSTITUTION_COLUMNS
    assert frame["step"].dtype == "int64"
    assert frame["campaigning"].dtype == bool


def test_round_trip(model, tmp_path):
    out = write(model, tmp_path / "run")
    assert sorted(p.name for p in out.iterdir()) == [
        "institutions.parquet",
        "manifest.json",
        "timeseries.parquet",
    ]
    loaded = load_results(out)
    pd.testing.assert_frame_equal(loaded.timeseries, timeseries_frame(model))
    pd.testing.assert_frame_equal(loaded.institutions, institutions_frame(model))
    manifest = loaded.manifest
    assert manifest["seed"] == 2
    assert manifest["steps"] == 4
    assert manifest["scenario"] == model.spec.to_dict()
    assert manifest["scenario_file"] == "tiny.yaml"
    assert manifest["wall_seconds"] == 1.5
    assert set(manifest["phase_seconds"]) == {phase.NAME for phase in PHASES}
    assert manifest["dependencies"]["numpy"]
    assert manifest["dependencies"]["mesa"].startswith("3.5")
    assert manifest["roles"] == model.role_counts()
    assert loaded.path == out


def test_plot_is_written_on_request(model, tmp_path):
    out = write(model, tmp_path / "run", plot=True)
    assert (out / "summary.png").read_bytes()[:4] == b"\x89PNG"


def test_load_results_names_the_missing_files(tmp_path):
    with pytest.raises(
        OutputError, match=r"missing timeseries\.parquet, institutions\.parquet, manifest\.json"
    ):
        load_results(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(
        OutputError,
        match=r"not a results folder \(missing timeseries.parquet, "
        r"institutions.parquet\)",
    ):
        load_results(tmp_path)
    with pytest.raises(OutputError, match="nowhere: not a results folder"):
        load_results(tmp_path / "nowhere")


def fail_plot(*args, **kwargs):
    raise RuntimeError("plot failed")


def test_a_failed_write_leaves_nothing_behind(model, tmp_path, monkeypatch):
    monkeypatch.setattr(results, "_write_plot", fail_plot)
    with pytest.raises(RuntimeError, match="plot failed"):
        write(model, tmp_path / "run", plot=True)
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a hidden temporary one


def test_a_failed_overwrite_keeps_the_old_results(model, tmp_path, monkeypatch):
    out = write(model, tmp_path / "run")
    before = (out / "manifest.json").read_text()
    monkeypatch.setattr(results, "_write_plot", fail_plot)
    with pytest.raises(RuntimeError):
        write(model, out, plot=True, overwrite=True)
    assert (out / "manifest.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_overwrite_replaces_the_folder(model, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "old.txt").write_text("stale")
    (out / "manifest.json").write_text('{"swarmsim_version": "0.0.1"}')  # an older result
    with pytest.raises(OutputError, match="pass --overwrite"):
        write(model, out)
    assert (out / "old.txt").exists()
    write(model, out, overwrite=True)
    assert not (out / "old.txt").exists()
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no .old or .tmp folders left


def test_writing_into_an_empty_existing_folder_needs_no_overwrite(model, tmp_path):
    (tmp_path / "run").mkdir()
    write(model, tmp_path / "run")
    assert (tmp_path / "run" / "timeseries.parquet").is_file()


def test_nested_output_folders_are_created(model, tmp_path):
    out = write(model, tmp_path / "a" / "b" / "run")
    assert (out / "manifest.json").is_file()


def test_check_output_dir_messages(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match="output path exists and is not a folder"):
        check_output_dir(blocker, overwrite=True)
    with pytest.raises(OutputError, match=r"cannot create the output folder \(.*file is a file\)"):
        check_output_dir(blocker / "sub" / "run", overwrite=False)
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("")
    with pytest.raises(OutputError, match=r"full: output folder is not empty \(pass --overwrite"):
        check_output_dir(full, overwrite=False)
    with pytest.raises(OutputError, match=r"full: not a folder swarmsim wrote"):
        check_output_dir(full, overwrite=True)
    (full / "manifest.json").write_text('{"swarmsim_version": "0.1.0"}')
    assert check_output_dir(full, overwrite=True) == full
    assert check_output_dir(tmp_path / "new" / "deep", overwrite=False) == tmp_path / "new" / "deep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "full"]  # the probe is gone


def test_check_output_dir_unwritable(tmp_path, monkeypatch):
    def refuse(**kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(results.tempfile, "mkdtemp", refuse)  # root may write anywhere
    with pytest.raises(OutputError, match=r"run: output folder is not writable \(.*Permission"):
        check_output_dir(tmp_path / "run", overwrite=False)


def test_output_errors_are_os_errors(tmp_path):
    with pytest.raises(OSError, match="not a results folder"):
        load_results(tmp_path)
