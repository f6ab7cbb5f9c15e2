"""MkDocs hook: the ``SUMMARY.md`` navigation files feed mkdocs-literate-nav but are not pages."""

from __future__ import annotations

from pathlib import PurePosixPath

from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel


@event_priority(-110)  # after mkdocs-literate-nav (-100) has read them
def on_files(files: Files, config) -> None:
    """Leave the literate-nav files out of the built site (changed in place, not replaced)."""
    for file in files:
        if PurePosixPath(file.src_uri).name == "SUMMARY.md":
            file.inclusion = InclusionLevel.EXCLUDED
