/* mpi_tables.c: a dataframe scan on several ranks (with CDRT_WITH_CSV and CDRT_WITH_MPI,
 * programs built by cdaskc --mpi). Rank r scans blocks [nb r / P, nb (r + 1) / P) of a
 * source (cdrt_mpi_tiles). As a block ends, its partial results (each block's own: float
 * merges are not associative) and its records (rows, bad lines, first error, warnings) are
 * packed into bytes of its own and freed (a groupby's table with them). Once the rank's
 * blocks are done, every rank's bytes go to every rank (an allgather made of one broadcast
 * per rank, in pieces of at most 1 GiB: MPI counts are ints). Each block is unpacked into
 * its slot (a groupby's just before its merge, so that one block's table is unpacked at a
 * time) and every rank merges all blocks in block order, as one process does: the same
 * results, bit for bit, on every rank, and the earliest block's error on every rank.
 *
 * The format is the packing rank's memory (the ranks run one program on one kind of
 * machine): per block, its byte count, then its records, then its results in the order of
 * the scan's cd_spartS, each as cdrt_xfer_* writes it. A string is its length (-1: missing)
 * and its bytes; unpacked, it points into the received bytes, which live until the program
 * ends (as a block's mapped file does on one process). */
#include "cdrt.h"

#if defined(CDRT_WITH_CSV) && defined(CDRT_WITH_MPI)
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

/* bytes [p, p + n) into the packed bytes, or out of them */
static void xfer_raw(cdrt_xfer *x, void *p, size_t n) {
  if (x->unpack) {
    if ((size_t)(x->end - x->at) < n)
      cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: a block's partial results are cut short");
    if (n) memcpy(p, x->at, n);
    x->at += n;
    return;
  }
  if (x->n + (int64_t)n > x->cap) {
    int64_t cap = x->cap ? x->cap : 4096;
    while (cap < x->n + (int64_t)n) cap *= 2;
    cdrt_state_charge(cap - x->cap,
                      "the packing of the blocks' partial results for the other ranks");
    x->data = cdrt_realloc(x->data, (size_t)cap);
    x->cap = cap;
  }
  if (n) memcpy(x->data + x->n, p, n);
  x->n += (int64_t)n;
}

void cdrt_xfer_i64(cdrt_xfer *x, int64_t *v) {
  xfer_raw(x, v, sizeof *v);
}

/* n bytes at *p; unpacked, *p points at them in the received bytes */
static void xfer_bytes(cdrt_xfer *x, const char **p, int64_t n) {
  if (n <= 0 && !x->unpack) return;
  if (!x->unpack) {
    xfer_raw(x, (void *)(uintptr_t)*p, (size_t)n);
    return;
  }
  if (x->end - x->at < (n > 0 ? n : 0))
    cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: a block's partial results are cut short");
  *p = x->at; /* not NULL, even for no bytes: an empty string is not missing */
  x->at += n > 0 ? n : 0;
}

void cdrt_xfer_str(cdrt_xfer *x, cdrt_str *s) {
  int64_t n = s->p ? s->n : -1;
  cdrt_xfer_i64(x, &n);
  if (n < 0) {
    if (x->unpack) *s = (cdrt_str){NULL, 0};
    return;
  }
  xfer_bytes(x, &s->p, n);
  s->n = n;
}

/* An aggregate: its fields as they are, then its string minimum and maximum */
void cdrt_xfer_agg(cdrt_xfer *x, cdrt_agg *a) {
  xfer_raw(x, a, sizeof *a);
  cdrt_xfer_str(x, &a->smin);
  cdrt_xfer_str(x, &a->smax);
}

/* Value counts: the entries in order of first appearance. Unpacked, the table is only what
 * cdrt_vc_merge reads of it (n entries, in order: not a hash table), which is all the scan
 * does with a block's table before cdrt_vc_free. */
