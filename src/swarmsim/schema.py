"""The base of every scenario section: a frozen pydantic model that rejects unknown keys.

Scenario sections (:mod:`swarmsim.scenario`) and the graph kinds
(:mod:`swarmsim.graphs.kinds`) are subclasses of :class:`Spec`, so a scenario file is
checked by one set of rules wherever its sections are defined.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Spec", "probability"]


class Spec(BaseModel):
    """A section of a scenario: unknown keys rejected, immutable, defaults validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def probability(default: float, description: str) -> Any:
    """Return a pydantic ``Field`` for a probability or share: a float in [0, 1].

    Parameters
    ----------
    default : float
        The default value, in [0, 1].
    description : str
        What the number means, with its range (shown in ``swarmsim params`` and the
        JSON schema).
    """
    return Field(default, ge=0.0, le=1.0, description=description)
