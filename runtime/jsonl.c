/* jsonl.c: JSON lines, one object per line (RFC 8259), read for the fields a pipeline uses
 * only. cdrt_json_pick reads a line's top-level keys once: a used key's value is converted
 * to its compiled type, any other value is skipped by its brackets and quotes without being
 * converted. cdrt_json_keys reports every key and the kind of its value: cdaskc sniffs a
 * sample with it (frontend/lua_bag.c), so the compiler and the program read JSON with the
 * same code. Strings with escapes are unescaped into the block's arena; the others are the
 * file's bytes. The field CDRT_JSON_RECORD is the whole record as Python prints the dict
 * json.loads makes of it (db.print of records), made into the block's arena. */
#include "cdrt.h"

#ifdef CDRT_WITH_CSV
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct {
  const char *p, *start, *end;
  const char *what; /* the first error ("expected ..."), at p */
} json_lex;

static void json_ws(json_lex *x) {
  while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' || *x->p == '\n' || *x->p == '\r')) x->p++;
}

static int json_fail(json_lex *x, const char *what) {
  if (!x->what) x->what = what;
  return 0;
}

/* The first '"', '\\' or control character in [p, end) (end: none), 16 bytes at a time */
static const char *json_string_stop(const char *p, const char *end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
  const __m128i ctl = _mm_set1_epi8(0x1f);
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                               _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
  return p;
}

/* A string at p (its opening quote): its raw bytes between the quotes in *raw, whether
 * it has escapes in *esc */
static int json_string(json_lex *x, cdrt_str *raw, int *esc) {
  if (x->p >= x->end || *x->p != '"') return json_fail(x, "a string (\")");
  const char *s = ++x->p;
  *esc = 0;
  for (;;) {
    const char *q = json_string_stop(x->p, x->end);
    if (q < x->end && *q == '"') {
      *raw = (cdrt_str){s, q - s};
      x->p = q + 1;
      return 1;
    }
    if (q == x->end || (*q == '\\' && q + 1 >= x->end))
      return x->p = x->end, json_fail(x, "a string that ends (\")");
    if (*q != '\\') return x->p = q, json_fail(x, "no control character in a string");
    *esc = 1;
    x->p = q + 2; /* the escaped character (checked when unescaped) */
  }
}

static int hex4(const char *p, uint32_t *v) {
  *v = 0;
  for (int i = 0; i < 4; i++) {
    int c = (unsigned char)p[i];
    int d = c >= '0' && c <= '9'                 ? c - '0'
            : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10
                                                 : -1;
    if (d < 0) return 0;
    *v = *v << 4 | (uint32_t)d;
  }
  return 1;
}

/* Code point c (not a surrogate) in UTF-8 at t: its length */
static int utf8_put(uint32_t c, char *t) {
  if (c < 0x80) return t[0] = (char)c, 1;
  if (c < 0x800) return t[0] = (char)(0xc0 | c >> 6), t[1] = (char)(0x80 | (c & 0x3f)), 2;
  if (c < 0x10000)
    return t[0] = (char)(0xe0 | c >> 12), t[1] = (char)(0x80 | (c >> 6 & 0x3f)),
           t[2] = (char)(0x80 | (c & 0x3f)), 3;
  t[0] = (char)(0xf0 | c >> 18), t[1] = (char)(0x80 | (c >> 12 & 0x3f));
  t[2] = (char)(0x80 | (c >> 6 & 0x3f)), t[3] = (char)(0x80 | (c & 0x3f));
  return 4;
}

