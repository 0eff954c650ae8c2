/*
 * Replays the catalogue of bad inputs (every .json file of tests/fixtures/bad-inputs, see its
 * README) through the C API: each case must fail with exactly the expected code, and a report
 * with the expected name and path; the record handed in stays byte for byte the same; the
 * same input again gives the same report; and a command at the record's own version is still
 * accepted. (The documents' case, bad-inputs/docs, is replayed by the Rust tests only: the C
 * library does not render documents.)
 *
 * Usage: catalogue CATALOGUE_DIR ECO_PACKAGING_DEFINITION_JSON
 * Prints one line per case and a closing "N passed, M failed"; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "runner.h"
#include "voronka.h"

static char *eco_text;
static size_t eco_len;

/* Checks a report against the case's {"code", "name", "path"}. */
static int matches(const json_value *expect, voronka_result rc, const voronka_bytes *err) {
    const json_value *code = json_get(expect, "code"), *name = json_get(expect, "name"),
                     *path = json_get(expect, "path");
    if (!code || !name || !path) return fail("\"expect\" needs code, name and path");
    if (strtoul(code->text, NULL, 10) != rc) return fail("returned %u, expected %s", rc, code->text);
    if (!err->ptr) return fail("code %u without a report", rc);
    const char *error = NULL;
    json_value *report = json_parse((const char *)err->ptr, err->len, &error);
    if (!report) return fail("the report is not JSON: %s", error);
    const json_value *got_name = json_get(report, "name"), *got_path = json_get(report, "path");
    int ok = 1;
    if (!got_name || strcmp(got_name->text, name->text) != 0)
        ok = fail("name %s, expected %s", got_name ? got_name->text : "(none)", name->text);
    else if (path->type == JSON_NULL ? got_path != NULL
                                     : !got_path || strcmp(got_path->text, path->text) != 0)
        ok = fail("path %s, expected %s", got_path ? got_path->text : "(none)",
                  path->type == JSON_NULL ? "(none)" : path->text);
    json_free(report);
    return ok;
}

/* The bytes of a value in the case: a JSON string's text, or any other value's source. */
static void bytes_of(const json_value *v, const uint8_t **ptr, size_t *len) {
    if (v->type == JSON_STRING) {
        *ptr = (const uint8_t *)v->text;
        *len = v->text_len;
    } else {
        *ptr = (const uint8_t *)v->start;
        *len = v->span;
    }
}

