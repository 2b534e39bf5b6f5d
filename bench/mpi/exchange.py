"""bench/mpi/exchange.py: the bytes each rank sends and receives in each group of a program
built by `cdaskc --mpi`, for any rank count P, exactly as runtime/mpi.c counts them
(cdrt_mpi_count), without running it.

The source is the emitted C (`cdaskc --mpi --emit-c`), not the fused graph: the C names
every exchange a group makes (the calls below, in gK_run and gK_transform, after
`cdrt_mpi_group(K)`), with the tile grids (gK_lo, gK_hi, gK_chunk), the arrays' shapes
(gK_written, g_in_shapeK, g_out_shapeK, the cd_buffers table) and, in gK_needs, every
reader's tiles and affine maps. The compiler already decided which exchange each group gets;
reading its decision is more robust than re-deriving it from the graph. The algorithms are
runtime/mpi.c's, runtime/mpi_exchange.c's and runtime/fft.c's, replicated:
- cdrt_mpi_complete (allreduce of n bytes): 2 (n // P) (P - 1) each way on every rank;
- cdrt_mpi_share (delayed results, broadcast): rank 0 sends n (P - 1), the others receive n;
- cdrt_mpi_gather_needs: tile t is owned by the rank whose cdrt_mpi_part(ntiles, r) holds it;
  rank q receives, from the owner of every tile it does not own, the bounding box of the
  boxes its readers' tiles read (each box the bounding box of an affine image of a reader
  tile, as cdrt_need_affine) intersected with tile t; "all" needs every tile whole; an
  output's .npy file (cdrt_need_output) needs rank q's rows of axis 0 on rank q
  (runtime/mpi_output.c: every rank writes its rows when the directory is shared, as in the
  tests and on clusters);
- cdrt_mpi_gather_tiles and cdrt_mpi_reslab: box intersections of tiles and slabs;
- the FFT calls: fft.c's passes (slab axis = the first other axis longer than 1), the tiles
  gathered into the first pass's slabs, a reslab between passes, the settle at the end.
Each exchange returns (sent, received, peers): per-rank byte lists and the most peers any
rank receives from (for the model's latency term)."""
import functools
import itertools
import math
import re

CTYPE = {"double": 8, "float": 4, "int64_t": 8, "int32_t": 4, "cdrt_c128": 16, "cdrt_c64": 8,
         "uint8_t": 1, "int8_t": 1, "uint16_t": 2, "int16_t": 2, "uint32_t": 4, "uint64_t": 8,
         "bool": 1}
DTYPE = {"CDRT_FLOAT64": 8, "CDRT_FLOAT32": 4, "CDRT_INT64": 8, "CDRT_INT32": 4,
         "CDRT_INT16": 2, "CDRT_INT8": 1, "CDRT_UINT64": 8, "CDRT_UINT32": 4, "CDRT_UINT16": 2,
         "CDRT_UINT8": 1, "CDRT_COMPLEX128": 16, "CDRT_COMPLEX64": 8, "CDRT_BOOL": 1}


def part(n, r, p):
    """cdrt_mpi_part: rank r's share [n r / P, n (r + 1) / P) of n."""
    return n * r // p, n * (r + 1) // p


