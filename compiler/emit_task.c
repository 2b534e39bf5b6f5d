/* emit_task.c: delayed tasks as C. Consecutive task groups (G_TASK, and the OP_ITEM groups
 * that unpack a task's results) form a run, spawned as OpenMP tasks with dependencies:
 * `depend(in:)` on the buffers a task reads, `depend(out:)` on its own, and for an impure
 * kernel `depend(inout: cd_effects)`, so effects run in script order; a taskwait ends the
 * run, then the buffers its groups read for the last time are freed (memplan.c keeps them
 * alive until then). Independent tasks run at the same time; each writes only its own
 * buffer, and results are combined only by later tasks in the graph's order, so the bits
 * do not depend on the thread count.
 *
 * The C stays small for 10^5 tasks: tasks are rows of static tables, one table per
 * pattern (a kernel and the kind of each of its arguments: a constant, a buffer, a buffer
 * read through a cast, one result in another task's buffer, a count; the same for a list's
 * elements; an item), each with one calling function, and a run is a loop over its
 * rows in graph order (a table of (pattern, row) pairs when the patterns alternate). */
#include "emit.h"

#include <string.h>

/* The pattern of a task group and its row. */
typedef struct {
  const char *key; /* "k3:bcn" ... */
  int sample;      /* a group of the pattern (its sink shows the slots' types) */
  int nrows;
  int first, last; /* the groups of the pattern, linked through next[] */
} Pattern;

typedef struct {
  Graph *g;
  Fusion *f;
  StrBuf *b;
  Pattern *pat;
  int npat, patcap;
  int *slot;    /* hash table of patterns by key: index + 1, 0 empty */
  size_t mask;  /* its size - 1 */
  int *pattern; /* group -> its pattern, or -1 */
  int *row;     /* group -> its row in its pattern's table */
  int *next;    /* group -> the next group of its pattern, or -1 */
  bool mpi;     /* --mpi: the tasks run on rank 0, their results are broadcast */
} Tasks;

static bool is_task(const Graph *g, const Fusion *f, int k) {
  return k < f->ngroups && group_is_task(g, &f->groups[k]);
}

/* The slot letter of a task's argument k: c a constant, b a buffer, v a buffer read
 * through a cast (its input's dtype then follows in the pattern's key), r one result of
 * a task with several, read in that task's buffer. */
static char arg_slot(const Graph *g, const Fusion *f, const Node *x, int k) {
  if (task_arg_inline(g, x, k)) return 'c';
  if (f->group_of[x->in[k]] >= 0) return 'b';
  return g->nodes[x->in[k]].op == OP_ITEM ? 'r' : 'v';
}

/* The buffer (a group) the task reads for argument k (not a constant). */
static int arg_buffer(const Graph *g, const Fusion *f, const Node *x, int k) {
  return f->group_of[arg_slot(g, f, x, k) == 'b' ? x->in[k] : task_arg_read(g, x, k)];
}

/* The value of argument k, of dtype t, read through field aP of the row (slot b, r or v). */
static const char *arg_value(Arena *a, const Graph *g, const Fusion *f, const Node *x, int k,
                             DType t, int p) {
  if (arg_slot(g, f, x, k) == 'b')
    return arena_printf(a, "((const %s *)cd_buffers[cd_r->a%d].data)[0]", dtype_ctype(t), p);
  if (arg_slot(g, f, x, k) == 'r')
    return arena_printf(a, "((const %s *)cd_buffers[cd_r->a%d].data)[cd_r->i%d]", dtype_ctype(t), p,
                        p);
  DType from = g->nodes[task_arg_read(g, x, k)].dtype;
  return c_cast_expr(
      a, from, t,
      arena_printf(a, "((const %s *)cd_buffers[cd_r->a%d].data)[0]", dtype_ctype(from), p));
}

/* "k3:bvnc": a kernel's (or a list's) slot letters, each v followed by the dtype it casts
 * from (one digit) */
