/* kernels.c: a C file of the user's (cd.cfile), read with libclang's C API (contract:
 * cdask.h, kernels.c). One parse gives the diagnostics, every function's signature and a
 * walk of every body for side effects:
 * - a function is impure when it uses a global that is not const (or a static local), casts
 *   a pointer to const into one that is not, calls through a function pointer, or calls a
 *   function outside the C library's math and string functions (sleeping is allowed: it
 *   changes no data) or another function of the file that is impure;
 * - __attribute__((const)) and __attribute__((pure)) declare a function pure.
 * The file's bytes are read once and parsed from memory (libclang's unsaved file), so the
 * text copied into the program is the text that was checked. */
#include "cdask.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <string.h>

extern const char cdask_kernel_header[];

#define HEADER_DIR "/cdask-predefined"
#define HEADER_PATH HEADER_DIR "/cdask_kernel.h"

static char *take(Arena *a, CXString s) {
  const char *c = clang_getCString(s);
  char *r = arena_strdup(a, c ? c : "");
  clang_disposeString(s);
  return r;
}

/* Where a cursor starts: file (as clang names it), line, column. */
static const char *cursor_place(Arena *a, CXCursor c, unsigned *line, unsigned *col) {
  CXFile f;
  clang_getSpellingLocation(clang_getCursorLocation(c), &f, line, col, NULL);
  return f ? take(a, clang_getFileName(f)) : "";
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* ---- signatures ---- */

/* The DType of a canonical value type, or -1; *integer tells integer types (size_t too). */
static int value_dtype(CXType t, bool *integer) {
  *integer = false;
  switch (t.kind) {
  case CXType_Double: return CDRT_FLOAT64;
  case CXType_Float: return CDRT_FLOAT32;
  case CXType_Bool: return CDRT_BOOL;
  case CXType_Int: *integer = true; return CDRT_INT32;
  case CXType_Long:
  case CXType_LongLong: *integer = true; return clang_Type_getSizeOf(t) == 8 ? CDRT_INT64 : -1;
  case CXType_Complex: {
    CXType e = clang_getCanonicalType(clang_getElementType(t));
    return e.kind == CXType_Double ? CDRT_COMPLEX128 : e.kind == CXType_Float ? CDRT_COMPLEX64 : -1;
  }
  case CXType_Char_S:
  case CXType_SChar:
  case CXType_UChar:
  case CXType_Char_U:
  case CXType_Short:
  case CXType_UShort:
  case CXType_UInt:
  case CXType_ULong:
  case CXType_ULongLong: *integer = true; return -1;
  default: return -1;
  }
}

static bool is_block_record(Arena *a, CXType pointee) {
  CXType c = clang_getCanonicalType(pointee);
  if (c.kind != CXType_Record) return false;
  const char *s = take(a, clang_getTypeSpelling(c));
  if (strncmp(s, "const ", 6) == 0) s += 6;
  return strcmp(s, "struct cdask_block") == 0 || strcmp(s, "cdask_block") == 0;
}

/* Fills p from a parameter's type; returns NULL or why it cannot be passed. */
static const char *param_kind(Arena *a, CXType t, KParam *p) {
  CXType c = clang_getCanonicalType(t);
  p->ctype = take(a, clang_getTypeSpelling(t));
  p->dtype = -1;
  if (c.kind == CXType_Pointer) {
    CXType pt = clang_getPointeeType(c), pc = clang_getCanonicalType(pt);
    bool is_const = clang_isConstQualifiedType(pt);
    if (pc.kind == CXType_Pointer) return "a pointer to a pointer";
    if (pc.kind == CXType_FunctionProto || pc.kind == CXType_FunctionNoProto)
      return "a function pointer";
    if (is_block_record(a, pt)) {
      p->kind = KP_BLOCK;
      return is_const ? NULL : "a cdask_block * that is not const";
    }
    bool integer;
    p->dtype = value_dtype(pc, &integer);
    p->kind = is_const ? KP_IN : KP_OUT;
    if (p->dtype < 0)
      return arena_printf(a, "a pointer to %s, no dtype's element",
                          take(a, clang_getTypeSpelling(pt)));
    return NULL;
  }
  p->kind = KP_VALUE;
  if (c.kind == CXType_Record) return "a struct passed by value";
  if (c.kind == CXType_Enum) return "an enum";
  p->dtype = value_dtype(c, &p->integer);
  if (p->dtype < 0 && !p->integer)
    return arena_printf(a, "of type %s, which no dtype has", p->ctype);
  return NULL;
}

/* ---- side effects ---- */

typedef struct {
  Arena *a;
  const char *path; /* the user's file, as named */
  const char *why;  /* the first side effect found */
  int *callees, ncallees, capcallees;
  CXCursor *defs; /* the file's function definitions, to resolve calls to */
  int ndefs;
} Walk;

/* Functions that change no data a pipeline sees: the C library's math (any function
 * declared in a math or complex header), the string functions that write only through
 * their arguments, and sleeping. */
static bool allowed_callee(const char *name, const char *header) {
  static const char *const names[] = {"memcpy",     "memmove",
                                      "memset",     "memcmp",
                                      "strlen",     "strcmp",
                                      "strncmp",    "strchr",
                                      "strrchr",    "strstr",
                                      "strcpy",     "strncpy",
                                      "strcat",     "strncat",
                                      "abs",        "labs",
                                      "llabs",      "div",
                                      "ldiv",       "lldiv",
                                      "qsort",      "bsearch",
                                      "sleep",      "usleep",
                                      "nanosleep",  "clock_nanosleep",
                                      "thrd_sleep", "__assert_fail",
                                      "strtod",     "strtol",
                                      "atoi",       "atof",
                                      NULL};
  if (strncmp(name, "__builtin", 9) == 0) return true;
  if (strstr(header, "math") || strstr(header, "complex.h")) return true;
  for (int i = 0; names[i]; i++)
    if (strcmp(name, names[i]) == 0) return true;
  return false;
}

static void effect(Walk *w, CXCursor c, const char *what) {
  if (w->why) return;
  unsigned line, col;
  cursor_place(w->a, c, &line, &col);
  w->why = arena_printf(w->a, "%s (%s:%u)", what, w->path, line);
}

static bool pointer_to_const(CXType t) {
  CXType c = clang_getCanonicalType(t);
  return c.kind == CXType_Pointer && clang_isConstQualifiedType(clang_getPointeeType(c));
}

static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData d) {
  (void)parent;
  *(CXCursor *)d = c;
  return CXChildVisit_Break;
}

