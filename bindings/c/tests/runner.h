/*
 * What the C runners of the language-neutral test files share: reading a file, the first
 * problem of the current file, and running a function over every .json file of a directory
 * in name order with one line per file and a closing "N passed, M failed".
 *
 * Test code only.
 */
#ifndef VORONKA_TEST_RUNNER_H
#define VORONKA_TEST_RUNNER_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read_file.h"

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first problem of the current file. */
static char problem[4096];

static int fail(const char *fmt, ...) {
    if (problem[0]) return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return 0;
}

/* Runs `run` on every .json file of `dir`; prints a line per file and the totals. Returns the
 * process exit status: 1 when a file failed or there was none, 2 when `dir` cannot be read. */
static int run_dir(const char *dir_path, int (*run)(const char *path)) {
    DIR *dir = opendir(dir_path);
    if (!dir) {
        perror(dir_path);
        return 2;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        size_t n = strlen(entry->d_name);
        if (n > 5 && strcmp(entry->d_name + n - 5, ".json") == 0) {
            names = realloc(names, (count + 1) * sizeof *names);
            if (!names) abort();
            names[count++] = strdup(entry->d_name);
        }
    }
    closedir(dir);
    qsort(names, count, sizeof *names, by_name);

    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir_path, names[i]);
        problem[0] = '\0';
        if (run(path)) {
            passed++;
            printf("ok   %s\n", names[i]);
        } else {
            failed++;
            printf("FAIL %s: %s\n", names[i], problem);
        }
        free(names[i]);
    }
    free(names);
    if (count == 0) {
        printf("FAIL no .json files in %s\n", dir_path);
        failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#endif
