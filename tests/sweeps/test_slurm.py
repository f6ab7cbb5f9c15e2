"""A sweep through dask-jobqueue's SLURMCluster on the real one-node SLURM cluster.

`sh scripts/services/slurm.sh start` (called by scripts/run-tests.sh) installs and starts
munged, slurmctld and slurmd; without them these tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from sweepfiles import write_sweep

from swarmsim.cli import main

pytestmark = pytest.mark.slurm

SLURM_DIR = Path(os.environ.get("SWARMSIM_SLURM_DIR", "/tmp/swarmsim-slurm"))
CONF = SLURM_DIR / "etc" / "slurm.conf"


def service_status() -> str:
    status = SLURM_DIR / "status"
    return status.read_text().strip() if status.is_file() else "never started"


@pytest.fixture
def slurm(monkeypatch) -> Path:
    """SLURM_CONF of the running one-node cluster, or skip with the reason."""
    hint = f"(scripts/services/slurm.sh: {service_status()})"
    if shutil.which("sinfo") is None or shutil.which("sbatch") is None:
        pytest.skip(f"SLURM is not installed: no sinfo/sbatch {hint}")
    if not CONF.is_file():
        pytest.skip(f"no one-node SLURM cluster at {CONF} {hint}")
    env = {**os.environ, "SLURM_CONF": str(CONF)}
    try:
        probe = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True,
                               env=env, timeout=30, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.skip(f"sinfo did not answer within 30 s {hint}")
    state = probe.stdout.strip() or probe.stderr.strip()
    if probe.returncode != 0 or not state.startswith(("idle", "mixed", "allocated")):
        pytest.skip(f"the SLURM cluster is not up (sinfo: {state!r}) {hint}")
    monkeypatch.setenv("SLURM_CONF", str(CONF))
    return CONF


@pytest.mark.timeout(600)
def test_a_sweep_runs_on_slurm_workers_started_by_sbatch(slurm, tmp_path, capsys):
    cluster = {"kind": "slurm", "memory": "1GiB", "walltime": "00:10:00", "maximum_jobs": 2}
    path = write_sweep(
        tmp_path,
        parameters={"consumers.information_parity": {"levels": [0.3, 0.7]}},
        replicates=2,
        cluster=cluster,
    )
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--out", str(out), "--cluster", "slurm", "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "tiny_grid: 4 runs: 0 already done, 4 run now, 0 failed" in captured.out
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4
    assert runs["run_id"].is_unique
    logs = sorted((out / "logs").glob("dask-worker-*.err"))
    assert logs, "no SLURM job logs: the workers did not run as SLURM jobs"
    job_ids = {p.stem.removeprefix("dask-worker-") for p in logs}
    assert all(j.isdigit() for j in job_ids)
    assert any("Registered to" in p.read_text() for p in logs)
    assert any("tls://" in p.read_text() for p in logs)  # TLS by default
    executions = pd.read_parquet(out / "executions.parquet")
    assert set(executions["host"]) == {socket.gethostname()}
    assert os.getpid() not in set(executions["pid"])


@pytest.mark.timeout(120)
def test_a_job_slurm_would_refuse_stops_the_sweep_in_one_line(slurm, tmp_path, capsys):
    cluster = {"kind": "slurm", "queue": "no-such-partition", "maximum_jobs": 1}
    path = write_sweep(tmp_path, parameters={"consumers.information_parity": {"levels": [0.3]}},
                       cluster=cluster)  # fmt: skip
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--out", str(out), "--cluster", "slurm"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "the worker job would be refused" in err
    assert not out.exists()  # no manifest, no logs: nothing started
