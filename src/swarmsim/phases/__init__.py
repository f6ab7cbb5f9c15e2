"""The ten phases of a step, one module each, run in :data:`swarmsim.model.PHASES` order.

Every phase module exposes ``NAME``, ``STREAM`` (its random stream) and
``step(model, t)``; the phase validates and dispatches, the maths lives in
:mod:`swarmsim.kernels`.
"""
