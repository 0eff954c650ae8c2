/*
 * The checks of the C tests: CHECK prints "ok   NAME" or "FAIL NAME" and counts; the test prints
 * "N passed, M failed" at the end. S("...") passes a literal as (pointer, length); SENTINEL is
 * an output value that a failed call must leave untouched.
 */
#ifndef VORONKA_TEST_CHECK_H
#define VORONKA_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "voronka.h"

static int passed, failed;

#define CHECK(name, cond)                                                                                              \
    do {                                                                                                               \
        if (cond) {                                                                                                    \
            passed++;                                                                                                  \
            printf("ok   %s\n", name);                                                                                 \
        } else {                                                                                                       \
            failed++;                                                                                                  \
            printf("FAIL %s (line %d: %s)\n", name, __LINE__, #cond);                                                  \
        }                                                                                                              \
    } while (0)

#define S(literal) (const uint8_t *)(literal), (sizeof(literal) - 1)

/* A sentinel that must survive a failed call. */
static uint8_t sentinel_byte;
#define SENTINEL {&sentinel_byte, 12345}
static int untouched(const voronka_bytes *b) { return b->ptr == &sentinel_byte && b->len == 12345; }

#endif
