"""Sweep files and experimental designs: which runs a sweep consists of.

A sweep file is YAML, validated like a scenario (unknown keys rejected, ranges checked,
one-line errors naming the file and the field path):

.. code-block:: yaml

    name: parity_x_mavens
    scenario: ../scenarios/baseline.yaml   # or an inline mapping
    fixed: {graph.n: 2000}                 # overrides applied to every run
    steps: 52
    seed: 1                                # base of the replicate seeds
    replicates: 10
    parameters:
      consumers.information_parity: {levels: [0.1, 0.5, 0.9]}
      consumers.mavens.share: {low: 0.0, high: 0.2, count: 3}
    design: {kind: grid}                   # grid | random | lhs | sobol
    outputs: {series: false}               # summaries always; series = per step × firm

A *design point* is one assignment of values to the parameters; each point runs
``replicates`` times. Replicate r uses the same seed at every point (common random
numbers, ``seeds: common``), drawn from ``numpy.random.SeedSequence(seed).spawn``, so
paired differences between points are not blurred by different random numbers.
A *run* is identified by a hash of (resolved scenario, seed, swarmsim version).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from swarmsim.errors import ScenarioError, require_extra
from swarmsim.kernels.rng import stable_hash
from swarmsim.scenario import (
    FieldError,
    apply_overrides,
    load_scenario,
    read_yaml,
    scenario_error,
)
from swarmsim.schema import refuse_boolean_numbers

__all__ = [
    "ClusterSpec",
    "Run",
    "Sweep",
    "SweepSpec",
    "design_points",
    "load_sweep",
    "replicate_seeds",
    "run_id",
    "sweep_json_schema",
]

MAX_RUNS = 10_000_000


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ParameterSpec(_Spec):
    """The values one parameter takes: ``levels``, or a range ``low``..``high``."""

    levels: list[Any] | None = Field(
        None, min_length=1, description="explicit values, in order (any YAML values)"
    )
    low: float | None = Field(None, description="lower end of the range")
    high: float | None = Field(None, description="upper end of the range, > low")
    count: int | None = Field(
        None, ge=2, description="grid only: this many evenly spaced values in [low, high]"
    )
    integer: bool = Field(False, description="round range values down to integers")

    @model_validator(mode="after")
    def _levels_or_range(self):
        has_range = self.low is not None or self.high is not None
        if self.levels is not None and (has_range or self.count is not None):
            raise ValueError("give either levels or low/high, not both")
        if self.levels is None and (self.low is None or self.high is None):
            raise ValueError("give levels: [...] or both low and high")
        if has_range and not self.high > self.low:
            raise ValueError(f"high must be > low (low={self.low}, high={self.high})")
        return self

    def values(self) -> list[Any]:
        """Return the grid values: the levels, or ``count`` evenly spaced range values."""
        if self.levels is not None:
            return list(self.levels)
        return [self._cast(v) for v in np.linspace(self.low, self.high, self.count)]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map numbers in [0, 1] to values: uniform on the range, or equal-chance levels."""
        u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
        if self.levels is not None:
            index = np.minimum((u * len(self.levels)).astype(np.int64), len(self.levels) - 1)
            return [self.levels[k] for k in index]
        if self.integer:
            span = math.floor(self.high) - math.ceil(self.low) + 1
            return [int(math.ceil(self.low) + min(int(x * span), span - 1)) for x in u]
        return [float(self.low + x * (self.high - self.low)) for x in u]

    def _cast(self, value: float) -> float | int:
        return math.floor(value) if self.integer else float(value)


class DesignSpec(_Spec):
    """How design points are chosen."""

    kind: Literal["grid", "random", "lhs", "sobol"] = Field(
        "grid",
        description="grid: full factorial of the levels; random: independent uniform draws; "
        "lhs: Latin hypercube; sobol: Saltelli/Sobol' sample for Sobol indices (SALib)",
    )
    samples: int | None = Field(
        None,
        ge=1,
        description="random/lhs: number of points; sobol: base sample N, a power of 2 "
        "(points = N·(D+2), or N·(2D+2) with second_order)",
    )
    second_order: bool = Field(False, description="sobol: also sample for second-order indices")

    @model_validator(mode="after")
    def _samples(self):
        if self.kind == "grid" and self.samples is not None:
            raise ValueError("grid designs take no samples (the levels define the points)")
        if self.kind != "grid" and self.samples is None:
            raise ValueError(f"{self.kind} designs need samples: N")
        if self.kind == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of 2 (got {self.samples})")
        if self.kind != "sobol" and self.second_order:
            raise ValueError("second_order applies to sobol designs only")
        return self


class OutputSpec(_Spec):
    """What each run keeps besides its end-of-run summaries."""

    series: bool = Field(
        False, description="keep the per-step, per-firm series (collected into series.parquet)"
    )


