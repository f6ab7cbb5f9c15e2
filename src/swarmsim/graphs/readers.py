"""Graphs read from files: text or Parquet edge lists, and GraphML.

- :func:`read_edge_list`: text (``u v`` per line) parsed by a compiled scanner over the
  file's bytes, no networkx; Parquet (``*.parquet``, ``*.pq``) read by pyarrow;
- :func:`read_graphml`: through ``networkx.read_graphml``, nodes numbered in file order;
- :func:`estimate_edges`: the number of edges in such a file, from its size, without
  reading it all (for the memory check made before a run).

Every problem is a :class:`~swarmsim.errors.GraphError` naming the file, and for text
edge lists the line, with the expected format.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from os import PathLike
from pathlib import Path

import networkx as nx
import numpy as np
from numba import njit
from numpy.typing import NDArray

from swarmsim.errors import GraphError
from swarmsim.graphs._checks import MAX_N, check_int
from swarmsim.graphs.csr import CSRGraph, from_edges, from_networkx

__all__ = ["estimate_edges", "read_edge_list", "read_graphml"]

_EDGE_LINE_FORMAT = (
    "expected one edge 'u v' per line: two node ids (integers in 0..n-1) separated by "
    "whitespace or a comma, extra columns ignored, '#' starts a comment"
)
_INT_TOKEN = re.compile(r"[+-]?\d+")
_SAMPLE = 1 << 20  # bytes read from a text edge list to measure its bytes per line


def _existing_file(path: str | PathLike[str]) -> Path:
    path = Path(path)
    if not path.is_file():
        where = "" if path.is_absolute() else f" (resolved to {path.resolve()})"
        raise GraphError(f"graph file not found: {path}{where}")
    return path


def read_edge_list(path: str | PathLike[str], *, n: int | None = None) -> CSRGraph:
    """Read an undirected graph from an edge-list file: text, or Parquet by suffix.

    Text format: two node ids per line, separated by whitespace or a comma (``0 1``,
    ``0,1``, ``0, 1``); further columns (weights, timestamps) are ignored; ``#`` starts
    a comment (whole-line or trailing); blank lines are skipped. A file named
    ``*.parquet`` or ``*.pq`` is read as a table whose first two columns hold the end
    points (any integer type, no nulls); other columns are ignored. Ids are array
    slots, integers in ``[0, n)``. Edges are symmetrised, self-loops dropped and
    duplicates collapsed, as in :func:`from_edges`.

    No networkx: text is parsed by a compiled scanner over the file's bytes in one
    pass (the file is re-read line by line only to locate an error), Parquet by
    pyarrow. Peak memory is about the file size plus 16 bytes per edge plus
    the CSR arrays.

    Parameters
    ----------
    path : str or path-like
        The edge-list file.
    n : int, optional
        Number of nodes, >= 0. Defaults to the largest id + 1 (0 for a file with no
        edges), so isolated nodes after the largest id need an explicit ``n``.

    Returns
    -------
    CSRGraph

    Raises
    ------
    GraphError
        If the file is missing or unreadable, or a line (its number is given) or a
        Parquet row has fewer than two fields, an id that is not an integer, a negative
        id, or an id >= ``n``.

    Examples
    --------
    A file holding ``# friends``, ``0,1`` and ``1 2 0.5`` gives
    ``read_edge_list(path, n=4)`` with edges 0-1 and 1-2 and node 3 isolated.
    """
    path = _existing_file(path)
    if n is not None:
        n = check_int("n", n, 0, MAX_N)
    if path.suffix.lower() in _PARQUET_SUFFIXES:
        return _read_parquet_edges(path, n)
    data = _read_bytes(path)
    src, dst = _parse_edges(path, data)
    top = int(max(src.max(), dst.max())) if len(src) else -1
    if n is None:
        n = top + 1
    elif top >= n:
        raise _edge_line_error(path, data, n)
    return from_edges(n, src, dst)


_PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_FORMAT = "expected a Parquet table whose first two columns are integer node ids"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise GraphError(f"cannot read graph file {path}: {err.strerror or err}") from err


def _parse_edges(path: Path, data: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the first two columns as ids >= 0, or raise naming the first bad line."""
    buffer = np.frombuffer(data, dtype=np.uint8)
    lines = _count_lines(buffer)
    src = np.empty(lines, dtype=np.int64)
    dst = np.empty(lines, dtype=np.int64)
    count = _scan_edges(buffer, src, dst)
    if count < 0:
        raise _edge_line_error(path, data, None)
    return src[:count], dst[:count]


