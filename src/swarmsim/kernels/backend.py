"""Which kernels a run uses: :func:`resolve_backend` turns ``backend: auto`` into a name.

Both backends give the same results bit for bit; ``auto`` picks the faster one.

How the threshold was chosen: ``scripts/measure_auto_backend.py`` builds
``scenarios/baseline.yaml`` with ``--set graph.n=N`` for N in 100, 300, 1,000, 3,000 and
10,000 and runs its 104 steps on NumPy and on Numba (warm cache; 1 thread and the
default thread count), the configurations taking turns, three repeats each, medians.
On one thread Numba was 3–6× faster than NumPy at every size, 100 consumers included,
and a fresh process loads every compiled kernel from the warm cache in about 0.4 s,
which a run of 104 steps wins back from about AUTO_NUMBA_CONSUMERS consumers on.
Re-measure with::

    python scripts/measure_auto_backend.py [--sizes 100,300,1000,3000,10000] [--repeats 3]

Numba's threads are a separate matter (``NUMBA_NUM_THREADS``): on a host whose cores
are busy with other processes, every parallel loop waits for its second thread, and two
threads were slower than NumPy up to 3,000 consumers there; sweeps run their kernels
on one thread per worker for that reason.

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
