/*
 * Replays every conformance fixture (every .json file of tests/fixtures/conformance, see its README)
 * through the C API and compares each step's events or error report, and the final record,
 * with the expected ones as JSON values. Also checks, on the way, that voronka_decide gives
 * byte-identical results, that voronka_replay rebuilds the final record from the events, and
 * that next_stages and next_due answer for every record.
 *
 * Usage: conformance FIXTURE_DIR
 * Prints one line per fixture and a closing "N passed, M failed"; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "runner.h"
#include "voronka.h"

/* Compares an expected value with JSON text the library returned. */
static int same(const json_value *expected, const char *actual, size_t actual_len, const char *what) {
    const char *error = NULL;
    json_value *got = json_parse(actual, actual_len, &error);
    if (!got) return fail("%s: the library returned invalid JSON (%s): %.*s", what, error, (int)actual_len, actual);
    char path[512];
    int ok = json_equal(expected, got, path, sizeof path);
    json_free(got);
    if (!ok)
        return fail("%s differs at %s\n  expected: %.*s\n  got:      %.*s", what, path,
                    (int)(expected->span > 1500 ? 1500 : expected->span), expected->start,
                    (int)(actual_len > 1500 ? 1500 : actual_len), actual);
    return 1;
}

/* A growing buffer for the JSON array of all events so far. */
typedef struct {
    char *data;
    size_t len, cap;
} buffer;

