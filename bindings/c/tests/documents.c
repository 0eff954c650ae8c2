/*
 * Documents through the C API: every bundled document rendered to PDF gives the bytes whose
 * SHA-256 the Rust tests pin (crates/voronka-docs/tests/golden/pdf-sha256.txt), so C and Rust
 * render the same bytes; markup in the data renders; a template error gives 5002 with its line
 * and column; bad JSON, an unknown kind, bad data, a bad time or language, NULLs and a freed
 * renderer give their codes and leave the outputs untouched; a PNG preview; a render-document
 * effect of a real deal (built with voronka_apply) executed into a PDF; one renderer on two
 * threads.
 *
 * Usage: documents SAMPLES_DIR GOLDEN_FILE COMPANY_JSON [quick]
 * "quick" renders each document in one language only (for the slow valgrind run).
 * Prints one line per check and a closing "N passed, M failed"; exits 1 on any failure.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"
#include "read_file.h"
#include "voronka.h"

#define NOW S("2026-11-27T09:00:00Z")

/* ---- SHA-256 (FIPS 180-4), enough to compare a PDF with its golden hash. ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t h[8], const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

/* Writes the lowercase hex digest of data into hex (65 bytes). */
static void sha256_hex(const uint8_t *data, size_t len, char hex[65]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64) sha256_block(h, data + i);
    uint8_t tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, data + full, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t i = 0; i < tail_len; i += 64) sha256_block(h, tail + i);
    for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", h[i]);
}

/* ---- helpers ---- */

/* The golden hash of "kind-lang" in the golden file's text ("kind-lang HEX" lines), or NULL. */
static const char *golden_hash(const char *golden, const char *key, char out[65]) {
    size_t key_len = strlen(key);
    for (const char *line = golden; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == ' ') {
            memcpy(out, line + key_len + 1, 64);
            out[64] = '\0';
            return out;
        }
    }
    return NULL;
}


/* Whether the report is JSON with this code and name (and whatever else must be in it). */
static int report_has(const voronka_bytes *b, unsigned code, const char *name, const char *also) {
    char code_text[32], name_text[96];
    if (!b->ptr || b->ptr[b->len] != '\0') return 0;
    snprintf(code_text, sizeof code_text, "\"code\":%u", code);
    snprintf(name_text, sizeof name_text, "\"name\":\"%s\"", name);
    const char *text = (const char *)b->ptr;
    return strstr(text, code_text) && strstr(text, name_text) && strstr(text, "\"message\":") &&
           (!also || strstr(text, also));
}

static int is_pdf(const voronka_bytes *b) {
    return b->ptr && b->len > 1000 && memcmp(b->ptr, "%PDF-", 5) == 0 && b->ptr[b->len] == '\0';
}

static voronka_renderer *renderer;

/* Renders a bundled document; returns the code. */
static voronka_result render(const char *kind, const char *data, size_t data_len, voronka_doc_lang doc_lang,
                             voronka_bytes *pdf, voronka_bytes *err) {
    return voronka_render_document(renderer, (const uint8_t *)kind, strlen(kind), (const uint8_t *)data, data_len,
                                   NOW, doc_lang, VORONKA_LANG_EN, pdf, err);
}

/* ---- the checks ---- */

static const char *KINDS[] = {"commercial_offer", "cmr",           "invoice", "packing_list",
                              "act",              "specification", "waybill"};
#define KIND_COUNT (sizeof KINDS / sizeof KINDS[0])
static const char *LANG_CODES[] = {"ru", "en", "both"};

static char *sample(const char *dir, const char *kind, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.json", dir, kind);
    return read_file(path, len);
}

