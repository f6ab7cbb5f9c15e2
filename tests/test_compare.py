"""Tests for swarmsim.compare and `swarmsim compare`: paired runs with common random numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from swarmsim.cli import main
from swarmsim.compare import compare, paired_differences
from swarmsim.scenario import load_scenario

SMALL = {
    "steps": 20,
    "backend": "numpy",
    "graph": {"kind": "barabasi_albert", "n": 400, "m": 3},
    "firms": [{"name": "A", "strategy": "manipulative", "misconduct_rate": 0.1}, {"name": "B"}],
}


def spec(**overrides) -> dict:
    return load_scenario(SMALL, overrides=overrides).to_dict()


def half_width(table: pd.DataFrame, firm: str, outcome: str) -> float:
    row = table[(table["firm"] == firm) & (table["outcome"] == outcome)].iloc[0]
    return (row["high"] - row["low"]) / 2


def test_the_summary_is_the_mean_difference_with_a_student_t_interval():
    gen = np.random.default_rng(0)
    a, delta = gen.normal(size=12), gen.normal(1.0, 0.5, size=12)
    runs = pd.concat([
        pd.DataFrame({"scenario": "A", "seed": range(12), "firm": "F", "outcome": "x", "value": a}),
        pd.DataFrame({"scenario": "B", "seed": range(12), "firm": "F", "outcome": "x",
                      "value": a + delta}),
    ])  # fmt: skip
    row = paired_differences(runs).iloc[0]
    assert row["difference"] == pytest.approx(delta.mean())
    assert row["sd"] == pytest.approx(delta.std(ddof=1))
    low, high = stats.t.interval(0.95, 11, loc=delta.mean(), scale=stats.sem(delta))
    assert (row["low"], row["high"]) == pytest.approx((low, high))
    assert row["seeds"] == 12


def test_a_scenario_compared_with_itself_differs_by_exactly_zero():
    runs = compare(spec(), spec(), [1, 2, 3])
    table = paired_differences(runs)
    assert np.all(table["difference"] == 0.0)
    assert np.all(table["sd"] == 0.0)
    independent = paired_differences(compare(spec(), spec(), [1, 2, 3], independent=True))
    assert np.any(independent["sd"] > 0.0)


def test_pairing_shrinks_the_noise_and_more_seeds_shrink_the_interval():
    a, b = spec(), spec(**{"purchase.beta_price": 1.5})
    seeds = list(range(16))
    paired = paired_differences(compare(a, b, seeds, workers=2))
    independent = paired_differences(compare(a, b, seeds, workers=2, independent=True))
    share = ("B", "mean_market_share")
    assert half_width(paired, *share) < half_width(independent, *share) / 2
    few = paired_differences(compare(a, b, seeds[:4]))
    assert half_width(paired, *share) < half_width(few, *share)


def test_the_command_writes_runs_differences_and_manifest(tmp_path, capsys):
    scenario = tmp_path / "a.yaml"
    scenario.write_text(json.dumps(SMALL))
    code = main([
        "compare", str(scenario), "--set-b", "consumers.information_parity=0.9", "--seeds", "3",
        "--workers", "1", "--out", str(tmp_path / "out"),
    ])  # fmt: skip
    assert code == 0
    assert "B − A over 3 seeds" in capsys.readouterr().out
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert len(runs) == 2 * 3 * 2 * 5  # scenarios x seeds x firms x outcomes
    assert (tmp_path / "out" / "differences.parquet").is_file()
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_command_needs_a_second_scenario_or_overrides(tmp_path, capsys):
    scenario = tmp_path / "a.yaml"
    scenario.write_text(json.dumps(SMALL))
    assert main(["compare", str(scenario), "--out", str(tmp_path / "o")]) == 2
    message = capsys.readouterr().err
    assert "give a second scenario or --set-b" in message
    assert message.count("\n") == 1
    assert not (tmp_path / "o").exists()