/* The string raw's escapes resolved into arena (UTF-8); 0 and x->what for a bad escape */
static int json_unescape(json_lex *x, cdrt_str raw, cdrt_bytes *arena, cdrt_str *out) {
  char *d = cdrt_bytes_alloc(arena, (size_t)raw.n + 1), *o = d;
  const char *p = raw.p, *e = raw.p + raw.n;
  while (p < e) {
    if (*p != '\\') {
      *o++ = *p++;
      continue;
    }
    char c = p[1];
    const char *at = p;
    p += 2;
    switch (c) {
    case '"':
    case '\\':
    case '/': *o++ = c; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'u': {
      uint32_t u, lo;
      if (e - p < 4 || !hex4(p, &u)) return x->p = at, json_fail(x, "four hex digits after \\u");
      p += 4;
      if (u >= 0xd800 && u < 0xdc00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
          hex4(p + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
        u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
      } else if (u >= 0xd800 && u < 0xe000) {
        u = 0xfffd; /* a lone surrogate: Python keeps it, UTF-8 cannot hold it */
      }
      o += utf8_put(u, o);
      break;
    }
    default:
      return x->p = at, json_fail(x, "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
    }
  }
  *out = (cdrt_str){d, o - d};
  return 1;
}

/* A number's bytes (JSON's grammar); *is_int when it has no fraction or exponent */
static int json_number(json_lex *x, cdrt_str *num, int *is_int) {
  const char *s = x->p, *p = s;
  if (p < x->end && *p == '-') p++;
  if (p >= x->end || (unsigned)(*p - '0') > 9) return json_fail(x, "a value");
  if (*p == '0')
    p++;
  else
    while (p < x->end && (unsigned)(*p - '0') <= 9) p++;
  *is_int = 1;
  if (p < x->end && *p == '.') {
    *is_int = 0, p++;
    if (p >= x->end || (unsigned)(*p - '0') > 9) return x->p = p, json_fail(x, "a digit after '.'");
    while (p < x->end && (unsigned)(*p - '0') <= 9) p++;
  }
  if (p < x->end && (*p == 'e' || *p == 'E')) {
    *is_int = 0, p++;
    if (p < x->end && (*p == '+' || *p == '-')) p++;
    if (p >= x->end || (unsigned)(*p - '0') > 9)
      return x->p = p, json_fail(x, "a digit in the exponent");
    while (p < x->end && (unsigned)(*p - '0') <= 9) p++;
  }
  *num = (cdrt_str){s, p - s};
  x->p = p;
  return 1;
}

static int json_word(json_lex *x, const char *w, size_t n) {
  if ((size_t)(x->end - x->p) < n || memcmp(x->p, w, n) != 0) return json_fail(x, "a value");
  x->p += n;
  return 1;
}

/* The kind of the value at p (after white space), without moving */
static int json_kind(const json_lex *x) {
  if (x->p >= x->end) return -1;
  switch (*x->p) {
  case '"': return CDRT_JSON_STRING;
  case '{': return CDRT_JSON_OBJECT;
  case '[': return CDRT_JSON_ARRAY;
  case 't':
  case 'f': return CDRT_JSON_BOOL;
  case 'n': return CDRT_JSON_NULL;
  default: return CDRT_JSON_NUMBER;
  }
}

/* Skips the value at p (any kind, nested ones by their brackets) */
static int json_skip(json_lex *x, int depth) {
  cdrt_str s;
  int flag;
  if (depth > 512) return json_fail(x, "nesting under 512 levels");
  switch (json_kind(x)) {
  case CDRT_JSON_STRING: return json_string(x, &s, &flag);
  case CDRT_JSON_BOOL: return *x->p == 't' ? json_word(x, "true", 4) : json_word(x, "false", 5);
  case CDRT_JSON_NULL: return json_word(x, "null", 4);
  case CDRT_JSON_NUMBER: return json_number(x, &s, &flag);
  case CDRT_JSON_OBJECT:
  case CDRT_JSON_ARRAY: {
    char close = *x->p == '{' ? '}' : ']';
    int obj = close == '}';
    x->p++;
    json_ws(x);
    if (x->p < x->end && *x->p == close) return x->p++, 1;
    for (;;) {
      if (obj) {
        if (x->p >= x->end || *x->p != '"') return json_fail(x, "a key (\")");
        if (!json_string(x, &s, &flag)) return 0;
        json_ws(x);
        if (x->p >= x->end || *x->p != ':') return json_fail(x, "':'");
        x->p++;
        json_ws(x);
      }
      if (!json_skip(x, depth + 1)) return 0;
      json_ws(x);
      if (x->p < x->end && *x->p == ',') {
        x->p++;
        json_ws(x);
        continue;
      }
      if (x->p < x->end && *x->p == close) return x->p++, 1;
      return json_fail(x, obj ? "',' or '}'" : "',' or ']'");
    }
  }
  default: return json_fail(x, "a value");
  }
}

/* "expected X at column C" into err */
static void json_error(const json_lex *x, char *err, size_t n) {
  snprintf(err, n, "column %lld: expected %s", (long long)(x->p - x->start) + 1,
           x->what ? x->what : "a value");
}

/* Value of kind at x->p into v as type (CDRT_COL_*); 0: x->what says why */
static int json_value(json_lex *x, int type, cdrt_bytes *arena, cdrt_jval *v, const char **bad) {
  int kind = json_kind(x);
  v->present = 1;
  if (kind == CDRT_JSON_NULL) return v->present = 0, json_word(x, "null", 4);
  switch (type) {
  case CDRT_COL_STR: {
    cdrt_str raw;
    int esc;
    if (kind != CDRT_JSON_STRING) return *bad = "a string", 0;
    if (!json_string(x, &raw, &esc)) return 0;
    if (!esc) return v->s = raw, 1;
    return json_unescape(x, raw, arena, &v->s);
  }
  case CDRT_COL_BOOL:
    if (kind != CDRT_JSON_BOOL) return *bad = "true or false", 0;
    v->i = *x->p == 't';
    return v->i ? json_word(x, "true", 4) : json_word(x, "false", 5);
  default: {
    cdrt_str num;
    int is_int;
    if (kind != CDRT_JSON_NUMBER) return *bad = "a number", 0;
    if (!json_number(x, &num, &is_int)) return 0;
    if (type == CDRT_COL_INT64) {
      if (!is_int || cdrt_parse_i64(num.p, (size_t)num.n, &v->i) != 0)
        return *bad = "an integer (int64)", 0;
      return 1;
    }
    int r = cdrt_parse_f64(num.p, (size_t)num.n, &v->f);
    if (r == -2)
      v->f = num.p[0] == '-' ? -INFINITY : INFINITY; /* json.loads: 1e400 is inf */
    else if (r != 0)
      return *bad = "a number (float64)", 0;
    return 1;
  }
  }
}

/* The members of the object at x->p (its '{'), each key given to field: also
 * json_object's, whose object is the line */
static int json_members(json_lex *x, int (*field)(json_lex *, cdrt_str, int, void *), void *ctx) {
  x->p++;
  json_ws(x);
  if (x->p < x->end && *x->p == '}') return x->p++, 1;
  for (;;) {
    cdrt_str key;
    int esc;
    if (x->p >= x->end || *x->p != '"') return json_fail(x, "a key (\")");
    if (!json_string(x, &key, &esc)) return 0;
    json_ws(x);
    if (x->p >= x->end || *x->p != ':') return json_fail(x, "':'");
    x->p++;
    json_ws(x);
    if (!field(x, key, esc, ctx)) return 0;
    json_ws(x);
    if (x->p < x->end && *x->p == ',') {
      x->p++;
      json_ws(x);
      if (x->p < x->end && *x->p == '}') return json_fail(x, "a key (\")");
      continue;
    }
    if (x->p < x->end && *x->p == '}') return x->p++, 1;
    return json_fail(x, "',' or '}'");
  }
}

/* The object on the line at x, each top-level key given to field (which reads or skips
 * its value): 1, or 0 with x->what (or the field's own error) */
static inline int json_object(json_lex *x, int (*field)(json_lex *, cdrt_str, int, void *),
                              void *ctx) {
  json_ws(x);
  if (x->p >= x->end || *x->p != '{') return json_fail(x, "a JSON object ({)");
  if (!json_members(x, field, ctx)) return 0;
  json_ws(x);
  return x->p < x->end ? json_fail(x, "the line's end after the object") : 1;
}

typedef struct {
  cdrt_json_visit visit;
  void *ctx;
  char path[4096];   /* the key's path (CDRT_JSON_SEP) */
  int n, depth, esc; /* the enclosing object's path: its length, its keys, any escaped */
  cdrt_bytes keys;   /* keys with escapes, resolved */
} json_keys_ctx;

static int key_kind(json_lex *x, cdrt_str key, int esc, void *ctx);

/* An object item of an array (x->p at its '{'): its keys reported under the items' path
 * (k's), as a nested object's (flatten's records; a path too deep is skipped) */
static int key_object_item(json_lex *x, json_keys_ctx *k, int esc) {
  if (k->depth + 1 >= CDRT_JSON_MAX_DEPTH) return json_skip(x, 1);
  int esc0 = k->esc, n0 = k->n;
  k->depth++, k->esc = esc;
  int ok = json_members(x, key_kind, k);
  k->depth--, k->esc = esc0, k->n = n0;
  return ok;
}

/* The items of the array at x->p (its '['), each one's kind reported under the array's
 * path (k's) CDRT_JSON_SEP CDRT_JSON_ITEMS, the items skipped (an object's keys reported
 * under that path) */
static int key_items(json_lex *x, json_keys_ctx *k, int esc) {
  k->path[k->n++] = CDRT_JSON_SEP;
  memcpy(k->path + k->n, CDRT_JSON_ITEMS, sizeof CDRT_JSON_ITEMS - 1);
  k->n += (int)sizeof CDRT_JSON_ITEMS - 1;
  x->p++;
  json_ws(x);
  if (x->p < x->end && *x->p == ']') return x->p++, 1;
  for (;;) {
    int kind = json_kind(x);
    if (kind == CDRT_JSON_NUMBER) {
      cdrt_str num;
      int is_int;
      if (!json_number(x, &num, &is_int)) return 0;
      kind = is_int ? CDRT_JSON_INT : CDRT_JSON_NUMBER;
    } else if (kind == CDRT_JSON_OBJECT) {
      k->visit(k->ctx, (cdrt_str){k->path, k->n}, esc, kind);
      if (!key_object_item(x, k, esc)) return 0;
      kind = -1;
    } else if (!json_skip(x, 1)) {
      return 0;
    }
    if (kind >= 0) k->visit(k->ctx, (cdrt_str){k->path, k->n}, esc, kind);
    json_ws(x);
    if (x->p < x->end && *x->p == ',') {
      x->p++, json_ws(x);
      continue;
    }
    if (x->p < x->end && *x->p == ']') return x->p++, 1;
    return json_fail(x, "',' or ']'");
  }
}

/* cdrt_json_keys' field: the value's kind reported under its path, an object's fields
 * after it (up to CDRT_JSON_MAX_DEPTH keys deep: past it the object is CDRT_JSON_DEEP) */
static int key_kind(json_lex *x, cdrt_str key, int esc, void *ctx) {
  json_keys_ctx *k = ctx;
  if (esc) { /* "t\u0079pe" is the key type, as the scan's json_pick resolves it */
    cdrt_str plain;
    if (!json_unescape(x, key, &k->keys, &plain)) return 0;
    int control = 0; /* (CDRT_JSON_SEP and CDRT_JSON_ITEMS' byte: still refused) */
    for (int64_t i = 0; i < plain.n; i++) control |= (unsigned char)plain.p[i] < 0x20;
    if (!control) key = plain, esc = 0;
  }
  int n0 = k->n, kind = json_kind(x), fits = n0 + 1 + key.n <= (int64_t)sizeof k->path;
  if (fits) {
    if (k->depth) k->path[k->n++] = CDRT_JSON_SEP;
    memcpy(k->path + k->n, key.p, (size_t)key.n);
    k->n += (int)key.n;
  }
  cdrt_str name = {k->path, k->n};
  esc |= k->esc;
  if (kind == CDRT_JSON_NUMBER) {
    cdrt_str num;
    int is_int;
    if (!json_number(x, &num, &is_int)) return 0;
    kind = is_int ? CDRT_JSON_INT : CDRT_JSON_NUMBER;
  } else if (kind == CDRT_JSON_ARRAY && fits &&
             k->n + 1 + (int64_t)sizeof CDRT_JSON_ITEMS <= (int64_t)sizeof k->path) {
    k->visit(k->ctx, name, esc, kind);
    int ok = key_items(x, k, esc);
    k->n = n0;
    return ok;
  } else if (kind == CDRT_JSON_OBJECT && fits && k->depth + 1 < CDRT_JSON_MAX_DEPTH) {
    k->visit(k->ctx, name, esc, kind);
    int esc0 = k->esc;
    k->depth++, k->esc = esc;
    int ok = json_members(x, key_kind, k);
    k->depth--, k->esc = esc0, k->n = n0;
    return ok;
  } else if (!json_skip(x, 0)) {
    return 0;
  } else if (kind == CDRT_JSON_OBJECT) {
    kind = CDRT_JSON_DEEP;
  }
  if (!fits && k->depth) /* a path too long: its object's as one too deep */
    name = (cdrt_str){k->path, n0}, kind = CDRT_JSON_DEEP;
  else if (!fits)
    name = key, kind = kind == CDRT_JSON_OBJECT ? CDRT_JSON_DEEP : kind;
  k->visit(k->ctx, name, esc, kind);
  k->n = n0;
  return 1;
}

int cdrt_json_keys(const char *p, int64_t n, cdrt_json_visit visit, void *ctx, char *err,
                   size_t errlen) {
  json_lex x = {p, p, p + n, NULL};
  json_keys_ctx *k = cdrt_calloc(1, sizeof *k);
  k->visit = visit, k->ctx = ctx;
  k->keys.what = "a JSON record's keys";
  int ok = json_object(&x, key_kind, k);
  cdrt_bytes_free(&k->keys);
  free(k);
  if (ok) return 1;
  json_error(&x, err, errlen);
  return 0;
}

const char *cdrt_json_dotted(const char *name, char *buf, size_t n) {
  size_t i = 0, o = 0, items = sizeof CDRT_JSON_ITEMS - 1; /* o <= i: name may be buf */
  for (; name[i] && o + 2 < n; i++) {
    if (name[i] == CDRT_JSON_SEP && strncmp(name + i + 1, CDRT_JSON_ITEMS, items) == 0)
      buf[o++] = '[', buf[o++] = ']', i += items;
    else
      buf[o++] = name[i] == CDRT_JSON_SEP ? '.' : name[i];
  }
  if (n) buf[o] = 0;
  return buf;
}

/* ---- a record as Python prints the dict json.loads makes of it ---- */
typedef struct {
  char *p;   /* NULL: the length only */
  int64_t n; /* bytes written (or counted) */
} py_out;

static void py_put(py_out *o, const char *s, int64_t n) {
  if (o->p) memcpy(o->p + o->n, s, (size_t)n);
  o->n += n;
}

/* The next code point of the JSON string raw at *i (escapes resolved as Python's json
 * does: a \u pair of surrogates is one code point, a lone surrogate stays); 0 for a bad
 * escape (x->what) */
static int py_next(json_lex *x, cdrt_str raw, int64_t *i, uint32_t *cp) {
  const char *p = raw.p + *i, *e = raw.p + raw.n;
  if (*p != '\\') {
    int len;
    *cp = cdrt_utf8_at((const unsigned char *)p, e - p, &len);
    *i += len;
    return 1;
  }
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  const char *k = p + 1 < e && p[1] ? strchr(from, p[1]) : NULL;
  if (k) return *cp = (unsigned char)to[k - from], *i += 2, 1;
  uint32_t u, lo;
  if (p + 1 >= e || p[1] != 'u' || e - p < 6 || !hex4(p + 2, &u))
    return x->p = p, json_fail(x, "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX");
  *i += 6;
  if (u >= 0xd800 && u < 0xdc00 && e - p >= 12 && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, &lo) &&
      lo >= 0xdc00 && lo < 0xe000)
    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00), *i += 6;
  *cp = u;
  return 1;
}