/* libclang 14 reports no qualifier on an array's element type: read the spelling
 * ("const double[3]") for arrays */
static bool const_type(Arena *a, CXType t) {
  CXType c = clang_getCanonicalType(t);
  if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
    return strncmp(take(a, clang_getTypeSpelling(c)), "const ", 6) == 0;
  return clang_isConstQualifiedType(c);
}

static enum CXChildVisitResult walk_body(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Walk *w = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_DeclRefExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_getCursorKind(ref) == CXCursor_VarDecl) {
      bool global =
          clang_getCursorKind(clang_getCursorSemanticParent(ref)) == CXCursor_TranslationUnit;
      bool static_local = clang_Cursor_getStorageClass(ref) == CX_SC_Static;
      if ((global || static_local) && !const_type(w->a, clang_getCursorType(ref)))
        effect(w, c,
               arena_printf(w->a, "uses the %s '%s'", global ? "global" : "static variable",
                            take(w->a, clang_getCursorSpelling(ref))));
    }
  } else if (k == CXCursor_CStyleCastExpr) {
    CXCursor operand = clang_getNullCursor();
    clang_visitChildren(c, first_child, &operand);
    if (!clang_Cursor_isNull(operand) && pointer_to_const(clang_getCursorType(operand)) &&
        clang_getCanonicalType(clang_getCursorType(c)).kind == CXType_Pointer &&
        !pointer_to_const(clang_getCursorType(c)))
      effect(w, c, "casts a pointer to const into one that is not");
  } else if (k == CXCursor_CallExpr) {
    CXCursor ref = clang_getCursorReferenced(c);
    if (clang_Cursor_isNull(ref) || clang_getCursorKind(ref) != CXCursor_FunctionDecl) {
      effect(w, c, "calls through a function pointer");
    } else if (clang_Location_isFromMainFile(clang_getCursorLocation(ref))) {
      CXCursor def = clang_getCursorDefinition(ref);
      for (int i = 0; i < w->ndefs; i++)
        if (clang_equalCursors(def, w->defs[i])) {
          if (w->ncallees == w->capcallees) {
            int cap = w->capcallees ? 2 * w->capcallees : 8;
            w->callees = arena_grow(w->a, w->callees, sizeof(int) * (size_t)w->capcallees,
                                    sizeof(int) * (size_t)cap);
            w->capcallees = cap;
          }
          w->callees[w->ncallees++] = i;
        }
    } else {
      unsigned line, col;
      const char *name = take(w->a, clang_getCursorSpelling(ref));
      const char *header = base_name(cursor_place(w->a, ref, &line, &col));
      if (!allowed_callee(name, header))
        effect(w, c, arena_printf(w->a, "calls %s (%s)", name, *header ? header : "builtin"));
    }
  }
  return CXChildVisit_Recurse;
}