static const char *pattern_key(Arena *a, const Graph *g, const Fusion *f, const Node *x) {
  if (x->op == OP_ITEM) return arena_printf(a, "i%d", (int)x->dtype);
  bool list = x->call.kernel < 0;
  int n = list ? x->nin : g->kernels[x->call.kernel].nparams;
  char *s = arena_alloc(a, 2 * (size_t)n + 32);
  int at = snprintf(s, 32, "%c%d:", list ? 'l' : 'k', list ? (int)x->dtype : x->call.kernel);
  for (int p = 0; p < n; p++) {
    int b = list ? p : x->call.bind[p];
    s[at++] = b >= 0 ? arg_slot(g, f, x, b) : b == CALL_COUNT ? 'n' : 'o';
    if (s[at - 1] == 'v') s[at++] = (char)('0' + g->nodes[task_arg_read(g, x, b)].dtype);
  }
  return s;
}

static uint64_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
  return h;
}

static int find_pattern(Tasks *t, const char *key, int group) {
  size_t i = (size_t)hash_str(key) & t->mask;
  for (; t->slot[i]; i = (i + 1) & t->mask)
    if (strcmp(t->pat[t->slot[i] - 1].key, key) == 0) return t->slot[i] - 1;
  if (t->npat == t->patcap) {
    int cap = t->patcap ? 2 * t->patcap : 16;
    t->pat = arena_grow(t->g->arena, t->pat, (size_t)t->patcap * sizeof *t->pat,
                        (size_t)cap * sizeof *t->pat);
    t->patcap = cap;
  }
  t->pat[t->npat] = (Pattern){key, group, 0, -1, -1};
  t->slot[i] = t->npat + 1;
  return t->npat++;
}

/* ---- one pattern: its row type, its rows, its calling function ---- */

static const char *buffer_ptr(Arena *a, const char *ct, const char *field) {
  return arena_printf(a, "((const %s *)cd_buffers[cd_r->%s].data)", ct, field);
}

/* The element count of what parameter p - 1 of task x receives (or writes). */
static int64_t count_of(const Graph *g, const Node *x, int p) {
  int b = x->call.bind[p - 1];
  if (b >= 0) return node_size(&g->nodes[x->in[b]]);
  return x->call.nout > 1 ? 1 : node_size(x);
}

static const char *constant(Arena *a, const Node *c) {
  if (dtype_is_float(c->dtype)) return c_double(a, c->value.f);
  if (c->value.i == INT64_MIN) return "INT64_MIN";
  return arena_printf(a, "%lld", (long long)c->value.i);
}

static void emit_row_type(Tasks *t, const Pattern *pt) {
  StrBuf *b = t->b;
  Graph *g = t->g;
  const Node *x = &g->nodes[t->f->groups[pt->sample].sink];
  int id = (int)(pt - t->pat);
  sb_printf(b, "typedef struct {\n  int32_t out;\n");
  if (x->op == OP_ITEM) {
    sb_printf(b, "  int32_t a0;\n  int32_t item;\n");
  } else if (x->call.kernel < 0) {
    for (int k = 0; k < x->nin; k++)
      if (arg_slot(g, t->f, x, k) == 'c')
        sb_printf(b, "  %s a%d;\n", dtype_ctype(x->dtype), k);
      else if (arg_slot(g, t->f, x, k) == 'v')
        sb_printf(b, "  int32_t a%d;\n", k);
      else if (arg_slot(g, t->f, x, k) == 'r')
        sb_printf(b, "  int32_t a%d, i%d;\n", k, k);
      else
        sb_printf(b, "  int32_t a%d;\n  int64_t n%d;\n", k, k);
  } else {
    const Kernel *kn = &g->kernels[x->call.kernel];
    for (int p = 0; p < kn->nparams; p++) {
      int bd = x->call.bind[p];
      if (bd == CALL_COUNT)
        sb_printf(b, "  int64_t a%d;\n", p);
      else if (bd >= 0 && arg_slot(g, t->f, x, bd) == 'c')
        sb_printf(b, "  %s a%d;\n", dtype_ctype((DType)kn->params[p].dtype), p);
      else if (bd >= 0 && arg_slot(g, t->f, x, bd) == 'r')
        sb_printf(b, "  int32_t a%d, i%d;\n", p, p);
      else if (bd >= 0)
        sb_printf(b, "  int32_t a%d;\n", p);
    }
  }
  sb_printf(b, "} cd_p%d_row;\n", id);
}