@njit(cache=True, nogil=True)
def _count_lines(data):
    """Count the lines of ``data`` (a final line without a newline counts)."""
    count = 0
    for byte in data:
        count += byte == 10
    return count + (data.shape[0] > 0 and data[-1] != 10)


@njit(cache=True, nogil=True)
def _scan_edges(data, src, dst):
    """Parse ``u v`` per line of ``data`` (bytes) into ``src`` and ``dst``.

    Returns the number of edges, or -1 at the first line that is not blank or a
    comment and lacks two integer ids >= 0 (the caller then locates it for the
    message). The rules are those of :func:`_line_problem`: ``,`` counts as
    whitespace, a token is ``[+-]?[0-9]+`` ending at whitespace, ``#`` or the line end.
    """
    size, i, count = data.shape[0], 0, 0
    while i < size:
        fields = 0
        while fields < 2:
            while i < size and _is_blank(data[i]):
                i += 1
            if i == size or data[i] == 10 or data[i] == 35:  # end of line or '#'
                break
            value, i = _scan_id(data, i)
            if value < 0:
                return -1
            if fields == 0:
                src[count] = value
            else:
                dst[count] = value
            fields += 1
        if fields == 1:
            return -1
        count += fields == 2
        while i < size and data[i] != 10:  # the rest of the line is ignored
            i += 1
        i += 1
    return count


@njit(cache=True, nogil=True)
def _is_blank(byte):
    """Space, tab, carriage return, vertical tab, form feed or comma."""
    return byte == 32 or byte == 9 or byte == 13 or byte == 11 or byte == 12 or byte == 44


@njit(cache=True, nogil=True)
def _scan_id(data, i):
    """Parse the token at ``i``: return (id, next index), or (-1, i) if not an id >= 0."""
    size, sign = data.shape[0], 1
    if data[i] == 43 or data[i] == 45:  # '+' or '-'
        sign = 1 if data[i] == 43 else -1
        i += 1
    start, value = i, 0
    while i < size and 48 <= data[i] <= 57:
        digit = np.int64(data[i]) - 48
        if value > (9223372036854775807 - digit) // 10:
            return -1, i  # does not fit in int64
        value = value * 10 + digit
        i += 1
    if i == start or (i < size and not (_is_blank(data[i]) or data[i] == 10 or data[i] == 35)):
        return -1, i
    if sign < 0 and value > 0:
        return -1, i
    return value, i


