/* cdask_kernel.h: what a C file of the user's (cd.cfile) may use besides the C library.
 * cdaskc predefines it when it reads the file and when it copies the file into the
 * program, so a kernel file needs no #include of it (one is allowed, for editors: the
 * file is in cdask's source tree, runtime/cdask_kernel.h).
 *
 * A block kernel (da.map_blocks, da.map_overlap) may take a `const cdask_block *`
 * parameter: an array of 1 + (inputs) descriptions, Dask's block_info. Element 0 is the
 * output's block (block_info[None]), element 1 + i is input i's (block_info[i]). Every
 * block is C-ordered and contiguous; shape[] is the block the kernel sees (for a
 * map_overlap input: with its halo, and start/stop include it, negative past the array's
 * edge; for the output of a trimmed map_overlap: the padded block, while start/stop say
 * where the trimmed block lies). */
#ifndef CDASK_KERNEL_H
#define CDASK_KERNEL_H

#include <stdint.h>

#define CDASK_MAXDIM 8

typedef struct cdask_block {
  int ndim;
  int64_t shape[CDASK_MAXDIM];          /* this block's (Dask's 'chunk-shape' for the output) */
  int64_t array_shape[CDASK_MAXDIM];    /* the whole array's ('shape') */
  int64_t start[CDASK_MAXDIM];          /* where the block lies in the array */
  int64_t stop[CDASK_MAXDIM];           /* ('array-location': [start, stop) per axis) */
  int64_t chunk_location[CDASK_MAXDIM]; /* its index in the chunk grid (block_id) */
  int64_t num_chunks[CDASK_MAXDIM];     /* the chunk grid ('num-chunks') */
} cdask_block;

/* Callbacks (da.callbacks("file.c"), Dask's dask.callbacks.Callback): a C file of the
 * user's may define any of these four functions; the program calls them around its run and
 * around every task, on the thread that runs the task (so they must be thread-safe: printf
 * is). They cannot change a result. A task is one tile of a fused group (or one combine
 * step of a reduction, or one delayed call); its key names the group and the tile, as
 * Dask's keys name the array and the chunk. */
typedef struct cdask_task {
  const char *key;   /* "g2:mean:3": group id, its sink operation, tile index */
  const char *group; /* "g2:mean" */
  int group_id;
  int64_t tile;      /* the tile's index in its group, 0 to ntasks - 1 */
  int thread;        /* the OpenMP thread running it, 0 to nthreads - 1 */
  const char *where; /* the script line of the group's sink, "pipeline.lua:18" */
} cdask_task;

/* The hooks, checked by cdaskc against these signatures (not declared here: kernel files
 * may use the names for other things):
 *   void start(int64_t ntasks, int nthreads);        before the first task
 *   void pretask(const cdask_task *t);               before each task
 *   void posttask(const cdask_task *t, double sec);  after it, with its duration
 *   void finish(double sec, int errored);            after the last task */

#endif
