/*
 * A record's size is bounded by what is live, not by its age, through the C API too: COUNT
 * accepted commands on one deal (the command mix of crates/voronka/tests/growth.rs) through
 * voronka_apply, each outcome's "record" handed to the next call, leave a snapshot under 4 KB
 * that loads again.
 *
 * Usage: growth [COUNT]. COUNT defaults to 1 000 000, which scripts/test-c runs against both
 * libraries; under valgrind it runs 2 000 (a million would take about an hour there). As in
 * growth.rs the final size is compared with the size after 100 000 commands when COUNT is
 * larger (a short run would compare unlike moments: keys and versions a digit shorter, the
 * other note).
 *
 * Prints one line per check, the run time, and a closing "N passed, M failed"; exits 1 on any
 * failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "json.h"
#include "voronka.h"

/* The size a snapshot stays under, and the core's window of recent idempotency keys
   (Limits::RECENT_KEYS): from REFERENCE commands to COUNT, each of those keys and the version
   beside it may gain a digit, hence 3 bytes per key. */
#define MAX_RECORD_BYTES 4096
#define RECENT_KEYS 64
#define REFERENCE 100000L

#define ACTOR "{\"user\":\"u-anna\",\"roles\":[\"manager\"]}"

static const char CREATE[] = "{\"actor\":" ACTOR ",\"now\":\"2026-11-27T09:00:00Z\",\"action\":{\"type\":\"create\","
                             "\"id\":\"deal-1\",\"pipeline\":\"deals\",\"responsible\":\"u-anna\","
                             "\"fields\":{\"company_name\":\"Green Food\"}}}";

/* Writes the command `i` (0-based) to buf: a tick every thousandth, else one of the two notes
   in turn; a fresh idempotency key each, now one second later each. Returns its length. */
static size_t command(char *buf, size_t cap, long i, time_t start, const char *note) {
    time_t now = start + i + 1;
    struct tm tm;
    char when[32];
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n;
    if (note)
        n = snprintf(buf, cap,
                     "{\"actor\":" ACTOR ",\"now\":\"%s\",\"idempotency_key\":\"k-%ld\","
                     "\"action\":{\"type\":\"set_fields\",\"fields\":{\"negotiation_comment\":\"%s\"}}}",
                     when, i, note);
    else
        n = snprintf(buf, cap, "{\"actor\":" ACTOR ",\"now\":\"%s\",\"idempotency_key\":\"k-%ld\",\"action\":{\"type\":\"tick\"}}",
                     when, i);
    if (n < 0 || (size_t)n >= cap) abort();
    return (size_t)n;
}

/* The span of the outcome's "record" in out (pointing into out's bytes); 0 when there is none. */
static int record_of(const voronka_bytes *out, const uint8_t **record, size_t *len) {
    json_value *outcome = json_parse((const char *)out->ptr, out->len, NULL);
    const json_value *r = json_get(outcome, "record");
    int found = r && r->type == JSON_OBJECT;
    if (found) {
        *record = (const uint8_t *)r->start;
        *len = r->span;
    }
    json_free(outcome);
    return found;
}

static long number(const json_value *v) { return v && v->type == JSON_NUMBER ? strtol(v->text, NULL, 10) : -1; }

