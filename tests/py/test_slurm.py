# ctest-labels: py;slurm
"""The job scripts on a real SLURM (tests/py/slurm_cluster.py: munged, slurmctld and two
slurmd "nodes" on this machine, in a temporary directory, stopped by pid at the end).

1. A pipeline compiled with `--job slurm --nodes 1 --ntasks-per-node RANKS --cpus-per-task C`;
   its .sbatch, submitted with `sbatch --wait`, COMPLETES (jobcomp/filetxt) and writes the
   same .npy bit for bit, and prints the same line, as the program run directly.
2. The MPI launch path of a 2-node script (`--nodes 2 --ntasks-per-node 1 --cpus-per-task 2`:
   srun --mpi=pmix --cpus-per-task): an mpicc-built hybrid MPI+OpenMP hello in place of the
   program sees 2 ranks, one per node, each with 2 OpenMP threads.
3. The pipeline built with `cdaskc --mpi` as that 2-node job: its outputs are the
   single-node program's bit for bit, and its line is printed once (by rank 0).
4. examples/ska_deconvolution_2nodes.lua (the SKA deconvolution, FFTs) as a job of 2 nodes
   x 2 ranks on 128 x 128 inputs: its two images are the single-node program's bit for bit.
RANKS is $CDASK_TEST_RANKS (default 1: a program built without --mpi is not an MPI program
and srun runs it once per task, each printing its line); the
CPUs per task are this machine's CPUs / RANKS (the two virtual nodes each have them all). If SLURM cannot start, the test fails with its logs."""

import os
import re
import resource
import shutil
import sys
import tempfile
import time

import numpy as np

from cdask_testlib import SRC, Results, cdaskc, run, write
from slurm_cluster import ClusterError, SlurmCluster, alive

PIPELINE = """local da = require("cdask.array")
local x = da.random.normal(0, 1, {600, 40}, {chunks = {100, 40}, seed = 11})
da.to_npy((x * x + 2):sum(1), "rowsums")
da.print(x:mean(), "mean")
"""

HYBRID = r"""#include <mpi.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank, size, threads = 0, total = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
#pragma omp parallel
#pragma omp atomic
  threads++;
  MPI_Allreduce(&threads, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  const char *node = getenv("SLURMD_NODENAME");
  printf("rank %d/%d node=%s threads=%d total_threads=%d\n", rank, size, node ? node : "?",
         threads, total);
  MPI_Finalize();
  return 0;
}
"""

# two virtual nodes on one host: Open MPI over TCP on loopback (the reference's recipe)
MPI_ENV = {"OMPI_MCA_btl": "self,tcp", "OMPI_MCA_btl_tcp_if_include": "lo",
           "OMPI_MCA_oob_tcp_if_include": "lo"}


def crashed_in_mpi_init(d, program):
    """Every core file in d is of a rank that crashed inside Open MPI's MPI_Init (gdb's
    backtrace holds ompi_mpi_init), and there is one: a fault of the MPI library's start,
    before the program's first line (cdrt_main calls MPI_Init_thread first). Open MPI 4.1.4
    (Debian 12), two virtual nodes on one loopback address and TCP only: about 1 job in 30
    of 4 ranks (2 per node) dies so, a PML match fragment arriving while a rank still waits
    in the modex fence, before its PML registered a handler (the btl's callback for tag 65
    is NULL). The cores are removed."""
    cores = [os.path.join(d, f) for f in os.listdir(d) if re.fullmatch(r"core(\.\d+)?", f)]
    if not cores or not shutil.which("gdb"):
        return False
    ok = True
    for core in cores:
        p = run(["gdb", "-batch", "-ex", "bt", program, core], timeout=120)
        ok &= "ompi_mpi_init" in p.stdout
        os.remove(core)
    return ok


