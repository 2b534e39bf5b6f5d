/* dump.c: the graph in readable forms: text (--dump-after, with what chunk and memplan
 * decided), Graphviz .dot and .json (--dump-graph before fusion, --dump-fused after), and
 * --explain, one line per group.
 * Only live nodes (those some output or effect needs) are shown. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

static const char *node_label(Graph *g, int id) {
  const Node *x = &g->nodes[id];
  Arena *a = g->arena;
  const char *what = x->name ? x->name : op_names[x->op];
  const char *extra = "";
  switch (x->op) {
  case OP_FULL:
    extra = dtype_is_float(x->dtype) ? arena_printf(a, " %.17g", x->value.f)
                                     : arena_printf(a, " %lld", (long long)x->value.i);
    break;
  case OP_RNORMAL:
  case OP_RUNIFORM:
    extra = arena_printf(a, " (%.17g, %.17g) seed=%llu", x->random.a, x->random.b,
                         (unsigned long long)x->random.seed);
    break;
  case OP_INPUT:
  case OP_TO_NPY:
  case OP_PRINT: extra = arena_printf(a, " %s", x->str); break;
  case OP_CALL:
  case OP_CALL_IMPURE:
    what = op_names[x->op];
    extra = arena_printf(a, " %s%s", g->kernels[x->call.kernel].name,
                         x->op == OP_CALL_IMPURE ? " (impure)" : "");
    break;
  case OP_REDUCE: {
    what = rop_names[x->rop];
    char axes[64] = "";
    size_t n = 0;
    for (int d = 0; d < MAXDIM; d++)
      if (x->axes >> d & 1) n += (size_t)snprintf(axes + n, sizeof axes - n, n ? ",%d" : "%d", d);
    extra = arena_printf(a, " axes=(%s)", axes);
    break;
  }
  case OP_MAP_BLOCKS: { /* the kernel, and map_overlap's halo */
    static const char *const modes[] = {"none", "reflect", "periodic", "nearest"};
    extra = arena_printf(a, " %s", g->kernels[x->call.kernel].name);
    bool halo = false;
    for (int d = 0; d < MAXDIM; d++) halo = halo || x->block.depth[d];
    if (halo)
      extra = arena_printf(a, "%s depth=%s boundary=%s%s", extra,
                           shape_str(a, g->nodes[x->in[0]].ndim, x->block.depth),
                           x->block.boundary == CDRT_BOUNDARY_CONSTANT
                               ? arena_printf(a, "%.17g", x->block.cval)
                               : modes[x->block.boundary],
                           x->block.trim ? " trim" : "");
    break;
  }
  case OP_VIEW: {
    StrBuf s;
    sb_init(&s);
    sb_puts(&s, " in=[");
    for (int d = 0; d < x->map->nin; d++) {
      sb_printf(&s, d ? ", %lld" : "%lld", (long long)x->map->off[d]);
      for (int k = 0; k < x->map->nout; k++)
        if (x->map->a[d][k]) sb_printf(&s, "%+lld*o%d", (long long)x->map->a[d][k], k);
    }
    sb_puts(&s, "]");
    extra = arena_strdup(a, s.data);
    sb_free(&s);
    break;
  }
  default: break;
  }
  return arena_printf(a, "%s%s", what, extra);
}

void dump_text(FILE *out, Graph *g, Fusion *f) {
  bool *live = arena_alloc(g->arena, (size_t)g->nnodes + 1);
  graph_live(g, live);
  for (int i = 0; i < g->nnodes; i++) {
    if (!live[i]) continue;
    const Node *x = &g->nodes[i];
    fprintf(out, "t%d = %s", i, node_label(g, i));
    for (int k = 0; k < x->nin; k++) fprintf(out, "%s t%d", k ? "," : "", x->in[k]);
    fprintf(out, " : %s%s chunks=%s", cdrt_dtype_name(x->dtype),
            shape_str(g->arena, x->ndim, x->shape), shape_str(g->arena, x->ndim, x->chunk));
    if (f && f->group_of[i] >= 0) fprintf(out, " [group %d]", f->group_of[i]);
    fprintf(out, "  ; %s:%d\n", x->file ? x->file : "?", x->line);
  }
  if (!f) return;
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    fprintf(out, "group %d: sink t%d, %lld tiles, fuses", k, gr->sink, (long long)gr->ntiles);
    for (int i = 0; i < gr->nmembers; i++) fprintf(out, " t%d", gr->members[i]);
    fprintf(out, "; %s\n", gr->why);
  }
}

/* --dump-after=chunk: each group's tiles, after the graph */
void dump_tiles(FILE *out, Graph *g, Fusion *f) {
  for (int k = 0; k < f->ngroups; k++) {
    const Group *gr = &f->groups[k];
    fprintf(out, "group %d tiles: %s from chunks %s, %lld over [", k,
            shape_str(g->arena, gr->ndim, gr->chunk), shape_str(g->arena, gr->ndim, gr->user_chunk),
            (long long)gr->ntiles);
    for (int d = 0; d < gr->ndim; d++)
      fprintf(out, "%s%lld:%lld", d ? ", " : "", (long long)gr->lo[d], (long long)gr->hi[d]);
    fprintf(out, "]; %s\n", gr->tile_why ? gr->tile_why : "");
  }
}

