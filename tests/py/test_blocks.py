"""Random arrays read through transposed or reversed views (compiler/emit_block.c): a task
generates them in blocks, walks its tile in sub-boxes that fit L2, computes the mirror tile
(and, on a tile that is its own mirror, the mirror sub-box) from the same blocks.

The exact property: none of this may change a bit. Program "blocked" computes every
pipeline from the random arrays (the block path) and writes the arrays too; program "plain"
is the same script compiled with CDASKC_NO_BLOCKS=1 (strips read the views directly);
program "stored" reads the arrays with da.from_npy, same chunks (blocks read from the
file, a pread per row). All have the same tile grid, so every result must be bitwise equal,
on 1 and 3 threads. The arrays then give NumPy's values (the oracle, to rounding). The emitted C is checked for the
paths each case is meant to take (sub-box walks, mirror tiles, self-mirror sub-boxes)."""

import os
import re

import numpy as np

from cdask_testlib import CDASKC, Results, rmtree, run, tempdir

# name -> (Lua expression, NumPy reference over the stored arrays A B C D E)
CASES = [
    # a.T + a: square tiles of 1000 (sub-boxes, mirror tiles, self-mirror diagonal)
    ("tadd_mean0", "(A.T + A):mean(0)", lambda s: (s["A"].T + s["A"]).mean(0)),
    ("tadd_mean1", "(A.T + A):mean(1)", lambda s: (s["A"].T + s["A"]).mean(1)),
    ("tmul_sum", "(A.T * A):sum()", lambda s: (s["A"].T * s["A"]).sum()),
    ("tadd_store", "A.T + A", lambda s: s["A"].T + s["A"]),
    ("tsub_cumsum1", "(A.T - A):cumsum(1)", lambda s: np.cumsum(s["A"].T - s["A"], 1)),
    ("targmax0", "(A.T + A):argmax(0)", lambda s: (s["A"].T + s["A"]).argmax(0)),
    # b[::-1, ::-1]: tiles dividing the shape (rows of sub-boxes, reversed mirror)
    ("revmul_mean", '(B * B["::-1, ::-1"]):mean()', lambda s: (s["B"] * s["B"][::-1, ::-1]).mean()),
    ("revmul_mean0", '(B * B["::-1, ::-1"]):mean(0)',
     lambda s: (s["B"] * s["B"][::-1, ::-1]).mean(0)),
    ("revmul_max", '(B * B["::-1, ::-1"]):max()', lambda s: (s["B"] * s["B"][::-1, ::-1]).max()),
    ("revadd_store", 'B + B["::-1, ::-1"] * 0.5', lambda s: s["B"] + s["B"][::-1, ::-1] * 0.5),
    # chunks that do not divide the shape: partial tiles, partial sub-boxes
    ("odd_tadd_mean0", "(C.T + C):mean(0)", lambda s: (s["C"].T + s["C"]).mean(0)),
    ("odd_tadd_store", "C.T + C * 2", lambda s: s["C"].T + s["C"] * 2),
    ("odd_tadd_var0", "(C.T + C):var(0)", lambda s: (s["C"].T + s["C"]).var(0)),
    # 3-D: axes 0 and 2 exchanged
    ("t3_mean0", "(D + D:transpose({2, 1, 0})):mean(0)",
     lambda s: (s["D"] + s["D"].transpose(2, 1, 0)).mean(0)),
    ("t3_sum2", "(D * D:transpose({2, 1, 0})):sum(2)",
     lambda s: (s["D"] * s["D"].transpose(2, 1, 0)).sum(2)),
    # one transposed view (blocks, no mirror)
    ("single_mean0", "(E.T * 3):mean(0)", lambda s: (s["E"].T * 3).mean(0)),
    ("single_sum", "E.T:sum()", lambda s: s["E"].T.sum()),
]

ARRAYS = """local A = da.random.normal(0, 1, {2000, 2000}, {chunks = {1000, 1000}, seed = 1})
local B = da.random.normal(0, 1, {2000, 3000}, {chunks = {1000, 1000}, seed = 2})
local C = da.random.normal(0, 1, {1500, 1500}, {chunks = {700, 700}, seed = 3})
local D = da.random.uniform(-1, 1, {120, 120, 120}, {chunks = {120, 120, 120}, seed = 4})
local E = da.random.normal(0, 1, {2000, 1000}, {chunks = {1000, 1000}, seed = 5})
"""