class ClusterSpec(_Spec):
    """A batch-scheduler cluster started with dask-jobqueue (one Dask worker per core)."""

    kind: Literal["slurm", "pbs"] = Field(description="slurm | pbs")
    queue: str | None = Field(None, description="partition (SLURM) or queue (PBS)")
    account: str | None = Field(None, description="account/project to charge")
    walltime: str = Field("01:00:00", description="wall-clock limit per job, HH:MM:SS")
    memory: str = Field("4GiB", description="memory per job, e.g. 4GiB")
    cores: int = Field(1, ge=1, le=1024, description="cores per job (one worker each)")
    job_extra_directives: list[str] = Field(
        default_factory=list, description="extra #SBATCH/#PBS lines, e.g. ['--qos=short']"
    )
    job_script_prologue: list[str] = Field(
        default_factory=list, description="shell lines run before the worker starts"
    )
    interface: str | None = Field(
        None, description="network interface of the workers (and the scheduler), e.g. ib0"
    )
    scheduler_interface: str | None = Field(
        None,
        description="interface the scheduler listens on, e.g. ib0 (jobs on other nodes must "
        "reach it); null: the one `interface` names, or every interface",
    )
    dashboard_address: str = Field(
        "127.0.0.1:0",
        description="where the scheduler's dashboard listens; the default is this machine "
        "only, on a free port (reach it through an SSH tunnel); ':8787' listens on every "
        "interface",
    )
    tls: bool = Field(
        True,
        description="encrypt and authenticate scheduler, workers and driver with temporary "
        "self-signed TLS credentials (kept in the sweep's logs folder, which the jobs must "
        "see); false: plain TCP, and anyone who reaches the scheduler can run code on it",
    )
    minimum_jobs: int = Field(0, ge=0, description="adaptive scaling: fewest jobs, >= 0")
    maximum_jobs: int = Field(4, ge=1, description="adaptive scaling: most jobs, >= 1")

    @model_validator(mode="after")
    def _ordered(self):
        if self.maximum_jobs < self.minimum_jobs:
            raise ValueError(
                f"maximum_jobs must be >= minimum_jobs ({self.maximum_jobs} < {self.minimum_jobs})"
            )
        return self


class SweepSpec(_Spec):
    """A sweep file: a base scenario, a design over dotted parameter paths, replicates."""

    name: str = Field("sweep", min_length=1, max_length=128, description="short name")
    description: str = Field("", description="free text")
    scenario: str | dict[str, Any] = Field(
        description="base scenario: a YAML path relative to the sweep file, or a mapping"
    )
    fixed: dict[str, Any] = Field(
        default_factory=dict, description="dotted path → value applied to every run"
    )
    steps: int | None = Field(None, ge=1, le=1_000_000, description="steps per run (default: base)")
    seed: int = Field(0, ge=0, description="base seed of numpy.random.SeedSequence")
    replicates: int = Field(1, ge=1, le=100_000, description="runs per design point, >= 1")
    seeds: Literal["common", "independent"] = Field(
        "common",
        description="common: replicate r has the same seed at every point (common random "
        "numbers); independent: every run gets its own seed",
    )
    parameters: dict[str, ParameterSpec] = Field(
        default_factory=dict, description="dotted scenario path → levels or range"
    )
    design: DesignSpec = Field(default_factory=DesignSpec, description="how points are chosen")
    outputs: OutputSpec = Field(default_factory=OutputSpec, description="what runs keep")
    retries: int = Field(2, ge=0, le=20, description="extra attempts of a failing run, >= 0")
    cluster: ClusterSpec | None = Field(None, description="start a SLURM/PBS cluster")


@dataclass(frozen=True)
class Run:
    """One simulation of a sweep: a design point, a replicate and its resolved scenario.

    Attributes
    ----------
    run_id : str
        20 hex digits of SHA-256 over (resolved scenario, seed, swarmsim version).
    point, replicate : int
        Design point index (in design order) and replicate index, both >= 0.
    seed : int
        The run's seed, in [0, 2**63).
    params : dict
        Dotted parameter path → value at this point.
    scenario : dict
        The fully resolved scenario (JSON-compatible), with ``seed`` and ``steps`` set.
    """

    run_id: str
    point: int
    replicate: int
    seed: int
    params: dict[str, Any]
    scenario: dict[str, Any]


@dataclass(frozen=True)
class Sweep:
    """A validated sweep file and the runs it expands to, in (point, replicate) order."""

    spec: SweepSpec
    source: str
    runs: tuple[Run, ...]

    @property
    def parameter_names(self) -> list[str]:
        """The swept dotted paths, in file order."""
        return list(self.spec.parameters)

    @property
    def points(self) -> int:
        """Number of design points."""
        return len(self.runs) // self.spec.replicates