/* --dump-after=memplan: each group's buffers, then the peak */
void dump_memory(FILE *out, Graph *g, Fusion *f) {
  (void)g;
  for (int k = 0; k < f->ngroups; k++) {
    const Group *gr = &f->groups[k];
    fprintf(out, "group %d memory: donor ", k);
    fprintf(out, gr->donor >= 0 ? "group %d" : "none", gr->donor);
    fprintf(out, "%s%s%s, frees", gr->copy_only ? ", copy_only" : "",
            gr->r2c_in_place ? ", r2c_in_place" : "", gr->fft_scratch ? ", fft_scratch" : "");
    for (int i = 0; i < gr->nfrees; i++) fprintf(out, " group %d", gr->frees[i]);
    fprintf(out, "%s\n", gr->nfrees ? "" : " none");
  }
  char peak[32];
  cdrt_format_bytes(peak, sizeof peak, f->peak_bytes);
  fprintf(out, "peak_bytes %.0f (%s)\n", f->peak_bytes, peak);
}

/* manifest.c's writer: the same JSON strings in the dumps as in the manifest */
static void put_json(FILE *out, const char *s) {
  StrBuf b;
  sb_init(&b);
  json_string(&b, s);
  fputs(b.data, out);
  sb_free(&b);
}

static void dump_json(FILE *out, Graph *g, Fusion *f, const bool *live) {
  fprintf(out, "{\n  \"nodes\": [\n");
  bool first = true;
  for (int i = 0; i < g->nnodes; i++) {
    if (!live[i]) continue;
    const Node *x = &g->nodes[i];
    fprintf(out, "%s    {\"id\": %d, \"op\": ", first ? "" : ",\n", i);
    first = false;
    put_json(out, op_names[x->op]);
    fprintf(out, ", \"label\": ");
    put_json(out, node_label(g, i));
    fprintf(out, ", \"dtype\": \"%s\", \"shape\": [", cdrt_dtype_name(x->dtype));
    for (int d = 0; d < x->ndim; d++) fprintf(out, d ? ", %lld" : "%lld", (long long)x->shape[d]);
    fprintf(out, "], \"chunks\": [");
    for (int d = 0; d < x->ndim; d++) fprintf(out, d ? ", %lld" : "%lld", (long long)x->chunk[d]);
    fprintf(out, "], \"inputs\": [");
    for (int k = 0; k < x->nin; k++) fprintf(out, k ? ", %d" : "%d", x->in[k]);
    fprintf(out, "], \"file\": ");
    put_json(out, x->file);
    fprintf(out, ", \"line\": %d", x->line);
    if (f) fprintf(out, ", \"group\": %d", f->group_of[i]);
    fprintf(out, "}");
  }
  fprintf(out, "\n  ]");
  if (f) {
    fprintf(out, ",\n  \"groups\": [\n");
    for (int k = 0; k < f->ngroups; k++) {
      Group *gr = &f->groups[k];
      fprintf(out, "%s    {\"id\": %d, \"sink\": %d, \"tiles\": %lld, \"fuses\": [", k ? ",\n" : "",
              k, gr->sink, (long long)gr->ntiles);
      for (int i = 0; i < gr->nmembers; i++) fprintf(out, i ? ", %d" : "%d", gr->members[i]);
      fprintf(out, "], \"reads_groups\": [");
      for (int i = 0; i < gr->ndeps; i++) fprintf(out, i ? ", %d" : "%d", gr->deps[i]);
      fprintf(out, "], \"why\": ");
      put_json(out, gr->why);
      fprintf(out, "}");
    }
    fprintf(out, "\n  ]");
  }
  fprintf(out, "\n}\n");
}

static void dump_dot(FILE *out, Graph *g, Fusion *f, const bool *live) {
  fprintf(out, "digraph cdask {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n");
  if (f) {
    for (int k = 0; k < f->ngroups; k++) {
      Group *gr = &f->groups[k];
      fprintf(out, "  subgraph cluster_g%d {\n    label=\"group %d: %lld tiles, %s\";\n", k, k,
              (long long)gr->ntiles, gr->why);
      for (int i = 0; i < gr->nmembers; i++)
        if (gr->members[i] != gr->sink) fprintf(out, "    t%d;\n", gr->members[i]);
      fprintf(out, "    t%d [style=bold];\n  }\n", gr->sink);
    }
  }
  for (int i = 0; i < g->nnodes; i++) {
    if (!live[i]) continue;
    const Node *x = &g->nodes[i];
    fprintf(out, "  t%d [label=\"t%d %s\\n%s%s\\n%s:%d\"];\n", i, i, node_label(g, i),
            cdrt_dtype_name(x->dtype), shape_str(g->arena, x->ndim, x->shape), x->file, x->line);
    for (int k = 0; k < x->nin; k++) fprintf(out, "  t%d -> t%d;\n", x->in[k], i);
  }
  fprintf(out, "}\n");
}

