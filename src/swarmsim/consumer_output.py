"""Per-consumer output: every consumer's beliefs and choices per firm, traits and the graph.

A results folder written with per-consumer output holds, besides the tables of
:mod:`swarmsim.results`,

- ``consumers/``: one Parquet file per recorded step (``step-000010.parquet``), one row
  per consumer and firm (columns: :data:`CONSUMER_COLUMNS`), one row group per firm;
  read it as one table with ``pandas.read_parquet`` or :meth:`Results.consumers
  <swarmsim.results.Results.consumers>`;
- ``traits.parquet``: one row per consumer, what does not change during a run
  (:data:`TRAIT_COLUMNS`, plus ``member[NAME]`` per institution);
- ``graph.parquet`` (asked for separately): the edge list, each undirected edge once.

Files are written as the run goes, one row group (one firm's rows of one step) at a
time, each file first to a temporary name and then renamed: memory does not grow with
the number of recorded steps (at 10⁶ consumers and 3 firms a run's peak grows by about
0.1 GB, as much for 5 recorded steps as for 13), and a killed run leaves only whole
files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from swarmsim.agents.consumers import ROLE_NAMES

__all__ = [
    "CONSUMER_COLUMNS",
    "TRAIT_COLUMNS",
    "ConsumerRecorder",
    "step_file",
    "write_edges",
    "write_traits",
]

CONSUMER_COLUMNS = {
    "step": "step (0: the initial state)",
    "consumer": "consumer id, 0..n-1 (the graph's node)",
    "firm": "firm name",
    "opinion": "opinion of the firm, in [-1, 1]",
    "expectation": "expected quality of the firm, in [0, 1]",
    "loyalty": "loyalty to the firm, in [0, 1]",
    "trust_in_firm": "trust in the firm's own messages, in [0, 1]",
    "bought": "bought from the firm in this step",
    "boycott": "boycotting the firm",
    "buycott": "favouring the firm deliberately in this step",
    "aware": "knows of a misconduct of the firm",
}
"""Columns of ``consumers/``, with their meaning."""

TRAIT_COLUMNS = {
    "consumer": "consumer id, 0..n-1",
    "role": "ordinary, maven or alpha",
    "competence": "information competence, in [0, 1]",
    "threshold": "boycott threshold, in [0, 1] (0: an activist)",
    "peer_trust": "trust in neighbours' messages at the start, in [0, 1]",
    "weight": "influence weight, >= 1",
    "degree": "number of neighbours",
}
"""Columns of ``traits.parquet`` (then ``member[NAME]`` per institution), with their meaning."""

_COMPRESSION = "zstd"


def step_file(folder: Path, step: int) -> Path:
    """Return the file of ``consumers/`` that holds ``step``."""
    return folder / f"step-{step:06d}.parquet"


def _write_table(table: pa.Table, path: Path) -> None:
    """Write ``table`` to a temporary name beside ``path``, then rename it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression=_COMPRESSION)
    tmp.replace(path)


class ConsumerRecorder:
    """Write the consumers' state every ``every`` steps (and at the last) to ``folder``.

    Call it after each step (and once before the first, for step 0).

    Parameters
    ----------
    folder : Path
        The ``consumers/`` folder; created if needed.
    every : int
        Record steps 0, every, 2·every, ... (>= 1).
    last : int
        The run's last step, recorded whatever ``every``.
    """

    def __init__(self, folder: Path, every: int, last: int):
        self.folder, self.every, self.last = Path(folder), every, last
        self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, model) -> None:
        """Write the current step if it is one to record."""
        t = int(model.steps)
        if t % self.every == 0 or t == self.last:
            self.write(model, t)

    def write(self, model, t: int) -> None:
        """Write step ``t``: one row group per firm."""
        people, names = model.consumers, [firm.name for firm in model.firms]
        n, schema = people.n, _schema()
        consumer = pa.array(np.arange(n, dtype=np.int64))
        step = pa.array(np.full(n, t, dtype=np.int32))
        firm_names = pa.array(names, type=pa.string())
        path = step_file(self.folder, t)
        tmp = path.with_name(f".{path.name}.tmp")
        with pq.ParquetWriter(tmp, schema, compression=_COMPRESSION) as writer:
            for f in range(len(names)):
                firm = pa.DictionaryArray.from_arrays(
                    pa.array(np.full(n, f, dtype=np.int8)), firm_names
                )
                columns = [
                    step, consumer, firm,
                    people.opinion[:, f], people.expectation[:, f], people.loyalty[:, f],
                    people.firm_trust[:, f], people.purchase == f, people.boycott[:, f],
                    people.buycott[:, f], people.aware[:, f],
                ]  # fmt: skip
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))
        tmp.replace(path)


def _schema() -> pa.Schema:
    floats = ("opinion", "expectation", "loyalty", "trust_in_firm")
    flags = ("bought", "boycott", "buycott", "aware")
    return pa.schema(
        [("step", pa.int32()), ("consumer", pa.int64()),
         ("firm", pa.dictionary(pa.int8(), pa.string()))]
        + [(name, pa.float64()) for name in floats]
        + [(name, pa.bool_()) for name in flags]
    )  # fmt: skip


def write_traits(model, path: Path) -> None:
    """Write ``traits.parquet``: one row per consumer (:data:`TRAIT_COLUMNS`, memberships).

    Call it before the first step: ``peer_trust`` drifts with its yearly trend.
    """
    people = model.consumers
    roles = pa.DictionaryArray.from_arrays(
        pa.array(people.role.astype(np.int8)), pa.array(ROLE_NAMES, type=pa.string())
    )
    columns = {
        "consumer": np.arange(people.n, dtype=np.int64),
        "role": roles,
        "competence": people.competence,
        "threshold": people.threshold,
        "peer_trust": people.peer_trust,
        "weight": people.weight,
        "degree": model.graph.degree(),
    }
    for k, institution in enumerate(model.institutions):
        columns[f"member[{institution.name}]"] = people.membership[:, k]
    _write_table(pa.table(columns), path)


def write_edges(graph, path: Path) -> None:
    """Write ``graph.parquet``: columns ``source`` < ``target``, each undirected edge once."""
    source = np.repeat(np.arange(graph.n, dtype=np.int64), np.diff(graph.indptr))
    target = graph.indices.astype(np.int64)
    keep = source < target
    _write_table(pa.table({"source": source[keep], "target": target[keep]}), path)
