"""Phase 2 — advertising: each firm's ads reach a share of consumers and move beliefs.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
