"""Phase 3 — purchase: each consumer buys one unit from one firm, or nothing.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