bool dump_name_ok(const char *path) {
  size_t n = strlen(path);
  return (n > 5 && strcmp(path + n - 5, ".json") == 0) ||
         (n > 4 && strcmp(path + n - 4, ".dot") == 0);
}

char *dump_file(const char *path, Graph *g, Fusion *f, size_t *len) {
  size_t n = strlen(path);
  bool json = n > 5 && strcmp(path + n - 5, ".json") == 0;
  char *buf = NULL;
  FILE *out = open_memstream(&buf, len);
  if (!out) return NULL;
  bool *live = arena_alloc(g->arena, (size_t)g->nnodes + 1);
  graph_live(g, live);
  if (json)
    dump_json(out, g, f, live);
  else
    dump_dot(out, g, f, live);
  if (fclose(out) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

/* The groups (a list "0, 2") whose loops call kernel k. */
static const char *groups_calling(Graph *g, Fusion *f, int k) {
  const char *s = "";
  for (int j = 0; j < f->ngroups; j++) {
    const Group *gr = &f->groups[j];
    bool calls = false;
    for (int i = 0; i < gr->nmembers; i++) {
      const Node *x = &g->nodes[gr->members[i]];
      calls = calls || ((x->op == OP_CALL || x->op == OP_CALL_IMPURE) && x->call.kernel == k);
    }
    if (calls) s = arena_printf(g->arena, "%s%s%d", s, *s ? ", " : "", j);
  }
  return s;
}

/* One line per kernel of the script's C files: pure or why not, and the groups whose loops
 * call it. */
static void explain_kernels(FILE *out, Graph *g, Fusion *f) {
  for (int k = 0; k < g->nkernels; k++) {
    const Kernel *kn = &g->kernels[k];
    fprintf(out, kn->pure ? "kernel %s (%s:%d): pure (%s)" : "kernel %s (%s:%d): impure: %s",
            kn->name, kn->file, kn->line, kn->why);
    const char *in = groups_calling(g, f, k);
    const char *s = strchr(in, ',') ? "s" : "";
    if (*in && kn->pure)
      fprintf(out, "; its calls are fused into the loops of group%s %s", s, in);
    else if (*in)
      fprintf(out, "; each call is a group of its own, tiles in order: group%s %s", s, in);
    fprintf(out, "\n");
  }
}

void explain(FILE *out, Graph *g, Fusion *f) {
  explain_kernels(out, g, f);
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    const Node *s = &g->nodes[gr->sink];
    fprintf(out, "group %d (%s:%d): fuses", k, s->file, s->line);
    int shown = 0;
    for (int i = 0; i < gr->nmembers; i++) {
      const Node *x = &g->nodes[gr->members[i]];
      fprintf(out, "%s %s", shown++ ? "," : "", x->name ? x->name : op_names[x->op]);
    }
    if (gr->kind == G_REDUCE) fprintf(out, "%s %s", shown ? " ->" : "", rop_names[s->rop]);
    fprintf(out, "; domain %s, chunks %s, %lld tiles of %s (%s); %s",
            shape_str(g->arena, gr->ndim, gr->shape), shape_str(g->arena, gr->ndim, gr->user_chunk),
            (long long)gr->ntiles, shape_str(g->arena, gr->ndim, gr->chunk),
            gr->tile_why ? gr->tile_why : "", gr->why);
    if (gr->culled) {
      double all = 1, part = 1;
      fprintf(out, "; culled: computes [");
      for (int d = 0; d < gr->ndim; d++) {
        fprintf(out, "%s%lld:%lld", d ? ", " : "", (long long)gr->lo[d], (long long)gr->hi[d]);
        all *= (double)gr->shape[d], part *= (double)(gr->hi[d] - gr->lo[d]);
      }
      fprintf(out, "], %.3g%% of the domain", all > 0 ? 100 * part / all : 0.0);
    }
    if (gr->ndeps) {
      fprintf(out, "; reads group");
      for (int i = 0; i < gr->ndeps; i++) fprintf(out, " %d", gr->deps[i]);
    }
    if (gr->halo_inline)
      fprintf(out, "; computed into the halo boxes of the block kernel that reads it, no array");
    if (gr->stream_into >= 0)
      fprintf(out, "; streamed: group %d's tiles call the kernel and read its blocks, no array",
              gr->stream_into);
    if (gr->streamed >= 0)
      fprintf(out, "; each tile makes its block of group %d first", gr->streamed);
    if (gr->donor >= 0)
      fprintf(out, "; writes in place over group %d's array (it dies here)%s", gr->donor,
              gr->copy_only ? ", no tiles: they would copy it onto itself" : "");
    if (gr->nfrees) {
      fprintf(out, "; then frees group");
      for (int i = 0; i < gr->nfrees; i++) fprintf(out, " %d", gr->frees[i]);
    }
    fprintf(out, "\n");
  }
  char peak[32];
  cdrt_format_bytes(peak, sizeof peak, f->peak_bytes);
  fprintf(out, "memory: groups run in order; the arrays held at once peak at %s\n", peak);
}
