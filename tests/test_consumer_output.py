"""Per-consumer output: what consumers/, traits.parquet and graph.parquet hold, and reading them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from swarmsim.consumer_output import (
    CONSUMER_COLUMNS,
    TRAIT_COLUMNS,
    ConsumerRecorder,
    write_edges,
    write_traits,
)
from swarmsim.errors import OutputError
from swarmsim.graphs import from_edges
from swarmsim.model import SwarmModel
from swarmsim.results import load_results, utc_now, write_results


@pytest.fixture
def model(small) -> SwarmModel:
    return SwarmModel.from_scenario({**small, "steps": 9})


def test_each_recorded_step_holds_every_consumer_and_firm_as_the_model_had_them(model, tmp_path):
    record = ConsumerRecorder(tmp_path / "consumers", every=4, last=9)
    record(model)
    states = {0: model.consumers.opinion.copy()}
    for _ in range(9):
        model.step()
        record(model)
        states[model.steps] = model.consumers.opinion.copy()
    files = sorted(p.name for p in (tmp_path / "consumers").iterdir())
    assert files == [f"step-{t:06d}.parquet" for t in (0, 4, 8, 9)]
    people, n, names = model.consumers, model.consumers.n, [f.name for f in model.firms]
    last = pd.read_parquet(tmp_path / "consumers" / "step-000009.parquet")
    assert list(last.columns) == list(CONSUMER_COLUMNS)
    assert len(last) == n * len(names)
    assert pq.ParquetFile(tmp_path / "consumers" / "step-000009.parquet").num_row_groups == 3
    for f, name in enumerate(names):
        rows = last[last["firm"] == name]
        assert rows["consumer"].tolist() == list(range(n))
        assert np.array_equal(rows["opinion"], people.opinion[:, f])
        assert np.array_equal(rows["trust_in_firm"], people.firm_trust[:, f])
        assert np.array_equal(rows["bought"], people.purchase == f)
        assert np.array_equal(rows["boycott"], people.boycott[:, f])
        assert np.array_equal(rows["aware"], people.aware[:, f])
    middle = pd.read_parquet(tmp_path / "consumers" / "step-000004.parquet")
    first_firm = middle[middle["firm"] == names[0]]
    assert np.array_equal(first_firm["opinion"], states[4][:, 0])  # not the later state


def test_traits_hold_roles_thresholds_degrees_and_memberships(model, tmp_path):
    write_traits(model, tmp_path / "traits.parquet")
    traits = pd.read_parquet(tmp_path / "traits.parquet")
    members = [f"member[{inst.name}]" for inst in model.institutions]
    assert list(traits.columns) == [*TRAIT_COLUMNS, *members]
    assert np.array_equal(traits["degree"], model.graph.degree())
    assert np.array_equal(traits["threshold"], model.consumers.threshold)
    roles = traits["role"].value_counts().to_dict()
    assert {k: v for k, v in roles.items() if v} == {
        k: v for k, v in model.role_counts().items() if v
    }
    for k, column in enumerate(members):
        assert traits[column].sum() == model.institutions[k].members.size


def test_the_edge_list_holds_each_undirected_edge_once(tmp_path):
    graph = from_edges(5, np.array([0, 1, 1, 3, 4]), np.array([1, 0, 2, 4, 4]))
    write_edges(graph, tmp_path / "graph.parquet")
    edges = pd.read_parquet(tmp_path / "graph.parquet")
    pairs = sorted(zip(edges["source"], edges["target"], strict=True))
    expected = sorted({(min(i, j), max(i, j)) for i in range(5)
                       for j in graph.indices[graph.indptr[i]:graph.indptr[i + 1]] if i != j})
    assert pairs == expected  # fmt: skip
    assert (edges["source"] < edges["target"]).all()


def test_load_results_reads_the_per_consumer_tables(model, tmp_path):
    folder = tmp_path / "run"
    model.run()
    write_results(model, folder, source="test", wall_seconds=0.0, started=utc_now())
    (folder / "consumers").mkdir()
    ConsumerRecorder(folder / "consumers", every=3, last=9)(model)
    write_traits(model, folder / "traits.parquet")
    loaded = load_results(folder)
    assert loaded.edges is None
    assert len(loaded.traits) == model.consumers.n
    table = loaded.consumers(steps=[9], columns=["step", "consumer", "opinion"])
    assert list(table.columns) == ["step", "consumer", "opinion"]
    assert (table["step"] == 9).all()
    with pytest.raises(OutputError, match=r"steps not recorded: step-000004\.parquet"):
        loaded.consumers(steps=[4])
    bare = tmp_path / "bare"
    write_results(model, bare, source="test", wall_seconds=0.0, started=utc_now())
    with pytest.raises(OutputError, match="no per-consumer output"):
        load_results(bare).consumers()
