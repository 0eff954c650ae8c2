/*
 * Bad inputs get error codes, not crashes: NULL pointers, invalid UTF-8, truncated JSON, a
 * freed-then-reused handle, a foreign handle, huge lengths, an unknown language. Also: outputs
 * are untouched on failure, out_error is untouched on success, _free accepts NULL, one
 * model serves several threads at once, and the input cap follows the model's limits.
 *
 * Prints one line per check and a closing "N passed, M failed"; exits 1 on any failure.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "voronka.h"

static const char CREATE[] = "{\"actor\":{\"user\":\"u-anna\",\"roles\":[\"manager\"]},\"now\":\"2026-11-27T09:00:00Z\","
                             "\"action\":{\"type\":\"create\",\"id\":\"deal-1\",\"pipeline\":\"deals\"}}";


/* Whether the report in b is JSON naming this code (a light check; the conformance test
   compares whole reports). */
static int report_has(const voronka_bytes *b, unsigned code, const char *name) {
    char code_text[32], name_text[96];
    if (!b->ptr || b->ptr[b->len] != '\0') return 0;
    snprintf(code_text, sizeof code_text, "\"code\":%u", code);
    snprintf(name_text, sizeof name_text, "\"name\":\"%s\"", name);
    return strstr((const char *)b->ptr, code_text) && strstr((const char *)b->ptr, name_text) &&
           strstr((const char *)b->ptr, "\"message\":") && strstr((const char *)b->ptr, "\"details\":");
}

static voronka_model *shared_model;

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) {
        voronka_bytes out = {NULL, 0};
        if (voronka_apply(shared_model, NULL, 0, S(CREATE), VORONKA_LANG_EN, &out, NULL) != VORONKA_OK) return (void *)1;
        voronka_bytes_free(&out);
    }
    return NULL;
}

/* A small definition, so that models with options are cheap to build. */
static const char TINY[] =
    "{\"format\":1,\"code\":\"items\",\"label\":{\"en\":\"Items\",\"ru\":\"Items\"},"
    "\"roles\":[{\"code\":\"employee\",\"label\":{\"en\":\"Employee\",\"ru\":\"Employee\"}}],"
    "\"entities\":[{\"code\":\"item\",\"kind\":\"custom\",\"label\":{\"en\":\"Item\",\"ru\":\"Item\"},"
    "\"fields\":[{\"code\":\"name\",\"label\":{\"en\":\"Name\",\"ru\":\"Name\"},\"type\":\"text\"}]}],"
    "\"pipelines\":[{\"code\":\"items\",\"entity\":\"item\",\"label\":{\"en\":\"Items\",\"ru\":\"Items\"},"
    "\"moves\":{\"next\":true},\"permissions\":{\"create\":[\"employee\"]},"
    "\"stages\":[{\"code\":\"open\",\"label\":{\"en\":\"Open\",\"ru\":\"Open\"}},"
    "{\"code\":\"done\",\"label\":{\"en\":\"Done\",\"ru\":\"Done\"},\"semantics\":\"won\"}]}]}";
static const char TINY_CREATE[] = "{\"actor\":{\"user\":\"u-ivan\",\"roles\":[\"employee\"]},\"now\":\"2026-11-27T09:00:00Z\","
                                  "\"action\":{\"type\":\"create\",\"id\":\"item-1\",\"pipeline\":\"items\"}}";

/* Whether the report in b names this input limit, its value and the parameter. */
static int names_limit(const voronka_bytes *b, const char *limit_name, const char *limit, const char *parameter) {
    char name_text[64], limit_text[64], parameter_text[64];
    snprintf(name_text, sizeof name_text, "\"limit_name\":\"%s\"", limit_name);
    snprintf(limit_text, sizeof limit_text, "\"limit\":%s,", limit);
    snprintf(parameter_text, sizeof parameter_text, "\"parameter\":\"%s\"", parameter);
    return report_has(b, 1003, "input_too_large") && strstr((const char *)b->ptr, name_text) &&
           strstr((const char *)b->ptr, limit_text) && strstr((const char *)b->ptr, parameter_text);
}

/* The input cap follows the model's limits: a raised input_bytes lets a command over
   VORONKA_MAX_INPUT_BYTES through, a lowered one refuses a small command with the model's
   limit (1003, as the core reports it), and definition_bytes bounds the definition. */
