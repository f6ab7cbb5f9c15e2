"""The kernels' layer: what every phase's NumPy rule and Numba twin are built from.

- :mod:`~swarmsim.kernels.rng`: counter-based random numbers (one seed, any order);
- :mod:`~swarmsim.kernels.fmath`: an exponential with the same bits on both backends;
- :mod:`~swarmsim.kernels.jit`: those compiled, and the helpers the parallel twins share;
- :mod:`~swarmsim.kernels.placement`: where large state arrays start in memory;
- :mod:`~swarmsim.kernels.cache_stamp`: Numba's on-disk cache kept honest.

The rules themselves live with their phases (``swarmsim/phases/NAME/reference.py`` and
``compiled.py``). Conventions shared by every pair: arrays first, then ``seed, stream,
t`` and the firm index ``f``, then the phase's parameter tuple, then preallocated
outputs; per-firm state is ``(n, F)`` and a kernel updates column ``f`` in place; a
draw is ``rng.uniform(seed, stream, t, a, b)`` with the counters each docstring names;
sums over neighbours run in CSR order. This layer imports nothing else of swarmsim.
"""
