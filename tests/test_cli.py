"""Tests for cli.py, through a subprocess as a user would run it."""

from __future__ import annotations

import hashlib
import json
import os
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
    ("firms: [{name: A}]\nsteps: true\n", [], ["steps", "got a boolean"]),
    ("firms: [{name: A}]\n", ["--set", "firms.0.price=yes"], ["firms.0.price", "got a boolean"]),
    ("firms: [{name: A, fixed_cost: .inf}]\n", [], ["firms.0.fixed_cost", "finite number"]),
    ("firms: [{name: A}]\nconsumers: {threshold: {kind: beta, concentration: .nan}}\n", [],
     ["consumers.threshold.concentration", "finite number"]),
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


def test_file_names_are_printed_as_they_are(tmp_path):
    done = swarmsim("run", tmp_path / ":smile: [bold]x.yaml")  # no emoji, no console markup
    assert done.returncode == 2
    assert ":smile: [bold]x.yaml: file not found" in done.stderr


def test_overwrite_replaces_only_a_results_folder(tmp_path, scenario_file):
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    for extra in ([], ["--overwrite"]):  # not ours: refused either way
        done = swarmsim("run", scenario_file, "--out", out, *extra)
        assert done.returncode == 2
        assert len(done.stderr.strip().splitlines()) == 1
        assert (out / "keep.txt").read_text() == "x"
    assert "not a folder swarmsim wrote" in done.stderr
    (out / "keep.txt").unlink()
    assert swarmsim("run", scenario_file, "--out", out).returncode == 0  # empty: fine
    done = swarmsim("run", scenario_file, "--out", out)
    assert done.returncode == 2
    assert "--overwrite" in done.stderr
    done = swarmsim("run", scenario_file, "--out", out, "--overwrite", "--seed", "9")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9


@pytest.mark.parametrize(("name", "folder"), [("/etc", "etc"), ("../../x", "x"),
                                              ("a b:c", "a_b_c")])  # fmt: skip
def test_a_scenario_name_is_a_label_not_a_path(tmp_path, small, name, folder):
    small.update(name=name, steps=2)
    (tmp_path / "work").mkdir()
    path = tmp_path / "work" / "s.yaml"
    path.write_text(yaml.safe_dump(small))
    done = swarmsim("run", path, cwd=tmp_path / "work")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "work" / "results" / folder / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_later_run_tidies_what_a_killed_run_left(tmp_path, scenario_file):
    out, pid = tmp_path / "o", dead_pid()
    assert swarmsim("run", scenario_file, "--out", out).returncode == 0
    # killed between the two renames of --overwrite: the old result moved aside, no new one
    out.rename(tmp_path / f".o.old-{pid}-0123abcd")
    (tmp_path / f".o.tmp-{pid}-4567cdef").mkdir()  # and its half-written new result
    (tmp_path / f".o.tmp-{os.getpid()}-89abcdef").mkdir()  # a live process's: left alone
    done = swarmsim("run", scenario_file, "--out", out)
    assert done.returncode == 2  # the old result is back, and it is not empty
    assert (out / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".o.tmp-{os.getpid()}-89abcdef", "o", "small.yaml",
    ]  # fmt: skip


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


DEGENERATE_GRAPHS = {
    "comments.txt": ("edge_list", b"# no edges here\n\n"),
    "empty.txt": ("edge_list", b""),
    "empty.graphml": ("graphml", b'<?xml version="1.0"?><graphml '
                      b'xmlns="http://graphml.graphdrawing.org/xmlns"><graph '
                      b'edgedefault="undirected"></graph></graphml>'),
    "secret.txt": ("edge_list", b"0 1\nTOKEN=s3cr3t x\n"),
}  # fmt: skip


@pytest.mark.parametrize("name", DEGENERATE_GRAPHS)
def test_validate_refuses_the_graph_files_run_refuses(tmp_path, name):
    kind, content = DEGENERATE_GRAPHS[name]
    (tmp_path / name).write_bytes(content)
    path = tmp_path / "s.yaml"
    path.write_text(f"firms: [{{name: A}}]\nsteps: 2\ngraph: {{kind: {kind}, path: {name}}}\n")
    for command in (["validate", path], ["run", path, "--out", tmp_path / "out"]):
        done = swarmsim(*command)
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert name in done.stderr
        assert "s3cr3t" not in done.stderr
    assert not (tmp_path / "out").exists()
