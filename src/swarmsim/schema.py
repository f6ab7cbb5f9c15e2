"""The base of every scenario section: frozen pydantic models that reject unknown keys.

The scenario (:mod:`swarmsim.scenario`) composes the sections that the graph kinds,
the consumers, the actors and the phases declare beside their own code; they all
derive from :class:`Spec`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Spec", "probability"]


class Spec(BaseModel):
    """A scenario section: unknown keys rejected, values frozen and range-checked."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def probability(default: float, description: str):
    """Return a field in [0, 1] with its default and description (meaning, unit, range)."""
    return Field(default, ge=0.0, le=1.0, description=description)