def _read_parquet_edges(path: Path, n: int | None) -> CSRGraph:
    """Read the first two columns of a Parquet edge table (see :func:`read_edge_list`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path, columns=pq.read_schema(path).names[:2])
    except (OSError, pa.ArrowException) as err:
        raise GraphError(f"{path}: not a readable Parquet file ({err}); {_PARQUET_FORMAT}") from err
    if table.num_columns < 2:
        raise GraphError(f"{path}: has {table.num_columns} column(s); {_PARQUET_FORMAT}")
    ends = []
    for name, column in zip(table.column_names[:2], table.columns[:2], strict=True):
        if not pa.types.is_integer(column.type):
            raise GraphError(f"{path}: column {name!r} has type {column.type}; {_PARQUET_FORMAT}")
        if column.null_count:
            raise GraphError(f"{path}: column {name!r} has {column.null_count} nulls; "
                             f"{_PARQUET_FORMAT}")  # fmt: skip
        ends.append(column.to_numpy().astype(np.int64, copy=False))
    src, dst = ends
    for name, values in zip(table.column_names[:2], ends, strict=True):
        bad = np.flatnonzero((values < 0) | (values >= (n if n is not None else MAX_N)))
        if len(bad):
            k = int(bad[0])
            limit = "negative" if values[k] < 0 else f">= n={n if n is not None else MAX_N}"
            raise GraphError(
                f"{path}: row {k}: column {name!r} holds node id {values[k]}, which is "
                f"{limit}; {_PARQUET_FORMAT} in 0..n-1"
            )
    if n is None:
        n = int(max(src.max(), dst.max())) + 1 if len(src) else 0
    return from_edges(n, src, dst)


def _edge_line_error(
    path: Path, data: bytes, n: int | None, cause: Exception | None = None
) -> GraphError:
    """Re-scan ``data`` line by line and describe the first bad line (slow path)."""
    lines = data.decode("utf-8", errors="replace").split("\n")
    for lineno, line in enumerate(lines, start=1):
        problem = _line_problem(line.split("#", 1)[0].replace(",", " ").split(), n)
        if problem:  # the line's text is never shown: the file may hold anything
            return GraphError(f"{path}: line {lineno}: {problem}; {_EDGE_LINE_FORMAT}")
    return GraphError(f"{path}: cannot parse as an edge list; {_EDGE_LINE_FORMAT}")


def _line_problem(fields: list[str], n: int | None) -> str | None:
    if not fields:
        return None
    if len(fields) < 2:
        return "only one field, expected two node ids"
    for column, token in enumerate(fields[:2], start=1):
        if not _INT_TOKEN.fullmatch(token):
            return f"node id in column {column} is not an integer"
        value = int(token)
        if value < 0:
            return f"node id in column {column} is negative"
        if value >= 2**63:
            return f"node id in column {column} does not fit in int64"
        if n is not None and value >= n:
            return (f"node id in column {column} is >= n={n} (pass a larger n, or renumber "
                    "the nodes)")  # fmt: skip
    return None


def read_graphml(path: str | PathLike[str]) -> CSRGraph:
    """Read an undirected graph from a GraphML file (via ``networkx.read_graphml``).

    Node ``i`` is the ``i``-th node networkx reads, i.e. the ``i``-th ``<node>`` element
    in file order; the GraphML ids (strings) are not interpreted. Directed graphs become
    undirected, self-loops are dropped and multi-edges collapse, as in
    :func:`from_networkx`. Attributes are ignored.

    Parameters
    ----------
    path : str or path-like
        The GraphML file.

    Returns
    -------
    CSRGraph

    Raises
    ------
    GraphError
        If the file is missing, or is not well-formed XML or not GraphML.
    """
    path = _existing_file(path)
    try:
        graph = nx.read_graphml(path)
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError) as err:
        where = getattr(err, "position", None)  # (line, column) of an XML error; no content
        at = f" at line {where[0]}, column {where[1]}" if where else ""
        raise GraphError(
            f"{path}: not a readable GraphML file ({type(err).__name__}{at}); expected "
            "XML with a <graphml><graph> element, as written by networkx.write_graphml"
        ) from None
    except OSError as err:
        raise GraphError(f"cannot read graph file {path}: {err.strerror or err}") from err
    return from_networkx(graph)


def estimate_edges(path: str | PathLike[str]) -> int:
    """Estimate the edges in an edge-list or GraphML file without reading all of it.

    Parquet: the row count from the file's metadata (exact, one row per edge). Text
    and GraphML: the file size divided by the mean bytes per line of its first
    megabyte (one edge per line for text edge lists; roughly so for GraphML).

    Parameters
    ----------
    path : str or path-like
        The graph file.

    Returns
    -------
    int
        Estimated undirected edges, >= 0; 0 when the file cannot be read (the graph
        reader then reports the problem).
    """
    path = Path(path)
    try:
        if path.suffix.lower() in _PARQUET_SUFFIXES:
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        size = path.stat().st_size
        with path.open("rb") as handle:
            sample = handle.read(_SAMPLE)
    except (OSError, ValueError):
        return 0
    if not sample:
        return 0  # an empty file
    per_line = len(sample) / max(sample.count(b"\n"), 1)
    return round(size / per_line)
