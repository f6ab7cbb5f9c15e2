"""Memory a scenario needs, measured on small copies of its model, and the up-front refusal.

A 10⁷-consumer scenario needs gigabytes; building its graph and arrays only to be
killed by the operating system half an hour later wastes the run. :func:`check_fits`
compares :func:`estimate_bytes` with the memory this machine has available and raises a
one-line :class:`~swarmsim.errors.ScenarioError` naming ``graph.n`` instead.

The estimate is measured, not written down. The scenario's model is built at the two
sizes of :data:`PROBE_SIZES` (same firms, institutions, phases and backend, on an
Erdős–Rényi graph of the scenario's mean degree) and stepped :data:`PROBE_STEPS` times.
Two sizes give bytes per consumer, which are scaled to the scenario's ``n``:

- ``consumers``: the ``nbytes`` of every NumPy array the probe holds (the population,
  the model's own arrays and scratch, firms and institutions; :func:`array_bytes`)
  but the graph's;
- ``graph``: the probe graph's CSR layout (bytes per node and per stored edge end) at
  the scenario's ``n`` and expected edge count (:func:`graph_size`);
- ``working``: the peak allocation of a step beyond what the probe keeps
  (``tracemalloc``, to which NumPy reports its buffers; the NumPy reference kernels'
  temporaries, mostly), plus the compiled kernels' work buffers that the probes had to
  allocate (the process keeps them for its later models);
- ``interpreter``: this process's resident memory after probing (Python, libraries,
  compiled kernels).

A build's own temporaries are not counted: freed before the first step, they have not
been seen to set the peak. A scenario of at most ``PROBE_SIZES[-1]`` consumers is probed
at its own size. Probes are cached per scenario shape, so a sweep's runs share them.

The model imports this module to refuse a scenario before allocating it, so this module
cannot import the model; the package hands it the model's builder instead
(:func:`use_builder`, in ``swarmsim/__init__.py``).
"""

from __future__ import annotations

import functools
import gc
import json
import tracemalloc
import types
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from swarmsim import graphs
from swarmsim.errors import ScenarioError
from swarmsim.scenario import Scenario, load_scenario

__all__ = [
    "PROBE_SIZES",
    "MemoryEstimate",
    "array_bytes",
    "available_bytes",
    "check_fits",
    "estimate_bytes",
    "graph_size",
    "use_builder",
]

GB = 1e9

PROBE_SIZES = (5_000, 10_000)
"""Consumers of the two probe models. Not below the size from which ``backend: auto``
picks Numba, so that the probes run the backend that any larger run of the scenario runs
(tested)."""

PROBE_STEPS = 2
"""Steps of each probe: the first allocates the phases' scratch and the kernels' buffers,
the last is watched for its temporaries."""

MAX_PROBE_DEGREE = 100.0
"""Mean degree of the probe graphs at most; edges beyond it count by their CSR bytes."""


Builder = Callable[..., Any]
"""``build(scenario, graph=graph)`` returns the scenario's model on ``graph``."""

_builder: Builder | None = None
_warmed: set[tuple[Builder, str]] = set()  # (builder, scenario shape) already run once


def use_builder(build: Builder) -> None:
    """Set the model builder that the probes call (the package sets ``SwarmModel``)."""
    global _builder
    _builder = build
    _probe.cache_clear()
    _warmed.clear()


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    """Estimated peak memory of a run, in bytes (each >= 0)."""

    n: int  # consumers
    n_edges: int  # undirected edges
    graph: int  # CSR arrays
    consumers: int  # every other array the model holds
    working: int  # a step's temporaries and the kernels' work buffers still to allocate
    interpreter: int  # this process when estimated: Python, libraries, compiled kernels

    @property
    def added(self) -> int:
        """Bytes the run adds to this process: graph, consumers and working."""
        return self.graph + self.consumers + self.working

    @property
    def total(self) -> int:
        """Estimated peak resident memory of this process during the run, bytes."""
        return self.added + self.interpreter


def graph_size(spec) -> tuple[int, int]:
    """Return ``(n, expected edges)`` of a scenario's ``graph`` section without building it.

    Each graph kind knows its own size (:meth:`swarmsim.graphs.kinds.GraphKindSpec.expected_size`).
    """
    return spec.expected_size()


# ------------------------------------------------------------------ counting arrays


def array_bytes(*roots: Any) -> int:
    """Sum ``nbytes`` of the distinct NumPy arrays reachable from ``roots``.

    The walk follows containers (dict, list, tuple, set) and the attributes and slots of
    swarmsim's own objects, not the internals of Mesa, NumPy or other libraries. Views
    of one buffer count once, as their largest view: an array carved from a larger
    allocation (:mod:`swarmsim.kernels.placement`) counts its own bytes, not the slack around
    it, which is never touched.
    """
    return sum(size for _, size in _arrays(roots, modules=False).values())


