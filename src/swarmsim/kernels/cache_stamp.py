"""Keep Numba's on-disk cache honest about the modules compiled into a module's kernels.

Numba stamps each cached function with a hash of the file that defines it, and of
nothing else. The phases' ``compiled.py`` and the graph generators compile the
counter-based generator of ``rng.py`` (and the exponential of ``fmath.py``, through
``jit.py``) into their kernels, so after an edit of ``rng.py`` Numba would load their
cached code with the old generator.
:func:`forget_if_changed` keeps a hash of those dependencies next to the cache and,
when it no longer matches, deletes the module's cache indexes, so the kernels are
compiled afresh. Call it at the end of the module, before any kernel runs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["forget_if_changed"]


def forget_if_changed(kernel, *dependencies: str | os.PathLike[str]) -> bool:
    """Drop the cache of ``kernel``'s module if ``dependencies`` changed since it was made.

    Parameters
    ----------
    kernel : numba dispatcher
        Any ``njit(cache=True)`` function of the module (they share one cache folder).
    dependencies : paths
        Files whose code is compiled into the module's kernels.

    Returns
    -------
    bool
        Whether cache indexes were deleted. False, doing nothing, when the kernel has no
        cache (``NUMBA_DISABLE_JIT``) or the cache folder cannot be written.
    """
    folder = getattr(getattr(kernel, "_cache", None), "_cache_path", None)  # Numba's
    if folder is None:
        return False
    digest = hashlib.sha256()
    for path in dependencies:
        digest.update(Path(path).read_bytes())
    module = Path(kernel.py_func.__code__.co_filename).stem
    stamp = Path(folder) / f"{module}.dependencies"
    try:
        if stamp.is_file() and stamp.read_text() == digest.hexdigest():
            return False
        for index in Path(folder).glob(f"{module}.*.nbi"):
            index.unlink(missing_ok=True)
        Path(folder).mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:  # a read-only installation: nobody edits the dependencies there
        return False
    return True
