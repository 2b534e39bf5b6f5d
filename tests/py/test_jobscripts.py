"""cdaskc --job slurm|pbs and the program's --job-script (runtime/jobscript.c, templates/job.*):
the directives are exactly SLURM's and PBS Pro's documented syntax (sbatch(1); PBS Pro's
qsub: -l select=N:ncpus=..:mpiprocs=..:ompthreads=.., -l walltime=HH:MM:SS, -N, -j oe,
-P, -A, -M, -m), every option's bad value is a usage error naming it with nothing written,
cdaskc's file is the program's --job-script output byte for byte, and the PBS script run
by bash in a PBS-like environment (PBS_O_WORKDIR, PBS_NODEFILE, PBS_JOBID, Open MPI's
mpiexec) writes the same outputs as the program run directly, also when it builds the
program first (--job-build)."""

import os
import re
import shutil
import socket
import sys
import tempfile

import numpy as np

from cdask_testlib import SRC, Results, cdaskc, listing, run, write

PIPELINE = """local da = require("cdask.array")
local x = da.random.normal(0, 1, {600, 40}, {chunks = {100, 40}, seed = 7})
local y = (x * 3 + 1):sum(1)
da.to_npy(y, "rowsums")
da.print(x:mean(), "mean")
"""

FULL_SLURM = ["--job", "slurm", "--nodes", "2", "--ntasks-per-node", "2", "--cpus-per-task",
              "4", "--time", "01:20:00", "--mem", "8G", "--account", "proj-1", "--partition",
              "debug", "--job-name", "run_1", "--mail-user", "me@example.org", "--mail-type",
              "BEGIN,END", "--job-extra", "--exclusive", "--job-extra", "--constraint=haswell"]
WANT_SLURM = ["#SBATCH -J run_1", "#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=2",
              "#SBATCH --cpus-per-task=4", "#SBATCH --mem=8G", "#SBATCH -t 01:20:00",
              "#SBATCH -A proj-1", "#SBATCH -p debug", "#SBATCH --mail-user=me@example.org",
              "#SBATCH --mail-type=BEGIN,END", "#SBATCH --output=run_1-%j.out",
              "#SBATCH --exclusive", "#SBATCH --constraint=haswell"]
# seed 000's PBS lines (walltime, select with mem, -M, -m be, -N, -j oe, -P gpi) plus the
# MPI ranks and threads
SEED000_PBS = ["--job", "pbs", "--nodes", "1", "--ntasks-per-node", "1", "--cpus-per-task",
               "4", "--mem", "8gb", "--time", "00:20:00", "--mail-user",
               "fabioeid.morooka@l2s.centralesupelec.fr", "--mail-type", "be", "--job-name",
               "ask_seq", "--project", "gpi"]
WANT_PBS = ["#PBS -N ask_seq", "#PBS -P gpi",
            "#PBS -l select=1:ncpus=4:mpiprocs=1:ompthreads=4:mem=8gb",
            "#PBS -l walltime=00:20:00", "#PBS -M fabioeid.morooka@l2s.centralesupelec.fr",
            "#PBS -m be", "#PBS -j oe"]
FULL_PBS = ["--job", "pbs", "--nodes", "3", "--ntasks-per-node", "2", "--cpus-per-task", "8",
            "--mem", "100GB", "--time", "02:00:00", "--account", "P48500028", "--partition",
            "regular", "--job-extra", "-l place=scatter", "--job-build", "--module",
            "gcc/12.2", "--module", "openmpi"]
WANT_FULL_PBS = ["#PBS -N prog", "#PBS -q regular", "#PBS -A P48500028",
                 "#PBS -l select=3:ncpus=16:mpiprocs=2:ompthreads=8:mem=100gb",
                 "#PBS -l walltime=02:00:00", "#PBS -j oe", "#PBS -l place=scatter"]