int main(int argc, char **argv) {
    long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    if (count < 1000 || count % 1000 != 0) {
        fprintf(stderr, "usage: %s [COUNT], a multiple of 1000\n", argv[0]);
        return 2;
    }
    (void)untouched; /* check.h's sentinel is for the bad-input tests */

    voronka_model *model = NULL;
    voronka_bytes err = {NULL, 0};
    voronka_result rc = voronka_model_new_eco_packaging(VORONKA_LANG_EN, &model, &err);
    CHECK("the eco-packaging model", rc == VORONKA_OK);
    if (rc != VORONKA_OK) {
        printf("%d passed, %d failed\n", passed, failed);
        return 1;
    }
    struct tm start_tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 27, .tm_hour = 9};
    time_t start = timegm(&start_tm);

    /* Two long notes (about 210 characters each): 210 Cyrillic "Б" (two bytes each in UTF-8),
       and an English sentence seven times. */
    char notes[2][512];
    for (int k = 0; k < 210; k++) memcpy(notes[0] + 2 * k, "\xD0\x91", 2);
    notes[0][420] = '\0';
    notes[1][0] = '\0';
    for (int k = 0; k < 7; k++) strcat(notes[1], "Client asks for kraft boxes; ");

    struct timespec began, ended;
    clock_gettime(CLOCK_MONOTONIC, &began);
    /* `held` is the last outcome; the record passed on is a span of it. */
    voronka_bytes held = {NULL, 0};
    const uint8_t *record = NULL;
    size_t record_len = 0;
    rc = voronka_apply(model, NULL, 0, S(CREATE), VORONKA_LANG_EN, &held, &err);
    int created = rc == VORONKA_OK && record_of(&held, &record, &record_len);
    CHECK("the deal is created", created);

    /* case: D1, D3 (a deal edited a million times) */
    char buf[1024];
    long sets = 0, accepted = 0, oversized_at = -1;
    size_t largest = 0, oversized = 0, size_at_reference = 0;
    for (long i = 0; created && i < count; i++) {
        const char *note = NULL;
        if (i % 1000 != 999) note = notes[++sets % 2];
        size_t len = command(buf, sizeof buf, i, start, note);
        voronka_bytes out = {NULL, 0};
        rc = voronka_apply(model, record, record_len, (const uint8_t *)buf, len, VORONKA_LANG_EN, &out, &err);
        const uint8_t *next = NULL;
        size_t next_len = 0;
        if (rc != VORONKA_OK || !record_of(&out, &next, &next_len)) {
            printf("command %ld: code %u: %s\n", i, rc, err.ptr ? (const char *)err.ptr : "no record in the outcome");
            voronka_bytes_free(&out);
            voronka_bytes_free(&err);
            break;
        }
        accepted++;
        voronka_bytes_free(&held);
        held = out;
        record = next;
        record_len = next_len;
        if (i % 1000 == 999) {
            if (record_len > largest) largest = record_len;
            if (record_len > MAX_RECORD_BYTES && oversized_at < 0) {
                oversized_at = i + 1;
                oversized = record_len;
            }
            if (i + 1 == REFERENCE) size_at_reference = record_len;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &ended);
    double seconds = (double)(ended.tv_sec - began.tv_sec) + (double)(ended.tv_nsec - began.tv_nsec) / 1e9;

    CHECK("every command is accepted", accepted == count);
    if (oversized_at > 0) printf("%zu bytes after %ld commands\n", oversized, oversized_at);
    CHECK("the record stays under 4 KB (checked every 1 000 commands)", accepted == count && largest <= MAX_RECORD_BYTES);
    printf("growth: %ld commands in %.1f s; %zu bytes after them, %zu at most\n", accepted, seconds, record_len, largest);
    if (count > REFERENCE) {
        printf("%zu bytes after %ld commands\n", size_at_reference, REFERENCE);
        CHECK("from 100 000 commands on it grows by 3 bytes per recent key at most",
              accepted == count && record_len <= size_at_reference + 3 * RECENT_KEYS);
    } else {
        printf("not compared with the size after 100 000 commands: %ld commands\n", count);
    }

    json_value *final = json_parse((const char *)record, record_len, NULL);
    const json_value *keys = json_get(final, "recent_keys");
    const json_value *last_key = keys && keys->type == JSON_ARRAY && keys->count ? json_get(keys->members[keys->count - 1].value, "key") : NULL;
    char wanted[32];
    /* The newest is the last edit's: the last command, a tick with nothing due, made no event. */
    snprintf(wanted, sizeof wanted, "k-%ld", count - 2);
    CHECK("it keeps the 64 latest idempotency keys",
          keys && keys->type == JSON_ARRAY && keys->count == RECENT_KEYS && last_key && last_key->text &&
              strcmp(last_key->text, wanted) == 0);
    long version = number(json_get(final, "version"));
    /* Every edit was an event (and the ticks fired the deal's first reminders). */
    CHECK("every edit is an event", version > sets);

    /* It loads again: for the next timer and for one more command. */
    voronka_bytes due = {NULL, 0};
    rc = voronka_next_due(record, record_len, VORONKA_LANG_EN, &due, &err);
    CHECK("voronka_next_due reads the final record", rc == VORONKA_OK && due.ptr != NULL);
    voronka_bytes_free(&due);
    voronka_bytes_free(&err);
    size_t len = command(buf, sizeof buf, count, start, "last");
    voronka_bytes out = {NULL, 0};
    rc = voronka_apply(model, record, record_len, (const uint8_t *)buf, len, VORONKA_LANG_EN, &out, &err);
    const uint8_t *next = NULL;
    size_t next_len = 0;
    json_value *after = rc == VORONKA_OK && record_of(&out, &next, &next_len) ? json_parse((const char *)next, next_len, NULL) : NULL;
    const json_value *comment = json_get(json_get(after, "fields"), "negotiation_comment");
    CHECK("the final record takes one more command",
          after && number(json_get(after, "version")) == version + 1 && comment && comment->text &&
              strcmp(comment->text, "last") == 0);
    json_free(after);
    json_free(final);
    voronka_bytes_free(&out);
    voronka_bytes_free(&err);
    voronka_bytes_free(&held);
    voronka_model_free(model);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
