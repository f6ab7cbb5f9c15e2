"""The measurements of ``swarmsim bench``, each run in a fresh process.

``python -m swarmsim.lab.tasks TASK`` runs one task, given as JSON (its ``kind`` names
it), and writes its result as JSON to the path in ``task["result"]``. The parent
(:mod:`swarmsim.lab.bench`) sets ``NUMBA_NUM_THREADS`` for each, so thread counts and
peak memory are the task's own. Each figure is the median of ``repeats`` runs after one
warm-up run on a tiny input, whose time is reported separately (``first_call_seconds``:
loading Numba's cache, or compiling on a cold cache). Edge visits are counted once per
problem, as the frontier algorithm's work (the degree sum of the consumers who end up
active), so a rate is that count divided by each tool's time.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any, NamedTuple

import numpy as np
import psutil

from swarmsim import memory
from swarmsim.cascades import independent_cascade
from swarmsim.lab import cases, ceiling
from swarmsim.lab.peers import cynetdiff_cascade, hand_cascade, mesa_threshold, ndlib_threshold
from swarmsim.model import SwarmModel, build_graph
from swarmsim.scenario import load_scenario

GB = 1e9


def _peak_rss() -> int:
    """Peak resident memory of this process so far, bytes.

    Linux's ``VmHWM`` starts afresh with the new program; ``ru_maxrss`` (the fallback
    elsewhere) inherits the parent's peak across fork and exec.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


class Timing(NamedTuple):
    """Wall time and this process's CPU time (all its threads) of one call, seconds."""

    wall: float
    cpu: float


def _timed(call: Callable[[], Any]) -> tuple[Timing, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), result


def _summary(timings: list[Timing], **extra: Any) -> dict[str, Any]:
    """Median wall and CPU seconds of the repeats, with every repeat's times."""
    walls, cpus = [t.wall for t in timings], [t.cpu for t in timings]
    return {"seconds": median(walls), "times": walls, "cpu_seconds": median(cpus),
            "cpu_times": cpus, **extra}  # fmt: skip


def _run_cascade(model, done: Callable[[Any], bool]) -> int:
    """Step ``model`` until ``done(model)``; return the number of steps."""
    steps = 0
    while True:
        model.step()
        steps += 1
        if done(model):
            return steps


def _warm_up(scenario: dict[str, Any]) -> float:
    """Run a tiny version of ``scenario`` for 3 steps; return the seconds it took.

    The same scenario shape (firm count, phases) calls the kernels with the same
    argument types, so the timed runs neither compile nor load compiled code.
    """
    tiny = {**scenario, "graph": {**scenario["graph"], "n": 300}}
    tiny["seeding"] = {key: min(value, 3) for key, value in scenario.get("seeding", {}).items()}
    return _timed(lambda: SwarmModel.from_scenario(tiny).run(3))[0].wall


