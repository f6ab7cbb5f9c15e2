"""The graph kinds a scenario can name: the one list of them, with all each kind needs.

A scenario's ``graph:`` section is one of the spec classes below, chosen by its
``kind`` tag (a pydantic discriminated union, :data:`GraphSpec`). Each class holds,
next to its fields and their checks, everything the rest of swarmsim asks of a kind:

- :meth:`GraphKindSpec.build` builds the graph (:func:`build_graph` calls it with a
  seed derived from the run's seed);
- :meth:`GraphKindSpec.expected_size` gives ``(n, expected undirected edges)`` without
  building anything, for the memory check of :mod:`swarmsim.memory`;
- :attr:`GraphKindSpec.slider_max` is the largest ``graph.n`` the app's consumer slider
  offers, or None when the kind is not sized by the one number ``graph.n``
  (:mod:`swarmsim.viz.app`).

:data:`KINDS` maps each tag to its class, in the order of the union (and of the
parameter tables in ``docs/model.md``).

Adding a graph kind touches only this package: write its builder (in
:mod:`~swarmsim.graphs.generators` or :mod:`~swarmsim.graphs.readers`), a subclass of
:class:`GraphKindSpec` here with a ``kind: Literal["name"]`` field, described fields,
``build``, ``expected_size`` and ``slider_max``, and add the class to ``_KINDS``;
then ``swarmsim params --update docs/model.md`` regenerates its parameter table.
``tests/graphs/test_kinds.py`` fails for a subclass left out of ``_KINDS``.
"""

from __future__ import annotations

import functools
import operator
import typing
from pathlib import Path
from typing import Annotated, ClassVar, Literal, override

from pydantic import Field, model_validator

from swarmsim.errors import GraphError
from swarmsim.graphs.csr import CSRGraph
from swarmsim.graphs.generators import (
    barabasi_albert,
    complete,
    configuration,
    erdos_renyi,
    stochastic_block,
    watts_strogatz,
)
from swarmsim.graphs.readers import estimate_edges, read_edge_list, read_graphml
from swarmsim.kernels import rng
from swarmsim.schema import Spec, probability

__all__ = [
    "KINDS",
    "MAX_CONSUMERS",
    "BarabasiAlbertGraph",
    "CompleteGraph",
    "ConfigurationGraph",
    "EdgeListGraph",
    "ErdosRenyiGraph",
    "GraphKindSpec",
    "GraphMLGraph",
    "GraphSpec",
    "StochasticBlockGraph",
    "WattsStrogatzGraph",
    "build_graph",
]

MAX_CONSUMERS = 100_000_000
"""Largest ``graph.n`` a scenario may ask for."""

_KIND = "graph type: selects this kind's fields (the kinds: swarmsim.graphs.KINDS)"
_GRAPH_STREAM = "init.graph"
_FILE_MEAN_DEGREE = 10
"""Mean degree assumed for a graph file without ``n``, to size its node arrays."""


class GraphKindSpec(Spec):
    """Base of the graph kinds: a ``graph:`` section that can build and size its graph."""

    slider_max: ClassVar[int | None] = None
    """Largest ``graph.n`` offered by the app's consumer slider; None: not sized by ``n``."""

    def build(self, seed: int) -> CSRGraph:
        """Build the graph this section describes.

        Parameters
        ----------
        seed : int
            Generator seed, in ``[0, 2**63 - 1]`` (ignored by graphs read from files).
        """
        raise NotImplementedError(type(self).__name__)

    def expected_size(self) -> tuple[int, int]:
        """Return ``(n, expected undirected edges)`` without building the graph.

        Exact for kinds with a fixed edge count, the expectation for random ones, an
        estimate from the file size for files (whose paths ``load_scenario`` has made
        absolute).
        """
        raise NotImplementedError(type(self).__name__)

    @classmethod
    def kind_name(cls) -> str:
        """Return the ``kind`` tag of this class (the value of its ``Literal``)."""
        return typing.get_args(cls.model_fields["kind"].annotation)[0]