# (options after --job slurm, the message after "cdaskc: ")
ERRORS = [
    (["--nodes", "0"], "--nodes needs a whole number from 1 to 100000, got '0'"),
    (["--ntasks-per-node", "x"], "--ntasks-per-node needs a whole number from 1 to 100000, got 'x'"),
    (["--cpus-per-task", "100001"], "--cpus-per-task needs a whole number from 1 to 100000, got '100001'"),
    (["--cpus-per-task", "-2"], "--cpus-per-task needs a whole number from 1 to 100000, got '-2'"),
    (["--time", "1:00"], "--time needs a walltime HH:MM:SS (e.g. 00:30:00), got '1:00'"),
    (["--time", "00:61:00"], "--time needs a walltime HH:MM:SS (e.g. 00:30:00), got '00:61:00'"),
    (["--time", "00:00:00"], "--time needs a walltime HH:MM:SS (e.g. 00:30:00), got '00:00:00'"),
    (["--mem", "8"], "--mem needs a size per node with a unit, K, M, G or T and an optional B "
     "(e.g. 8G, 32GB, 8000M), got '8'"),
    (["--mem", "8GiB"], "--mem needs a size per node with a unit, K, M, G or T and an optional B "
     "(e.g. 8G, 32GB, 8000M), got '8GiB'"),
    (["--mem", "0G"], "--mem needs a size per node with a unit, K, M, G or T and an optional B "
     "(e.g. 8G, 32GB, 8000M), got '0G'"),
    (["--account", "a b"], "--account: 'a b' must be 1 to 200 of the characters A-Z a-z 0-9 . _ "
     "+ - / @ % : , = (it goes into the job script)"),
    (["--partition", "p;rm"], "--partition: 'p;rm' must be 1 to 200 of the characters A-Z a-z "
     "0-9 . _ + - / @ % : , = (it goes into the job script)"),
    (["--job-name", "a/b"], "--job-name: 'a/b' must be 1 to 200 of the characters A-Z a-z 0-9 . "
     "_ + - (it goes into the job script)"),
    (["--job-name", "a\nb"], "--job-name: 'a\nb' must be 1 to 200 of the characters A-Z a-z 0-9 "
     ". _ + - (it goes into the job script)"),
    (["--mail-user", "$(id)"], "--mail-user: '$(id)' must be 1 to 200 of the characters A-Z a-z "
     "0-9 . _ + - / @ % : , = (it goes into the job script)"),
    (["--mail-type", "SOMETIMES"], "--mail-type for SLURM needs a comma-separated list of NONE, "
     "BEGIN, END, FAIL, REQUEUE, ALL, INVALID_DEPEND, STAGE_OUT, TIME_LIMIT, TIME_LIMIT_90, "
     "TIME_LIMIT_80, TIME_LIMIT_50, ARRAY_TASKS, got 'SOMETIMES'"),
    (["--job-extra", "--comment=`reboot`"], "--job-extra: '--comment=`reboot`' must be 1 to 200 "
     "of the characters A-Z a-z 0-9 . _ + - / @ % : , = and blanks (it goes into the job script)"),
    (["--module", "gcc; rm"], "--module: 'gcc; rm' must be 1 to 200 of the characters A-Z a-z "
     "0-9 . _ + - / @ % : , = (it goes into the job script)"),
    (["--project", "gpi"], "--project is PBS's -P: SLURM has no project, use --account"),
    (["--nodes"], "--nodes needs a value"),
]
# (whole options, message): the scheduler's name and PBS's own checks
OTHER_ERRORS = [
    (["--job", "lsf"], "--job needs slurm or pbs, got 'lsf'"),
    (["--job", "pbs", "--mail-type", "abc"], "--mail-type for PBS needs n, or some of a, b and "
     "e (e.g. be), got 'abc'"),
    (["--job", "pbs", "--mail-type", "bb"], "--mail-type for PBS needs n, or some of a, b and e "
     "(e.g. be), got 'bb'"),
    (["--nodes", "2"], "--nodes needs --job slurm|pbs"),
    (["--job-build"], "--job-build needs --job slurm|pbs"),
]


def directives(text, prefix):
    return [l for l in text.splitlines() if l.startswith(prefix)]


def read(path):
    with open(path) as f:
        return f.read()


def compile_job(r, d, opts, name="prog", label="", program=False):
    """Compiles prog.lua in d with opts (only into NAME.c unless program); returns the job
    script's text or None."""
    out = ["-o", name] if program else ["--emit-c", name + ".c"]
    p = cdaskc(["prog.lua"] + out + opts, cwd=d)
    if not r.check(p.returncode == 0, "compiles with " + label, p.stderr):
        return None
    kind = "sbatch" if "slurm" in opts else "pbs"
    path = os.path.join(d, name + "." + kind)
    if not r.check(os.path.isfile(path), label + ": writes %s.%s" % (name, kind)):
        return None
    return read(path)


