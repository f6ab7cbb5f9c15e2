"""Tests for validation/runner.py: the check-model command and its outputs."""

from __future__ import annotations

import json

import pytest

from swarmsim.cli import main
from swarmsim.validation import logit, runner
from swarmsim.validation.common import CheckResult, Metric


def test_every_check_module_is_registered_under_its_name(root):
    for name in runner.CHECKS:
        module = runner.check_module(name)
        assert name == module.NAME
        assert set(module.DESIGNS) == {"quick", "full"}
        assert (root / "scenarios/validation" / module.SCENARIO).is_file()


def test_check_model_quick_writes_figures_and_summary(tmp_path, capsys):
    out = tmp_path / "figures"
    code = main(["check-model", "--quick", "--only", "threshold_exact", "--only",
                 "logit_market", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "all checks passed" in printed
    assert "FAIL" not in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "logit_market.png", "summary.json", "threshold_exact.png",
    ]  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    assert [c["name"] for c in summary["checks"]] == ["threshold_exact", "logit_market"]
    assert all(c["passed"] and c["design"] == "quick" for c in summary["checks"])
    assert (out / "logit_market.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quick_without_out_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check-model", "--quick", "--only", "logit_market"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert "logit_market" in capsys.readouterr().out


def test_a_failing_check_exits_1_and_says_which(monkeypatch, capsys):
    def failing(design, *, seed, folder):
        metric = Metric("made-up share", 0.5, 0.4, "|Δ| <= 0.01", False)
        return CheckResult(logit.NAME, logit.TITLE, [metric], {})

    monkeypatch.setattr(logit, "run", failing)
    assert main(["check-model", "--quick", "--only", "logit_market"]) == 1
    printed = capsys.readouterr().out
    assert "FAIL" in printed
    assert "FAILED: logit_market" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "nonsense"], "nonsense"),
        (["--scenarios", "/does/not/exist"], "does not exist"),
        (["--seed", "-1"], "-1"),
    ],
)
def test_bad_options_exit_2_with_one_line(args, message, capsys):
    assert main(["check-model", "--quick", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


def test_an_unwritable_out_folder_fails_before_the_checks_run(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["check-model", "--quick", "--only", "logit_market", "--out", str(blocker / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "cannot create the output folder" in err
    assert "running" not in err
