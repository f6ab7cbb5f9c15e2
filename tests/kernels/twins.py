"""Every phase's NumPy reference kernels and their Numba twins, as two namespaces.

``reference.NAME`` and ``compiled.NAME`` are the two versions of kernel NAME (the
phases' ``reference.py`` and ``compiled.py``, plus the shared triangular noise of
:mod:`swarmsim.kernels.rng` and :mod:`swarmsim.kernels.jit`). ``__all__`` lists the
names, so a parity test can check that every compiled kernel has one.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from swarmsim.kernels import jit, rng
from swarmsim.phases.warmup import COMPILED


def _namespace(modules, **extra) -> SimpleNamespace:
    kernels = {name: getattr(module, name) for module in modules for name in module.__all__}
    kernels.update(extra)
    return SimpleNamespace(__all__=sorted(kernels), **kernels)


REFERENCES = tuple(
    importlib.import_module(module.__name__.removesuffix("compiled") + "reference")
    for module in COMPILED
)
compiled = _namespace(COMPILED, triangular=jit.triangular)
reference = _namespace(REFERENCES, triangular=rng.triangular)