def check_directives(r, d):
    text = compile_job(r, d, FULL_SLURM, label="every SLURM option")
    if text:
        r.check(directives(text, "#SBATCH") == WANT_SLURM, "SLURM directives, in order",
                "\n".join(directives(text, "#SBATCH")))
        lines = text.splitlines()
        r.check(lines[0] == "#!/usr/bin/env bash", "SLURM: bash shebang", lines[0])
        first_command = next(i for i, l in enumerate(lines) if l and not l.startswith("#"))
        r.check(all(not l.startswith("#SBATCH") for l in lines[first_command:]),
                "SLURM: every #SBATCH line before the first command (sbatch stops there)")
        r.check("export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK" in lines,
                "SLURM: threads from SLURM_CPUS_PER_TASK")
        r.check(lines[-1] == "srun --mpi=pmix --cpus-per-task=$SLURM_CPUS_PER_TASK ./prog",
                "SLURM: srun --mpi=pmix passes --cpus-per-task again", lines[-1])
        r.check("module" not in text and "build=" not in text, "SLURM: no build without --job-build")
    text = compile_job(r, d, ["--job", "slurm"], label="--job slurm alone")
    if text:
        r.check(directives(text, "#SBATCH") ==
                ["#SBATCH -J prog", "#SBATCH --nodes=1", "#SBATCH --ntasks-per-node=1",
                 "#SBATCH --cpus-per-task=1", "#SBATCH -t 00:30:00",
                 "#SBATCH --output=prog-%j.out"],
                "SLURM defaults: 1 node, 1 task, 1 CPU, 00:30:00, no -A/-p/--mem",
                "\n".join(directives(text, "#SBATCH")))
    text = compile_job(r, d, ["--job", "slurm", "--mem", "32GB"], label="--mem 32GB")
    if text:
        r.check("#SBATCH --mem=32G" in text.splitlines(), "--mem 32GB (Dask's syntax) is SLURM's 32G")
    text = compile_job(r, d, ["--job", "slurm", "--mem", "500mb"], label="--mem 500mb")
    if text:
        r.check("#SBATCH --mem=500M" in text.splitlines(), "--mem 500mb is SLURM's 500M")
    text = compile_job(r, d, SEED000_PBS, label="seed 000's PBS options")
    if text:
        r.check(directives(text, "#PBS") == WANT_PBS, "PBS directives of seed 000, in order",
                "\n".join(directives(text, "#PBS")))
        lines = text.splitlines()
        r.check('cd "$PBS_O_WORKDIR"' in lines, "PBS: cd $PBS_O_WORKDIR")
        r.check("export OMP_NUM_THREADS=4" in lines, "PBS: threads from ompthreads")
        r.check(lines[-1] == "mpiexec ${CDASK_MPIEXEC_FLAGS:-} -n 1 ./prog",
                "PBS: mpiexec -n NODES*TASKS", lines[-1])
    text = compile_job(r, d, FULL_PBS, label="every PBS option")
    if text:
        r.check(directives(text, "#PBS") == WANT_FULL_PBS, "PBS queue, account, select, extras",
                "\n".join(directives(text, "#PBS")))
        lines = text.splitlines()
        r.check(lines[-1] == "mpiexec ${CDASK_MPIEXEC_FLAGS:-} -n 6 ./prog", "PBS: 3 x 2 ranks",
                lines[-1])
        r.check("export OMP_NUM_THREADS=8" in lines, "PBS: 8 threads per rank")
        mods = [l for l in lines if l.startswith("module load")]
        r.check(mods == ["module load gcc/12.2", "module load openmpi"], "PBS: module lines, in order",
                str(mods))
        r.check(lines.index("module load openmpi") < lines.index('eval "$build -o prog"') <
                len(lines) - 1, "PBS: modules, then the build, then mpiexec")