static void golden_documents(const char *samples, const char *golden, int quick) {
    for (size_t k = 0; k < KIND_COUNT; k++) {
        size_t len = 0;
        char *data = sample(samples, KINDS[k], &len);
        if (!data) {
            CHECK("a sample can be read", data != NULL);
            continue;
        }
        for (int l = 0; l < 3; l++) {
            if (quick && (size_t)l != k % 3) continue;
            char key[64], name[128], want[65], got[65];
            snprintf(key, sizeof key, "%s-%s", KINDS[k], LANG_CODES[l]);
            voronka_bytes pdf = {NULL, 0}, err = {NULL, 0};
            voronka_result rc = render(KINDS[k], data, len, (voronka_doc_lang)l, &pdf, &err);
            snprintf(name, sizeof name, "%s renders to a PDF", key);
            CHECK(name, rc == VORONKA_OK && is_pdf(&pdf) && err.ptr == NULL);
            if (rc != VORONKA_OK) printf("     %u %s\n", rc, err.ptr ? (const char *)err.ptr : "");
            sha256_hex(pdf.ptr ? pdf.ptr : (const uint8_t *)"", pdf.len, got);
            snprintf(name, sizeof name, "%s: SHA-256 of the PDF is the Rust golden hash", key);
            CHECK(name, golden_hash(golden, key, want) && strcmp(want, got) == 0);
            voronka_bytes_free(&pdf);
            voronka_bytes_free(&err);
        }
        free(data);
    }
}

static void markup_prints_literally(const char *samples) {
    size_t len = 0;
    char *data = sample(samples, "invoice", &len);
    const char *error = NULL;
    json_value *tree = data ? json_parse(data, len, &error) : NULL;
    const json_value *buyer = json_get(tree, "buyer");
    const json_value *name = json_get(buyer, "name");
    if (!name) {
        CHECK("the invoice sample has a buyer name", name != NULL);
    } else {
        /* The sample with the buyer's name replaced by typst markup. */
        static const char nasty[] = "\"Client #exit() *bold* [x] $x^2$ <l> @ref // no #set page(width: 1pt)\"";
        size_t before = (size_t)(name->start - data), after = len - before - name->span;
        char *changed = malloc(len + sizeof nasty);
        memcpy(changed, data, before);
        memcpy(changed + before, nasty, sizeof nasty - 1);
        memcpy(changed + before + sizeof nasty - 1, name->start + name->span, after);
        voronka_bytes pdf = {NULL, 0}, plain = {NULL, 0}, err = {NULL, 0};
        voronka_result rc = render("invoice", changed, len - name->span + sizeof nasty - 1, VORONKA_DOC_LANG_RU, &pdf, &err);
        voronka_result rc2 = render("invoice", data, len, VORONKA_DOC_LANG_RU, &plain, NULL);
        CHECK("markup in the data renders as text", rc == VORONKA_OK && is_pdf(&pdf));
        CHECK("... and changes the PDF", rc2 == VORONKA_OK && (pdf.len != plain.len || memcmp(pdf.ptr, plain.ptr, pdf.len) != 0));
        voronka_bytes_free(&pdf);
        voronka_bytes_free(&plain);
        voronka_bytes_free(&err);
        free(changed);
    }
    json_free(tree);
    free(data);

    static const char template[] = "#let d = json(\"/data.json\")\nName: #d.name\n";
    voronka_bytes pdf = {NULL, 0}, err = {NULL, 0};
    voronka_result rc = voronka_render_template(renderer, S(template), S("{\"name\": \"#exit() ] *x*\"}"), NOW,
                                                VORONKA_LANG_EN, &pdf, &err);
    CHECK("a template of one's own with markup in the data renders", rc == VORONKA_OK && is_pdf(&pdf));
    voronka_bytes_free(&pdf);
    voronka_bytes_free(&err);
}

