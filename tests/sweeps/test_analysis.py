"""Tests for sweeps/analysis.py: Sobol indices, replicate bands, plots, paired differences."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from sweepfiles import write_sweep

from swarmsim.errors import ScenarioError
from swarmsim.sweeps.analysis import (
    line_figure,
    paired_differences,
    replicate_bands,
    sobol_figure,
    sobol_indices,
    sobol_table,
    sweep_figure,
)
from swarmsim.sweeps.design import SweepSpec, design_points, load_sweep, sobol_problem
from swarmsim.sweeps.runner import RunTask, execute_run
from swarmsim.sweeps.store import Store, collect, sweep_manifest

SOBOL = {
    "scenario": "base.yaml",
    "parameters": {
        "a": {"low": 0.0, "high": 1.0},
        "b": {"low": 0.0, "high": 1.0},
        "c": {"low": 0.0, "high": 1.0},
    },
    "design": {"kind": "sobol", "samples": 1024},
    "replicates": 2,
}


def synthetic_runs(spec: SweepSpec, output) -> pd.DataFrame:
    """A runs table whose metric y is output(point values, replicate)."""
    rows = [
        {"run_id": f"{p}-{r}", "point": p, "replicate": r, "seed": r, **pt, "y": output(pt, r)}
        for p, pt in enumerate(design_points(spec))
        for r in range(spec.replicates)
    ]
    return pd.DataFrame(rows)


def test_sobol_indices_of_a_linear_model_match_the_analytic_values():
    # y = 4a + 2b + 0c with a, b, c ~ U(0, 1): Var = (16 + 4)/12, so S1 = ST = (0.8, 0.2, 0).
    spec = SweepSpec.model_validate(SOBOL)
    noise = np.random.default_rng(0)
    runs = synthetic_runs(spec, lambda pt, r: 4 * pt["a"] + 2 * pt["b"] + noise.normal(0, 0.01))
    points = len(design_points(spec))
    indices = sobol_indices(runs, sobol_problem(spec), "y", points=points).set_index("parameter")
    np.testing.assert_allclose(indices["S1"], [0.8, 0.2, 0.0], atol=0.03)
    np.testing.assert_allclose(indices["ST"], [0.8, 0.2, 0.0], atol=0.03)
    assert (indices[["S1_conf", "ST_conf"]] > 0).all().all()
    assert (indices[["S1_conf", "ST_conf"]] < 0.1).all().all()


def test_sobol_indices_of_an_interaction_show_in_the_total_index_only():
    # y = a * b (centred): part of the variance is the a×b interaction, so ST > S1.
    spec = SweepSpec.model_validate(SOBOL)
    runs = synthetic_runs(spec, lambda pt, r: (pt["a"] - 0.5) * (pt["b"] - 0.5) + 0.1 * pt["a"])
    points = len(design_points(spec))
    indices = sobol_indices(runs, sobol_problem(spec), "y", points=points).set_index("parameter")
    assert indices.loc["b", "ST"] > indices.loc["b", "S1"] + 0.2
    assert indices.loc["c", "ST"] == pytest.approx(0.0, abs=0.02)


def test_sobol_indices_need_every_point():
    spec = SweepSpec.model_validate(SOBOL)
    runs = synthetic_runs(spec, lambda pt, r: pt["a"])
    runs = runs[runs["point"] != 3]
    with pytest.raises(ValueError, match="1 of 5120 have no finished run"):
        sobol_indices(runs, sobol_problem(spec), "y", points=5120)


def test_replicate_bands_give_mean_interval_and_quantiles():
    runs = pd.DataFrame({"x": [1, 1, 1, 1, 2, 2], "y": [1.0, 2.0, 3.0, 4.0, 5.0, 5.0]})
    bands = replicate_bands(runs, ["x"], "y").set_index("x")
    half = 1.959963984540054 * np.std([1, 2, 3, 4], ddof=1) / 2
    assert bands.loc[1, "mean"] == 2.5
    assert bands.loc[1, "ci_low"] == pytest.approx(2.5 - half)
    assert bands.loc[1, "ci_high"] == pytest.approx(2.5 + half)
    assert bands.loc[1, "q05"] == pytest.approx(1.15)
    assert bands.loc[1, "q95"] == pytest.approx(3.85)
    assert (bands.loc[2, ["mean", "ci_low", "ci_high", "n"]] == [5.0, 5.0, 5.0, 2]).all()


def test_paired_differences_pair_by_replicate():
    runs = pd.DataFrame(
        {
            "p": [0.3, 0.3, 0.3, 0.7, 0.7],
            "replicate": [0, 1, 2, 0, 1],
            "y": [1.0, 2.0, 9.0, 1.5, 2.25],
        }
    )
    diff = paired_differences(runs, "p", 0.3, 0.7, "y")
    assert diff.to_dict() == {0: 0.5, 1: 0.25}


def test_line_figure_draws_one_mean_line_and_two_bands_per_level():
    runs = pd.DataFrame({"x": [0, 0, 1, 1] * 2, "g": [0] * 4 + [1] * 4, "y": range(8)})
    fig = line_figure(runs, "x", "y", by="g")
    ax = fig.axes[0]
    assert len(ax.get_lines()) == 2
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 4
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [4.5, 6.5])
    assert ax.get_xlabel() == "x"
    assert ax.get_ylabel() == "y"


def test_two_parameters_give_a_heatmap_of_the_mean_per_cell():
    runs = pd.DataFrame({"x": [0, 0, 1, 1], "z": [5, 6, 5, 6], "y": [1.0, 2.0, 3.0, 4.0]})
    runs = pd.concat([runs, runs.assign(y=runs["y"] + 1)])
    manifest = {"parameters": ["x", "z"]}
    fig = sweep_figure(runs, manifest, metric="y", x="x", y="z")
    image = fig.axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(image, [[1.5, 3.5], [2.5, 4.5]])  # rows: z, columns: x
    lines = sweep_figure(runs, manifest, metric="y", x="x", y="z", lines=True)
    assert len(lines.axes[0].get_lines()) == 2


def test_sobol_figure_has_bars_with_error_bars_for_each_index():
    indices = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.7, 0.2],
            "S1_conf": [0.05, 0.04],
            "ST": [0.75, 0.25],
            "ST_conf": [0.06, 0.05],
        }
    )
    ax = sobol_figure(indices, "y").axes[0]
    heights = sorted(round(p.get_height(), 2) for p in ax.patches)
    assert heights == [0.2, 0.25, 0.7, 0.75]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]


@pytest.fixture
def small_sobol_sweep(tmp_path):
    """A real Sobol sweep of the model (N=2, D=2: 8 points), run in-process."""
    params = {
        "consumers.information_parity": {"low": 0.2, "high": 0.8},
        "word_of_mouth.p_talk": {"low": 0.05, "high": 0.3},
    }
    sweep = load_sweep(
        write_sweep(
            tmp_path,
            parameters=params,
            replicates=1,
            steps=3,
            design={"kind": "sobol", "samples": 2},
            outputs={},
        )
    )
    return sweep, *run_in_process(sweep, tmp_path / "out")


def run_in_process(sweep, root):
    """Execute every run of ``sweep`` here (no Dask) and collect it."""
    store = Store(root)
    store.write_manifest(sweep_manifest(sweep))
    for run in sweep.runs:
        execute_run(RunTask(run, str(store.root), False, "test"))
    return collect(store.root), store.read_manifest()


def test_sobol_table_covers_every_output_of_a_sobol_sweep(small_sobol_sweep):
    sweep, collected, manifest = small_sobol_sweep
    table = sobol_table(collected.runs, manifest)
    assert len(collected.runs) == 8
    assert set(table["parameter"]) == set(sweep.parameter_names)
    assert "final_market_share[Manip]" in set(table["metric"])
    fig = sweep_figure(collected.runs, manifest, metric="final_market_share[Manip]")
    assert fig.axes[0].get_title() == "final_market_share[Manip]"


def test_sweep_figure_checks_metric_and_parameters(small_sobol_sweep):
    _, collected, manifest = small_sobol_sweep
    with pytest.raises(ScenarioError, match="not an output"):
        sweep_figure(collected.runs, manifest, metric="nope")
    with pytest.raises(ScenarioError, match="not a swept parameter"):
        sweep_figure(collected.runs, manifest, metric="campaigns", x="graph.n")


def test_an_output_that_never_varies_has_nan_indices_and_no_warning():
    spec = SweepSpec.model_validate(SOBOL)
    runs = synthetic_runs(spec, lambda pt, r: 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        indices = sobol_indices(runs, sobol_problem(spec), "y", points=5120)
    assert indices[["S1", "S1_conf", "ST", "ST_conf"]].isna().all().all()


@pytest.mark.parametrize(
    ("replicates", "factor"), [(10, 2), pytest.param(40, 3, marks=pytest.mark.slow)]
)
def test_common_random_numbers_sharpen_paired_differences(tmp_path, replicates, factor):
    params = {"consumers.information_parity": {"levels": [0.3, 0.7]}}
    variance = {}
    for seeds in ("common", "independent"):
        path = write_sweep(tmp_path, parameters=params, replicates=replicates, outputs={})
        sweep = load_sweep(path, overrides={"seeds": seeds})
        collected, _ = run_in_process(sweep, tmp_path / seeds)
        diff = paired_differences(
            collected.runs, "consumers.information_parity", 0.3, 0.7, "mean_market_share[Manip]"
        )
        assert len(diff) == replicates
        variance[seeds] = diff.var(ddof=1)
    assert variance["common"] * factor < variance["independent"]
