"""Which kernels a run uses: :func:`resolve_backend` turns ``backend: auto`` into a name.

Both backends give the same results bit for bit; ``auto`` picks the faster one.

How the threshold was chosen: ``scripts/measure_auto_backend.py`` builds
``scenarios/baseline.yaml`` with ``graph.n`` set to 100, 300, 1,000, 3,000 and 10,000
and runs its 104 steps on NumPy and on Numba (warm cache; one thread and the default
thread count), the configurations taking turns, three repeats each, medians. Once its
kernels are loaded, one-thread Numba was faster at every size (1.5–4× at 100–1,000
consumers, 5–7× at 3,000–10,000). Loading them from the cache costs a fresh process
0.35–0.8 s, once; a single run (one ``swarmsim run``) wins that back from about 2,000
consumers on (at 1,000 NumPy took 0.4–0.6 s, Numba 0.1–0.2 s plus the load; at 3,000
NumPy 0.7–1.0 s), so ``auto`` uses NumPy below AUTO_NUMBA_CONSUMERS and Numba from
it on; a process that builds many small models can ask for ``numba`` outright.
Re-measure with::

    python scripts/measure_auto_backend.py [--sizes 100,300,1000,3000,10000] [--repeats 3]

Threads are a separate choice (``NUMBA_NUM_THREADS``): with more threads than free
cores (other processes busy), every parallel loop waits for its threads, and
multi-threaded Numba then lost to NumPy up to 10,000 consumers; sweeps run their
kernels on one thread per worker for that reason.

With ``NUMBA_DISABLE_JIT`` set, the "compiled" kernels run as plain Python, so ``auto``
is NumPy whatever the size.
"""

from __future__ import annotations

import numba

__all__ = ["AUTO_NUMBA_CONSUMERS", "BACKENDS", "resolve_backend"]

BACKENDS = ("numpy", "numba")
"""The kernel backends; a scenario may also say ``auto``."""

AUTO_NUMBA_CONSUMERS = 2_000
"""``backend: auto`` uses Numba from this many consumers on (see the module docstring)."""


def resolve_backend(backend: str, n_consumers: int) -> str:
    """Name the kernel backend a run uses: ``auto`` is numba from AUTO_NUMBA_CONSUMERS on.

    Parameters
    ----------
    backend : {"numpy", "numba", "auto"}
        The scenario's ``backend``.
    n_consumers : int
        Consumers in the run.

    Returns
    -------
    str
        ``"numpy"`` or ``"numba"``; an explicit choice is returned as it is.
    """
    if backend != "auto":
        return backend
    if numba.config.DISABLE_JIT:
        return "numpy"
    return "numba" if n_consumers >= AUTO_NUMBA_CONSUMERS else "numpy"
