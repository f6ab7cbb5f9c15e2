"""Tests for lab/bench.py: ``swarmsim bench --quick`` through the CLI, ratios, failures."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from swarmsim.lab import bench, report
from swarmsim.model import PHASES


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "swarmsim.cli", "bench", "--quick", "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text()), done


def test_quick_bench_writes_json_and_prints_a_table(quick):
    results, done = quick
    assert results["command"].startswith("swarmsim bench --out ")
    assert results["plan"]["quick"] is True
    assert results["failed"] == []
    machine = results["machine"]
    assert machine["cores"] >= 1
    assert machine["ram_gb"] > 0
    assert machine["cpu"]
    assert machine["llvm_cpu"]  # e.g. "znver5"
    assert machine["versions"]["swarmsim"]
    assert set(results["commit"]) == {"sha", "dirty"}
    for fragment in (
        "threshold cascade n=2,000", "same final size", "hand_numba", "cynetdiff",
        "2-thread ceiling", "GB/s",
    ):  # fmt: skip
        assert fragment in done.stdout
    assert "speed ratio" in done.stdout
    for verdict in ("target", "MISSED"):  # it measures; it does not judge
        assert verdict not in done.stdout
        assert verdict not in json.dumps(results)


def test_all_four_threshold_cascades_reach_the_same_size(quick):
    results, _ = quick
    cascade = results["threshold_cascade"]
    tools = cascade["tools"]
    assert set(tools) == {"swarmsim", "hand_numba", "ndlib", "mesa"}
    sizes = {name: tool["final_size"] for name, tool in tools.items()}
    assert cascade["same_final_size"] is True
    assert len(set(sizes.values())) == 1, sizes
    assert cascade["seeds"] == 2  # n / 1000
    if sizes["swarmsim"] == cascade["n"]:  # global cascade: every edge end visited once
        assert cascade["edge_visits"] == 2 * cascade["edges"]
    for tool in tools.values():
        assert tool["seconds"] > 0
        assert tool["cpu_seconds"] > 0
        assert tool["seconds"] == sorted(tool["times"])[len(tool["times"]) // 2]
        assert tool["edge_visits_per_second"] == pytest.approx(
            cascade["edge_visits"] / tool["seconds"]
        )
    assert tools["swarmsim"]["steps"] >= 2  # at least one round plus the quiet one
    assert set(cascade["speed_ratio"]) == {"hand_numba", "ndlib", "mesa"}
    assert set(cascade["speed_ratio_cpu"]) == set(cascade["speed_ratio"])
    hand, ours = tools["hand_numba"], tools["swarmsim"]
    assert cascade["speed_ratio"]["hand_numba"] == pytest.approx(hand["seconds"] / ours["seconds"])
    assert cascade["speed_ratio_cpu"]["mesa"] == pytest.approx(
        tools["mesa"]["cpu_seconds"] / ours["cpu_seconds"]
    )


def test_independent_cascade_and_full_model_records(quick):
    results, _ = quick
    independent = results["independent_cascade"]
    assert set(independent["tools"]) == {"swarmsim", "swarmsim_model", "cynetdiff"}
    for tool in independent["tools"].values():
        assert min(tool["final_sizes"]) >= 2  # at least the seeds
    tools = independent["tools"]
    assert independent["frontier_same_as_model"] is True
    assert tools["swarmsim"]["final_sizes"] == tools["swarmsim_model"]["final_sizes"]
    assert independent["speed_ratio"]["cynetdiff"] == pytest.approx(
        tools["cynetdiff"]["seconds"] / tools["swarmsim"]["seconds"]
    )
    runs = results["full_model"]
    assert (runs["1_thread"]["threads"], runs["2_threads"]["threads"]) == (1, 2)
    for run in runs.values():
        assert run["n"] == 2_000
        assert run["steps"] == 5
        assert set(run["phase_seconds"]) == {phase.NAME for phase in PHASES}
        assert 0 < run["start_rss_gb"] <= run["peak_rss_gb"]
        assert run["estimate_gb"] > 0
        assert run["seconds"] == pytest.approx(
            run["graph_seconds"] + run["init_seconds"] + run["run_seconds"]
        )
        (repeat,) = run["repeats"]  # --quick: one repeat, whose figures are the medians
        assert repeat["phases"] == run["phase_seconds"]
        assert repeat["run_seconds"] == run["run_seconds"]
        assert run["times"] == [
            pytest.approx(repeat["graph_seconds"] + repeat["init_seconds"] + repeat["run_seconds"])
        ]
    backends = results["backends"]
    assert backends["numpy"]["backend"] == "numpy"
    assert backends["ratio_1_thread"] == pytest.approx(
        backends["numpy"]["run_seconds"] / backends["numba_1_thread"]["run_seconds"]
    )
    assert [point["n"] for point in results["scaling"]] == [2_000]
    assert results["huge"] is None
    assert set(results["figures"]) == {
        "full_wall_seconds", "full_peak_gb", "speedup_2_threads", "numba_vs_numpy",
    }  # fmt: skip
    assert set(results["figures_cpu"]) == {"full_wall_seconds", "numba_vs_numpy"}


def test_ceiling_records_what_a_second_thread_gains(quick):
    results, _ = quick
    ceiling = results["ceiling"]
    assert ceiling["n"] == 100_000
    assert set(ceiling["loops"]) == {"stream", "gather", "arithmetic"}
    for loop in ceiling["loops"].values():
        assert loop["speedup"] == pytest.approx(loop["2_threads"] / loop["1_thread"])


def test_commit_names_the_checkout_or_nothing(tmp_path):
    here = bench.commit()
    assert len(here["sha"]) == 40
    assert isinstance(here["dirty"], bool)
    assert bench.commit(tmp_path) == {"sha": None, "dirty": None}  # not a git checkout


def test_plan_runs_each_full_model_configuration_once():
    runs = bench._full_runs(bench.BenchPlan())
    assert list(runs) == sorted(runs)
    assert (1_000_000, "numba", 1) in runs
    assert (100_000, "numpy", 1) in runs
    assert len(runs) == 7  # 10^3, 10^4, 10^5 (1 thread; numpy; 2 threads),
    # 10^6 at 1 and 2 threads
    huge = bench._full_runs(bench.BenchPlan(huge_n=10_000_000))
    assert set(huge) - set(runs) == {(10_000_000, "numba", 1)}


def test_bad_option_is_one_line_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "swarmsim.cli", "bench", "--repeats", "0"],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--repeats" in done.stderr
    assert not (tmp_path / "bench.json").exists()


def test_a_failed_task_is_recorded_and_the_rest_kept(monkeypatch):
    calls = []

    def measure(task, threads, scratch, **env):
        calls.append((task["kind"], task["n"], threads, env))
        return {"error": f"{task['kind']} n={task['n']}: boom"}

    monkeypatch.setattr(bench, "_measure", measure)
    plan = dataclasses.replace(bench.BenchPlan.quick_plan(), compile=True)
    results = bench.run_bench(plan, log=lambda line: None)
    kinds = [kind for kind, _, _, _ in calls]
    assert kinds == ["cascades", "ceiling", "compile", "compile", "full", "full", "full"]
    cold, warm = (env for kind, _, _, env in calls if kind == "compile")
    assert cold == warm != {}  # one fresh Numba cache folder, used twice
    assert results["failed"] == [f"{kind} n={n}: boom" for kind, n, _, _ in calls]
    assert results["figures"] == {}
    assert results["scaling"] == []
    rows = report.table_rows(results)
    assert [row[0] for row in rows] == ["FAILED"] * len(calls)
