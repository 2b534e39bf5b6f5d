/* manifest.c: what the generated program says about itself with --manifest: the cdask
 * version, the script's SHA-256, the C compiler and flags, the user's kernel files (cd.cfile)
 * with the SHA-256 of the text copied into the program, and the chunking and fusion
 * decisions. The compiler the program was really built with is added by the program
 * itself (__VERSION__), since the C file may be built elsewhere. The JSON string writer
 * here serves the JSON dumps too (dump.c). */
#include "cdask.h"

#include <nettle/sha2.h>
#include <string.h>

static const char *digest_hex(Arena *a, struct sha256_ctx *ctx) {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(ctx, sizeof digest, digest);
  char *hex = arena_alloc(a, 2 * SHA256_DIGEST_SIZE + 1);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) sprintf(hex + 2 * i, "%02x", digest[i]);
  return hex;
}

/* The SHA-256 of n bytes (a kernel file's text, as libclang checked it). */
static const char *sha256_bytes_hex(Arena *a, const char *p, size_t n) {
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, n, (const uint8_t *)p);
  return digest_hex(a, &ctx);
}

const char *sha256_file_hex(Arena *a, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return "unknown";
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  unsigned char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&ctx, n, buf);
  fclose(f);
  return digest_hex(a, &ctx);
}

size_t utf8_sequence(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  if (n == 0) return 0;
  if (u[0] < 0x80) return 1;
  size_t len = u[0] >= 0xC2 && u[0] <= 0xDF   ? 2
               : u[0] >= 0xE0 && u[0] <= 0xEF ? 3
               : u[0] >= 0xF0 && u[0] <= 0xF4 ? 4
                                              : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((u[i] & 0xC0) != 0x80) return 0;
  /* no overlong forms, no surrogates, nothing past U+10FFFF */
  if (u[0] == 0xE0 && u[1] < 0xA0) return 0;
  if (u[0] == 0xED && u[1] > 0x9F) return 0;
  if (u[0] == 0xF0 && u[1] < 0x90) return 0;
  if (u[0] == 0xF4 && u[1] > 0x8F) return 0;
  return len;
}

/* Bytes that are not UTF-8 (a path from the command line) become U+FFFD. Paths and labels
 * from the script are checked earlier. */
void json_string(StrBuf *b, const char *s) {
  sb_puts(b, "\"");
  size_t n = s ? strlen(s) : 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t k = utf8_sequence(s + i, n - i);
    if (k == 0) {
      sb_puts(b, "\\ufffd");
      k = 1;
    } else if (c == '"' || c == '\\') {
      sb_printf(b, "\\%c", c);
    } else if (c < 0x20) {
      sb_printf(b, "\\u%04x", c);
    } else {
      sb_printf(b, "%.*s", (int)k, s + i);
    }
    i += k;
  }
  sb_puts(b, "\"");
}

static void json_ints(StrBuf *b, int n, const int64_t *v) {
  sb_puts(b, "[");
  for (int d = 0; d < n; d++) sb_printf(b, d ? ", %lld" : "%lld", (long long)v[d]);
  sb_puts(b, "]");
}