static void emit_row(Tasks *t, int k) {
  StrBuf *b = t->b;
  Graph *g = t->g;
  Arena *a = g->arena;
  const Node *x = &g->nodes[t->f->groups[k].sink];
  const Fusion *f = t->f;
  sb_printf(b, "  {%d", k);
  if (x->op == OP_ITEM) {
    sb_printf(b, ", %d, %d", f->group_of[x->in[0]], x->call.item);
  } else if (x->call.kernel < 0) {
    for (int i = 0; i < x->nin; i++) {
      const Node *in = &g->nodes[x->in[i]];
      if (arg_slot(g, f, x, i) == 'c')
        sb_printf(b, ", %s", constant(a, in));
      else if (arg_slot(g, f, x, i) == 'v')
        sb_printf(b, ", %d", arg_buffer(g, f, x, i));
      else if (arg_slot(g, f, x, i) == 'r')
        sb_printf(b, ", %d, %d", arg_buffer(g, f, x, i), in->call.item);
      else
        sb_printf(b, ", %d, %lld", arg_buffer(g, f, x, i), (long long)node_size(in));
    }
  } else {
    const Kernel *kn = &g->kernels[x->call.kernel];
    for (int p = 0; p < kn->nparams; p++) {
      int bd = x->call.bind[p];
      if (bd == CALL_COUNT)
        sb_printf(b, ", %lld", (long long)count_of(g, x, p));
      else if (bd >= 0 && arg_slot(g, f, x, bd) == 'c')
        sb_printf(b, ", %s", constant(a, &g->nodes[x->in[bd]]));
      else if (bd >= 0 && arg_slot(g, f, x, bd) == 'r')
        sb_printf(b, ", %d, %d", arg_buffer(g, f, x, bd), g->nodes[x->in[bd]].call.item);
      else if (bd >= 0)
        sb_printf(b, ", %d", arg_buffer(g, f, x, bd));
    }
  }
  sb_printf(b, "}, /* t%d %s %s:%d */\n", t->f->groups[k].sink, x->name ? x->name : "task",
            c_comment(a, x->file ? x->file : "?"), x->line);
}

