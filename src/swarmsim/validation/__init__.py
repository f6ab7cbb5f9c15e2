"""Validation: the full model, switched into special cases, against known results.

One module per check, each with a scenario in ``scenarios/validation/``:

- :mod:`~swarmsim.validation.threshold` — the boycott phase equals a direct networkx
  threshold cascade, round by round (exact);
- :mod:`~swarmsim.validation.watts` — Watts' (2002) cascade window on Erdős–Rényi
  graphs against the generating-function condition;
- :mod:`~swarmsim.validation.independent_cascade` — one-shot word of mouth against
  cynetdiff's independent cascade (final-size distributions);
- :mod:`~swarmsim.validation.bass` — ads plus word of mouth on a complete graph
  against the Bass curve;
- :mod:`~swarmsim.validation.logit` — the purchase phase against closed-form
  multinomial logit shares.

:mod:`~swarmsim.validation.runner` runs them (``swarmsim check-model``); the checks,
their tolerances and results are explained in ``docs/validation.md``.
"""