def check_errors(r, d):
    before = listing(d)
    for opts, msg in ERRORS:
        p = cdaskc(["prog.lua", "-o", "bad", "--job", "slurm"] + opts, cwd=d)
        r.check(p.returncode == 2 and p.stderr == "cdaskc: " + msg + "\n",
                "cdaskc error: %s" % " ".join(opts).replace("\n", "\\n"),
                "rc=%s stderr=%r" % (p.returncode, p.stderr))
    for opts, msg in OTHER_ERRORS:
        p = cdaskc(["prog.lua", "-o", "bad"] + opts, cwd=d)
        r.check(p.returncode == 2 and p.stderr == "cdaskc: " + msg + "\n",
                "cdaskc error: %s" % " ".join(opts), "rc=%s stderr=%r" % (p.returncode, p.stderr))
    p = cdaskc(["prog.lua", "-o", "bad", "--job", "slurm", "--emit-c", "bad.cc"], cwd=d)
    r.check(p.returncode == 2 and "--job with --emit-c needs a C file name ending in .c" in p.stderr,
            "cdaskc error: --job with --emit-c bad.cc", p.stderr)
    p = cdaskc(["prog.lua", "-o", "bad prog", "--job", "slurm"], cwd=d)
    r.check(p.returncode == 2 and "the program's name 'bad prog' cannot go into a job script"
            in p.stderr, "cdaskc error: a program name with a blank", p.stderr)
    r.check(listing(d) == before, "the usage errors write nothing",
            str(set(listing(d)) ^ set(before)))
    # an error in the script: no job script either (the transaction of compiler/outputs.c)
    write(os.path.join(d, "broken.lua"), 'local da = require("cdask.array")\nda.ones(-1)\n')
    before = listing(d)
    p = cdaskc(["broken.lua", "-o", "broken", "--job", "pbs"], cwd=d)
    r.check(p.returncode == 1 and p.stderr.startswith("broken.lua:2:"),
            "a script error with --job: the error at its line", p.stderr)
    r.check(listing(d) == before, "the script error writes nothing",
            str(set(listing(d)) ^ set(before)))
    # a job script path that is not a regular file (a symlink to /dev/null): refused
    os.symlink("/dev/null", os.path.join(d, "dev.sbatch"))
    p = cdaskc(["prog.lua", "-o", "dev", "--job", "slurm"], cwd=d)
    r.check(p.returncode == 1 and "dev.sbatch: it is not a regular file" in p.stderr and
            not os.path.exists(os.path.join(d, "dev")) and
            os.path.islink(os.path.join(d, "dev.sbatch")),
            "a job script over a device is refused before any work", p.stderr)
    os.unlink(os.path.join(d, "dev.sbatch"))


def check_same_as_program(r, d):
    """cdaskc's file and the program's --job-script print the same bytes."""
    for label, opts in (("slurm", FULL_SLURM + ["--job-build", "--module", "gcc"]),
                        ("pbs", FULL_PBS), ("pbs seed 000", SEED000_PBS)):
        text = compile_job(r, d, opts, label=label, program=label == "slurm")
        if text is None:
            continue
        args = ["--job-script" if o == "--job" else o for o in opts]
        p = run(["./prog"] + args, cwd=d)
        r.check(p.returncode == 0 and p.stdout == text,
                "%s: the program's --job-script prints cdaskc's file" % label,
                "rc=%s %s" % (p.returncode, p.stderr))
    # the same checks in the program, same messages (exit code 2, "./prog: error: ...")
    for opts, msg in ERRORS[:3] + ERRORS[-2:]:
        p = run(["./prog", "--job-script", "slurm"] + opts, cwd=d)
        r.check(p.returncode == 2 and msg in p.stderr and "\n" == p.stderr[-1],
                "program error: %s" % " ".join(opts), "rc=%s %r" % (p.returncode, p.stderr))
    p = run(["./prog", "--nodes", "2"], cwd=d)
    r.check(p.returncode == 2 and "--nodes needs --job-script slurm|pbs" in p.stderr,
            "program error: --nodes without --job-script", p.stderr)
    # --emit-c X.c: the script runs X
    p = cdaskc(["prog.lua", "--emit-c", "other.c", "--job", "pbs", "--job-build"], cwd=d)
    r.check(p.returncode == 0 and os.path.isfile(os.path.join(d, "other.pbs")) and
            "./other" in read(os.path.join(d, "other.pbs")),
            "--emit-c other.c --job pbs writes other.pbs running ./other", p.stderr)


