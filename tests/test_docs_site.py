"""The documentation site (mkdocs.yml) builds with warnings as errors and works offline.

The build does not execute the notebooks (tests/test_notebooks.py runs them); `make docs`
does, so that the published site shows their outputs.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "mkdocs", reason="mkdocs is not installed: pip install -e '.[docs]' (the dev extra has it)"
)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "swarmsim"
BUILD_TIMEOUT_SECONDS = 600

# A page that fetches anything from another host when viewed: scripts, stylesheets, fonts,
# frames, and the CDNs that notebook renderers load scripts from in JavaScript (MathJax,
# widget managers, Solara's display check). Plain links (<a href="https://...">) are fine.
EXTERNAL = re.compile(
    r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\bhref=[\"']?(?:https?:)?//"
    r"|@import\s+url\(\s*[\"']?(?:https?:)?//"
    r"|fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com"
    r"|solara\.dev",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the site once with `mkdocs build --strict` into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "SWARMSIM_DOCS_EXECUTE": "false",
        "NO_MKDOCS_2_WARNING": "1",  # banners, not build warnings
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(out)]  # fmt: skip
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_SECONDS)  # fmt: skip
    log = proc.stdout + proc.stderr
    problems = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    report = "mkdocs build --strict failed:\n" + ("\n".join(problems) or log[-3000:])
    assert not problems, report
    assert proc.returncode == 0, report
    return out


def _blocklist() -> tuple[str, ...]:
    """The BLOCKLIST literal of docs/gen_ref_pages.py (read, not run: it needs a build)."""
    tree = ast.parse((ROOT / "docs" / "gen_ref_pages.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(target, "id", None) == "BLOCKLIST" for target in targets):
                return tuple(ast.literal_eval(node.value))
    raise AssertionError("docs/gen_ref_pages.py has no BLOCKLIST")


def _public_modules() -> list[tuple[str, ...]]:
    blocked = _blocklist()
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if any(part.startswith("_") and part != "__init__" for part in parts):
            continue
        if any(".".join(parts[:i]) in blocked for i in range(1, len(parts) + 1)):
            continue
        modules.append(parts)
    return modules


def test_every_section_is_built(site):
    for page in ("index", "model", "validation", "sweeps", "performance", "tutorials/index"):
        assert (site / f"{page}.html").is_file(), page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "organized consumer swarms versus firms" in home  # the README is the home page
    assert 'href="model.html' in home  # its docs/model.md link points into the site


def test_every_notebook_has_a_page(site):
    notebooks = sorted((ROOT / "experiments").glob("*.ipynb"))
    assert notebooks
    for notebook in notebooks:
        page = site / "tutorials" / f"{notebook.stem}.html"
        assert page.is_file(), notebook.name
        assert "jp-Notebook" in page.read_text(encoding="utf-8")


def test_every_public_module_has_an_api_page(site):
    """The reference is generated from the source tree: a moved module moves its page."""
    for parts in _public_modules():
        name = ".".join(part for part in parts if part != "__init__")
        page = site / "reference" / Path(*parts).with_suffix(".html")
        if parts[-1] == "__init__":
            page = page.with_name("index.html")
        assert page.is_file(), f"no API page for {name}"
        assert f'id="{name}"' in page.read_text(encoding="utf-8"), name
    assert not list(site.rglob("SUMMARY*")), "literate-nav files are navigation, not pages"


def test_numpy_docstrings_are_rendered(site):
    page = (site / "reference" / "swarmsim" / "model.html").read_text(encoding="utf-8")
    assert "Parameters:" in page
    assert 'id="swarmsim.model.SwarmModel.from_scenario"' in page


def test_nothing_is_fetched_from_the_internet(site):
    offenders = {}
    for page in site.rglob("*.html"):
        found = EXTERNAL.findall(page.read_text(encoding="utf-8"))
        if found:
            offenders[str(page.relative_to(site))] = found[:3]
    assert not offenders, f"pages load external resources: {offenders}"
