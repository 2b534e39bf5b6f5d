/* printkeys.c: seed 000's PrintKeys callback (Dask's docs, "Diagnostics (local)"):
 *
 *     class PrintKeys(Callback):
 *         def _pretask(self, key, dask, state):
 *             print("Computing: {0}!".format(repr(key)))
 *
 * loaded by examples/printkeys.lua with da.callbacks("printkeys.c"). The hooks and their
 * signatures are documented in runtime/cdask_kernel.h; pretask runs on the thread that runs
 * the task, so it prints the whole line at once. */
#include <stdio.h>

#include "cdask_kernel.h"

void pretask(const cdask_task *t) {
  printf("Computing: %s\n", t->key);
}