# ------------------------------------------------------------------------- designs
def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    """Return the design's points in a fixed order; each maps dotted path → value.

    A grid is the full factorial (last parameter varies fastest). Random, Latin
    hypercube and Sobol designs draw points in [0, 1]^D — from a generator seeded by
    ``spec.seed`` (random, lhs) or SALib's scrambled Sobol' sequence (sobol) — and map
    each coordinate to its parameter's range or levels.
    """
    names, specs = list(spec.parameters), list(spec.parameters.values())
    if spec.design.kind == "grid":
        combos = itertools.product(*(p.values() for p in specs))
        return [dict(zip(names, combo, strict=True)) for combo in combos]
    unit = _unit_sample(spec)
    columns = [p.from_unit(unit[:, k]) for k, p in enumerate(specs)]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _unit_sample(spec: SweepSpec) -> np.ndarray:
    """Draw the design's points in [0, 1]^D, shape (points, D)."""
    d, n = len(spec.parameters), spec.design.samples
    rng = np.random.default_rng([spec.seed, stable_hash("sweeps.design")])
    if spec.design.kind == "random":
        return rng.random((n, d))
    if spec.design.kind == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=d, rng=rng).random(n)
    require_extra("a sobol design", "sweeps", "SALib")
    from SALib.sample import sobol

    problem = sobol_problem(spec, unit=True)
    return sobol.sample(
        problem, n, calc_second_order=spec.design.second_order, seed=int(rng.integers(2**31))
    )


def sobol_problem(spec: SweepSpec, *, unit: bool = False) -> dict[str, Any]:
    """SALib's problem dict for the swept parameters (bounds [0, 1] if ``unit``)."""
    names = list(spec.parameters)
    bounds = [[0.0, 1.0] if unit else [p.low, p.high] for p in spec.parameters.values()]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def replicate_seeds(base: int, replicates: int, points: int, *, common: bool = True) -> np.ndarray:
    """Seeds for every (point, replicate), shape (points, replicates), in [0, 2**63).

    Seeds come from ``numpy.random.SeedSequence(base).spawn``. With ``common`` (common
    random numbers) the same replicate index has the same seed at every point, so a
    paired difference between two points compares runs that share their random
    numbers; otherwise each run gets its own child sequence.

    Examples
    --------
    >>> s = replicate_seeds(1, replicates=3, points=2)
    >>> bool((s[0] == s[1]).all())
    True
    """
    children = np.random.SeedSequence(base).spawn(replicates if common else replicates * points)
    seeds = np.array([c.generate_state(1, np.uint64)[0] >> np.uint64(1) for c in children])
    seeds = seeds.astype(np.int64)
    if common:
        return np.broadcast_to(seeds, (points, replicates)).copy()
    return seeds.reshape(points, replicates)


def run_id(scenario: Mapping[str, Any], seed: int, version: str) -> str:
    """Identify a run: 20 hex digits of SHA-256 over canonical JSON of its inputs.

    Parameters
    ----------
    scenario : mapping
        The fully resolved scenario (``Scenario.to_dict()``).
    seed : int
        The run's seed.
    version : str
        The swarmsim version (a new version may change results, so runs are not reused).
    """
    payload = {"scenario": scenario, "seed": int(seed), "version": version}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


# ------------------------------------------------------------------------- loading
def load_sweep(path: str | Path, *, overrides: Mapping[str, Any] | None = None) -> Sweep:
    """Read and validate a sweep file and expand it into runs.

    Every design point's scenario is validated before anything runs.

    Parameters
    ----------
    path : path
        The sweep YAML file.
    overrides : mapping of dotted path to value, optional
        Set fields of the sweep file before validation, e.g. ``{"seeds": "independent",
        "replicates": 50}`` (entries under ``parameters`` and ``fixed`` have dots in
        their keys and cannot be reached this way).

    Raises
    ------
    ScenarioError
        One line naming the sweep (or base scenario) file, the field path and what was
        expected, e.g. ``sweep.yaml: parameters.consumers.information_parity: value 1.5:
        Input should be less than or equal to 1``.
    """
    from swarmsim._version import __version__

    path = Path(path)
    data = read_yaml(path, kind="sweep")
    if overrides:
        data = apply_overrides(data, overrides, str(path))
    spec = _validate(data, str(path))
    base, label, prefix = _base_scenario(spec, path)
    points = design_points(spec)
    seeds = replicate_seeds(spec.seed, spec.replicates, len(points), common=spec.seeds == "common")
    runs = []
    for p, params in enumerate(points):
        resolved = _resolve_point(spec, base, params, path, label, prefix)
        for r in range(spec.replicates):
            scenario = {**resolved, "seed": int(seeds[p, r])}
            key = run_id(scenario, int(seeds[p, r]), __version__)
            runs.append(Run(key, p, r, int(seeds[p, r]), params, scenario))
    return Sweep(spec, str(path), tuple(runs))


