"""Parameter sweeps: designs, a resumable Parquet store, a Dask runner and analysis.

The public names are imported on first use, so ``swarmsim.cli`` (which registers the
sweep commands) does not pay for importing Dask until a sweep runs. Dask, distributed,
dask-jobqueue and SALib are the ``sweeps`` extra (``pip install
'swarmsim-consumers[sweeps]'``); without it, importing the runner raises
:class:`~swarmsim.errors.MissingExtraError` (an ImportError) saying so.

Examples
--------
>>> from swarmsim.sweeps import load_sweep, run_sweep
>>> sweep = load_sweep("experiments/parity_mavens.yaml")  # doctest: +SKIP
>>> report = run_sweep(sweep, "results/parity_mavens")  # doctest: +SKIP
>>> report.collected.runs.head()  # doctest: +SKIP
"""

import importlib

_HOMES = {
    "Collected": "store",
    "Sweep": "design",
    "SweepReport": "runner",
    "collect": "store",
    "load_sweep": "design",
    "run_sweep": "runner",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    """Import a public name from its module on first access."""
    if name not in _HOMES:
        raise AttributeError(f"module 'swarmsim.sweeps' has no attribute {name!r}")
    return getattr(importlib.import_module(f"swarmsim.sweeps.{_HOMES[name]}"), name)
