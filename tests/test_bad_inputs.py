"""Every malformed input in tests/data/bad/ is refused in one line, with exit code 2.

``cases.yaml`` there lists each case: a scenario, sweep or graph file (or a good file
with bad command-line arguments), the command, and a fragment of the expected message.
Each runs through the CLI's entry point in this process: exit 2, exactly one line on
stderr naming the problem, no traceback, and nothing written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from swarmsim.cli import EXIT_BAD_INPUT, main

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def test_the_collection_is_large_and_every_file_is_used():
    assert len(CASES) >= 60
    used = {case["file"] for case in CASES}
    data = {p.name for p in BAD.glob("*.yaml")} - {"cases.yaml"}
    assert data <= used | {"good.yaml"}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_a_bad_input_is_one_line_exit_2_and_writes_nothing(case, tmp_path, capsys):
    folder = tmp_path / "inputs"
    shutil.copytree(BAD, folder)
    out = tmp_path / "out"
    command = [case["command"], str(folder / case["file"])]
    if case["command"] in ("run", "sweep"):
        command += ["--out", str(out)]
    code = main([*command, *case["args"]])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert case["expect"] in lines[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs"]
    assert "hunter2" not in err  # a graph file's text is never shown
