"""Phase 8 — boycott: complex contagion with institutional pressure and hysteresis.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