def _arrays(roots: Any, *, modules: bool) -> dict[int, tuple[np.ndarray, int]]:
    """Map each buffer reachable from ``roots`` to (buffer, bytes of its largest view).

    With ``modules``, the walk also enters the globals of the swarmsim modules it meets
    (where the compiled kernels keep their work buffers).
    """
    seen: set[int] = set()
    found: dict[int, tuple[np.ndarray, int]] = {}
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            base = item
            while isinstance(base.base, np.ndarray):
                base = base.base
            size = max(found[id(base)][1], item.nbytes) if id(base) in found else item.nbytes
            found[id(base)] = (base, size)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif isinstance(item, types.ModuleType):
            if modules and item.__name__.startswith("swarmsim."):
                stack.extend(vars(item).values())
        elif type(item).__module__.startswith("swarmsim"):
            stack.extend(_attributes(item))
    return found


def _attributes(item: Any) -> Iterator[Any]:
    """Yield the values of an object's instance attributes and slots."""
    if is_dataclass(item):
        yield from (getattr(item, f.name, None) for f in fields(item))
    if hasattr(item, "__dict__"):
        yield from vars(item).values()
    for cls in type(item).__mro__:
        for name in getattr(cls, "__slots__", ()):
            yield getattr(item, name, None)


def _module_buffers(model: Any) -> dict[int, tuple[np.ndarray, int]]:
    """Return the arrays reachable from ``model`` only through modules: kernels' buffers."""
    everything = _arrays([model], modules=True)
    for key in _arrays([model], modules=False):
        everything.pop(key)
    return everything


# ------------------------------------------------------------------------ the probes


@dataclass(frozen=True, slots=True)
class _Probe:
    """What one small model of the scenario held and allocated, bytes."""

    n: int
    indptr_itemsize: int
    consumers: int  # arrays the model holds, but the graph's
    buffers: int  # kernels' work buffers allocated while it ran (others were there before)
    stepping: int  # transient of its last step


