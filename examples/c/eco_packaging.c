/*
 * The eco-packaging case through libvoronka, in C.
 *
 * Compiles the built-in model, creates a deal (case D1: the automation gives the manager a
 * call task), completes that call, tries to move the deal to the commercial offer (D2) and
 * prints what is missing, fills it in and moves, moves on to negotiation (D3), answers the
 * call task there with "waiting" (the automation then waits two business days), and ticks
 * the clock when the record asks for it.
 *
 * Build (see README.md):
 *   cc -o eco_packaging eco_packaging.c $(pkg-config --cflags --libs voronka)
 *
 * The library speaks JSON; this example reads the few values it needs with the tiny helpers
 * below, which rely on the library's compact output. A real host uses its JSON library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "voronka.h"

/* ---- tiny JSON helpers (for the library's own compact output only) ---------------------- */

/* The length of the JSON value starting at p. */
static size_t value_len(const char *p) {
    const char *s = p;
    int depth = 0;
    do {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1]) p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (depth == 0) {
            while (p[1] && p[1] != ',' && p[1] != '}' && p[1] != ']') p++;
        }
        if (*p) p++;
    } while (depth > 0 && *p);
    return (size_t)(p - s);
}

/* The value of the first member "key" at or after p; NULL when there is none. */
static const char *member(const char *p, const char *key, size_t *len) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *at = strstr(p, pattern);
    if (!at) return NULL;
    at += strlen(pattern);
    if (len) *len = value_len(at);
    return at;
}

/* Copies the string member "key" at or after p (without quotes) into out. */
static const char *string_member(const char *p, const char *key, char *out, size_t cap) {
    size_t len = 0;
    const char *v = member(p, key, &len);
    if (!v || *v != '"' || len < 2 || len - 2 >= cap) return NULL;
    memcpy(out, v + 1, len - 2);
    out[len - 2] = '\0';
    return out;
}

/* ---- the host ------------------------------------------------------------------------- */

static voronka_model *model;
static voronka_bytes current = {NULL, 0}; /* the last outcome: its "record" is the deal */
static const char *record;                /* the record inside `current` */
static size_t record_len;

static void die(const char *what, voronka_result rc, voronka_bytes *err) {
    fprintf(stderr, "%s failed: %u %s: %s\n", what, rc, voronka_error_name(rc),
            err->ptr ? (const char *)err->ptr : voronka_error_message(rc));
    voronka_bytes_free(err);
    voronka_bytes_free(&current);
    voronka_model_free(model);
    exit(1);
}

/* Prints the stage, the events and the effects of an outcome. */
static void show(const char *title, const char *outcome) {
    char stage[64] = "?", text[160];
    size_t len;
    const char *rec = member(outcome, "record", NULL);
    string_member(rec, "stage", stage, sizeof stage);
    printf("%s: stage %s\n", title, stage);
    for (int pass = 0; pass < 2; pass++) {
        const char *list = member(outcome, pass ? "effects" : "events", &len);
        const char *end = list + len - 1;
        for (const char *item = list + 1; item < end && *item == '{'; item += value_len(item) + 1) {
            string_member(item, "type", text, sizeof text); /* the tag comes first */
            printf("  %s %s", pass ? "effect" : "event ", text);
            if (pass && strcmp(text, "create_task") == 0) {
                const char *task = member(item, "task", NULL);
                char id[64] = "?";
                string_member(task, "id", id, sizeof id);
                printf(" %s: %s", id, string_member(member(task, "title", NULL), "en", text, sizeof text));
            }
            printf("\n");
        }
    }
}

/* Applies a command to the current record (or none); keeps the new record on success. */
static voronka_result apply(const char *title, const char *command, voronka_bytes *err) {
    voronka_bytes outcome = {NULL, 0};
    voronka_result rc = voronka_apply(model, (const uint8_t *)record, record_len, (const uint8_t *)command,
                                      strlen(command), VORONKA_LANG_EN, &outcome, err);
    if (rc != VORONKA_OK) return rc;
    show(title, (const char *)outcome.ptr);
    voronka_bytes_free(&current); /* the previous record is no longer needed */
    current = outcome;
    record = member((const char *)current.ptr, "record", &record_len);
    return VORONKA_OK;
}

/* The id of the first task created by the current outcome. */
static void created_task(char *id, size_t cap) {
    const char *effect = strstr((const char *)current.ptr, "{\"type\":\"create_task\"");
    if (!effect || !string_member(member(effect, "task", NULL), "id", id, cap)) {
        fprintf(stderr, "no task was created\n");
        exit(1);
    }
}

#define ACTOR "\"actor\":{\"user\":\"u-anna\",\"roles\":[\"manager\"]}"