/* The JSON string at x as Python's repr of the str (pylist.c's rules) */
static int py_string(json_lex *x, py_out *o) {
  cdrt_str raw;
  int esc;
  if (!json_string(x, &raw, &esc)) return 0;
  int single = 0, dbl = 0;
  uint32_t c;
  for (int64_t i = 0; i < raw.n;) {
    if (!py_next(x, raw, &i, &c)) return 0;
    single |= c == '\'', dbl |= c == '"';
  }
  char quote = single && !dbl ? '"' : '\'';
  py_put(o, &quote, 1);
  for (int64_t i = 0; i < raw.n;) {
    char t[16];
    py_next(x, raw, &i, &c);
    int k = cdrt_py_char_repr(c, quote, t);
    py_put(o, t, k ? k : utf8_put(c, t));
  }
  py_put(o, &quote, 1);
  return 1;
}

static int py_value(json_lex *x, py_out *o, int depth);

/* A member of an object as written into a py_out: its key's repr at [at, at + n), then ": "
 * and its value's to vend */
typedef struct {
  int64_t at, n, vend;
} py_member;

/* The members of the object written from o->p + m[0].at as Python's dict has them: a key
 * met again keeps its first place and takes its last value (the text only shrinks) */
static void py_dedup(py_out *o, const py_member *m, int nm) {
  int64_t from = m[0].at, len = o->n - from;
  char *copy = cdrt_malloc((size_t)len);
  memcpy(copy, o->p + from, (size_t)len);
  o->n = from;
  for (int i = 0, put = 0; i < nm; i++) {
    int last = i, first = 1;
    for (int j = 0; j < nm && first; j++)
      if (j != i && m[j].n == m[i].n &&
          memcmp(copy + (m[j].at - from), copy + (m[i].at - from), (size_t)m[i].n) == 0) {
        if (j < i)
          first = 0;
        else
          last = j;
      }
    if (!first) continue;
    if (put++) py_put(o, ", ", 2);
    py_put(o, copy + (m[i].at - from), m[i].n);
    py_put(o, ": ", 2);
    int64_t vat = m[last].at + m[last].n + 2;
    py_put(o, copy + (vat - from), m[last].vend - vat);
  }
  free(copy);
}

