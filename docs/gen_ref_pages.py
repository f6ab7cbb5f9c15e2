"""Generate the site's virtual pages on every build (run by mkdocs-gen-files).

- ``index.md``: the README, with its links into ``docs/`` made relative to the site.
- ``tutorials/index.md``: ``experiments/README.md``, likewise, and ``tutorials/SUMMARY.md``,
  the tutorials' navigation: one entry per notebook under its title (the notebooks themselves
  are mounted from ``experiments/`` by mkdocs-jupyter's ``notebook_dirs``, see ``mkdocs.yml``).
- ``reference/``: one API page per public module found under ``src/swarmsim/``, plus the
  ``SUMMARY.md`` that mkdocs-literate-nav turns into the reference's navigation. Modules are
  found by walking the source tree, so moving or adding modules needs no edit here.

Nothing is written to the repository: mkdocs-gen-files keeps these files in a temporary
folder for the build.
"""

from __future__ import annotations

import json
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "swarmsim"
NOTEBOOKS = ROOT / "experiments"

# Dotted module names left out of the reference; a package here drops all of its modules.
# (A literal: tests/test_docs_site.py reads it to know which pages to expect.)
BLOCKLIST: tuple[str, ...] = ()


def _copy_with_links(source: Path, target: str, old: str, new: str) -> None:
    """Write ``source`` to the virtual file ``target``; links ``](old...`` become ``](new...``."""
    text = source.read_text(encoding="utf-8")
    text = text.replace(f"]({old}", f"]({new}")
    with mkdocs_gen_files.open(target, "w") as handle:
        handle.write(text)


def _blocked(parts: tuple[str, ...]) -> bool:
    """Return whether a module is private, ``__main__`` or (under) a blocklisted name."""
    if any(part.startswith("_") and part != "__init__" for part in parts):
        return True
    return any(".".join(parts[:i]) in BLOCKLIST for i in range(1, len(parts) + 1))


def api_reference() -> None:
    """Write ``reference/<module path>.md`` (``index.md`` for packages) and the nav."""
    nav = mkdocs_gen_files.Nav()
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if _blocked(parts):
            continue
        doc_path = Path(*parts).with_suffix(".md")
        if parts[-1] == "__init__":
            parts = parts[:-1]
            doc_path = Path(*parts, "index.md")
        nav[parts] = doc_path.as_posix()
        with mkdocs_gen_files.open(Path("reference", doc_path), "w") as handle:
            handle.write(f"::: {'.'.join(parts)}\n")
    with mkdocs_gen_files.open("reference/SUMMARY.md", "w") as handle:
        handle.writelines(nav.build_literate_nav())


def tutorials_nav() -> None:
    """Write ``tutorials/SUMMARY.md``: the overview, then each notebook under its title."""
    lines = ["- [Overview](index.md)\n"]
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        lines.append(f"- [{_notebook_title(path)}]({path.name})\n")
    with mkdocs_gen_files.open("tutorials/SUMMARY.md", "w") as handle:
        handle.writelines(lines)


def _notebook_title(path: Path) -> str:
    """Return the first level-1 heading of a notebook's Markdown cells, else its file name."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


_copy_with_links(ROOT / "README.md", "index.md", "docs/", "")
_copy_with_links(NOTEBOOKS / "README.md", "tutorials/index.md", "../docs/", "../")
tutorials_nav()
api_reference()
