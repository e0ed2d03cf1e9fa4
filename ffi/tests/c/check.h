/*
 * The check harness every C test program of ffi/tests/c includes (each .c is its own program):
 * counters, CHECK for a condition, EXPECT/OK for a status (naming both codes on a mismatch).
 * A test's main ends by printing "N passed, N failed", which scripts/c-tests.sh reads.
 */
#ifndef FLEETCORE_TEST_CHECK_H
#define FLEETCORE_TEST_CHECK_H

#include <stdio.h>

#include "fleetcore.h"
#include "codes.h"

static int passed;
static int failed;

static inline void check(int ok, const char *what, int line) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __LINE__)

/* The text of a status (fc_status_message), or "unknown status" for a number that is none;
 * kept in one of two static buffers, so two texts can be printed together. */
static inline const char *status_text(fc_status s) {
    static char bufs[2][FC_STATUS_MESSAGE_SIZE];
    static int next;
    char *buf = bufs[next];
    size_t n;
    next = 1 - next;
    return fc_status_message(s, buf, sizeof bufs[0], &n) == FC_STATUS_OK ? buf : "unknown status";
}

static inline void check_status(fc_status got, fc_status want, const char *what, int line) {
    if (got == want) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s: got %u (%s), want %u (%s)\n", line, what, (unsigned)got,
               status_text(got), (unsigned)want, status_text(want));
    }
}

#define EXPECT(call, want) check_status((call), (want), #call, __LINE__)
#define OK(call) EXPECT(call, FC_STATUS_OK)

#endif
