"""The pass table (compiler/lower.c) on the command line: --help lists its passes, an
unknown --dump-after names them, and --dump-after=chunk / --dump-after=memplan print the
graph as --dump-after=fuse does, then what the pass decided, for a script whose tiles and
buffers are worked out by hand below."""

import os
import re
import sys
import tempfile

from cdask_testlib import CDASKC, Results, run

PASSES = ["frontend", "simplify", "hermitian", "cull", "fuse", "chunk", "memplan"]

SCRIPT = """local da = require("cdask.array")
local x = da.random.normal(0, 1, {1000, 1000}, {chunks = {10, 10}, seed = 1})
local s = (x * x):sum(1)
da.to_npy(s * 2 + s, "w.npy")
da.to_npy(da.cumsum(x, 1):sum(0), "c.npy")
"""

# Group 0, (x * x):sum(1): (10,10) tiles are 100 elements, 10^4 of them, so the innermost
# axis doubles while there are more than 1024: 20 (5000), 40 (2500), 80 (100 * 13 = 1300),
# 160 (100 * 7 = 700). Group 1, s * 2 + s over (1000,) in chunks of 10: 100 tiles, kept.
# Group 2, cumsum along axis 1: tiles span it, (10,1000), 100 of them (not more than
# 1024: no grouping). Group 3, its sum(0): as group 0.
TILES = """\
group 0 tiles: (10,160) from chunks (10,10), 700 over [0:1000, 0:1000]; chunks grouped: tasks too small to hide their overhead
group 1 tiles: (10,) from chunks (10,), 100 over [0:1000]; the chunks
group 2 tiles: (10,1000) from chunks (10,10), 100 over [0:1000, 0:1000]; the chunks, each tile spanning the scanned axis
group 3 tiles: (10,160) from chunks (10,10), 700 over [0:1000, 0:1000]; chunks grouped: tasks too small to hide their overhead
"""

# s dies in group 1, which reads it elementwise at the same index: written over in place.
# The cumsum (group 2) dies after group 3. Live bytes: 8000 (s), 8000 (group 1 in place),
# 8000 + 8 * 10^6 (the cumsum), + 8000 (the sum) = 8016000 at the peak.
MEMORY = """\
group 0 memory: donor none, frees none
group 1 memory: donor group 0, frees none
group 2 memory: donor none, frees none
group 3 memory: donor none, frees group 2
peak_bytes 8016000 (8.02 MB)
"""


def main():
    r = Results()
    h = run([CDASKC, "--help"])
    m = re.search(r"--dump-after=PASS   print the graph after PASS, one of:\n((?: {24}\S.*\n)+)",
                  h.stdout)
    listed = [line.split()[0] for line in m.group(1).splitlines()] if m else []
    r.check(h.returncode == 0 and listed == PASSES, "--help lists the passes in order",
            str(listed))
    r.check(m is not None and all(len(line.split(None, 1)) == 2 for line in m.group(1).splitlines()),
            "each with a summary")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "p.lua"), "w") as f:
            f.write(SCRIPT)
        p = run([CDASKC, "p.lua", "--emit-c", "p.c", "--dump-after=schedule"], cwd=d)
        r.check(p.returncode == 2 and p.stderr == "cdaskc: unknown pass 'schedule' for "
                "--dump-after (%s)\n" % ", ".join(PASSES), "an unknown pass: exit 2, the names",
                p.stderr)
        r.check(not os.path.exists(os.path.join(d, "p.c")), "nothing written then")
        dumps = {}
        for name in ("fuse", "chunk", "memplan"):
            q = run([CDASKC, "p.lua", "--emit-c", "p.c", "--dump-after=" + name], cwd=d)
            r.check(q.returncode == 0 and q.stderr.startswith("== after %s\n" % name),
                    "--dump-after=%s" % name, q.stderr[:300])
            dumps[name] = q.stderr.split("\n", 1)[1] if "\n" in q.stderr else ""
        graph = dumps["fuse"]
        r.check(graph.count("\ngroup ") == 4 and graph.endswith("ends in a reduction (sum)\n"),
                "fuse: the graph and its four groups", graph)
        # after chunk, the groups count their tiles, not the user's chunks (10^4 of them)
        counts = iter(["700", "100", "100", "700"])
        tiled = re.sub(r"^(group \d+: sink t\d+, )\d+", lambda g: g.group(1) + next(counts),
                       graph, flags=re.M)
        r.check("10000 tiles" in graph and tiled != graph, "fuse counts the user's chunks")
        r.check(dumps["chunk"] == tiled + TILES, "chunk: the graph, then the tiles",
                dumps["chunk"])
        r.check(dumps["memplan"] == tiled + MEMORY, "memplan: the graph, then the buffers",
                dumps["memplan"])
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