/* The object or array at x as Python's dict or list */
static int py_members(json_lex *x, py_out *o, int depth) {
  char close = *x->p == '{' ? '}' : ']';
  int obj = close == '}';
  py_put(o, x->p, 1);
  x->p++;
  json_ws(x);
  if (x->p < x->end && *x->p == close) return py_put(o, &close, 1), x->p++, 1;
  py_member local[16], *keys = local; /* the members in o, when written */
  int nkeys = 0, cap = 16, ok = 0, again = 0;
  for (int k = 0;; k++) {
    if (k) py_put(o, ", ", 2);
    if (obj) {
      int64_t key = o->n;
      if (!py_string(x, o)) break;
      for (int j = 0; o->p && !again && j < nkeys; j++)
        again = keys[j].n == o->n - key &&
                memcmp(o->p + keys[j].at, o->p + key, (size_t)keys[j].n) == 0;
      if (o->p && nkeys == cap) {
        void *grown = cdrt_malloc((size_t)(cap *= 2) * sizeof *keys);
        memcpy(grown, keys, (size_t)nkeys * sizeof *keys);
        if (keys != local) free(keys);
        keys = grown;
      }
      if (o->p) keys[nkeys].at = key, keys[nkeys++].n = o->n - key;
      json_ws(x);
      if (x->p >= x->end || *x->p != ':') {
        json_fail(x, "':'");
        break;
      }
      x->p++;
      json_ws(x);
      py_put(o, ": ", 2);
    }
    if (!py_value(x, o, depth + 1)) break;
    if (obj && o->p) keys[nkeys - 1].vend = o->n;
    json_ws(x);
    if (x->p < x->end && *x->p == ',') {
      x->p++;
      json_ws(x);
      continue;
    }
    if (x->p < x->end && *x->p == close) {
      if (again) py_dedup(o, keys, nkeys);
      py_put(o, &close, 1), x->p++, ok = 1;
      break;
    }
    json_fail(x, obj ? "',' or '}'" : "',' or ']'");
    break;
  }
  if (keys != local) free(keys);
  return ok;
}

