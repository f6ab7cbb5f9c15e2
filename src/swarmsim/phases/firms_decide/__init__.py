"""Phase 1 — firms decide: adaptive firms revise their manipulation weight.

``spec.py`` holds its scenario section (``adaptation``), ``phase.py`` its step; the
rule runs once per firm, so it has no kernels.
"""
