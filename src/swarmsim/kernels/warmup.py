"""Compile every kernel at once (:func:`warm_up`), and tell beforehand whether that is needed.

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

from swarmsim.kernels.compiled import warm_up  # the one line to repoint: compiles them all

__all__ = ["NOTICE", "cache_is_cold", "compile_notice", "warm_up"]

NOTICE = "compiling kernels, first run only (about 30 s)…"
"""What :func:`compile_notice` prints."""

PACKAGE = "swarmsim.kernels"
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
    """Return True if a kernel of a loaded ``swarmsim.kernels`` module has no cache index.

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
