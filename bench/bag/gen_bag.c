/* gen_bag.c: the bag benchmark's inputs, the same bytes on every machine (gen_random.h's
 * seeded xorshift).
 *   gen_bag text MB PATH   lines of 1..20 words (a vocabulary of 50000 words, some with
 *                          accents, drawn with a skew like a natural text's), about MB MB
 *   gen_bag json N PATH    N GitHub-archive-like events, one JSON object per line (about 110
 *                          bytes): id, type (one of 14), actor {login}, repo {name}, size,
 *                          public */
#include <stdlib.h>
#include <string.h>

#include "../dataframe/gen_random.h"

enum { VOCAB = 50000 };

static void word(int k, char *out) {
  static const char *const syl[] = {"ka", "to", "ri", "né", "lo", "ma", "su", "pé",
                                    "da", "vi", "ro", "te", "lu", "bo", "zé", "ni"};
  char *o = out;
  int n = 1 + k % 4;
  for (int i = 0; i < n; i++, k /= 16) {
    const char *s = syl[k % 16];
    size_t l = strlen(s);
    memcpy(o, s, l), o += l;
  }
  snprintf(o, 8, "%d", k % 50);
}

static int text(long mb, const char *path) {
  FILE *f = gen_open(path);
  if (!f) return 1;
  static char words[VOCAB][32];
  for (int k = 0; k < VOCAB; k++) word(k * 7919 + 13, words[k]);
  gen_state = 0x9e3779b97f4a7c15u;
  long long bytes = 0, limit = mb * 1000000LL;
  while (bytes < limit) {
    int n = 1 + (int)below(20);
    for (int i = 0; i < n; i++) {
      uint64_t r = below(1000000); /* a skew: small ranks far more often */
      int k = (int)(r * r / 1000000 * r / 1000000 * VOCAB / 1000000);
      bytes += fprintf(f, i ? " %s" : "%s", words[k]);
    }
    fputc('\n', f), bytes++;
  }
  return fclose(f) != 0;
}

static int json(long n, const char *path) {
  static const char *const types[] = {"PushEvent",          "WatchEvent",
                                      "CreateEvent",        "IssuesEvent",
                                      "PullRequestEvent",   "ForkEvent",
                                      "DeleteEvent",        "GollumEvent",
                                      "MemberEvent",        "IssueCommentEvent",
                                      "CommitCommentEvent", "PublicEvent",
                                      "ReleaseEvent",       "PullRequestReviewEvent"};
  FILE *f = gen_open(path);
  if (!f) return 1;
  gen_state = 0x243f6a8885a308d3u;
  for (long i = 0; i < n; i++) {
    uint64_t t = below(100);
    int type = t < 50 ? 0 : t < 65 ? 1 : t < 75 ? 2 : (int)(3 + below(11));
    fprintf(f,
            "{\"id\":%ld,\"type\":\"%s\",\"actor\":{\"login\":\"user%d\"},"
            "\"repo\":{\"name\":\"org%d/repo%d\"},\"size\":%d,\"public\":%s}\n",
            1000000000 + i, types[type], (int)below(100000), (int)below(5000), (int)below(100),
            (int)below(30), i % 2 ? "true" : "false");
  }
  return fclose(f) != 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: gen_bag text MB PATH | gen_bag json N PATH\n");
    return 2;
  }
  long n = atol(argv[2]);
  return strcmp(argv[1], "text") == 0 ? text(n, argv[3]) : json(n, argv[3]);
}
