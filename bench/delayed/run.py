#!/usr/bin/python3
"""bench/delayed/run.py: the costs of cd.delayed (issue 12), three rows.

(a) tasks_N: N trivial delayed tasks (inc(i) for i = 1..N, then one sum over the list of
    them, which adds about N/15 list tasks): cdaskc's compile time (to C, then the C
    compiler) reported apart from the run; the program's own run time (--stats, the
    pipeline only) as the median of --repeat runs, divided by the number of tasks.
    Target: at most 2 us per task.
(b) seed001_sleep: examples/seed001_sleep.lua (inc, dec 0.1 s each, add 0.2 s; 0.4 s in
    sequence) with OMP_NUM_THREADS=2: target about 0.3 s of wall time.
(c) seed000_sleep: bench/delayed/seed000_sleep.lua (inc, inc, add 1 s each; 3 s in
    sequence) with OMP_NUM_THREADS=2: target 2 s.

Prints a Markdown table with the CPU model. Usage:
    bench/delayed/run.py [--build build] [--tasks 100000] [--repeat 5]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            return m.group(1) if m else "unknown"
    except OSError:
        return "unknown"


def timed(cmd, cwd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    return time.perf_counter() - t, p


def tasks_script(n):
    return ('local cd = require("cdask")\n'
            'local k = cd.cfile("trivial.c")\n'
            "local inc = cd.delayed(k.inc)\n"
            "local out = {}\n"
            "for i = 1, %d do out[i] = inc(i) end\n"
            'cd.print(cd.delayed(k.total)(out), "total")\n' % n)


def bench_tasks(cdaskc, d, n, repeat):
    with open(os.path.join(d, "tasks.lua"), "w") as f:
        f.write(tasks_script(n))
    shutil.copy(os.path.join(HERE, "trivial.c"), d)
    to_c, _ = timed([cdaskc, "tasks.lua", "--emit-c", "tasks.c"], d)
    whole, _ = timed([cdaskc, "tasks.lua", "-o", "tasks"], d)
    ntasks = n + 1
    m = n
    while m > 1:  # the lists of 16 that gather the results
        m = (m + 15) // 16
        ntasks += m
    rows = []
    for threads in ("1", "2"):
        env = dict(os.environ, OMP_NUM_THREADS=threads)
        runs = []
        for _ in range(repeat):
            _, p = timed([os.path.join(d, "tasks"), "--stats"], d, env)
            want = float(n) * (n + 1) / 2 + n
            got = float(re.search(r"^total = (\S+)", p.stdout, re.M).group(1))
            if got != want:
                sys.exit("tasks_%d: total %r, want %r" % (n, got, want))
            runs.append(float(re.search(r"stats: ([0-9.e+-]+) seconds", p.stderr).group(1)))
        med = statistics.median(runs)
        rows.append("| tasks_%d | %s | %d tasks: %.3f s (median of %d), %.2f us per task "
                    "(target <= 2) | cdaskc to C %.2f s, with the C compiler %.2f s |"
                    % (n, threads, ntasks, med, repeat, med / ntasks * 1e6, to_c,
                       whole))
    return rows


def bench_sleep(cdaskc, d, script, kernels, seq, target, repeat):
    name = os.path.splitext(os.path.basename(script))[0]
    shutil.copy(script, d)
    kd = os.path.join(d, "kernels")
    if not os.path.isdir(kd):
        shutil.copytree(kernels, kd)
    timed([cdaskc, os.path.basename(script), "-o", name], d)
    env = dict(os.environ, OMP_NUM_THREADS="2")
    walls = [timed([os.path.join(d, name)], d, env)[0] for _ in range(repeat)]
    return ["| %s | 2 | %.3f s wall (median of %d; sequential %.1f s, target %.1f s) | |"
            % (name, statistics.median(walls), repeat, seq, target)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--tasks", type=int, default=100000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    cdaskc = os.path.join(os.path.abspath(a.build), "cdaskc")
    kernels = os.path.join(SRC, "examples", "kernels")
    print("CPU: %s, %d cores\n" % (cpu_model(), os.cpu_count()))
    print("| row | threads | run | compile |\n| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="cdask_bench_delayed_") as d:
        for row in bench_tasks(cdaskc, d, a.tasks, a.repeat):
            print(row, flush=True)
        for row in bench_sleep(cdaskc, d, os.path.join(SRC, "examples", "seed001_sleep.lua"),
                               kernels, 0.4, 0.3, a.repeat):
            print(row, flush=True)
        for row in bench_sleep(cdaskc, d, os.path.join(HERE, "seed000_sleep.lua"), kernels,
                               3.0, 2.0, min(a.repeat, 3)):
            print(row, flush=True)


if __name__ == "__main__":
    main()
