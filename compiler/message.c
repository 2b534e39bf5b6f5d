/* message.c: cdaskc's own messages (its options, its files, the C compiler), one format:
 * "cdaskc: message" on stderr. Messages about the script name its file and line instead. */
#include "cdask.h"

#include <stdlib.h>

static void vsay(const char *fmt, va_list ap) {
  fputs("cdaskc: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\n", stderr);
}

void cdaskc_say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsay(fmt, ap);
  va_end(ap);
}

_Noreturn void cdaskc_vquit(int code, const char *fmt, va_list ap) {
  vsay(fmt, ap);
  exit(code);
}
