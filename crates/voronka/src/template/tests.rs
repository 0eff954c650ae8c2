//! Unit tests of the template engine, and differential tests against minijinja.

use super::*;
use serde_json::json;

#[test]
fn renders_fields_and_refuses_endless_templates() {
    let ctx = json!({"fields": {"company_name": "ООО «Эко»"}, "record": {"id": "d-1"}});
    assert_eq!(
        render("Заказ {{ record.id }} для {{ fields.company_name }}", &ctx),
        Ok("Заказ d-1 для ООО «Эко»".to_string())
    );
    assert_eq!(render("{{ fields.missing }}", &ctx), Ok(String::new()));
    // Ten to the sixth iterations: more than the fuel allows.
    let endless = format!(
        "{{% set l = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] %}}{}x{}",
        "{% for i in l %}".repeat(6),
        "{% endfor %}".repeat(6)
    );
    assert!(render(&endless, &ctx).is_err());
    assert!(check("{{ unclosed").is_err());
    assert!(check("Hello {{ fields.a }}").is_ok());
}

#[test]
fn core_syntax_works_and_library_filters_are_unknown() {
    let ctx = json!({"fields": {"city": "Tver"}, "values": {"n": 3}});
    assert_eq!(
        render(
            "{% if fields.phone is defined %}p{% elif values.n > 2 %}{% for c in ['a', 'b'] %}{{ c ~ loop.index }}{% endfor %}{% endif %}/{% if fields.city is defined %}{{ fields.city }}{% else %}-{% endif %}",
            &ctx
        ),
        Ok("a1b2/Tver".to_string())
    );
    // A filter of minijinja's library is unknown: a rendering error, not a panic.
    assert!(render("{{ fields.city | upper }}", &ctx).is_err());
}

fn ok(source: &str) -> String {
    let ctx = json!({
        "s": "héllo", "n": 3, "f": 2.5, "l": [1, "a", null, true, 2.0],
        "m": {"b": 1, "a": "x"}, "z": null, "e": "", "q": "it's"
    });
    match render(source, &ctx) {
        Ok(text) => text,
        Err(e) => panic!("{source:?} failed: {e}"),
    }
}

fn render_err(source: &str) -> String {
    assert!(check(source).is_ok(), "{source:?} should parse");
    render(source, &json!({"n": 3, "s": "x", "z": null})).expect_err(source)
}

fn syntax_err(source: &str) -> String {
    let e = check(source).expect_err(source);
    assert_eq!(render(source, &json!({})), Err(e.clone()));
    e
}

