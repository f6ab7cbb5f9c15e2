"""The benchmark lab: measurements of swarmsim, kept apart from the model.

Nothing outside this package imports it; it imports the model like any user would.

- :mod:`.bench` — ``swarmsim bench``: plans the measurements, runs each in a fresh
  process, writes what it measured as JSON (with the machine and the commit);
- :mod:`.tasks` — the measurements themselves (``python -m swarmsim.lab.tasks``);
- :mod:`.report` — the printed summary table;
- :mod:`.cases` — the scenarios measured (two classic cascades, the full model);
- :mod:`.peers` — the same cascades in other tools (a hand-written kernel, NDlib,
  plain Mesa, cynetdiff);
- :mod:`.ceiling` — what a second thread can gain on this machine at all;
- :mod:`.sweeps` — Dask speed-up and common random numbers of sweeps;
- :mod:`.graph_builds`, :mod:`.alias`, :mod:`.plot_scaling` — graph building at scale,
  the array-aliasing probe, and the scaling figure from a bench's JSON.

It lives inside the ``swarmsim`` package (not a top-level folder) so that ``swarmsim
bench`` works from an installed wheel and its Numba kernels share the package's cache.
NDlib and cynetdiff come from the ``bench`` extra (``pip install 'swarmsim-consumers[bench]'``)
and are imported only when their baseline runs.
"""
