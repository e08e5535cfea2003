"""The workflow on a real single-node SLURM cluster through profiles/slurm.

A module fixture starts munged, slurmctld and slurmd on localhost (Debian's slurm-wlm and munge,
which .ci/run installs; the test skips where they are absent or we are not root), runs a small
target of config/test.yaml through `--profile profiles/slurm`, checks that every job went through
sbatch and that its Parquet tables are byte-identical to a local run, and stops the daemons by PID.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from helpers import TEST_CONFIG, copy_workflow, run_snakemake

pytestmark = [pytest.mark.workflow, pytest.mark.slurm, pytest.mark.slow]
TARGETS = ("results/chi2/universal_vector/solar/darwin.parquet", "results/chi2/universal_scalar/solar/darwin.parquet")

SLURM_CONF = """\
ClusterName=local
SlurmctldHost={node}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=600
StateSaveLocation={scratch}/state
SlurmdSpoolDir={scratch}/spool
SlurmctldPidFile={scratch}/slurmctld.pid
SlurmdPidFile={scratch}/slurmd.pid
SlurmctldLogFile={scratch}/slurmctld.log
SlurmdLogFile={scratch}/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


def _node_resources():
    line = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=True).stdout
    fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
    return int(fields["CPUs"]), int(int(fields["RealMemory"]) * 0.8)


def _munge_works():
    encoded = subprocess.run(["munge", "-n"], capture_output=True)
    return (
        encoded.returncode == 0
        and subprocess.run(["unmunge"], input=encoded.stdout, capture_output=True).returncode == 0
    )


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    """Environment for SLURM clients of a running single-node cluster; stops it afterwards."""
    if not all(shutil.which(p) for p in ("slurmctld", "slurmd", "sbatch", "munged")):
        pytest.skip("SLURM not installed (.ci/run installs Debian's slurm-wlm and munge)")
    if os.geteuid() != 0:
        pytest.skip("starting the SLURM daemons needs root")
    scratch = tmp_path_factory.mktemp("slurm")
    for sub in ("state", "spool"):
        (scratch / sub).mkdir()
    cpus, memory = _node_resources()
    # job steps (srun inside the batch job) read the default location, so the config goes there;
    # a configuration already on the machine is put back afterwards
    conf = Path("/etc/slurm/slurm.conf")
    previous = conf.read_bytes() if conf.exists() else None
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(
        SLURM_CONF.format(node=socket.gethostname().split(".")[0], scratch=scratch, cpus=cpus, memory=memory)
    )
    env = dict(os.environ)
    started_munge = False
    if not _munge_works():
        if not os.path.exists("/etc/munge/munge.key"):
            subprocess.run(["mungekey", "--create"], check=True)
        subprocess.run(["install", "-d", "-o", "munge", "-g", "munge", "/run/munge"], check=True)
        subprocess.run(["runuser", "-u", "munge", "--", "/usr/sbin/munged"], check=True)
        started_munge = True
    subprocess.run(["/usr/sbin/slurmctld", "-f", str(conf)], env=env, check=True)
    subprocess.run(["/usr/sbin/slurmd", "-f", str(conf)], env=env, check=True)
    try:
        deadline = time.time() + 60
        while (
            subprocess.run(["sinfo", "-h", "-o", "%T"], env=env, capture_output=True, text=True).stdout.strip()
            != "idle"
        ):
            assert time.time() < deadline, (scratch / "slurmctld.log").read_text()[-2000:]
            time.sleep(0.5)
        yield env, scratch
    finally:
        for pid_file in (
            scratch / "slurmd.pid",
            scratch / "slurmctld.pid",
            "/run/munge/munged.pid" if started_munge else None,
        ):
            if pid_file and os.path.exists(pid_file):
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(Path(pid_file).read_text().strip()), 15)
        if previous is None:
            conf.unlink()
        else:
            conf.write_bytes(previous)


def test_profile_runs_every_job_through_sbatch_with_identical_tables(slurm, tmp_path):
    env, scratch = slurm
    local = copy_workflow(tmp_path / "local")
    assert run_snakemake(local, *TARGETS, "--cores", "2", *TEST_CONFIG).returncode == 0
    cluster = copy_workflow(tmp_path / "cluster")
    started = time.time()
    result = subprocess.run(
        [
            os.sys.executable,
            "-m",
            "snakemake",
            *TARGETS,
            "--profile",
            "profiles/slurm",
            *TEST_CONFIG,
            # poll a local test cluster faster than the profile polls a shared one
            "--slurm-init-seconds-before-status-checks",
            "2",
            "--seconds-between-status-checks",
            "2",
        ],
        cwd=cluster,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    print(f"SLURM run: {time.time() - started:.1f} s")
    jobs = int(log.split("Job stats:")[1].split("total")[1].split()[0])
    submitted = log.count("has been submitted with SLURM jobid")
    assert submitted == jobs > 0
    controller = (scratch / "slurmctld.log").read_text()
    assert controller.count("_slurm_rpc_submit_batch_job") >= submitted
    tables = sorted(p.relative_to(local) for p in (local / "results").rglob("*.parquet"))
    assert tables == sorted(p.relative_to(cluster) for p in (cluster / "results").rglob("*.parquet"))
    for table in tables:
        assert (local / table).read_bytes() == (cluster / table).read_bytes(), table


TOYS_OVERLAY = """\
toys:
  block: 1000
  expected: {{toys_per_chunk: 1000}}
  coverage:
    points: [{{name: resnova1_scalar, analysis: sn_cc/resnova1, model: universal_scalar, m_MeV: 10.0}}]
    g_over_bound: [1.0]
    toys_per_chunk: {per_chunk}
    chunks: {chunks}
    data: {{points: []}}  # the data analysis's toys are not what this test splits
"""


def test_toys_split_over_ten_slurm_jobs_merge_to_the_table_of_one_local_job(slurm, tmp_path):
    # 1e4 toys under one hypothesis (RES-NOVA-1, scalar, 10 MeV, g at the Asimov bound): ten SLURM jobs of 1000
    # toys against one local job of 10000, the same seeded blocks; the merged table must be identical
    env, scratch = slurm
    local = copy_workflow(tmp_path / "local")
    (local / "config/toys.yaml").write_text(TOYS_OVERLAY.format(per_chunk=10000, chunks=1))
    target = "results/tables/coverage.csv"
    started = time.time()
    result = run_snakemake(local, target, "--cores", "1", *TEST_CONFIG, "config/toys.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    local_seconds = time.time() - started
    cluster = copy_workflow(tmp_path / "cluster")
    (cluster / "config/toys.yaml").write_text(TOYS_OVERLAY.format(per_chunk=1000, chunks=10))
    started = time.time()
    result = subprocess.run(
        [
            os.sys.executable,
            "-m",
            "snakemake",
            target,
            "--profile",
            "profiles/slurm",
            *TEST_CONFIG,
            "config/toys.yaml",
            "--slurm-init-seconds-before-status-checks",
            "2",
            "--seconds-between-status-checks",
            "2",
        ],
        cwd=cluster,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    print(f"1e4 toys: one local job (with its inputs) {local_seconds:.1f} s; SLURM {time.time() - started:.1f} s")
    toy_jobs = log.split("Job stats:")[1].split("coverage_toys")[1].split()[0]
    assert int(toy_jobs) == 10
    assert log.count("has been submitted with SLURM jobid") >= 11  # the ten chunks and the merge, at least
    assert (local / target).read_bytes() == (cluster / target).read_bytes()
    rows = (cluster / target).read_text().splitlines()
    assert len(rows) == 2 and ",10000," in rows[1]
