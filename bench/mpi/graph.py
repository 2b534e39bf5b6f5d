"""bench/mpi/graph.py: a pipeline's fused groups as cdaskc plans them, and what each group
exchanges between P ranks, for bench/mpi/model.py (docs/scaling.md).

`cdaskc SCRIPT --mpi --emit-c X.c --dump-fused X.json` gives the graph: the fused groups
and their nodes (X.json), the manifest compiled into the program (X.c's `cd_manifest`:
each group's domain, tiles, tasks and predicted cost, the memory plan's peak) and the
exchanges the built program makes (X.c's calls, read by exchange.py: per group and rank the
exact bytes runtime/mpi.c counts). The owner-computes volumes (planned, not built) are the
formulas below, from the fused graph. Nothing here runs the program."""
import ast
import json
import math
import os
import re
import subprocess
from dataclasses import dataclass, field

import exchange

ITEMSIZE = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4,
            "uint32": 4, "float32": 4, "int64": 8, "uint64": 8, "float64": 8,
            "complex64": 8, "complex128": 16}
# ops that read another element than the one they write (in the owner-computes plan
# (planned), a group reading another group's stored array through them needs its data moved)
MOVING_OPS = {"view", "concatenate", "reshape", "transpose", "roll", "stack", "rechunk"}


@dataclass
class Group:
    """One fused group, with what it exchanges. Bytes are whole-array sizes; the per-rank
    volumes for P ranks are the functions below."""
    id: int
    kind: str          # "reduce", "transform", "task" (delayed: rank 0 runs it), "store", or
    #                    "inline" (computed inside its reader's tiles: into their halo boxes,
    #                    or streamed block by block; no buffer of its own is exchanged)
    name: str          # the sink, e.g. "mean"
    tiles: int         # the group's tiles (the units shared by ranks)
    tasks: int         # the program's tasks for it (manifest)
    elements: int      # predicted cost (compiler/cost.c)
    flops: int
    buffer_bytes: int  # the stored result (for a reduction, its output)
    exchange_bytes: int  # the array exchanged: the buffer (stores), the partials
    #                      (reductions), the transform's complex array (owner-computes)
    partial_bytes: int = 0   # reductions, owner-computes: the size of one partial message
    reduce_tree: bool = True  # reductions, owner-computes: a tree (else one round at run ends)
    transform_axes: int = 0  # transforms: axes transformed (1 transpose between two passes)
    moved_reads: int = 0     # bytes of other groups' arrays read through views (owner-computes)
    halo_bytes: int = 0      # map_overlap of a stored array: a rank's two faces (owner-computes)
    reads: list = field(default_factory=list)     # the groups it reads
    read_by: list = field(default_factory=list)   # the groups that read it
    program: exchange.Program = None  # the built program's exchanges (emitted C)

    @property
    def units(self):
        """What the compute time scales with: flops for transforms (5 N log2 N), elements
        for the rest (their flops per element do not change with the size)."""
        return max(1, self.flops if self.kind == "transform" else self.elements)


def manifest_of(c_text):
    """The JSON manifest the emitted C carries (`static const char cd_manifest[] = "..." ...;`)."""
    m = re.search(r"static const char cd_manifest\[\] =\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+);", c_text)
    if not m:
        raise ValueError("no cd_manifest in the emitted C")
    parts = re.findall(r"\"(?:[^\"\\]|\\.)*\"", m[1])
    return json.loads("".join(ast.literal_eval(p) for p in parts))


def cdaskc_graph(cdaskc, script, cwd):
    """Runs cdaskc --mpi --emit-c on script in cwd (where its .npy inputs are); returns
    (manifest, fused graph, exchange.Program of the emitted C)."""
    c, j = os.path.join(cwd, "graph.c"), os.path.join(cwd, "graph.json")
    r = subprocess.run([cdaskc, script, "--mpi", "--emit-c", c, "--dump-fused", j], cwd=cwd,
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"cdaskc {script} failed: {r.stderr.strip()[-500:]}")
    with open(c) as f:
        text = f.read()
    with open(j) as f:
        return manifest_of(text), json.load(f), exchange.Program(text)