/* ---- the file ---- */

typedef struct {
  Graph *g;
  Arena *a;
  const char *path;
  int cfile;
  CXCursor *defs; /* every function definition of the main file, in order */
  int ndefs, capdefs;
  CFile file; /* its macros and file-scope names */
  int capmacros, capnames;
} Read;

static void add_name(Read *r, const char *name, int line) {
  if (r->file.nnames == r->capnames) {
    int cap = r->capnames ? 2 * r->capnames : 16;
    r->file.names = arena_grow(r->a, r->file.names, sizeof(char *) * (size_t)r->capnames,
                               sizeof(char *) * (size_t)cap);
    r->file.name_lines = arena_grow(r->a, r->file.name_lines, sizeof(int) * (size_t)r->capnames,
                                    sizeof(int) * (size_t)cap);
    r->capnames = cap;
  }
  r->file.names[r->file.nnames] = name;
  r->file.name_lines[r->file.nnames++] = line;
}

static void add_macro(Read *r, const char *name) {
  if (r->file.nmacros == r->capmacros) {
    int cap = r->capmacros ? 2 * r->capmacros : 16;
    r->file.macros = arena_grow(r->a, r->file.macros, sizeof(char *) * (size_t)r->capmacros,
                                sizeof(char *) * (size_t)cap);
    r->capmacros = cap;
  }
  r->file.macros[r->file.nmacros++] = name;
}

static enum CXChildVisitResult top_level(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  Read *r = data;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (!clang_Location_isFromMainFile(clang_getCursorLocation(c))) return CXChildVisit_Continue;
  if (k == CXCursor_MacroDefinition) {
    add_macro(r, take(r->a, clang_getCursorSpelling(c)));
    return CXChildVisit_Continue;
  }
  if ((k == CXCursor_VarDecl || k == CXCursor_FunctionDecl) && clang_isCursorDefinition(c) &&
      clang_Cursor_getStorageClass(c) != CX_SC_Extern) {
    unsigned line, col;
    cursor_place(r->a, c, &line, &col);
    add_name(r, take(r->a, clang_getCursorSpelling(c)), (int)line);
  }
  if (k != CXCursor_FunctionDecl || !clang_isCursorDefinition(c)) return CXChildVisit_Continue;
  if (r->ndefs == r->capdefs) {
    int cap = r->capdefs ? 2 * r->capdefs : 16;
    r->defs = arena_grow(r->a, r->defs, sizeof *r->defs * (size_t)r->capdefs,
                         sizeof *r->defs * (size_t)cap);
    r->capdefs = cap;
  }
  r->defs[r->ndefs++] = c;
  return CXChildVisit_Continue;
}

