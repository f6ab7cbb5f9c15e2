"""Compile every phase's Numba kernels, or load them from the on-disk cache; say so first.

The first run on a machine compiles the kernels (about half a minute); later
processes load them from ``__pycache__``. :func:`warm_up` does that on a
three-consumer input, so the model then finds every kernel ready: call it once per
process before timing, or in each Dask worker; later calls take microseconds.

Numba compiles the kernels on their first call and keeps the machine code in its
on-disk cache (``__pycache__`` beside the kernel modules, or ``NUMBA_CACHE_DIR``), so
only the first run on a machine, or after an upgrade, pays for it: about 30 s on two
cores. :func:`cache_is_cold` looks for the cache's index files (no compiling, no
import of anything new), and :func:`compile_notice` prints :data:`NOTICE` on standard
error when they are missing, so that the first run does not sit silent.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import numpy as np

from swarmsim.kernels import jit
from swarmsim.phases.advertising import compiled as advertising
from swarmsim.phases.advertising.spec import AdvertisingParams
from swarmsim.phases.boycott import compiled as boycott
from swarmsim.phases.boycott.spec import BoycottParams
from swarmsim.phases.experience import compiled as experience
from swarmsim.phases.experience.spec import ExperienceParams
from swarmsim.phases.exposure import compiled as exposure
from swarmsim.phases.exposure.spec import ExposureParams
from swarmsim.phases.institutions import compiled as institutions
from swarmsim.phases.institutions.spec import CallParams
from swarmsim.phases.purchase import compiled as purchase
from swarmsim.phases.purchase.spec import PurchaseParams
from swarmsim.phases.word_of_mouth import compiled as word_of_mouth
from swarmsim.phases.word_of_mouth.spec import AdvocacyParams, WordOfMouthParams

__all__ = ["COMPILED", "NOTICE", "cache_is_cold", "compile_notice", "warm_up"]

COMPILED = (advertising, purchase, experience, exposure, word_of_mouth, institutions, boycott)
"""Every phase's module of Numba twins, in step order."""


def warm_up() -> None:
    """Compile or load every kernel on inputs of the types and layouts the model passes.

    Per-firm state is ``(n, F)`` column-major and parameters are floats, as in the
    model, so no kernel is compiled again for another signature.
    """
    n, n_firms = 3, 2
    indptr = np.array([0, 1, 2, 2], dtype=np.int64)
    indices = np.array([1, 0], dtype=np.int32)  # CSRGraph's node ids while n < 2**31
    ones = np.ones(n)

    def per_firm(dtype=np.float64):
        return np.zeros((n, n_firms), dtype=dtype, order="F")

    opinion, flags = per_firm(), per_firm(np.bool_)
    bought = np.zeros(n, dtype=np.int64)
    membership = per_firm(np.bool_)  # (n, I) column-major, as the model's
    advertising.advertise(
        ones, ones, per_firm(), opinion, per_firm(), 0, 0, 0, 0, AdvertisingParams(*[0.5] * 7)
    )
    purchase.choose_purchases(
        opinion, opinion, opinion, flags, per_firm(np.bool_), np.ones(n_firms), 0, 0, 0,
        PurchaseParams(*[0.5] * 7), bought,
    )  # fmt: skip
    experience.experience(
        bought, ones, opinion, per_firm(), per_firm(), per_firm(), flags, 0, 0, 0, 0,
        ExperienceParams(*[0.5] * 14),
    )  # fmt: skip
    exposure.detect_misconduct(
        ones, ones, opinion, flags, per_firm(np.bool_), 0, 0, 0, 0, ExposureParams(0.5, 0.5)
    )
    word_of_mouth.word_of_mouth(
        indptr, indices, flags, opinion, ones, ones, ones, 0, 0, 0, 0,
        WordOfMouthParams(*[0.5] * 6), per_firm(np.bool_), per_firm(np.bool_), per_firm(),
    )  # fmt: skip
    word_of_mouth.advocate(opinion, opinion, 0, 0, 0, 0, AdvocacyParams(0.5, 0.5), flags)
    word_of_mouth.independent_cascade(indptr, indices, bought, 0.5, 0, 0, 0, 0, flags[:, 0].copy())
    institutions.petition(np.array([0], dtype=np.int64), opinion, flags, 0, 0, 0, 0, 0, 0.5)
    institutions.call(membership[:, 0], opinion, 0, 0, 0, 0, CallParams(0, 0.5, 0.5, -1.0))
    institutions.campaign_pressure(membership, np.full(n_firms, 0.5), 0, opinion)
    institutions.negative_members(np.array([0], dtype=np.int64), opinion, 0)
    out = per_firm(np.bool_)
    params = BoycottParams(0.0, 0.0, 0.5)
    boycott.boycott_update(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, per_firm(np.bool_), 0, 0, 0,
        0, params, out[:, 0],
    )  # fmt: skip
    boycott.boycott_update_cached(
        indptr, indices, flags, opinion, ones, ones, ones, opinion, per_firm(np.bool_), 0, 0, 0,
        0, params, per_firm(), per_firm(np.bool_), out[:, 0],
    )  # fmt: skip
    jit.triangular(0, 0, 0, 0, 0)


NOTICE = "compiling kernels, first run only (about 30 s)…"
"""What :func:`compile_notice` prints."""

PACKAGE = "swarmsim.phases"
SLOW_SECONDS = 3.0
"""A warm :func:`warm_up` loads every kernel in well under a second; past this it compiles."""


def kernels(package: str = PACKAGE) -> Iterator[object]:
    """Yield the public cached Numba kernels of the loaded modules of ``package``.

    Private helpers (``_name``) are left out: Numba compiles them into their callers,
    and some never get a cache entry of their own.
    """
    for name, module in list(sys.modules.items()):
        if module is None or not (name == package or name.startswith(package + ".")):
            continue
        for attr, value in list(vars(module).items()):
            py_func = getattr(value, "py_func", None)
            if attr.startswith("_") or getattr(value, "_cache", None) is None or py_func is None:
                continue
            if py_func.__module__ == name:
                yield value


def cache_is_cold() -> bool:
    """Return True if a kernel of a loaded phase module has no cache index.

    Then the next run compiles. False with ``NUMBA_DISABLE_JIT`` (nothing compiles) and
    when the index exists but is stale (Numba then recompiles; :func:`compile_notice`
    still reports a warm-up that takes long).
    """
    for kernel in kernels():
        cache_file = getattr(kernel._cache, "_cache_file", None)  # Numba's own attributes
        index = getattr(cache_file, "_index_path", None)
        if index is not None and not Path(index).is_file():
            return True
    return False


@contextmanager
def compile_notice(stream: TextIO | None = None, *, after: float = SLOW_SECONDS):
    """Print :data:`NOTICE` on ``stream`` (standard error) if the block will compile.

    At once when :func:`cache_is_cold`; otherwise once the block has run ``after``
    seconds (a stale cache), or never.
    """
    printed = threading.Event()

    def say() -> None:
        if not printed.is_set():
            printed.set()
            print(NOTICE, file=stream or sys.stderr, flush=True)

    if cache_is_cold():
        say()
    timer = threading.Timer(after, say)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
