"""Tests for viz/commands.py: `swarmsim plot` and `swarmsim app` through swarmsim.cli.main."""

import json
from pathlib import Path

import pytest
import yaml

from swarmsim import cli
from swarmsim.viz import app as app_module
from swarmsim.viz import commands
from swarmsim.viz.app import OVERRIDES_ENV, SCENARIO_ENV
from swarmsim.viz.plots import RUN_FIGURES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def scenario_file(tmp_path, small) -> Path:
    small["steps"] = 12
    small["graph"]["n"] = 300
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small), encoding="utf-8")
    return path


@pytest.fixture
def run_dir(tmp_path, scenario_file) -> Path:
    out = tmp_path / "run"
    assert cli.main(["run", str(scenario_file), "--out", str(out), "--no-plot"]) == 0
    return out


def test_plot_regenerates_the_figures_of_a_run(run_dir, capsys):
    assert not (run_dir / "summary.png").exists()
    assert cli.main(["plot", str(run_dir)]) == 0
    for name in RUN_FIGURES:
        assert (run_dir / name).read_bytes()[:8] == PNG_SIGNATURE
    assert capsys.readouterr().out.splitlines() == [f"wrote {run_dir / n}" for n in RUN_FIGURES]


def test_plot_writes_elsewhere_with_out(run_dir, tmp_path):
    target = tmp_path / "figures" / "nested"
    assert cli.main(["plot", str(run_dir), "--out", str(target)]) == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(RUN_FIGURES)
    assert not (run_dir / "cascades.png").exists()


def test_plot_of_a_folder_without_results_is_bad_input(tmp_path, capsys):
    assert cli.main(["plot", str(tmp_path)]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith(f"swarmsim: error: {tmp_path}: not a results folder")
    assert "timeseries.parquet" in message


@pytest.fixture
def exec_calls(monkeypatch):
    """Record the server command instead of replacing the test process with it."""
    calls = []

    def fake_execve(path, argv, env):
        calls.append((path, argv, env))
        raise SystemExit(0)

    monkeypatch.setattr(app_module.os, "execve", fake_execve)
    return calls


def test_app_validates_then_runs_solara_on_loopback(scenario_file, exec_calls, capsys):
    with pytest.raises(SystemExit):
        cli.main(["app", str(scenario_file), "--seed", "9", "--set", "graph.n=200",
                  "--port", "9123"])  # fmt: skip
    ((_, argv, env),) = exec_calls
    assert argv[1:5] == ["-m", "solara", "run", "swarmsim.viz.app"]
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert argv[argv.index("--port") + 1] == "9123"
    assert "--no-check-version" in argv
    assert env[SCENARIO_ENV] == str(scenario_file.resolve())
    assert json.loads(env[OVERRIDES_ENV]) == {"graph.n": 200, "seed": 9}
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert "http://127.0.0.1:9123/" in capsys.readouterr().out


def test_app_without_scenario_serves_the_demo(exec_calls):
    with pytest.raises(SystemExit):
        cli.main(["app"])
    ((_, _, env),) = exec_calls
    assert env[SCENARIO_ENV] == ""


def test_app_rejects_a_bad_scenario_before_serving(tmp_path, exec_calls, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("firms: [{name: A, strategy: honest}]\n", encoding="utf-8")
    assert cli.main(["app", str(bad)]) == 2
    message = capsys.readouterr().err.strip()
    assert message.startswith(f"swarmsim: error: {bad}: firms.0.strategy:")
    assert len(message.splitlines()) == 1
    assert not exec_calls


def test_app_names_the_missing_viz_extra(monkeypatch, exec_calls, capsys):
    real = commands.importlib.util.find_spec
    monkeypatch.setattr(
        commands.importlib.util, "find_spec", lambda name: None if name == "solara" else real(name)
    )
    assert cli.main(["app"]) == 2
    assert "pip install 'swarmsim-consumers[viz]'" in capsys.readouterr().err
    assert not exec_calls