static void coded_errors(const char *samples) {
    voronka_bytes out = SENTINEL, err = {NULL, 0};
    voronka_result rc;

    rc = voronka_render_template(renderer, S("= Offer\n\nHello #let x = (1, 2\nworld\n"), S("{}"), NOW, VORONKA_LANG_EN,
                                 &out, &err);
    CHECK("a template syntax error gives 5002 with file, line and column",
          rc == 5002 && untouched(&out) &&
              report_has(&err, 5002, "template_error", "\"file\":\"/main.typ\"") &&
              strstr((const char *)err.ptr, "\"line\":3") && strstr((const char *)err.ptr, "\"column\":16"));
    voronka_bytes_free(&err);

    rc = voronka_render_template(renderer, S("#let d = json(\"/data.json\")\nName: #d.name\nCity: #d.city\n"),
                                 S("{\"name\": \"x\"}"), NOW, VORONKA_LANG_EN, &out, &err);
    CHECK("an evaluation error gives 5002 where it happens",
          rc == 5002 && untouched(&out) && report_has(&err, 5002, "template_error", "\"line\":3") &&
              strstr((const char *)err.ptr, "\"column\":10"));
    voronka_bytes_free(&err);

    rc = voronka_render_document(renderer, S("invoice"), S("{\"number\": "), NOW, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("malformed data JSON gives 1001", rc == 1001 && untouched(&out) && report_has(&err, 1001, "malformed_json", NULL));
    voronka_bytes_free(&err);

    rc = voronka_render_document(renderer, S("receipt"), S("{}"), NOW, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("an unknown kind gives 5001", rc == 5001 && untouched(&out) && report_has(&err, 5001, "unknown_template", "receipt"));
    voronka_bytes_free(&err);

    size_t len = 0;
    char *invoice = sample(samples, "invoice", &len);
    char *bad = invoice ? strstr(invoice, "\"quantity\"") : NULL;
    if (bad) memcpy(bad, "\"quantitx\"", 10); /* an unknown field and a missing one */
    rc = invoice ? render("invoice", invoice, len, 0, &out, &err) : 0;
    CHECK("data that does not fit gives 5003 with its path",
          rc == 5003 && untouched(&out) && report_has(&err, 5003, "invalid_data", "\"path\":\"items[0]"));
    voronka_bytes_free(&err);
    free(invoice);

    rc = voronka_render_document(renderer, S("act"), S("{}"), S("27.11.2026"), 0, VORONKA_LANG_EN, &out, &err);
    CHECK("a now that is not RFC 3339 gives 9005", rc == VORONKA_ERROR_INVALID_ARGUMENT && untouched(&out) &&
                                                       report_has(&err, 9005, "invalid_argument", "\"parameter\":\"now\""));
    voronka_bytes_free(&err);

    rc = voronka_render_document(renderer, S("act"), S("{}"), NOW, 7, VORONKA_LANG_EN, &out, &err);
    CHECK("an unknown document language gives 9005",
          rc == VORONKA_ERROR_INVALID_ARGUMENT && untouched(&out) && report_has(&err, 9005, "invalid_argument", "doc_lang"));
    voronka_bytes_free(&err);

    rc = voronka_render_document(NULL, S("act"), S("{}"), NOW, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("a NULL renderer gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&out));
    voronka_bytes_free(&err);
    rc = voronka_render_document(renderer, NULL, 3, S("{}"), NOW, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("a NULL kind gives 9001", rc == VORONKA_ERROR_NULL_POINTER && untouched(&out) &&
                                        report_has(&err, 9001, "null_pointer", "\"parameter\":\"kind\""));
    voronka_bytes_free(&err);
    rc = voronka_render_document(renderer, S("act"), S("{}"), NOW, 0, VORONKA_LANG_EN, NULL, &err);
    CHECK("a NULL out_pdf gives 9001", rc == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);
    rc = voronka_render_template(renderer, S("x"), S("{\"a\": \"\xff\"}"), NOW, VORONKA_LANG_EN, &out, &err);
    CHECK("invalid UTF-8 gives 9002", rc == VORONKA_ERROR_INVALID_UTF8 && untouched(&out));
    voronka_bytes_free(&err);
    CHECK("the document codes have names", strcmp(voronka_error_name(5002), "template_error") == 0 &&
                                               strcmp(voronka_error_name(5008), "missing_record_field") == 0 &&
                                               strcmp(voronka_error_name(VORONKA_ERROR_UNSUPPORTED), "unsupported") == 0);
}

static void png_preview(const char *samples) {
    size_t len = 0;
    char *act = sample(samples, "act", &len);
    voronka_bytes png = {NULL, 0}, out = SENTINEL, err = {NULL, 0};
    voronka_result rc = voronka_render_document_png(renderer, S("act"), (const uint8_t *)act, len, NOW,
                                                    VORONKA_DOC_LANG_EN, 0, 0.5f, VORONKA_LANG_EN, &png, &err);
    CHECK("the first page as PNG", rc == VORONKA_OK && png.len > 1000 && memcmp(png.ptr, "\x89PNG\r\n\x1a\n", 8) == 0);
    rc = voronka_render_document_png(renderer, S("act"), (const uint8_t *)act, len, NOW, VORONKA_DOC_LANG_EN, 42, 0.5f,
                                     VORONKA_LANG_EN, &out, &err);
    CHECK("a page the document lacks gives 5006",
          rc == 5006 && untouched(&out) && report_has(&err, 5006, "page_out_of_range", "\"page\":42"));
    voronka_bytes_free(&err);
    voronka_bytes_free(&png);
    free(act);
}

/* Applies a command to the current outcome's record; returns the new outcome (or NULL). */
static json_value *step(voronka_model *model, json_value *outcome, voronka_bytes *outcome_bytes, const char *command) {
    const json_value *record = json_get(outcome, "record");
    voronka_bytes out = {NULL, 0}, err = {NULL, 0};
    voronka_result rc = voronka_apply(model, record ? (const uint8_t *)record->start : NULL, record ? record->span : 0,
                                      (const uint8_t *)command, strlen(command), VORONKA_LANG_EN, &out, &err);
    if (rc != VORONKA_OK) printf("     %u %s\n", rc, err.ptr ? (const char *)err.ptr : "");
    voronka_bytes_free(&err);
    json_free(outcome);
    voronka_bytes_free(outcome_bytes);
    *outcome_bytes = out;
    const char *error = NULL;
    return rc == VORONKA_OK ? json_parse((const char *)out.ptr, out.len, &error) : NULL;
}

#define ACTOR "\"actor\":{\"user\":\"u-anna\",\"roles\":[\"manager\"]}"

static void effect_of_a_deal(const char *company_path) {
    size_t company_len = 0;
    char *company = read_file(company_path, &company_len);
    voronka_model *model = NULL;
    voronka_bytes bytes = {NULL, 0};
    json_value *outcome = NULL;
    if (!company || voronka_model_new_eco_packaging(VORONKA_LANG_EN, &model, NULL) != VORONKA_OK) {
        CHECK("the company profile and the model load", 0);
        free(company);
        return;
    }
    outcome = step(model, outcome, &bytes,
                   "{" ACTOR ",\"now\":\"2026-11-30T10:00:00Z\",\"action\":{\"type\":\"create\",\"id\":\"deal-7\","
                   "\"pipeline\":\"deals\",\"responsible\":\"u-anna\",\"fields\":{\"client_name\":{\"last\":\"Смирнов\","
                   "\"first\":\"Алексей\"},\"client_email\":\"a.smirnov@sevpekarnya.example\",\"client_phone\":\"+7 921 "
                   "555-34-12\",\"company_name\":\"ООО «Северная пекарня»\"}}}");
    if (outcome)
        outcome = step(model, outcome, &bytes,
                       "{" ACTOR ",\"now\":\"2026-11-30T11:00:00Z\",\"action\":{\"type\":\"move\",\"to\":\"offer\","
                       "\"fields\":{\"company_type\":\"manufacturer\",\"website\":\"https://sevpekarnya.example\","
                       "\"delivery_address\":{\"country\":\"Россия\",\"city\":\"Санкт-Петербург\",\"street\":"
                       "\"Пискарёвский пр-т, д. 150\",\"postal_code\":\"195273\"}}}}");
    /* The open task that asks for the offer's items. */
    const json_value *tasks = json_get(json_get(outcome, "record"), "tasks");
    const char *task = NULL;
    for (size_t i = 0; tasks && i < tasks->count; i++) {
        const json_value *code = json_get(tasks->members[i].value, "code");
        if (code && code->text && strcmp(code->text, "offer_fields") == 0)
            task = json_get(tasks->members[i].value, "id")->text;
    }
    CHECK("the deal reaches the offer with its task", task != NULL);
    if (task) {
        char command[2048];
        snprintf(command, sizeof command,
                 "{" ACTOR ",\"now\":\"2026-11-30T12:00:00Z\",\"action\":{\"type\":\"complete_task\",\"task\":\"%s\","
                 "\"answers\":{\"offer_items\":[{\"name\":\"Крафт-пакет 250×80×320 мм\",\"quantity\":\"20000\","
                 "\"unit\":\"шт.\",\"price\":\"9.40\",\"vat_rate\":\"20\",\"weight\":\"0.012\"}],"
                 "\"offer_valid_until\":\"2026-12-31\",\"payment_terms\":\"100 %% предоплата\"}}}",
                 task);
        outcome = step(model, outcome, &bytes, command);
    }
    const json_value *effects = json_get(outcome, "effects"), *effect = NULL;
    for (size_t i = 0; effects && i < effects->count; i++) {
        const json_value *type = json_get(effects->members[i].value, "type");
        if (type && type->text && strcmp(type->text, "render_document") == 0) effect = effects->members[i].value;
    }
    CHECK("completing the task asks for a document", effect != NULL);
    if (effect) {
        const json_value *record = json_get(outcome, "record");
        voronka_bytes pdf = {NULL, 0}, info = {NULL, 0}, err = {NULL, 0}, out = SENTINEL;
        voronka_result rc = voronka_execute_render(renderer, (const uint8_t *)effect->start, effect->span,
                                                   (const uint8_t *)record->start, record->span, (const uint8_t *)company,
                                                   company_len, 7, S("2026-11-30T12:00:00Z"), VORONKA_LANG_EN, &pdf, &info,
                                                   &err);
        if (rc != VORONKA_OK) printf("     %u %s\n", rc, err.ptr ? (const char *)err.ptr : "");
        CHECK("the effect executes into a PDF", rc == VORONKA_OK && is_pdf(&pdf));
        CHECK("... numbered with the host's sequence value",
              info.ptr && strstr((const char *)info.ptr, "\"kind\":\"commercial_offer\"") &&
                  strstr((const char *)info.ptr, "\"number\":\"CO-2026-0007\""));
        voronka_bytes_free(&pdf);
        voronka_bytes_free(&info);

        rc = voronka_execute_render(renderer, (const uint8_t *)effect->start, effect->span, S("{\"id\": 1}"),
                                    (const uint8_t *)company, company_len, 7, NOW, VORONKA_LANG_EN, &out, NULL, &err);
        CHECK("a misshapen record gives 1002", rc == 1002 && untouched(&out) && report_has(&err, 1002, "invalid_shape", NULL));
        voronka_bytes_free(&err);
        rc = voronka_execute_render(renderer, S("{\"type\":\"send_email\",\"document\":{}}"), (const uint8_t *)record->start,
                                    record->span, (const uint8_t *)company, company_len, 7, NOW, VORONKA_LANG_EN, &out, NULL,
                                    &err);
        CHECK("another effect gives 1002", rc == 1002 && untouched(&out));
        voronka_bytes_free(&err);
        rc = voronka_execute_render(renderer, (const uint8_t *)effect->start, effect->span, (const uint8_t *)record->start,
                                    record->span, S("{\"seller\": {}}"), 7, NOW, VORONKA_LANG_EN, &out, NULL, &err);
        CHECK("a company profile without the seller's name gives 5003",
              rc == 5003 && untouched(&out) && report_has(&err, 5003, "invalid_data", "\"path\":\"seller"));
        voronka_bytes_free(&err);
    }
    json_free(outcome);
    voronka_bytes_free(&bytes);
    voronka_model_free(model);
    free(company);
}

typedef struct {
    const char *data;
    size_t len;
    voronka_bytes pdf;
} job;

static void *render_job(void *arg) {
    job *j = arg;
    render("act", j->data, j->len, VORONKA_DOC_LANG_BOTH, &j->pdf, NULL);
    return NULL;
}

static void threads(const char *samples) {
    size_t len = 0;
    char *act = sample(samples, "act", &len);
    job jobs[2] = {{act, len, {NULL, 0}}, {act, len, {NULL, 0}}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, render_job, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    CHECK("one renderer on two threads renders the same bytes",
          is_pdf(&jobs[0].pdf) && jobs[0].pdf.len == jobs[1].pdf.len &&
              memcmp(jobs[0].pdf.ptr, jobs[1].pdf.ptr, jobs[0].pdf.len) == 0);
    for (int i = 0; i < 2; i++) voronka_bytes_free(&jobs[i].pdf);
    free(act);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SAMPLES_DIR GOLDEN_FILE COMPANY_JSON [quick]\n", argv[0]);
        return 2;
    }
    int quick = argc > 4 && strcmp(argv[4], "quick") == 0;
    (void)json_equal; /* json.h's comparison is for the conformance test */
    size_t golden_len = 0;
    char *golden = read_file(argv[2], &golden_len);
    char hex[65];
    sha256_hex((const uint8_t *)"abc", 3, hex);
    CHECK("SHA-256 of \"abc\" (the test's own hash)",
          strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);

    voronka_renderer *kept = (voronka_renderer *)&sentinel_byte;
    voronka_bytes err = {NULL, 0};
    CHECK("renderer_new: NULL out_renderer gives 9001",
          voronka_renderer_new(0, VORONKA_LANG_EN, NULL, &err) == VORONKA_ERROR_NULL_POINTER);
    voronka_bytes_free(&err);
    CHECK("renderer_new: an unknown language gives 9005",
          voronka_renderer_new(0, 9, &kept, NULL) == VORONKA_ERROR_INVALID_ARGUMENT && kept == (voronka_renderer *)&sentinel_byte);
    voronka_result rc = voronka_renderer_new(VORONKA_RENDERER_DEFAULT_CACHE, VORONKA_LANG_EN, &renderer, &err);
    CHECK("renderer_new", rc == VORONKA_OK && renderer != NULL && err.ptr == NULL);
    if (rc != VORONKA_OK || !golden) {
        printf("%d passed, %d failed\n", passed, failed + 1);
        return 1;
    }

    golden_documents(argv[1], golden, quick);
    markup_prints_literally(argv[1]);
    coded_errors(argv[1]);
    png_preview(argv[1]);
    effect_of_a_deal(argv[3]);
    if (!quick) threads(argv[1]);

    voronka_renderer_free(renderer);
    voronka_renderer_free(renderer); /* a freed handle is detected and ignored */
    voronka_bytes out = SENTINEL;
    rc = voronka_render_document(renderer, S("act"), S("{}"), NOW, 0, VORONKA_LANG_EN, &out, &err);
    CHECK("a freed renderer gives 9004", rc == VORONKA_ERROR_BAD_HANDLE && untouched(&out) &&
                                             report_has(&err, 9004, "bad_handle", "\"parameter\":\"renderer\""));
    voronka_bytes_free(&err);
    voronka_renderer_free(NULL);
    free(golden);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