static enum CXChildVisitResult find_attr(CXCursor c, CXCursor parent, CXClientData data) {
  (void)parent;
  enum CXCursorKind k = clang_getCursorKind(c);
  if (k == CXCursor_ConstAttr || k == CXCursor_PureAttr) {
    *(const char **)data =
        k == CXCursor_ConstAttr ? "__attribute__((const))" : "__attribute__((pure))";
    return CXChildVisit_Break;
  }
  return CXChildVisit_Continue;
}

static Kernel describe(Read *r, CXCursor c) {
  Arena *a = r->a;
  Kernel k = {0};
  unsigned line, col;
  cursor_place(a, c, &line, &col);
  k.name = take(a, clang_getCursorSpelling(c));
  k.file = r->path;
  k.line = (int)line;
  k.cfile = r->cfile;
  int n = clang_Cursor_getNumArguments(c);
  k.nparams = n > 0 ? n : 0;
  k.params = arena_alloc(a, sizeof *k.params * (size_t)(k.nparams ? k.nparams : 1));
  if (clang_Cursor_isVariadic(c)) k.unsupported = "it takes a variable number of arguments";
  for (int i = 0; i < k.nparams; i++) {
    CXCursor arg = clang_Cursor_getArgument(c, (unsigned)i);
    KParam *p = &k.params[i];
    p->name = take(a, clang_getCursorSpelling(arg));
    const char *bad = param_kind(a, clang_getCursorType(arg), p);
    if (bad && !k.unsupported)
      k.unsupported = arena_printf(a, "parameter %d%s%s%s is %s", i + 1, *p->name ? " ('" : "",
                                   p->name, *p->name ? "')" : "", bad);
  }
  CXType rt = clang_getCursorResultType(c), rc = clang_getCanonicalType(rt);
  k.ret_ctype = take(a, clang_getTypeSpelling(rt));
  k.ret = -1;
  if (rc.kind != CXType_Void) {
    bool integer;
    k.ret = value_dtype(rc, &integer);
    if (k.ret < 0 && !k.unsupported)
      k.unsupported = arena_printf(a, "it returns %s, which no dtype has", k.ret_ctype);
  }
  return k;
}

static const char *read_all(Arena *a, const char *path, size_t *len, const char **err) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    *err = arena_printf(a, "cannot read it: %s", strerror(errno));
    return NULL;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = arena_alloc(a, cap + 1);
  for (;;) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    buf = arena_grow(a, buf, cap + 1, 2 * cap + 1);
    cap *= 2;
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    *err = "cannot read it: read error";
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* The diagnostics, as clang prints them, to diag; returns the number of errors. */
static int report(CXTranslationUnit tu, FILE *diag) {
  int errors = 0;
  unsigned n = clang_getNumDiagnostics(tu);
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    enum CXDiagnosticSeverity s = clang_getDiagnosticSeverity(d);
    if (s >= CXDiagnostic_Warning) {
      CXString t = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
      fprintf(diag, "%s\n", clang_getCString(t));
      clang_disposeString(t);
    }
    errors += s >= CXDiagnostic_Error;
    clang_disposeDiagnostic(d);
  }
  return errors;
}

/* clang_getInclusions' visitor: a header the user's file includes itself that is not a
 * system header (nor cdask_kernel.h) is warned about: the program's C includes it too. */
typedef struct {
  CXTranslationUnit tu;
  FILE *diag;
  const char *path;
} Includes;

