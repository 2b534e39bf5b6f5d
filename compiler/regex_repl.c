/* regex_repl.c: Python's re.sub replacement templates (cdask.h, "regex_repl.c"), read as
 * Python's sre_parse.parse_template reads them, into the pieces runtime/regex.c copies:
 * text, and groups by number (\1, \g<1>) or by name (\g<name>, numbered through the
 * pattern). Escapes \a \b \f \n \r \t \v \\ and octal ones (\0, \012, \101) are their
 * characters; \ before another ASCII letter is Python's "bad escape"; \ before anything
 * else stays as it is. */
#include "cdask.h"

#include <stdio.h>
#include <string.h>

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
static bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
static bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

typedef struct {
  Arena *a;
  cdrt_rx_piece *p;
  int n;
  char *text; /* the literal run being gathered */
  int64_t len;
} Pieces;

static void add_piece(Pieces *ps, cdrt_rx_piece piece) {
  cdrt_rx_piece *p = arena_alloc(ps->a, (size_t)(ps->n + 1) * sizeof *p);
  if (ps->n) memcpy(p, ps->p, (size_t)ps->n * sizeof *p);
  p[ps->n++] = piece;
  ps->p = p;
}
static void end_text(Pieces *ps) {
  if (ps->len) add_piece(ps, (cdrt_rx_piece){ps->text, ps->len, -1});
  ps->text += ps->len, ps->len = 0;
}
static void add_byte(Pieces *ps, char c) {
  ps->text[ps->len++] = c;
}
/* The code point c (< 256, an octal escape's) as UTF-8 */
static void add_code_point(Pieces *ps, unsigned c) {
  if (c < 0x80) {
    add_byte(ps, (char)c);
  } else {
    add_byte(ps, (char)(0xc0 | c >> 6));
    add_byte(ps, (char)(0x80 | (c & 0x3f)));
  }
}

static int group_ref(Pieces *ps, int g, int ngroups, char *msg, size_t cap) {
  if (g > ngroups) return snprintf(msg, cap, "invalid group reference %d", g), -1;
  end_text(ps);
  add_piece(ps, (cdrt_rx_piece){NULL, 0, g});
  return 0;
}

int rx_template(Arena *a, const char *pat, int64_t plen, int flags, const char *repl, int64_t n,
                cdrt_rx_piece **out, char *msg, size_t cap) {
  int ngroups = cdrt_rx_groups(pat, plen, flags, NULL);
  /* the text is never longer than the template (an escape's character: at most 2 bytes,
   * from at least 2) */
  Pieces ps = {a, NULL, 0, arena_alloc(a, (size_t)n + 1), 0};
  for (int64_t i = 0; i < n; i++) {
    if (repl[i] != '\\') {
      add_byte(&ps, repl[i]);
      continue;
    }
    if (i + 1 == n) return snprintf(msg, cap, "bad escape (end of pattern)"), -1;
    char c = repl[++i];
    static const char esc[] = "abfnrtv\\", val[] = "\a\b\f\n\r\t\v\\";
    const char *e = strchr(esc, c);
    if (c == 'g') {
      const char *close =
          i + 1 < n && repl[i + 1] == '<' ? memchr(repl + i, '>', (size_t)(n - i)) : NULL;
      if (i + 1 >= n || repl[i + 1] != '<') return snprintf(msg, cap, "missing <"), -1;
      if (!close) return snprintf(msg, cap, "missing >, unterminated name"), -1;
      int64_t from = i + 2, len = close - repl - from;
      if (!len) return snprintf(msg, cap, "missing group name"), -1;
      char *name = arena_alloc(a, (size_t)len + 1);
      memcpy(name, repl + from, (size_t)len);
      bool number = true;
      for (int64_t k = 0; k < len; k++) number &= is_digit(name[k]);
      int g;
      if (number) {
        g = len > 9 ? ngroups + 1 : 0;
        for (int64_t k = 0; k < len && len <= 9; k++) g = g * 10 + (name[k] - '0');
      } else {
        g = cdrt_rx_groups(pat, plen, flags, name);
        if (g < 0) return snprintf(msg, cap, "unknown group name '%s'", name), -1;
      }
      if (group_ref(&ps, g, ngroups, msg, cap)) return -1;
      i = close - repl;
    } else if (c == '0') { /* an octal escape: up to two more digits */
      unsigned v = 0;
      for (int k = 0; k < 2 && i + 1 < n && is_octal(repl[i + 1]); k++)
        v = v * 8 + (unsigned)(repl[++i] - '0');
      add_code_point(&ps, v);
    } else if (is_digit(c)) {
      if (i + 2 < n && is_octal(c) && is_octal(repl[i + 1]) && is_octal(repl[i + 2])) {
        unsigned v = (unsigned)((c - '0') * 64 + (repl[i + 1] - '0') * 8 + (repl[i + 2] - '0'));
        if (v > 0377)
          return snprintf(msg, cap, "octal escape value \\%c%c%c outside of range 0-0o377", c,
                          repl[i + 1], repl[i + 2]),
                 -1;
        add_code_point(&ps, v), i += 2;
      } else {
        int g = c - '0';
        if (i + 1 < n && is_digit(repl[i + 1])) g = g * 10 + (repl[++i] - '0');
        if (group_ref(&ps, g, ngroups, msg, cap)) return -1;
      }
    } else if (e && c) {
      add_byte(&ps, val[e - esc]);
    } else if (is_letter(c)) {
      return snprintf(msg, cap, "bad escape \\%c", c), -1;
    } else {
      add_byte(&ps, '\\'), add_byte(&ps, c);
    }
  }
  end_text(&ps);
  *out = ps.p;
  return ps.n;
}
