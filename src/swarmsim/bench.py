"""``swarmsim bench``: swarmsim against its peers and itself, in one run, on one machine.

Measurements (``docs/performance.md`` explains each and records the results):

1. **Threshold cascade** on a Barabási–Albert graph (n = 10⁵, m = 5, θ = 0.1, n/1000
   seed boycotters) through the real model's boycott phase, against a hand-written
   single-thread Numba CSR cascade, NDlib's ``ThresholdModel`` and a plain Mesa 3.5
   model (:mod:`swarmsim.benchmarks`). All four must reach the same final size (the
   monotone threshold rule has one fixed point); the check is recorded.
2. **Independent cascade** (p = 0.05) on the same graph and seeds through the
   word-of-mouth phase, against cynetdiff. Cascades are random: sizes are compared in
   mean, times in median.
3. **Full model**, n = 10⁶, 5 firms, 3 institutions, 100 steps, 1 and 2 Numba threads:
   wall time including the graph, peak resident memory, time per phase.
4. ``--huge``: the same at n = 10⁷ (mean degree 10), once, 1 thread.
5. **Backends**: numba against numpy on the full model at n = 10⁵.
6. **Scaling**: the full model at n = 10³ … 10⁶ (10⁷ with ``--huge``), 1 thread.
7. **The machine's own 2-thread ceiling**: what a second thread gains on a memory
   stream, on random reads and on arithmetic (:mod:`swarmsim.benchmarks.ceiling`),
   to read the full model's speed-up against.

Every measurement runs in a fresh subprocess (``python -m swarmsim.bench TASK``) with
``NUMBA_NUM_THREADS`` set, so thread counts and peak memory are its own. Each figure is
the median of ``--repeats`` runs after one warm-up run on a tiny input, whose time is
reported separately (``first_call_seconds``: loading Numba's cache, or compiling on a
cold cache); compilation itself is timed on a tiny model in a process with an empty
cache (``NUMBA_CACHE_DIR``), then again in a second process that finds the cache. The
cascade comparisons run with one thread, as the hand kernel does. Edge visits are
counted once per problem, as the frontier algorithm's work (the degree sum of the
consumers who end up active), so a rate is that count divided by each tool's time.
"""

from __future__ import annotations

import datetime
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from statistics import median
from typing import Any, NamedTuple

import click
import numpy as np
import psutil

from swarmsim.errors import RunError

__all__ = ["BenchPlan", "bench", "run_bench"]

TARGETS = {
    "vs_hand_rate": 0.5,  # swarmsim's edge-visit rate / the hand kernel's, at least
    "vs_ndlib_speed": 150.0,  # NDlib's time / swarmsim's, at least
    "vs_mesa_speed": 400.0,  # plain Mesa's time / swarmsim's, at least
    "vs_cynetdiff_time": 2.0,  # swarmsim's time / cynetdiff's, at most
    "full_wall_seconds": 30.0,  # at most, n = 10**6, 1 thread, graph included
    "full_peak_gb": 2.0,  # at most, n = 10**6
    "speedup_2_threads": 1.7,  # at least
    "huge_peak_gb": 8.0,  # at most
    "numba_vs_numpy": 20.0,  # at least
}
GB = 1e9


