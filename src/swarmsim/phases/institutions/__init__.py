"""Phase 7 — institutions: triggers, campaigns, petitions and calls.

``spec.py`` holds its scenario section and parameter tuple, ``phase.py`` its step,
``reference.py`` the rule in NumPy and ``compiled.py`` its Numba twin.
"""