/* The JSON value at x as Python's repr of what json.loads makes of it */
static int py_value(json_lex *x, py_out *o, int depth) {
  if (depth > 512) return json_fail(x, "nesting under 512 levels");
  switch (json_kind(x)) {
  case CDRT_JSON_STRING: return py_string(x, o);
  case CDRT_JSON_BOOL:
    if (*x->p == 't') return py_put(o, "True", 4), json_word(x, "true", 4);
    return py_put(o, "False", 5), json_word(x, "false", 5);
  case CDRT_JSON_NULL: return py_put(o, "None", 4), json_word(x, "null", 4);
  case CDRT_JSON_NUMBER: {
    cdrt_str num;
    int is_int;
    if (!json_number(x, &num, &is_int)) return 0;
    if (is_int) { /* Python's int: the digits, and -0 is 0 */
      if (num.n == 2 && num.p[0] == '-' && num.p[1] == '0') num.p++, num.n--;
      py_put(o, num.p, num.n);
      return 1;
    }
    double d;
    int r = cdrt_parse_f64(num.p, (size_t)num.n, &d);
    if (r == -2) d = num.p[0] == '-' ? -INFINITY : INFINITY; /* float('1e400') */
    char t[40];
    cdrt_pyrepr(d, t);
    py_put(o, t, (int64_t)strlen(t));
    return 1;
  }
  case CDRT_JSON_OBJECT:
  case CDRT_JSON_ARRAY: return py_members(x, o, depth);
  default: return json_fail(x, "a value");
  }
}

/* The value [p, end) as Python's repr of what json.loads makes of it, into out (the
 * block's arena): 1, or 0 with x's error */
static int py_text(cdrt_scan *c, json_lex *x, const char *p, cdrt_str *out) {
  py_out o = {NULL, 0};
  x->p = p, json_ws(x);
  int ok = py_value(x, &o, 0);
  if (ok) {
    o.p = cdrt_bytes_alloc(c->arena, (size_t)o.n + 1), o.n = 0;
    x->p = p, json_ws(x);
    py_value(x, &o, 0);
    *out = (cdrt_str){o.p, o.n};
  }
  return ok;
}

/* The record on line as Python's repr of its dict into arena: 1, or 0 with c's error */
static int py_record(cdrt_scan *c, cdrt_str line, cdrt_str *out) {
  json_lex x = {line.p, line.p, line.p + line.n, NULL};
  if (py_text(c, &x, line.p, out)) return 1;
  char where[64], err[160];
  snprintf(where, sizeof where, "%lld", (long long)cdrt_text_line(c));
  json_error(&x, err, sizeof err);
  snprintf(c->err->msg, sizeof c->err->msg, "%s:%s: malformed JSON: %s", c->path, where, err);
  c->at = c->end; /* the block stops */
  return 0;
}

/* The list at x->p into v as its JSON text (v->s), each item checked to be of type (str
 * and float64 items may be null); 0: *bad says what was expected at *val (*item: of an
 * item), or x->what */
static int json_list(json_lex *x, int type, cdrt_bytes *arena, cdrt_jval *v, const char **bad,
                     const char **val, int *item) {
  int kind = json_kind(x);
  v->present = 1;
  if (kind == CDRT_JSON_NULL) return v->present = 0, json_word(x, "null", 4);
  if (kind != CDRT_JSON_ARRAY) return *bad = "a list", 0;
  const char *s = x->p++;
  json_ws(x);
  if (x->p < x->end && *x->p == ']') return x->p++, v->s = (cdrt_str){s, x->p - s}, 1;
  for (;;) {
    cdrt_jval it;
    *val = x->p, *item = 1;
    if (type == CDRT_JSON_ITEM_OBJECT) { /* a dict: only its brackets checked */
      if (json_kind(x) != CDRT_JSON_OBJECT) return *bad = "an object", 0;
      if (!json_skip(x, 1)) return 0;
    } else if (json_kind(x) == CDRT_JSON_NULL &&
               (type == CDRT_COL_INT64 || type == CDRT_COL_BOOL)) {
      return *bad = type == CDRT_COL_BOOL ? "true or false" : "an integer (int64)", 0;
    } else if (!json_value(x, type, arena, &it, bad)) {
      return 0;
    }
    json_ws(x);
    if (x->p < x->end && *x->p == ',') {
      x->p++, json_ws(x);
      continue;
    }
    if (x->p < x->end && *x->p == ']') break;
    return json_fail(x, "',' or ']'");
  }
  *item = 0;
  x->p++;
  v->s = (cdrt_str){s, x->p - s};
  return 1;
}