@dataclass(frozen=True)
class BenchPlan:
    """Sizes and repeats of one ``swarmsim bench`` run.

    Attributes
    ----------
    cascade_n : int
        Consumers of the cascade graphs (Barabási–Albert, ``m`` edges per node).
    full_n : int
        Consumers of the full-model runs at 1 and 2 threads.
    backend_n : int
        Consumers of the numba-versus-numpy comparison.
    scaling_n : tuple of int
        Further sizes of the scaling series (``full_n`` and ``huge_n`` join it).
    huge_n : int or None
        Consumers of the opt-in very large run (run once, not ``repeats`` times).
    steps : int
        Steps of every full-model run.
    repeats : int
        Timed runs per figure (the median is reported), >= 1.
    m : int
        Edges per new node of every Barabási–Albert graph (mean degree about 2m).
    threshold, p_talk : float
        θ of the threshold cascade and p of the independent cascade, in [0, 1].
    quick : bool
        Whether this is the ``--quick`` plan.
    backend : str
        swarmsim's kernel backend in the cascades and the full-model runs.
    skip : tuple of str
        Baselines left out (``"ndlib"``, ``"mesa"``).
    compile : bool
        Whether to time compilation with an empty Numba cache (about a minute).
    ceiling_n : int
        Items per array of the 2-thread ceiling loops (float64; 2·10⁷ is 160 MB).
    """

    cascade_n: int = 100_000
    full_n: int = 1_000_000
    backend_n: int = 100_000
    scaling_n: tuple[int, ...] = (1_000, 10_000, 100_000)
    huge_n: int | None = None
    steps: int = 100
    repeats: int = 3
    m: int = 5
    threshold: float = 0.1
    p_talk: float = 0.05
    quick: bool = False
    backend: str = "numba"
    skip: tuple[str, ...] = ()
    compile: bool = True
    ceiling_n: int = 20_000_000

    @classmethod
    def quick_plan(cls) -> BenchPlan:
        """Tiny sizes and one repeat: proves the harness works in seconds."""
        return cls(
            cascade_n=2_000,
            full_n=2_000,
            backend_n=2_000,
            scaling_n=(),
            steps=5,
            repeats=1,
            quick=True,
            compile=False,
            ceiling_n=100_000,
        )


# ------------------------------------------------------------------------ the worker


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
    from swarmsim.model import SwarmModel

    tiny = {**scenario, "graph": {**scenario["graph"], "n": 300}}
    tiny["seeding"] = {key: min(value, 3) for key, value in scenario.get("seeding", {}).items()}
    return _timed(lambda: SwarmModel.from_scenario(tiny).run(3))[0].wall


def threshold_task(task: dict[str, Any]) -> dict[str, Any]:
    """Threshold cascade: swarmsim's boycott phase, the hand kernel, NDlib, plain Mesa."""
    from swarmsim.benchmarks import cases, hand_cascade, mesa_threshold, ndlib_threshold
    from swarmsim.model import SwarmModel

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
    from swarmsim.benchmarks import cases, cynetdiff_cascade
    from swarmsim.cascades import independent_cascade
    from swarmsim.model import SwarmModel, build_graph
    from swarmsim.scenario import load_scenario

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
            "model_vs_cynetdiff_time": tools["swarmsim_model"]["seconds"]
            / tools["cynetdiff"]["seconds"],
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
    from swarmsim import memory
    from swarmsim.benchmarks import cases
    from swarmsim.model import SwarmModel, build_graph
    from swarmsim.scenario import load_scenario

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
    from swarmsim.benchmarks import cases

    return {"seconds": _warm_up(cases.full_model(300, task["m"], 3, backend=task["backend"]))}


def cascades_task(task: dict[str, Any]) -> dict[str, Any]:
    """Both cascade comparisons, in one process (one warm-up, one thread)."""
    return {"threshold": threshold_task(task), "independent": independent_task(task)}


def ceiling_task(task: dict[str, Any]) -> dict[str, Any]:
    """Measure the machine's 2-thread ceiling: a memory stream, random reads, arithmetic."""
    from swarmsim.benchmarks import ceiling

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


# ------------------------------------------------------------------------ the parent


