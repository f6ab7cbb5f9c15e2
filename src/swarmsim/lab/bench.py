"""``swarmsim bench``: swarmsim against its peers and itself, in one run, on one machine.

It measures, and writes what it measured as JSON with the machine and the commit:

1. **Threshold cascade** on a Barabási–Albert graph (n = 10⁵, m = 5, θ = 0.1, n/1000
   seed boycotters) through the real model's boycott phase, against a hand-written
   single-thread Numba CSR cascade, NDlib's ``ThresholdModel`` and a plain Mesa 3.5
   model (:mod:`swarmsim.lab.peers`). All four must reach the same final size (the
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
   stream, on random reads and on arithmetic (:mod:`swarmsim.lab.ceiling`), to read
   the full model's speed-up against.

Comparisons with peers are ratios, ``speed_ratio[peer]`` = the peer's time / swarmsim's
time (above 1: swarmsim is faster), in wall and in CPU time; the bench judges nothing.
Every measurement runs in a fresh process (:mod:`swarmsim.lab.tasks`) with
``NUMBA_NUM_THREADS`` set. Compilation is timed on a tiny model in a process with an
empty cache (``NUMBA_CACHE_DIR``), then again in a second process that finds the cache.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import psutil

from swarmsim._version import __version__
from swarmsim.errors import OutputError, RunError
from swarmsim.lab.report import ok, table_rows

__all__ = ["BenchPlan", "bench", "machine", "run_bench"]

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
        [sys.executable, "-m", "swarmsim.lab.tasks", payload],
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
    results: dict[str, Any] = {"machine": machine(), "commit": commit(), "plan": asdict(plan)}
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
    if ok(cascades):
        results["threshold_cascade"] = _with_ratios(cascades["threshold"], "swarmsim")
        results["independent_cascade"] = _with_ratios(cascades["independent"], "swarmsim")
    else:
        results["threshold_cascade"] = results["independent_cascade"] = cascades
    results.update(_full_figures(plan, full))
    results["compilation"] = compiled
    results["ceiling"] = ceiling
    runs = (cascades, ceiling, *compiled.values(), *full.values())
    results["failed"] = [run["error"] for run in runs if not ok(run)]
    return results


def _with_ratios(result: dict[str, Any], ours: str) -> dict[str, Any]:
    """Add ``speed_ratio`` (wall) and ``speed_ratio_cpu``: each peer's time / ``ours``'s.

    All the cascade tools run on one thread, so wall and CPU ratios differ only by
    what else the machine was doing.
    """
    tools, out = result["tools"], {}
    for label, key in (("speed_ratio", "seconds"), ("speed_ratio_cpu", "cpu_seconds")):
        out[label] = {
            name: tool[key] / tools[ours][key] for name, tool in tools.items() if name != ours
        }
    return {**result, **out}


_SCALING_KEYS = ("n", "edges", "seconds", "cpu_seconds", "run_seconds", "run_cpu_seconds",
                 "peak_rss_gb", "estimate_gb")  # fmt: skip


def _full_figures(plan: BenchPlan, full: dict) -> dict[str, Any]:
    """Gather the full-model runs and their headline figures (wall, and CPU where apt)."""
    one, two = full[plan.full_n, plan.backend, 1], full[plan.full_n, plan.backend, 2]
    numpy_run = full[plan.backend_n, "numpy", 1]
    ours = {threads: full[plan.backend_n, plan.backend, threads] for threads in (1, 2)}
    figures, cpu, ratios = {}, {}, {}
    if ok(one):
        figures["full_wall_seconds"] = one["seconds"]
        cpu["full_wall_seconds"] = one["cpu_seconds"]
        figures["full_peak_gb"] = one["peak_rss_gb"]
    if ok(one, two):
        figures["speedup_2_threads"] = one["seconds"] / two["seconds"]
    for threads, run in ours.items():
        if ok(numpy_run, run):
            ratios[threads] = numpy_run["run_seconds"] / run["run_seconds"]
    if 1 in ratios:
        figures["numba_vs_numpy"] = ratios[1]
        cpu["numba_vs_numpy"] = numpy_run["run_cpu_seconds"] / ours[1]["run_cpu_seconds"]
    huge = full.get((plan.huge_n, plan.backend, 1)) if plan.huge_n else None
    if huge is not None and ok(huge):
        figures["huge_wall_seconds"] = huge["seconds"]
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
            if backend == plan.backend and threads == 1 and ok(run)
        ],
        "figures": figures,
        "figures_cpu": cpu,
    }


def machine() -> dict[str, Any]:
    """Describe this machine and the software versions, for the record.

    ``cpu`` is lscpu's model name, which a virtual machine may leave vague ("AMD
    EPYC"); ``llvm_cpu`` is the CPU that LLVM, and so Numba, compiles for (e.g.
    ``znver4``), which says more.
    """
    from llvmlite import binding

    fields = {}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    except OSError:
        pass
    cpu = fields.get("Model name", "").strip() or platform.processor() or platform.machine()
    versions = {"swarmsim": __version__}
    for package in ("numpy", "numba", "Mesa", "networkx", "ndlib", "cynetdiff"):
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


def commit(folder: Path | None = None) -> dict[str, Any]:
    """Name the git commit of the measured code, and whether it had uncommitted changes.

    ``folder`` defaults to this package's folder; outside a git checkout (an installed
    wheel) both fields are None.
    """
    folder = Path(__file__).parent if folder is None else folder

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
            )
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    sha = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if sha else None
    return {"sha": sha, "dirty": None if status is None else bool(status)}


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
        raise OutputError(f"{out_file}: cannot write ({exc.strerror})") from None
    table = Table(title=f"swarmsim bench ({results['machine']['cpu']})", title_justify="left")
    for column in ("measurement", "tool", "figure"):
        table.add_column(column)
    for row in table_rows(results):
        table.add_row(*row)
    Console(width=None if sys.stdout.isatty() else 140).print(table)
    err.print(f"wrote {out_file}", highlight=False)
    if results["failed"]:
        raise RunError(f"{len(results['failed'])} bench task(s) failed; see {out_file}")