static void append(buffer *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) abort();
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static int run_fixture(const char *path) {
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) return fail("cannot read the file");
    const char *error = NULL;
    json_value *fixture = json_parse(text, len, &error);
    if (!fixture) {
        free(text);
        return fail("invalid JSON: %s", error);
    }
    int ok = 1;
    voronka_model *model = NULL;
    voronka_bytes err = {NULL, 0};
    voronka_bytes record = {NULL, 0}; /* the last accepted outcome, whose "record" is current */
    const json_value *current = NULL; /* that record inside the parsed outcome */
    json_value *outcome_tree = NULL;
    buffer events = {NULL, 0, 0};
    append(&events, "[", 1);

    const json_value *definition = json_get(fixture, "definition");
    const json_value *steps = json_get(fixture, "steps");
    voronka_result rc;
    if (!definition || !steps || steps->type != JSON_ARRAY) {
        ok = fail("a fixture needs \"definition\" and \"steps\"");
        goto done;
    }
    if (definition->type == JSON_STRING && strcmp(definition->text, "eco-packaging") == 0)
        rc = voronka_model_new_eco_packaging(VORONKA_LANG_EN, &model, &err);
    else if (definition->type == JSON_OBJECT)
        rc = voronka_model_new((const uint8_t *)definition->start, definition->span, VORONKA_LANG_EN, &model, &err);
    else {
        ok = fail("unknown definition");
        goto done;
    }
    if (rc != VORONKA_OK) {
        ok = fail("the definition does not compile: %u %s", rc, err.ptr ? (const char *)err.ptr : "");
        goto done;
    }

    for (size_t i = 0; i < steps->count && ok; i++) {
        const json_value *step = steps->members[i].value;
        const json_value *command = json_get(step, "command");
        const json_value *expect = json_get(step, "expect");
        char what[128];
        if (!command || !expect || expect->type != JSON_OBJECT) {
            ok = fail("steps[%zu] needs \"command\" and an \"expect\" object", i);
            break;
        }
        const uint8_t *rec_ptr = current ? (const uint8_t *)current->start : NULL;
        size_t rec_len = current ? current->span : 0;
        voronka_bytes out = {NULL, 0}, perr = {NULL, 0}, pout = {NULL, 0};
        voronka_result prc = voronka_decide(model, rec_ptr, rec_len, (const uint8_t *)command->start, command->span,
                                             VORONKA_LANG_EN, &pout, &perr);
        rc = voronka_apply(model, rec_ptr, rec_len, (const uint8_t *)command->start, command->span, VORONKA_LANG_EN,
                           &out, &err);
        const json_value *expected_error = json_get(expect, "error");
        if (rc == VORONKA_OK) {
            if (err.ptr) ok = fail("steps[%zu]: out_error written on success", i);
            json_value *tree = json_parse((const char *)out.ptr, out.len, &error);
            json_value *decided = prc == rc ? json_parse((const char *)pout.ptr, pout.len, &error) : NULL;
            if (!decided) {
                ok = fail("steps[%zu]: decide differs from apply", i);
            } else if (tree) {
                /* decide gives apply's events, effects and trace, without the record. */
                static const char *const parts[] = {"events", "effects", "trace"};
                for (size_t p = 0; p < 3 && ok; p++) {
                    const json_value *want = json_get(tree, parts[p]);
                    const json_value *got = json_get(decided, parts[p]);
                    snprintf(what, sizeof what, "steps[%zu]: decide's %s", i, parts[p]);
                    if (!want || !got) ok = fail("%s: missing", what);
                    else ok = same(want, got->start, got->span, what);
                }
                if (json_get(decided, "record")) ok = fail("steps[%zu]: decide returned a record", i);
            }
            json_free(decided);
            if (!tree) {
                ok = fail("steps[%zu]: invalid outcome JSON: %s", i, error);
            } else if (expected_error) {
                ok = fail("steps[%zu]: expected error %s, the command was accepted: %s", i,
                          json_get(expected_error, "name") ? json_get(expected_error, "name")->text : "?",
                          (const char *)out.ptr);
            } else {
                /* Every key the fixture expects (events; effects or trace when given). */
                for (size_t k = 0; k < expect->count && ok; k++) {
                    const json_value *got = json_get(tree, expect->members[k].key);
                    snprintf(what, sizeof what, "steps[%zu].%s", i, expect->members[k].key);
                    if (!got) ok = fail("%s: missing in the outcome", what);
                    else ok = same(expect->members[k].value, got->start, got->span, what);
                }
                const json_value *new_events = json_get(tree, "events");
                for (size_t e = 0; new_events && e < new_events->count; e++) {
                    if (events.len > 1) append(&events, ",", 1);
                    append(&events, new_events->members[e].value->start, new_events->members[e].value->span);
                }
                const json_value *new_record = json_get(tree, "record");
                if (!new_record) ok = fail("steps[%zu]: no record in the outcome", i);
                /* A new task's effect carries its form: voronka_task_form gives the same. */
                const json_value *effects = json_get(tree, "effects");
                const json_value *pipeline = new_record ? json_get(new_record, "pipeline") : NULL;
                for (size_t e = 0; ok && effects && pipeline && e < effects->count; e++) {
                    const json_value *effect = effects->members[e].value;
                    const json_value *type = json_get(effect, "type");
                    const json_value *owner = json_get(effect, "record");
                    const json_value *task = json_get(effect, "task");
                    if (!type || strcmp(type->text, "create_task") != 0 || !task || !owner ||
                        strcmp(owner->text, json_get(new_record, "id")->text) != 0)
                        continue;
                    const json_value *automation = json_get(task, "automation");
                    const json_value *code = json_get(task, "code");
                    const json_value *form = json_get(effect, "form");
                    voronka_bytes asked = {NULL, 0};
                    voronka_result frc = voronka_task_form(
                        model, (const uint8_t *)pipeline->text, pipeline->text_len, (const uint8_t *)automation->text,
                        automation->text_len, (const uint8_t *)code->text, code->text_len, VORONKA_LANG_EN, &asked, NULL);
                    snprintf(what, sizeof what, "steps[%zu]: task_form of effects[%zu]", i, e);
                    if (frc != VORONKA_OK) ok = fail("%s failed with %u", what, frc);
                    else if (form) ok = same(form, (const char *)asked.ptr, asked.len, what);
                    else if (asked.len != 2 || memcmp(asked.ptr, "[]", 2) != 0)
                        ok = fail("%s: the effect has no form, the model gives %s", what, (const char *)asked.ptr);
                    voronka_bytes_free(&asked);
                }
                /* The accepted outcome becomes the holder of the current record. */
                json_free(outcome_tree);
                voronka_bytes_free(&record);
                outcome_tree = tree;
                tree = NULL;
                record = out;
                out.ptr = NULL;
                out.len = 0;
                current = new_record;
            }
            json_free(tree);
        } else {
            if (out.ptr) ok = fail("steps[%zu]: output written on failure", i);
            if (prc != rc || perr.len != err.len || memcmp(perr.ptr, err.ptr, err.len) != 0)
                ok = fail("steps[%zu]: decide differs from apply", i);
            snprintf(what, sizeof what, "steps[%zu].error", i);
            if (!err.ptr) ok = fail("steps[%zu]: code %u without a report", i, rc);
            else if (!expected_error)
                ok = fail("steps[%zu]: rejected with %u (%s): %s", i, rc, voronka_error_name(rc), (const char *)err.ptr);
            else {
                const json_value *code = json_get(expected_error, "code");
                if (!code || strtoul(code->text, NULL, 10) != rc)
                    ok = fail("steps[%zu]: returned %u, the report expects %s", i, rc, code ? code->text : "?");
                else ok = same(expected_error, (const char *)err.ptr, err.len, what);
            }
        }
        voronka_bytes_free(&out);
        voronka_bytes_free(&err);
        voronka_bytes_free(&pout);
        voronka_bytes_free(&perr);

        if (ok && current) {
            voronka_bytes stages = {NULL, 0}, due = {NULL, 0};
            rc = voronka_next_stages(model, (const uint8_t *)current->start, current->span, VORONKA_LANG_EN, &stages,
                                     NULL);
            if (rc != VORONKA_OK) ok = fail("steps[%zu]: next_stages failed with %u", i, rc);
            rc = voronka_next_due((const uint8_t *)current->start, current->span, VORONKA_LANG_EN, &due, NULL);
            if (rc != VORONKA_OK) ok = fail("steps[%zu]: next_due failed with %u", i, rc);
            voronka_bytes_free(&stages);
            voronka_bytes_free(&due);
        }
    }

    if (ok) {
        const json_value *expected_record = json_get(fixture, "record");
        if (!expected_record) ok = fail("no \"record\"");
        else if (current) ok = same(expected_record, current->start, current->span, "record");
        else ok = same(expected_record, "null", 4, "record");
    }
    if (ok) {
        append(&events, "]", 1);
        voronka_bytes replayed = {NULL, 0};
        rc = voronka_replay((const uint8_t *)events.data, events.len, VORONKA_LANG_EN, &replayed, &err);
        if (rc != VORONKA_OK) ok = fail("replay failed with %u: %s", rc, err.ptr ? (const char *)err.ptr : "");
        else if (current) ok = same(current, (const char *)replayed.ptr, replayed.len, "replayed record");
        else if (strcmp((const char *)replayed.ptr, "null") != 0) ok = fail("replay without events is not null");
        voronka_bytes_free(&replayed);
        voronka_bytes_free(&err);
    }

done:
    voronka_bytes_free(&err);
    voronka_bytes_free(&record);
    json_free(outcome_tree);
    voronka_model_free(model);
    json_free(fixture);
    free(events.data);
    free(text);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
        return 2;
    }
    if (voronka_format_version() != VORONKA_FORMAT_VERSION) {
        fprintf(stderr, "header and library disagree on the format version\n");
        return 1;
    }
    return run_dir(argv[1], run_fixture);
}