typedef struct {
  cdrt_scan *c;
  int n;
  const cdrt_str *names;
  const unsigned char *types;
  cdrt_jval *out;
  const char *bad, *val; /* a used field's value not of its type: what it should be, where */
  int which;
  int record; /* the field CDRT_JSON_RECORD (the whole record as Python's dict), or -1 */
  int nested; /* some names are paths (cdrt_json_pick_nested) */
  int object; /* the value at val should have been an object: the path's length in names[which] */
  const char *pre; /* in an object: its path (names' first plen bytes), or NULL */
  int64_t plen;
  int item; /* bad is about an item of a list */
} json_pick_ctx;

/* Field f's value at x into k->out[f], as its type (a list's, CDRT_JSON_LIST) */
static int pick_value(json_lex *x, json_pick_ctx *k, int f) {
  k->val = x->p, k->which = f;
  if (k->types[f] & CDRT_JSON_LIST)
    return json_list(x, k->types[f] & ~CDRT_JSON_LIST, k->c->arena, &k->out[f], &k->bad, &k->val,
                     &k->item);
  return json_value(x, k->types[f], k->c->arena, &k->out[f], &k->bad);
}

/* Whether a field's name is key: its length and first byte before a call to memcmp */
static int json_same_key(cdrt_str name, cdrt_str key) {
  return name.n == key.n &&
         (!key.n || (name.p[0] == key.p[0] && memcmp(name.p, key.p, (size_t)key.n) == 0));
}

static int pick_nested(json_lex *x, cdrt_str key, int esc, void *ctx);

/* Whether name is the path pre[0, plen) CDRT_JSON_SEP key, followed by CDRT_JSON_SEP (then
 * *deeper) or by nothing (a field at this level; pre NULL: the top level) */
static int json_path_at(cdrt_str name, const char *pre, int64_t plen, cdrt_str key, int *deeper) {
  int64_t at = pre ? plen + 1 : 0, n = at + key.n;
  if (name.n < n || (pre && (name.p[plen] != CDRT_JSON_SEP || memcmp(name.p, pre, (size_t)plen))) ||
      memcmp(name.p + at, key.p, (size_t)key.n) != 0)
    return 0;
  *deeper = name.n > n;
  return name.n == n || name.p[n] == CDRT_JSON_SEP;
}

/* A key no name is: an object some path goes through read by pick_nested (its fields, and
 * its repr for the path's CDRT_JSON_RECORD), any other value skipped */
static int pick_object(json_lex *x, cdrt_str key, json_pick_ctx *k) {
  int f = 0, deeper = 0;
  while (f < k->n && !(json_path_at(k->names[f], k->pre, k->plen, key, &deeper) && deeper)) f++;
  if (f == k->n) return json_skip(x, 0);
  int kind = json_kind(x);
  if (kind == CDRT_JSON_NULL) return json_word(x, "null", 4);
  if (kind != CDRT_JSON_OBJECT) {
    k->val = x->p, k->which = f, k->bad = "an object";
    k->object = (int)((k->pre ? k->plen + 1 : 0) + key.n);
    return 0;
  }
  const char *pre = k->pre, *start = x->p;
  int64_t plen = k->plen;
  k->pre = k->names[f].p, k->plen = (pre ? plen + 1 : 0) + key.n;
  int ok = json_members(x, pick_nested, k);
  k->pre = pre, k->plen = plen;
  if (!ok) return 0;
  int64_t at = (pre ? plen + 1 : 0) + key.n + 1, rn = (int64_t)sizeof CDRT_JSON_RECORD - 1;
  for (int r = 0; r < k->n; r++) { /* the object's repr, for a path that ends in it */
    cdrt_str name = k->names[r];
    if (name.n != at + rn || memcmp(name.p + at, CDRT_JSON_RECORD, (size_t)rn) != 0 ||
        memcmp(name.p, k->names[f].p, (size_t)at) != 0)
      continue;
    json_lex y = {start, x->start, x->p, NULL};
    if (!py_text(k->c, &y, start, &k->out[r].s)) return x->p = y.p, json_fail(x, y.what);
    k->out[r].present = 1;
  }
  return 1;
}

/* A field of a nested object (at k->pre): a used one converted, an object some path goes
 * through read, any other value skipped */
static int pick_nested(json_lex *x, cdrt_str key, int esc, void *ctx) {
  json_pick_ctx *k = ctx;
  if (esc && !json_unescape(x, key, k->c->arena, &key)) return 0;
  int f = 0, deeper = 1;
  while (f < k->n && (!json_path_at(k->names[f], k->pre, k->plen, key, &deeper) || deeper ||
                      (key.n && key.p[0] == CDRT_JSON_RECORD[0])))
    f++;
  if (f == k->n) return pick_object(x, key, k);
  return pick_value(x, k, f);
}

/* cdrt_json_pick's field: a used one converted, any other skipped */
static int pick_field(json_lex *x, cdrt_str key, int esc, void *ctx) {
  json_pick_ctx *k = ctx;
  if (esc && !json_unescape(x, key, k->c->arena, &key)) return 0;
  int f = 0;
  while (f < k->n && (f == k->record || !json_same_key(k->names[f], key))) f++;
  if (f == k->n) return k->nested ? pick_object(x, key, k) : json_skip(x, 0);
  return pick_value(x, k, f);
}

