#!/usr/bin/python3
"""The HTML report (templates/report.html, runtime/report.c) in a real headless Chromium.

A small C driver linked with the runtime library (tests/py/report_driver.c) writes the page
with cdrt_report_write from a trace that follows the trace interface (the --profile JSON):
here fixture_trace(), a run of the seed example shaped like a real one (2 threads, four
groups, tiles and combine steps, counters, samples, buffers). For each trace, check_page:
  - loads the page in `chromium --headless=new`: no console message at all (an uncaught
    error is one), the page's own error box stays hidden;
  - dumps the DOM after the scripts ran and compares every number the page shows with the
    trace (summary, tasks per thread row, each task once, busy time per row, samples, the
    plan's buffers and peak, the graph's groups and edges, the per-group table with the
    predicted cost or "—");
  - takes a screenshot and checks that every plot region has drawn pixels (PNG decoded with
    zlib and NumPy).
Also: without samples the CPU and RSS plot reads the counters; a "</script>" (and "<!--<script>") inside a string of the data cannot break the page,
and the template opened on its own shows its notice without errors.
Run with CDASK_BUILD/CDASK_SOURCE (set by CTest)."""
import html.parser
import json
import os
import random
import struct
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import BUILD, SRC, Results, rmtree, run, short, tempdir  # noqa: E402

CHROMIUM = "chromium"
WIDTH = 1200


