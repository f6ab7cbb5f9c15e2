"""Tests for cli.py, through a subprocess as a user would run it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from swarmsim.results import load_results


def swarmsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "swarmsim.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def scenario_file(tmp_path, small) -> Path:
    small["steps"] = 8
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_writes_all_outputs_and_byte_identical_parquet(tmp_path, scenario_file):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        done = swarmsim("run", scenario_file, "--out", out)
        assert done.returncode == 0, done.stderr
    names = {"timeseries.parquet", "institutions.parquet", "manifest.json", "summary.png"}
    assert {p.name for p in first.iterdir()} == names
    for name in ("timeseries.parquet", "institutions.parquet"):
        assert digest(first / name) == digest(second / name)
    results = load_results(first)
    assert results.manifest["seed"] == 7
    assert results.manifest["scenario"]["steps"] == 8
    assert set(results.manifest["phase_seconds"]) >= {"purchase", "word_of_mouth"}
    assert len(results.timeseries) == 9 * 3
    assert (first / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_seed_steps_and_set_override_the_file(tmp_path, scenario_file):
    out = tmp_path / "o"
    done = swarmsim(
        "run", scenario_file, "--out", out, "--seed", "11", "--steps", "3",
        "--set", "firms.1.price=1.5", "--set", "consumers.information_parity=0.9",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 11
    assert manifest["steps"] == 3
    assert manifest["scenario"]["firms"][1]["price"] == 1.5
    assert manifest["scenario"]["consumers"]["information_parity"] == 0.9
    frame = pd.read_parquet(out / "timeseries.parquet")
    assert frame["step"].max() == 3


def test_different_seed_gives_different_numbers(tmp_path, scenario_file):
    for seed in ("1", "2"):
        done = swarmsim("run", scenario_file, "--out", tmp_path / seed, "--seed", seed)
        assert done.returncode == 0
    assert digest(tmp_path / "1" / "timeseries.parquet") != digest(
        tmp_path / "2" / "timeseries.parquet"
    )


def test_validate_and_schema(scenario_file, tmp_path):
    done = swarmsim("validate", scenario_file)
    assert done.returncode == 0
    assert done.stdout.startswith("ok:")
    schema = json.loads(swarmsim("schema").stdout)
    assert "firms" in schema["properties"]
    target = tmp_path / "schema.json"
    assert swarmsim("schema", "--out", target).returncode == 0
    assert json.loads(target.read_text())["title"] == "swarmsim scenario"


BAD_INPUT = [
    # (file content or None, extra args, expected fragments of the one-line error)
    ("firms: [{name: A}\n", [], ["invalid YAML", "line"]),
    ("- just\n- a list\n", [], ["expected a mapping"]),
    ("firms: [{name: A, qualty: 0.5}]\n", [], ["firms.0.qualty", "unknown key"]),
    ("firms: [{name: A, quality: high}]\n", [], ["firms.0.quality", "valid number"]),
    ("firms: [{name: A, quality: 1.5}]\n", [], ["firms.0.quality", "less than or equal to 1"]),
    ("firms: [{name: A}]\ngraph: {kind: edge_list, path: missing.txt}\n", [],
     ["graph.path", "graph file not found"]),
    ("firms: [{name: A}]\ninstitutions: [{name: I, kind: church, targets: [B]}]\n", [],
     ["institutions.0.targets", "'B' does not exist"]),
    ("firms: [{name: A}, {name: A}]\n", [], ["firms.1.name", "duplicate"]),
    ("firms: [{name: A}]\n", ["--steps", "0"], ["steps", "greater than or equal to 1"]),
    ("firms: [{name: A}]\n", ["--set", "firms.0.price"], ["--set", "dotted.path=value"]),
    ("firms: [{name: A}]\n", ["--set", "firms.3.price=1"], ["firms.3.price", "not in 0..0"]),
    ("firms: [{name: A}]\ngraph: {kind: barabasi_albert, n: 50, m: 3}\nseeding: {critics: 60}\n",
     [], ["seeding.critics", "<= n consumers"]),
]  # fmt: skip


@pytest.mark.parametrize(("content", "args", "fragments"), BAD_INPUT)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, content, args, fragments):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    out = tmp_path / "out"
    done = swarmsim("run", path, "--out", out, *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_missing_scenario_file(tmp_path):
    done = swarmsim("run", tmp_path / "nope.yaml")
    assert done.returncode == 2
    assert "nope.yaml: file not found" in done.stderr


def test_non_empty_output_needs_overwrite(tmp_path, scenario_file):
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    done = swarmsim("run", scenario_file, "--out", out)
    assert done.returncode == 2
    assert "--overwrite" in done.stderr
    assert (out / "keep.txt").exists()
    done = swarmsim("run", scenario_file, "--out", out, "--overwrite")
    assert done.returncode == 0, done.stderr
    assert not (out / "keep.txt").exists()
    assert (out / "manifest.json").exists()


def test_output_under_a_file_is_rejected(tmp_path, scenario_file):
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = swarmsim("run", scenario_file, "--out", blocker / "sub")
    assert done.returncode == 2
    assert "is a file" in done.stderr


def test_unknown_option_is_one_line_exit_2(scenario_file):
    done = swarmsim("run", scenario_file, "--bogus")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_progress_bar_is_silent_when_not_a_terminal(tmp_path, scenario_file):
    done = swarmsim("run", scenario_file, "--out", tmp_path / "o")
    assert done.returncode == 0
    assert done.stderr == ""
