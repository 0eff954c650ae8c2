/*
 * A small JSON reader for the C tests: parses a document into a tree that remembers where
 * each value lies in the source text (so a fixture's command can be handed to the library
 * as the exact bytes of the file), and compares two trees as JSON values: object key order
 * aside, strings after unescaping, numbers by value.
 *
 * Test code only: no streaming, no limits beyond a nesting depth. The comparison is `inline`
 * so runners that only read JSON compile without an unused-function warning.
 */
#ifndef VORONKA_TEST_JSON_H
#define VORONKA_TEST_JSON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;

typedef struct {
    char *key; /* NUL-terminated, unescaped; NULL in arrays */
    size_t key_len;
    json_value *value;
} json_member;

struct json_value {
    json_type type;
    const char *start; /* the value's text in the source */
    size_t span;
    int boolean;
    char *text; /* strings: unescaped, NUL-terminated; numbers: as written */
    size_t text_len;
    size_t count; /* arrays and objects */
    json_member *members;
};

typedef struct {
    const char *p;
    const char *end;
    const char *error;
    int depth;
} json_parser;

static json_value *json_parse_value(json_parser *ps);

static void json_free(json_value *v) {
    if (!v) return;
    for (size_t i = 0; i < v->count; i++) {
        free(v->members[i].key);
        json_free(v->members[i].value);
    }
    free(v->members);
    free(v->text);
    free(v);
}

static void json_skip_ws(json_parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int json_hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t json_put_utf8(char *out, unsigned cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a string at ps->p (on the opening quote); returns a malloc'd unescaped copy. */
static char *json_parse_string(json_parser *ps, size_t *len) {
    ps->p++; /* opening quote */
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p != '"') {
        if (*ps->p == '\\') ps->p++;
        ps->p++;
    }
    if (ps->p >= ps->end) { ps->error = "unterminated string"; return NULL; }
    size_t raw = (size_t)(ps->p - s);
    ps->p++; /* closing quote */
    char *out = malloc(raw + 1);
    if (!out) { ps->error = "out of memory"; return NULL; }
    size_t n = 0;
    for (size_t i = 0; i < raw; i++) {
        char c = s[i];
        if ((unsigned char)c < 0x20) { free(out); ps->error = "control character in string"; return NULL; }
        if (c != '\\') { out[n++] = c; continue; }
        char e = s[++i];
        switch (e) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (i + 4 >= raw || !json_hex4(s + i + 1, &cp)) { free(out); ps->error = "bad \\u escape"; return NULL; }
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < raw && s[i + 1] == '\\' && s[i + 2] == 'u' &&
                json_hex4(s + i + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            /* A \u escape never takes more room than the six bytes it replaces. */
            n += json_put_utf8(out + n, cp);
            break;
        }
        default: free(out); ps->error = "bad escape"; return NULL;
        }
    }
    out[n] = '\0';
    *len = n;
    return out;
}

static int json_push(json_value *v, char *key, size_t key_len, json_value *item) {
    json_member *m = realloc(v->members, (v->count + 1) * sizeof *m);
    if (!m) return 0;
    v->members = m;
    m[v->count].key = key;
    m[v->count].key_len = key_len;
    m[v->count].value = item;
    v->count++;
    return 1;
}

