"""Checkpoints and resume: a resumed run gives the same bytes; signals stop a run cleanly.

In Python (save at a step, rebuild, run on: the same tables as without stopping) and
through the command line as a user meets it: a real SIGKILL of a 10⁵-consumer run,
then ``--resume``; SIGTERM and Ctrl-C; refused misuse.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from swarmsim.catalog import resolve
from swarmsim.checkpoint import load_checkpoint, save_checkpoint
from swarmsim.model import SwarmModel
from swarmsim.results import institutions_frame, timeseries_frame
from swarmsim.scenario import load_scenario

EVERY_KIND_OF_EVENT = [
    {"at": 4, "action": {"kind": "misconduct", "firm": "Persuado"}},
    {"every": 5, "start": 3, "action": {"kind": "misconduct", "firm": "Hybrid", "exposed": False}},
    {"at": 9, "action": {"kind": "set_parameter", "path": "consumers.information_parity",
                         "value": 0.8}},
    {"when": {"firm": "Persuado", "measure": "boycott_share", "above": 0.02},
     "action": {"kind": "set_parameter", "path": "firms.0.price", "value": 0.9}},
    {"at": 12, "action": {"kind": "seed_critics", "count": 20}},
]  # fmt: skip


def shipped(name: str, n: int = 1500, **over) -> dict:
    data = load_scenario(resolve(name)).to_dict()
    data["graph"]["n"] = n
    return {**data, **over}


def stopped_and_resumed(data: dict, stop: int, tmp_path: Path) -> SwarmModel:
    model = SwarmModel.from_scenario(data)
    model.run(stop)
    save_checkpoint(model, tmp_path / "c.npz", started_from=data)
    resumed, started_from, _ = load_checkpoint(tmp_path / "c.npz")
    assert started_from == data
    return resumed.run(data["steps"] - stop)


@pytest.mark.parametrize(
    ("data", "stop"),
    [
        (shipped("baseline", steps=30, events=EVERY_KIND_OF_EVENT), 11),
        (shipped("adaptive_firms", steps=30), 17),  # imitation: firms' windows and strategies
        (shipped("scandal_citizen_initiative", steps=30), 13),  # campaigns and petitions
        (shipped("baseline", steps=30, adaptation={"rule": "learn", "every": 4}), 9),
    ],
    ids=["events", "imitate", "campaigns", "learn"],
)
def test_a_run_resumed_from_a_checkpoint_gives_the_same_tables(data, stop, tmp_path):
    whole = SwarmModel.from_scenario(data).run()
    resumed = stopped_and_resumed(data, stop, tmp_path)
    assert timeseries_frame(resumed).equals(timeseries_frame(whole))
    assert institutions_frame(resumed).equals(institutions_frame(whole))
    assert resumed.spec == whole.spec  # set_parameter events applied once, in order


def test_events_due_before_the_checkpoint_do_not_act_again(tmp_path):
    data = shipped("baseline", steps=20, events=EVERY_KIND_OF_EVENT)
    resumed = stopped_and_resumed(data, 15, tmp_path)
    fired = [event.fired for event in resumed.events]
    whole = SwarmModel.from_scenario(data).run()
    assert fired == [event.fired for event in whole.events]
    assert fired[:2] == [1, 4]  # at 4; every 5 from 3: steps 3, 8, 13, 18


def test_a_damaged_checkpoint_is_refused_with_one_line(tmp_path):
    path = tmp_path / "c.npz"
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(Exception, match="not a readable checkpoint"):
        load_checkpoint(path)


# ------------------------------------------------------------------ the command line
def swarmsim(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "swarmsim.cli", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,
    )  # fmt: skip


def finished(*args) -> subprocess.CompletedProcess:
    process = swarmsim(*args)
    out, err = process.communicate(timeout=600)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A 10⁵-consumer scenario with scheduled events, 60 steps."""
    data = shipped("scandal_and_regulation", n=100_000, steps=60)
    data["events"] = [e for e in data["events"] if e.get("at", 0) <= 60]
    path = tmp_path_factory.mktemp("large") / "large.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.slow
def test_sigkill_then_resume_gives_byte_identical_parquet_files(large, tmp_path):
    options = ("--consumers", "every=7", "--graph", "--no-plot")
    done = finished("run", large, "--out", tmp_path / "whole", *options)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "killed"
    process = swarmsim("run", large, "--out", target, *options, "--checkpoint-every", "10")
    wait_for(target.with_name("killed.partial") / "checkpoint.npz", process)
    time.sleep(0.3)  # into the steps after the checkpoint
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert not target.exists()
    resumed = finished("run", "--resume", target)
    assert resumed.returncode == 0, resumed.stderr
    assert not target.with_name("killed.partial").exists()
    assert digests(target) == digests(tmp_path / "whole")
    assert len(digests(target)) == 4 + 10  # 2 tables, traits, graph; steps 0, 7, ..., 56, 60


@pytest.mark.parametrize(
    ("sig", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")]
)
def test_a_signal_stops_a_run_with_its_exit_code_and_keeps_the_last_checkpoint(
    large, tmp_path, sig, code, name
):
    target = tmp_path / "run"
    process = swarmsim("run", large, "--out", target, "--checkpoint-every", "5", "--no-plot")
    wait_for(target.with_name("run.partial") / "checkpoint.npz", process)
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code, err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"swarmsim: interrupted by {name} at step ")
    assert f"continue with 'swarmsim run --resume {target}'" in line
    assert not target.exists()
    assert (target.with_name("run.partial") / "checkpoint.npz").is_file()


def test_a_signal_without_checkpoints_leaves_nothing(large, tmp_path):
    target = tmp_path / "run"
    process = swarmsim("run", large, "--out", target, "--no-plot", "--consumers", "every=1")
    deadline = time.monotonic() + 300
    while not list(tmp_path.glob(".run.tmp-*/consumers/step-000005.parquet")):  # in the steps
        assert time.monotonic() < deadline
        assert process.poll() is None
        time.sleep(0.02)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 143, err
    assert "no results were written" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--resume", "{tmp}/none"], "none.partial/checkpoint.npz: no checkpoint to resume"),
        (["baseline", "--resume", "{tmp}/x"], "--resume: continues the run as it was started; "
                                              "drop SCENARIO"),
        (["baseline", "--consumers", "every=0"], "--consumers: expected every=K with K >= 1"),
        ([], "SCENARIO: give a scenario file or name, or --resume DIR"),
    ],
)  # fmt: skip
def test_misuse_is_refused_with_one_line(tmp_path, args, message):
    done = finished("run", *[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_new_run_does_not_overwrite_an_interrupted_one(tmp_path):
    (tmp_path / "x.partial").mkdir()
    done = finished("run", "baseline", "--out", tmp_path / "x", "--checkpoint-every", "5")
    assert done.returncode == 2
    assert "holds an interrupted run; continue it with 'swarmsim run --resume" in done.stderr
    assert list((tmp_path / "x.partial").iterdir()) == []