def tile_cell(t, blo, bhi, chunk):
    """cdrt_tile_cell: tile t's box of the chunk grid over [blo, bhi) (row-major order)."""
    n = len(blo)
    lo, hi = [0] * n, [0] * n
    for d in range(n - 1, -1, -1):
        first = blo[d] // chunk[d]
        cnt = -(-bhi[d] // chunk[d]) - first
        c = first + t % cnt
        t //= cnt
        lo[d], hi[d] = max(c * chunk[d], blo[d]), min((c + 1) * chunk[d], bhi[d])
    return lo, hi


def vol(lo, hi):
    v = 1
    for a, b in zip(lo, hi):
        if b <= a:
            return 0
        v *= b - a
    return v


def meet(alo, ahi, blo, bhi):
    return [max(a, b) for a, b in zip(alo, blo)], [min(a, b) for a, b in zip(ahi, bhi)]


def slab(shape, axis, r, p):
    """mpi_slab: rank r's part of axis `axis`, all of the others (axis -1: everything)."""
    lo, hi = [0] * len(shape), list(shape)
    if axis >= 0:
        lo[axis], hi[axis] = part(shape[axis], r, p)
    return lo, hi


def zeros(p):
    return [0] * p, [0] * p, 0


def allreduce(n, p):
    if p == 1 or n <= 0:
        return zeros(p)
    ring = 2 * (n // p) * (p - 1)
    return [ring] * p, [ring] * p, p - 1


def bcast(n, p):
    if p == 1 or n <= 0:
        return zeros(p)
    return [n * (p - 1)] + [0] * (p - 1), [0] + [n] * (p - 1), 1


def reslab(shape, es, frm, to, p):
    """cdrt_mpi_reslab from slabs along `frm` to slabs along `to` (-1: whole everywhere)."""
    if p == 1 or frm < 0 or frm == to:
        return zeros(p)
    sent, recv = [0] * p, [0] * p
    total = math.prod(shape)
    for r in range(p):
        lf = part(shape[frm], r, p)
        lf = lf[1] - lf[0]
        if to < 0:
            rest = total // shape[frm] if shape[frm] else 0
            sent[r] = lf * rest * (p - 1) * es
            recv[r] = (shape[frm] - lf) * rest * es
        else:
            lt = part(shape[to], r, p)
            lt = lt[1] - lt[0]
            rest = math.prod(s for d, s in enumerate(shape) if d not in (frm, to))
            sent[r] = lf * (shape[to] - lt) * rest * es
            recv[r] = lt * (shape[frm] - lf) * rest * es
    return sent, recv, p - 1


def gather_tiles(shape, es, blo, bhi, chunk, ntiles, to, p):
    """cdrt_mpi_gather_tiles: each rank's tiles (cdrt_mpi_part of ntiles) to the ranks whose
    slab along `to` they meet (-1: to every rank)."""
    if p == 1:
        return zeros(p)
    sent, recv = [0] * p, [0] * p
    zero = [0] * len(shape)
    whole_lo, whole_hi = meet(blo, bhi, zero, shape)
    for r in range(p):
        a, b = part(ntiles, r, p)
        slo, shi = slab(shape, to, r, p)
        mine_in_slab = 0
        for t in range(a, b):
            clo, chi = meet(*tile_cell(t, blo, bhi, chunk), zero, shape)
            v = vol(clo, chi)
            inside = vol(*meet(clo, chi, slo, shi))
            mine_in_slab += inside
            # to every peer its slab's part of my tile: the whole tile for -1
            sent[r] += (v * (p - 1) if to < 0 else v - inside) * es
        recv[r] = (vol(*meet(whole_lo, whole_hi, slo, shi)) - mine_in_slab) * es
    return sent, recv, p - 1


def owner(ntiles, t, p):
    r = t * p // ntiles
    while r > 0 and part(ntiles, r, p)[0] > t:
        r -= 1
    while r < p - 1 and part(ntiles, r, p)[1] <= t:
        r += 1
    return r


def _grid(blo, bhi, chunk):
    first = [a // c for a, c in zip(blo, chunk)]
    count = [-(-b // c) - f for b, c, f in zip(bhi, chunk, first)]
    return first, count


def _mark(grid, blo, bhi, chunk, lo, hi, bb):
    """mpi_grid_mark: grows bb[t] (the bounding box of tile t's needed part) by
    [lo, hi) ∩ tile t for every tile t meeting [lo, hi)."""
    first, count = grid
    n = len(blo)
    rng = []
    for d in range(n):
        lo_d, hi_d = max(lo[d], blo[d]), min(hi[d], bhi[d])
        if hi_d <= lo_d:
            return
        rng.append((lo_d // chunk[d] - first[d], (hi_d - 1) // chunk[d] - first[d], lo_d, hi_d))
    cells = [[]]
    for d in range(n):  # every tile index in the range, row-major
        c0, c1 = rng[d][0], rng[d][1]
        cells = [c + [x] for c in cells for x in range(c0, c1 + 1)]
    for c in cells:
        t = 0
        for d in range(n):
            t = t * count[d] + c[d]
        box = bb.get(t)
        if box is None:
            box = bb[t] = ([math.inf] * n, [-math.inf] * n)
        for d in range(n):
            cl = (first[d] + c[d]) * chunk[d]
            cl, ch = max(cl, rng[d][2]), min(cl + chunk[d], rng[d][3])
            box[0][d], box[1][d] = min(box[0][d], cl), max(box[1][d], ch)


def affine_box(lo, hi, a, off, nout):
    """cdrt_need_affine's bounding box of the image of [lo, hi) under x -> a x + off."""
    blo, bhi = [], []
    for d in range(len(off)):
        lo_d = hi_d = off[d]
        for k in range(nout):
            c = a[d * nout + k]
            x, y = c * lo[k], c * (hi[k] - 1)
            lo_d += min(x, y)
            hi_d += max(x, y)
        blo.append(lo_d)
        bhi.append(hi_d + 1)
    return blo, bhi


def halo_index(k, n, boundary):
    """runtime/halo.c cdrt_halo_index: index k of an axis of length n mapped inside (-1:
    CONSTANT's value)."""
    if 0 <= k < n:
        return k
    if boundary == "REFLECT":
        m = k % (2 * n)
        return m if m < n else 2 * n - 1 - m
    if boundary == "PERIODIC":
        return k % n
    if boundary == "CONSTANT":
        return -1
    return 0 if k < 0 else n - 1


def bk_need(blk, i, t, glo, ghi):
    """runtime/halo.c cdrt_bk_need: the boxes output block t of a block kernel reads of its
    input i (its block with the halo, and the halo's images inside); None: all of it."""
    lo, hi = tile_cell(t, glo, ghi, blk["chunk"])
    if any(h <= l for l, h in zip(lo, hi)):
        return []
    inp = blk["in"][i]
    if inp["ndim"] == 0:
        return None
    loop_block = [0] * 32
    for d, L in enumerate(blk["loop_of"]):
        if L >= 0:
            loop_block[L] = lo[d] // blk["chunk"][d]
    parts = []
    for a in range(inp["ndim"]):
        L, n, c = a + inp["lead"], inp["shape"][a], inp["chunk"][a]
        whole = (blk["dropped"] >> L & 1) or (-(-n // c) if n else 1) == 1
        k = 0 if whole else loop_block[L]
        start, stop = (0, n) if whole else (k * c, min((k + 1) * c, n))
        bl, bh = start - inp["depth"][a], stop + inp["depth"][a]
        if inp["boundary"] == "NONE":
            bl, bh = max(bl, 0), min(bh, n)
        axis = [(max(bl, 0), min(bh, n))] if max(bl, 0) < min(bh, n) else []
        for r0, r1 in ((bl, min(bh, 0)), (max(bl, n), bh)):  # the halo below, above
            img = [j for j in (halo_index(x, n, inp["boundary"]) for x in range(r0, r1))
                   if j >= 0]
            if img:
                axis.append((min(img), max(img) + 1))
        if not axis:
            return []
        parts.append(axis)
    return [([b[0] for b in combo], [b[1] for b in combo]) for combo in itertools.product(*parts)]


def _need_boxes(needs, q, shape, p):
    """The boxes gK_needs names for rank q (affine images of its reader tiles' boxes, a
    block kernel's blocks with their halos)."""
    whole = [([0] * len(shape), list(shape))]
    if needs["all"] or (needs["root"] and q == 0):
        return whole
    boxes = []
    for rows in needs["rows"]:  # a .npy output: rank q writes its rows of axis 0
        a, b = part(rows[0], q, p)
        if b > a:
            boxes.append(([a] + [0] * (len(rows) - 1), [b] + list(rows[1:])))
    for rd in needs["readers"]:
        if rd["slab"]:  # an FFT group's tiles in its first pass's slabs: one box per rank
            w, d = rd["slab"]
            lo, hi = list(rd["lo"]), list(rd["hi"])
            s = next((e for e in range(len(w)) if e != d and w[e] > 1), -1) if p > 1 else -1
            if s >= 0:
                a, b = part(w[s], q, p)
                lo[s], hi[s] = max(lo[s], a), min(hi[s], b)
            if all(h > l for l, h in zip(lo, hi)):
                boxes += [affine_box(lo, hi, m, off, rd["n"]) for m, off in rd["maps"]]
            continue
        a, b = part(rd["ntiles"], q, p)
        for t in range(a, b):
            for blk, i in rd["blocks"]:
                got = bk_need(blk, i, t, rd["lo"], rd["hi"])
                if got is None:
                    return whole
                boxes += got
            if not rd["maps"]:
                continue
            lo, hi = tile_cell(t, rd["lo"], rd["hi"], rd["chunk"])
            if any(h <= l for l, h in zip(lo, hi)):
                continue  # an empty tile reads nothing
            boxes += [affine_box(lo, hi, m, off, rd["n"]) for m, off in rd["maps"]]
    return boxes


def gather_needs(shape, es, blo, bhi, chunk, ntiles, needs, p):
    """cdrt_mpi_gather_needs with the emitted gK_needs (parsed: see needs_of)."""
    if p == 1 or ntiles <= 0:
        return zeros(p)
    sent, recv = [0] * p, [0] * p
    grid = _grid(blo, bhi, chunk)
    peers = 0
    for q in range(p):
        bb = {}
        for lo, hi in _need_boxes(needs, q, shape, p):  # "all": the whole array, clipped
            _mark(grid, blo, bhi, chunk, lo, hi, bb)
        a, b = part(ntiles, q, p)
        sources = set()
        for t, (lo, hi) in bb.items():
            if a <= t < b:
                continue
            v = vol(lo, hi) * es
            if v:
                o = owner(ntiles, t, p)
                sent[o] += v
                recv[q] += v
                sources.add(o)
        peers = max(peers, len(sources))
    return sent, recv, peers


def slab_needs(shape, es, axis, needs, p):
    """cdrt_mpi_slab_needs: from slabs along axis, each rank gets from each other rank the
    bounding box of what it needs of that rank's slab."""
    sent, recv = [0] * p, [0] * p
    peers = 0
    for q in range(p):
        boxes, sources = _need_boxes(needs, q, shape, p), 0
        for s in range(p):
            if s == q:
                continue
            slo, shi = slab(shape, axis, s, p)
            bl, bh = None, None
            for lo, hi in boxes:
                m = meet(lo, hi, slo, shi)
                if vol(*m) == 0:
                    continue
                bl = m[0] if bl is None else [min(a, b) for a, b in zip(bl, m[0])]
                bh = m[1] if bh is None else [max(a, b) for a, b in zip(bh, m[1])]
            if bl is not None:
                v = vol(bl, bh) * es
                sent[s] += v
                recv[q] += v
                sources += v > 0
        peers = max(peers, sources)
    return sent, recv, peers


class FftSim:
    """runtime/fft.c's passes under MPI: what is held in tiles or slabs, and the exchanges
    made when a pass needs it laid out otherwise (fft_pass_begin/end, cdrt_fft_settle)."""

    def __init__(self, p, out):
        self.p, self.out, self.held = p, out, None

    def slab_axis(self, shape, d):
        if self.p == 1:
            return -1
        return next((e for e in range(len(shape)) if e != d and shape[e] > 1), -1)

    def held_to(self, to):
        h, self.held = self.held, None
        if h["axis"] >= 0 and h["axis"] == to:
            return  # in those slabs already
        if h["axis"] >= 0:
            self.out.append(reslab(h["shape"], h["es"], h["axis"], to, self.p))
        else:
            self.out.append(gather_tiles(h["shape"], h["es"], h["lo"], h["hi"], h["chunk"],
                                         h["ntiles"], to, self.p))

    def settle(self):
        if self.held:
            self.held_to(-1)

    def settle_needs(self, needs):
        h = self.held
        if h and h["axis"] < 0:
            self.held_to(-1)
        elif h:
            self.held = None
            self.out.append(slab_needs(h["shape"], h["es"], h["axis"], needs, self.p))

    def tiled(self, data, shape, es, lo, hi, chunk, ntiles):
        self.settle()
        if self.p > 1:
            self.held = dict(data=data, shape=shape, es=es, axis=-1, lo=lo, hi=hi, chunk=chunk,
                             ntiles=ntiles)

    def in_slabs(self, data, shape, es, d):
        """cdrt_fft_in_slabs: the tiles computed where the first pass's slabs lie."""
        self.settle()
        s = self.slab_axis(shape, d)
        if s >= 0:
            self.held = dict(data=data, shape=list(shape), es=es, axis=s)

    def begin(self, src, shape, d):
        s = self.slab_axis(shape, d)
        if self.held and self.held["data"] == src:
            self.held_to(s)
        self.settle()

    def end(self, dst, shape, es, d):
        s = self.slab_axis(shape, d)
        if s >= 0:
            self.held = dict(data=dst, shape=list(shape), es=es, axis=s)

    def c2c(self, data, shape, axes, es):
        if math.prod(shape) == 0:
            return
        ax = [d for d in range(len(shape)) if axes >> d & 1 and shape[d] > 1]
        for d in sorted(ax, reverse=True):
            self.begin(data, shape, d)
            self.end(data, shape, es, d)

    def real(self, r2c, src, dst, shape, axis, r):
        if math.prod(shape) == 0:
            return
        cshape = list(shape)
        cshape[axis] = shape[axis] // 2 + 1
        self.begin(src, shape if r2c else cshape, axis)
        self.end(dst, cshape if r2c else shape, 2 * r if r2c else r, axis)

    def r2c_inplace(self, data, shape, r):
        if math.prod(shape) == 0:
            return
        cshape = list(shape)
        cshape[-1] = shape[-1] // 2 + 1
        self.begin(data, cshape, len(shape) - 1)
        self.end(data, cshape, 2 * r, len(shape) - 1)


# ---- reading the emitted C ----------------------------------------------------------------

def _ints(text):
    return [int(x) for x in text.replace(" ", "").split(",") if x]


def _array(name):
    """A cast array expression's identity: `(double *)cd_buffers[1].data` -> cd_buffers[1]."""
    m = re.search(r"cd_buffers\[\d+\]|cd_\w+", name)
    return m[0] if m else name.strip()


def _functions(c_text):
    """{name: body} of the program's gK_* functions (their text to the closing brace at
    column 0)."""
    out = {}
    for m in re.finditer(r"^static void (g\d+_\w+)\([^)]*\) \{\n(.*?)^\}", c_text, re.M | re.S):
        out[m[1]] = m[2]
    return out


def needs_of(body):
    """A gK_needs body: its all / rank-0 / readers (tile grid name, count, maps)."""
    nd = {"all": False, "root": "if (rank == 0) cdrt_need_all(nd);" in body, "readers": [],
          # outputs written by rows (runtime/mpi_output.c): the run's directory is shared
          "rows": [_ints(s) for s in re.findall(
              r"cdrt_need_output\(nd, rank, \d+, \(const int64_t\[\]\)\{([-\d, ]*)\}\);", body)]}
    nd["all"] = re.search(r"^\s*cdrt_need_all\(nd\);", body, re.M) is not None
    cut = re.split(r"/\* (g\d+) reads it \*/", body)
    for grid, blk in zip(cut[1::2], cut[2::2]):
        cell = re.search(r"cdrt_tile_cell\(t, (\d+), (g\d+)_lo", blk)
        maps = {int(i): (_ints(a), _ints(o)) for i, a, _, o in re.findall(
            r"a(\d+)\[\d+\] = \{([-\d, ]*)\}, off(\d+)\[\d+\] = \{([-\d, ]*)\};", blk)}
        used = [int(i) for i in re.findall(r"cdrt_need_affine\(nd, \d+, lo, hi, a(\d+),", blk)]
        blocks = [int(i) for i in re.findall(r"cdrt_bk_need\(&g\d+_block, (\d+), t,", blk)]
        slab = re.search(r"static const int64_t w\[\d+\] = \{([-\d, ]*)\};.*?"
                         r"cdrt_fft_slab_box\((\d+), g\d+_lo, g\d+_hi, w, (-?\d+), rank", blk,
                         re.S)
        nd["readers"].append({"grid": grid, "ntiles": int(re.search(
            r"cdrt_mpi_part\((\d+), rank\)", blk)[1]),
            "n": int(cell[1]) if cell else int(slab[2]) if slab else 0,
            "maps": [maps[i] for i in used], "inputs": blocks,
            "slab": (_ints(slab[1]), int(slab[3])) if slab else None})
    return nd


def block_tables(text):
    """{"gJ": a block kernel group's table (emit_map_blocks.c gJ_block and gJ_in)}."""
    out = {}
    for m in re.finditer(r"static const cdrt_bk_input (g\d+)_in\[\d+\] = \{\n(.*?)\n\s*\};",
                         text, re.S):
        ins = []
        for f in re.finditer(r"\{(\d+), (-?\d+), (\d+), \{([-\d, ]*)\}, \{([-\d, ]*)\}, "
                             r"\{([-\d, ]*)\}, CDRT_BOUNDARY_(\w+),", m[2]):
            nd_ = int(f[1])
            ins.append({"ndim": nd_, "lead": int(f[2]), "shape": _ints(f[4])[:nd_],
                        "chunk": _ints(f[5])[:nd_], "depth": _ints(f[6])[:nd_],
                        "boundary": f[7]})
        b = re.search(r"static const cdrt_bk_group %s_block = \{\s*\"[^\"]*\", (\d+), (\d+), "
                      r"\{([-\d, ]*)\}, (\d+)u, \d+,\s*\{([-\d, ]*)\}, \{([-\d, ]*)\},"
                      % m[1], text)
        ndim = int(b[2])
        out[m[1]] = {"in": ins, "loop_of": _ints(b[3])[:ndim], "dropped": int(b[4]),
                     "chunk": _ints(b[6])[:ndim]}
    return out


class Program:
    """The exchanges of an emitted --mpi program, group by group."""

    def __init__(self, c_text):
        at = c_text.find("static cdrt_buffer cd_buffers[")
        if at < 0:
            raise ValueError("no cd_buffers table in the emitted C")
        text = c_text[at:]
        self.arrays = {m[1]: _ints(m[2]) for m in re.finditer(
            r"static const int64_t (\w+)\[\d+\] = \{([-\d, ]*)\};", text)}
        self.decl = {name: t for t, name in re.findall(r"static (\w+) \*(cd_\w+);", text)}
        self.buffers = []
        m = re.search(r"static cdrt_buffer cd_buffers\[\d+\] = \{\n(.*?)\n\};", text, re.S)
        for line in m[1].splitlines():
            f = re.match(r'\s*\{"[^"]*", (\w+), (\d+), \{([-\d, ]*)\}', line)
            shape = _ints(f[3])[:int(f[2])]
            # None: a type no exchange of this model sends (an error if one does)
            self.buffers.append(DTYPE[f[1]] * math.prod(shape) if f[1] in DTYPE else None)
        fns = _functions(text)
        self.needs = {int(k[1:-6]): needs_of(b) for k, b in fns.items() if k.endswith("_needs")}
        blocks = block_tables(text)
        for nd in self.needs.values():
            for rd in nd["readers"]:
                rd.update(lo=self.arrays[rd["grid"] + "_lo"], hi=self.arrays[rd["grid"] + "_hi"],
                          chunk=self.arrays.get(rd["grid"] + "_chunk"),
                          blocks=[(blocks[rd["grid"]], i) for i in rd.pop("inputs")])
        self.calls = {}  # group -> its exchange calls, in order
        for name, body in fns.items():
            f = re.match(r"g(\d+)_run$", name)
            if not f:
                continue
            k, calls = int(f[1]), []
            for line in body.splitlines():
                t = re.search(r"cdrt_task_of\(CDRT_TASK_TRANSFORM, \d+, \d+, (g\d+_transform)",
                              line)
                if t:
                    calls += [c for x in fns[t[1]].splitlines() for c in self._call(x, k)]
                else:
                    calls += self._call(line, k)
            self.calls[k] = calls
        for s in re.finditer(r"for \(int32_t i = (\d+); i < (\d+); i\+\+\) cdrt_mpi_group\(i\), "
                             r"cdrt_mpi_share\(&cd_buffers\[i\]\);", text):
            for k in range(int(s[1]), int(s[2])):  # delayed results, broadcast by rank 0
                self.calls.setdefault(k, []).append(("bcast", self._buffer(k)))

    def _buffer(self, i):
        if self.buffers[i] is None:
            raise ValueError(f"cd_buffers[{i}]: an element type this model does not know")
        return self.buffers[i]

    def _size(self, expr):
        """The bytes of a cdrt_mpi_complete's count expression."""
        b = re.match(r"\(int64_t\)cdrt_buffer_bytes\(&cd_buffers\[(\d+)\]\)", expr)
        if b:
            return self._buffer(int(b[1]))
        n = re.match(r"(\d+) \* \(int64_t\)sizeof\((\*?)(\w+)\)", expr)
        if n:
            return int(n[1]) * CTYPE[self.decl[n[3]] if n[2] else n[3]]
        raise ValueError(f"cdrt_mpi_complete of {expr!r}: unknown size")

    def _call(self, line, k):
        A = self.arrays
        c = re.search(r"cdrt_mpi_complete\([^,]+, (.*), [01]\);", line)
        if c:
            return [("allreduce", self._size(c[1]))]
        sl = re.search(r"cdrt_fft_in_slabs\(([^,]+), \d+, (\w+), sizeof\((\w+)\), (\d+)\);",
                       line)
        if sl:
            return [("in_slabs", _array(sl[1]), A[sl[2]], CTYPE[sl[3]], int(sl[4]))]
        g = re.search(r"cdrt_(mpi_gather_needs|mpi_gather_tiles|fft_tiled)\(([^,]+), \d+, (\w+), "
                      r"sizeof\((\w+)\), (\w+), (\w+), (\w+), (\d+)(?:, (-?\w+))?\)", line)
        if g:
            args = (_array(g[2]), A[g[3]], CTYPE[g[4]], A[g[5]], A[g[6]], A[g[7]], int(g[8]))
            if g[1] == "mpi_gather_needs":
                return [("needs",) + args[1:] + (self.needs[int(g[9][1:-6])],)]
            if g[1] == "mpi_gather_tiles":
                return [("tiles",) + args[1:] + (int(g[9]),)]
            return [("fft_tiled",) + args]
        f = re.search(r"cdrt_fft_(c2c|r2c|c2r|r2c_inplace)_(f32|f64)\((.*)\);", line)
        if f:
            a = [x.strip() for x in f[3].split(",")]
            r = 4 if f[2] == "f32" else 8
            if f[1] == "c2c":
                return [("c2c", _array(a[0]), A[a[2]], int(a[3].rstrip("u"), 16), 2 * r)]
            if f[1] == "r2c_inplace":
                return [("r2c_inplace", _array(a[0]), A[a[2]], r)]
            return [(f[1], _array(a[0]), _array(a[1]), A[a[3]], int(a[4]), r)]
        if "cdrt_fft_settle();" in line:
            return [("settle",)]
        s = re.search(r"cdrt_fft_settle_needs\(g(\d+)_needs\);", line)
        if s:
            return [("settle_needs", self.needs[int(s[1])])]
        if re.search(r"cdrt_mpi_(bcast|share|reslab)\(", line):
            raise ValueError(f"an exchange this model does not know: {line.strip()}")
        return []

    @functools.lru_cache(maxsize=None)
    def exchanges(self, k, p):
        """Group k's exchanges on p ranks, in order: (sent, received, peers, collective) each,
        collective ("allreduce" or "bcast", n bytes) or None for point-to-point messages."""
        out = []
        fft = FftSim(p, out)
        for c in self.calls.get(k, []):
            kind = c[0]
            if kind == "allreduce":
                out.append(allreduce(c[1], p) + (("allreduce", c[1]),))
            elif kind == "bcast":
                out.append(bcast(c[1], p) + (("bcast", c[1]),))
            elif kind == "needs":
                out.append(gather_needs(*c[1:], p))
            elif kind == "tiles":
                out.append(gather_tiles(*c[1:], p))
            elif kind == "fft_tiled":
                fft.tiled(*c[1:])
            elif kind == "in_slabs":
                fft.in_slabs(*c[1:])
            elif kind == "c2c":
                fft.c2c(*c[1:])
            elif kind in ("r2c", "c2r"):
                fft.real(kind == "r2c", *c[1:])
            elif kind == "r2c_inplace":
                fft.r2c_inplace(*c[1:])
            elif kind == "settle":
                fft.settle()
            elif kind == "settle_needs":
                fft.settle_needs(c[1])
        return [x if len(x) == 4 else x + (None,) for x in out]

    def traffic(self, k, p):
        """(sent, received, peers) of group k on p ranks: per-rank byte lists (cdrt_mpi_count's
        sums) and the most peers a rank receives from in one of its exchanges."""
        out = self.exchanges(k, p)
        sent, recv = [0] * p, [0] * p
        for s, r, _, _ in out:
            sent = [a + b for a, b in zip(sent, s)]
            recv = [a + b for a, b in zip(recv, r)]
        return sent, recv, max([x[2] for x in out], default=0)

    def kinds(self, k):
        """The exchanges group k makes: 'allreduce', 'bcast', 'needs', 'tiles', 'fft'."""
        fft = ("fft_tiled", "in_slabs", "c2c", "r2c", "c2r", "r2c_inplace", "settle",
               "settle_needs")
        return sorted({"fft" if c[0] in fft else c[0] for c in self.calls.get(k, [])})
