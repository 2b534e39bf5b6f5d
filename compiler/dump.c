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
    extra = x->from_result ? arena_printf(a, " (dataframe result %d)", x->from_result - 1)
                           : arena_printf(a, " %s", x->str);
    break;
  case OP_TO_NPY:
  case OP_TO_TABLE:
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

/* ---- pictures (da.visualize, --visualize): operations and groups, never chunks ---- */

static const char *const group_colors[] = {"#a6cee3", "#b2df8a", "#fb9a99", "#fdbf6f", "#cab2d6",
                                           "#ffff99", "#8dd3c7", "#fccde5", "#d9d9d9", "#bc80bd"};

/* A constant the script did not name (the 2 of a * 2) is part of its reader's label, not a
 * box, unless it is drawn for its own sake (root). */
typedef struct {
  Graph *g;
  const bool *root;
} Shown;
static bool folded(const Shown *v, int id) {
  const Node *x = &v->g->nodes[id];
  return x->op == OP_FULL && (x->ndim == 0 || !x->name) && !v->root[id];
}

/* a folded constant, short (the dumps print every digit) */
static const char *constant_text(Graph *g, const Node *x) {
  return dtype_is_float(x->dtype) || dtype_is_complex(x->dtype)
             ? arena_printf(g->arena, "%.6g", x->value.f)
             : arena_printf(g->arena, "%lld", (long long)x->value.i);
}

/* The chunks of x: the tasks Dask would make for it. */
static double chunk_count(const Node *x) {
  double n = 1;
  for (int d = 0; d < x->ndim; d++)
    if (x->chunk[d] > 0) n *= (double)((x->shape[d] + x->chunk[d] - 1) / x->chunk[d]);
  return n;
}

/* label text escaped for a double-quoted dot string */
static void put_dot_string(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', out);
    fputc(*s, out);
  }
}

static const char *group_sink_name(const Graph *g, const Group *gr) {
  const Node *s = &g->nodes[gr->sink];
  return s->op == OP_REDUCE ? rop_names[s->rop] : s->name ? s->name : op_names[s->op];
}

/* One operation's box: what it is, its dtype and shape, its chunks and tasks (before
 * fusion: Dask's tasks of that operation), the script's line. */
static void picture_node(FILE *out, const Shown *v, int id, const char *name, bool tasks,
                         bool bold) {
  Graph *g = v->g;
  const Node *x = &g->nodes[id];
  fprintf(out, "    %s [label=\"", name);
  put_dot_string(out, node_label(g, id));
  for (int k = 0, n = 0; k < x->nin; k++) /* the constants it reads */
    if (folded(v, x->in[k])) {
      fputs(n++ ? ", " : " with ", out);
      put_dot_string(out, constant_text(g, &g->nodes[x->in[k]]));
    }
  fprintf(out, "\\n%s %s", cdrt_dtype_name(x->dtype), shape_str(g->arena, x->ndim, x->shape));
  if (tasks) {
    double n = chunk_count(x);
    fprintf(out, " chunks %s\\n%.0f task%s", shape_str(g->arena, x->ndim, x->chunk), n,
            n == 1 ? "" : "s");
  }
  fputs("\\n", out);
  put_dot_string(out, arena_printf(g->arena, "%s:%d", x->file, x->line));
  fprintf(out, "\"%s];\n", bold ? ", penwidth=2" : "");
}

/* The nodes the picture shows: what its roots need (the whole program: what is live). */
static bool *picture_nodes(Graph *g, const Picture *p, bool *root) {
  bool *shown = arena_alloc(g->arena, (size_t)g->nnodes + 1);
  if (p->nroots == 0) {
    graph_live(g, shown);
  } else {
    for (int i = 0; i < p->nroots; i++) shown[p->roots[i]] = root[p->roots[i]] = true;
    for (int i = g->nnodes - 1; i >= 0; i--) /* inputs come first: one backward sweep */
      if (shown[i])
        for (int k = 0; k < g->nodes[i].nin; k++) shown[g->nodes[i].in[k]] = true;
  }
  return shown;
}

static void picture_operations(FILE *out, const Shown *v, const bool *shown) {
  Graph *g = v->g;
  for (int i = 0; i < g->nnodes; i++) {
    const Node *x = &g->nodes[i];
    if (!shown[i] || folded(v, i)) continue;
    picture_node(out, v, i, arena_printf(g->arena, "t%d", i), true, false);
    for (int k = 0; k < x->nin; k++)
      if (!folded(v, x->in[k])) fprintf(out, "    t%d -> t%d;\n", x->in[k], i);
  }
}

/* One cluster per group (a node computed inline in two groups is drawn in each: gK_tI),
 * colored by group; an edge from another group leaves the node that group stored. */