static json_value *json_parse_value(json_parser *ps) {
    json_skip_ws(ps);
    if (ps->p >= ps->end) { ps->error = "unexpected end"; return NULL; }
    if (++ps->depth > 256) { ps->error = "too deep"; return NULL; }
    json_value *v = calloc(1, sizeof *v);
    if (!v) { ps->error = "out of memory"; return NULL; }
    v->start = ps->p;
    char c = *ps->p;
    size_t rest = (size_t)(ps->end - ps->p);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        v->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
        ps->p++;
        json_skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
        } else {
            for (;;) {
                char *key = NULL;
                size_t key_len = 0;
                if (v->type == JSON_OBJECT) {
                    json_skip_ws(ps);
                    if (ps->p >= ps->end || *ps->p != '"') { ps->error = "expected a key"; goto fail; }
                    key = json_parse_string(ps, &key_len);
                    if (!key) goto fail;
                    json_skip_ws(ps);
                    if (ps->p >= ps->end || *ps->p != ':') { free(key); ps->error = "expected ':'"; goto fail; }
                    ps->p++;
                }
                json_value *item = json_parse_value(ps);
                if (!item || !json_push(v, key, key_len, item)) {
                    free(key);
                    json_free(item);
                    if (!ps->error) ps->error = "out of memory";
                    goto fail;
                }
                json_skip_ws(ps);
                if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
                if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
                ps->error = "expected ',' or a closing bracket";
                goto fail;
            }
        }
    } else if (c == '"') {
        v->type = JSON_STRING;
        v->text = json_parse_string(ps, &v->text_len);
        if (!v->text) goto fail;
    } else if (rest >= 4 && memcmp(ps->p, "null", 4) == 0) {
        v->type = JSON_NULL;
        ps->p += 4;
    } else if (rest >= 4 && memcmp(ps->p, "true", 4) == 0) {
        v->type = JSON_BOOL;
        v->boolean = 1;
        ps->p += 4;
    } else if (rest >= 5 && memcmp(ps->p, "false", 5) == 0) {
        v->type = JSON_BOOL;
        ps->p += 5;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *s = ps->p;
        if (*ps->p == '-') ps->p++;
        int digits = 0;
        while (ps->p < ps->end && ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.' || *ps->p == 'e' ||
                                   *ps->p == 'E' || *ps->p == '+' || *ps->p == '-')) {
            if (*ps->p >= '0' && *ps->p <= '9') digits++;
            ps->p++;
        }
        if (!digits) { ps->error = "bad number"; goto fail; }
        v->type = JSON_NUMBER;
        v->text_len = (size_t)(ps->p - s);
        v->text = malloc(v->text_len + 1);
        if (!v->text) { ps->error = "out of memory"; goto fail; }
        memcpy(v->text, s, v->text_len);
        v->text[v->text_len] = '\0';
    } else {
        ps->error = "unexpected character";
        goto fail;
    }
    v->span = (size_t)(ps->p - v->start);
    ps->depth--;
    return v;
fail:
    json_free(v);
    return NULL;
}

/* Parses a whole document; on failure returns NULL and sets *error when error is not NULL. */
static json_value *json_parse(const char *text, size_t len, const char **error) {
    json_parser ps = {text, text + len, NULL, 0};
    json_value *v = json_parse_value(&ps);
    if (v) {
        json_skip_ws(&ps);
        if (ps.p != ps.end) {
            json_free(v);
            v = NULL;
            ps.error = "trailing characters";
        }
    }
    if (!v && error) *error = ps.error ? ps.error : "invalid JSON";
    return v;
}

static const json_value *json_get(const json_value *v, const char *key) {
    if (!v || v->type != JSON_OBJECT) return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < v->count; i++)
        if (v->members[i].key_len == len && memcmp(v->members[i].key, key, len) == 0) return v->members[i].value;
    return NULL;
}

/*
 * Compares two values as JSON. Returns 1 when equal; otherwise 0 and writes the path of the
 * first difference to path (e.g. "$.steps[1].error.message").
 */
static inline int json_equal_at(const json_value *a, const json_value *b, char *path, size_t cap) {
    size_t here = strlen(path);
    if (a->type != b->type) return 0;
    switch (a->type) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER:
        return (a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0) ||
               strtod(a->text, NULL) == strtod(b->text, NULL);
    case JSON_STRING: return a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0;
    case JSON_ARRAY:
        if (a->count != b->count) return 0;
        for (size_t i = 0; i < a->count; i++) {
            snprintf(path + here, cap - here, "[%zu]", i);
            if (!json_equal_at(a->members[i].value, b->members[i].value, path, cap)) return 0;
            path[here] = '\0';
        }
        return 1;
    case JSON_OBJECT:
        for (size_t i = 0; i < a->count; i++) {
            snprintf(path + here, cap - here, ".%s", a->members[i].key);
            const json_value *other = json_get(b, a->members[i].key);
            if (!other || !json_equal_at(a->members[i].value, other, path, cap)) return 0;
            path[here] = '\0';
        }
        for (size_t i = 0; i < b->count; i++) {
            if (!json_get(a, b->members[i].key)) {
                snprintf(path + here, cap - here, ".%s", b->members[i].key);
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

static inline int json_equal(const json_value *a, const json_value *b, char *path, size_t cap) {
    snprintf(path, cap, "$");
    return json_equal_at(a, b, path, cap);
}

#endif
