"""Phase 6 — word of mouth: speakers message neighbours; bad news travels further.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
