/* emit_kernels.c: the user's C kernels in the program. Every cd.cfile's text is pasted
 * once, after the runtime, between #line directives, so that the C compiler's messages
 * and the sanitizers name the user's file and line; an #include of cdask_kernel.h becomes
 * a comment (the runtime above defines cdask_block), so the emitted C builds without the
 * kernel files. Each scalar kernel a group calls gets a wrapper, cd_call_NAME, taking and
 * returning the runtime's element types (a loop over arrays' tiles or a scan's rows): complex
 * values are converted there (the runtime's cdrt_c128 is two doubles, the kernel's double _Complex
 * has the same layout), and no local name of a tile function (n, lo, part, ...) can hide the
 * kernel's name. */
#include "emit.h"

#include <string.h>

/* Whether the line starting at p (its end at e) is an #include of cdask_kernel.h. */
static bool includes_kernel_header(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  if (p == e || *p++ != '#') return false;
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  if ((size_t)(e - p) < 7 || strncmp(p, "include", 7) != 0) return false;
  p += 7;
  while (p < e && (*p == ' ' || *p == '\t')) p++;
  static const char name[] = "cdask_kernel.h";
  size_t n = sizeof name - 1;
  if ((size_t)(e - p) < n + 2 || (*p != '"' && *p != '<')) return false;
  return strncmp(p + 1, name, n) == 0 && p[n + 1] == (*p == '"' ? '"' : '>');
}

static int lines_so_far(const StrBuf *b) {
  int n = 0;
  for (size_t i = 0; i < b->len; i++) n += b->data[i] == '\n';
  return n;
}

void emit_kernel_files(StrBuf *b, const Graph *g, const char *c_name) {
  for (int i = 0; i < g->ncfiles; i++) {
    const CFile *cf = &g->cfiles[i];
    sb_printf(b, "\n/* ---- %s, loaded at %s:%d ---- */\n", c_comment(g->arena, cf->path),
              c_comment(g->arena, cf->script), cf->line);
    sb_puts(b, "#line 1 ");
    c_string(b, cf->path);
    sb_puts(b, "\n");
    for (const char *p = cf->text, *end = cf->text + cf->len; p < end;) {
      const char *e = memchr(p, '\n', (size_t)(end - p));
      if (!e) e = end;
      if (includes_kernel_header(p, e))
        sb_puts(b, "/* cdask_kernel.h: defined by the runtime above */");
      else
        sb_printf(b, "%.*s", (int)(e - p), p);
      sb_puts(b, "\n");
      p = e + 1;
    }
    for (int m = 0; m < cf->nmacros; m++) /* its macros end with it */
      sb_printf(b, "#undef %s\n", cf->macros[m]);
    /* the next line is the emitted file's line (directive's line + 1) */
    sb_printf(b, "#line %d ", lines_so_far(b) + 2);
    c_string(b, c_name ? c_name : "pipeline.c");
    sb_puts(b, "\n");
  }
}

/* A kernel's value parameter or result type as the kernel sees it: the runtime's types,
 * but complex values as C's _Complex. */
static const char *kernel_ctype(DType t) {
  if (t == CDRT_COMPLEX128) return "double _Complex";
  if (t == CDRT_COMPLEX64) return "float _Complex";
  return dtype_ctype(t);
}

static void emit_wrapper(StrBuf *b, const Graph *g, const Kernel *k) {
  Arena *a = g->arena;
  sb_printf(b, "/* %s (%s:%d), %s */\n", c_comment(a, kernel_signature(a, k)),
            c_comment(a, k->file), k->line, k->pure ? "pure" : "impure");
  const char *ret = dtype_ctype((DType)k->ret);
  const char *sig = arena_printf(a, "static inline %s cd_call_%s(", ret, k->name);
  for (int i = 0; i < k->nparams; i++)
    sig = arena_printf(a, "%s%s%s a%d", sig, i ? ", " : "", dtype_ctype((DType)k->params[i].dtype),
                       i);
  emit_open(b, "%s)", sig);
  const char *args = "";
  for (int i = 0; i < k->nparams; i++) {
    DType t = (DType)k->params[i].dtype;
    if (dtype_is_complex(t)) {
      sb_line(b, "%s z%d;", kernel_ctype(t), i);
      sb_line(b, "memcpy(&z%d, &a%d, sizeof z%d);", i, i, i);
    }
    args = arena_printf(a, "%s%s%c%d", args, i ? ", " : "", dtype_is_complex(t) ? 'z' : 'a', i);
  }
  if (dtype_is_complex((DType)k->ret)) {
    sb_line(b, "%s r = %s(%s);", kernel_ctype((DType)k->ret), k->name, args);
    sb_line(b, "%s v;", ret);
    sb_line(b, "memcpy(&v, &r, sizeof v);");
    sb_line(b, "return v;");
  } else {
    sb_line(b, "return %s(%s);", k->name, args);
  }
  emit_close(b, NULL);
}

void emit_kernel_wrappers(StrBuf *b, const Graph *g, const Fusion *f) {
  bool *called = arena_alloc(g->arena, (size_t)(g->nkernels ? g->nkernels : 1));
  for (int k = 0; k < f->ngroups; k++)
    for (int i = 0; i < f->groups[k].nmembers; i++) {
      const Node *x = &g->nodes[f->groups[k].members[i]];
      if (x->op == OP_CALL || x->op == OP_CALL_IMPURE) called[x->call.kernel] = true;
    }
  for (int x = 0; x < g->tables.nx; x++) /* a bag's or frame's rows (emit_rows.c) */
    if (g->tables.x[x].kind == TX_CALL) called[g->tables.x[x].i] = true;
  bool any = false;
  for (int k = 0; k < g->nkernels; k++) {
    if (!called[k]) continue;
    if (!any) sb_puts(b, "\n/* The scalar kernels the loops call, in the runtime's types */\n");
    any = true;
    emit_wrapper(b, g, &g->kernels[k]);
  }
}