/* The calling function: the buffer, the call, the results side by side. */
static void emit_call(Tasks *t, const Pattern *pt) {
  StrBuf *b = t->b;
  Graph *g = t->g;
  Arena *a = g->arena;
  int id = (int)(pt - t->pat);
  const Node *x = &g->nodes[t->f->groups[pt->sample].sink];
  const char *ct = dtype_ctype(x->dtype);
  int depth = emit_depth(b);
  emit_open(b, "static void cd_p%d_call(const cd_p%d_row *cd_r)", id, id);
  sb_line(b, "cdrt_buffer_alloc(&cd_buffers[cd_r->out]);");
  sb_line(b, "%s *cd_out = (%s *)cd_buffers[cd_r->out].data;", ct, ct);
  if (x->op == OP_ITEM) {
    sb_line(b, "cd_out[0] = %s[cd_r->item];", buffer_ptr(a, ct, "a0"));
  } else if (x->call.kernel < 0) {
    sb_line(b, "int64_t cd_at = 0;");
    for (int k = 0; k < x->nin; k++)
      if (arg_slot(g, t->f, x, k) == 'c')
        sb_line(b, "cd_out[cd_at++] = cd_r->a%d;", k);
      else if (arg_slot(g, t->f, x, k) == 'v' || arg_slot(g, t->f, x, k) == 'r')
        sb_line(b, "cd_out[cd_at++] = %s;", arg_value(a, g, t->f, x, k, x->dtype, k));
      else
        sb_line(b,
                "memcpy(cd_out + cd_at, cd_buffers[cd_r->a%d].data, (size_t)cd_r->n%d * sizeof "
                "*cd_out), cd_at += "
                "cd_r->n%d;",
                k, k, k);
    sb_line(b, "(void)cd_out, (void)cd_at;");
  } else {
    const Kernel *kn = &g->kernels[x->call.kernel];
    const char *args = "";
    int result = kn->ret >= 0; /* the return value is result 0, then the pointers */
    for (int p = 0; p < kn->nparams; p++) {
      const KParam *q = &kn->params[p];
      int bd = x->call.bind[p];
      const char *v;
      const char *field = arena_printf(a, "a%d", p);
      if (bd == CALL_OUT)
        v = arena_printf(a, "(void *)(cd_out + %d)", result++);
      else if (bd == CALL_COUNT || arg_slot(g, t->f, x, bd) == 'c')
        v = arena_printf(a, "cd_r->%s", field);
      else if (q->kind == KP_IN)
        v = arena_printf(a, "(const void *)cd_buffers[cd_r->%s].data", field);
      else
        v = arg_value(a, g, t->f, x, bd, (DType)q->dtype, p);
      args = arena_printf(a, "%s%s%s", args, p ? ", " : "", v);
    }
    if (kn->ret >= 0)
      sb_line(b, "cd_out[0] = %s(%s);", kn->name, args);
    else
      sb_line(b, "%s(%s);", kn->name, args);
    if (result == 0) sb_line(b, "cd_out[0] = 0; /* no result: the call's effect is all */");
  }
  emit_close(b, NULL);
  emit_check_depth(b, depth);
}

/* The depend clauses of a pattern's task, reading row r. */
static const char *depend(Tasks *t, const Pattern *pt) {
  Graph *g = t->g;
  Arena *a = g->arena;
  const Node *x = &g->nodes[t->f->groups[pt->sample].sink];
  const char *in = "";
  if (x->op == OP_ITEM) {
    in = "cd_dep[cd_r->a0]";
  } else {
    const Kernel *kn = x->call.kernel >= 0 ? &g->kernels[x->call.kernel] : NULL;
    int n = kn ? kn->nparams : x->nin;
    for (int p = 0; p < n; p++) {
      int bd = kn ? x->call.bind[p] : p;
      if (bd < 0 || arg_slot(g, t->f, x, bd) == 'c') continue;
      in = arena_printf(a, "%s%scd_dep[cd_r->a%d]", in, *in ? ", " : "", p);
    }
  }
  const char *s = *in ? arena_printf(a, " depend(in: %s)", in) : "";
  s = arena_printf(a, "%s depend(out: cd_dep[cd_r->out])", s);
  if (node_has_effect(g, x)) s = arena_printf(a, "%s depend(inout: cd_effects)", s);
  return s;
}

static void emit_spawn(Tasks *t, const Pattern *pt, const char *row) {
  StrBuf *b = t->b;
  int id = (int)(pt - t->pat);
  sb_line(b, "const cd_p%d_row *cd_r = &cd_p%d_rows[%s];", id, id, row);
  sb_line(b, "#pragma omp task%s", depend(t, pt));
  sb_line(b, "cdrt_task_of(CDRT_TASK_DELAYED, cd_r->out, 0, cd_p%d_task, cd_r - cd_p%d_rows);", id,
          id);
}

/* After the run's taskwait: the buffers its groups read for the last time (a loop over
 * a table when there are many). */