void cdrt_xfer_vc(cdrt_xfer *x, cdrt_vc *t) {
  int64_t n = t->n;
  cdrt_xfer_i64(x, &n);
  if (x->unpack) {
    cdrt_vc_free(t);
    t->n = n;
    t->e = cdrt_calloc((size_t)(n ? n : 1), sizeof *t->e);
    t->order = cdrt_malloc((size_t)(n ? n : 1) * sizeof *t->order);
    for (int64_t i = 0; i < n; i++) t->order[i] = i;
  }
  for (int64_t i = 0; i < n; i++) {
    cdrt_vc_entry *e = &t->e[t->order[i]];
    cdrt_xfer_i64(x, &e->key);
    cdrt_xfer_i64(x, &e->count);
    if (t->type != CDRT_COL_STR) continue;
    cdrt_str s = cdrt_vc_entry_str(e);
    cdrt_xfer_str(x, &s);
    if (x->unpack) cdrt_vc_entry_set_str(e, s); /* a long one's bytes stay in x's buffer */
  }
}

/* Collected rows: their index in the block, then each column */
void cdrt_xfer_rows(cdrt_xfer *x, cdrt_rows *r) {
  int64_t n = r->n;
  cdrt_xfer_i64(x, &n);
  for (int64_t i = 0; i < n; i++) {
    int64_t row = x->unpack ? 0 : r->index[i];
    cdrt_xfer_i64(x, &row);
    if (x->unpack) cdrt_rows_push(r, row);
  }
  for (int k = 0; k < r->ncols; k++) {
    if (r->types[k] != CDRT_COL_STR) {
      xfer_raw(x, r->col[k], (size_t)n * cdrt_col_bytes(r->types[k]));
      continue;
    }
    cdrt_str *s = r->col[k];
    for (int64_t i = 0; i < n; i++) cdrt_xfer_str(x, &s[i]);
  }
}

/* A top-n table (topn.c) and its block's rows: the rows first (the records index them),
 * then the block's rows read and kept, then each group's record as it is (its key is one
 * number or lies in its first kept row; its values are bits) */
void cdrt_xfer_topn(cdrt_xfer *x, cdrt_topn *t, cdrt_rows *rows) {
  if (!x->unpack) cdrt_topn_settle(t, rows);
  cdrt_xfer_rows(x, rows);
  int64_t n = t->ngroups, stride = t->stride;
  cdrt_xfer_i64(x, &t->rows);
  cdrt_xfer_i64(x, &t->live);
  cdrt_xfer_i64(x, &n);
  cdrt_xfer_i64(x, &stride);
  if (!n) return;
  if (x->unpack) {
    int64_t *rec = cdrt_malloc((size_t)stride * 8);
    for (int64_t g = 0; g < n; g++)
      xfer_raw(x, rec, (size_t)stride * 8), cdrt_topn_put(t, rows, rec);
    free(rec);
    if (t->stride != stride)
      cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: a top-n table's records differ between ranks");
    return;
  }
  for (int64_t g = 0; g < n; g++) xfer_raw(x, t->rec + g * t->stride, (size_t)stride * 8);
}

/* A groupby's table: its groups in order of first appearance, each its hash, its keys (a
 * string as its length and bytes: the rest of its cdrt_gkey is cdrt_gkey_str's), its
 * states as they are, then the bytes of its string picks. Unpacked, each group is added to
 * the block's (empty) table in that order and its states copied: the table cdrt_gb_merge
 * then reads has the same groups in the same order, the same states. A state kind that
 * holds a pointer must be fixed up here (CDRT_G_PICKS, and CDRT_G_VALI/VALF: the values),
 * and so must a spilled exact sum (its place in the table's pool: the sum follows). */
