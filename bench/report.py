"""Render the results: machine description and the Markdown table."""
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field

SIMD_FLAGS = {"sse4_2", "avx", "avx2", "fma", "avx512f"}
ENGINE_LABEL = {"cdask": "cdask", "handc": "hand C", "dask": "Dask", "numpy": "NumPy"}


@dataclass
class Outcome:
    """All runs of one pipeline under one engine."""
    name: str
    engine: str
    walls: list = field(default_factory=list)
    cpu: list = field(default_factory=list)       # user + system seconds
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


def cpu_model():
    """The CPU's model name, as /proc/cpuinfo gives it (the cdask programs' --stats and
    --manifest name the same)."""
    try:
        return proc_field("/proc/cpuinfo", "model name")
    except OSError:
        return platform.processor() or "unknown"


def simd_choice(stderr):
    """What a cdask program's --stats says of its vector kernels: (calibration seconds or
    None, ["kernel isa (measured ...)", ...])."""
    cal, kernels = None, []
    for line in stderr.splitlines():
        if line.startswith("stats: vector kernels:") and "calibration" in line:
            words = line.split("calibration")[1].split()  # "none (no calibration)": none
            if words and words[0].replace(".", "", 1).isdigit():
                cal = float(words[0])
        elif line.startswith("stats: vector kernel "):
            kernels.append(line[len("stats: vector kernel "):].replace(": ", " ", 1))
    return cal, kernels


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
        f"CPU: {cpu_model()}; SIMD: "
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


def gmean(xs):
    """The geometric mean of positive ratios."""
    import math
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def _fmt(x, spec=".2f"):
    return "—" if x is None else format(x, spec)


def _median_of(outcomes, name, engine):
    return next((o.median() for o in outcomes if o.name == name and o.engine == engine), None)


def table(outcomes):
    head = ("| pipeline | engine | median wall s | min | max | CPU s | peak RSS MB | in-process s "
            "| cdask / hand C | ratio Dask/cdask | ratio NumPy/cdask | note |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for o in outcomes:
        ratios = ["—"] * 3
        if o.engine == "cdask" and o.median():
            hand = _median_of(outcomes, o.name, "handc")
            ratios[0] = _fmt(o.median() / hand if hand else None)
            for i, other in enumerate(["dask", "numpy"], 1):
                m = _median_of(outcomes, o.name, other)
                ratios[i] = _fmt(m / o.median() if m else None)
        w = o.walls
        rss = max(o.rss_kib) / 1024 if o.rss_kib else None
        cpu = statistics.median(o.cpu) if o.cpu else None
        inproc = statistics.median(o.compute) if o.compute else None
        lines.append(f"| {o.name} | {ENGINE_LABEL[o.engine]} | {_fmt(o.median())} "
                     f"| {_fmt(min(w) if w else None)} | {_fmt(max(w) if w else None)} "
                     f"| {_fmt(cpu)} | {_fmt(rss, '.0f')} | {_fmt(inproc)} | {' | '.join(ratios)} "
                     f"| {o.status or ''} |")
    return "\n".join(lines)


def groups(outcomes, pipelines):
    """Per group of pipelines (spec.py) and engine: slowest / fastest median wall time."""
    lines = []
    for group in sorted({p.group for p in pipelines.values() if p.group}):
        for engine, label in ENGINE_LABEL.items():
            runs = [(o.name, o.median()) for o in outcomes
                    if o.engine == engine and o.median() and pipelines[o.name].group == group]
            if len(runs) > 1:
                walls = [m for _, m in runs]
                lines.append(f"{group}, {label}: slowest / fastest {max(walls) / min(walls):.2f} ("
                             + ", ".join(f"{n} {m:.2f} s" for n, m in runs) + ")")
    return lines


def per_chunk(outcomes, pipelines):
    """cdask's median wall time divided by the number of chunks of the pipeline's array (a
    culled pipeline computes fewer)."""
    return [f"{o.name}: {pipelines[o.name].tiles} chunks of {pipelines[o.name].chunks}, "
            f"{o.median():.3f} s, {o.median() / pipelines[o.name].tiles * 1e6:.3f} µs per chunk"
            for o in outcomes if o.engine == "cdask" and o.median()]


def document(command, machine_lines, table_md, sections):
    parts = [f"# cdask benchmark results on {cpu_model()}", "", "Command:", "", "```", command,
             "```", "",
             "## Machine", ""] + [f"- {m}" for m in machine_lines] + ["", "## Results", "", table_md, ""]
    for title, lines in sections:
        if lines:
            parts += [f"## {title}", ""] + [f"- {x}" for x in lines] + [""]
    return "\n".join(parts) + "\n"
