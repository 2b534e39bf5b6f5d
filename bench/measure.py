"""Run one command as a child process: its wall time, its peak RSS, a timeout.

Linux starts a child's ru_maxrss at its parent's peak RSS (the memory it had when it
forked, or with vfork the parent's high-water mark). The harness is big (numpy, results),
so it does not fork the command itself. It starts this file as a small launcher
(`python3 -I -S measure.py RESULT cmd...`), which forks the command, times it, and reaps it
with os.wait4. The launcher writes the wall time, ru_maxrss, the wait status and the CPU time (user +
system) to RESULT.
The launcher's own size, about 5 MB, is the floor of every RSS measured this way:
floor_kib() measures it."""
import os
import sys
import time


def _launch(result_path, cmd):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"measure.py: cannot run {cmd[0]}: {e}\n".encode())
        os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall_s = time.perf_counter() - t0
    with open(result_path, "w") as f:
        f.write(f"{wall_s!r} {usage.ru_maxrss} {status} {usage.ru_utime + usage.ru_stime!r}\n")


if __name__ == "__main__":
    _launch(sys.argv[1], sys.argv[2:])
    sys.exit(0)

import shutil  # noqa: E402  (the harness side; the launcher above stays minimal)
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass
class Run:
    returncode: int
    wall_s: float
    maxrss_kib: int
    timed_out: bool
    cpu_s: float
    stdout: str
    stderr: str


def run(cmd, timeout_s, env=None, cwd=None):
    """Run cmd through the launcher in its own session; kill the group after timeout_s.
    Give cmd[0] as a path: a PATH search in the forked child would raise the RSS floor."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as res:
        launcher = [sys.executable, "-I", "-S", os.path.abspath(__file__), res.name, *cmd]
        proc = subprocess.Popen(launcher, stdout=out, stderr=err, env=env, cwd=cwd,
                                start_new_session=True)
        try:
            proc.wait(timeout_s)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            timed_out = True
        fields = res.read().split()
        out.seek(0)
        err.seek(0)
        stdout, stderr = (f.read().decode(errors="replace") for f in (out, err))
    if not fields:   # the launcher was killed (timeout) or failed itself
        return Run(proc.returncode or -signal.SIGKILL, timeout_s, 0, timed_out, 0.0, stdout, stderr)
    wall_s, maxrss_kib, status, cpu_s = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    return Run(os.waitstatus_to_exitcode(status), wall_s, maxrss_kib, False, cpu_s, stdout, stderr)


def floor_kib():
    """Peak RSS reported for a program that does nothing: the floor of every measurement."""
    return run([shutil.which("true")], 60).maxrss_kib


def failure(r, timeout_s):
    """A one-line reason why run r failed, or None if it succeeded."""
    if r.timed_out:
        return f"timeout after {timeout_s:g} s"
    if r.returncode < 0:
        sig = signal.Signals(-r.returncode).name
        hint = " (out of memory?)" if sig == "SIGKILL" else ""
        return f"killed by {sig}{hint}"
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or [""])[-1][:200]
        return f"exit {r.returncode}: {last}"
    return None