void cdrt_xfer_gb(cdrt_xfer *x, cdrt_gb *t) {
  const cdrt_gb_spec *sp = t->spec;
  if (!x->unpack) cdrt_gb_seal(t); /* (done at the block's end already) */
  int64_t n = t->n, stride = t->stride;
  cdrt_xfer_i64(x, &n);
  cdrt_xfer_i64(x, &stride);
  if (stride != t->stride || sp->nkeys > CDRT_GB_MAXKEYS)
    cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: a groupby's records differ between ranks");
  int64_t states = sp->naggs ? t->aoff[0] : stride;
  for (int64_t g = 0; g < n; g++) {
    char *r = x->unpack ? NULL : cdrt_gb_rec(t, g);
    int64_t h = 0;
    if (r) h = (int64_t)cdrt_gb_rec_hash(t, r);
    cdrt_xfer_i64(x, &h);
    cdrt_gkey k[CDRT_GB_MAXKEYS];
    for (int i = 0; i < sp->nkeys; i++) {
      if (sp->ktypes[i] != CDRT_COL_STR) {
        int64_t v = 0;
        if (r) memcpy(&v, r + t->koff[i], 8);
        cdrt_xfer_i64(x, &v);
        k[i] = (cdrt_gkey){.i = v};
        continue;
      }
      cdrt_gkey c = {0, 0, {NULL, -1}};
      if (r) c = cdrt_gb_key(t, r, i);
      cdrt_str v = c.s.n < 0 ? (cdrt_str){NULL, 0} : c.s; /* n -1: missing */
      cdrt_xfer_str(x, &v);
      k[i] = cdrt_gkey_str(v);
    }
    if (!r) r = cdrt_gb_find_hashed(t, k, (uint64_t)h);
    xfer_raw(x, r + states, (size_t)(stride - states));
    for (int a = 0; a < sp->naggs; a++)
      if (sp->kinds[a] == CDRT_G_PICKS) {
        cdrt_gpicks *p = cdrt_gb_state(t, r, a);
        cdrt_xfer_str(x, &p->s);
      } else if (sp->kinds[a] == CDRT_G_VALI || sp->kinds[a] == CDRT_G_VALF) {
        cdrt_gvals *v = cdrt_gb_state(t, r, a); /* a group's values: their count, then them */
        int64_t nv = v->n;
        cdrt_xfer_i64(x, &nv);
        if (x->unpack) { /* one chunk of them all */
          *v = (cdrt_gvals){0, 0, NULL, NULL};
          if (nv) cdrt_gvals_chunk(v, t, nv)->n = (int32_t)nv, v->n = nv;
        }
        for (cdrt_gchunk *c = v->head; c; c = c->next) xfer_raw(x, c->v, (size_t)c->n * 8);
      } else {
        cdrt_gx *m;
        int nm = cdrt_gstate_sums(sp->kinds[a], cdrt_gb_state(t, r, a), &m);
        for (int i = 0; i < nm; i++)
          if (m[i].spill) {
            cdrt_xsum *s =
                x->unpack ? cdrt_xpool_new(&t->spill, &m[i]) : &t->spill.x[m[i].spill - 1];
            xfer_raw(x, s, sizeof *s);
          }
      }
  }
}

/* A block's records in the source: its rows, bad lines, first error and warnings */
static void xfer_block(cdrt_xfer *x, cdrt_csv_source *s, int64_t b) {
  cdrt_xfer_i64(x, &s->rows[b]);
  cdrt_xfer_i64(x, &s->bad[b]);
  cdrt_scan_error *e = &s->err[b];
  cdrt_str msg = {e->msg, (int64_t)strlen(e->msg)};
  cdrt_xfer_str(x, &msg);
  if (x->unpack) {
    int64_t m = msg.n < (int64_t)sizeof e->msg ? msg.n : (int64_t)sizeof e->msg - 1;
    memcpy(e->msg, msg.p, (size_t)m);
    e->msg[m] = 0;
  }
  int64_t nw = e->nwarn;
  cdrt_xfer_i64(x, &nw);
  if (x->unpack) {
    free(e->warn);
    e->warn = cdrt_malloc((size_t)(nw ? nw : 1) * sizeof *e->warn);
    e->nwarn = e->warn_cap = nw;
  }
  for (int64_t i = 0; i < nw; i++) {
    int64_t v[2] = {e->warn[i].line, e->warn[i].nf};
    xfer_raw(x, v, sizeof v);
    e->warn[i] = (cdrt_scan_warning){v[0], (int)v[1]};
  }
}

void cdrt_mpi_blocks_init(cdrt_block_bytes *x, int64_t nb) {
  memset(x, 0, sizeof *x);
  x->nb = nb;
  x->mine = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *x->mine);
  x->at = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *x->at);
  x->len = cdrt_calloc((size_t)(nb ? nb : 1), sizeof *x->len);
}