static void emit_run_frees(Tasks *t, int k, int e) {
  StrBuf *b = t->b;
  Fusion *f = t->f;
  int n = 0;
  for (int j = k; j < e; j++) n += f->groups[j].nfrees;
  if (n <= 8) {
    for (int j = k; j < e; j++)
      for (int i = 0; i < f->groups[j].nfrees; i++)
        sb_line(b, "cdrt_buffer_free(&cd_buffers[%d]);", f->groups[j].frees[i]);
    return;
  }
  sb_line(b, "static const int32_t frees[%d] = {", n);
  b->indent++;
  for (int j = k; j < e; j++)
    for (int i = 0; i < f->groups[j].nfrees; i++) sb_line(b, "%d,", f->groups[j].frees[i]);
  b->indent--;
  sb_line(b, "};");
  sb_line(b, "for (int32_t i = 0; i < %d; i++) cdrt_buffer_free(&cd_buffers[frees[i]]);", n);
}

enum { MAX_SEGMENTS = 16 /* a run of more stretches of one pattern spawns from a table */ };

/* cd_tasksK: the run of task groups from k to e - 1, spawned in graph order: one loop per
 * stretch of consecutive tasks of one pattern (their rows are consecutive too), or, when
 * the patterns alternate, one loop over a table of (pattern, row). */
static void emit_run_function(Tasks *t, int k, int e) {
  StrBuf *b = t->b;
  Arena *a = t->g->arena;
  int depth = emit_depth(b);
  int nseg = 1;
  for (int j = k + 1; j < e; j++) nseg += t->pattern[j] != t->pattern[j - 1];
  bool table = nseg > MAX_SEGMENTS;
  if (table) {
    sb_printf(b, "static const cd_spawn cd_tasks%d_order[%d] = {\n", k, e - k);
    for (int j = k; j < e; j++) sb_printf(b, "  {%d, %d},\n", t->pattern[j], t->row[j]);
    sb_puts(b, "};\n\n");
  }
  emit_open(b, "static void cd_tasks%d(void)", k);
  if (t->mpi) emit_open(b, "if (cdrt_mpi_rank() == 0) /* once, on rank 0 */");
  if (!table) {
    for (int j = k; j < e;) {
      int s = j;
      while (j < e && t->pattern[j] == t->pattern[s]) j++;
      emit_open(b, "for (int32_t i = 0; i < %d; i++)", j - s);
      emit_spawn(t, &t->pat[t->pattern[s]], t->row[s] ? arena_printf(a, "%d + i", t->row[s]) : "i");
      emit_close(b, NULL);
    }
  } else {
    bool *used = arena_alloc(a, (size_t)t->npat);
    for (int j = k; j < e; j++) used[t->pattern[j]] = true;
    emit_open(b, "for (int32_t i = 0; i < %d; i++)", e - k);
    emit_open(b, "switch (cd_tasks%d_order[i].pattern)", k);
    for (int p = 0; p < t->npat; p++) {
      if (!used[p]) continue;
      emit_open(b, "case %d:", p);
      emit_spawn(t, &t->pat[p], arena_printf(a, "cd_tasks%d_order[i].row", k));
      sb_line(b, "break;");
      emit_close(b, NULL);
    }
    sb_line(b, "default: break;");
    emit_close(b, NULL);
    emit_close(b, NULL);
  }
  if (t->mpi) emit_close(b, NULL);
  sb_line(b, "#pragma omp taskwait");
  if (t->mpi) /* rank 0's results, everywhere */
    sb_line(b,
            "for (int32_t i = %d; i < %d; i++) cdrt_mpi_group(i), cdrt_mpi_share(&cd_buffers[i]);",
            k, e);
  for (int j = k; j < e && t->mpi; j++) { /* for --explain: each buffer is its sink's array */
    const Node *x = &t->g->nodes[t->f->groups[j].sink];
    t->f->groups[j].mpi.bcast = (double)node_size(x) * (double)cdrt_dtype_size(x->dtype);
  }
  emit_run_frees(t, k, e);
  emit_close(b, NULL);
  emit_check_depth(b, depth);
  sb_puts(b, "\n");
}