# ---------------------------------------------------------------- the fixture
def fixture_trace(script="seed_profile.lua"):
    """A trace of (a.T + a):mean(0) on 10000x10000 in chunks of 1000 (the seed example), as
    the runtime writes it (interface 2 of issue 13), with made-up but consistent times."""
    rng = random.Random(13)
    manifest_groups = [
        {"id": 0, "line": 6, "sink": "mean", "domain": [10000, 10000], "tiles": [1000, 1000],
         "tasks": 100, "fuses": ["random.normal", "view", "add"], "why": "ends in a reduction (mean)",
         "in_place_over": -1, "frees": [],
         "cost": {"elements": 100000000, "bytes_read": 0, "bytes_written": 80000,
                  "flops": 300000000}},
        {"id": 1, "line": 9, "sink": "mean", "domain": [10000], "tiles": [1000], "tasks": 10,
         "fuses": [], "why": "ends in a reduction (mean)", "in_place_over": -1, "frees": [],
         "cost": {"elements": 10000, "bytes_read": 80000, "bytes_written": 8,
                  "flops": 10000}},
        {"id": 2, "line": 9, "sink": "sum", "domain": [10000], "tiles": [1000], "tasks": 10,
         "fuses": ["view", "subtract", "multiply"], "why": "ends in a reduction (sum)",
         "in_place_over": -1, "frees": [0, 1],
         "cost": {"elements": 10000, "bytes_read": 80008, "bytes_written": 8,
                  "flops": 30000}},
        {"id": 3, "line": 9, "sink": "std", "domain": [], "tiles": [], "tasks": 1,
         "fuses": ["full", "divide", "std"], "why": "ends in an output", "in_place_over": 2,
         "frees": [2]},  # no "cost": the page shows "—"
    ]
    manifest = {"cdask_version": "0.1.0", "script": "/home/user/" + script,
                "groups": manifest_groups, "peak_bytes": 80016}
    names = {0: "g0:mean", 1: "g1:mean", 2: "g2:sum", 3: "g3:std"}
    # the tasks in run order: tiles, then each reduction's combine steps
    plan = []
    for g in manifest_groups:
        k = g["id"]
        for t in range(g["tasks"]):
            plan.append((k, "%s:%d" % (names[k], t), t, 3000.0 if k == 0 else 40.0))
        if g["sink"] in ("mean", "sum") and g["tasks"] > 1:
            for b in range(2):
                plan.append((k, "%s:combine:%d" % (names[k], b), b, 15.0))
    events = [{"name": "process_name", "ph": "M", "pid": 0, "tid": 0,
               "args": {"name": "cdask " + script}}]
    for tid in range(2):
        events.append({"name": "thread_name", "ph": "M", "pid": 0, "tid": tid,
                       "args": {"name": "thread %d" % tid}})
    clock = [120.0, 150.0]  # each thread's next free time (us)
    group_end = {}
    for k, key, tile, mean_us in plan:
        tid = 0 if clock[0] <= clock[1] else 1
        start = max(clock[tid], group_end.get(k - 1, 0.0))
        dur = round(mean_us * rng.uniform(0.6, 1.4), 3)
        ndim = len(manifest_groups[k]["domain"])
        lo = [tile // 10 * 1000, tile % 10 * 1000][-ndim:] if ndim and ":combine:" not in key else []
        hi = [v + 1000 for v in lo]
        events.append({"name": key, "cat": names[k], "ph": "X", "ts": round(start, 3),
                       "dur": dur, "pid": 0, "tid": tid,
                       "args": {"group": k, "tile": tile, "line": "%s:%d" % (script, manifest_groups[k]["line"]),
                                "lo": lo, "hi": hi, "elements": 1000, "bytes_read": 8000,
                                "bytes_written": 8}})
        clock[tid] = start + dur + round(rng.uniform(1, 8), 3)
        group_end[k] = max(group_end.get(k, 0.0), clock[tid])
    duration = (max(clock) + 200) / 1e6
    samples = []
    t = 0.0
    while t <= duration:
        samples.append({"t": round(t, 6), "rss_mb": round(20 + 60 * t / duration + rng.uniform(0, 3), 3),
                        "cpu_percent": round(rng.uniform(150, 199), 1)})
        t += duration / 12
    for s in samples:
        events.append({"name": "memory", "ph": "C", "ts": s["t"] * 1e6, "pid": 0,
                       "args": {"rss_mb": s["rss_mb"], "plan_mb": 0.08}})
        events.append({"name": "cpu", "ph": "C", "ts": s["t"] * 1e6, "pid": 0,
                       "args": {"cpu_percent": s["cpu_percent"]}})
    ends = {k: max(e["ts"] + e["dur"] for e in events if e["ph"] == "X" and e["args"]["group"] == k) / 1e6
            for k in names}
    starts = {k: min(e["ts"] for e in events if e["ph"] == "X" and e["args"]["group"] == k) / 1e6
              for k in names}
    buffers = [
        {"name": "t4_mean", "line": script + ":6", "bytes": 80000, "alloc_s": starts[0], "free_s": ends[2]},
        {"name": "t6_mean", "line": script + ":9", "bytes": 8, "alloc_s": starts[1], "free_s": ends[2]},
        {"name": "t9_sum", "line": script + ":9", "bytes": 8, "alloc_s": starts[2], "free_s": ends[3]},
        {"name": "t12_std", "line": script + ":9", "bytes": 8, "alloc_s": starts[3], "free_s": None},
    ]
    tasks = [e for e in events if e["ph"] == "X"]
    groups = [{"id": k, "name": names[k], "line": "%s:%d" % (script, manifest_groups[k]["line"]),
               "tasks": sum(1 for e in tasks if e["args"]["group"] == k),
               "busy_s": sum(e["dur"] for e in tasks if e["args"]["group"] == k) / 1e6}
              for k in names]
    cdask = {"script": script, "threads": 2, "tasks": len(tasks), "duration_s": duration,
             "cpu_model": "Intel(R) Xeon(R) Processor",
             "simd": {"cpu": "Intel(R) Xeon(R) Processor", "vmath_choice": "calibrated",
                      "vmath_isa": {"random_normal": "avx512"}},
             "manifest": manifest, "peak_bytes_predicted": 80016,
             "peak_bytes_observed": plan_peak(buffers, duration),
             "peak_rss_bytes": int(max(s["rss_mb"] for s in samples) * 1e6),
             "groups": groups, "buffers": buffers, "samples": samples}
    rng.shuffle(events)  # the format does not promise an order
    return {"traceEvents": events, "displayTimeUnit": "ms", "cdask": cdask}


def plan_peak(buffers, t_end):
    """The most bytes the buffers hold at once (a free at the time of an allocation first)."""
    steps = []
    for b in buffers:
        steps.append((b["alloc_s"], b["bytes"]))
        steps.append((b["free_s"] if b["free_s"] is not None else t_end, -b["bytes"]))
    held = peak = 0
    for _, d in sorted(steps):
        held += d
        peak = max(peak, held)
    return peak


# ---------------------------------------------------------------- the page
def build_driver(d):
    exe = os.path.join(d, "report_driver")
    cmd = [os.environ.get("CC", "cc"), "-std=c11", "-O1", "-Wall", "-Wextra", "-Werror",
           "-I", os.path.join(SRC, "runtime"), os.path.join(SRC, "tests", "py", "report_driver.c"),
           os.path.join(BUILD, "libcdrt.a"), "-fopenmp", "-lsleef", "-lfftw3", "-lfftw3f", "-lm",
           "-o", exe]
    r = run(cmd)
    if r.returncode != 0:
        sys.exit("cannot build the report driver:\n" + r.stderr)
    return exe


def write_page(driver, trace, d, name):
    data = os.path.join(d, name + ".json")
    with open(data, "w") as f:
        json.dump(trace, f)
    page = os.path.join(d, name + ".html")
    r = run([driver, page, data])
    return page if r.returncode == 0 else None, r.stderr


def chromium(page, d, *flags):
    """Runs headless Chromium on page; returns (stdout, console lines, returncode)."""
    r = run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--user-data-dir=" + os.path.join(d, "chromium-profile"), "--enable-logging=stderr",
             "--v=0", "--hide-scrollbars", "--force-device-scale-factor=1"] + list(flags) +
            ["file://" + page], timeout=90)
    console = [line for line in (r.stderr or "").splitlines() if ":CONSOLE" in line]
    return r.stdout, console, r.returncode


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""


