/* emit_terms.c: a group's elementwise work as a DAG of terms, (node, affine map) pairs:
 * views disappear into the maps, and each (node, map) is one term, found by hashing. */
#include "emit.h"

#include <string.h>

bool term_buffered(const Graph *g, const Term *t) {
  unsigned flags = op_flags[g->nodes[t->node].op];
  if (t->blocked || t->mem) return false;
  if (flags & F_STRIP) return t->leaf;
  if (t->leaf) return false; /* read from another group's result */
  return (flags & F_VM) && dtype_is_float(g->nodes[t->node].dtype);
}

static bool is_leaf(const GroupEmit *ge, int id) {
  const Node *x = &ge->g->nodes[id];
  if (op_kinds[x->op] == K_SOURCE || x->op == OP_RESHAPE) return true;
  return ge->f->group_of[id] >= 0 && id != ge->computed_root;
}

static uint64_t mix(uint64_t h, const void *v, size_t n) {
  const unsigned char *p = v;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
  return h;
}

/* A hash of (node, map), the fields affine_equal compares. */
static uint64_t term_hash(int id, const Affine *m) {
  uint64_t h = mix(14695981039346656037u, &id, sizeof id);
  int dims[2] = {m->nin, m->nout};
  h = mix(h, dims, sizeof dims);
  h = mix(h, m->off, sizeof(int64_t) * (size_t)m->nin);
  for (int d = 0; d < m->nin; d++) h = mix(h, m->a[d], sizeof(int64_t) * (size_t)m->nout);
  return h;
}

/* The slot of term (id, m) in the table: where it is, or the empty slot it would take. */
static size_t term_slot(const GroupEmit *ge, int id, const Affine *m) {
  size_t i = (size_t)term_hash(id, m) & ge->term_mask;
  for (int k; (k = ge->term_slot[i]) != 0; i = (i + 1) & ge->term_mask)
    if (ge->terms[k - 1].node == id && affine_equal(ge->terms[k - 1].map, m)) break;
  return i;
}

/* The term (id, m) if it exists, else -1. */
static int term_find(GroupEmit *ge, int id, const Affine *m) {
  if (!ge->term_slot) return -1;
  return ge->term_slot[term_slot(ge, id, m)] - 1;
}

static int term_add(GroupEmit *ge, const Term *t) {
  if (ge->nterms == ge->termcap) {
    int cap = ge->termcap ? 2 * ge->termcap : 4;
    ge->terms = arena_grow(ge->g->arena, ge->terms, (size_t)ge->termcap * sizeof *ge->terms,
                           (size_t)cap * sizeof *ge->terms);
    ge->termcap = cap;
  }
  if (!ge->term_slot || 2 * ((size_t)ge->nterms + 1) > ge->term_mask + 1) { /* grow, rehash */
    size_t size = ge->term_slot ? 2 * (ge->term_mask + 1) : 16;
    ge->term_slot = arena_alloc(ge->g->arena, size * sizeof *ge->term_slot);
    ge->term_mask = size - 1;
    for (int k = 0; k < ge->nterms; k++)
      ge->term_slot[term_slot(ge, ge->terms[k].node, ge->terms[k].map)] = k + 1;
  }
  ge->terms[ge->nterms] = *t;
  ge->term_slot[term_slot(ge, t->node, t->map)] = ge->nterms + 1;
  return ge->nterms++;
}

/* Views that are not leaves vanish into the map: (id, m) becomes the node under them. */
static const Affine *through_views(GroupEmit *ge, int *id, const Affine *m) {
  while (ge->g->nodes[*id].op == OP_VIEW && !is_leaf(ge, *id)) {
    Affine *c = arena_alloc(ge->g->arena, sizeof *c);
    affine_compose(c, ge->g->nodes[*id].map, m);
    *id = ge->g->nodes[*id].in[0], m = c;
  }
  return m;
}

/* A term under construction: its inputs are built first (depth first, in order). */
typedef struct {
  int id;
  const Affine *m;
  int next; /* the next input to build */
  int in[MAXIN];
} TermFrame;

static Term new_term(GroupEmit *ge, const TermFrame *fr) {
  const Node *x = &ge->g->nodes[fr->id];
  Term t;
  memset(&t, 0, sizeof t);
  t.node = fr->id;
  t.map = fr->m;
  t.leaf = is_leaf(ge, fr->id);
  /* generated sources are computed where they are used even when also stored */
  t.mem = t.leaf && (x->op == OP_RESHAPE || (!op_generated(x->op) && ge->f->group_of[fr->id] >= 0 &&
                                             fr->id != ge->computed_root));
  t.streamed = t.mem && ge->gr->streamed >= 0 && fr->id == ge->f->groups[ge->gr->streamed].sink;
  if (!t.leaf) memcpy(t.in, fr->in, sizeof t.in);
  affine_linear(fr->m, x->shape, &t.c0, t.c);
  return t;
}

/* The map of input i of a frame's node: a concatenation's input i is seen through m
 * shifted back by its offset along the axis. */
static const Affine *input_map(GroupEmit *ge, const TermFrame *fr, int i) {
  const Node *x = &ge->g->nodes[fr->id];
  if (x->op != OP_CONCAT || i == 0) return fr->m;
  int ax = x->axis;
  Affine *mi = arena_alloc(ge->g->arena, sizeof *mi);
  *mi = *fr->m;
  for (int j = 0; j < i; j++) mi->off[ax] -= ge->g->nodes[x->in[j]].shape[ax];
  return mi;
}

/* The term for node `id` seen through map m (domain index -> node index): terms are made
 * inputs first, each (node, map) once. An explicit stack: graphs may be deeper than the
 * C stack. */
int term_build(GroupEmit *ge, int id, const Affine *m0) {
  Affine *copy = arena_alloc(ge->g->arena, sizeof *copy); /* terms keep pointers to maps */
  *copy = *m0;
  const Affine *m = through_views(ge, &id, copy);
  int k = term_find(ge, id, m);
  if (k >= 0) return k;
  int cap = 8, top = 0;
  TermFrame *st = arena_alloc(ge->g->arena, (size_t)cap * sizeof *st);
  st[top++] = (TermFrame){.id = id, .m = m};
  for (;;) {
    TermFrame *fr = &st[top - 1];
    const Node *x = &ge->g->nodes[fr->id];
    int nin = is_leaf(ge, fr->id) ? 0 : x->nin;
    if (fr->next < nin) {
      int cid = x->in[fr->next];
      const Affine *cm = through_views(ge, &cid, input_map(ge, fr, fr->next));
      int c = term_find(ge, cid, cm);
      if (c >= 0) {
        fr->in[fr->next++] = c;
        continue;
      }
      if (top == cap) {
        st = arena_grow(ge->g->arena, st, (size_t)cap * sizeof *st, 2 * (size_t)cap * sizeof *st);
        cap *= 2;
      }
      st[top++] = (TermFrame){.id = cid, .m = cm};
      continue;
    }
    Term t = new_term(ge, fr);
    k = term_add(ge, &t);
    if (--top == 0) return k;
    st[top - 1].in[st[top - 1].next++] = k;
  }
}
