"""--progress: Dask's ProgressBar on stderr (dask.diagnostics.ProgressBar, Debian's
python3-dask as the oracle of its line and of format_time). On a terminal (a pty) the bar
is redrawn in place with \\r and ends with the 100% line and a newline; elsewhere it writes
one line per tenth of the tasks done, then the 100% line; --progress-min draws nothing for
a shorter run; a program without tasks draws 100%; bad values of the options are usage
errors (exit 2) naming the option."""

import os
import pty
import re
import select
import subprocess
import tempfile
import time

from dask.diagnostics.progress import ProgressBar
from dask.utils import format_time

from cdask_testlib import CDASKC, Results, run

KERNEL = r"""
#include <threads.h>
#include <time.h>
void slow(const double *x, double *out, const cdask_block *b) {
  struct timespec t = {0, 30 * 1000000L};
  while (thrd_sleep(&t, &t) == -1) {
  }
  int64_t n = 1;
  for (int d = 0; d < b[0].ndim; d++) n *= b[0].shape[d];
  for (int64_t i = 0; i < n; i++) out[i] = x[i] * 2;
}
int bad(const double *x, double *out, const cdask_block *b) {
  slow(x, out, b);
  return b[0].chunk_location[0] == 10 ? 3 : 0;
}
"""
# 20 blocks of 30 ms: about 0.6 s on one thread
SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local x = da.ones({20, 4}, {chunks = {1, 4}})
da.print(da.map_blocks(k.slow, x):sum(), "s")
"""
EMPTY = 'local cd = require("cdask")\n'
BAD = SCRIPT.replace("k.slow", "k.bad")
LINE = re.compile(r"^\[([# ]{40})\] \| (\d+)% Completed \| (.+)$")


def dask_line(frac, elapsed):
    """The line Dask's ProgressBar draws (its _draw_bar, into a list)."""
    out = []

    class Sink:
        def write(self, s):
            out.append(s)

        def flush(self):
            pass
    bar = ProgressBar(out=Sink())
    bar._draw_bar(frac, elapsed)
    return out[0]


def elapsed_ok(text):
    """A format_time text: the number it shows, formatted again, gives the same text."""
    m = re.match(r"^(\d+\.\d\d) (s|ms|us)$", text)
    if not m:
        return False
    v = float(m.group(1)) * {"s": 1, "ms": 1e-3, "us": 1e-6}[m.group(2)]
    return format_time(v) == text or format_time(v * (1 + 1e-12)) == text


def check_line(line, frac=None):
    m = LINE.match(line)
    if not m:
        return None
    bar, pct, el = m.group(1), int(m.group(2)), m.group(3)
    ok = bar == "#" * bar.count("#") + " " * bar.count(" ") and elapsed_ok(el)
    ok &= bar.count("#") == int(40 * pct / 100) or bar.count("#") // 4 == pct // 10
    if frac is not None:
        ok &= pct == int(100 * frac)
    return pct if ok else None