def submit(r, c, d, script, label, extra_env=None, program=None):
    """sbatch --wait; the job's id and its output file's text, or None. A job of an MPI
    program (program: its path) whose ranks crashed inside MPI_Init is submitted once more
    (crashed_in_mpi_init), and says so."""
    p = c.run(["sbatch", "--wait", script], cwd=d, timeout=120, extra_env=extra_env)
    m = re.search(r"Submitted batch job (\d+)", p.stdout)
    if (program and m and p.returncode != 0 and crashed_in_mpi_init(d, program)):
        print("note: %s: job %s: a rank crashed inside Open MPI's MPI_Init (its core's "
              "backtrace); submitted again" % (label, m.group(1)))
        p = c.run(["sbatch", "--wait", script], cwd=d, timeout=120, extra_env=extra_env)
        m = re.search(r"Submitted batch job (\d+)", p.stdout)
    ok, why = bool(m) and p.returncode == 0, ""
    if not ok:  # the job's own output (its ranks' stderr) says why
        outs = [f for f in os.listdir(d) if m and f.endswith("-%s.out" % m.group(1))]
        job_out = "".join("--- %s\n%s" % (f, open(os.path.join(d, f), errors="replace")
                                           .read()[-4000:]) for f in outs)
        why = "rc=%s %s %s\n%s\n%s" % (p.returncode, p.stdout, p.stderr, job_out, c.log_tails())
    if not r.check(ok, label + ": sbatch --wait succeeds", why):
        return None, None
    job = m.group(1)
    state = None
    for _ in range(50):  # jobcomp's line follows the job's end closely
        state = c.job_state(job)
        if state:
            break
        time.sleep(0.1)
    r.check(state == "COMPLETED", label + ": job %s COMPLETED" % job, "state %s" % state)
    outs = [f for f in os.listdir(d) if f.endswith("-%s.out" % job)]
    text = open(os.path.join(d, outs[0])).read() if len(outs) == 1 else None
    r.check(text is not None, label + ": the job's output file", str(os.listdir(d)))
    return job, text


