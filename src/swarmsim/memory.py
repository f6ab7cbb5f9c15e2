"""Memory a scenario needs, estimated before anything is built, and the up-front refusal.

A 10⁷-consumer scenario needs gigabytes; building its graph and arrays only to be
killed by the operating system half an hour later wastes the run. :func:`check_fits`
compares :func:`estimate_bytes` with the memory this machine has available and raises a
one-line :class:`~swarmsim.errors.ScenarioError` naming ``graph.n`` instead.

The estimate counts, in bytes (E = undirected edges, n consumers, F firms,
I institutions):

- the CSR graph, ``8 (n + 1) + 8 E`` (int64 ``indptr``, int32 ``indices``; ``16 E``
  above 2**31 consumers, where ids need int64);
- consumer state, ``73 n + 36 n F + 9 n I`` (the arrays of
  :class:`~swarmsim.agents.consumers.ConsumerPopulation` and the model's per-consumer
  factors, per-firm beliefs and flags, memberships);
- the larger of the graph builder's temporaries (about ``16 E + 16 n``) and a step's
  temporaries: with the NumPy reference kernels ``24`` bytes per stored edge direction
  plus ``64 n (F + 1)`` (measured peak 1.19 GB at n = 10⁶, m = 5, F = 5), with the
  Numba kernels ``32 n (F + 1)`` (they work in place, row by row);
- the interpreter with its libraries, ``0.3 GB`` (0.22 GB measured after imports).

Against ``swarmsim bench`` peaks (Numba backend, Barabási–Albert m = 5, 5 firms,
3 institutions): 0.31 GB estimated for 0.28 measured at n = 10⁴, 0.35 for 0.32 at 10⁵,
0.82 for 0.72 at 10⁶ and 5.5 for 4.6 at 10⁷ (0.4 GB less since the institutions phase
builds its pressure without an (n, F) scratch array; the estimate was left as it was,
on the safe side).

Edge-list files are sized from the file: Parquet from its row count, text from the
bytes per line of its first megabyte; without ``graph.n`` such a graph is assumed to
have mean degree 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

from swarmsim.errors import ScenarioError
from swarmsim.graphs import id_dtype
from swarmsim.scenario import Scenario

__all__ = ["MemoryEstimate", "available_bytes", "check_fits", "estimate_bytes", "graph_size"]

GB = 1e9
_INTERPRETER = int(0.3 * GB)
_SAMPLE = 1 << 20  # bytes read from a text edge list to measure its bytes per line


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    """Estimated peak memory of a run, in bytes (each >= 0)."""

    n: int  # consumers
    n_edges: int  # undirected edges
    graph: int  # CSR arrays
    consumers: int  # consumer and model arrays
    working: int  # largest transient: graph building or a step's temporaries
    interpreter: int  # Python, NumPy, Numba, Mesa

    @property
    def total(self) -> int:
        """Estimated peak resident memory, bytes."""
        return self.graph + self.consumers + self.working + self.interpreter


def graph_size(spec) -> tuple[int, int]:
    """Return ``(n, expected edges)`` of a scenario's ``graph`` section without building it.

    Generated graphs use their expected edge counts (exact for Barabási–Albert,
    Watts–Strogatz, configuration and complete graphs); files are sized as the module
    docstring says (``load_scenario`` has made their paths absolute).
    """
    match spec.kind:
        case "barabasi_albert":
            return spec.n, spec.m * (spec.n - spec.m)
        case "erdos_renyi":
            return spec.n, round(spec.n * spec.mean_degree / 2)
        case "watts_strogatz":
            return spec.n, spec.n * spec.k // 2
        case "stochastic_block":
            n = sum(spec.sizes)
            inside = sum(s * (s - 1) // 2 for s in spec.sizes)
            return n, round(spec.p_in * inside + spec.p_out * (n * (n - 1) // 2 - inside))
        case "configuration":
            return len(spec.degrees), sum(spec.degrees) // 2
        case "complete":
            return spec.n, spec.n * (spec.n - 1) // 2
    edges = _file_edges(Path(spec.path))
    n = getattr(spec, "n", None)
    return (n if n is not None else edges // 5), edges


def _file_edges(path: Path) -> int:
    """Edges in an edge-list or GraphML file, estimated from its size (0 if unreadable)."""
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        size = path.stat().st_size
        with path.open("rb") as handle:
            sample = handle.read(_SAMPLE)
    except (OSError, ValueError):
        return 0  # the graph builder reports the unreadable file
    per_line = len(sample) / max(sample.count(b"\n"), 1)
    return round(size / per_line)


def estimate_bytes(scenario: Scenario) -> MemoryEstimate:
    """Estimate the peak memory of running ``scenario`` (see the module docstring).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its graph is sized, not built.

    Returns
    -------
    MemoryEstimate

    Examples
    --------
    >>> from swarmsim.scenario import load_scenario
    >>> graph = {"kind": "barabasi_albert", "n": 10**6, "m": 5}
    >>> spec = load_scenario({"graph": graph, "firms": [{"name": "A"}]})
    >>> round(estimate_bytes(spec).total / 1e9, 2)
    0.55
    """
    n, edges = graph_size(scenario.graph)
    firms, institutions = len(scenario.firms), len(scenario.institutions)
    consumers = 73 * n + 36 * n * firms + 9 * n * institutions
    building = 16 * edges + 16 * n
    if _backend(scenario.backend, n) == "numpy":
        stepping = 24 * 2 * edges + 64 * n * (firms + 1)
    else:
        stepping = 32 * n * (firms + 1)
    return MemoryEstimate(
        n=n,
        n_edges=edges,
        graph=8 * (n + 1) + 2 * np.dtype(id_dtype(n)).itemsize * edges,
        consumers=consumers,
        working=max(building, stepping),
        interpreter=_INTERPRETER,
    )


def _backend(backend: str, n: int) -> str:
    """Return the backend a run of ``n`` consumers uses (``auto`` resolved as the model does)."""
    from swarmsim.kernels.backend import resolve_backend

    return resolve_backend(backend, n)


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


def check_fits(scenario: Scenario, *, source: str, available: int | None = None) -> MemoryEstimate:
    """Raise if the run would need more memory than is available; else return the estimate.

    Parameters
    ----------
    scenario : Scenario
    source : str
        Where the scenario came from, for the message.
    available : int, optional
        Bytes available (default: :func:`available_bytes`).

    Raises
    ------
    ScenarioError
        Naming ``graph.n``, with the estimate and the available memory in GB.
    """
    estimate = estimate_bytes(scenario)
    available = available_bytes() if available is None else available
    if estimate.total > available:
        raise ScenarioError(
            source,
            "graph.n",
            f"{estimate.n:,} consumers with {estimate.n_edges:,} edges and "
            f"{len(scenario.firms)} firms need about {estimate.total / GB:.1f} GB "
            f"(graph {estimate.graph / GB:.1f}, consumers {estimate.consumers / GB:.1f}, "
            f"working {estimate.working / GB:.1f}), this machine has "
            f"{available / GB:.1f} GB available; reduce graph.n or the number of firms",
        )
    return estimate