def _axes(label, ndim):
    m = re.search(r"axes=\(([\d, ]*)\)", label)
    return [int(a) for a in m[1].replace(" ", "").split(",") if a] if m else list(range(ndim))


def _bytes(node):
    return math.prod(node["shape"]) * ITEMSIZE[node["dtype"]]


def _moved_reads(g, nodes):
    """Bytes of other groups' arrays this group reads through a view, concatenation or
    reshape (directly or through a chain of them)."""
    seen, total = set(), 0

    def walk(nid):
        nonlocal total
        for i in nodes[nid]["inputs"]:
            src = nodes[i]
            if src["group"] != g["id"] and src["group"] >= 0 and i not in seen:
                seen.add(i)
                total += _bytes(src)
            elif src["group"] == g["id"] and src["op"] in MOVING_OPS:
                walk(i)
    for nid in sorted(set(g["fuses"]) | {g["sink"]}):
        if nodes[nid]["op"] in MOVING_OPS:
            walk(nid)
    return total


def _halos(g, nodes, mgroups):
    """map_overlap of another group's stored array (not one computed into the halo boxes or
    streamed): owner-computes, a rank owning a block of whole rows fetches its two faces,
    depth rows each, from its neighbours (halo_bytes)."""
    total = 0
    for nid in sorted(set(g["fuses"]) | {g["sink"]}):
        n = nodes[nid]
        m = re.match(r"map_overlap \S+ depth=\((\d+)", n["label"])
        if not m:
            continue
        for i in n["inputs"]:
            src = nodes[i]
            k = src["group"]
            if k >= 0 and k != g["id"] and not mgroups[k].get("in_halos") and \
                    mgroups[k].get("streamed_into", -1) < 0:
                total += halo_bytes(src["shape"], ITEMSIZE[src["dtype"]], int(m[1]), 2)
    return total


