"""Tests for docs.py: parameter tables generated from the schema, embedded in docs/model.md."""

from __future__ import annotations

import pytest

from swarmsim import docs
from swarmsim.cli import main
from swarmsim.errors import SwarmsimError
from swarmsim.scenario import FirmSpec, Scenario, WordOfMouthSpec


def embedded(text: str) -> str:
    start = text.index(docs.BEGIN) + len(docs.BEGIN)
    return text[start : text.index(docs.END)].strip()


def test_model_md_tables_match_the_schema(root):
    text = (root / "docs/model.md").read_text(encoding="utf-8")
    assert embedded(text) == docs.parameter_tables().strip(), (
        "docs/model.md is out of date: run `swarmsim params --update docs/model.md`"
    )


def test_every_field_has_a_row_with_its_default():
    tables = docs.parameter_tables()
    for name in WordOfMouthSpec.model_fields:
        assert f"| `word_of_mouth.{name}` |" in tables
    for name in FirmSpec.model_fields:
        assert f"| `firms[i].{name}" in tables  # a nested section: firms[i].name.field
    for name in Scenario.model_fields:
        assert f"`{name}`" in tables, name
    assert "| `word_of_mouth.p_talk` | probability a speaker messages a neighbour, per edge " \
        "and step | number in [0, 1] | 0.1 |" in tables  # fmt: skip
    assert "| `firms[i].name` | unique firm name | text | required |" in tables


def test_nested_defaults_come_from_the_parent_section():
    tables = docs.parameter_tables()
    assert "| `consumers.alphas.by` | random \\| degree | random \\| degree | degree |" in tables
    assert "| `consumers.mavens.by` | random \\| degree | random \\| degree | random |" in tables
    assert "{kind: beta, mean: 0.25, concentration: 8}" in tables


def test_update_file_replaces_only_the_marked_block(tmp_path):
    path = tmp_path / "model.md"
    path.write_text(f"# Title\n\n{docs.BEGIN}\nold\n{docs.END}\n\ntail\n", encoding="utf-8")
    assert docs.update_file(path) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n")
    assert text.endswith(f"{docs.END}\n\ntail\n")
    assert embedded(text) == docs.parameter_tables().strip()
    assert docs.update_file(path) is False


def test_update_file_without_markers_is_an_error(tmp_path):
    path = tmp_path / "model.md"
    path.write_text("no markers here\n", encoding="utf-8")
    with pytest.raises(SwarmsimError, match="marker lines"):
        docs.update_file(path)


def test_params_command_prints_and_updates(tmp_path, capsys):
    assert main(["params"]) == 0
    assert "### `word_of_mouth`" in capsys.readouterr().out
    path = tmp_path / "model.md"
    path.write_text(f"{docs.BEGIN}\n{docs.END}\n", encoding="utf-8")
    assert main(["params", "--update", str(path)]) == 0
    assert "updated" in capsys.readouterr().out
    missing = tmp_path / "absent.md"
    assert main(["params", "--update", str(missing)]) == 2
    assert "cannot read" in capsys.readouterr().err
