"""Shared pieces of the validation checks: results, scenario files, stepping, statistics.

A check runs the full :class:`~swarmsim.model.SwarmModel`, reduced to a special case by
the settings of a scenario file in ``scenarios/validation/`` (phase switches and
parameters, never a separate code path), and compares it with a known result. It
returns a :class:`CheckResult`: one :class:`Metric` per compared number, each with its
own tolerance, plus the data its figure is drawn from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from scipy import stats

from swarmsim.catalog import validation_folder
from swarmsim.errors import SwarmsimError
from swarmsim.kernels import rng
from swarmsim.model import SwarmModel
from swarmsim.scenario import Scenario, load_scenario

__all__ = [
    "CheckResult",
    "Metric",
    "binomial_pvalue",
    "case_uniforms",
    "load_check_scenario",
    "r_squared",
    "replicate_seed",
    "run_until_stable",
    "scenario_dir",
]

_SCENARIO_FOLDER = "scenarios/validation"


@dataclass(frozen=True, slots=True)
class Metric:
    """One compared number: what the model gave, what theory says, and the tolerance.

    Attributes
    ----------
    name : str
        What is compared, e.g. ``"upper window edge z"``.
    simulated, expected : float
        The model's value and the reference value.
    tolerance : str
        The pass rule in words, e.g. ``"|Δ| <= 0.5"`` or ``"p >= 0.01"``.
    passed : bool
        Whether the rule holds.
    """

    name: str
    simulated: float
    expected: float
    tolerance: str
    passed: bool


@dataclass(slots=True)
class CheckResult:
    """Outcome of one validation check.

    Attributes
    ----------
    name : str
        Short identifier, also the figure's file name (``<name>.png``).
    title : str
        One line saying what is checked against what.
    metrics : list of Metric
        Every compared number; the check passes when all pass.
    data : dict
        Arrays the check's figure is drawn from.
    design : str
        ``"quick"`` or ``"full"``.
    seconds : float
        Wall time of the run, seconds.
    """

    name: str
    title: str
    metrics: list[Metric]
    data: dict[str, Any] = field(default_factory=dict)
    design: str = "quick"
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """True when every metric passed."""
        return all(m.passed for m in self.metrics)


def scenario_dir() -> Path:
    """Return the folder of the validation scenarios: the shipped ``validation/``.

    In a source checkout that is ``scenarios/validation/``; an installed swarmsim
    carries a copy (:func:`swarmsim.catalog.validation_folder`).

    Raises
    ------
    SwarmsimError
        If the folder does not exist (a broken installation): pass the folder
        explicitly (``swarmsim check-model --scenarios DIR``).
    """
    folder = validation_folder()
    if not folder.is_dir():
        raise SwarmsimError(
            f"{folder}: validation scenarios not found (expected the folder "
            f"{_SCENARIO_FOLDER}/ of swarmsim's shipped scenarios; pass --scenarios DIR)"
        )
    return folder


def load_check_scenario(
    file_name: str, folder: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Load ``folder / file_name`` (default folder: :func:`scenario_dir`) with overrides.

    The file is read and validated once; later calls only apply the overrides, since
    checks load the same file for every case.
    """
    folder = scenario_dir() if folder is None else Path(folder)
    return load_scenario(_read_once(folder / file_name), overrides=overrides)


@functools.cache
def _read_once(path: Path) -> dict[str, Any]:
    load_scenario(path)  # errors name the file
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_until_stable(
    model: SwarmModel,
    state: Callable[[SwarmModel], NDArray[Any]],
    max_steps: int,
) -> int:
    """Step ``model`` until ``state(model)`` no longer changes; return the steps taken.

    The last step is the one that changed nothing. Use it only where an unchanged
    state is a fixed point of the reduced model (a cascade that has stopped).

    Raises
    ------
    RuntimeError
        If the state still changes after ``max_steps`` steps.
    """
    before = state(model).copy()
    for taken in range(1, max_steps + 1):
        model.step()
        after = state(model)
        if np.array_equal(before, after):
            return taken
        before = after.copy()
    raise RuntimeError(f"no fixed point within {max_steps} steps ({model.spec.name})")


def replicate_seed(seed: int, replicate: int) -> int:
    """Run seed of replicate ``replicate`` of a check run with base ``seed``, in [0, 2**62).

    A hash, so the replicates of two base seeds do not overlap (seeds ``seed + r``
    would share all but one run between base seeds 0 and 1).
    """
    stream = rng.stable_hash("validation.replicate")
    return int(rng.hash_counters(seed, stream, 0, replicate, 0) >> np.uint64(2))


def case_uniforms(seed: int, name: str, case: int, count: int) -> NDArray[np.float64]:
    """``count`` counter-based uniforms in [0, 1) for drawing the parameters of a case."""
    return rng.uniform(seed, rng.stable_hash(f"validation.{name}"), case, np.arange(count))


def binomial_pvalue(successes: int, trials: int, probability: float) -> float:
    """Two-sided exact binomial test of ``successes`` in ``trials`` against ``probability``.

    A probability of exactly 0 (or 1) gives p = 1 when the count agrees and 0 otherwise.
    """
    if probability <= 0.0:
        return float(successes == 0)
    if probability >= 1.0:
        return float(successes == trials)
    return float(stats.binomtest(successes, trials, probability).pvalue)


def r_squared(observed: NDArray[np.float64], predicted: NDArray[np.float64]) -> float:
    """Coefficient of determination 1 − Σ(obs − pred)² / Σ(obs − mean obs)²."""
    residual = np.sum((observed - predicted) ** 2)
    total = np.sum((observed - observed.mean()) ** 2)
    return float(1.0 - residual / total)