static void local_header(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData d) {
  Includes *in = d;
  if (depth != 1) return; /* the main file itself (0) or what headers include (> 1) */
  CXString name = clang_getFileName(file);
  const char *s = clang_getCString(name);
  CXSourceLocation at = clang_getLocation(in->tu, file, 1, 1);
  if (s && strcmp(s, HEADER_PATH) != 0 && !clang_Location_isInSystemHeader(at) &&
      clang_Location_isFromMainFile(stack[0])) {
    unsigned line;
    clang_getSpellingLocation(stack[0], NULL, &line, NULL, NULL);
    fprintf(in->diag,
            "%s:%u: warning: '%s' is the user's header, not the system's: the program's C "
            "includes it as well, so it must be found where the program is built (the kernel "
            "file alone is pasted into the program)\n",
            in->path, line, s);
  }
  clang_disposeString(name);
}

static bool reserved_name(const char *s) {
  if (strcmp(s, "main") == 0) return true;
  if (!strncmp(s, "cd_", 3) || !strncmp(s, "cdrt_", 5) || !strncmp(s, "CDRT_", 5)) return true;
  if (s[0] == 'g' && s[1] >= '0' && s[1] <= '9') return true; /* the groups' functions */
  return false;
}

static void add_kernel(Graph *g, const Kernel *k) {
  static const int step = 16;
  if (g->nkernels % step == 0)
    g->kernels = arena_grow(g->arena, g->kernels, sizeof *g->kernels * (size_t)g->nkernels,
                            sizeof *g->kernels * (size_t)(g->nkernels + step));
  g->kernels[g->nkernels++] = *k;
}

int kernel_find(const Graph *g, int cfile, const char *name) {
  for (int i = 0; i < g->nkernels; i++)
    if ((cfile < 0 || g->kernels[i].cfile == cfile) && strcmp(g->kernels[i].name, name) == 0)
      return i;
  return -1;
}

const char *kernel_signature(Arena *a, const Kernel *k) {
  const char *s = arena_printf(a, "%s %s(", k->ret_ctype, k->name);
  for (int i = 0; i < k->nparams; i++)
    s = arena_printf(a, "%s%s%s", s, i ? ", " : "", k->params[i].ctype);
  return arena_printf(a, "%s)", s);
}

