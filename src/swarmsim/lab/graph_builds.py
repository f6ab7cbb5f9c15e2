"""Time and peak memory of building large graphs: generators and edge-list files.

Usage: ``python -m swarmsim.lab.graph_builds [--sizes 1e6 1e7] [--files]``

Each build runs in a fresh interpreter (after a tiny warm-up call that loads the
compiled kernels, and after importing pyarrow), so its peak resident memory is its
own; the interpreter with NumPy and Numba loaded is reported as the baseline. With
--files, a Barabási–Albert graph of each size is written once as a text edge list
("u v" per line) and as Parquet, and reading each back is timed the same way. Prints
a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, sys, time
from pathlib import Path
from swarmsim import graphs


def peak():  # VmHWM: unlike ru_maxrss, not inherited from the parent process
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(s for s in status if s.startswith("VmHWM:")).split()[1]) * 1024


kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
builds = {
    "barabasi_albert": lambda n: graphs.barabasi_albert(n, 5, seed=1),
    "erdos_renyi": lambda n: graphs.erdos_renyi(n, 10.0, seed=1),
    "watts_strogatz": lambda n: graphs.watts_strogatz(n, 10, 0.1, seed=1),
    "stochastic_block": lambda n: graphs.stochastic_block([n // 100] * 100, 900 / n, 1 / n, seed=1),
    "text": lambda n: graphs.read_edge_list(path),
    "parquet": lambda n: graphs.read_edge_list(path),
}
if kind in ("text", "parquet"):
    import pyarrow.parquet  # imported on first use; not part of reading
    graphs.from_edges(3, [0, 1], [1, 2])
else:
    builds[kind](1000)
base = peak()
start = time.perf_counter()
g = builds[kind](n)
seconds = time.perf_counter() - start
print(json.dumps({"kind": kind, "n": g.n, "edges": g.n_edges, "seconds": seconds,
                  "peak_gb": peak() / 1e9, "base_gb": base / 1e9,
                  "csr_gb": (g.indptr.nbytes + g.indices.nbytes) / 1e9}))
"""


def measure(kind: str, n: int, path: str = "") -> dict:
    """Build graph ``kind`` of ``n`` nodes (or read ``path``) in a fresh process; its figures."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(n), path],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_files(n: int, folder: Path) -> tuple[str, str]:
    """Write a Barabási–Albert graph of ``n`` nodes as a text and a Parquet edge list."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as csv
    import pyarrow.parquet as pq

    from swarmsim import graphs

    g = graphs.barabasi_albert(n, 5, seed=1)
    rows = np.repeat(np.arange(g.n), g.degree())
    upper = rows < g.indices
    table = pa.table({"u": rows[upper], "v": g.indices[upper]})
    text, parquet = folder / f"ba-{n}.txt", folder / f"ba-{n}.parquet"
    options = csv.WriteOptions(include_header=False, delimiter=" ", quoting_style="none")
    csv.write_csv(table, text, options)
    pq.write_table(table, parquet)
    return str(text), str(parquet)


def main() -> None:
    """Parse the options, measure every build, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e6, 1e7])
    parser.add_argument("--files", action="store_true", help="also time reading edge lists")
    args = parser.parse_args()
    rows = []
    kinds = ("barabasi_albert", "erdos_renyi", "watts_strogatz", "stochastic_block")
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes):
            rows += [measure(kind, n) for kind in kinds]
            if args.files:
                text, parquet = write_files(n, Path(tmp))
                size = Path(text).stat().st_size / 1e9
                rows.append({**measure("text", n, text), "file_gb": size})
                rows.append({**measure("parquet", n, parquet)})
    print("| graph | n | edges | seconds | peak GB | of which CSR GB | baseline GB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        label = r["kind"] + (f" ({r['file_gb']:.2f} GB file)" if "file_gb" in r else "")
        print(
            f"| {label} | {r['n']:,} | {r['edges']:,} | {r['seconds']:.1f} | "
            f"{r['peak_gb']:.2f} | {r['csr_gb']:.2f} | {r['base_gb']:.2f} |"
        )


if __name__ == "__main__":
    main()
