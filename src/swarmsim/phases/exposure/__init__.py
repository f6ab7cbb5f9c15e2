"""Phase 5 — exposure: hidden misconduct happens and some consumers find out.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
