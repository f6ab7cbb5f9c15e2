"""Tests for sweeps/design.py: sweep files, designs, seeds and run ids."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml
from sweepfiles import BASE, GRID, write_sweep

from swarmsim import __version__
from swarmsim.errors import ScenarioError
from swarmsim.sweeps.design import (
    ParameterSpec,
    SweepSpec,
    design_points,
    load_sweep,
    replicate_seeds,
    run_id,
    sobol_problem,
    sweep_json_schema,
)

ROOT = Path(__file__).resolve().parents[2]


def spec(**changes) -> SweepSpec:
    data = {"scenario": "base.yaml", **changes}
    return SweepSpec.model_validate(data)


def test_grid_is_the_full_factorial_with_the_last_parameter_fastest():
    s = spec(parameters={"a.x": {"levels": [1, 2]}, "b.y": {"low": 0.0, "high": 1.0, "count": 3}})
    points = design_points(s)
    expected = [{"a.x": a, "b.y": b} for a, b in itertools.product([1, 2], [0.0, 0.5, 1.0])]
    assert points == expected


def test_grid_without_parameters_is_one_point():
    assert design_points(spec()) == [{}]


def test_integer_ranges_round_down_to_integers_inside_the_range():
    p = ParameterSpec(low=2, high=5, integer=True)
    values = p.from_unit(np.linspace(0.0, 1.0, 101))
    assert set(values) == {2, 3, 4, 5}
    assert all(isinstance(v, int) for v in values)
    assert ParameterSpec(low=0, high=10, count=3, integer=True).values() == [0, 5, 10]


def test_levels_are_chosen_with_equal_chance_from_unit_numbers():
    p = ParameterSpec(levels=["a", "b", "c", "d"])
    assert p.from_unit(np.array([0.0, 0.24, 0.25, 0.5, 0.99, 1.0])) == list("aabcdd")


@pytest.mark.parametrize("kind", ["random", "lhs"])
def test_sampled_designs_stay_in_range_and_depend_only_on_the_seed(kind):
    params = {"p": {"low": 0.2, "high": 0.4}, "q": {"levels": [1, 2, 3]}}
    s = spec(parameters=params, design={"kind": kind, "samples": 40}, seed=5)
    points = design_points(s)
    assert len(points) == 40
    assert all(0.2 <= pt["p"] <= 0.4 and pt["q"] in (1, 2, 3) for pt in points)
    assert points == design_points(
        spec(parameters=params, design={"kind": kind, "samples": 40}, seed=5)
    )
    assert points != design_points(
        spec(parameters=params, design={"kind": kind, "samples": 40}, seed=6)
    )


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_parameter():
    params = {"p": {"low": 0.0, "high": 10.0}, "q": {"low": -1.0, "high": 1.0}}
    points = design_points(spec(parameters=params, design={"kind": "lhs", "samples": 10}))
    assert sorted(int(pt["p"]) for pt in points) == list(range(10))
    assert sorted(int((pt["q"] + 1.0) / 0.2) for pt in points) == list(range(10))


def test_sobol_design_is_salibs_saltelli_sample_on_the_ranges():
    from SALib.sample import sobol

    params = {
        "a": {"low": 0.0, "high": 2.0},
        "b": {"low": 10.0, "high": 11.0},
        "c": {"low": 0, "high": 1},
    }
    s = spec(parameters=params, design={"kind": "sobol", "samples": 16})
    points = np.array([[pt["a"], pt["b"], pt["c"]] for pt in design_points(s)])
    assert points.shape == (16 * (3 + 2), 3)
    unit = sobol.sample(sobol_problem(s, unit=True), 16, calc_second_order=False, seed=_seed(s))
    expected = sobol.sample(sobol_problem(s), 16, calc_second_order=False, seed=_seed(s))
    np.testing.assert_allclose(points, expected, rtol=0, atol=1e-12)
    assert unit.min() >= 0.0
    assert unit.max() <= 1.0
    second = spec(parameters=params, design={"kind": "sobol", "samples": 16, "second_order": True})
    assert len(design_points(second)) == 16 * (2 * 3 + 2)


def _seed(s: SweepSpec) -> int:
    """The seed design_points passes to SALib (drawn from the design generator)."""
    from swarmsim.kernels.rng import stable_hash

    return int(np.random.default_rng([s.seed, stable_hash("sweeps.design")]).integers(2**31))


def test_common_seeds_repeat_across_points_and_come_from_seed_sequence_spawn():
    seeds = replicate_seeds(42, replicates=4, points=3, common=True)
    children = np.random.SeedSequence(42).spawn(4)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert seeds.shape == (3, 4)
    assert (seeds == np.array(expected)).all()
    assert (seeds >= 0).all()


def test_independent_seeds_differ_for_every_run():
    seeds = replicate_seeds(42, replicates=4, points=3, common=False)
    assert len(np.unique(seeds)) == 12


def test_more_replicates_keep_the_seeds_of_the_first_ones():
    assert (replicate_seeds(3, 5, 2)[:, :3] == replicate_seeds(3, 3, 2)).all()


def test_load_sweep_expands_points_and_replicates_into_resolved_runs(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, steps=5))
    assert len(sweep.runs) == 6 * 3
    assert sweep.points == 6
    assert sweep.parameter_names == ["consumers.information_parity", "word_of_mouth.p_talk"]
    assert [(r.point, r.replicate) for r in sweep.runs[:4]] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    run = sweep.runs[4]  # point 1: parity 0.3, p_talk 0.125
    assert run.params == {"consumers.information_parity": 0.3, "word_of_mouth.p_talk": 0.125}
    assert run.scenario["consumers"]["information_parity"] == 0.3
    assert run.scenario["word_of_mouth"]["p_talk"] == 0.125
    assert run.scenario["steps"] == 5
    assert run.scenario["seed"] == run.seed
    assert run.scenario["firms"][1]["dialogue"] == 0.5  # defaults are resolved
    by_replicate = {
        r.replicate: {x.seed for x in sweep.runs if x.replicate == r.replicate} for r in sweep.runs
    }
    assert all(len(seeds) == 1 for seeds in by_replicate.values())
    assert len({r.run_id for r in sweep.runs}) == len(sweep.runs)


def test_run_ids_are_stable_and_depend_on_scenario_seed_and_version(tmp_path):
    path = write_sweep(tmp_path)
    first, again = load_sweep(path), load_sweep(path)
    assert [r.run_id for r in first.runs] == [r.run_id for r in again.runs]
    run = first.runs[0]
    assert run.run_id == run_id(run.scenario, run.seed, __version__)
    assert run_id(run.scenario, run.seed, "9.9.9") != run.run_id
    assert run_id(run.scenario, run.seed + 1, __version__) != run.run_id
    changed = {**run.scenario, "steps": run.scenario["steps"] + 1}
    assert run_id(changed, run.seed, __version__) != run.run_id


def test_inline_scenario_and_fixed_values(tmp_path):
    path = write_sweep(tmp_path, scenario=copy.deepcopy(BASE), fixed={"graph.n": 120})
    sweep = load_sweep(path)
    assert all(r.scenario["graph"]["n"] == 120 for r in sweep.runs)


def test_graph_files_resolve_against_the_scenario_file(tmp_path):
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "edges.txt").write_text("0 1\n1 2\n2 0\n")
    base = {**copy.deepcopy(BASE), "graph": {"kind": "edge_list", "path": "edges.txt"}}
    (tmp_path / "scen" / "b.yaml").write_text(yaml.safe_dump(base))
    sweep = load_sweep(write_sweep(tmp_path, scenario="scen/b.yaml"))
    assert sweep.runs[0].scenario["graph"]["path"] == str(tmp_path / "scen" / "edges.txt")


def one_line_error(path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_sweep(path)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"replicate": 3},
            "replicate",
            "unknown key (check the spelling; `swarmsim schema --sweep`",
        ),
        ({"replicates": 0}, "replicates", "greater than or equal to 1"),
        (
            {"parameters": {"consumers.information_parity": {"low": 0.1, "high": 0.9}}},
            "parameters.consumers.information_parity",
            "grid designs need levels",
        ),
        ({"design": {"kind": "sobol", "samples": 100}}, "design", "power of 2"),
        ({"design": {"kind": "lhs"}}, "design", "need samples"),
        (
            {
                "parameters": {"consumers.information_parity": {"levels": [0.2]}},
                "fixed": {"consumers.information_parity": 0.5},
            },
            "fixed.consumers.information_parity",
            "also swept",
        ),
        (
            {"parameters": {"consumers.information_parity": {"levels": [0.2, 1.5]}}},
            "parameters.consumers.information_parity",
            "value 1.5",
        ),
        (
            {"parameters": {"consumers.informaton_parity": {"levels": [0.2]}}},
            "parameters.consumers.informaton_parity",
            "unknown key",
        ),
        (
            {"parameters": {"firms.5.quality": {"levels": [0.2]}}},
            "parameters.firms.5.quality",
            "index '5' is not in 0..1",
        ),
        ({"parameters": {"p": {"low": 1.0, "high": 0.5}}}, "parameters.p", "high must be > low"),
        ({"fixed": {"graph.n": 1}}, "fixed.graph.n", "value 1"),
        ({"steps": 0}, "steps", "greater than or equal to 1"),
        ({"scenario": "missing.yaml"}, "scenario", "scenario file not found"),
        ({"cluster": {"kind": "lsf"}}, "cluster.kind", "'slurm' or 'pbs'"),
    ],
)
def test_sweep_file_errors_name_file_field_and_expectation(tmp_path, changes, field, expected):
    path = write_sweep(tmp_path, **changes)
    message = one_line_error(path)
    assert message.startswith(f"{path}: {field}: "), message
    assert expected in message


def test_errors_of_the_base_scenario_name_the_scenario_file(tmp_path):
    path = write_sweep(tmp_path)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump({**BASE, "stepz": 3}))
    assert one_line_error(path).startswith(f"{tmp_path / 'base.yaml'}: stepz: unknown key")


def test_errors_of_an_inline_scenario_name_the_sweep_file_and_scenario_field(tmp_path):
    inline = {**copy.deepcopy(BASE), "graph": {"kind": "barabasi_albert", "n": 300, "m": 0}}
    path = write_sweep(tmp_path, scenario=inline)
    assert one_line_error(path).startswith(f"{path}: scenario.graph.m: ")


def test_invalid_yaml_and_missing_files_are_one_line_errors(tmp_path):
    assert "file not found" in one_line_error(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    assert one_line_error(bad).startswith(f"{bad}: invalid YAML at line")


def test_json_schema_describes_the_sweep_file_keys():
    schema = sweep_json_schema()
    assert schema["title"] == "swarmsim sweep"
    assert set(GRID) <= set(schema["properties"])
    assert {"grid", "random", "lhs", "sobol"} <= set(
        schema["$defs"]["DesignSpec"]["properties"]["kind"]["enum"]
    )


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "experiments").glob("*.yaml")))
def test_the_shipped_sweep_files_are_valid(name):
    sweep = load_sweep(ROOT / "experiments" / name)
    assert len(sweep.runs) == sweep.points * sweep.spec.replicates
    assert len({r.run_id for r in sweep.runs}) == len(sweep.runs)


@pytest.mark.parametrize(
    ("design", "parameters", "where"),
    [
        ({"kind": "sobol", "samples": 2**40}, {"consumers.information_parity": {"low": 0.1,
                                                                               "high": 0.9}},
         "design.samples"),
        ({"kind": "grid"}, {"consumers.information_parity": {"low": 0.1, "high": 0.9,
                                                             "count": 10**5},
                            "consumers.mavens.share": {"low": 0.0, "high": 0.5,
                                                       "count": 10**5}}, "parameters"),
    ],
)  # fmt: skip
def test_an_astronomical_design_is_refused_before_it_is_drawn(tmp_path, design, parameters, where):
    path = write_sweep(tmp_path, parameters=parameters, design=design)
    with pytest.raises(ScenarioError, match=r"the design has [\d,]+ runs; at most") as info:
        load_sweep(path)
    assert info.value.field == where