def pipeline_job(r, c, d, ranks):
    write(os.path.join(d, "prog.lua"), PIPELINE)
    # a node has this machine's CPUs: ranks x threads must fit (else the job pends forever)
    cpus = max(1, (os.cpu_count() or 1) // ranks)
    p = cdaskc(["prog.lua", "-o", "prog", "--job", "slurm", "--nodes", "1", "--ntasks-per-node",
                str(ranks), "--cpus-per-task", str(cpus), "--time", "00:05:00", "--mem", "500M"],
               cwd=d)
    if not r.check(p.returncode == 0, "compiles with --job slurm", p.stderr):
        return
    direct = os.path.join(d, "direct")
    os.mkdir(direct)
    p = run([os.path.join(d, "prog"), "--threads", "2"], cwd=direct)
    if not r.check(p.returncode == 0, "the program runs directly", p.stderr):
        return
    want = np.load(os.path.join(direct, "rowsums.npy"))
    job, out = submit(r, c, d, "prog.sbatch", "pipeline job (%d rank(s))" % ranks)
    if job is None:
        return
    path = os.path.join(d, "rowsums.npy")
    got = np.load(path) if os.path.exists(path) else None
    r.check(got is not None and got.dtype == want.dtype and got.shape == want.shape and
            got.tobytes() == want.tobytes(), "the job's rowsums.npy is the direct run's, bit for bit")
    r.check(out is not None and out.count(p.stdout) == ranks and
            out.replace(p.stdout, "") == "", "the job printed the direct run's line per task",
            "%r vs %r" % (out, p.stdout))


def hybrid_job(r, c, d):
    write(os.path.join(d, "prog.lua"), PIPELINE)
    # the 2-node script for a program named hybrid: its C only, the hello takes its place
    p = cdaskc(["prog.lua", "--emit-c", "hybrid.c", "--job", "slurm", "--nodes", "2",
                "--ntasks-per-node", "1", "--cpus-per-task", "2", "--time", "00:05:00"], cwd=d)
    if not r.check(p.returncode == 0, "the 2-node script", p.stderr):
        return
    write(os.path.join(d, "hello.c"), HYBRID)
    p = run(["mpicc", "-fopenmp", "-o", "hybrid", "hello.c"], cwd=d)
    if not r.check(p.returncode == 0, "mpicc builds the hybrid hello", p.stderr):
        return
    job, out = submit(r, c, d, "hybrid.sbatch", "2-node MPI job", MPI_ENV,
                      os.path.join(d, "hybrid"))
    if out is None:
        return
    lines = sorted(l for l in out.splitlines() if l.startswith("rank "))
    r.check(lines == ["rank 0/2 node=node1 threads=2 total_threads=4",
                      "rank 1/2 node=node2 threads=2 total_threads=4"],
            "2 ranks, one per node, 2 OpenMP threads each, MPI_Allreduce across them", out)


def mpi_job(r, c, d):
    """The pipeline built with --mpi as a 2-node job (one rank per node, 2 threads each): the
    job's outputs are the single-node program's bit for bit, and it prints its line once."""
    write(os.path.join(d, "prog.lua"), PIPELINE)
    p = cdaskc(["prog.lua", "-o", "single"], cwd=d)
    if not r.check(p.returncode == 0, "the single-node build", p.stderr):
        return
    direct = os.path.join(d, "direct")
    os.mkdir(direct)
    q = run([os.path.join(d, "single"), "--threads", "2"], cwd=direct)
    if not r.check(q.returncode == 0, "the single-node program runs", q.stderr):
        return
    p = cdaskc(["prog.lua", "-o", "prog", "--mpi", "--job", "slurm", "--nodes", "2",
                "--ntasks-per-node", "1", "--cpus-per-task", "2", "--time", "00:05:00"], cwd=d)
    if not r.check(p.returncode == 0, "compiles with --mpi --job slurm (2 nodes)", p.stderr):
        return
    job, out = submit(r, c, d, "prog.sbatch", "2-node --mpi pipeline job", MPI_ENV,
                      os.path.join(d, "prog"))
    if job is None:
        return
    want = np.load(os.path.join(direct, "rowsums.npy"))
    path = os.path.join(d, "rowsums.npy")
    got = np.load(path) if os.path.exists(path) else None
    r.check(got is not None and got.dtype == want.dtype and got.tobytes() == want.tobytes(),
            "2 ranks on 2 nodes: rowsums.npy is the single-node program's, bit for bit")
    r.check(out == q.stdout, "2 ranks on 2 nodes: the line printed once",
            "%r vs %r" % (out, q.stdout))


def ska_job(r, c, d):
    """examples/ska_deconvolution_2nodes.lua as its header says, at this machine's size:
    2 nodes x 2 ranks (1 CPU each, a virtual node has this machine's CPUs), inputs of
    128 x 128: its wiener.npy and wiener_hunt.npy are the single-node program's bit for
    bit, and the job printed nothing."""
    for f in ("ska_deconvolution.lua", "ska_deconvolution_2nodes.lua"):
        shutil.copy(os.path.join(SRC, "examples", f), d)
    p = run(["/usr/bin/python3", os.path.join(SRC, "examples", "make_ska_inputs.py"), "--size",
             "128", "--sources", "5", "--out", d])
    if not r.check(p.returncode == 0, "SKA: the inputs", p.stderr):
        return
    p = cdaskc(["ska_deconvolution_2nodes.lua", "-o", "single"], cwd=d)
    if not r.check(p.returncode == 0, "SKA: the single-node build", p.stderr):
        return
    direct = os.path.join(d, "direct")
    os.mkdir(direct)
    q = run([os.path.join(d, "single"), "--threads", "2", "--out", direct], cwd=d)
    if not r.check(q.returncode == 0, "SKA: the single-node program runs", q.stderr):
        return
    p = cdaskc(["ska_deconvolution_2nodes.lua", "-o", "ska", "--mpi", "--job", "slurm", "--nodes",
                "2", "--ntasks-per-node", "2", "--cpus-per-task", "1", "--mem", "500M", "--time",
                "00:05:00"], cwd=d)
    if not r.check(p.returncode == 0, "SKA: compiles with --mpi --job slurm (2 nodes x 2 ranks)",
                   p.stderr):
        return
    job, out = submit(r, c, d, "ska.sbatch", "SKA 2-node job", MPI_ENV, os.path.join(d, "ska"))
    if job is None:
        return
    for name in ("wiener.npy", "wiener_hunt.npy"):
        path = os.path.join(d, name)
        got = open(path, "rb").read() if os.path.exists(path) else None
        r.check(got == open(os.path.join(direct, name), "rb").read(),
                "SKA, 4 ranks on 2 nodes: %s is the single-node program's, bit for bit" % name)
    r.check(out == "", "SKA: the job printed nothing", repr(out))
    with open(c.jobcomp) as f:  # jobcomp/filetxt: one line of KEY=VALUE fields per job
        lines = [l for l in f if l.startswith("JobId=%s " % job)]
    fields = dict(w.split("=", 1) for w in lines[0].split() if "=" in w) if lines else {}
    r.check(fields.get("NodeList") == "node[1-2]" and fields.get("NodeCnt") == "2",
            "SKA: the job ran on both nodes", str(fields))


def every_option(r, c, d):
    """sbatch --test-only (slurmctld parses the directives, runs nothing) accepts a script
    with every SLURM option."""
    write(os.path.join(d, "prog.lua"), PIPELINE)
    p = cdaskc(["prog.lua", "--emit-c", "prog.c", "--job", "slurm", "--nodes", "2",
                "--ntasks-per-node", "1", "--cpus-per-task", "2", "--time", "01:00:00", "--mem",
                "500M", "--account", "acct", "--partition", "debug", "--job-name", "every_one",
                "--mail-user", "me@example.org", "--mail-type", "BEGIN,END", "--job-extra",
                "--exclusive", "--job-build", "--module", "gcc"], cwd=d)
    if not r.check(p.returncode == 0, "a script with every option", p.stderr):
        return
    p = c.run(["sbatch", "--test-only", "prog.sbatch"], cwd=d, timeout=60)
    r.check(p.returncode == 0 and re.search(r"Job \d+ to start at", p.stderr),
            "sbatch --test-only accepts every directive", "rc=%s %s %s" % (p.returncode, p.stdout, p.stderr))


def main():
    r = Results()
    ranks = int(os.environ.get("CDASK_TEST_RANKS", "1"))
    for tool in ("mpicc", "sbatch"):
        if not r.check(shutil.which(tool) is not None, tool + " is installed (scripts/install-deps.sh)"):
            return r.finish()
    d = tempfile.mkdtemp(prefix="cdask_slurm_test_")
    # a rank's core file, so that a crash inside MPI_Init can be told from one of cdask's
    # (submit); sbatch passes its limits on to the job (PropagateResourceLimits)
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
    try:
        with SlurmCluster() as c:
            pids = dict(c.pids)
            r.check(sorted(pids) == ["munged", "slurmctld", "slurmd-node1", "slurmd-node2"],
                    "munged, slurmctld and two slurmd started", str(pids))
            os.mkdir(os.path.join(d, "pipeline"))
            pipeline_job(r, c, os.path.join(d, "pipeline"), ranks)
            os.mkdir(os.path.join(d, "hybrid"))
            hybrid_job(r, c, os.path.join(d, "hybrid"))
            os.mkdir(os.path.join(d, "mpi"))
            mpi_job(r, c, os.path.join(d, "mpi"))
            os.mkdir(os.path.join(d, "ska"))
            ska_job(r, c, os.path.join(d, "ska"))
            os.mkdir(os.path.join(d, "every"))
            every_option(r, c, os.path.join(d, "every"))
        r.check(not any(alive(p) for p in pids.values()),
                "every daemon stopped", str(pids))
    except ClusterError as e:
        r.check(False, "the SLURM cluster", str(e))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
