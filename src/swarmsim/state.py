"""Consumer state that a phase adds to the population, declared beside the phase's rule.

As a LASER component declares the properties it adds, every phase lists its arrays in
a ``STATE`` tuple of :class:`StateArray` next to its step (``phases/NAME/phase.py``);
the consumers' own beliefs are declared in :mod:`swarmsim.agents.consumers`.
:func:`swarmsim.agents.consumers.build_population` allocates them all, so adding a
phase's state touches that phase alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["StateArray"]


@dataclass(frozen=True)
class StateArray:
    """One array of consumer state.

    Attributes
    ----------
    name : str
        Attribute of the population (``people.boycott``).
    dtype : numpy dtype
        ``np.float64``, ``np.bool_`` or ``np.int64``.
    per : {"consumer", "firm", "institution"}
        Shape ``(n,)``, ``(n, F)`` or ``(n, I)``; the 2-D ones are column-major, as the
        kernels work column by column.
    fill : number, bool, or callable
        Initial value, or a function of the scenario's consumer section that returns it.
    description : str
        Meaning, unit and range.
    start_of_step : str, optional
        ``"clear"`` refills the array with ``fill`` at the start of every step; the
        name of another array copies that one in first (before any clearing).
    """

    name: str
    dtype: Any
    per: Literal["consumer", "firm", "institution"]
    fill: float | bool | int | Callable[[Any], float]
    description: str
    start_of_step: str | None = None
