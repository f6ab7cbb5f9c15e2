"""The consumers' social graph: its CSR type, the graphs swarmsim makes or reads, the kinds.

Laid out as networkx separates generators from readwrite:

- :mod:`~swarmsim.graphs.csr`: :class:`CSRGraph` (two integer arrays a kernel takes as
  they are) and the helpers on it: :func:`from_edges`, :func:`from_networkx`,
  :func:`row_ids`, :func:`neighbour_sums`, :func:`id_dtype`, :func:`bfs_ball`;
- :mod:`~swarmsim.graphs.generators`: random graphs written straight into CSR arrays by
  Numba kernels, their draws from :mod:`swarmsim.kernels.rng`:
  :func:`barabasi_albert`, :func:`erdos_renyi`, :func:`watts_strogatz`,
  :func:`stochastic_block` (with :func:`block_labels`), :func:`configuration`,
  :func:`complete`;
- :mod:`~swarmsim.graphs.readers`: :func:`read_edge_list` (text or Parquet) and
  :func:`read_graphml`;
- :mod:`~swarmsim.graphs.kinds`: the one list of graph kinds a scenario can name
  (:data:`KINDS`, the union :data:`GraphSpec`), each with its builder, its expected
  size and its app slider, and :func:`build_graph`.

The package imports nothing of swarmsim above it but :mod:`swarmsim.kernels.rng` (and
the cache stamp beside it), :mod:`swarmsim.errors` and :mod:`swarmsim.schema`.

Examples
--------
>>> from swarmsim import graphs
>>> g = graphs.barabasi_albert(1000, 3, seed=1)
>>> g
CSRGraph(n=1000, n_edges=2991)
>>> sorted(graphs.KINDS)[:3]
['barabasi_albert', 'complete', 'configuration']
"""

from __future__ import annotations

from swarmsim.graphs.csr import (
    CSRGraph,
    bfs_ball,
    from_edges,
    from_networkx,
    id_dtype,
    neighbour_sums,
    row_ids,
)
from swarmsim.graphs.generators import (
    barabasi_albert,
    block_labels,
    complete,
    configuration,
    erdos_renyi,
    stochastic_block,
    watts_strogatz,
)
from swarmsim.graphs.kinds import KINDS, GraphKindSpec, GraphSpec, build_graph
from swarmsim.graphs.readers import read_edge_list, read_graphml

__all__ = [
    "KINDS",
    "CSRGraph",
    "GraphKindSpec",
    "GraphSpec",
    "barabasi_albert",
    "bfs_ball",
    "block_labels",
    "build_graph",
    "complete",
    "configuration",
    "erdos_renyi",
    "from_edges",
    "from_networkx",
    "id_dtype",
    "neighbour_sums",
    "read_edge_list",
    "read_graphml",
    "row_ids",
    "stochastic_block",
    "watts_strogatz",
]
