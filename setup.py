"""Build configuration that pyproject.toml cannot say declaratively.

- The version: read from ``src/swarmsim/_version.py`` (``__version__``), its one source;
  ``swarmsim --version``, results' ``manifest.json`` and the wheel's metadata all show it.
- The shipped scenarios: the repository's ``scenarios/`` (their source of truth, also
  what ``scenarios/...`` paths in the docs name) is installed as the data package
  ``swarmsim._scenarios`` through ``package_dir``, so a wheel carries the same files,
  and ``swarmsim run baseline`` finds them outside the repository
  (:mod:`swarmsim.catalog`). No copy and no symlink: setuptools reads the folder itself.
- ``py.typed`` (PEP 561).
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"$',
    (HERE / "src" / "swarmsim" / "_version.py").read_text(encoding="utf-8"),
    re.MULTILINE,
).group(1)

SCENARIO_FOLDERS = sorted(
    p.relative_to(HERE / "scenarios")
    for p in [HERE / "scenarios", *(HERE / "scenarios").rglob("*")]
    if p.is_dir() and any(p.glob("*.yaml"))
)
SCENARIO_PACKAGES = {
    ".".join(("swarmsim._scenarios", *folder.parts)): str(Path("scenarios", folder))
    for folder in SCENARIO_FOLDERS
}

setup(
    version=VERSION,
    packages=[*find_packages("src"), *SCENARIO_PACKAGES],
    package_dir={"": "src", **SCENARIO_PACKAGES},
    package_data={"swarmsim": ["py.typed"], **{name: ["*.yaml"] for name in SCENARIO_PACKAGES}},
)