class Dom(html.parser.HTMLParser):
    """The dumped DOM as a tree of Elements with their text (all descendants')."""
    VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "area", "base", "col"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [], None)
        self.cur = self.root
        self.all = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        e = Element(tag, attrs, self.cur)
        self.cur.children.append(e)
        self.all.append(e)
        if tag not in self.VOID:
            self.cur = e

    def handle_startendtag(self, tag, attrs):
        e = Element(tag, attrs, self.cur)
        self.cur.children.append(e)
        self.all.append(e)

    def handle_endtag(self, tag):
        e = self.cur
        while e is not self.root and e.tag != tag:
            e = e.parent
        if e is not self.root:
            self.cur = e.parent

    def handle_data(self, data):
        e = self.cur
        while e is not None:
            e.text += data
            e = e.parent

    def by_id(self, i):
        return next((e for e in self.all if e.attrs.get("id") == i), None)

    def find(self, tag=None, cls=None, within=None):
        pool = self.all if within is None else descendants(within)
        return [e for e in pool if (tag is None or e.tag == tag) and
                (cls is None or cls in (e.attrs.get("class") or "").split())]


def descendants(e):
    out = []
    for c in e.children:
        out.append(c)
        out.extend(descendants(c))
    return out


def close(a, b, rel=1e-9):
    return abs(float(a) - float(b)) <= rel * max(1.0, abs(float(b)))


# ---------------------------------------------------------------- PNG
def unfilter_left(f, line, prev, bpp):
    """One PNG row of filter 1 (Sub), 3 (Average) or 4 (Paeth), unfiltered."""
    cur = bytearray(len(line))
    for i, v in enumerate(line):
        a = cur[i - bpp] if i >= bpp else 0
        b = prev[i]
        if f == 1:
            pred = a
        elif f == 3:
            pred = (a + b) >> 1
        else:
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
        cur[i] = (v + pred) & 255
    return cur


