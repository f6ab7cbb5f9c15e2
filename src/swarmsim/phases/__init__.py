"""The ten phases of a step, run in :data:`swarmsim.model.PHASES` order.

A phase with a rule over consumers is a package: ``spec.py`` (its scenario section and
its kernels' parameter tuple), ``phase.py`` (``NAME``, ``STREAM``, ``KERNELS`` and
``step(model, t)``: validate and dispatch), ``reference.py`` (the rule in NumPy, the
readable specification) and ``compiled.py`` (its Numba twin, bit-identical). Phases
without such a rule (market accounting, data collection) are single modules.
:mod:`swarmsim.phases.warmup` compiles every twin.
"""