const char *manifest_json(Graph *g, Fusion *f, const Options *o) {
  StrBuf b;
  sb_init(&b);
  sb_printf(&b, "{\"cdask_version\": \"%s\", \"script\": ", CDRT_VERSION);
  json_string(&b, o->script);
  sb_printf(&b, ", \"script_sha256\": \"%s\", \"unsafe_lua\": %s, \"cc\": ", o->script_sha256,
            o->unsafe_lua ? "true" : "false");
  json_string(&b, o->cc);
  sb_puts(&b, ", \"cflags\": ");
  json_string(&b, cc_flags(o, g));
  sb_puts(&b, ", \"libs\": ");
  json_string(&b, cc_libs(g));
  sb_puts(&b, ", \"kernel_files\": [");
  for (int i = 0; i < g->ncfiles; i++) { /* cd.cfile: the C copied into the program */
    const CFile *cf = &g->cfiles[i];
    sb_puts(&b, i ? ", {\"path\": " : "{\"path\": ");
    json_string(&b, cf->path);
    sb_printf(&b,
              ", \"sha256\": \"%s\", \"cflags\": ", sha256_bytes_hex(g->arena, cf->text, cf->len));
    json_string(&b, cf->cflags);
    sb_puts(&b, ", \"libs\": ");
    json_string(&b, cf->libs);
    sb_puts(&b, "}");
  }
  sb_puts(&b, "], \"callbacks\": ");
  if (g->callbacks.set) { /* da.callbacks: its file is among the kernel files too */
    const CFile *cf = &g->cfiles[g->callbacks.cfile];
    sb_puts(&b, "{\"path\": ");
    json_string(&b, cf->path);
    sb_printf(&b, ", \"sha256\": \"%s\", \"hooks\": [",
              sha256_bytes_hex(g->arena, cf->text, cf->len));
    for (int h = 0, n = 0; h < HOOK_COUNT; h++)
      if (g->callbacks.hook[h]) sb_printf(&b, "%s\"%s\"", n++ ? ", " : "", hook_names[h]);
    sb_puts(&b, "]}");
  } else {
    sb_puts(&b, "null");
  }
  sb_puts(&b, ", \"groups\": [");
  const GroupCost *costs = group_costs(g, f);
  for (int k = 0; k < f->ngroups; k++) {
    Group *gr = &f->groups[k];
    const Node *s = &g->nodes[gr->sink];
    sb_printf(&b, "%s{\"id\": %d, \"line\": %d, \"sink\": ", k ? ", " : "", k, s->line);
    json_string(&b, s->op == OP_REDUCE ? rop_names[s->rop] : s->name ? s->name : op_names[s->op]);
    sb_puts(&b, ", \"domain\": ");
    json_ints(&b, gr->ndim, gr->shape);
    sb_puts(&b, ", \"computed_lo\": ");
    json_ints(&b, gr->ndim, gr->lo);
    sb_puts(&b, ", \"computed_hi\": ");
    json_ints(&b, gr->ndim, gr->hi);
    sb_puts(&b, ", \"chunks\": ");
    json_ints(&b, gr->ndim, gr->user_chunk);
    sb_puts(&b, ", \"tiles\": ");
    json_ints(&b, gr->ndim, gr->chunk);
    sb_puts(&b, ", \"tiles_why\": ");
    json_string(&b, gr->tile_why);
    sb_printf(&b, ", \"tasks\": %lld, \"fuses\": [", (long long)gr->ntiles);
    for (int i = 0; i < gr->nmembers; i++) {
      const Node *x = &g->nodes[gr->members[i]];
      if (i) sb_puts(&b, ", ");
      json_string(&b, x->name ? x->name : op_names[x->op]);
    }
    sb_puts(&b, "], \"why\": ");
    json_string(&b, gr->why);
    sb_printf(&b, ", \"in_place_over\": %d", gr->donor);
    sb_printf(&b, ", \"streamed_into\": %d, \"streams\": %d, \"in_halos\": %s", gr->stream_into,
              gr->streamed, gr->halo_inline ? "true" : "false");
    sb_puts(&b, ", \"frees\": [");
    for (int i = 0; i < gr->nfrees; i++) sb_printf(&b, i ? ", %d" : "%d", gr->frees[i]);
    const GroupCost c = costs[k];
    sb_printf(&b,
              "], \"cost\": {\"elements\": %.0f, \"bytes_read\": %.0f, \"bytes_written\": %.0f, "
              "\"flops\": %.0f}",
              c.elements, c.bytes_read, c.bytes_written, c.flops);
    if (o->mpi) mpi_manifest_group(&b, &gr->mpi); /* the bytes its exchanges move */
    sb_puts(&b, "}");
  }
  sb_printf(&b, "], \"peak_bytes\": %.0f}", f->peak_bytes);
  const char *r = arena_strdup(g->arena, b.data);
  sb_free(&b);
  return r;
}
