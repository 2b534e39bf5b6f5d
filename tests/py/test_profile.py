"""--profile, --memory-profile and --resources on one program with every kind of task:
elementwise tiles (one group in place over a scan's array), a block kernel that sleeps,
a reduction's combine step, an FFT's transform and delayed calls. The trace parses; every
task is in it exactly once (the keys of the manifest's groups: tiles, combine steps,
transforms); no two events of a thread overlap; the tiles' boxes cover each group's
domain; counters are numbers; the memory profile has every buffer of the plan with its
exact bytes, allocated before freed, and the observed peak equals the plan's; the
resource samples are the trace's counters; and the results are bitwise the same with and
without every flag, for 1 and 2 threads."""

import json
import os
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

KERNELS = r"""
#include <threads.h>
#include <time.h>
static void nap(void) {
  struct timespec t = {0, 20 * 1000000L};
  while (thrd_sleep(&t, &t) == -1) {
  }
}
void slow(const double *x, double *out, const cdask_block *b) {
  int64_t n = 1;
  for (int d = 0; d < b[0].ndim; d++) n *= b[0].shape[d];
  nap();
  for (int64_t i = 0; i < n; i++) out[i] = x[i] + 1;
}
double inc(double x) {
  nap();
  return x + 1;
}
double add(double x, double y) {
  nap();
  return x + y;
}
"""

SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("k.c")
local x = da.from_npy("x.npy", {chunks = {8, 8}})
local z = (da.sin(x) * 2 + 1) * 3
local m = da.map_blocks(k.slow, z)
da.to_npy(m, "m.npy")
da.to_npy(da.fft.rfft(x), "f.npy")
da.to_npy(m:sum(0), "s.npy")
local c = x:cumsum(0)
da.to_npy(da.sin(c) * 2 + c, "c.npy")
local a = cd.delayed(k.inc)(1)
local b = cd.delayed(k.inc)(2)
cd.print(cd.delayed(k.add)(a, b), "ab")
"""
OUTPUTS = ["m.npy", "f.npy", "s.npy", "c.npy"]
# The oracle of the plan's buffers: the script's arrays, (32, 24) float64 input
BYTES = {"multiply": 32 * 24 * 8, "map_blocks": 32 * 24 * 8, "rfft": 32 * 13 * 16,
         "sum": 24 * 8, "cumsum": 32 * 24 * 8, "add": None, "inc": 8}


def run_prog(d, exe, outdir, threads, flags):
    os.makedirs(os.path.join(d, outdir), exist_ok=True)
    return run([exe, "--threads", str(threads), "--out", outdir] + flags, cwd=d)


def outputs(d, outdir):
    return [open(os.path.join(d, outdir, n), "rb").read() for n in OUTPUTS]


def expected_keys(manifest):
    """Every task's key, from the manifest's groups: tiles, combine steps, transforms."""
    keys = {}
    for g in manifest["groups"]:
        name = "g%d:%s" % (g["id"], g["sink"])
        ks = ["%s:%d" % (name, t) for t in range(g["tasks"])]
        if g["sink"] == "sum":  # 24 outputs: one combine block
            ks.append(name + ":combine:0")
        if g["sink"] == "rfft":
            ks.append(name + ":transform:0")
        keys[g["id"]] = ks
    return keys


def check_trace(r, tag, trace, manifest, threads):
    ev = trace["traceEvents"]
    xs = [e for e in ev if e["ph"] == "X"]
    want = expected_keys(manifest)
    allkeys = sorted(k for ks in want.values() for k in ks)
    r.check(sorted(e["name"] for e in xs) == allkeys, tag + ": every task exactly once",
            "%d events, %d keys" % (len(xs), len(allkeys)))
    cd = trace["cdask"]
    r.check(cd["tasks"] == len(allkeys) and cd["threads"] == threads,
            tag + ": cdask.tasks and threads", "%s %s" % (cd["tasks"], cd["threads"]))
    per = {g["id"]: g["tasks"] for g in cd["groups"]}
    r.check(per == {k: len(v) for k, v in want.items()}, tag + ": tasks per group", str(per))
    r.check(all(e["ts"] >= 0 and e["dur"] >= 0 for e in xs), tag + ": ts and dur non-negative")
    r.check(all(e["tid"] in range(threads) for e in xs), tag + ": tids are the threads")
    overlap = False
    for t in range(threads):
        spans = sorted((e["ts"], e["ts"] + e["dur"]) for e in xs if e["tid"] == t)
        overlap |= any(b[0] < a[1] for a, b in zip(spans, spans[1:]))
    r.check(not overlap, tag + ": no two events of a thread overlap")
    names = {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    r.check(names == {t: "thread %d" % t for t in range(threads)}, tag + ": thread names", str(names))
    proc = [e for e in ev if e["ph"] == "M" and e["name"] == "process_name"]
    r.check(len(proc) == 1 and proc[0]["args"]["name"] == "cdask prog.lua", tag + ": process name")
    cs = [e for e in ev if e["ph"] == "C"]
    numeric = all(e["args"] and all(isinstance(v, (int, float)) for v in e["args"].values())
                  for e in cs)
    r.check(len(cs) >= 4 and numeric and {e["name"] for e in cs} == {"memory", "cpu"},
            tag + ": counters memory and cpu, numeric", str(cs[:4]))
    # the tiles' boxes: inside the domain, their elements add up to it
    ok = True
    for g in manifest["groups"]:
        if g["sink"] in ("inc", "add"):
            continue
        tiles = [e for e in xs if e["args"]["group"] == g["id"] and ":" not in e["name"][len(
            "g%d:%s:" % (g["id"], g["sink"])):]]
        total = sum(e["args"]["elements"] for e in tiles)
        boxes = all(len(e["args"]["lo"]) == len(g["domain"]) and
                    all(0 <= lo < hi <= n for lo, hi, n in
                        zip(e["args"]["lo"], e["args"]["hi"], g["domain"])) for e in tiles)
        ok &= boxes and total == int(np.prod(g["domain"]))
    r.check(ok, tag + ": the tiles' boxes cover each domain exactly")
    sleepy = [e for e in xs if e["cat"].endswith(":map_blocks")]
    r.check(all(e["dur"] >= 19000 for e in sleepy), tag + ": a block kernel's 20 ms nap is in "
            "its task's duration", str([e["dur"] for e in sleepy][:4]))


def check_memory(r, tag, d, trace, manifest):
    rows = [line.split("\t") for line in open(os.path.join(d, "mem.tsv")).read().splitlines()]
    r.check(rows[0] == ["name", "line", "bytes", "alloc_s", "free_s"], tag + ": memory header")
    rows = rows[1:]
    r.check(len(rows) == len(manifest["groups"]), tag + ": one row per buffer of the plan",
            "%d rows, %d groups" % (len(rows), len(manifest["groups"])))
    exact = True
    for row in rows:
        op = row[0].split("_", 1)[1]
        want = BYTES.get(op)
        if op == "add":
            want = 32 * 24 * 8 if row[1] == "prog.lua:11" else 8
        exact &= want is not None and int(row[2]) == want
    r.check(exact, tag + ": every buffer's bytes exact", str(rows))
    r.check(all(float(row[3]) <= float(row[4]) for row in rows if row[4]),
            tag + ": allocated before freed")
    bufs = trace["cdask"]["buffers"]
    same = [(b["name"], b["line"], b["bytes"]) for b in bufs] == \
        [(row[0], row[1], int(row[2])) for row in rows]
    r.check(same, tag + ": the trace's buffers are the memory profile's")
    cd = trace["cdask"]
    r.check(cd["peak_bytes_predicted"] == manifest["peak_bytes"] and
            cd["peak_bytes_observed"] == cd["peak_bytes_predicted"],
            tag + ": observed peak equals the plan's", "%s %s" % (
                cd["peak_bytes_observed"], cd["peak_bytes_predicted"]))
    r.check(cd["peak_rss_bytes"] > 0 and cd["duration_s"] > 0.1, tag + ": peak RSS, duration")


def check_resources(r, tag, d, trace):
    lines = open(os.path.join(d, "res.tsv")).read().splitlines()
    r.check(lines[0] == "time_s\trss_mb\tcpu_percent", tag + ": resources header")
    samples = [[float(v) for v in line.split("\t")] for line in lines[1:]]
    counted = [(s["t"], s["rss_mb"], s["cpu_percent"]) for s in trace["cdask"]["samples"]]
    r.check(len(samples) >= 2 and all(abs(a - b) < 1e-5 for x, y in zip(samples, counted)
                                      for a, b in zip(x, y)) and len(samples) == len(counted),
            tag + ": the resource samples are the trace's", "%s / %s" % (samples[:3], counted[:3]))
    mem = [e for e in trace["traceEvents"] if e["ph"] == "C" and e["name"] == "memory"]
    r.check(len(mem) == len(samples) and
            all(abs(e["ts"] / 1e6 - s[0]) < 2e-6 for e, s in zip(mem, samples)),
            tag + ": one memory counter per sample")


def main():
    r = Results()
    with tempfile.TemporaryDirectory(prefix="cdask_profile_") as d:
        with open(os.path.join(d, "k.c"), "w") as f:
            f.write(KERNELS)
        with open(os.path.join(d, "prog.lua"), "w") as f:
            f.write(SCRIPT)
        np.save(os.path.join(d, "x.npy"), np.random.default_rng(1).normal(size=(32, 24)))
        p = run([CDASKC, "prog.lua", "-o", "prog"], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, "the program compiles", p.stderr):
            return r.finish()
        exe = os.path.join(d, "prog")
        manifest = json.loads(run([exe, "--manifest"], cwd=d).stdout)
        r.check(any(g["in_place_over"] >= 0 for g in manifest["groups"]),
                "a group writes in place (its buffer takes its donor's)")
        for threads in (1, 2):
            tag = "%d thread%s" % (threads, "s" if threads > 1 else "")
            plain = run_prog(d, exe, "plain%d" % threads, threads, [])
            flags = ["--profile", "p.json", "--memory-profile", "mem.tsv", "--resources",
                     "res.tsv", "--resources-dt", "0.05", "--progress", "--progress-min", "0"]
            diag = run_prog(d, exe, "diag%d" % threads, threads, flags)
            if not r.check(plain.returncode == 0 and diag.returncode == 0, tag + ": runs",
                           plain.stderr + diag.stderr):
                continue
            r.check(outputs(d, "plain%d" % threads) == outputs(d, "diag%d" % threads) and
                    plain.stdout == diag.stdout == "ab = 5\n",
                    tag + ": results bitwise the same with every flag")
            trace = json.load(open(os.path.join(d, "p.json")))
            check_trace(r, tag, trace, manifest, threads)
            check_memory(r, tag, d, trace, manifest)
            check_resources(r, tag, d, trace)
        r.check(outputs(d, "plain1") == outputs(d, "plain2"), "1 and 2 threads: same bits")
        # an FFT round trip: the inverse runs in place over the spectrum, which is its
        # transform's input (dying after the transform): the peak is the plan's
        with open(os.path.join(d, "rt.lua"), "w") as f:
            f.write('local da = require("cdask.array")\nlocal x = da.from_npy("x.npy")\n'
                    'da.to_npy(da.real(da.fft.ifft2(da.fft.fft2(x))), "rt.npy")\n')
        p = run([CDASKC, "rt.lua", "-o", "rt"], cwd=d, timeout=300)
        q = run([os.path.join(d, "rt"), "--profile", "rt.json", "--memory-profile", "rt.tsv"],
                cwd=d)
        if r.check(p.returncode == 0 and q.returncode == 0, "FFT round trip runs",
                   p.stderr + q.stderr):
            cd = json.load(open(os.path.join(d, "rt.json")))["cdask"]
            half = 32 * 13 * 16
            r.check(cd["peak_bytes_observed"] == cd["peak_bytes_predicted"] == 32 * 24 * 8 + half,
                    "FFT round trip: observed peak = plan's = image + half spectrum",
                    "%s %s" % (cd["peak_bytes_observed"], cd["peak_bytes_predicted"]))
            rows = open(os.path.join(d, "rt.tsv")).read().splitlines()[1:]
            r.check([int(x.split("\t")[2]) for x in rows] == [half, 32 * 24 * 8] and
                    rows[0].split("\t")[4] != "" and rows[1].split("\t")[4] == "",
                    "FFT round trip: the spectrum freed, the result alive at the end", str(rows))
            r.check(sorted(g["tasks"] for g in cd["groups"]) == [1, 2],
                    "FFT round trip: tiles and transform, then only the transform (copy skipped)",
                    str(cd["groups"]))

        # nothing half-written: an unwritable trace path fails before the run
        for opt in ("--profile", "--memory-profile", "--resources"):
            q = run([exe, "--out", "plain1", opt, "no/such/dir/x"], cwd=d)
            r.check(q.returncode == 4 and opt in q.stderr and "no/such/dir/x" in q.stderr and
                    q.stdout == "", opt + " into a missing directory: exit 4, named", q.stderr)
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
