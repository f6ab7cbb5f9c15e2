"""Tests for swarmsim.graphs.readers: text and Parquet edge lists, GraphML."""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from swarmsim import graphs
from swarmsim.errors import GraphError

# --------------------------------------------------------------------------- files


def test_read_edge_list_round_trip(tmp_path):
    path = tmp_path / "edges.txt"
    path.write_text(
        "# consumer friendships\n"
        "0 1\n"
        "\n"
        "1,2\n"
        "  2 ,\t3 0.75 extra\n"
        "3 0  # trailing comment\n"
        "1 0\n"
        "4 4\n"
    )
    g = graphs.read_edge_list(path, n=6)
    assert g == graphs.from_edges(6, [0, 1, 2, 3, 1, 4], [1, 2, 3, 0, 0, 4])
    assert g.degree().tolist() == [2, 2, 2, 2, 0, 0]
    assert graphs.read_edge_list(str(path)).n == 5  # default n: largest id + 1


def test_read_edge_list_reads_numpy_csv(tmp_path):
    rng = np.random.default_rng(0)
    edges = rng.integers(0, 5000, size=(200_000, 2))
    path = tmp_path / "big.csv"
    np.savetxt(path, edges, fmt="%d", delimiter=",")
    g = graphs.read_edge_list(path, n=5000)
    assert g == graphs.from_edges(5000, edges[:, 0], edges[:, 1])


def test_read_edge_list_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("# nobody knows anybody\n\n")
    assert graphs.read_edge_list(path).n == 0
    assert graphs.read_edge_list(path, n=3) == graphs.from_edges(3, [], [])


def test_read_edge_list_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(GraphError, match=re.escape(f"graph file not found: {path}")):
        graphs.read_edge_list(path)
    with pytest.raises(GraphError, match="graph file not found"):
        graphs.read_edge_list(tmp_path)  # a directory


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        ("0 1\n# c\n1 x\n", {}, r"line 3: node id in column 2 is not an integer;"),
        ("source target\n0 1\n", {}, r"line 1: node id in column 1 is not an integer"),
        ("0 1\n1 2.5\n", {}, r"line 2: node id in column 2 is not an integer"),
        ("0 1\n\n-3 2\n", {}, r"line 3: node id in column 1 is negative"),
        ("0 1\n2\n", {}, r"line 2: only one field, expected two node ids"),
        ("7\n0 1\n", {}, r"line 1: only one field"),
        ("0 1\n1 2\n5 1\n", {"n": 4}, r"line 3: node id in column 1 is >= n=4"),
    ],
)
def test_read_edge_list_errors_name_file_and_line(tmp_path, text, kwargs, match):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(GraphError, match=match) as info:
        graphs.read_edge_list(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path}: line ")
    assert "expected one edge 'u v' per line" in message


def test_an_error_never_shows_the_files_text(tmp_path):
    path = tmp_path / "environ"
    path.write_bytes(b"0 1\nAPI_KEY=s3cr3t-value other\n")
    with pytest.raises(GraphError) as info:
        graphs.read_edge_list(path)
    assert "line 2" in str(info.value)
    assert "s3cr3t" not in str(info.value)
    assert "API_KEY" not in str(info.value)
    xml = tmp_path / "bad.graphml"
    xml.write_text("<graphml><graph>s3cr3t-value<</graph></graphml>")
    with pytest.raises(GraphError, match="at line 1, column") as info:
        graphs.read_graphml(xml)
    assert "s3cr3t" not in str(info.value)


def test_read_edge_list_line_endings_signs_and_last_line(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"0 1\r\n+1\t2\r\n# c\r\n-0,3\r\n\r\n3 4")  # no final newline
    assert graphs.read_edge_list(path) == graphs.from_edges(5, [0, 1, 0, 3], [1, 2, 3, 4])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0 1\n1 99999999999999999999\n", "line 2: node id in column 2 does not fit"),
        ("0 1\n1#2\n", "line 2: only one field"),
        ("0 1\n1 2x\n", "line 2: node id in column 2 is not an integer"),
        ("0 1\n- 2\n", "line 2: node id in column 1 is not an integer"),
    ],
)
def test_read_edge_list_scanner_agrees_with_error_locator(tmp_path, text, match):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(GraphError, match=match):
        graphs.read_edge_list(path)


def write_parquet(path, columns: dict) -> None:
    pq.write_table(pa.table(columns), path)


def test_read_parquet_edge_list(tmp_path):
    ba = graphs.barabasi_albert(300, 2, seed=4)
    rows = np.repeat(np.arange(ba.n), ba.degree())
    path = tmp_path / "edges.parquet"
    write_parquet(
        path,
        {
            "source": rows.astype(np.int32),
            "target": ba.indices.astype(np.uint16),  # both directions, any integer type
            "weight": np.ones(len(rows)),
        },
    )
    assert graphs.read_edge_list(path) == ba
    assert graphs.read_edge_list(path, n=302).degree()[-2:].tolist() == [0, 0]
    empty = tmp_path / "empty.pq"
    write_parquet(empty, {"u": np.array([], np.int64), "v": np.array([], np.int64)})
    assert graphs.read_edge_list(empty, n=2) == graphs.from_edges(2, [], [])


@pytest.mark.parametrize(
    ("columns", "kwargs", "match"),
    [
        ({"u": [0, 1]}, {}, "has 1 column"),
        ({"u": [0, 1], "v": [1.0, 2.0]}, {}, "column 'v' has type double"),
        ({"u": [0, None], "v": [1, 2]}, {}, "column 'u' has 1 nulls"),
        ({"u": [0, -4], "v": [1, 2]}, {}, "row 1: column 'u' holds node id -4, which is negative"),
        (
            {"u": [0, 1], "v": [1, 7]},
            {"n": 5},
            "column 'v' holds node id 7, which is >= n=5",
        ),
    ],
)
def test_read_parquet_errors_name_file_column_and_row(tmp_path, columns, kwargs, match):
    path = tmp_path / "bad.parquet"
    write_parquet(path, columns)
    with pytest.raises(GraphError, match=match) as info:
        graphs.read_edge_list(path, **kwargs)
    assert str(info.value).startswith(f"{path}: ")
    assert "first two columns are integer node ids" in str(info.value)


def test_read_parquet_rejects_other_files(tmp_path):
    path = tmp_path / "text.parquet"
    path.write_text("0 1\n")
    with pytest.raises(GraphError, match=r"text\.parquet: not a readable Parquet file"):
        graphs.read_edge_list(path)


def test_graphml_round_trip(tmp_path):
    ba = graphs.barabasi_albert(40, 2, seed=5)
    g = graphs.from_edges(42, np.repeat(np.arange(40), ba.degree()), ba.indices)  # 2 isolated
    path = tmp_path / "g.graphml"
    nx.write_graphml(g.to_networkx(), path)
    assert graphs.read_graphml(path) == g


def test_graphml_errors(tmp_path):
    with pytest.raises(GraphError, match=r"graph file not found: .*missing\.graphml"):
        graphs.read_graphml(tmp_path / "missing.graphml")
    garbage = tmp_path / "garbage.graphml"
    garbage.write_text("this is not xml")
    with pytest.raises(
        GraphError, match=r"garbage.graphml: not a readable GraphML file \(ParseError"
    ):
        graphs.read_graphml(garbage)
    other_xml = tmp_path / "other.graphml"
    other_xml.write_text("<root><a/></root>")
    with pytest.raises(GraphError, match="not a readable GraphML file"):
        graphs.read_graphml(other_xml)