static int json_pick(cdrt_scan *c, cdrt_str line, int n, const cdrt_str *names,
                     const unsigned char *types, cdrt_jval *out, int nested) {
  json_lex x = {line.p, line.p, line.p + line.n, NULL};
  json_pick_ctx k = {c, n, names, types, out, NULL, NULL, -1, -1, nested, 0, NULL, 0, 0};
  for (int f = 0; f < n; f++) {
    out[f].present = 0;
    if (names[f].n == (int64_t)sizeof CDRT_JSON_RECORD - 1 &&
        memcmp(names[f].p, CDRT_JSON_RECORD, sizeof CDRT_JSON_RECORD - 1) == 0)
      k.record = f;
  }
  if (json_object(&x, pick_field, &k))
    return k.record < 0 || (out[k.record].present = py_record(c, line, &out[k.record].s));
  if (c->err->msg[0]) return 0;
  char where[64], name[256];
  snprintf(where, sizeof where, "%lld", (long long)cdrt_text_line(c));
  if (k.bad) {
    int len = 0;
    while (k.val + len < x.end && len < 40 && k.val[len] != ',' && k.val[len] != '}' &&
           (!k.item || k.val[len] != ']'))
      len++;
    int64_t nn = k.object ? k.object : names[k.which].n;
    snprintf(name, sizeof name, "%.*s", (int)nn, names[k.which].p);
    cdrt_json_dotted(name, name, sizeof name);
    int t = types[k.which] & ~CDRT_JSON_LIST, list = types[k.which] & CDRT_JSON_LIST;
    const char *tn = t == CDRT_COL_STR            ? "str"
                     : t == CDRT_JSON_ITEM_OBJECT ? "dict"
                                                  : cdrt_coltype_name(t);
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%s: field '%s': cannot read '%.*s' as %s%s (the type found from the first "
             "records; pass sample = \"all\" to read them all)",
             c->path, where, name, len, k.val,
             k.object ? "an object"
             : k.item ? "an item of a list of "
             : list   ? "a list of "
                      : "",
             k.object ? "" : tn);
  } else {
    char err[160];
    json_error(&x, err, sizeof err);
    snprintf(c->err->msg, sizeof c->err->msg, "%s:%s: malformed JSON: %s", c->path, where, err);
  }
  c->at = c->end; /* the block stops */
  return 0;
}

int cdrt_json_pick(cdrt_scan *c, cdrt_str line, int n, const cdrt_str *names,
                   const unsigned char *types, cdrt_jval *out) {
  return json_pick(c, line, n, names, types, out, 0);
}

/* ---- a list field's items (checked by json_list) ---- */
cdrt_jitems cdrt_json_items(cdrt_str list) {
  if (!list.p) return (cdrt_jitems){NULL, NULL};
  return (cdrt_jitems){list.p + 1, list.p + list.n - 1};
}

/* The next item of it at x->p (0: none) */
static int item_at(cdrt_jitems *it, json_lex *x) {
  *x = (json_lex){it->p, it->p, it->end, NULL};
  if (!it->p) return 0;
  json_ws(x);
  if (x->p < x->end && *x->p == ',') x->p++, json_ws(x);
  return x->p < x->end;
}

int cdrt_json_item_i64(cdrt_jitems *it, int64_t *v) {
  json_lex x;
  cdrt_str num;
  int is_int;
  if (!item_at(it, &x)) return 0;
  json_number(&x, &num, &is_int);
  cdrt_parse_i64(num.p, (size_t)num.n, v);
  return it->p = x.p, 1;
}

int cdrt_json_item_f64(cdrt_jitems *it, double *v) {
  json_lex x;
  cdrt_jval j;
  const char *bad = NULL;
  if (!item_at(it, &x)) return 0;
  json_value(&x, CDRT_COL_FLOAT64, NULL, &j, &bad);
  *v = j.present ? j.f : NAN;
  return it->p = x.p, 1;
}

int cdrt_json_item_bool(cdrt_jitems *it, uint8_t *v) {
  json_lex x;
  if (!item_at(it, &x)) return 0;
  *v = *x.p == 't';
  x.p += *v ? 4 : 5;
  return it->p = x.p, 1;
}

int cdrt_json_item_str(cdrt_jitems *it, cdrt_bytes *arena, cdrt_str *v) {
  json_lex x;
  cdrt_jval j;
  const char *bad = NULL;
  if (!item_at(it, &x)) return 0;
  json_value(&x, CDRT_COL_STR, arena, &j, &bad);
  *v = j.present ? j.s : (cdrt_str){NULL, 0};
  return it->p = x.p, 1;
}

double cdrt_json_list_len(cdrt_str list) {
  if (!list.p) return NAN;
  json_lex x = {list.p, list.p, list.p + list.n, NULL};
  int64_t n = 0;
  x.p++, json_ws(&x);
  while (*x.p != ']') {
    json_skip(&x, 1), json_ws(&x), n++;
    if (*x.p == ',') x.p++, json_ws(&x);
  }
  return (double)n;
}

int64_t cdrt_json_list_len_i64(cdrt_str list, cdrt_scan *c) {
  if (list.p) return (int64_t)cdrt_json_list_len(list);
  cdrt_scan_unsampled_missing(c, "list", "len");
  return 0;
}

double cdrt_json_list_sum(cdrt_str list) {
  if (!list.p) return NAN;
  cdrt_jitems it = cdrt_json_items(list);
  double v, t = 0;
  while (cdrt_json_item_f64(&it, &v))
    if (!isnan(v)) t += v; /* NaN: a null item (JSON has no NaN) */
  return t;
}

int64_t cdrt_json_list_sum_i64(cdrt_str list, cdrt_scan *c) {
  if (!list.p) return cdrt_scan_unsampled_missing(c, "list", "sum"), 0;
  cdrt_jitems it = cdrt_json_items(list);
  int64_t v;
  uint64_t t = 0;
  while (cdrt_json_item_i64(&it, &v)) t += (uint64_t)v;
  return (int64_t)t;
}

cdrt_str cdrt_json_list_repr(cdrt_str list, cdrt_scan *c) {
  if (!list.p) return (cdrt_str){"None", 4};
  json_lex x = {list.p, list.p, list.p + list.n, NULL};
  cdrt_str out = {"[]", 2};
  py_text(c, &x, list.p, &out);
  return out;
}

/* ---- a list of objects' items: flatten's records ---- */
int cdrt_json_item_obj(cdrt_jitems *it, cdrt_str *v) {
  json_lex x;
  if (!item_at(it, &x)) return 0;
  const char *s = x.p;
  json_skip(&x, 1);
  *v = (cdrt_str){s, x.p - s};
  return it->p = x.p, 1;
}