static int run_case(const char *path) {
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) return fail("cannot read the file");
    const char *error = NULL;
    json_value *c = json_parse(text, len, &error);
    if (!c) {
        free(text);
        return fail("invalid JSON: %s", error);
    }
    int ok = 1;
    voronka_model *model = NULL;
    voronka_bytes err = {NULL, 0}, out = {NULL, 0}, again = {NULL, 0}, again_out = {NULL, 0}, record = {NULL, 0};
    json_value *outcome = NULL;
    const json_value *current = NULL;
    char *before = NULL;

    const json_value *definition = json_get(c, "definition"), *definition_text = json_get(c, "definition_text"),
                     *options = json_get(c, "options"), *setup = json_get(c, "setup"), *input = json_get(c, "input"),
                     *expect = json_get(c, "expect");
    const uint8_t *def_ptr, *opt_ptr = NULL;
    size_t def_len, opt_len = 0;
    if (!setup || setup->type != JSON_ARRAY || !expect) {
        ok = fail("a case needs \"setup\" and \"expect\"");
        goto done;
    }
    if (definition_text) bytes_of(definition_text, &def_ptr, &def_len);
    else if (definition && definition->type == JSON_STRING && strcmp(definition->text, "eco-packaging") == 0) {
        def_ptr = (const uint8_t *)eco_text;
        def_len = eco_len;
    } else if (definition && definition->type == JSON_OBJECT) bytes_of(definition, &def_ptr, &def_len);
    else {
        ok = fail("unknown definition");
        goto done;
    }
    if (options) bytes_of(options, &opt_ptr, &opt_len);
    voronka_result rc =
        voronka_model_new_with_options(def_ptr, def_len, opt_ptr, opt_len, VORONKA_LANG_EN, &model, &err);
    if (!input) {
        if (rc == VORONKA_OK) ok = fail("the definition loaded; the case expects an error");
        else ok = matches(expect, rc, &err);
        goto done;
    }
    if (rc != VORONKA_OK) {
        ok = fail("the definition does not load: %u %s", rc, err.ptr ? (const char *)err.ptr : "");
        goto done;
    }
    for (size_t i = 0; i < setup->count; i++) {
        const json_value *command = setup->members[i].value;
        rc = voronka_apply(model, current ? (const uint8_t *)current->start : NULL, current ? current->span : 0,
                           (const uint8_t *)command->start, command->span, VORONKA_LANG_EN, &out, &err);
        if (rc != VORONKA_OK) {
            ok = fail("setup[%zu] rejected: %u %s", i, rc, err.ptr ? (const char *)err.ptr : "");
            goto done;
        }
        json_free(outcome);
        voronka_bytes_free(&record);
        record = out;
        out.ptr = NULL;
        out.len = 0;
        outcome = json_parse((const char *)record.ptr, record.len, &error);
        current = outcome ? json_get(outcome, "record") : NULL;
        if (!current) {
            ok = fail("setup[%zu]: no record in the outcome", i);
            goto done;
        }
    }
    const json_value *record_text = json_get(input, "record_text"), *command = json_get(input, "command"),
                     *command_text = json_get(input, "command_text");
    const uint8_t *rec_ptr = NULL, *cmd_ptr;
    size_t rec_len = 0, cmd_len;
    if (record_text) bytes_of(record_text, &rec_ptr, &rec_len);
    else if (current) {
        rec_ptr = (const uint8_t *)current->start;
        rec_len = current->span;
    }
    if (command_text) bytes_of(command_text, &cmd_ptr, &cmd_len);
    else if (command) bytes_of(command, &cmd_ptr, &cmd_len);
    else {
        ok = fail("the input needs \"command\" or \"command_text\"");
        goto done;
    }
    if (rec_ptr) {
        before = malloc(rec_len + 1);
        if (!before) abort();
        memcpy(before, rec_ptr, rec_len);
    }
    rc = voronka_apply(model, rec_ptr, rec_len, cmd_ptr, cmd_len, VORONKA_LANG_EN, &out, &err);
    if (rc == VORONKA_OK) {
        ok = fail("the bad input was accepted");
        goto done;
    }
    if (out.ptr) ok = fail("output written on failure");
    if (ok) ok = matches(expect, rc, &err);
    if (ok && rec_ptr && memcmp(before, rec_ptr, rec_len) != 0) ok = fail("the record changed");
    voronka_result rc2 = voronka_apply(model, rec_ptr, rec_len, cmd_ptr, cmd_len, VORONKA_LANG_EN, &again_out, &again);
    if (ok && (rc2 != rc || again.len != err.len || memcmp(again.ptr, err.ptr, err.len) != 0))
        ok = fail("the same input again gave another report");
    if (ok && current && !record_text) {
        /* Nothing was consumed: a command at the record's own version is accepted. */
        const json_value *at = json_get(current, "updated_at"), *version = json_get(current, "version");
        char probe[512];
        int n = snprintf(probe, sizeof probe,
                         "{\"actor\":{\"user\":\"u-probe\",\"roles\":[]},\"now\":\"%s\",\"expected_version\":%s,"
                         "\"action\":{\"type\":\"signal\",\"name\":\"probe\"}}",
                         at ? at->text : "", version ? version->text : "0");
        voronka_bytes_free(&err);
        rc = voronka_apply(model, rec_ptr, rec_len, (const uint8_t *)probe, (size_t)n, VORONKA_LANG_EN, &out, &err);
        if (rc != VORONKA_OK) ok = fail("a command at the record's own version: %u %s", rc, (const char *)err.ptr);
    }

done:
    voronka_bytes_free(&err);
    voronka_bytes_free(&out);
    voronka_bytes_free(&again);
    voronka_bytes_free(&again_out);
    voronka_bytes_free(&record);
    json_free(outcome);
    voronka_model_free(model);
    json_free(c);
    free(before);
    free(text);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s CATALOGUE_DIR ECO_PACKAGING_DEFINITION_JSON\n", argv[0]);
        return 2;
    }
    eco_text = read_file(argv[2], &eco_len);
    if (!eco_text) {
        perror(argv[2]);
        return 2;
    }
    int status = run_dir(argv[1], run_case);
    free(eco_text);
    return status;
}
