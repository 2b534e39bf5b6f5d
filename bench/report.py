"""Render the results: machine description and the Markdown table."""
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field

SIMD_FLAGS = {"sse4_2", "avx", "avx2", "fma", "avx512f"}
ENGINE_LABEL = {"cdask": "cdask", "dask": "Dask", "numpy": "NumPy"}


@dataclass
class Outcome:
    """All runs of one pipeline under one engine."""
    name: str
    engine: str
    walls: list = field(default_factory=list)
    rss_kib: list = field(default_factory=list)
    compute: list = field(default_factory=list)   # in-process seconds (Python engines)
    status: str = None                              # why it has no (or too few) runs

    def median(self):
        return statistics.median(self.walls) if self.walls else None


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def proc_field(path, key):
    with open(path) as f:
        for line in f:
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    return "unknown"


def _first_touch():
    """GB/s of writing 1 GiB of freshly allocated memory, and of writing it again."""
    import time
    import numpy
    a = numpy.empty(2**27)
    t0 = time.perf_counter()
    a.fill(1.0)
    t1 = time.perf_counter()
    a.fill(2.0)
    t2 = time.perf_counter()
    return 2**30 / 1e9 / (t1 - t0), 2**30 / 1e9 / (t2 - t1)


def machine(threads, root, rss_floor_kib):
    """Describe the machine; call it before the runs (it times a first touch of memory)."""
    import dask
    import numpy
    mem_kib = int(proc_field("/proc/meminfo", "MemTotal").split()[0])
    head = first_line(["git", "-C", root, "rev-parse", "--short", "HEAD"])
    fresh, warm = _first_touch()
    dirty = first_line(["git", "-C", root, "status", "--porcelain"]) != "unknown"
    return [
        f"nproc: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))}); threads per engine: {threads}",
        f"CPU: {proc_field('/proc/cpuinfo', 'model name')}; SIMD: "
        + " ".join(f for f in proc_field("/proc/cpuinfo", "flags").split() if f in SIMD_FLAGS),
        f"memory: {mem_kib / 2**20:.1f} GiB; writing fresh pages: {fresh:.2f} GB/s, "
        f"rewriting them: {warm:.2f} GB/s (see README: memory first touch)",
        f"peak RSS floor (an empty program, measured like the runs): {rss_floor_kib / 1024:.1f} MB",
        f"load average (1 min) at start: {os.getloadavg()[0]:.2f} (other work on the machine skews times)",
        f"kernel: {platform.system()} {platform.release()}",
        f"gcc: {first_line(['gcc', '--version'])}",
        f"Python {platform.python_version()}, numpy {numpy.__version__}, dask {dask.__version__}",
        f"cdask tree: {head}{' (uncommitted changes)' if dirty else ''}",
    ]


def _fmt(x, spec=".2f"):
    return "—" if x is None else format(x, spec)


def table(outcomes):
    head = ("| pipeline | engine | median wall s | min | max | peak RSS MB | in-process s "
            "| ratio Dask/cdask | ratio NumPy/cdask | note |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for o in outcomes:
        ratios = ["—", "—"]
        if o.engine == "cdask" and o.median():
            for i, other in enumerate(["dask", "numpy"]):
                m = next((p.median() for p in outcomes if p.name == o.name and p.engine == other), None)
                ratios[i] = _fmt(m / o.median() if m else None)
        w = o.walls
        rss = max(o.rss_kib) / 1024 if o.rss_kib else None
        cpu = statistics.median(o.compute) if o.compute else None
        lines.append(f"| {o.name} | {ENGINE_LABEL[o.engine]} | {_fmt(o.median())} "
                     f"| {_fmt(min(w) if w else None)} | {_fmt(max(w) if w else None)} "
                     f"| {_fmt(rss, '.0f')} | {_fmt(cpu)} | {ratios[0]} | {ratios[1]} "
                     f"| {o.status or ''} |")
    return "\n".join(lines)


def document(command, machine_lines, table_md, sections):
    parts = ["# cdask benchmark results", "", "Command:", "", "```", command, "```", "",
             "## Machine", ""] + [f"- {m}" for m in machine_lines] + ["", "## Results", "", table_md, ""]
    for title, lines in sections:
        if lines:
            parts += [f"## {title}", ""] + [f"- {x}" for x in lines] + [""]
    return "\n".join(parts) + "\n"