def threshold_task(task: dict[str, Any]) -> dict[str, Any]:
    """Threshold cascade: swarmsim's boycott phase, the hand kernel, NDlib, plain Mesa."""
    n, repeats = task["n"], task["repeats"]
    scenario = cases.threshold_cascade(
        n, task["m"], task["threshold"], max(1, n // 1000), backend=task["backend"]
    )
    first_call = _warm_up(scenario)
    tools: dict[str, dict[str, Any]] = {}
    times, boycott, steps, sizes = [], [], [], []
    for _ in range(repeats):
        model = SwarmModel.from_scenario(scenario)
        seeds = np.flatnonzero(model.consumers.boycott[:, 0])
        phase_before = model.phase_seconds["boycott"]
        seconds, count = _timed(
            lambda model=model: _run_cascade(model, lambda m: m.firms[0].boycott_joins == 0)
        )
        times.append(seconds)
        boycott.append(model.phase_seconds["boycott"] - phase_before)
        steps.append(count)
        sizes.append(int(model.consumers.boycott[:, 0].sum()))
    tools["swarmsim"] = _summary(
        times,
        final_size=sizes[0],
        steps=steps[0],
        boycott_phase_seconds=median(boycott),
        first_call_seconds=first_call,
        backend=model.backend,
    )
    graph, threshold = model.graph, model.consumers.threshold

    def hand() -> tuple:
        return hand_cascade.threshold_cascade(graph.indptr, graph.indices, threshold, seeds)

    first, (active, visits) = _timed(hand)
    hand_times = [_timed(hand)[0] for _ in range(repeats)]
    tools["hand_numba"] = _summary(
        hand_times,
        final_size=int(active.sum()),
        first_call_seconds=first.wall,
    )
    nx_graph = graph.to_networkx()
    theta = float(threshold[0])
    for name, module, build in (
        ("ndlib", ndlib_threshold, lambda: ndlib_threshold.build(nx_graph, theta, seeds)),
        ("mesa", mesa_threshold, lambda: mesa_threshold.ThresholdCascade(nx_graph, theta, seeds)),
    ):
        if name in task["skip"]:
            continue
        setups, runs, size = [], [], 0
        for _ in range(repeats):
            setup, baseline = _timed(build)
            seconds, size = _timed(lambda baseline=baseline, module=module: module.run(baseline))
            setups.append(setup.wall)
            runs.append(seconds)
        tools[name] = _summary(runs, final_size=int(size), setup_seconds=median(setups))
    for tool in tools.values():
        tool["edge_visits_per_second"] = visits / tool["seconds"]
        tool["edge_visits_per_cpu_second"] = visits / tool["cpu_seconds"]
    return {
        "n": n,
        "m": task["m"],
        "edges": graph.n_edges,
        "threshold": theta,
        "seeds": len(seeds),
        "edge_visits": int(visits),
        "tools": tools,
        "same_final_size": len({tool["final_size"] for tool in tools.values()}) == 1,
    }


def independent_task(task: dict[str, Any]) -> dict[str, Any]:
    """Independent cascade: swarmsim's frontier cascade and its model run against cynetdiff.

    ``swarmsim`` is :func:`swarmsim.cascades.independent_cascade` (the word-of-mouth
    special case on its frontier alone), ``swarmsim_model`` the same cascade stepped
    through the whole model; both activate the same consumers (checked every repeat).
    """
    n, repeats, p, backend = task["n"], task["repeats"], task["p"], task["backend"]
    scenario = cases.independent_cascade(n, task["m"], p, max(1, n // 1000), backend=backend)
    first_call = _warm_up(scenario)
    spec = load_scenario(scenario)
    graph = build_graph(spec.graph, seed=spec.seed)
    frontier_first_call = _timed(
        lambda: independent_cascade(graph, [0], p, seed=0, backend=backend)
    )[0].wall
    degree = graph.degree()
    runs: dict[str, dict[str, list]] = {
        tool: {"times": [], "sizes": [], "visits": []}
        for tool in ("swarmsim", "swarmsim_model", "cynetdiff")
    }
    model_steps, same = [], []
    for repeat in range(repeats):  # a new seed each time: new seed consumers and draws
        model = SwarmModel(spec, seed=repeat + 1, graph=graph)
        seeds = np.flatnonzero(model.consumers.opinion[:, 0] < 0.0)
        seconds, steps = _timed(
            lambda model=model: _run_cascade(model, lambda m: not m.consumers.heard.any())
        )
        model_active = model.consumers.opinion[:, 0] < 0.0
        _record(runs["swarmsim_model"], seconds, model_active, degree)
        model_steps.append(steps)
        seconds, cascade = _timed(
            lambda seeds=seeds, repeat=repeat: independent_cascade(
                graph, seeds, p, seed=repeat + 1, backend=backend
            )
        )
        _record(runs["swarmsim"], seconds, cascade.active, degree)
        same.append(bool(np.array_equal(cascade.active, model_active)))
        baseline = cynetdiff_cascade.build(graph, p, seeds, seed=repeat + 1)
        seconds = _timed(lambda baseline=baseline: cynetdiff_cascade.run(baseline))[0]
        activated = np.zeros(graph.n, dtype=np.bool_)
        activated[np.fromiter(baseline.get_activated_nodes(), dtype=np.int64)] = True
        _record(runs["cynetdiff"], seconds, activated, degree)
    tools = {tool: _cascade_summary(run) for tool, run in runs.items()}
    tools["swarmsim"] |= {"first_call_seconds": frontier_first_call, "backend": backend}
    tools["swarmsim_model"] |= {"first_call_seconds": first_call, "steps": model_steps,
                                "backend": model.backend}  # fmt: skip
    return {"n": n, "m": task["m"], "edges": graph.n_edges, "p": p, "tools": tools,
            "frontier_same_as_model": all(same)}  # fmt: skip


def _record(run: dict[str, list], seconds: Timing, active: np.ndarray, degree: np.ndarray) -> None:
    """Add one repeat: its time, final size and edge visits (degree sum of the active)."""
    run["times"].append(seconds)
    run["sizes"].append(int(active.sum()))
    run["visits"].append(int(degree[active].sum()))


def _cascade_summary(run: dict[str, list]) -> dict[str, Any]:
    return _summary(
        run["times"],
        final_sizes=run["sizes"],
        mean_final_size=float(np.mean(run["sizes"])),
        edge_visits_per_second=_median_rate(run),
    )


def _median_rate(runs: dict[str, list]) -> float:
    """Median over repeats of edge visits per wall second (each cascade has its size)."""
    return median(v / t.wall for v, t in zip(runs["visits"], runs["times"], strict=True))


def full_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run the full model: graph, initialisation and run timed apart; peak memory; phases."""
    start_rss = psutil.Process().memory_info().rss
    scenario = cases.full_model(task["n"], task["m"], task["steps"], backend=task["backend"])
    first_call = _warm_up(scenario)
    spec = load_scenario(scenario)
    estimate = memory.check_fits(spec, source="bench")
    runs = []
    for _ in range(task["repeats"]):
        graph_time, graph = _timed(lambda: build_graph(spec.graph, seed=spec.seed))
        init_time, model = _timed(lambda graph=graph: SwarmModel(spec, graph=graph))
        run_time = _timed(model.run)[0]  # (run returns the model: do not keep it)
        runs.append((graph_time, init_time, run_time, dict(model.phase_seconds)))
        backend, edges = model.backend, graph.n_edges
        del model, graph
        gc.collect()  # Mesa agents and the model refer to each other: free it before the next
    totals = [Timing(g.wall + i.wall + r.wall, g.cpu + i.cpu + r.cpu) for g, i, r, _ in runs]
    repeats = [  # each run's own figures: a slow run shows where it lost its time
        {"graph_seconds": g.wall, "init_seconds": i.wall, "run_seconds": r.wall, "phases": p}
        for g, i, r, p in runs
    ]
    return {
        "n": task["n"],
        "edges": edges,
        "steps": task["steps"],
        "threads": task["threads"],
        "backend": backend,
        **_summary(totals),
        "graph_seconds": median(g.wall for g, _, _, _ in runs),
        "init_seconds": median(i.wall for _, i, _, _ in runs),
        "run_seconds": median(r.wall for _, _, r, _ in runs),
        "run_cpu_seconds": median(r.cpu for _, _, r, _ in runs),
        "phase_seconds": {name: median(p[name] for _, _, _, p in runs) for name in runs[0][3]},
        "repeats": repeats,
        "peak_rss_gb": _peak_rss() / GB,
        "start_rss_gb": start_rss / GB,
        "estimate_gb": estimate.total / GB,
        "first_call_seconds": first_call,
    }


def compile_task(task: dict[str, Any]) -> dict[str, Any]:
    """Time the first tiny full-model run of a process (compiling, or loading the cache)."""
    return {"seconds": _warm_up(cases.full_model(300, task["m"], 3, backend=task["backend"]))}


def cascades_task(task: dict[str, Any]) -> dict[str, Any]:
    """Both cascade comparisons, in one process (one warm-up, one thread)."""
    return {"threshold": threshold_task(task), "independent": independent_task(task)}


def ceiling_task(task: dict[str, Any]) -> dict[str, Any]:
    """Measure the machine's 2-thread ceiling: a memory stream, random reads, arithmetic."""
    return {"n": task["n"], "loops": ceiling.measure(task["n"], repeats=max(task["repeats"], 5))}


TASKS = {
    "cascades": cascades_task,
    "ceiling": ceiling_task,
    "compile": compile_task,
    "full": full_task,
}


def _worker(argv: list[str]) -> None:
    """Subprocess entry: run the task in ``argv[0]`` (JSON), write its result JSON."""
    task = json.loads(argv[0])
    result = TASKS[task["kind"]](task)
    Path(task["result"]).write_text(json.dumps(result))


if __name__ == "__main__":
    _worker(sys.argv[1:])