int main(void) {
    voronka_bytes err = {NULL, 0};
    voronka_result rc;
    char command[1024], task[64];

    printf("libvoronka %s, JSON format %u\n", voronka_version(), voronka_format_version());
    rc = voronka_model_new_eco_packaging(VORONKA_LANG_EN, &model, &err);
    if (rc != VORONKA_OK) die("compiling the model", rc, &err);

    /* D1: a new deal starts in "establish contact"; the automation creates a call task. */
    rc = apply("created",
               "{" ACTOR ",\"now\":\"2026-11-27T09:00:00Z\",\"action\":{\"type\":\"create\",\"id\":\"deal-1\","
               "\"pipeline\":\"deals\",\"responsible\":\"u-anna\",\"fields\":{"
               "\"client_name\":{\"first\":\"Olga\",\"last\":\"Petrova\"},"
               "\"client_phone\":\"+7 843 555-01-02\",\"company_name\":\"GreenFood\"}}}",
               &err);
    if (rc != VORONKA_OK) die("create", rc, &err);

    /* The manager calls the client and completes the task the automation created. */
    created_task(task, sizeof task);
    snprintf(command, sizeof command,
             "{" ACTOR ",\"now\":\"2026-11-27T10:00:00Z\",\"action\":{\"type\":\"complete_task\",\"task\":\"%s\"}}",
             task);
    char title[128];
    snprintf(title, sizeof title, "completed %s", task);
    rc = apply(title, command, &err);
    if (rc != VORONKA_OK) die("complete_task", rc, &err);

    /* D2: the commercial offer needs fields the deal does not have yet. */
    rc = apply("moved", "{" ACTOR ",\"now\":\"2026-11-27T10:05:00Z\",\"action\":{\"type\":\"move\",\"to\":\"offer\"}}",
               &err);
    if (rc != 3001) die("the move should have been rejected: move", rc, &err);
    char message[512] = "", field[64];
    string_member((const char *)err.ptr, "message", message, sizeof message);
    printf("move rejected: %u %s: %s\n  missing:", rc, voronka_error_name(rc), message);
    const char *missing = member((const char *)err.ptr, "missing", NULL);
    for (const char *p = strstr(missing, "\"field\":"); p; p = strstr(p + 1, "\"field\":"))
        if (string_member(p, "field", field, sizeof field)) printf(" %s", field);
    printf("\n");
    voronka_bytes_free(&err);

    rc = apply("moved",
               "{" ACTOR ",\"now\":\"2026-11-27T10:10:00Z\",\"action\":{\"type\":\"move\",\"to\":\"offer\",\"fields\":{"
               "\"company_type\":\"manufacturer\",\"website\":\"https://greenfood.example\","
               "\"delivery_address\":{\"country\":\"RU\",\"city\":\"Kazan\",\"street\":\"Baumana 5\"}}}}",
               &err);
    if (rc != VORONKA_OK) die("move", rc, &err);

    /* D3: negotiation. The client asks to wait: the automation waits two business days. */
    rc = apply("moved",
               "{" ACTOR ",\"now\":\"2026-11-27T11:00:00Z\",\"action\":{\"type\":\"move\",\"to\":\"negotiation\"}}",
               &err);
    if (rc != VORONKA_OK) die("move", rc, &err);
    created_task(task, sizeof task);
    snprintf(command, sizeof command,
             "{" ACTOR ",\"now\":\"2026-11-27T15:00:00Z\",\"action\":{\"type\":\"complete_task\",\"task\":\"%s\","
             "\"answers\":{\"reached\":true,\"outcome\":\"waiting\",\"comment\":\"Call back after the holidays\"}}}",
             task);
    snprintf(title, sizeof title, "completed %s", task);
    rc = apply(title, command, &err);
    if (rc != VORONKA_OK) die("complete_task", rc, &err);

    /* The host ticks the record when it asks to. */
    voronka_bytes due = {NULL, 0};
    rc = voronka_next_due((const uint8_t *)record, record_len, VORONKA_LANG_EN, &due, &err);
    if (rc != VORONKA_OK) die("next_due", rc, &err);
    printf("next due: %s\n", (const char *)due.ptr);
    if (strcmp((const char *)due.ptr, "null") != 0) {
        snprintf(command, sizeof command, "{" ACTOR ",\"now\":%s,\"action\":{\"type\":\"tick\"}}", (const char *)due.ptr);
        snprintf(title, sizeof title, "tick at %s", (const char *)due.ptr);
        rc = apply(title, command, &err);
        if (rc != VORONKA_OK) die("tick", rc, &err);
    }
    voronka_bytes_free(&due);

    char stage[64] = "?", version[32] = "?";
    string_member(record, "stage", stage, sizeof stage);
    size_t vlen = 0;
    const char *v = member(record, "version", &vlen);
    if (v && vlen < sizeof version) {
        memcpy(version, v, vlen);
        version[vlen] = '\0';
    }
    printf("done: deal-1 in stage %s at version %s\n", stage, version);

    voronka_bytes_free(&current);
    voronka_model_free(model);
    return 0;
}
