/* A tiny test harness: ASSERT records a failure with its line and goes on; every test
 * program ends with TEST_END, which prints a summary and sets the exit code. */
#ifndef CDASK_TEST_H
#define CDASK_TEST_H
#include <stdio.h>

static int test_failures, test_checks;

#define ASSERT(cond)                                                                               \
  do {                                                                                             \
    test_checks++;                                                                                 \
    if (!(cond)) {                                                                                 \
      test_failures++;                                                                             \
      fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond);                 \
    }                                                                                              \
  } while (0)

#define TEST_END()                                                                                 \
  do {                                                                                             \
    printf("%d checks, %d failed\n", test_checks, test_failures);                                  \
    return test_failures ? 1 : 0;                                                                  \
  } while (0)
#endif