def run_pty(cmd, cwd):
    """Runs cmd with stderr on a pty; returns (returncode, stderr bytes, stdout)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    data = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    # the terminal writes a newline as \r\n (ONLCR)
    return p.returncode, data.decode().replace("\r\n", "\n"), out.decode()


def main():
    r = Results()
    # Dask's own line for a few fractions and times is ours (the unit test checks more)
    for frac, el in ((1, 1.2), (0.5, 0.0123), (0.33, 700.0)):
        mine = "[%s] | %d%% Completed | %s" % (("#" * int(40 * frac)).ljust(40),
                                               int(100 * frac), format_time(el))
        r.check(dask_line(frac, el) == "\r" + mine, "Dask's line at %s, %s s" % (frac, el))
    with tempfile.TemporaryDirectory(prefix="cdask_progress_") as d:
        with open(os.path.join(d, "k.c"), "w") as f:
            f.write(KERNEL)
        with open(os.path.join(d, "prog.lua"), "w") as f:
            f.write(SCRIPT)
        with open(os.path.join(d, "empty.lua"), "w") as f:
            f.write(EMPTY)
        with open(os.path.join(d, "bad.lua"), "w") as f:
            f.write(BAD)
        for name in ("prog", "empty", "bad"):
            p = run([CDASKC, name + ".lua", "-o", name], cwd=d, timeout=300)
            if not r.check(p.returncode == 0, name + " compiles", p.stderr):
                return r.finish()
        exe, empty = os.path.join(d, "prog"), os.path.join(d, "empty")
        plain = run([exe, "--threads", "1"], cwd=d)

        # not a terminal: a line per tenth, then 100%
        t0 = time.time()
        q = run([exe, "--threads", "1", "--progress"], cwd=d)
        wall = time.time() - t0
        lines = q.stderr.splitlines()
        pcts = [check_line(x) for x in lines]
        r.check(q.returncode == 0 and q.stdout == plain.stdout, "with --progress: same output")
        r.check(lines and all(p is not None for p in pcts), "every line is Dask's line", q.stderr)
        r.check(pcts and pcts[-1] == 100 and lines[-1].startswith("[" + "#" * 40 + "]"),
                "the last line is 100%", q.stderr)
        deciles = [p // 10 for p in pcts[:-1]]
        r.check(len(lines) >= 3 and all(a < b for a, b in zip(deciles, deciles[1:])) and
                all(p < 100 for p in pcts[:-1]) and "\r" not in q.stderr,
                "one line per tenth, increasing, no \\r (a 0.6 s run: several)", q.stderr)
        last = LINE.match(lines[-1]).group(3) if lines and LINE.match(lines[-1]) else ""
        secs = float(last.split()[0]) * {"s": 1, "ms": 1e-3, "us": 1e-6}.get(
            last.split()[-1], 0) if last else 0
        r.check(0.55 <= secs <= wall, "the last line's time is the run's (%s, wall %.2f s)"
                % (last, wall))

        # a terminal: redrawn in place every 0.1 s
        rc, err, out = run_pty([exe, "--threads", "1", "--progress"], d)
        draws = err.split("\r")
        r.check(rc == 0 and out == plain.stdout, "on a pty: runs, same output")
        r.check(err.startswith("\r") and err.endswith("\n") and err.count("\n") == 1,
                "on a pty: \\r before each draw, one newline at the end", repr(err[-200:]))
        body = [x.rstrip("\n") for x in draws[1:]]
        ok = [check_line(x) for x in body]
        r.check(len(body) >= 4 and all(p is not None for p in ok) and ok[-1] == 100 and
                all(a <= b for a, b in zip(ok, ok[1:])),
                "on a pty: several draws (0.1 s apart), non-decreasing, ending at 100%",
                repr(err[:300]))

        # --progress-min: nothing for a shorter run; drawn after it for a longer one
        q = run([exe, "--threads", "1", "--progress", "--progress-min", "5"], cwd=d)
        r.check(q.returncode == 0 and q.stderr == "", "--progress-min 5: a 0.6 s run draws nothing",
                q.stderr)
        q = run([exe, "--threads", "1", "--progress", "--progress-min=0.3"], cwd=d)
        pcts = [check_line(x) for x in q.stderr.splitlines()]
        r.check(q.returncode == 0 and pcts and pcts[-1] == 100 and None not in pcts and
                pcts[0] >= 30, "--progress-min 0.3: the first line comes after 0.3 s of tasks",
                q.stderr)

        # no tasks: Dask's finish draws 100%
        q = run([empty, "--progress"], cwd=d)
        r.check(q.returncode == 0 and len(q.stderr.splitlines()) == 1 and
                check_line(q.stderr.rstrip("\n"), 1) == 100, "a program without tasks draws 100%",
                q.stderr)
        rc, err, _ = run_pty([empty, "--progress"], d)
        # the bar's thread may draw once at 0% before the (instant) run ends, as Dask's may
        r.check(rc == 0 and re.match(r"(\r\[ {40}\] \| 0% Completed \| [^\r\n]*)?"
                                     r"\r\[#{40}\] \| 100% Completed \| [^\r\n]*\n$", err)
                is not None, "without tasks, on a pty: 100%", repr(err))

        # a kernel fails on block 10: Dask's errored finish (the fraction done, no 100%),
        # then the error
        q = run([os.path.join(d, "bad"), "--threads", "1", "--progress"], cwd=d)
        lines = q.stderr.splitlines()
        pcts = [check_line(x) for x in lines[:-1]]
        r.check(q.returncode == 6 and lines and "failed on block (10, 0)" in lines[-1] and
                len(pcts) >= 1 and None not in pcts and max(pcts) < 100,
                "a failing kernel: the bar stops short of 100%, then the error", q.stderr)
        rc, err, _ = run_pty([os.path.join(d, "bad"), "--threads", "1", "--progress"], d)
        tail = err.split("\r")[-1].split("\n")
        r.check(rc == 6 and len(tail) == 3 and check_line(tail[0]) is not None and
                check_line(tail[0]) < 100 and "failed on block" in tail[1],
                "a failing kernel on a pty: the last draw, a newline, the error", repr(err[-300:]))

        # bad values: exit 2, the option named
        for args in (["--progress-min", "-1"], ["--progress-min", "abc"],
                     ["--progress-min", "nan"], ["--progress-min", "inf"], ["--progress-min"],
                     ["--resources-dt", "0"], ["--resources-dt", "-0.5"],
                     ["--resources-dt", "nan"], ["--resources-dt", "1s"],
                     ["--resources-dt", ""], ["--resources-dt"], ["--profile"],
                     ["--profile="], ["--resources"], ["--memory-profile"]):
            q = run([exe] + args, cwd=d)
            r.check(q.returncode == 2 and args[0].split("=")[0] in q.stderr and q.stdout == "",
                    "%s: exit 2 naming the option" % " ".join(args), q.stderr)
        q = run([exe, "--help"], cwd=d)
        r.check(all(o in q.stdout for o in ("--progress ", "--progress-min", "--profile",
                                             "--resources ", "--resources-dt",
                                             "--memory-profile")), "--help lists the options")
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
