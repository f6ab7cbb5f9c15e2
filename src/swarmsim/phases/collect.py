"""Phase 10 — data collection: Mesa's DataCollector records the step."""

from __future__ import annotations

NAME = "collect"
STREAM = 0  # no random draws


def step(model, t: int) -> None:
    """Record model, firm and institution reporters for step ``t``."""
    model.datacollector.collect(model)