def _validate(data: dict[str, Any], label: str) -> SweepSpec:
    """Validate like a scenario: one ScenarioError naming the file and the field."""
    refuse_boolean_numbers(data, SweepSpec, label)
    try:
        spec = SweepSpec.model_validate(data)
        _check_design(spec)
    except ValidationError as exc:
        error = scenario_error(exc, label)
        expected = error.expected.replace("`swarmsim schema`", "`swarmsim schema --sweep`")
        raise ScenarioError(label, error.field, expected) from None
    except FieldError as exc:
        raise ScenarioError(label, exc.field, str(exc)) from None
    return spec


def _check_design(spec: SweepSpec) -> None:
    """Cross-field checks whose errors name a parameter's entry."""
    kind = spec.design.kind
    for path, values in spec.parameters.items():
        if kind == "grid" and values.levels is None and values.count is None:
            raise FieldError(
                f"parameters.{path}", "grid designs need levels: [...] or low/high/count"
            )
        if kind != "grid" and values.count is not None:
            raise FieldError(f"parameters.{path}.count", "count applies to grid designs only")
        if kind == "sobol" and values.levels is not None:
            raise FieldError(f"parameters.{path}", "sobol designs need low and high")
        if path in spec.fixed:
            raise FieldError(f"fixed.{path}", "is also swept under parameters; keep one")
    if kind == "sobol" and not spec.parameters:
        raise FieldError("parameters", "sobol designs need at least one parameter")
    runs = planned_points(spec) * spec.replicates
    if runs > MAX_RUNS:  # counted before any sample is drawn
        where = "design.samples" if kind != "grid" else "parameters"
        raise FieldError(where, f"the design has {runs:,} runs; at most {MAX_RUNS:,}")


def planned_points(spec: SweepSpec) -> int:
    """Design points of ``spec``, counted without drawing them (Python ints: no overflow)."""
    kind, dims = spec.design.kind, len(spec.parameters)
    if kind == "grid":
        return math.prod(len(v.levels) if v.levels is not None else v.count or 0
                         for v in spec.parameters.values())  # fmt: skip
    samples = spec.design.samples or 0
    if kind == "sobol":
        return samples * (2 * dims + 2 if spec.design.second_order else dims + 2)
    return samples


def _base_scenario(spec: SweepSpec, path: Path) -> tuple[dict[str, Any], str, str]:
    """Read the base scenario as raw data, with a graph file path made absolute.

    Returns the data, the label its own errors name and the prefix of their field paths.
    """
    if isinstance(spec.scenario, str):
        file = (path.parent / spec.scenario).resolve()
        if not file.is_file():
            raise ScenarioError(str(path), "scenario", f"scenario file not found: {file}")
        load_scenario(file)  # the base file's own errors name that file
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        folder, label, prefix = file.parent, str(file), ""
    else:
        data, folder = copy.deepcopy(spec.scenario), path.parent
        label, prefix = str(path), "scenario."
    graph = data.get("graph")
    if isinstance(graph, dict) and isinstance(graph.get("path"), str):
        graph["path"] = str((folder / graph["path"]).resolve())
    return data, label, prefix


def _resolve_point(spec, base, params, path: Path, label: str, prefix: str) -> dict[str, Any]:
    """Validate the base with the fixed values and this point's values; return it resolved.

    An error caused by a swept or fixed value names that entry of the sweep file.
    """
    overrides = {**spec.fixed, **params}
    if spec.steps is not None:
        overrides["steps"] = spec.steps
    try:
        return load_scenario(base, overrides=overrides).to_dict()
    except ScenarioError as exc:
        key = _culprit(exc.field, overrides)
        if key is None:
            raise ScenarioError(label, prefix + exc.field, exc.expected) from None
        if key in params:
            where = f"parameters.{key}"
        else:
            where = f"fixed.{key}" if key in spec.fixed else "steps"
        raise ScenarioError(str(path), where, f"value {overrides[key]!r}: {exc.expected}") from None


def _culprit(field: str, overrides: Mapping[str, Any]) -> str | None:
    """Return the override whose path contains, or lies inside, the failing field."""
    for key in overrides:
        if field == key or field.startswith(f"{key}.") or key.startswith(f"{field}."):
            return key
    return None


def sweep_json_schema() -> dict[str, Any]:
    """JSON Schema of sweep files, for editors (``swarmsim schema --sweep``)."""
    schema = SweepSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "swarmsim sweep"
    return schema