def png_pixels(path):
    """An RGB(A) PNG (8 bits, not interlaced) as a NumPy array (h, w, channels)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
    bpp = 3 if color == 2 else 4
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + w * bpp)
    out = np.zeros((h, w * bpp), dtype=np.uint8)
    prev = np.zeros(w * bpp, dtype=np.int32)
    for y in range(h):
        f = raw[y, 0]
        if f == 0:
            cur = raw[y, 1:].astype(np.int32)
        elif f == 2:
            cur = (raw[y, 1:].astype(np.int32) + prev) & 255
        else:  # Sub, Average, Paeth depend on the byte to the left: plain ints, byte by byte
            cur = np.array(unfilter_left(f, raw[y, 1:].tobytes(), prev.tolist(), bpp),
                           dtype=np.int32)
        out[y] = cur
        prev = cur
    return out.reshape(h, w, bpp)[:, :, :3]


# ---------------------------------------------------------------- the checks
def check_numbers(R, name, dom, trace):
    c = trace["cdask"]
    events = trace["traceEvents"]
    tasks = [e for e in events if e.get("ph") == "X"]

    def value(i):
        e = dom.by_id(i)
        return None if e is None else e.attrs.get("data-value")

    R.check("hidden" in (dom.by_id("errors").attrs) and "hidden" in dom.by_id("notice").attrs
            and "hidden" not in dom.by_id("report").attrs, name + " page shown, no error box",
            short(dom.by_id("errors").text))
    R.check(dom.by_id("sum-script").text == c["script"], name + " summary script",
            repr(dom.by_id("sum-script").text))
    R.check(dom.by_id("sum-cpu").text == c["cpu_model"], name + " summary CPU model")
    isa = c["simd"].get("vmath_isa", {})
    R.check(all(k in dom.by_id("sum-simd").text and v in dom.by_id("sum-simd").text
                for k, v in isa.items()), name + " summary SIMD path", dom.by_id("sum-simd").text)
    pairs = [("sum-tasks", c["tasks"]), ("sum-threads", c["threads"]),
             ("sum-duration", c["duration_s"]), ("sum-events", len(tasks)),
             ("sum-groups", len(c["groups"])), ("sum-peak-predicted", c["peak_bytes_predicted"]),
             ("sum-peak-observed", c["peak_bytes_observed"]),
             ("sum-peak-rss", c["peak_rss_bytes"])]
    bad = [(i, value(i), want) for i, want in pairs if value(i) is None or not close(value(i), want)]
    R.check(not bad, name + " summary numbers equal the trace's", str(bad))
    manifest = json.loads(dom.by_id("manifest-text").text)
    R.check(manifest == c["manifest"], name + " manifest shown verbatim")

    # task stream: one row per thread with its tasks, each task once
    rows = dom.find("g", "ts-row")
    tids = sorted({e["tid"] for e in tasks} | set(range(c["threads"])))
    R.check(sorted(int(r.attrs["data-tid"]) for r in rows) == tids, name + " one row per thread")
    bad = []
    for r in rows:
        tid = int(r.attrs["data-tid"])
        mine = [e for e in tasks if e["tid"] == tid]
        rects = dom.find("rect", "task", r)
        if int(r.attrs["data-tasks"]) != len(mine) or len(rects) != len(mine):
            bad.append((tid, r.attrs["data-tasks"], len(rects), len(mine)))
        if not close(r.attrs["data-busy-us"], sum(e["dur"] for e in mine)):
            bad.append((tid, "busy", r.attrs["data-busy-us"]))
        want = {(e["name"], e["ts"], e["dur"], e["args"]["group"]) for e in mine}
        got = {(x.attrs["data-key"], float(x.attrs["data-ts"]), float(x.attrs["data-dur"]),
                int(x.attrs["data-group"])) for x in rects}
        if got != want:
            bad.append((tid, "tasks differ", len(got ^ want)))
    R.check(not bad, name + " task stream rows equal the trace's tasks", str(bad)[:400])
    keys = [x.attrs["data-key"] for x in dom.find("rect", "task")]
    R.check(sorted(keys) == sorted(e["name"] for e in tasks) and len(set(keys)) == len(keys),
            name + " every task drawn once")
    titles = [t.text for x in dom.find("rect", "task") for t in x.children if t.tag == "title"]
    e0 = next((e for e in tasks if e["args"].get("lo")), tasks[0] if tasks else None)
    box = "[%s]" % ", ".join("%d:%d" % lh for lh in zip(e0["args"]["lo"], e0["args"]["hi"])) \
        if e0 and e0["args"].get("lo") else ""
    R.check(not tasks or any(t.startswith(e0["name"] + "\n" + e0["args"]["line"] + "\n") and
                             t.endswith(box) for t in titles),
            name + " task hover title has key, line and tile box")

    # resources: the samples, else the counters
    res = dom.by_id("resources")
    samples = c.get("samples") or []
    if not samples:
        by_ts = {}
        for e in events:
            if e.get("ph") == "C" and e.get("name") in ("cpu", "memory"):
                s = by_ts.setdefault(e["ts"], {})
                s.update(e["args"])
        samples = list(by_ts.values())
    rss = [s["rss_mb"] for s in samples if "rss_mb" in s]
    cpu = [s["cpu_percent"] for s in samples if "cpu_percent" in s]
    R.check(int(res.attrs["data-samples"]) == len(samples) and
            (close(res.attrs["data-max-rss-mb"], max(rss)) if rss else res.attrs["data-max-rss-mb"] == "") and
            (close(res.attrs["data-max-cpu"], max(cpu)) if cpu else res.attrs["data-max-cpu"] == ""),
            name + " CPU and RSS series from the samples", str(res.attrs))
    R.check(len(dom.find("polyline", "cpu-line", res)) == (1 if cpu else 0) and
            len(dom.find("polyline", "rss-line", res)) == (1 if rss else 0),
            name + " CPU and RSS lines drawn")

    # memory plan
    duration = max([c["duration_s"]] + [(e["ts"] + e["dur"]) / 1e6 for e in tasks])
    R.check(close(dom.by_id("plan").attrs["data-peak-bytes"], plan_peak(c["buffers"], duration)),
            name + " plan curve peak", dom.by_id("plan").attrs.get("data-peak-bytes"))
    bufs = dom.find("g", "buf", dom.by_id("buffers"))
    got = [(b.attrs["data-name"], int(b.attrs["data-bytes"]), float(b.attrs["data-alloc"]),
            b.attrs["data-free"]) for b in bufs]
    want = [(b["name"], b["bytes"], b["alloc_s"], "exit" if b["free_s"] is None else b["free_s"])
            for b in c["buffers"]]
    R.check(len(got) == len(want) and all(g[:2] == w[:2] and close(g[2], w[2]) and
                                          (g[3] == w[3] if w[3] == "exit" else close(g[3], w[3]))
                                          for g, w in zip(got, want)),
            name + " one bar per buffer with its bytes and times", str(got)[:300])

    # fused graph
    mgroups = c["manifest"]["groups"]
    nodes = dom.find("g", "gnode", dom.by_id("graph"))
    R.check(sorted((int(n.attrs["data-group"]), int(n.attrs["data-tasks"]), n.attrs["data-tiles"])
                   for n in nodes) ==
            sorted((g["id"], g["tasks"], ",".join(map(str, g.get("tiles", [])))) for g in mgroups),
            name + " graph: a box per group with its tasks and tiles")
    want_edges, ids = set(), {g["id"] for g in mgroups}
    for g in mgroups:  # buffer k is group k's; other buffers (ids past the groups) draw no edge
        for f in g.get("frees", []) + g.get("reads", []):
            if f != g["id"] and f in ids:
                want_edges.add((f, g["id"]))
        if g.get("in_place_over", -1) in ids - {g["id"]}:
            want_edges.add((g["in_place_over"], g["id"]))
    got_edges = {(int(p.attrs["data-from"]), int(p.attrs["data-to"]))
                 for p in dom.find("path", "gedge", dom.by_id("graph"))}
    R.check(got_edges == want_edges, name + " graph edges from frees/reads/in_place_over",
            "%s != %s" % (sorted(got_edges), sorted(want_edges)))
    links = [a.attrs.get("href") for a in dom.find("a", None, dom.by_id("graph"))]
    R.check(sorted(links) == sorted("#grp-%d" % g["id"] for g in mgroups) and
            all(dom.by_id(h[1:]) is not None for h in links), name + " graph boxes link to their rows")
    for n in nodes:
        k = int(n.attrs["data-group"])
        line = next(g["line"] for g in c["groups"] if g["id"] == k)
        if line not in n.text:
            R.check(False, name + " graph box g%d shows its script line" % k, n.text)
            break
    else:
        R.check(True, name + " graph boxes show their script lines")

    # per-group table
    measured = {g["id"]: g for g in c["groups"]}
    bad = []
    for g in mgroups:
        tr = dom.by_id("grp-%d" % g["id"])
        if tr is None:
            bad.append((g["id"], "no row"))
            continue
        cells = {cls: x for x in tr.children if x.tag == "td"
                 for cls in (x.attrs.get("class") or "").split()}
        m = measured[g["id"]]
        if not close(cells["tasks"].attrs.get("data-value", "nan"), m["tasks"]):
            bad.append((g["id"], "tasks"))
        if not close(cells["busy"].attrs.get("data-value", "nan"), m["busy_s"]):
            bad.append((g["id"], "busy"))
        for k in ("elements", "bytes_read", "bytes_written", "flops"):
            cell = cells[k.replace("_", "-")]
            if "cost" in g:
                if not close(cell.attrs.get("data-value", "nan"), g["cost"][k]):
                    bad.append((g["id"], k))
            elif cell.text != "—" or "data-value" in cell.attrs:
                bad.append((g["id"], k, "not a dash"))
        if m["line"] not in tr.text:
            bad.append((g["id"], "line"))
    R.check(not bad, name + " group table: tasks, busy time, predicted cost", str(bad))


def check_screenshot(R, name, page, dom, d):
    boxes = {}
    for i in ("task-stream", "resources", "plan", "buffers", "graph"):
        boxes[i] = [int(v) for v in dom.by_id(i).attrs["data-box"].split(",")]
    height = max(b[1] + b[3] for b in boxes.values()) + 20
    # the window is taller than the viewport the screenshot shows (the dump ran in a 1000 high one)
    extra = 1000 - int(dom.find("body")[0].attrs["data-viewport"])
    png = os.path.join(d, name + ".png")
    _, console, rc = chromium(page, d, "--window-size=%d,%d" % (WIDTH, height + extra),
                              "--screenshot=" + png)
    if not R.check(rc == 0 and os.path.exists(png), name + " screenshot taken", str(console)):
        return
    px = png_pixels(png)
    R.check(px.shape[0] >= height - 1 and px.shape[1] == WIDTH, name + " screenshot size",
            str(px.shape))
    for i, (x, y, w, h) in boxes.items():
        region = px[y:y + h, x:x + w]
        drawn = np.count_nonzero(np.any(region < 235, axis=2))
        R.check(region.size and drawn > 0.02 * w * h, name + " plot %s is not blank" % i,
                "%d of %d pixels drawn" % (drawn, w * h))


def check_page(R, name, trace, d, driver, screenshot=True):
    """Writes trace into the report page with the driver, then check_loaded."""
    page, err = write_page(driver, trace, d, name)
    if not R.check(page is not None, name + " page written", err):
        return None
    return check_loaded(R, name, page, trace, d, screenshot)


def check_loaded(R, name, page, trace, d, screenshot=True):
    """Loads page (a report written from trace, e.g. by a program's --report) in Chromium
    and compares what it shows with trace; returns the DOM."""
    # the screenshot's width, so that the plots' boxes recorded in the DOM are where it shows them
    out, console, rc = chromium(page, d, "--window-size=%d,1000" % WIDTH, "--dump-dom")
    R.check(rc == 0 and not console, name + " loads with no console message", short("\n".join(console)))
    dom = Dom(out)
    if not R.check(dom.by_id("report") is not None and dom.by_id("sum-tasks") is not None,
                   name + " DOM dumped", short(out)):
        return None
    check_numbers(R, name, dom, trace)
    if screenshot:
        check_screenshot(R, name, page, dom, d)
    return dom


def check_program(R, d):
    """A real run: the seed example compiled by cdaskc, run on 2 threads with --report and
    --profile together (one run, one record): the page shows the trace's numbers."""
    script = ('local da = require("cdask.array")\n'
              'local a = da.random.normal(0, 1, {3000, 3000}, {chunks = {500, 500}, seed = 3})\n'
              'da.to_npy((a.T + a):mean(0), "r.npy")\n')
    with open(os.path.join(d, "seed_run.lua"), "w") as f:
        f.write(script)
    r = run([os.path.join(BUILD, "cdaskc"), "seed_run.lua", "-o", "seed_run"], cwd=d)
    if not R.check(r.returncode == 0, "program compiles", short(r.stderr)):
        return
    p = run([os.path.join(d, "seed_run"), "--threads", "2", "--report", "run.html", "--profile",
             "run.json"], cwd=d)
    if not R.check(p.returncode == 0, "program runs with --report", short(p.stderr)):
        return
    with open(os.path.join(d, "run.json")) as f:
        trace = json.load(f)
    check_loaded(R, "program", os.path.join(d, "run.html"), trace, d)


def check_script_injection(R, d, driver):
    evil = 'x</script><script>document.body.setAttribute("data-pwned","1")</script><!--<script>'
    trace = fixture_trace(script=evil)
    trace["cdask"]["buffers"][0]["name"] = "</SCRIPT ><!-- -->"
    dom = check_page(R, "injection", trace, d, driver, screenshot=False)
    if dom is None:
        return
    body = dom.find("body")[0]
    R.check("data-pwned" not in body.attrs, "injection: no script of the data ran")
    raw = open(os.path.join(d, "injection.html"), encoding="utf-8").read()
    template = open(os.path.join(SRC, "templates", "report.html"), encoding="utf-8").read()
    R.check(raw.lower().count("</script") == template.lower().count("</script"),
            "injection: the data adds no </script to the file")


def check_template_alone(R, d):
    page = os.path.join(SRC, "templates", "report.html")
    out, console, rc = chromium(page, d, "--dump-dom")
    dom = Dom(out)
    R.check(rc == 0 and not console, "template alone: no console message", short("\n".join(console)))
    R.check(dom.by_id("notice") is not None and "hidden" not in dom.by_id("notice").attrs and
            "hidden" in dom.by_id("report").attrs, "template alone: shows its notice")


def check_no_network(R):
    text = open(os.path.join(SRC, "templates", "report.html"), encoding="utf-8").read()
    low = text.lower()
    R.check("http://" not in low.replace("http://www.w3.org/2000/svg", "") and "https://" not in low
            and "@import" not in low and " src=" not in low, "template refers to nothing outside")
    R.check(len(text.encode()) < 40000, "template under 40 KB", str(len(text.encode())))


def main():
    R = Results()
    d = tempdir("report")
    try:
        driver = build_driver(d)
        check_no_network(R)
        check_page(R, "fixture", fixture_trace(), d, driver)
        no_samples = fixture_trace()
        no_samples["cdask"]["samples"] = []  # CPU and RSS then come from the counters
        check_page(R, "counters", no_samples, d, driver, screenshot=False)
        check_script_injection(R, d, driver)
        check_template_alone(R, d)
        check_program(R, d)
    finally:
        rmtree(d)
    return R.finish()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write-fixture":
        with open(sys.argv[2], "w") as f:  # for scripts/diagnostics-screenshots.sh
            json.dump(fixture_trace(), f)
        sys.exit(0)
    sys.exit(main())