@contextmanager
def _tracing() -> Iterator[None]:
    """Trace allocations inside the block (left running if it was already)."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        yield
    finally:
        if started:
            tracemalloc.stop()


def _transient(call: Callable[[], Any]) -> int:
    """Call ``call``; return its peak allocation beyond what it kept, bytes.

    The garbage collector waits during the call, so that earlier objects it would free
    there do not pass for the call's temporaries.
    """
    gc.disable()
    try:
        with _tracing():
            tracemalloc.reset_peak()
            call()
            current, peak = tracemalloc.get_traced_memory()
    finally:
        gc.enable()
    return max(peak - current, 0)


def _small(shape: str, n: int, mean_degree: float) -> tuple[Scenario, graphs.CSRGraph]:
    """Return the scenario ``shape`` (JSON, without its graph) at ``n`` consumers, its graph."""
    data = json.loads(shape)
    data["graph"] = {"kind": "erdos_renyi", "n": n, "mean_degree": mean_degree}
    data["seeding"] = {what: min(count, n) for what, count in data["seeding"].items()}
    return load_scenario(data), graphs.erdos_renyi(n, mean_degree, seed=1)


@functools.lru_cache(maxsize=64)
def _probe(build: Builder, shape: str, n: int, mean_degree: float) -> _Probe:
    """Build the scenario ``shape`` at ``n`` consumers, step it, and measure it.

    The first probe of a shape runs once unwatched before, so that loading (or
    compiling) the kernels it calls is not taken for the model's allocations.
    """
    spec, graph = _small(shape, n, mean_degree)
    if (build, shape) not in _warmed:
        warm = build(spec, graph=graph)
        for _ in range(PROBE_STEPS):
            warm.step()
        _warmed.add((build, shape))
    model = build(spec, graph=graph)
    before = {key: weakref.ref(base) for key, (base, _) in _module_buffers(model).items()}
    for _ in range(PROBE_STEPS - 1):  # the phases' scratch and the kernels' buffers appear
        model.step()
    stepping = _transient(model.step)
    held = _arrays([model], modules=False)
    new = [
        size
        for key, (base, size) in _arrays([model], modules=True).items()
        if key not in held and (key not in before or before[key]() is not base)
    ]
    return _Probe(
        n=n,
        indptr_itemsize=graph.indptr.itemsize,
        consumers=sum(size for _, size in held.values()) - array_bytes(graph),
        buffers=sum(new),
        stepping=stepping,
    )


def _shape(scenario: Scenario) -> str:
    """Return the scenario as JSON without name, seed, steps and graph (sized apart)."""
    data = scenario.to_dict()
    for key in ("name", "description", "seed", "steps", "graph"):
        data.pop(key, None)
    return json.dumps(data, sort_keys=True)


def _at(n: int, small: int, large: int, small_n: int, large_n: int) -> int:
    """Return the line through (small_n, small) and (large_n, large) at n, at least 0."""
    slope = (large - small) / (large_n - small_n)
    return max(round(large + slope * (n - large_n)), 0)


def estimate_bytes(scenario: Scenario, *, build: Builder | None = None) -> MemoryEstimate:
    """Estimate the peak memory of running ``scenario`` (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its graph is sized, not built.
    build : callable, optional
        ``build(scenario, graph=graph)`` returns a model; default: the package's
        (:func:`use_builder`).

    Returns
    -------
    MemoryEstimate

    Examples
    --------
    >>> from swarmsim.scenario import load_scenario
    >>> graph = {"kind": "barabasi_albert", "n": 10**6, "m": 5}
    >>> estimate = estimate_bytes(load_scenario({"graph": graph, "firms": [{"name": "A"}]}))
    >>> estimate.graph  # int64 offsets, int32 ids: 8 (n + 1) + 2 * 4 * edges
    48000008
    """
    build = _builder if build is None else build
    if build is None:
        raise RuntimeError("swarmsim.memory has no model builder (import swarmsim first)")
    n, edges = graph_size(scenario.graph)
    degree = round(min(2 * edges / max(n, 1), MAX_PROBE_DEGREE), 1)  # one probe for nearby
    shape = _shape(scenario)
    if n <= 1:
        consumers = working = 0
        itemsize = np.dtype(np.int64).itemsize
    elif n <= PROBE_SIZES[-1]:
        probe = _probe(build, shape, n, min(degree, n - 1.0))
        consumers, itemsize = probe.consumers, probe.indptr_itemsize
        working = probe.stepping + probe.buffers
    else:
        small, large = (_probe(build, shape, size, min(degree, size - 1.0)) for size in PROBE_SIZES)
        consumers = _at(n, small.consumers, large.consumers, small.n, large.n)
        working = _at(n, small.stepping, large.stepping, small.n, large.n)
        working += round(large.buffers * n / large.n)  # sized by n, grown only when short
        itemsize = large.indptr_itemsize
    ends = 2 * edges * np.dtype(graphs.id_dtype(n)).itemsize
    return MemoryEstimate(
        n=n,
        n_edges=edges,
        graph=itemsize * (n + 1) + ends,
        consumers=consumers,
        working=working,
        interpreter=psutil.Process().memory_info().rss,
    )


# --------------------------------------------------------------------- the refusal


def available_bytes() -> int:
    """Return the bytes this process can still use.

    The system's available memory (psutil), capped by the cgroup (container) limit
    minus its current use when there is a limit.
    """
    available = psutil.virtual_memory().available
    limit = _cgroup_headroom(Path("/sys/fs/cgroup"))
    return available if limit is None else min(available, limit)


def _cgroup_headroom(root: Path) -> int | None:
    """``memory.max - memory.current`` of a cgroup v2 root, or None without a limit."""
    try:
        limit = (root / "memory.max").read_text().strip()
        current = int((root / "memory.current").read_text())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - current, 0)


def check_fits(
    scenario: Scenario,
    *,
    source: str,
    available: int | None = None,
    build: Builder | None = None,
) -> MemoryEstimate:
    """Raise if the run would need more memory than is available; else return the estimate.

    Parameters
    ----------
    scenario : Scenario
    source : str
        Where the scenario came from, for the message.
    available : int, optional
        Bytes available (default: :func:`available_bytes`).
    build : callable, optional
        The probes' model builder (default: the package's).

    Raises
    ------
    ScenarioError
        Naming ``graph.n``, with the estimate and the available memory in GB.
    """
    estimate = estimate_bytes(scenario, build=build)
    available = available_bytes() if available is None else available
    if estimate.added > available:
        raise ScenarioError(
            source,
            "graph.n",
            f"{estimate.n:,} consumers with {estimate.n_edges:,} edges and "
            f"{len(scenario.firms)} firms need about {estimate.added / GB:.1f} GB "
            f"(graph {estimate.graph / GB:.1f}, consumers {estimate.consumers / GB:.1f}, "
            f"working {estimate.working / GB:.1f}), this machine has "
            f"{available / GB:.1f} GB available; reduce graph.n or the number of firms",
        )
    return estimate