def _measure(task: dict[str, Any], threads: int, scratch: Path, **env: str) -> dict[str, Any]:
    """Run one task in a fresh interpreter with ``threads`` Numba threads (and ``env``).

    A failed task gives ``{"error": ...}`` (the end of its standard error), so one
    failure does not lose the other measurements of a long run.
    """
    result = Path(tempfile.mkstemp(dir=scratch, suffix=".json")[1])
    result.unlink()
    env = {**os.environ, **env, "NUMBA_NUM_THREADS": str(threads)}
    payload = json.dumps({**task, "result": str(result)})
    done = subprocess.run(
        [sys.executable, "-m", "swarmsim.bench", payload],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not result.exists():
        tail = done.stderr.strip().splitlines()[-12:]
        return {"error": f"{task['kind']} n={task['n']} {task['backend']} {threads} thread(s): "
                + " | ".join(line.strip() for line in tail)}  # fmt: skip
    return json.loads(result.read_text())


def _ok(*runs: dict[str, Any]) -> bool:
    return not any("error" in run for run in runs)


def _full_runs(plan: BenchPlan) -> dict[tuple[int, str, int], dict[str, Any]]:
    """List the distinct full-model runs the plan needs: (n, backend, threads)."""
    runs = {(plan.full_n, plan.backend, 1), (plan.full_n, plan.backend, 2)}
    runs |= {(plan.backend_n, "numpy", 1), (plan.backend_n, plan.backend, 1)}
    runs |= {(plan.backend_n, plan.backend, 2)}
    runs |= {(n, plan.backend, 1) for n in plan.scaling_n}
    if plan.huge_n:
        runs.add((plan.huge_n, plan.backend, 1))
    return {key: {} for key in sorted(runs)}


def run_bench(plan: BenchPlan, *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every measurement of ``plan``; return the results (the JSON document)."""
    common = {"m": plan.m, "repeats": plan.repeats, "backend": plan.backend}
    results: dict[str, Any] = {"machine": machine(), "plan": asdict(plan)}
    with tempfile.TemporaryDirectory(prefix="swarmsim-bench-") as tmp:
        scratch = Path(tmp)
        log(f"threshold and independent cascades, n={plan.cascade_n:,}, 1 thread")
        cascades = _measure(
            {**common, "kind": "cascades", "n": plan.cascade_n, "threshold": plan.threshold,
             "p": plan.p_talk, "skip": list(plan.skip)},
            1, scratch,
        )  # fmt: skip
        log(f"2-thread ceiling: stream, random reads, arithmetic on {plan.ceiling_n:,} items")
        ceiling = _measure({**common, "kind": "ceiling", "n": plan.ceiling_n}, 2, scratch)
        compiled = {}
        if plan.compile:
            log("compilation: a tiny full model in a process with an empty Numba cache, twice")
            cache = str(scratch / "numba-cache")
            for label in ("cold_cache", "warm_cache"):
                task = {**common, "kind": "compile", "n": 300}
                compiled[label] = _measure(task, 1, scratch, NUMBA_CACHE_DIR=cache)
        full = _full_runs(plan)
        for n, backend, threads in full:
            log(f"full model, n={n:,}, {backend}, {threads} thread(s), {plan.steps} steps")
            task = {**common, "kind": "full", "n": n, "backend": backend}
            if n == plan.huge_n:  # minutes per run: once is enough to show it completes
                task["repeats"] = 1
            full[n, backend, threads] = _measure(
                {**task, "steps": plan.steps, "threads": threads}, threads, scratch
            )
    if _ok(cascades):
        results["threshold_cascade"] = _threshold_verdict(cascades["threshold"])
        results["independent_cascade"] = _independent_verdict(cascades["independent"])
    else:
        results["threshold_cascade"] = results["independent_cascade"] = cascades
    results.update(_full_verdicts(plan, full))
    results["compilation"] = compiled
    results["ceiling"] = ceiling
    runs = (cascades, ceiling, *compiled.values(), *full.values())
    results["failed"] = [run["error"] for run in runs if not _ok(run)]
    return results


def _threshold_verdict(result: dict[str, Any]) -> dict[str, Any]:
    return _verdict(result, "vs_hand_rate", "hand_numba", ("ndlib", "mesa"))


def _independent_verdict(result: dict[str, Any]) -> dict[str, Any]:
    return _verdict(result, "vs_cynetdiff_time", "cynetdiff", ())


def _verdict(result: dict[str, Any], first: str, peer: str, slower: tuple[str, ...]) -> dict:
    """Ratios of swarmsim to its peers, in wall time and in CPU time (all single-thread)."""
    tools, out = result["tools"], {}
    for clock, key in (("ratios", "seconds"), ("ratios_cpu", "cpu_seconds")):
        ours = tools["swarmsim"][key]
        ratios = {
            first: tools[peer][key] / ours if first.endswith("rate") else ours / tools[peer][key]
        }
        ratios |= {f"vs_{name}_speed": tools[name][key] / ours for name in slower if name in tools}
        out[clock] = ratios
    return {**result, **out, "targets_met": _met(out["ratios"]),
            "targets_met_cpu": _met(out["ratios_cpu"])}  # fmt: skip


def _met(values: dict[str, float]) -> dict[str, bool]:
    """Compare each figure with its target: ``*_time``/``*_seconds``/``*_gb`` are maxima."""
    out = {}
    for name, value in values.items():
        target = TARGETS[name]
        at_most = name.endswith(("_time", "_seconds", "_gb"))
        out[name] = value <= target if at_most else value >= target
    return out


_SCALING_KEYS = ("n", "edges", "seconds", "cpu_seconds", "run_seconds", "run_cpu_seconds",
                 "peak_rss_gb", "estimate_gb")  # fmt: skip


def _full_verdicts(plan: BenchPlan, full: dict) -> dict[str, Any]:
    one, two = full[plan.full_n, plan.backend, 1], full[plan.full_n, plan.backend, 2]
    numpy_run = full[plan.backend_n, "numpy", 1]
    ours = {threads: full[plan.backend_n, plan.backend, threads] for threads in (1, 2)}
    figures, cpu, ratios = {}, {}, {}
    if _ok(one):
        figures["full_wall_seconds"] = one["seconds"]
        cpu["full_wall_seconds"] = one["cpu_seconds"]
        figures["full_peak_gb"] = one["peak_rss_gb"]
    if _ok(one, two):
        figures["speedup_2_threads"] = one["seconds"] / two["seconds"]
    for threads, run in ours.items():
        if _ok(numpy_run, run):
            ratios[threads] = numpy_run["run_seconds"] / run["run_seconds"]
    if 1 in ratios:
        figures["numba_vs_numpy"] = ratios[1]
        cpu["numba_vs_numpy"] = numpy_run["run_cpu_seconds"] / ours[1]["run_cpu_seconds"]
    huge = full.get((plan.huge_n, plan.backend, 1)) if plan.huge_n else None
    if huge is not None and _ok(huge):
        figures["huge_peak_gb"] = huge["peak_rss_gb"]
    return {
        "full_model": {"1_thread": one, "2_threads": two},
        "backends": {
            "numpy": numpy_run,
            f"{plan.backend}_1_thread": ours[1],
            f"{plan.backend}_2_threads": ours[2],
            "ratio_1_thread": ratios.get(1),
            "ratio_2_threads": ratios.get(2),
        },
        "huge": huge,
        "scaling": [
            {key: run[key] for key in _SCALING_KEYS}
            for (n, backend, threads), run in sorted(full.items())
            if backend == plan.backend and threads == 1 and _ok(run)
        ],
        "figures": figures,
        "targets_met": _met(figures),
        "figures_cpu": cpu,
        "targets_met_cpu": _met(cpu),
    }


def machine() -> dict[str, Any]:
    """Describe this machine and the software versions, for the record.

    ``cpu`` is lscpu's model name, which a virtual machine may leave vague ("AMD
    EPYC"); ``llvm_cpu`` is the CPU that LLVM, and so Numba, compiles for (``znver5``
    names a Zen 5 core).
    """
    from llvmlite import binding

    fields = {}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    except OSError:
        pass
    cpu = fields.get("Model name", "").strip() or platform.processor() or platform.machine()
    versions = {}
    for package in ("swarmsim", "numpy", "numba", "Mesa", "networkx", "ndlib", "cynetdiff"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "llvm_cpu": binding.get_host_cpu_name(),
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / GB, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
    }


# ------------------------------------------------------------------------- the table


def table_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Rows (measurement, tool, figure, verdict) for the printed summary."""
    rows = [("FAILED", "", error, "") for error in results["failed"]]
    threshold = results["threshold_cascade"]
    for name, tool in threshold.get("tools", {}).items():
        rows.append((
            f"threshold cascade n={threshold['n']:,}", name,
            f"{tool['seconds']:.4g} s, {tool['edge_visits_per_second'] / 1e6:.3g} M edge visits/s,"
            f" final size {tool['final_size']:,}", "",
        ))  # fmt: skip
    if "same_final_size" in threshold:
        rows.append(("", "same final size", str(threshold["same_final_size"]), ""))
    independent = results["independent_cascade"]
    for name, tool in independent.get("tools", {}).items():
        rows.append((
            f"independent cascade p={independent['p']}", name,
            f"{tool['seconds']:.4g} s, mean final size {tool['mean_final_size']:,.0f}", "",
        ))  # fmt: skip
    for label, run in [*results["full_model"].items(), ("huge", results["huge"])]:
        if run is None or not _ok(run):
            continue
        rows.append((
            f"full model n={run['n']:,}, {run['steps']} steps", f"{run['backend']}, {label}",
            f"{run['seconds']:.3g} s wall (graph {run['graph_seconds']:.2g} s, init "
            f"{run['init_seconds']:.2g} s), peak {run['peak_rss_gb']:.2f} GB", "",
        ))  # fmt: skip
    for point in results["scaling"]:
        rows.append(("scaling", f"n={point['n']:,}", f"{point['seconds']:.3g} s", ""))
    for label, run in results["compilation"].items():
        if _ok(run):
            rows.append(("first tiny run", label.replace("_", " "), f"{run['seconds']:.3g} s", ""))
    if _ok(results["ceiling"]):
        for name, loop in results["ceiling"]["loops"].items():
            rows.append((
                "2-thread ceiling", name,
                f"{loop['1_thread']:.3g} -> {loop['2_threads']:.3g} {loop['unit']}: "
                f"{loop['speedup']:.2f}x", "",
            ))  # fmt: skip
    quick = results["plan"]["quick"]
    for part, wall, cpu in (
        (threshold, "ratios", "ratios_cpu"),
        (independent, "ratios", "ratios_cpu"),
        (results, "figures", "figures_cpu"),
    ):
        if not _ok(part):
            continue
        for name, value in part[wall].items():
            figure, verdict = f"{value:.3g}", _verdict_text(part["targets_met"][name], quick)
            if name in part[cpu]:
                figure += f" wall, {part[cpu][name]:.3g} CPU"
                verdict += f" / {_verdict_text(part['targets_met_cpu'][name], quick)}"
            rows.append(("target", name, f"{figure} (target {TARGETS[name]})", verdict))
    return rows


def _verdict_text(met: bool, quick: bool) -> str:
    """Targets are stated for the full sizes, so ``--quick`` results are not judged."""
    if quick:
        return "n/a"
    return "met" if met else "MISSED"


# ---------------------------------------------------------------------------- the CLI


@click.command("bench")
@click.option(
    "--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
    default=Path("bench.json"), show_default=True, help="where to write the results (JSON)",
)  # fmt: skip
@click.option("--quick", is_flag=True, help="tiny sizes, one repeat: a check that runs in seconds")
@click.option("--huge", is_flag=True, help="also run 10^7 consumers (long; several GB)")
@click.option("--repeats", type=click.IntRange(min=1), help="timed runs per figure [default: 3]")
@click.option(
    "--backend", type=click.Choice(["numba", "numpy"]), default="numba", show_default=True,
    help="swarmsim's kernel backend in the cascade and scaling runs",
)  # fmt: skip
@click.option(
    "--skip", type=click.Choice(["ndlib", "mesa"]), multiple=True,
    help="leave out a slow baseline (repeatable)",
)  # fmt: skip
def bench(
    out_file: Path,
    quick: bool,
    huge: bool,
    repeats: int | None,
    backend: str,
    skip: tuple[str, ...],
) -> None:
    """Benchmark swarmsim against a hand kernel, NDlib, Mesa and cynetdiff; write JSON."""
    from rich.console import Console
    from rich.table import Table

    plan = BenchPlan.quick_plan() if quick else BenchPlan()
    plan = replace(plan, backend=backend, skip=skip)
    if repeats is not None:
        plan = replace(plan, repeats=repeats)
    if huge:
        plan = replace(plan, huge_n=20_000 if quick else 10_000_000)
    err = Console(stderr=True)
    results = run_bench(plan, log=lambda line: err.print(f"bench: {line}", highlight=False))
    command = ["swarmsim bench", f"--out {out_file}"] + [
        flag for flag, on in (("--quick", quick), ("--huge", huge)) if on
    ]
    results["command"] = " ".join(command)
    try:
        out_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        from swarmsim.errors import OutputError

        raise OutputError(f"{out_file}: cannot write ({exc.strerror})") from None
    table = Table(title=f"swarmsim bench ({results['machine']['cpu']})", title_justify="left")
    for column in ("measurement", "tool", "figure", "target"):
        table.add_column(column)
    for row in table_rows(results):
        table.add_row(*row)
    Console(width=None if sys.stdout.isatty() else 140).print(table)
    err.print(f"wrote {out_file}", highlight=False)
    if results["failed"]:
        raise RunError(f"{len(results['failed'])} bench task(s) failed; see {out_file}")


if __name__ == "__main__":
    _worker(sys.argv[1:])