static int picture_groups(FILE *out, const Shown *v, Fusion *f, const bool *shown) {
  Graph *g = v->g;
  int drawn = 0;
  int *member = arena_alloc(g->arena, sizeof *member * ((size_t)g->nnodes + 1));
  for (int k = 0; k < f->ngroups; k++) {
    const Group *gr = &f->groups[k];
    /* it makes what the roots need, or computes a root inline */
    bool wanted = shown[gr->sink];
    for (int i = 0; i < gr->nmembers; i++) wanted = wanted || v->root[gr->members[i]];
    if (!wanted) continue;
    drawn++;
    const Node *s = &g->nodes[gr->sink];
    fprintf(out, "  subgraph cluster_g%d {\n    style=filled;\n    color=\"%s\";\n", k,
            group_colors[k % (int)(sizeof group_colors / sizeof *group_colors)]);
    fprintf(out, "    label=\"g%d:%s\\n%lld task%s, tiles of %s\\n", k, group_sink_name(g, gr),
            (long long)gr->ntiles, gr->ntiles == 1 ? "" : "s",
            shape_str(g->arena, gr->ndim, gr->chunk));
    put_dot_string(out, arena_printf(g->arena, "%s:%d", s->file, s->line));
    fputs("\";\n", out);
    bool sink_member = false;
    for (int i = 0; i < gr->nmembers; i++) {
      int id = gr->members[i];
      sink_member = sink_member || id == gr->sink;
      if (!folded(v, id))
        picture_node(out, v, id, arena_printf(g->arena, "g%d_t%d", k, id), false, id == gr->sink);
    }
    if (!sink_member)
      picture_node(out, v, gr->sink, arena_printf(g->arena, "g%d_t%d", k, gr->sink), false, true);
    fputs("  }\n", out);
    for (int i = 0; i < gr->nmembers; i++) member[gr->members[i]] = k + 1;
    member[gr->sink] = k + 1;
    for (int i = 0; i <= gr->nmembers; i++) {
      int id = i < gr->nmembers ? gr->members[i] : gr->sink;
      if (id == gr->sink && i < gr->nmembers) continue; /* drawn last */
      const Node *x = &g->nodes[id];
      for (int j = 0; j < x->nin; j++) {
        int in = x->in[j];
        if (folded(v, in)) continue;
        int from = member[in] == k + 1 ? k : f->group_of[in];
        if (from >= 0) fprintf(out, "  g%d_t%d -> g%d_t%d;\n", from, in, k, id);
      }
    }
  }
  return drawn;
}

char *dump_picture(Graph *g, Fusion *f, const Picture *p, size_t *len, char *err, size_t n) {
  char *buf = NULL;
  FILE *out = open_memstream(&buf, len);
  if (!out) {
    snprintf(err, n, "out of memory");
    return NULL;
  }
  bool *root = arena_alloc(g->arena, (size_t)g->nnodes + 1);
  bool *shown = picture_nodes(g, p, root);
  Shown v = {g, root};
  fprintf(
      out,
      "digraph cdask {\n  rankdir=%s;\n  node [shape=box, style=\"rounded,filled\", "
      "fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n  graph [fontname=\"Helvetica\", "
      "fontsize=11];\n",
      p->rankdir);
  int drawn = 1;
  if (p->optimize)
    drawn = picture_groups(out, &v, f, shown);
  else
    picture_operations(out, &v, shown);
  fputs("}\n", out);
  if (fclose(out) != 0 || !drawn) {
    if (!drawn)
      snprintf(err, n,
               "nothing to draw after fusion: the program computes none of it (give it to "
               "da.to_npy or da.print, or draw it with optimize_graph = false)");
    else
      snprintf(err, n, "out of memory");
    free(buf);
    return NULL;
  }
  return buf;
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

/* da.callbacks: the hooks, apart from the kernels (no group calls them) */
static void explain_callbacks(FILE *out, const Graph *g) {
  if (!g->callbacks.set) return;
  const CFile *cf = &g->cfiles[g->callbacks.cfile];
  fprintf(out, "callbacks %s (loaded at %s:%d):", cf->path, cf->script, cf->line);
  for (int h = 0, n = 0; h < HOOK_COUNT; h++)
    if (g->callbacks.hook[h])
      fprintf(out, "%s %s (line %d)", n++ ? "," : "", hook_names[h], g->callbacks.hook_line[h]);
  fprintf(out, "; called around the run and every task\n");
}

void explain(FILE *out, Graph *g, Fusion *f, bool mpi) {
  explain_kernels(out, g, f);
  explain_callbacks(out, g);
  const GroupCost *costs = group_costs(g, f);
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
    const GroupCost c = costs[k];
    fprintf(out, "\n  cost: %.0f elements, %.0f bytes read, %.0f bytes written, %.0f flops%s\n",
            c.elements, c.bytes_read, c.bytes_written, c.flops,
            c.kernels ? " (the C kernels' work not counted)" : "");
    if (mpi) mpi_explain_group(out, &gr->mpi); /* planned by the emitter (emit_program) */
  }
  char peak[32];
  cdrt_format_bytes(peak, sizeof peak, f->peak_bytes);
  fprintf(out, "memory: groups run in order; the arrays held at once peak at %s\n", peak);
}