/* Block b, just scanned by this thread: its bytes of its own (blocks run in parallel) */
void cdrt_mpi_pack_block(cdrt_block_bytes *x, cdrt_csv_source *s, int64_t b, void *part,
                         void (*xfer)(cdrt_xfer *, void *)) {
  cdrt_xfer *out = &x->mine[b];
  xfer_block(out, s, b);
  xfer(out, part);
}

void cdrt_mpi_unpack_block(cdrt_block_bytes *x, cdrt_csv_source *s, int64_t b, void *part,
                           void (*xfer)(cdrt_xfer *, void *)) {
  cdrt_xfer in = {.unpack = 1, .at = x->at[b], .end = x->at[b] + x->len[b]};
  xfer_block(&in, s, b);
  xfer(&in, part);
  if (in.at != in.end)
    cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: block %lld's partial results differ",
               (long long)b);
}

/* MPI counts are ints: the bytes go in pieces of at most 1 GiB. */
enum { SHARE_CHUNK = 1 << 30 };

void cdrt_mpi_share_blocks(cdrt_block_bytes *x) {
  int P = cdrt_mpi_size(), me = cdrt_mpi_rank();
  int64_t nb = x->nb;
  double t0 = MPI_Wtime();
  /* rank r's bytes: its blocks' byte counts, then their bytes, in block order */
  int64_t *sizes = cdrt_calloc((size_t)P, sizeof *sizes);
  cdrt_range mine = cdrt_mpi_tiles(nb);
  int64_t own = 8 * (mine.hi - mine.lo);
  for (int64_t b = mine.lo; b < mine.hi; b++) own += x->mine[b].n;
  if (MPI_Allgather(&own, 1, MPI_INT64_T, sizes, 1, MPI_INT64_T, MPI_COMM_WORLD) != MPI_SUCCESS)
    cdrt_fatal(CDRT_EXIT_MEMORY, "MPI_Allgather failed");
  int64_t total = 0;
  for (int r = 0; r < P; r++) total += sizes[r];
  /* kept: strings will point into it (charged for good; a block's packed bytes are
   * refunded as they are copied in) */
  cdrt_state_charge(total, "the copy of every rank's packed partial results");
  x->bytes = cdrt_malloc((size_t)(total ? total : 1));
  char *seg = x->bytes;
  for (int r = 0; r < P; r++) {
    cdrt_range theirs = cdrt_mpi_part(nb, r);
    if (r == me) { /* this rank's: packed block by block */
      char *at = seg + 8 * (theirs.hi - theirs.lo);
      for (int64_t b = theirs.lo; b < theirs.hi; b++) {
        memcpy(seg + 8 * (b - theirs.lo), &x->mine[b].n, 8);
        if (x->mine[b].n) memcpy(at, x->mine[b].data, (size_t)x->mine[b].n);
        at += x->mine[b].n;
        free(x->mine[b].data);
        cdrt_state_refund(x->mine[b].cap);
        x->mine[b] = (cdrt_xfer){0};
      }
    }
    for (int64_t k = 0; k < sizes[r]; k += SHARE_CHUNK) {
      int n = (int)(sizes[r] - k < SHARE_CHUNK ? sizes[r] - k : SHARE_CHUNK);
      if (MPI_Bcast(seg + k, n, MPI_BYTE, r, MPI_COMM_WORLD) != MPI_SUCCESS)
        cdrt_fatal(CDRT_EXIT_MEMORY, "MPI_Bcast failed");
    }
    const char *at = seg + 8 * (theirs.hi - theirs.lo);
    for (int64_t b = theirs.lo; b < theirs.hi; b++) {
      memcpy(&x->len[b], seg + 8 * (b - theirs.lo), 8);
      x->at[b] = at;
      at += x->len[b];
    }
    if (at != seg + sizes[r])
      cdrt_fatal(CDRT_EXIT_MEMORY, "internal error: rank %d's blocks are cut short", r);
    seg += sizes[r];
  }
  /* as a ring allgather: this rank's bytes to each other rank, each other rank's to it */
  cdrt_mpi_count(own * (P - 1), total - own, MPI_Wtime() - t0);
  free(x->mine);
  free(sizes);
  x->mine = NULL;
}
#endif