def script(stored):
    arrays = ARRAYS
    if stored:  # the same names and chunks, from the files the blocked program wrote
        arrays = re.sub(r"da\.random\.\w+\([^{]*(\{[^}]*\}), \{chunks = (\{[^}]*\}), seed = \d+\}\)",
                        lambda m: "da.from_npy(NAME, {chunks = %s})" % m.group(2), arrays)
        arrays = "\n".join(line.replace("NAME", '"%s.npy"' % line.split()[1])
                           for line in arrays.splitlines())
    lines = ['local da = require("cdask.array")', arrays]
    for name, expr, _ in CASES:
        lines.append('da.to_npy(%s, "%s.npy")' % (expr, name))
    if not stored:
        for a in "ABCDE":
            lines.append('da.to_npy(%s, "%s.npy")' % (a, a))
    return "\n".join(lines) + "\n"


def build(r, d, name, stored, env=None):
    with open(os.path.join(d, name + ".lua"), "w") as f:
        f.write(script(stored))
    p = run([CDASKC, name + ".lua", "-o", name], cwd=d, timeout=600,
            env=dict(os.environ, **env) if env else None)
    r.check(p.returncode == 0, "%s compiles" % name, p.stderr[-2000:])
    return p.returncode == 0


def run_prog(r, d, name, threads):
    out = os.path.join(d, "%s_%s" % (name, threads))
    os.makedirs(out)
    p = run([os.path.join(d, name), "--threads", threads, "--out", out], cwd=d, timeout=300)
    r.check(p.returncode == 0, "%s runs on %s threads" % (name, threads), p.stderr[-2000:])
    return out


def check_paths(r, d):
    """The C of the blocked program takes the paths the cases are there for."""
    with open(os.path.join(d, "blocked.c")) as f:
        c = f.read()
    with open(os.path.join(d, "stored.c")) as f:
        s = f.read()
    tasks = len(re.findall(r"static void g\d+_task\(int64_t tile\)", c))
    r.check(tasks >= 10, "blocked: the random views are generated in blocks (%d tasks)" % tasks)
    with open(os.path.join(d, "plain.c")) as f:
        p = f.read()
    r.check(re.search(r"g\d+_(task|gen)\(", p) is None, "plain: no blocks")
    r.check(len(re.findall(r"cdrt_input_read\(&cd_inputs\[\d+\], buf", s)) >= 5,
            "stored: the files are read in blocks")
    # sub-box walks shorter than the tile (the sub-box step is below the chunk)
    steps = [int(x) for x in re.findall(r"slo\[\d\] \+= (\d+)\)", c)]
    r.check(any(x < 700 for x in steps), "blocked: tiles are walked in sub-boxes %s" % steps)
    r.check("g%d_tile(mirror" in c or re.search(r"g\d+_tile\(mirror, mlo, mhi", c) is not None,
            "blocked: mirror tiles are computed from the same blocks")
    r.check(re.search(r"else if \(mlo\[0\] != slo\[0\]", c) is not None,
            "blocked: self-mirror tiles pair their sub-boxes")


def main():
    r = Results()
    d = tempdir("cdask_blocks_")
    try:
        if not (build(r, d, "blocked", False) and
                build(r, d, "plain", False, {"CDASKC_NO_BLOCKS": "1"})):
            return r.finish()
        b1 = run_prog(r, d, "blocked", "1")
        b3 = run_prog(r, d, "blocked", "3")
        for a in "ABCDE":
            os.link(os.path.join(b1, a + ".npy"), os.path.join(d, a + ".npy"))
        if not build(r, d, "stored", True):
            return r.finish()
        check_paths(r, d)
        s2 = run_prog(r, d, "stored", "2")
        p2 = run_prog(r, d, "plain", "2")
        arrays = {a: np.load(os.path.join(d, a + ".npy")) for a in "ABCDE"}
        for name, expr, ref in CASES:
            f = name + ".npy"
            got1, got3 = np.load(os.path.join(b1, f)), np.load(os.path.join(b3, f))
            want = np.load(os.path.join(p2, f))
            stored = np.load(os.path.join(s2, f))
            r.check(got1.tobytes() == got3.tobytes(), "%s: same bits on 1 and 3 threads" % name)
            r.check(stored.tobytes() == want.tobytes(), "%s: read from files = plain, bitwise" % name)
            same = got1.dtype == want.dtype and got1.shape == want.shape and \
                got1.tobytes() == want.tobytes()
            r.check(same, "%s: blocked = plain, bitwise (%s)" % (name, expr),
                    "max diff %g" % (np.max(np.abs(got1 - want)) if got1.shape == want.shape
                                     else -1))
            ref_v = np.asarray(ref(arrays))
            if np.issubdtype(ref_v.dtype, np.integer):
                ok = np.array_equal(want, ref_v)
            else:
                ok = want.shape == ref_v.shape and np.allclose(want, ref_v, rtol=1e-9, atol=1e-9)
            r.check(ok, "%s: NumPy's values" % name)
    finally:
        rmtree(d)
    return r.finish()


if __name__ == "__main__":
    raise SystemExit(main())
