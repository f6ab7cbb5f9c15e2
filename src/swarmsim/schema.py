"""The base of every scenario section: a frozen pydantic model that rejects unknown keys.

Scenario sections (:mod:`swarmsim.scenario`) and the graph kinds
(:mod:`swarmsim.graphs.kinds`) are subclasses of :class:`Spec`, so a scenario file is
checked by one set of rules wherever its sections are defined.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from swarmsim.errors import ScenarioError

__all__ = ["Spec", "annotation_options", "boolean_number", "probability", "refuse_boolean_numbers"]


class Spec(BaseModel):
    """A section of a scenario: unknown keys rejected, immutable, defaults validated.

    Numbers must be finite (``.inf`` and ``.nan`` are refused); :func:`boolean_number`
    finds a ``true``/``false`` given for a number, which pydantic would read as 1/0.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )


def boolean_number(data: Any, model: type[BaseModel], path: str = "") -> str | None:
    """Return the dotted path of the first boolean given where ``model`` expects a number.

    YAML's ``true``/``false`` are Python booleans, which pydantic accepts as 1 and 0 for
    integer and float fields (``steps: true`` would run one step). This walks ``data``
    along ``model``'s fields — nested sections, lists, optional values, and tagged unions
    chosen by their ``kind`` — and reports where a boolean meets a number.

    Returns
    -------
    str or None
        The path (``firms.0.price``), or None when there is none.
    """
    if not isinstance(data, Mapping):
        return None
    for name, info in model.model_fields.items():
        if name in data:
            found = _boolean_in(data[name], info.annotation, f"{path}{name}")
            if found:
                return found
    return None


def refuse_boolean_numbers(data: Any, model: type[BaseModel], label: str) -> None:
    """Raise a one-line ScenarioError for ``label`` at the first :func:`boolean_number`."""
    path = boolean_number(data, model)
    if path:
        raise ScenarioError(label, path, "expected a number, got a boolean (true/false)")


def _boolean_in(value: Any, annotation: Any, path: str) -> str | None:
    kinds = annotation_options(annotation)
    if isinstance(value, bool):
        numeric = any(k in (int, float) for k in kinds)
        return path if numeric and bool not in kinds else None
    models = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
    if isinstance(value, Mapping) and models:
        chosen = _variant(models, value)
        return boolean_number(value, chosen, f"{path}.") if chosen else None
    items = [typing.get_args(k)[0] for k in kinds if typing.get_origin(k) is list]
    if isinstance(value, list) and items:
        for index, item in enumerate(value):
            found = _boolean_in(item, items[0], f"{path}.{index}")
            if found:
                return found
    return None


def annotation_options(annotation: Any) -> list[Any]:
    """Return the alternatives of an annotation: unions split, ``Annotated`` unwrapped."""
    if typing.get_origin(annotation) is typing.Annotated:
        return annotation_options(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [o for arg in typing.get_args(annotation) for o in annotation_options(arg)]
    return [annotation]


def _variant(models: list[type[BaseModel]], value: Mapping) -> type[BaseModel] | None:
    """Return the union member that ``value``'s ``kind`` names (the only one if untagged)."""
    if len(models) == 1:
        return models[0]
    for model in models:
        kind = model.model_fields.get("kind")
        if kind is not None and value.get("kind") in typing.get_args(kind.annotation):
            return model
    return None


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
