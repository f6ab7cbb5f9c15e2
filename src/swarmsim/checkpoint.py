"""Checkpoints: a model's whole state in one file, and a model rebuilt from it.

A checkpoint is one ``.npz`` file (NumPy's zip of arrays, read back with
``allow_pickle=False``): every array of the consumer population and of the agents,
and a JSON document (stored as bytes) with the rest — the scenario the run started
from, the scenario in force (``set_parameter`` events change it), the step, the
firms' and institutions' plain attributes, the events' counts and what the
DataCollector has recorded so far. No code is pickled, so a checkpoint does not
depend on the classes that wrote it, only on their attribute names.

Resuming builds the model afresh from the starting scenario, replays Mesa's clock to
the saved step without running the phases (so Mesa's event list holds exactly the
events still due), then puts the saved state in place. Draws are counter-based, so
the resumed run makes the same draws as an uninterrupted one and writes the same
bytes (``tests/test_checkpoint.py`` kills a run and checks this).

The file is written to a temporary name and renamed over the previous checkpoint,
so a run killed while saving keeps the one before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from swarmsim.errors import OutputError
from swarmsim.scenario import Scenario, load_scenario

__all__ = ["load_checkpoint", "save_checkpoint"]

FORMAT = 1
"""Version of the checkpoint layout; a different one is refused."""

_STATE = "__state__"
_AGENT_SKIP = {"model", "spec", "unique_id", "pos"}
_MODEL_FIELDS = ("outside_share", "boycott_share", "mean_opinion", "window_steps")


def save_checkpoint(
    model, path: Path, *, started_from: dict[str, Any], run: dict[str, Any] | None = None
) -> None:
    """Write ``model``'s state after its current step to ``path`` (atomically).

    ``started_from`` is the resolved scenario the run was built from (before any
    ``set_parameter`` event), which :func:`load_checkpoint` rebuilds it from; ``run``
    is JSON-ready data of the caller's, given back by :func:`load_checkpoint`.
    """
    arrays: dict[str, np.ndarray] = {}
    people = model.consumers
    for name, value in vars(people).items():
        if isinstance(value, np.ndarray):
            arrays[f"consumers.{name}"] = value
    agents = {}
    for label, agent in _agents(model):
        agents[label] = _agent_state(agent, label, arrays)
    collector = model.datacollector
    state = {
        "format": FORMAT,
        "seed": model.seed,
        "steps": int(model.steps),
        "started_from": started_from,
        "run": run or {},
        "scenario": model.spec.to_dict(),
        "model": {name: getattr(model, name) for name in _MODEL_FIELDS},
        "agents": agents,
        "events": [event.fired for event in model.events],
        "collector": {
            "model_vars": collector.model_vars,
            "steps": collector._collection_steps,
            "records": [
                [time, {kind.__name__: rows for kind, rows in by_kind.items()}]
                for time, by_kind in collector._agenttype_records.items()
            ],
        },
    }
    arrays[_STATE] = np.frombuffer(json.dumps(_plain(state)).encode(), dtype=np.uint8)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as file:
        np.savez(file, **arrays)
        file.flush()
        os.fsync(file.fileno())
    tmp.replace(path)


def load_checkpoint(path: Path, *, source: str = "<checkpoint>"):
    """Rebuild the model saved in ``path``; return ``(model, started_from, run)``.

    Raises
    ------
    OutputError
        The file is missing, unreadable or of another format.
    """
    from swarmsim.model import SwarmModel

    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        state = json.loads(arrays.pop(_STATE).tobytes().decode(), object_hook=_tuples)
    except (OSError, ValueError, KeyError) as exc:
        raise OutputError(f"{path}: not a readable checkpoint ({exc})") from None
    if state.get("format") != FORMAT:
        raise OutputError(f"{path}: checkpoint format {state.get('format')}, expected {FORMAT}")
    started_from = state["started_from"]
    model = SwarmModel(load_scenario(started_from), seed=state["seed"], source=source)
    _replay_clock(model, state["steps"])
    _restore(model, state, arrays)
    return model, started_from, state["run"]


def _agents(model):
    yield from ((f"firm.{firm.index}", firm) for firm in model.firms)
    yield from ((f"institution.{inst.index}", inst) for inst in model.institutions)


def _agent_state(agent, label: str, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """Plain attributes of ``agent``; its arrays go to ``arrays`` (named label.attribute)."""
    plain = {}
    for name, value in vars(agent).items():
        if name in _AGENT_SKIP or name.startswith("_"):
            continue
        if isinstance(value, np.ndarray):
            arrays[f"{label}.{name}"] = value
        else:
            plain[name] = value
    return plain


def _replay_clock(model, steps: int) -> None:
    """Advance Mesa's clock (and its event list) to ``steps`` without running the phases.

    Events due by then run, and change state that :func:`_restore` then overwrites.
    """
    user_step, model._user_step = model._user_step, lambda: None
    try:
        model.run_until(steps)
    finally:
        model._user_step = user_step


def _restore(model, state: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Put the saved state in place, array by array and attribute by attribute."""
    model.adopt_scenario(Scenario.model_validate(state["scenario"]))
    for name, value in state["model"].items():
        setattr(model, name, value)
    owners = {"consumers": model.consumers}
    for label, agent in _agents(model):
        owners[label] = agent
        for name, value in state["agents"][label].items():
            setattr(agent, name, value)
    for key, value in arrays.items():
        owner, _, name = key.rpartition(".")
        getattr(owners[owner], name)[...] = value
    for event, fired in zip(model.events, state["events"], strict=True):
        event.fired = fired
    _restore_collector(model, state["collector"])


def _restore_collector(model, saved: dict[str, Any]) -> None:
    collector = model.datacollector
    kinds = {kind.__name__: kind for kind in collector.agenttype_reporters}
    collector.model_vars = saved["model_vars"]
    collector._collection_steps = saved["steps"]
    collector._agenttype_records = {
        time: {kinds[name]: rows for name, rows in by_kind.items()}
        for time, by_kind in saved["records"]
    }


def _plain(value):
    """JSON-ready copy: tuples tagged (JSON has only lists), NumPy scalars as Python's."""
    if isinstance(value, tuple):
        return {"__tuple__": [_plain(v) for v in value]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _tuples(obj: dict):
    return tuple(obj["__tuple__"]) if set(obj) == {"__tuple__"} else obj