class _GeneratedGraph(GraphKindSpec):
    n: int = Field(10_000, ge=2, le=MAX_CONSUMERS, description="number of consumers (nodes)")


class BarabasiAlbertGraph(_GeneratedGraph):
    """Preferential attachment: scale-free degrees, mean degree about 2m."""

    slider_max: ClassVar[int | None] = 20_000
    kind: Literal["barabasi_albert"] = Field("barabasi_albert", description=_KIND)
    m: int = Field(3, ge=1, description="edges each new node attaches with, >= 1 and < n")

    @model_validator(mode="after")
    def _m_below_n(self):
        if self.m >= self.n:
            raise ValueError(f"m must be < n (m={self.m}, n={self.n})")
        return self

    @override
    def build(self, seed: int) -> CSRGraph:
        return barabasi_albert(self.n, self.m, seed=seed)

    @override
    def expected_size(self) -> tuple[int, int]:
        return self.n, self.m * (self.n - self.m)


class ErdosRenyiGraph(_GeneratedGraph):
    """G(n, p) random graph with p = mean_degree / (n - 1)."""

    slider_max: ClassVar[int | None] = 20_000
    kind: Literal["erdos_renyi"] = Field(description=_KIND)
    mean_degree: float = Field(6.0, ge=0.0, description="expected degree z, in [0, n-1]")

    @override
    def build(self, seed: int) -> CSRGraph:
        return erdos_renyi(self.n, self.mean_degree, seed=seed)

    @override
    def expected_size(self) -> tuple[int, int]:
        return self.n, round(self.n * self.mean_degree / 2)


class WattsStrogatzGraph(_GeneratedGraph):
    """Ring lattice of k neighbours with each edge rewired with probability p."""

    slider_max: ClassVar[int | None] = 20_000
    kind: Literal["watts_strogatz"] = Field(description=_KIND)
    k: int = Field(6, ge=2, description="neighbours on the ring before rewiring, even, in [2, n)")
    p: float = probability(0.1, "rewiring probability per edge, in [0, 1]")

    @model_validator(mode="after")
    def _even_k_below_n(self):
        if self.k % 2 or self.k >= self.n:
            raise ValueError(f"k must be even and < n (k={self.k}, n={self.n})")
        return self

    @override
    def build(self, seed: int) -> CSRGraph:
        return watts_strogatz(self.n, self.k, self.p, seed=seed)

    @override
    def expected_size(self) -> tuple[int, int]:
        return self.n, self.n * self.k // 2


