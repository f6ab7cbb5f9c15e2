"""Tests for kernels/cache_stamp.py: an edited dependency invalidates Numba's cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import pytest

# A module whose cached kernel inlines a function of another module, as compiled.py
# inlines rng.fold; {forget} is the call under test, or nothing (the control).
MODULE = """
from numba import njit
import dep

_value = njit(cache=True, inline="always")(dep.value)

@njit(cache=True)
def kernel():
    return _value()

{forget}
print(kernel())
"""
FORGET = (
    "from swarmsim.kernels.cache_stamp import forget_if_changed\n"
    "forget_if_changed(kernel, dep.__file__)"
)


def run_module(folder: Path) -> str:
    env = {**os.environ, "PYTHONPATH": f"{folder}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, str(folder / "mod.py")], capture_output=True,
                          text=True, env=env, timeout=300, check=True)  # fmt: skip
    return done.stdout.strip()


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is cached without the JIT")
@pytest.mark.parametrize("forgetting", [True, False])
def test_an_edited_dependency_is_compiled_afresh_only_when_forgotten(tmp_path, forgetting):
    (tmp_path / "mod.py").write_text(MODULE.format(forget=FORGET if forgetting else ""))
    (tmp_path / "dep.py").write_text("def value():\n    return 1\n")
    assert run_module(tmp_path) == "1"  # compiled and cached
    assert run_module(tmp_path) == "1"  # from the cache
    (tmp_path / "dep.py").write_text("def value():\n    return 2\n")
    # Without the call Numba serves the stale cached kernel: the problem being solved.
    assert run_module(tmp_path) == ("2" if forgetting else "1")
    assert run_module(tmp_path) == ("2" if forgetting else "1")


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="nothing is cached without the JIT")
def test_the_kernel_modules_record_their_dependencies():
    from numba.core.registry import CPUDispatcher

    from swarmsim.graphs import generators
    from swarmsim.kernels import jit
    from swarmsim.phases.warmup import COMPILED

    kernels = [(module, next(v for v in vars(module).values() if isinstance(v, CPUDispatcher)))
               for module in COMPILED]  # fmt: skip
    for module, kernel in ((jit, jit.key), *kernels, (generators, generators._uniform)):
        stamp = Path(kernel._cache._cache_path) / f"{Path(module.__file__).stem}.dependencies"
        assert stamp.is_file()