int kernels_read(Graph *g, const char *path, const char *cflags, const char *libs,
                 const char *script, int line, FILE *diag, char *err, size_t n) {
  Arena *a = g->arena;
  const char *why = NULL;
  size_t len = 0;
  const char *text = read_all(a, path, &len, &why);
  if (!text) {
    snprintf(err, n, "%s", why);
    return -1;
  }
  const char **argv = NULL;
  int argc = 0;
  static const char *const fixed[] = {"-x",
                                      "c",
                                      "-std=c11",
                                      "-D_GNU_SOURCE", /* as the program defines it */
                                      "-Wall",
                                      "-Werror=implicit-function-declaration",
                                      "-Werror=int-conversion",
                                      "-Werror=incompatible-pointer-types",
                                      "-resource-dir",
                                      CDASK_CLANG_RESOURCE_DIR,
                                      "-I" HEADER_DIR,
                                      "-include",
                                      HEADER_PATH,
                                      NULL};
  for (int i = 0; fixed[i]; i++) cc_split_words(a, fixed[i], &argv, &argc);
  if (cflags && cc_split_words(a, cflags, &argv, &argc) < 0) {
    snprintf(err, n, "cflags: an unterminated quote");
    return -1;
  }
  struct CXUnsavedFile files[2] = {
      {path, text, (unsigned long)len},
      {HEADER_PATH, cdask_kernel_header, (unsigned long)strlen(cdask_kernel_header)}};
  CXIndex idx = clang_createIndex(0, 0);
  CXTranslationUnit tu = NULL;
  enum CXErrorCode ec = clang_parseTranslationUnit2(
      idx, path, argv, argc, files, 2,
      CXTranslationUnit_KeepGoing | CXTranslationUnit_DetailedPreprocessingRecord, &tu);
  if (ec != CXError_Success || !tu) {
    snprintf(err, n, "libclang could not parse it (error code %d)", (int)ec);
    clang_disposeIndex(idx);
    return -1;
  }
  int errors = report(tu, diag);
  int cfile = -1;
  if (errors) {
    snprintf(err, n, "%d error%s (above)", errors, errors == 1 ? "" : "s");
    goto done;
  }
  Includes inc = {tu, diag, path};
  clang_getInclusions(tu, local_header, &inc);
  Read r = {.g = g, .a = a, .path = arena_strdup(a, path), .cfile = g->ncfiles};
  clang_visitChildren(clang_getTranslationUnitCursor(tu), top_level, &r);
  for (int i = 0; i < r.file.nnames; i++) /* one C file in the program: no name twice */
    for (int j = 0; j < g->ncfiles; j++)
      for (int m = 0; m < g->cfiles[j].nnames; m++)
        if (strcmp(r.file.names[i], g->cfiles[j].names[m]) == 0) {
          fprintf(diag,
                  "%s:%d: error: '%s' is also defined at %s:%d (the kernel files share one C "
                  "file in the program: rename one)\n",
                  path, r.file.name_lines[i], r.file.names[i], g->cfiles[j].path,
                  g->cfiles[j].name_lines[m]);
          snprintf(err, n, "1 error (above)");
          goto done;
        }
  /* every definition's own effects, then through the calls between them */
  Walk *w = arena_alloc(a, sizeof *w * (size_t)(r.ndefs ? r.ndefs : 1));
  const char **declared = arena_alloc(a, sizeof *declared * (size_t)(r.ndefs ? r.ndefs : 1));
  for (int i = 0; i < r.ndefs; i++) {
    w[i] = (Walk){.a = a, .path = r.path, .defs = r.defs, .ndefs = r.ndefs};
    clang_visitChildren(r.defs[i], find_attr, &declared[i]);
    clang_visitChildren(r.defs[i], walk_body, &w[i]);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < r.ndefs; i++) {
      if (w[i].why || declared[i]) continue;
      for (int k = 0; k < w[i].ncallees; k++) {
        int j = w[i].callees[k];
        if (w[j].why && !declared[j]) {
          w[i].why = arena_printf(a, "calls %s, which %s",
                                  take(a, clang_getCursorSpelling(r.defs[j])), w[j].why);
          changed = true;
          break;
        }
      }
    }
  }
  for (int i = 0; i < r.ndefs; i++) {
    if (clang_Cursor_getStorageClass(r.defs[i]) == CX_SC_Static) continue;
    Kernel k = describe(&r, r.defs[i]);
    if (reserved_name(k.name)) {
      fprintf(diag, "%s:%d: error: the name '%s' is reserved for the program cdaskc writes\n", path,
              k.line, k.name);
      snprintf(err, n, "1 error (above)");
      goto done;
    }
    k.pure = declared[i] || !w[i].why;
    k.why = declared[i] ? arena_printf(a, "declared %s", declared[i])
            : w[i].why  ? w[i].why
                        : "no side effects";
    add_kernel(g, &k);
  }
  if (g->ncfiles % 8 == 0)
    g->cfiles = arena_grow(a, g->cfiles, sizeof *g->cfiles * (size_t)g->ncfiles,
                           sizeof *g->cfiles * (size_t)(g->ncfiles + 8));
  CFile *cf = &g->cfiles[g->ncfiles];
  *cf = r.file;
  cf->path = r.path, cf->text = text, cf->len = len;
  cf->cflags = cflags ? arena_strdup(a, cflags) : "";
  cf->libs = libs ? arena_strdup(a, libs) : "";
  cf->script = script ? arena_strdup(a, script) : "";
  cf->line = line;
  cfile = g->ncfiles++;
done:
  clang_disposeTranslationUnit(tu);
  clang_disposeIndex(idx);
  return cfile;
}