typedef struct {
  cdrt_str key;
  const char *val; /* the key's value (the last one: Python's dict keeps the last) */
} json_find_ctx;

static int find_key(json_lex *x, cdrt_str key, int esc, void *ctx) {
  json_find_ctx *k = ctx;
  (void)esc;
  if (json_same_key(k->key, key)) k->val = x->p;
  return json_skip(x, 1);
}

/* The value of path (keys joined by CDRT_JSON_SEP; "": obj itself) in the object obj, or
 * NULL where it or an object on the way is absent or null; *bad: an object on the way is
 * another value */
static const char *json_find(cdrt_str obj, const char *path, int *bad) {
  json_lex x = {obj.p, obj.p, obj.p + obj.n, NULL};
  const char *at = obj.p;
  *bad = 0;
  while (*path) {
    const char *sep = strchr(path, CDRT_JSON_SEP);
    size_t n = sep ? (size_t)(sep - path) : strlen(path);
    x.p = at;
    if (json_kind(&x) == CDRT_JSON_NULL) return NULL;
    if (json_kind(&x) != CDRT_JSON_OBJECT) return *bad = 1, at;
    json_find_ctx k = {{path, (int64_t)n}, NULL};
    if (!json_members(&x, find_key, &k) || !k.val) return NULL;
    at = k.val, path += n + (sep != NULL);
  }
  return at;
}

/* The block's error: field name's value at val is not what (its line, the sample's type) */
static void field_error(cdrt_scan *c, const char *val, const char *end, const char *name,
                        const char *what) {
  int len = 0;
  while (val + len < end && len < 40 && val[len] != ',' && val[len] != '}') len++;
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%lld: field '%s': cannot read '%.*s' as %s (the type found from the first "
             "records; pass sample = \"all\" to read them all)",
             c->path, (long long)cdrt_text_line(c), name, len, val, what);
  c->at = c->end; /* the block stops */
}

/* Field path of obj as type into v (present 0: missing); 0: the block's error */
static int json_field(cdrt_str obj, const char *path, int type, cdrt_scan *c, const char *name,
                      cdrt_jval *v) {
  int bad;
  const char *at = json_find(obj, path, &bad), *why = NULL;
  static const char *const what[] = {"int64", "float64", "bool", "str"};
  v->present = 0;
  if (bad) return field_error(c, at, obj.p + obj.n, name, "an object"), 0;
  if (!at) return 1;
  json_lex x = {at, at, obj.p + obj.n, NULL};
  if (!json_value(&x, type, c->arena, v, &why))
    return field_error(c, at, x.end, name, what[type]), 0;
  return 1;
}

/* The block's error: field name, int64 or bool, is absent or null (the sample had no such) */
static void missing_error(cdrt_scan *c, const char *name, int type) {
  if (!c->err->msg[0])
    snprintf(c->err->msg, sizeof c->err->msg,
             "%s:%lld: field '%s' is absent or null where the first records had a value: it "
             "was compiled as %s (pass sample = \"all\")",
             c->path, (long long)cdrt_text_line(c), name, type == CDRT_COL_BOOL ? "bool" : "int64");
  c->at = c->end;
}

int64_t cdrt_json_field_i64(cdrt_str obj, const char *path, cdrt_scan *c, const char *name) {
  cdrt_jval v;
  if (!json_field(obj, path, CDRT_COL_INT64, c, name, &v)) return 0;
  if (!v.present) missing_error(c, name, CDRT_COL_INT64);
  return v.present ? v.i : 0;
}

double cdrt_json_field_f64(cdrt_str obj, const char *path, cdrt_scan *c, const char *name) {
  cdrt_jval v;
  return json_field(obj, path, CDRT_COL_FLOAT64, c, name, &v) && v.present ? v.f : NAN;
}

uint8_t cdrt_json_field_bool(cdrt_str obj, const char *path, cdrt_scan *c, const char *name) {
  cdrt_jval v;
  if (!json_field(obj, path, CDRT_COL_BOOL, c, name, &v)) return 0;
  if (!v.present) missing_error(c, name, CDRT_COL_BOOL);
  return v.present && v.i;
}

cdrt_str cdrt_json_field_str(cdrt_str obj, const char *path, cdrt_scan *c, const char *name) {
  cdrt_jval v;
  return json_field(obj, path, CDRT_COL_STR, c, name, &v) && v.present ? v.s : (cdrt_str){NULL, 0};
}

cdrt_str cdrt_json_field_repr(cdrt_str obj, const char *path, cdrt_scan *c, const char *name) {
  int bad;
  const char *at = json_find(obj, path, &bad);
  if (bad) return field_error(c, at, obj.p + obj.n, name, "an object"), (cdrt_str){"None", 4};
  json_lex x = {at, at, obj.p + obj.n, NULL};
  cdrt_str out = {"None", 4};
  if (at && json_kind(&x) != CDRT_JSON_NULL) py_text(c, &x, at, &out);
  return out;
}

int cdrt_json_pick_nested(cdrt_scan *c, cdrt_str line, int n, const cdrt_str *names,
                          const unsigned char *types, cdrt_jval *out) {
  if (!json_pick(c, line, n, names, types, out, 1)) return 0;
  int64_t rn = (int64_t)sizeof CDRT_JSON_RECORD - 1;
  for (int f = 0; f < n; f++) /* a nested object null or absent: Python's None */
    if (!out[f].present && names[f].n > rn && names[f].p[names[f].n - rn - 1] == CDRT_JSON_SEP &&
        memcmp(names[f].p + names[f].n - rn, CDRT_JSON_RECORD, (size_t)rn) == 0)
      out[f].present = 1, out[f].s = (cdrt_str){"None", 4};
  return 1;
}
#endif
