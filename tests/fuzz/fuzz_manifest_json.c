/* fuzz_manifest_json: cdask has no manifest reader, so the writer is fuzzed for validity:
 * whatever bytes the script's path, the C compiler's name and the flags hold, the text of
 * manifest_json (compiler/manifest.c) is one valid JSON value (RFC 8259: UTF-8, control
 * characters escaped), checked by the strict parser below. */
#include "cdask.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  const unsigned char *p, *end;
} Json;

static void ws(Json *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static bool lit(Json *j, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0) return false;
  j->p += n;
  return true;
}

/* one UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF) */
static bool utf8(Json *j) {
  unsigned c = *j->p++, n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  if (c < 0xc2 || c > 0xf4) return false;
  unsigned v = c & (0x3f >> n);
  for (unsigned i = 0; i < n; i++) {
    if (j->p >= j->end || (*j->p & 0xc0) != 0x80) return false;
    v = v << 6 | (*j->p++ & 0x3f);
  }
  return (n == 1 || (n == 2 && v >= 0x800 && (v < 0xd800 || v > 0xdfff)) ||
          (n == 3 && v >= 0x10000 && v <= 0x10ffff));
}

static bool string(Json *j) {
  if (!lit(j, "\"")) return false;
  while (j->p < j->end && *j->p != '"') {
    if (*j->p < 0x20) return false;
    if (*j->p == '\\') {
      j->p++;
      if (j->p >= j->end) return false;
      if (*j->p == 'u') {
        for (int i = 1; i <= 4; i++)
          if (j->p + i >= j->end || !strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
            return false;
        j->p += 5;
      } else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
        j->p++;
      } else {
        return false;
      }
    } else if (*j->p >= 0x80) {
      if (!utf8(j)) return false;
    } else {
      j->p++;
    }
  }
  return lit(j, "\"");
}

static bool number(Json *j) {
  const unsigned char *s = j->p;
  if (j->p < j->end && *j->p == '-') j->p++;
  while (j->p < j->end && strchr("0123456789.eE+-", *j->p) && *j->p) j->p++;
  return j->p > s;
}

static bool value(Json *j, int depth);

static bool items(Json *j, int depth, char close, bool keyed) {
  ws(j);
  if (j->p < j->end && *j->p == close) return j->p++, true;
  for (;;) {
    ws(j);
    if (keyed && (!string(j) || (ws(j), !lit(j, ":")))) return false;
    if (!value(j, depth + 1)) return false;
    ws(j);
    if (j->p < j->end && *j->p == close) return j->p++, true;
    if (!lit(j, ",")) return false;
  }
}

static bool value(Json *j, int depth) {
  ws(j);
  if (depth > 64 || j->p >= j->end) return false;
  switch (*j->p) {
  case '{': j->p++; return items(j, depth, '}', true);
  case '[': j->p++; return items(j, depth, ']', false);
  case '"': return string(j);
  case 't': return lit(j, "true");
  case 'f': return lit(j, "false");
  case 'n': return lit(j, "null");
  default: return number(j);
  }
}

static char *take_string(const uint8_t **data, size_t *size) {
  const uint8_t *nul = memchr(*data, 0, *size);
  size_t n = nul ? (size_t)(nul - *data) : *size;
  char *s = malloc(n + 1);
  memcpy(s, *data, n);
  s[n] = 0;
  *data += nul ? n + 1 : n, *size -= nul ? n + 1 : n;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *script = take_string(&data, &size), *cc = take_string(&data, &size),
       *cflags = take_string(&data, &size);
  Options o = {
      .arena = arena_new(), .script = script, .cc = cc, .cflags = cflags, .script_sha256 = "0"};
  Graph *g = graph_new(o.arena);
  Fusion f = {0};
  const char *text = manifest_json(g, &f, &o);
  Json j = {(const unsigned char *)text, (const unsigned char *)text + strlen(text)};
  if (!value(&j, 0) || (ws(&j), j.p != j.end)) {
    fprintf(stderr, "invalid JSON: %s\n", text);
    abort();
  }
  arena_free(o.arena);
  free(script), free(cc), free(cflags);
  return 0;
}
