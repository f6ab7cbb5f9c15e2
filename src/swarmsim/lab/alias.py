"""Time the experience kernel with ``loyalty`` a chosen number of bytes after ``opinion``.

Usage: ``python -m swarmsim.lab.alias [--n 1000000] [--repeats 21]``

Probes the address aliasing that :mod:`swarmsim.kernels.placement` avoids: both (n, 5)
column-major arrays are carved from one buffer, ``loyalty`` starting D bytes after
``opinion``, and one firm's experience call is timed (median of ``--repeats`` calls
over the five firms, with ``NUMBA_NUM_THREADS`` threads). On a CPU that aliases, the
rows at multiples of 2**28 bytes are several times slower than the others. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from numba import get_num_threads

from swarmsim.phases.experience import compiled
from swarmsim.phases.experience.spec import ExperienceParams

FIRMS = 5
DISTANCES = {
    "2^26": 1 << 26,
    "2^27": 1 << 27,
    "2^28 - 2^21": (1 << 28) - (1 << 21),
    "2^28 - 64": (1 << 28) - 64,
    "2^28": 1 << 28,
    "2^28 + 128": (1 << 28) + 128,
    "2^28 + 4096": (1 << 28) + 4096,
    "2^29": 1 << 29,
    "3 * 2^28": 3 << 28,
}


def main() -> None:
    """Parse the options, time each distance, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="consumers")
    parser.add_argument("--repeats", type=int, default=21, help="timed calls per firm")
    args = parser.parse_args()
    n, rng = args.n, np.random.default_rng(1)
    params = ExperienceParams(*[0.1] * 14)
    purchase = rng.integers(-1, FIRMS, n)
    competence = rng.uniform(0.0, 1.0, n)
    expectation = np.asfortranarray(rng.uniform(0.0, 1.0, (n, FIRMS)))
    speaking = np.zeros((n, FIRMS), dtype=np.bool_, order="F")
    firm_trust = np.ones((n, FIRMS), order="F")
    buffer = np.empty(max(DISTANCES.values()) + 8 * n * FIRMS + 8192, dtype=np.uint8)
    base = (-buffer.ctypes.data) % 4096 + 16  # as NumPy's own large arrays start

    def carve(offset: int) -> np.ndarray:
        array = np.ndarray((n, FIRMS), np.float64, buffer=buffer, offset=base + offset, order="F")
        array[...] = rng.uniform(-0.5, 0.5, (n, FIRMS))
        return array

    def call_ms(opinion: np.ndarray, loyalty: np.ndarray) -> float:
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            for f in range(FIRMS):
                compiled.experience(
                    purchase, competence, opinion, expectation, loyalty, firm_trust, speaking,
                    1, 2, 3, f, params,
                )  # fmt: skip
            times.append((time.perf_counter() - start) / FIRMS)
        return 1e3 * float(np.median(times))

    print(f"| loyalty − opinion (bytes) | ms per call, n = {n:,}, {get_num_threads()} thread(s) |")
    print("|---|---:|")
    for label, distance in DISTANCES.items():
        opinion, loyalty = carve(0), carve(distance)
        print(f"| {label} | {call_ms(opinion, loyalty):.2f} |", flush=True)


if __name__ == "__main__":
    main()