class StochasticBlockGraph(GraphKindSpec):
    """Blocks (communities) with dense links inside and sparse links between."""

    kind: Literal["stochastic_block"] = Field(description=_KIND)
    sizes: list[Annotated[int, Field(ge=1)]] = Field(
        min_length=1, description="consumers per block, each >= 1; n is their sum"
    )
    p_in: float = probability(0.01, "edge probability inside a block, in [0, 1]")
    p_out: float = probability(0.0005, "edge probability between blocks, in [0, 1]")

    @override
    def build(self, seed: int) -> CSRGraph:
        return stochastic_block(self.sizes, self.p_in, self.p_out, seed=seed)

    @override
    def expected_size(self) -> tuple[int, int]:
        n = sum(self.sizes)
        inside = sum(s * (s - 1) // 2 for s in self.sizes)
        return n, round(self.p_in * inside + self.p_out * (n * (n - 1) // 2 - inside))


class ConfigurationGraph(GraphKindSpec):
    """Random graph with a given degree sequence (multi-edges and self-loops removed)."""

    kind: Literal["configuration"] = Field(description=_KIND)
    degrees: list[Annotated[int, Field(ge=0)]] = Field(
        min_length=2, description="degree of each consumer, each >= 0, even sum"
    )

    @model_validator(mode="after")
    def _even_sum(self):
        if sum(self.degrees) % 2:
            raise ValueError(f"degrees must have an even sum (sum={sum(self.degrees)})")
        return self

    @override
    def build(self, seed: int) -> CSRGraph:
        return configuration(self.degrees, seed=seed)

    @override
    def expected_size(self) -> tuple[int, int]:
        return len(self.degrees), sum(self.degrees) // 2


class CompleteGraph(_GeneratedGraph):
    """Everyone knows everyone: the mean-field limit (keep n small, edges grow as n²)."""

    slider_max: ClassVar[int | None] = 2_000
    kind: Literal["complete"] = Field(description=_KIND)
    n: int = Field(500, ge=2, le=10_000, description="number of consumers, in [2, 10000]")

    @override
    def build(self, seed: int) -> CSRGraph:
        del seed  # nothing random
        return complete(self.n)

    @override
    def expected_size(self) -> tuple[int, int]:
        return self.n, self.n * (self.n - 1) // 2


class EdgeListGraph(GraphKindSpec):
    """Edge list: text, one 'u v' pair of ids per line, or Parquet (*.parquet, *.pq)."""

    kind: Literal["edge_list"] = Field(description=_KIND)
    path: str = Field(description="file path (text or Parquet), relative to the scenario file")
    n: int | None = Field(
        None, ge=1, le=MAX_CONSUMERS, description="consumers; default: largest id + 1"
    )

    @override
    def build(self, seed: int) -> CSRGraph:
        del seed  # read, not drawn
        return read_edge_list(self.path, n=self.n)

    @override
    def expected_size(self) -> tuple[int, int]:
        edges = estimate_edges(Path(self.path))
        return (self.n if self.n is not None else edges // (_FILE_MEAN_DEGREE // 2)), edges


class GraphMLGraph(GraphKindSpec):
    """GraphML file; nodes are numbered in file order."""

    kind: Literal["graphml"] = Field(description=_KIND)
    path: str = Field(description="file path, relative to the scenario file")

    @override
    def build(self, seed: int) -> CSRGraph:
        del seed  # read, not drawn
        return read_graphml(self.path)

    @override
    def expected_size(self) -> tuple[int, int]:
        edges = estimate_edges(Path(self.path))
        return edges // (_FILE_MEAN_DEGREE // 2), edges


_KINDS = (
    BarabasiAlbertGraph,
    ErdosRenyiGraph,
    WattsStrogatzGraph,
    StochasticBlockGraph,
    ConfigurationGraph,
    CompleteGraph,
    EdgeListGraph,
    GraphMLGraph,
)

KINDS: dict[str, type[GraphKindSpec]] = {cls.kind_name(): cls for cls in _KINDS}
"""Every graph kind a scenario can name: ``kind`` tag -> spec class, in union order."""

GraphSpec = Annotated[functools.reduce(operator.or_, _KINDS), Field(discriminator="kind")]
"""The ``graph:`` section of a scenario: one of :data:`KINDS`, chosen by ``kind``."""


def build_graph(spec: GraphKindSpec, *, seed: int) -> CSRGraph:
    """Build a scenario's graph; the generator's seed derives from the run seed.

    Parameters
    ----------
    spec : GraphKindSpec
        The scenario's validated ``graph`` section (any of :data:`KINDS`).
    seed : int
        The run's seed, >= 0. The generator gets a 31-bit seed hashed from it on a
        stream of its own, so graph and run draw unrelated random numbers.

    Returns
    -------
    CSRGraph
    """
    graph_seed = int(rng.hash_counters(seed, rng.stable_hash(_GRAPH_STREAM), 0, 0, 0) >> 33)
    graph = spec.build(graph_seed)
    if graph.n == 0:  # only a file can hold no node at all
        raise GraphError(
            f"{getattr(spec, 'path', 'graph')}: holds no consumers; expected at least one "
            "edge (or, for an edge list, n >= 1)"
        )
    return graph
