"""Backends give the same run: numpy vs numba, and 1 vs 2 Numba threads, bit for bit.

Whole-model runs on scenarios that exercise every phase (the five institution kinds'
mechanisms, firms' answers, misconduct and exposure, seeding, adaptation by imitation
and by learning, both kinds of speakers) must give identical per-firm and per-institution tables and
identical final consumer arrays. The thread-count runs happen in subprocesses, because
Numba fixes its thread pool when it first starts.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import pytest

from swarmsim.kernels.backend import AUTO_NUMBA_CONSUMERS, resolve_backend
from swarmsim.model import SwarmModel
from swarmsim.results import institutions_frame, timeseries_frame

BASE = {
    "name": "backends",
    "seed": 11,
    "steps": 40,
    "graph": {"kind": "barabasi_albert", "n": 800, "m": 4},
    "firms": [
        {"name": "Manip", "strategy": "manipulative", "misconduct_rate": 0.2, "ad_reach": 0.4},
        {"name": "Care", "strategy": "customer_centric", "dialogue": 0.8, "cocreation": 0.2,
         "response": {"trigger": 0.0}},  # always answering: apologies all along
        {"name": "Mix", "strategy": "mixed", "misconduct_rate": 0.1},
    ],
    "institutions": [
        {"name": "VZ", "kind": "consumer_protection", "members": {"share": 0.2}},
        {"name": "BI", "kind": "citizen_initiative", "members": {"share": 0.1, "by": "community"},
         "trigger": {"when": "negative_share", "level": 0.2}},
        {"name": "Church", "kind": "church", "members": {"share": 0.1, "by": "degree"},
         "targets": ["Manip"]},
        {"name": "Caritas", "kind": "charity_foundation", "members": {"share": 0.1},
         "trigger": {"when": "misconduct", "level": 0.02}},
        {"name": "Verband", "kind": "professional_association", "members": {"share": 0.1},
         "code": {"review_every": 7, "capture": 0.5}},
    ],
    "boycott": {"join_opinion": -0.3, "leave_opinion": 0.1},
}  # fmt: skip

SCENARIOS = {
    "institutions_misconduct": {},
    "imitate_seeded": {
        "adaptation": {"rule": "imitate", "every": 5},
        "seeding": {"boycotters": 20, "critics": 30},
    },
    "learn_opinionated": {
        "adaptation": {"rule": "learn", "every": 4, "learner": "softmax"},
        "word_of_mouth": {"speakers": "opinionated", "p_talk": 0.3},
        "graph": {"kind": "watts_strogatz", "n": 700, "k": 6, "p": 0.2},
    },
    "cascade_only": {
        "firms": [{"name": "Solo"}],
        "institutions": [],
        "consumers": {"threshold": 0.15, "alphas": {"share": 0.0}},
        "phases": {"firms_decide": False, "advertising": False, "purchase": False,
                   "experience": False, "exposure": False, "word_of_mouth": False,
                   "institutions": False},
        "boycott": {"join_opinion": 1.0, "leave_opinion": 1.0},
        "seeding": {"boycotters": 3},
    },
}  # fmt: skip

ARRAYS = ("opinion", "expectation", "loyalty", "boycott", "competence", "purchase", "heard")


def scenario(name: str, backend: str) -> dict:
    spec = copy.deepcopy(BASE) | copy.deepcopy(SCENARIOS[name])
    spec["backend"] = backend
    return spec


def run(spec: dict) -> SwarmModel:
    return SwarmModel.from_scenario(spec).run()


# Prints one digest of everything a run produces; used in-process and in subprocesses.
FINGERPRINT = f"""
import hashlib, json, sys
import numba
import pandas as pd
from swarmsim.model import SwarmModel
from swarmsim.results import institutions_frame, timeseries_frame
model = SwarmModel.from_scenario(json.loads(sys.argv[1])).run()
digest = hashlib.sha256()
for frame in (timeseries_frame(model), institutions_frame(model)):
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
for name in {ARRAYS!r}:
    digest.update(getattr(model.consumers, name).tobytes(order="F"))
print(numba.get_num_threads(), digest.hexdigest())
"""


@pytest.mark.parametrize("name", SCENARIOS)
def test_numpy_and_numba_give_identical_runs(name):
    runs = {b: run(scenario(name, b)) for b in ("numpy", "numba")}
    assert runs["numba"].backend == "numba"
    frames = {b: timeseries_frame(m) for b, m in runs.items()}
    assert frames["numpy"].equals(frames["numba"])
    assert institutions_frame(runs["numpy"]).equals(institutions_frame(runs["numba"]))
    for array in ARRAYS:
        a, b = (getattr(runs[k].consumers, array) for k in ("numpy", "numba"))
        assert a.dtype == b.dtype
        assert a.tobytes(order="F") == b.tobytes(order="F"), array
    # The scenarios are not trivial: things happen that a wrong kernel would change.
    ts = frames["numpy"]
    assert ts["boycott_joins"].sum() > 0
    if name != "cascade_only":
        assert ts["messages"].sum() > 0
        assert ts["misconduct"].any()
        assert ts["sales"].sum() > 0


def test_scenarios_exercise_institutions_and_adaptation():
    model = run(scenario("imitate_seeded", "numba"))
    inst = institutions_frame(model)
    assert inst["campaigns_started"].max() > 0
    assert inst["signatures"].max() > 0
    fixed = run(scenario("institutions_misconduct", "numba"))  # every kind does its part
    inst = institutions_frame(fixed)
    assert inst["fines"].max() > 0
    assert inst["escalated"].any()
    assert inst["endorsing"].any()
    assert inst["sealed"].any()
    assert 0 < inst.loc[inst["kind"] == "church", "level"].max() < 1
    assert {"apology", "advertise"} <= set(timeseries_frame(fixed)["response"])
    learned = run(scenario("learn_opinionated", "numba"))
    assert any(firm.arm_pulls.sum() > 0 for firm in learned.firms)


def fingerprint_in_subprocess(spec: dict, threads: int) -> str:
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
    done = subprocess.run(
        [sys.executable, "-c", FINGERPRINT, json.dumps(spec)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    used, digest = done.stdout.split()
    assert int(used) == threads
    return digest


@pytest.mark.parametrize("name", ["institutions_misconduct", "imitate_seeded"])
def test_one_and_two_numba_threads_give_identical_runs(name):
    spec = scenario(name, "numba")
    one, two = (fingerprint_in_subprocess(spec, threads) for threads in (1, 2))
    assert len(one) == 64
    assert one == two


def test_auto_backend_switches_at_the_documented_size():
    assert resolve_backend("auto", AUTO_NUMBA_CONSUMERS - 1) == "numpy"
    assert resolve_backend("auto", AUTO_NUMBA_CONSUMERS) == "numba"
    assert resolve_backend("numpy", 10**7) == "numpy"
    assert resolve_backend("numba", 10) == "numba"
    small = SwarmModel.from_scenario(scenario("institutions_misconduct", "auto"))
    assert small.backend == "numpy"


def test_auto_backend_is_numpy_without_the_jit():
    code = (
        "from swarmsim.kernels.backend import resolve_backend; "
        "print(resolve_backend('auto', 10**6), resolve_backend('numba', 10))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={**os.environ, "NUMBA_DISABLE_JIT": "1"}, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["numpy", "numba"]


def test_the_schema_states_the_auto_threshold():
    from swarmsim.scenario import Scenario

    description = Scenario.model_fields["backend"].description
    assert f"{AUTO_NUMBA_CONSUMERS:,} consumers" in description