#[test]
fn each_construct_renders_like_jinja() {
    let cases = [
        // Printing: Python's spelling of constants, floats always with a point.
        (
            "{{ true }} {{ false }} {{ none }} {{ z }} {{ missing }}|",
            "True False None None |",
        ),
        (
            "{{ f }} {{ 1.0 }} {{ 1e20 }} {{ 0.1 + 0.2 }} {{ -0.0 }} {{ 1.5e-7 }}",
            "2.5 1.0 100000000000000000000.0 0.30000000000000004 -0.0 0.00000015",
        ),
        (
            "{{ l }} {{ m }} {{ [q, 'x\"'] }} {{ [1e20] }}",
            "[1, 'a', None, True, 2.0] {'a': 'x', 'b': 1} [\"it's\", 'x\"'] [1e20]",
        ),
        // Access.
        (
            "{{ m.a }}{{ m['b'] }}{{ l.1 }}{{ l[-1] }}{{ s[1] }}{{ l[9] }}{{ z.x }}{{ n.x }}",
            "x1a2.0é",
        ),
        // Arithmetic and concatenation.
        (
            "{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 1 + 2 * 3 }}",
            "3 -4 2 3.5 1024 0.5 7",
        ),
        (
            "{{ 'ab' * 2 }} {{ 'a' + 'b' }} {{ [1] + [2] }} {{ [0] * 2 }} {{ 1 ~ 'a' ~ none ~ missing }}",
            "abab ab [1, 2] [0, 0] 1aNone",
        ),
        (
            "{{ -2 ** 2 }} {{ 2 ** 3 ** 2 }} {{ 9223372036854775807 + 1 }} {{ 0x1F + 0b1 + 0o7 + 1_000 }}",
            "4 64 9223372036854775808 1039",
        ),
        // Comparisons, membership, logic.
        (
            "{{ 1 == 1.0 }} {{ 1 == '1' }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 < 'a' }} {{ none < 1 }}",
            "True False True False True True",
        ),
        (
            "{{ 'a' in 'bab' }} {{ 1 in l }} {{ 'a' in m }} {{ 2 not in l }} {{ 1 in missing }}",
            "True True True False False",
        ),
        (
            "{{ 1 and 2 }} {{ 0 or 'x' }} {{ not e }} {{ missing or 3 }} {{ 1 if false }}{{ 1 if false else 2 }}",
            "2 x True 3 2",
        ),
        // Tests.
        (
            "{{ missing is defined }} {{ n is defined }} {{ z is none }} {{ n is not none }} {{ missing is undefined }}",
            "False True True True True",
        ),
        // Statements.
        (
            "{% if n > 5 %}a{% elif n > 2 %}b{% else %}c{% endif %}",
            "b",
        ),
        (
            "{% for x in l if x %}{{ loop.index }}/{{ loop.length }}{{ '.' if loop.last }} {% endfor %}",
            "1/4 2/4 3/4 4/4. ",
        ),
        (
            "{% for x in l %}{{ loop.index0 }}{{ loop.first }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.depth }}{% endfor %}",
            "0True5411False4312False3213False2114False101",
        ),
        (
            "{% for k in m %}{{ k }}{{ loop }}{% endfor %}|{% for c in s %}{{ c }}{{ loop.length }}{% endfor %}",
            "a<loop 0/2>b<loop 1/2>|héllo",
        ),
        (
            "{% for x in missing %}a{% else %}empty{% endfor %} {% for x in z %}{% else %}none{% endfor %}",
            "empty none",
        ),
        (
            "{% set x = 1 %}{% for i in [1] %}{% set x = 5 %}{{ x }}{% endfor %}{{ x }}{% if 1 %}{% set x = 2 %}{% endif %}{{ x }}",
            "512",
        ),
        ("{% set x %}a{{ n }}{% endset %}{{ x ~ x }}", "a3a3"),
        (
            "a{# comment #}b{% raw %}{{ not rendered }}{% endraw %}",
            "ab{{ not rendered }}",
        ),
        // Whitespace control, and one trailing newline dropped.
        (
            "a  {{- 1 -}}  b {#- c -#} d{%- if true -%}  e  {%- endif %}\n",
            "a1bde",
        ),
        ("x {% raw -%}  {{ y }} {%- endraw %} z\n\n", "x {{ y }} z\n"),
        // String escapes.
        (
            r#"{{ "a\tb\u00e9\x41\\\'\q" }}{{ 'c' "d" }}"#,
            "a\tbéA\\'\\qcd",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(ok(source), expected, "{source}");
    }
}

#[test]
fn each_rendering_error_is_reported_with_its_line() {
    for (source, message) in [
        ("{{ 1 / 0 }}", "unable to calculate 1 / 0"),
        ("{{ 1 // 0 }}", "unable to calculate 1 // 0"),
        ("{{ 1 % 0 }}", "unable to calculate 1 % 0"),
        ("{{ 'a' + 1 }}", "unsupported types string and number"),
        (
            "{{ 'a' * 1.5 }}",
            "strings can only be multiplied with integers",
        ),
        ("{{ -'a' }}", "cannot negate"),
        ("{{ missing.x }}", "undefined value"),
        ("{{ missing[0] }}", "undefined value"),
        ("{{ 1 in n }}", "containment check"),
        ("{% for x in n %}{% endfor %}", "number is not iterable"),
        ("{{ s | upper }}", "unknown filter"),
        ("{% set x | upper %}a{% endset %}", "unknown filter"),
        ("{{ n is odd }}", "unknown test"),
        ("{{ n is none(1) }}", "too many arguments"),
        ("{{ range(3) }}", "unknown function"),
        ("{{ s.upper() }}", "unknown function"),
        (
            "{{ 170141183460469231731687303715884105727 + 1 }}",
            "unable to calculate",
        ),
    ] {
        let e = render_err(source);
        assert!(e.contains(message), "{source}: {e}");
        assert!(e.contains("(line 1, column "), "{source}: {e}");
    }
    assert_eq!(
        render_err("line one\n{{ s }}\n  {{ missing.x }}"),
        "undefined value (line 3, column 13)"
    );
    // Errors only where evaluated.
    assert_eq!(
        ok("{% if false %}{{ n | upper }}{{ 1 / 0 }}{% endif %}ok"),
        "ok"
    );
}

#[test]
fn each_syntax_error_is_reported_with_line_and_column() {
    assert_eq!(
        syntax_err("{{ unclosed"),
        "syntax error: unexpected end of input, expected end of variable block (line 1, column 12)"
    );
    assert_eq!(
        syntax_err("a\n{% if x %}b"),
        "syntax error: unexpected end of input, expected end of block (line 2, column 12)"
    );
    assert_eq!(
        syntax_err("{{ 1 2 }}"),
        "syntax error: unexpected number, expected end of variable block (line 1, column 6)"
    );
    assert_eq!(
        syntax_err("{% endif %}"),
        "syntax error: unknown statement endif (line 1, column 4)"
    );
    assert_eq!(
        syntax_err("{{ 'abc }}"),
        "syntax error: unexpected end of string (line 1, column 11)"
    );
    assert_eq!(
        syntax_err("{# open"),
        "syntax error: unexpected end of comment (line 1, column 8)"
    );
    assert_eq!(
        syntax_err("{% raw %}open"),
        "syntax error: unexpected end of raw block (line 1, column 14)"
    );
    assert_eq!(
        syntax_err("{{ é }}"),
        "syntax error: unexpected character (line 1, column 4)"
    );
    assert_eq!(
        syntax_err("{% set loop = 1 %}"),
        "syntax error: cannot assign to reserved variable name loop (line 1, column 8)"
    );
    for source in [
        "{{ }}",
        "{{ 1 + }}",
        "{{ (1 }}",
        "{{ [1, }}",
        "{{ x. }}",
        "{{ a[] }}",
        "{{ x | }}",
        "{{ x is }}",
        "{% if x %}{% else %}{% else %}{% endif %}",
        "{% for x in %}{% endfor %}",
        "{% foo %}",
        "{% %}",
        "{{ '\\x4' }}",
        "{{ 1_ }}",
        "{{ 1e }}",
        "{{ 0x }}",
        "{{ 999999999999999999999999999999999999999999 }}",
        "{{ (1, 2) }}",
        "{{ {'a': 1} }}",
        "{{ l[1:] }}",
        "{% with a = 1 %}{% endwith %}",
        "{% for a, b in l %}{% endfor %}",
    ] {
        syntax_err(source);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for source in [
        format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("{{{{ {}1{} }}}}", "[".repeat(10_000), "]".repeat(10_000)),
        format!("{{{{ {}1 }}}}", "not ".repeat(10_000)),
        format!("{{{{ {}1 }}}}", "-".repeat(10_000)),
        format!("{{{{ 1{} }}}}", " + 1".repeat(10_000)),
        format!("{{{{ x{} }}}}", ".a".repeat(10_000)),
        format!("{{{{ x{} }}}}", " | f".repeat(10_000)),
        format!(
            "{}x{}",
            "{% if true %}".repeat(10_000),
            "{% endif %}".repeat(10_000)
        ),
        format!(
            "{}x{}",
            "{% for x in [1] %}".repeat(10_000),
            "{% endfor %}".repeat(10_000)
        ),
    ] {
        let e = check(&source).expect_err("too deep");
        assert!(
            e.contains("recursion") || e.contains("nested too deeply"),
            "{e}"
        );
    }
    // A long flat chain of `elif` is no nesting.
    let elifs = format!(
        "{{% if false %}}{}{{% else %}}end{{% endif %}}",
        "{% elif false %}".repeat(10_000)
    );
    assert_eq!(ok(&elifs), "end");
    // Fifty levels are fine.
    assert_eq!(
        ok(&format!("{{{{ {}1{} }}}}", "(".repeat(50), ")".repeat(50))),
        "1"
    );
}

#[test]
fn fuel_bounds_time_and_memory() {
    // Loops over loops: a million passes.
    let loops = format!(
        "{}x{}",
        "{% for i in [0,1,2,3,4,5,6,7,8,9] %}".repeat(6),
        "{% endfor %}".repeat(6)
    );
    assert!(render_err(&loops).contains("fuel"));
    // Doubling a string: 2^40 bytes if nothing stopped it.
    let doubling = format!(
        "{{% set s = 'ab' %}}{}{{{{ s }}}}",
        "{% set s = s ~ s %}".repeat(40)
    );
    assert!(render_err(&doubling).contains("fuel"));
    assert!(render_err("{{ 'ab' * 100000000 }}").contains("fuel"));
    assert!(render_err("{{ [1, 2] * 100000000 }}").contains("fuel"));
    // Membership in a long list, over and over: fuel for the items walked.
    let long = format!("[{}]", vec!["0"; 2000].join(","));
    let quadratic =
        format!("{{% set l = {long} %}}{{% for x in l %}}{{{{ 1 in l }}}}{{% endfor %}}");
    assert!(render_err(&quadratic).contains("fuel"));
    // An e-mail-sized rendering is far from the limit.
    let list = format!(
        "{{% for i in [{}] %}}{{{{ i }}}}, {{% endfor %}}",
        vec!["1"; 1000].join(",")
    );
    assert_eq!(ok(&list).len(), 3000);
}