def check_docs(r, d):
    """docs/clusters.md's two scripts are what cdaskc writes for their commands."""
    blocks = re.findall(r"```bash\n(.*?)```", read(os.path.join(SRC, "docs", "clusters.md")), re.S)
    if not r.check(len(blocks) == 2, "docs/clusters.md has the two scripts", str(len(blocks))):
        return
    write(os.path.join(d, "pipeline.lua"), PIPELINE)
    shutil.copy(os.path.join(SRC, "examples", "seed000_pbs.lua"), d)
    for block, args, path in (
            (blocks[0], ["pipeline.lua", "--emit-c", "pipeline.c", "--job", "slurm", "--nodes", "2",
                         "--ntasks-per-node", "2", "--cpus-per-task", "4", "--time", "00:20:00",
                         "--mem", "8G"], "pipeline.sbatch"),
            (blocks[1], ["seed000_pbs.lua", "--emit-c", "ask_seq.c", "--job", "pbs", "--nodes", "1",
                         "--ntasks-per-node", "1", "--cpus-per-task", "4", "--mem", "8gb", "--time",
                         "00:20:00", "--mail-user", "USER@l2s.centralesupelec.fr", "--mail-type",
                         "be", "--job-name", "ask_seq", "--project", "gpi", "--job-build",
                         "--module", "gcc"], "ask_seq.pbs")):
        p = cdaskc(args, cwd=d)
        r.check(p.returncode == 0 and read(os.path.join(d, path)) == block,
                "docs/clusters.md's %s is cdaskc's" % path, p.stderr)


def pbs_environment(workdir, nodefile, ranks):
    write(nodefile, (socket.gethostname() + "\n") * ranks)
    env = dict(os.environ, PBS_O_WORKDIR=workdir, PBS_NODEFILE=nodefile, PBS_JOBID="17.pbs-test",
               PBS_ENVIRONMENT="PBS_BATCH",
               CDASK_MPIEXEC_FLAGS="--allow-run-as-root --oversubscribe")
    env.pop("OMP_NUM_THREADS", None)
    return env


def check_pbs_run(r, d, ranks=1):
    """The PBS script, run with bash from another directory as PBS would, writes what the
    program writes when run directly (ranks: the MPI ranks, NODES x TASKS)."""
    want_dir = os.path.join(d, "direct")
    os.mkdir(want_dir)
    p = run([os.path.join(d, "prog"), "--threads", "2", "--out", want_dir], cwd=want_dir)
    if not r.check(p.returncode == 0, "the program runs directly", p.stderr):
        return
    want = np.load(os.path.join(want_dir, "rowsums.npy"))
    for build in (False, True):
        label = "PBS script%s, %d rank(s)" % (" with --job-build" if build else "", ranks)
        work = os.path.join(d, "pbs-build" if build else "pbs")
        os.mkdir(work)
        shutil.copy(os.path.join(d, "prog.lua"), work)
        opts = ["--job", "pbs", "--nodes", "1", "--ntasks-per-node", str(ranks),
                "--cpus-per-task", "2", "--time", "00:05:00"] + (["--job-build"] if build else [])
        # the C only: the job builds it from prog.c, or it is the program of d
        p = cdaskc(["prog.lua", "--emit-c", "prog.c"] + opts, cwd=work)
        if not r.check(p.returncode == 0, label + ": compiles", p.stderr):
            continue
        if not build:
            shutil.copy(os.path.join(d, "prog"), work)
        env = pbs_environment(work, os.path.join(d, "nodefile"), ranks)
        p = run(["bash", os.path.join(work, "prog.pbs")], cwd="/", env=env, timeout=300)
        if not r.check(p.returncode == 0, label + ": runs", "rc=%s\n%s" % (p.returncode, p.stderr)):
            continue
        got = np.load(os.path.join(work, "rowsums.npy"))
        r.check(got.dtype == want.dtype and got.shape == want.shape and
                got.tobytes() == want.tobytes(), label + ": rowsums.npy bit for bit as direct")
        r.check(p.stdout.count("mean = ") == ranks and "mean = " in p.stdout,
                label + ": prints the mean", p.stdout)
        if build:
            r.check(os.access(os.path.join(work, "prog"), os.X_OK), label + ": built ./prog")


def main():
    r = Results()
    if not shutil.which("mpiexec"):
        r.check(False, "Open MPI's mpiexec is installed (scripts/install-deps.sh)")
        return r.finish()
    d = tempfile.mkdtemp(prefix="cdask_jobscripts_")
    try:
        write(os.path.join(d, "prog.lua"), PIPELINE)
        check_directives(r, d)
        check_same_as_program(r, d)  # builds ./prog
        check_errors(r, d)
        check_docs(r, d)
        ranks = int(os.environ.get("CDASK_TEST_RANKS", "1"))
        check_pbs_run(r, d, ranks)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