static void input_cap_follows_the_limits(const voronka_model *default_model) {
    voronka_bytes err = {NULL, 0}, out = SENTINEL;
    voronka_model *raised = NULL, *lowered = NULL, *kept = (voronka_model *)&sentinel_byte;
    voronka_result rc;

    rc = voronka_model_new_with_options(S(TINY), S("{\"limits\":{\"input_bytes\":33554432}}"), VORONKA_LANG_EN, &raised, &err);
    CHECK("limits: a model with input_bytes 32 MiB compiles", rc == VORONKA_OK && raised != NULL);
    voronka_bytes_free(&err);
    /* The command padded with spaces to one byte over the default cap. */
    size_t big_len = (size_t)VORONKA_MAX_INPUT_BYTES + 1;
    char *big = malloc(big_len);
    CHECK("limits: 16 MiB allocated", big != NULL);
    if (!big || !raised) return;
    memset(big, ' ', big_len);
    memcpy(big, TINY_CREATE, sizeof TINY_CREATE - 1);
    rc = voronka_apply(raised, NULL, 0, (const uint8_t *)big, big_len, VORONKA_LANG_EN, &out, &err);
    CHECK("limits: a raised input_bytes reads a command over 16 MiB", rc == VORONKA_OK && out.ptr && strstr((const char *)out.ptr, "\"item-1\""));
    voronka_bytes_free(&out);
    voronka_bytes_free(&err);
    out = (voronka_bytes)SENTINEL;
    rc = voronka_apply(default_model, NULL, 0, (const uint8_t *)big, big_len, VORONKA_LANG_EN, &out, &err);
    CHECK("limits: the default input_bytes refuses it with 1003", rc == 1003 && untouched(&out) && names_limit(&err, "input_bytes", "16777216", "command"));
    voronka_bytes_free(&err);
    free(big);

    rc = voronka_model_new_with_options(S(TINY), S("{\"limits\":{\"input_bytes\":64}}"), VORONKA_LANG_EN, &lowered, &err);
    CHECK("limits: a model with input_bytes 64 compiles", rc == VORONKA_OK && lowered != NULL);
    voronka_bytes_free(&err);
    rc = voronka_apply(lowered, NULL, 0, S(TINY_CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("limits: a lowered input_bytes refuses a longer command with 1003", rc == 1003 && untouched(&out) && names_limit(&err, "input_bytes", "64", "command"));
    voronka_bytes_free(&err);
    rc = voronka_apply(raised, NULL, 0, S(TINY_CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("limits: the same command is taken within the limit", rc == VORONKA_OK && out.ptr != &sentinel_byte);
    /* The outcome's record is longer than 64 bytes: the lowered model refuses it as a record too. */
    if (rc == VORONKA_OK) {
        voronka_bytes stages = SENTINEL;
        rc = voronka_next_stages(lowered, out.ptr, out.len, VORONKA_LANG_EN, &stages, &err);
        CHECK("limits: a lowered input_bytes refuses a longer record with 1003", rc == 1003 && untouched(&stages) && names_limit(&err, "input_bytes", "64", "record"));
        voronka_bytes_free(&err);
        voronka_bytes_free(&out);
    }

    rc = voronka_model_new_with_options(S(TINY), S("{\"limits\":{\"definition_bytes\":100}}"), VORONKA_LANG_EN, &kept, &err);
    CHECK("limits: a lowered definition_bytes refuses the definition with 1003", rc == 1003 && kept == (voronka_model *)&sentinel_byte && names_limit(&err, "definition_bytes", "100", "definition"));
    voronka_bytes_free(&err);
    voronka_model_free(raised);
    voronka_model_free(lowered);
}

int main(void) {
    voronka_model *model = NULL;
    voronka_bytes err = {NULL, 0};
    voronka_result rc;

    CHECK("version is a non-empty string", voronka_version() && strlen(voronka_version()) > 0);
    CHECK("format version matches the header", voronka_format_version() == VORONKA_FORMAT_VERSION);
    CHECK("error_message of an unknown code", strcmp(voronka_error_message(4242), "Unknown error code") == 0);
    CHECK("error_name of a core code", strcmp(voronka_error_name(3001), "missing_fields") == 0);
    CHECK("error_name of a binding code", strcmp(voronka_error_name(VORONKA_ERROR_BAD_HANDLE), "bad_handle") == 0);
    CHECK("error_message of OK", strcmp(voronka_error_message(VORONKA_OK), "Success") == 0);

    /* _free accepts NULL and empty values, and freeing twice through one struct is harmless. */
    voronka_bytes_free(NULL);
    voronka_bytes empty = {NULL, 0};
    voronka_bytes_free(&empty);
    voronka_model_free(NULL);
    CHECK("_free functions accept NULL", 1);

    /* Model creation. */
    voronka_model *kept = (voronka_model *)&sentinel_byte;
    rc = voronka_model_new(NULL, 10, VORONKA_LANG_EN, &kept, &err);
    CHECK("model_new: NULL definition gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    CHECK("model_new: the output is untouched on failure", kept == (voronka_model *)&sentinel_byte);
    CHECK("model_new: the report names the code", report_has(&err, 9001, "null_pointer"));
    CHECK("model_new: the report names the parameter", err.ptr && strstr((const char *)err.ptr, "\"parameter\":\"definition\""));
    voronka_bytes_free(&err);
    voronka_bytes_free(&err);
    CHECK("bytes_free resets the struct", err.ptr == NULL && err.len == 0);

    rc = voronka_model_new(S("{\"format\":1,"), VORONKA_LANG_EN, NULL, &err);
    CHECK("model_new: NULL out_model gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);

    rc = voronka_model_new(S("{\"format\": 1, \"co"), VORONKA_LANG_EN, &kept, &err);
    CHECK("model_new: truncated JSON gives 1001", rc == 1001 && report_has(&err, 1001, "malformed_json"));
    voronka_bytes_free(&err);

    rc = voronka_model_new(S("{\"format\": \"\xff\xfe\"}"), VORONKA_LANG_EN, &kept, &err);
    CHECK("model_new: invalid UTF-8 gives 9002", rc == VORONKA_ERROR_INVALID_UTF8 && report_has(&err, 9002, "invalid_utf8"));
    voronka_bytes_free(&err);

    rc = voronka_model_new(S("{}"), VORONKA_LANG_EN, &kept, NULL);
    CHECK("model_new: a bad definition without out_error", rc == 1002 && kept == (voronka_model *)&sentinel_byte);

    rc = voronka_model_new(S("{}"), 42, &kept, &err);
    CHECK("model_new: an unknown language gives 9005", rc == VORONKA_ERROR_INVALID_ARGUMENT && report_has(&err, 9005, "invalid_argument"));
    voronka_bytes_free(&err);

    rc = voronka_model_new((const uint8_t *)"{}", SIZE_MAX, VORONKA_LANG_EN, &kept, &err);
    CHECK("model_new: a huge length gives 1003 unread", rc == 1003 && report_has(&err, 1003, "input_too_large"));
    voronka_bytes_free(&err);

    /* check */
    voronka_bytes problems = SENTINEL;
    rc = voronka_check(S("{\"format\": 1"), VORONKA_LANG_EN, &problems, &err);
    CHECK("check: truncated JSON is a listed problem", rc == VORONKA_OK && problems.ptr && strstr((const char *)problems.ptr, "\"code\":1001"));
    CHECK("check: out_error untouched on success", err.ptr == NULL);
    voronka_bytes_free(&problems);
    problems = (voronka_bytes)SENTINEL;
    rc = voronka_check(NULL, 0, VORONKA_LANG_EN, &problems, &err);
    CHECK("check: NULL definition gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&problems));
    voronka_bytes_free(&err);
    rc = voronka_check(S("{}"), VORONKA_LANG_EN, NULL, &err);
    CHECK("check: NULL out_problems gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);

    rc = voronka_model_new_eco_packaging(VORONKA_LANG_EN, &model, &err);
    CHECK("the eco-packaging model compiles", rc == VORONKA_OK && model != NULL && err.ptr == NULL);

    /* apply */
    voronka_bytes out = SENTINEL;
    rc = voronka_apply(NULL, NULL, 0, S(CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: NULL model gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, NULL, 5, VORONKA_LANG_EN, &out, &err);
    CHECK("apply: NULL command gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, S(CREATE), VORONKA_LANG_EN, NULL, &err);
    CHECK("apply: NULL out_outcome gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, (const uint8_t *)CREATE, sizeof CREATE - 10, VORONKA_LANG_EN, &out, &err);
    CHECK("apply: truncated command gives 1001", rc == 1001 && untouched(&out) && report_has(&err, 1001, "malformed_json"));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, (const uint8_t *)CREATE, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("apply: an empty command gives 1001", rc == 1001 && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, S("{\"actor\":{\"user\":\"u\"},\"now\":\"2026-11-27T09:00:00Z\",\"action\":{\"type\":\"fly\"}}"), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: a wrong shape gives 1002 with a path", rc == 1002 && untouched(&out) && report_has(&err, 1002, "invalid_shape"));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, S("{\"actor\":{\"user\":\"\xc3\x28\"}}"), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: invalid UTF-8 in the command gives 9002", rc == VORONKA_ERROR_INVALID_UTF8 && untouched(&out));
    CHECK("apply: the report says where UTF-8 breaks", err.ptr && strstr((const char *)err.ptr, "\"valid_up_to\":18"));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, S("{\"id\":\"\x80\"}"), S(CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: invalid UTF-8 in the record gives 9002", rc == VORONKA_ERROR_INVALID_UTF8 && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, S("{\"id\":"), S(CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: a truncated record gives 1001", rc == 1001 && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, (const uint8_t *)CREATE, SIZE_MAX, VORONKA_LANG_EN, &out, &err);
    CHECK("apply: command_len SIZE_MAX gives 1003", rc == 1003 && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, (const uint8_t *)"{}", (size_t)VORONKA_MAX_INPUT_BYTES + 1, S(CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: record_len over the limit gives 1003", rc == 1003 && untouched(&out) && err.ptr && strstr((const char *)err.ptr, "\"parameter\":\"record\""));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, S(CREATE), 99, &out, &err);
    CHECK("apply: an unknown language gives 9005", rc == VORONKA_ERROR_INVALID_ARGUMENT && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, S("null"), S("{\"actor\":{\"user\":\"u\"},\"now\":\"2026-11-27T09:00:00Z\",\"action\":{\"type\":\"tick\"}}"), VORONKA_LANG_RU, &out, &err);
    CHECK("apply: a Russian report for a missing record", rc == 3010 && untouched(&out) && err.ptr && strstr((const char *)err.ptr, "нужна запись"));
    voronka_bytes_free(&err);
    rc = voronka_apply(model, NULL, 0, S("{\"actor\":{\"user\":\"u\"},\"now\":\"2026-11-27T09:00:00Z\",\"action\":{\"type\":\"tick\"}}"), VORONKA_LANG_EN, &out, NULL);
    CHECK("apply: a rejection without out_error", rc == 3010 && untouched(&out));
    voronka_bytes decided = SENTINEL;
    rc = voronka_decide(model, NULL, 0, NULL, 0, VORONKA_LANG_EN, &decided, &err);
    CHECK("decide: NULL command gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&decided));
    voronka_bytes_free(&err);

    out = (voronka_bytes){NULL, 0};
    rc = voronka_apply(model, NULL, 0, S(CREATE), VORONKA_LANG_EN, &out, &err);
    CHECK("apply: a valid create succeeds", rc == VORONKA_OK && out.ptr && out.ptr[out.len] == '\0' && err.ptr == NULL);
    /* The record is the outcome's "record" member; the tests below only need some record. */
    const char *record = out.ptr ? strstr((const char *)out.ptr, "\"record\":") : NULL;
    const char *record_end = out.ptr ? strstr((const char *)out.ptr, ",\"events\":") : NULL;
    size_t record_len = record && record_end && record_end > record ? (size_t)(record_end - record) - 9 : 0;
    CHECK("the outcome starts with the record", record != NULL && record_len > 0);
    if (record) record += 9;

    /* requirements, next_stages, next_due, replay, duplicate_keys */
    voronka_bytes r = SENTINEL;
    rc = voronka_requirements(model, (const uint8_t *)record, record_len, NULL, 3, VORONKA_LANG_EN, &r, &err);
    CHECK("requirements: NULL stage gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_requirements(model, (const uint8_t *)record, record_len, S("\xff"), VORONKA_LANG_EN, &r, &err);
    CHECK("requirements: an invalid UTF-8 stage gives 9002", rc == VORONKA_ERROR_INVALID_UTF8 && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_requirements(model, (const uint8_t *)record, record_len, S("nowhere"), VORONKA_LANG_EN, &r, &err);
    CHECK("requirements: an unknown stage is a 3xxx code", rc >= 3000 && rc < 4000 && untouched(&r) && err.ptr);
    voronka_bytes_free(&err);
    rc = voronka_requirements(model, (const uint8_t *)record, record_len, S("offer"), VORONKA_LANG_EN, &r, &err);
    CHECK("requirements: offer lists what is missing", rc == VORONKA_OK && r.ptr && strstr((const char *)r.ptr, "company_type"));
    voronka_bytes_free(&r);
    r = (voronka_bytes)SENTINEL;
    rc = voronka_next_stages(model, NULL, 0, VORONKA_LANG_EN, &r, &err);
    CHECK("next_stages: NULL record gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_next_stages(model, (const uint8_t *)record, record_len, VORONKA_LANG_EN, NULL, &err);
    CHECK("next_stages: NULL out gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);
    rc = voronka_next_due(S("{\"id\": \"deal"), VORONKA_LANG_EN, &r, &err);
    CHECK("next_due: truncated JSON gives 1001", rc == 1001 && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_next_due((const uint8_t *)record, record_len, VORONKA_LANG_EN, &r, &err);
    CHECK("next_due: the call task's deadline timer or null", rc == VORONKA_OK && r.ptr && (r.ptr[0] == '"' || strcmp((const char *)r.ptr, "null") == 0));
    voronka_bytes_free(&r);
    r = (voronka_bytes)SENTINEL;
    rc = voronka_replay(S("{\"not\":\"a list\"}"), VORONKA_LANG_EN, &r, &err);
    CHECK("replay: a wrong shape gives 1002", rc == 1002 && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_replay(S("[]"), VORONKA_LANG_EN, &r, &err);
    CHECK("replay: no events give null", rc == VORONKA_OK && r.ptr && strcmp((const char *)r.ptr, "null") == 0);
    voronka_bytes_free(&r);
    r = (voronka_bytes)SENTINEL;
    rc = voronka_duplicate_keys(NULL, 0, VORONKA_LANG_EN, &r, &err);
    CHECK("duplicate_keys: NULL record gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&r));
    voronka_bytes_free(&err);
    rc = voronka_duplicate_keys((const uint8_t *)record, record_len, VORONKA_LANG_EN, &r, &err);
    CHECK("duplicate_keys: answers for a record", rc == VORONKA_OK && r.ptr);
    voronka_bytes_free(&r);

    /* One model, several threads. */
    shared_model = model;
    pthread_t threads[4];
    int started = 0, thread_failures = 0;
    for (int i = 0; i < 4; i++)
        if (pthread_create(&threads[i], NULL, worker, NULL) == 0) started++;
    for (int i = 0; i < started; i++) {
        void *result = NULL;
        pthread_join(threads[i], &result);
        if (result) thread_failures++;
    }
    CHECK("one model serves four threads at once", started == 4 && thread_failures == 0);

    input_cap_follows_the_limits(model);

    /* Handles: foreign, freed, freed twice. */
    voronka_bytes scratch = SENTINEL;
    uint64_t fake[8] = {0};
    rc = voronka_apply((const voronka_model *)fake, NULL, 0, S(CREATE), VORONKA_LANG_EN, &scratch, &err);
    CHECK("a foreign pointer as a model gives 9004", rc == VORONKA_ERROR_BAD_HANDLE && untouched(&scratch) && report_has(&err, 9004, "bad_handle"));
    voronka_bytes_free(&err);
    voronka_model_free(model);
    rc = voronka_apply(model, NULL, 0, S(CREATE), VORONKA_LANG_EN, &scratch, &err);
    CHECK("a freed-then-reused model gives 9004", rc == VORONKA_ERROR_BAD_HANDLE && untouched(&scratch));
    voronka_bytes_free(&err);
    rc = voronka_next_stages(model, (const uint8_t *)record, record_len, VORONKA_LANG_EN, &scratch, &err);
    CHECK("next_stages on a freed model gives 9004", rc == VORONKA_ERROR_BAD_HANDLE && untouched(&scratch));
    voronka_bytes_free(&err);
    voronka_model_free(model);
    voronka_model_free((voronka_model *)fake);
    CHECK("freeing a freed or foreign model is ignored", 1);
    voronka_bytes_free(&out);

    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