/* Every task group's pattern and row (rows of a pattern in graph order). */
static void plan_patterns(Tasks *t, int ntasks) {
  Graph *g = t->g;
  Fusion *f = t->f;
  Arena *a = g->arena;
  size_t ng = (size_t)f->ngroups;
  t->mask = 15;
  while (t->mask + 1 < 2 * (size_t)ntasks) t->mask = 2 * t->mask + 1;
  t->slot = arena_alloc(a, (t->mask + 1) * sizeof *t->slot);
  t->pattern = arena_alloc(a, ng * sizeof *t->pattern);
  t->row = arena_alloc(a, ng * sizeof *t->row);
  t->next = arena_alloc(a, ng * sizeof *t->next);
  for (int k = 0; k < f->ngroups; k++) {
    t->pattern[k] = t->next[k] = -1;
    if (!is_task(g, f, k)) continue;
    int p = find_pattern(t, pattern_key(a, g, f, &g->nodes[f->groups[k].sink]), k);
    Pattern *pt = &t->pat[p];
    t->pattern[k] = p, t->row[k] = pt->nrows++;
    if (pt->last >= 0)
      t->next[pt->last] = k;
    else
      pt->first = k;
    pt->last = k;
  }
}

/* Pattern p: its row type, its rows, its calling function. */
static void emit_pattern(Tasks *t, int p) {
  Graph *g = t->g;
  Arena *a = g->arena;
  StrBuf *b = t->b;
  Pattern *pt = &t->pat[p];
  const Node *x = &g->nodes[t->f->groups[pt->sample].sink];
  sb_printf(b, "/* pattern %d: %s */\n", p,
            x->op == OP_ITEM     ? "a result of a task with several"
            : x->call.kernel < 0 ? "a list of values"
                                 : c_comment(a, kernel_signature(a, &g->kernels[x->call.kernel])));
  emit_row_type(t, pt);
  sb_printf(b, "static const cd_p%d_row cd_p%d_rows[%d] = {\n", p, p, pt->nrows);
  for (int k = pt->first; k >= 0; k = t->next[k]) emit_row(t, k);
  sb_puts(b, "};\n");
  emit_call(t, pt);
  emit_open(b, "static void cd_p%d_task(int64_t row)", p);
  sb_line(b, "cd_p%d_call(&cd_p%d_rows[row]);", p, p);
  emit_close(b, NULL);
  sb_puts(b, "\n");
}

void emit_tasks(StrBuf *b, Graph *g, Fusion *f, bool mpi) {
  int ntasks = 0;
  bool effects = false;
  for (int k = 0; k < f->ngroups; k++) {
    ntasks += is_task(g, f, k);
    effects = effects || (is_task(g, f, k) && node_has_effect(g, &g->nodes[f->groups[k].sink]));
  }
  if (!ntasks) return;
  Tasks t = {.g = g, .f = f, .b = b, .mpi = mpi};
  plan_patterns(&t, ntasks);
  sb_printf(b,
            "/* delayed tasks: %d, in %d pattern%s (a kernel and its kinds of arguments), "
            "each a table of rows and one calling function */\n",
            ntasks, t.npat, t.npat == 1 ? "" : "s");
  sb_printf(b, "static char cd_dep[%d]; /* the dependence object of each buffer */\n", f->ngroups);
  if (effects) sb_puts(b, "static char cd_effects; /* impure kernels run in script order */\n");
  sb_puts(b, "typedef struct {\n  int32_t pattern, row;\n} cd_spawn;\n\n");
  for (int p = 0; p < t.npat; p++) emit_pattern(&t, p);
  for (int k = 0; k < f->ngroups;) {
    int e = k;
    while (is_task(g, f, e)) e++;
    if (e > k) emit_run_function(&t, k, e);
    k = e > k ? e : k + 1;
  }
}

int emit_task_run_call(StrBuf *b, const Graph *g, const Fusion *f, int k) {
  int e = k;
  while (is_task(g, f, e)) e++;
  sb_line(b, "cd_tasks%d(); /* %d delayed task%s */", k, e - k, e - k == 1 ? "" : "s");
  return e;
}
