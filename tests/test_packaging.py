"""The package's outer shell: one version, the shipped scenarios, extras, first-run compile.

``test_wheel_installs_and_runs_outside_the_repository`` builds a real wheel and runs it
from a folder outside the checkout (slow: it builds in an isolated environment).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import swarmsim
from swarmsim import catalog
from swarmsim._version import __version__
from swarmsim.errors import DISTRIBUTION, MissingExtraError, ScenarioError, require_extra
from swarmsim.phases import warmup

ROOT = Path(__file__).resolve().parents[1]
SWEEPS_EXTRA = ("dask", "distributed", "dask_jobqueue", "SALib")
WITHOUT_SWEEPS = (
    "import sys\n"
    f"for name in {SWEEPS_EXTRA!r}:\n"
    "    sys.modules[name] = None  # as if the sweeps extra were not installed\n"
    "from swarmsim.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


IMPORTED_FROM = str(Path(swarmsim.__file__).resolve().parents[1])
"""Where this process imports swarmsim from; subprocesses in other folders do the same."""


def swarmsim_cli(*args, cwd=None, env=None, code=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "swarmsim.cli"]
    path = os.pathsep.join(filter(None, (IMPORTED_FROM, os.environ.get("PYTHONPATH"))))
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "PYTHONPATH": path, **(env or {})}, timeout=600, check=False,
    )  # fmt: skip


# ------------------------------------------------------------------ one version
def changelog_version() -> str:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(r"^## \[(\d+\.\d+\.\d+[^\]]*)\]", text, re.MULTILINE)
    assert match, "CHANGELOG.md has no '## [X.Y.Z]' header"
    return match.group(1)


def test_changelog_newest_version_header_is_the_version():
    assert changelog_version() == __version__ == swarmsim.__version__


def test_citation_cff_names_the_version_and_has_the_required_keys():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert str(cff["version"]) == __version__


def test_setup_py_reads_the_version_file():
    text = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert '"_version.py"' in text
    pattern = re.search(r"r'(\^__version__[^']+)'", text).group(1)
    source = (ROOT / "src/swarmsim/_version.py").read_text(encoding="utf-8")
    assert re.search(pattern, source, re.MULTILINE).group(1) == __version__


def test_version_option_and_the_manifest_show_the_version(tmp_path, small):
    done = swarmsim_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"swarmsim, version {__version__}"
    from datetime import UTC, datetime

    from swarmsim.model import SwarmModel
    from swarmsim.results import manifest

    model = SwarmModel.from_scenario(small, overrides={"graph.n": 100, "backend": "numpy"})
    assert manifest(model, source="x", wall_seconds=0.0, started=datetime.now(UTC))[
        "swarmsim_version"
    ] == __version__


def test_py_typed_and_the_distribution_name():
    assert (ROOT / "src/swarmsim/py.typed").is_file()
    assert '"py.typed"' in (ROOT / "setup.py").read_text(encoding="utf-8")
    assert f'name = "{DISTRIBUTION}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ shipped scenarios
def test_the_shipped_scenarios_are_the_repositorys():
    names = catalog.shipped_names()
    assert names == sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    assert "baseline" in names
    shipped = catalog.resolve("baseline").read_bytes()
    assert shipped == (ROOT / "scenarios/baseline.yaml").read_bytes()
    assert catalog.resolve("baseline.yaml").name == "baseline.yaml"
    assert {p.name for p in catalog.validation_folder().glob("*.yaml")} == {
        p.name for p in (ROOT / "scenarios/validation").glob("*.yaml")
    }


def test_an_existing_path_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").write_text("name: mine\n", encoding="utf-8")
    assert catalog.resolve("baseline") == Path("baseline")
    assert catalog.resolve("sub/baseline") == Path("sub/baseline")  # a path, even if missing
    assert catalog.resolve("sub/baseline.yaml") == Path("sub/baseline.yaml")
    assert catalog.shipped("sub/baseline.yaml") is None
    assert catalog.shipped("baseline.yaml") == catalog.shipped("baseline") != Path("baseline")


def test_an_unknown_name_lists_the_shipped_ones():
    with pytest.raises(ScenarioError, match="no shipped scenario of that name") as caught:
        catalog.resolve("basline")
    assert "baseline, firm_response, high_information_parity" in str(caught.value)


def test_run_and_validate_take_a_shipped_name_from_anywhere(tmp_path):
    done = swarmsim_cli("validate", "self_organized", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "'self_organized'" in done.stdout
    done = swarmsim_cli("run", "baseline", "--out", "out", "--steps", "2", "--set",
                        "graph.n=300", "--no-plot", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/manifest.json").is_file()
    done = swarmsim_cli("run", "basline", cwd=tmp_path)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "basline: no such file, and no shipped scenario" in done.stderr
    assert "baseline" in done.stderr.split("shipped:")[1]


def test_scenarios_lists_each_with_its_summary():
    done = swarmsim_cli("scenarios")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for name in catalog.shipped_names():
        assert any(line.startswith(name + " ") for line in lines)
    assert any(
        line.startswith("baseline ") and "three firms compete" in line for line in lines
    )


# ------------------------------------------------------------------ the sweeps extra
def test_the_core_runs_without_the_sweeps_extra(tmp_path, small):
    small["steps"] = 2
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small), encoding="utf-8")
    done = swarmsim_cli("run", path, "--out", tmp_path / "out", "--no-plot", code=WITHOUT_SWEEPS)
    assert done.returncode == 0, done.stderr
    for command in ("--help", "schema", "scenarios"):
        done = swarmsim_cli(command, code=WITHOUT_SWEEPS)
        assert done.returncode == 0, (command, done.stderr)
    done = swarmsim_cli("schema", "--sweep", code=WITHOUT_SWEEPS)
    assert done.returncode == 0, done.stderr


def test_sweep_without_the_extra_says_what_to_install(tmp_path):
    sweep = tmp_path / "s.yaml"
    sweep.write_text("name: s\nscenario: baseline.yaml\n", encoding="utf-8")
    done = swarmsim_cli("sweep", sweep, code=WITHOUT_SWEEPS)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "swarmsim: error: swarmsim sweep needs the sweeps extra (dask, distributed, "
        f"dask_jobqueue, SALib not installed): pip install '{DISTRIBUTION}[sweeps]'"
    ]
    assert "Traceback" not in done.stderr


def test_importing_the_sweep_runner_without_the_extra_names_it():
    code = (
        "import sys\nsys.modules['distributed'] = None\n"
        "try:\n    import swarmsim.sweeps.runner\n"
        "except ImportError as exc:\n    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert done.stdout.startswith("MissingExtraError swarmsim.sweeps.runner needs the sweeps")
    assert f"pip install '{DISTRIBUTION}[sweeps]'" in done.stdout


def test_require_extra_names_the_missing_modules():
    require_extra("x", "sweeps", "json")  # present: nothing happens
    with pytest.raises(MissingExtraError) as caught:
        require_extra("Sobol indices", "sweeps", "json", "no_such_module_swarmsim")
    assert isinstance(caught.value, ImportError)
    assert str(caught.value) == (
        "Sobol indices needs the sweeps extra (no_such_module_swarmsim not installed): "
        f"pip install '{DISTRIBUTION}[sweeps]'"
    )


# ------------------------------------------------------------------ first-run compile
def test_a_cold_cache_is_seen_without_compiling(tmp_path):
    code = (
        "import swarmsim.model\nfrom swarmsim.phases.warmup import cache_is_cold\n"
        "print(cache_is_cold())\n"
    )
    run = [sys.executable, "-c", code]
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120, check=False)
    expected = "False" if _jit_disabled() else "True"  # without the JIT nothing compiles
    assert done.stdout.strip() == expected, done.stderr
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.nbi"))


def _jit_disabled() -> bool:
    import numba

    return bool(numba.config.DISABLE_JIT)


def test_a_warm_cache_is_warm():
    warmup.warm_up()
    assert warmup.cache_is_cold() is False


def test_the_notice_prints_once_when_the_block_takes_long(capsys, monkeypatch):
    import time

    monkeypatch.setattr(warmup, "cache_is_cold", lambda: False)
    with warmup.compile_notice(after=0.05):
        time.sleep(0.3)
    with warmup.compile_notice(after=5):
        pass
    assert capsys.readouterr().err == warmup.NOTICE + "\n"
    monkeypatch.setattr(warmup, "cache_is_cold", lambda: True)
    with warmup.compile_notice(after=0.01):
        time.sleep(0.1)
    assert capsys.readouterr().err == warmup.NOTICE + "\n"


def test_warmup_command_reports_ready():
    done = swarmsim_cli("warmup")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kernels ready (")


# ------------------------------------------------------------------ a real wheel
@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repository(tmp_path):
    """Build the wheel, install it (no dependencies: this interpreter has them) into a
    folder of its own and run it from a folder outside the checkout."""
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "-w", str(wheels)],
                           capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    if built.returncode != 0 and "No matching distribution found for setuptools" in built.stderr:
        pytest.skip("no package index for the isolated build (setuptools)")
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("swarmsim_consumers-*.whl")
    assert wheel.name.startswith(f"swarmsim_consumers-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "swarmsim/py.typed" in names
    assert "swarmsim/_scenarios/baseline.yaml" in names
    assert "swarmsim/_scenarios/validation/watts_cascade.yaml" in names
    installed = subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env = {"PYTHONPATH": str(site), "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    code = "import swarmsim, sys; print(swarmsim.__file__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=work,
                          env={**os.environ, **env}, timeout=120, check=False)  # fmt: skip
    assert done.stdout.strip().startswith(str(site)), done.stdout + done.stderr
    done = swarmsim_cli("scenarios", cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    assert str(site / "swarmsim" / "_scenarios") in done.stdout
    done = swarmsim_cli("run", "baseline", "--out", "x", "--steps", "2", "--set", "graph.n=300",
                        "--set", "backend=numpy", "--no-plot", cwd=work, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = swarmsim_cli("check-model", "--quick", "--only", "threshold_exact", "--out", "v",
                        cwd=work, env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all checks passed" in done.stdout
    if not _jit_disabled():  # a fresh cache: the first compile says so
        assert warmup.NOTICE in done.stderr