def groups_of(manifest, fused, program=None):
    """The groups of a pipeline with their exchanges, from the manifest and the fused graph
    (and the built program's exchanges, from the emitted C)."""
    nodes = {n["id"]: n for n in fused["nodes"]}
    out = []
    for mg, fg in zip(manifest["groups"], fused["groups"]):
        sink, why = nodes[fg["sink"]], mg["why"]
        cost = mg["cost"]
        g = Group(id=mg["id"], kind="store", name=mg["sink"], tiles=fg["tiles"],
                  tasks=mg["tasks"], elements=cost["elements"], flops=cost["flops"],
                  buffer_bytes=_bytes(sink), exchange_bytes=_bytes(sink),
                  reads=list(fg["reads_groups"]), program=program)
        if why.startswith("ends in a reduction"):
            # partials: one output-sized array per tile position along the reduced axes,
            # float64 (complex128 for complex sums) whatever the output's dtype
            dom, tile = mg["domain"], mg["tiles"]
            axes = _axes(sink["label"], len(dom))
            kept = [a for a in range(len(dom)) if a not in axes]
            per = math.prod(-(-dom[a] // tile[a]) for a in axes)
            item = 16 if sink["dtype"].startswith("complex") else 8
            out_bytes = math.prod(sink["shape"]) * item
            g.kind, g.exchange_bytes = "reduce", per * out_bytes
            # owner-computes: a rank's tiles are a contiguous run of the row-major tile
            # order. When the reduced axes come last and some are kept, a rank's run covers
            # whole output chunks but at its two ends: it sends those two chunks' partials,
            # once. Else (a reduction over leading axes, or over all) every rank holds a
            # partial of the whole output, combined up a tree in O(log P) rounds.
            if kept and min(axes) > max(kept):
                g.partial_bytes = out_bytes // math.prod(-(-dom[a] // tile[a]) for a in kept)
                g.reduce_tree = False
            else:
                g.partial_bytes = out_bytes
        elif why.startswith("ends in a transform"):
            # the transform's complex array: the buffer of a real-to-complex transform (it
            # runs in place), else the complex input over the group's domain
            g.kind = "transform"
            g.transform_axes = 2 if "fft2" in sink["label"] else (
                len(sink["shape"]) if "fftn" in sink["label"].split(" as ")[0] else 1)
            if "irfft" in sink["label"] or "c2r" in sink["label"]:
                g.exchange_bytes = math.prod(mg["domain"]) * 16
        elif "task" in why or sink["op"] in ("delayed", "task"):
            g.kind = "task"
        if mg.get("in_halos") or mg.get("streamed_into", -1) >= 0:
            g.kind, g.exchange_bytes = "inline", 0
        g.halo_bytes = _halos(fg, nodes, {x["id"]: x for x in manifest["groups"]})
        g.moved_reads = min(_moved_reads(fg, nodes), cost["bytes_read"])  # a slice reads less
        out.append(g)
    for g in out:
        for r in g.reads:
            out[r].read_by.append(g.id)
    return out


def files_of(fused):
    """(bytes of the .npy inputs read, bytes of the .npy outputs written)."""
    nodes = {n["id"]: n for n in fused["nodes"]}
    read = sum(_bytes(n) for n in nodes.values() if n["op"] == "from_npy")
    written = sum(_bytes(nodes[n["inputs"][0]]) for n in nodes.values() if n["op"] == "to_npy")
    return read, written


# Per-rank volumes for P ranks (bytes each rank sends; what it receives is the same but
# where said): the owner-computes plan's formulas.
def allreduce_bytes(n, p):
    """A ring allreduce of n bytes: 2 n (P-1) / P each way (runtime/mpi.c's count)."""
    return 2 * (n // p) * (p - 1)


def alltoall_bytes(n, p):
    """One transpose of an n-byte array split by rank: each rank sends (P-1)/P^2 of it."""
    return n * (p - 1) // (p * p)


def tree_messages(p):
    """A binary tree over P ranks: ceil(log2 P) rounds of one message."""
    return math.ceil(math.log2(p)) if p > 1 else 0


def built_traffic(g, p):
    """What group g of the built program (cdaskc --mpi) sends and receives on each of p
    ranks: ([sent per rank], [received per rank], peers), exactly runtime/mpi.c's counts
    (exchange.py; tests/py/test_scaling_exchanges.py checks them against --stats)."""
    if g.program is None:
        raise ValueError(f"g{g.id}: no emitted program to read the exchanges from")
    return g.program.traffic(g.id, p)


def built_bytes(g, p):
    """The most bytes one rank sends or receives in group g of the built program."""
    if p == 1:
        return 0
    sent, recv, _ = built_traffic(g, p)
    return max(sent + recv)


def owner_bytes(g, p):
    """What each rank sends in group g under the planned owner-computes plan (not built): a rank
    holds its tiles' part of each array; reductions send O(log P) output-sized partials
    (two output-chunk partials when the reduced axes come last), transforms transpose once
    per axis (the output left in the readers' layout), aligned readers move nothing, reads
    through views move the rank's share of the array read."""
    if p == 1:
        return 0
    if g.kind == "task":
        return g.buffer_bytes
    sent = g.moved_reads // p + g.halo_bytes
    if g.kind == "reduce" and not g.reduce_tree:
        sent += 2 * g.partial_bytes
    elif g.kind == "reduce":  # up the tree to rank 0; down again if another group reads it
        sent += tree_messages(p) * g.partial_bytes * (2 if g.read_by else 1)
    elif g.kind == "transform":
        sent += g.transform_axes * alltoall_bytes(g.exchange_bytes, p)
    return sent


def halo_bytes(shape, itemsize, depth, p):
    """map_overlap owner-computes, a rank owning a block of whole rows: its two faces, depth
    rows each (the first and last ranks have one: counted as two)."""
    row = math.prod(shape[1:]) * itemsize
    return 2 * depth * row if p > 1 else 0
