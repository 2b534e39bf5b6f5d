/* callbacks.c: da.callbacks("file.c"), Dask's Callback(start, pretask, posttask, finish).
 * The file is read like a kernel file (kernels.c: libclang's diagnostics, no name twice
 * in the program) and pasted into the program like one (emit_kernels.c); the functions
 * named start, pretask, posttask and finish are the hooks and must have cdask_kernel.h's
 * signatures; any other function is a helper. None of them is a kernel: they leave
 * g->kernels, so a script cannot call them and --explain lists them apart. emit.c makes
 * the table cd_callbacks the runtime calls. */
#include "cdask.h"

#include <string.h>

const char *const hook_names[HOOK_COUNT] = {"start", "pretask", "posttask", "finish"};

static const char *const hook_signatures[HOOK_COUNT] = {
    "void start(int64_t ntasks, int nthreads)", "void pretask(const cdask_task *t)",
    "void posttask(const cdask_task *t, double sec)", "void finish(double sec, int errored)"};

/* s without blanks, for comparing spellings of a type */
static const char *squeeze(Arena *a, const char *s) {
  char *r = arena_alloc(a, strlen(s) + 1), *p = r;
  for (; *s; s++)
    if (*s != ' ' && *s != '\t') *p++ = *s;
  return r;
}

static bool task_pointer(Arena *a, const KParam *p) {
  const char *t = squeeze(a, p->ctype);
  return strcmp(t, "constcdask_task*") == 0 || strcmp(t, "conststructcdask_task*") == 0 ||
         strcmp(t, "cdask_taskconst*") == 0 || strcmp(t, "structcdask_taskconst*") == 0;
}

static bool value_of(const KParam *p, DType t) {
  return p->kind == KP_VALUE && p->dtype == (int)t;
}

/* Whether kernel k has hook h's signature. */
static bool hook_ok(Arena *a, const Kernel *k, int h) {
  if (k->ret != -1 || strcmp(k->ret_ctype, "void") != 0) return false;
  const KParam *p = k->params;
  switch (h) {
  case HOOK_START:
    return k->nparams == 2 && value_of(&p[0], CDRT_INT64) && value_of(&p[1], CDRT_INT32);
  case HOOK_PRETASK: return k->nparams == 1 && task_pointer(a, &p[0]);
  case HOOK_POSTTASK:
    return k->nparams == 2 && task_pointer(a, &p[0]) && value_of(&p[1], CDRT_FLOAT64);
  default: return k->nparams == 2 && value_of(&p[0], CDRT_FLOAT64) && value_of(&p[1], CDRT_INT32);
  }
}

int callbacks_read(Graph *g, const char *path, const char *script, int line, FILE *diag, char *err,
                   size_t n) {
  Arena *a = g->arena;
  int first = g->nkernels;
  char why[512];
  int cf = kernels_read(g, path, NULL, NULL, script, line, diag, why, sizeof why);
  if (cf < 0) {
    snprintf(err, n, "%s: %s", path, why);
    return -1;
  }
  Callbacks cb = {.cfile = cf, .set = true};
  int found = 0;
  for (int i = first; i < g->nkernels; i++) {
    const Kernel *k = &g->kernels[i];
    for (int h = 0; h < HOOK_COUNT; h++) {
      if (strcmp(k->name, hook_names[h]) != 0) continue;
      if (!hook_ok(a, k, h)) {
        /* "FILE:LINE " without ": " after it: the frontend reads "X:N: " as a location */
        snprintf(err, n, "the hook %s at %s:%d is '%s': it must be '%s' (cdask_kernel.h)",
                 hook_names[h], k->file, k->line, kernel_signature(a, k), hook_signatures[h]);
        return -1;
      }
      cb.hook[h] = k->name, cb.hook_line[h] = k->line;
      found++;
    }
  }
  if (!found) {
    snprintf(err, n,
             "%s defines none of the hooks (non-static functions): %s; %s; %s; %s "
             "(cdask_kernel.h)",
             path, hook_signatures[0], hook_signatures[1], hook_signatures[2], hook_signatures[3]);
    return -1;
  }
  g->nkernels = first; /* hooks and helpers are no kernels */
  g->callbacks = cb;
  return 0;
}
