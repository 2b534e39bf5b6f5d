"""--resources FILE (Dask's ResourceProfiler): a TSV time_s, rss_mb, cpu_percent sampled by
a thread of the program every --resources-dt seconds (default 1.0), with one sample at the
start and one at the end. A program holding two 64 MiB arrays while its block kernel
sleeps 16 x 40 ms: the sample count matches the period and the run's length, the times
increase from 0, the RSS shows the arrays (and the trace's plan_mb counter shows them
exactly), the CPU is a percentage."""

import json
import os
import statistics
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

KERNEL = r"""
#include <string.h>
#include <threads.h>
#include <time.h>
void slow(const double *x, double *out, const cdask_block *b) {
  struct timespec t = {0, 40 * 1000000L};
  while (thrd_sleep(&t, &t) == -1) {
  }
  int64_t n = 1;
  for (int d = 0; d < b[0].ndim; d++) n *= b[0].shape[d];
  memcpy(out, x, (size_t)n * sizeof *x);
}
"""
SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local x = da.from_npy("ones.npy", {chunks = {256, 2048}})
local y = da.map_blocks(k.slow, x)
da.print(y:sum() + y:max(), "s")
"""
# x and y are stored (memplan.c): x, a file, is read whole by the kernel; y has two readers
# (so it is not streamed into one)
MIB64 = 4096 * 2048 * 8 / 1e6  # one array, decimal MB (Dask's rss / 1e6)


def samples_of(path):
    lines = open(path).read().splitlines()
    return lines[0], [[float(v) for v in line.split("\t")] for line in lines[1:]]


def main():
    r = Results()
    with tempfile.TemporaryDirectory(prefix="cdask_resources_") as d:
        with open(os.path.join(d, "k.c"), "w") as f:
            f.write(KERNEL)
        with open(os.path.join(d, "prog.lua"), "w") as f:
            f.write(SCRIPT)
        np.save(os.path.join(d, "ones.npy"), np.ones((4096, 2048)))
        p = run([CDASKC, "prog.lua", "-o", "prog"], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, "the program compiles", p.stderr):
            return r.finish()
        exe = os.path.join(d, "prog")
        plain = run([exe, "--threads", "1"], cwd=d)

        q = run([exe, "--threads", "1", "--resources", "r.tsv", "--resources-dt", "0.1",
                 "--profile", "p.json"], cwd=d)
        r.check(q.returncode == 0 and q.stdout == plain.stdout == "s = 8388609\n",
                "with --resources: the same result", q.stderr + q.stdout)
        head, s = samples_of(os.path.join(d, "r.tsv"))
        r.check(head == "time_s\trss_mb\tcpu_percent", "the header", head)
        trace = json.load(open(os.path.join(d, "p.json")))
        dur = trace["cdask"]["duration_s"]
        times = [x[0] for x in s]
        r.check(0.64 <= dur < 5, "the run sleeps 0.64 s (%.2f s)" % dur)
        r.check(times[0] < 0.01 and abs(times[-1] - dur) < 0.05 and
                all(a < b for a, b in zip(times, times[1:])),
                "times: from 0 to the run's end, increasing", str(times))
        want = dur / 0.1 + 1  # the periodic ones from 0, and the end's
        r.check(want - 2 <= len(s) <= want + 1, "%d samples for %.2f s at 0.1 s" % (len(s), dur))
        gaps = [b - a for a, b in zip(times, times[1:-1])]
        r.check(gaps and 0.09 <= statistics.median(gaps) <= 0.15,
                "the period is 0.1 s (median gap %.3f)" % statistics.median(gaps or [0]))
        rss = [x[1] for x in s]
        r.check(max(rss) >= MIB64 and rss[0] < MIB64 / 4 and rss[-1] < MIB64 / 4,
                "RSS shows the 64 MiB arrays while the kernel sleeps, not before or after",
                str(rss))
        r.check(all(0 <= x[2] <= 100 * 2 + 50 for x in s) and s[0][2] == 0,
                "CPU: a percentage of a core, 0 in the first sample", str([x[2] for x in s]))
        plan = [e["args"]["plan_mb"] for e in trace["traceEvents"]
                if e["ph"] == "C" and e["name"] == "memory"]
        r.check(2 * MIB64 in [round(v, 6) for v in plan] and plan[0] == 0,
                "plan_mb counts the plan's arrays exactly (two 64 MiB)", str(plan))

        # the default period: 1 s, so a shorter run has its first and last samples only
        q = run([exe, "--threads", "2", "--resources", "r1.tsv"], cwd=d)
        head, s = samples_of(os.path.join(d, "r1.tsv"))
        r.check(q.returncode == 0 and q.stdout == plain.stdout, "default period: runs")
        r.check(len(s) == 2 or (len(s) == 3 and s[1][0] >= 0.99),
                "default period 1.0 s: start and end (a run under 1 s)", str(s))
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
