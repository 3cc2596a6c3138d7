//! Tests of the expression language.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::probe::ValueKind;
use serde_json::json;

fn eval_with(src: &str, facts: &[(&str, Option<Value>)]) -> Truth {
    let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
    e.eval(&mut |n| match facts.iter().find(|(k, _)| *k == n) {
        Some((_, Some(v))) => Fact::Value(v.clone()),
        _ => Fact::Missing,
    })
}

#[test]
fn precedence_not_binds_tighter_than_and_than_or() {
    let f = [
        ("a", Some(json!(true))),
        ("b", Some(json!(false))),
        ("c", Some(json!(true))),
    ];
    assert_eq!(eval_with("a or b and not c", &f), Truth::True);
    assert_eq!(eval_with("(a or b) and not c", &f), Truth::False);
    assert_eq!(eval_with("not a or c", &f), Truth::True);
    assert_eq!(eval_with("not (a or c)", &f), Truth::False);
}

#[test]
fn comparisons_numbers_and_text() {
    let f = [
        ("battery.level_pct", Some(json!(12))),
        ("battery.charging", Some(json!(false))),
        ("gps.fix", Some(json!("none"))),
        ("battery.temp_c", Some(json!(60.0))),
    ];
    assert!(eval_with("battery.level_pct < 15 and not battery.charging", &f).is_true());
    assert!(eval_with("battery.temp_c >= 60", &f).is_true());
    assert!(eval_with("battery.temp_c > 60", &f) == Truth::False);
    assert!(eval_with("gps.fix != 'none'", &f) == Truth::False);
    assert!(eval_with("gps.fix == \"none\"", &f).is_true());
    assert!(eval_with("gps.fix in ['2d', '3d']", &f) == Truth::False);
    assert!(eval_with("gps.fix not in ['2d', '3d']", &f).is_true());
    assert!(eval_with("battery.level_pct == 12.0", &f).is_true());
    assert!(eval_with("battery.level_pct >= -1_000", &f).is_true());
}

#[test]
fn null_compares_false_except_null_tests() {
    let f = [
        ("gps.hdop", Some(json!(null))),
        ("gps.fix", Some(json!(null))),
    ];
    assert_eq!(eval_with("gps.hdop > 2", &f), Truth::False);
    assert_eq!(eval_with("gps.hdop <= 2", &f), Truth::False);
    assert_eq!(eval_with("gps.fix != 'none'", &f), Truth::False);
    assert_eq!(eval_with("gps.fix in ['none']", &f), Truth::False);
    assert_eq!(eval_with("gps.fix not in ['none']", &f), Truth::False);
    assert_eq!(eval_with("gps.hdop == null", &f), Truth::True);
    assert_eq!(eval_with("null == gps.hdop", &f), Truth::True);
    assert_eq!(eval_with("gps.hdop != null", &f), Truth::False);
    assert_eq!(eval_with("gps.fix", &f), Truth::False);
}

#[test]
fn missing_facts_are_unknown_under_kleene_logic() {
    let f = [("a", Some(json!(true))), ("b", Some(json!(false)))];
    assert_eq!(eval_with("x > 3", &f), Truth::Unknown);
    assert_eq!(eval_with("not (x > 3)", &f), Truth::Unknown);
    assert_eq!(eval_with("x > 3 or a", &f), Truth::True);
    assert_eq!(eval_with("x > 3 and b", &f), Truth::False);
    assert_eq!(eval_with("x > 3 and a", &f), Truth::Unknown);
    assert_eq!(eval_with("x == null", &f), Truth::Unknown);
}

#[test]
fn syntax_errors_point_at_the_culprit() {
    let cases: &[(&str, &str, usize)] = &[
        ("battery.level_pct = 3", "use `==`", 18),
        ("a and", "expected a probe name", 5),
        ("(a or b", "expected `)`", 7),
        ("a && b", "write `and`", 2),
        ("gps.fix in 'none'", "expected a list", 11),
        ("gps.fix == 'none", "not closed", 11),
        ("a b", "expected `and`, `or` or the end", 2),
        ("x in []", "empty", 5),
        ("", "empty", 0),
        ("gps..fix", "not a probe name", 0),
        ("a == not", "expected a value before `not`", 5),
    ];
    for (src, msg, col) in cases {
        let e = parse(src).expect_err(src);
        assert!(e.message.contains(msg), "{src}: {}", e.message);
        assert_eq!(e.span.start, *col, "{src}: {e:?}");
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let src = format!("{}a{}", "(".repeat(500), ")".repeat(500));
    assert!(parse(&src).unwrap_err().message.contains("nested"));
    let src = format!("{}a", "not ".repeat(400));
    assert!(parse(&src).unwrap_err().message.contains("nested"));
}

#[test]
fn probes_are_listed_with_spans() {
    let e = parse("selftest.battery.code == 'BAT_CHARGE_FAULT' and battery.charging").unwrap();
    let p = e.probes();
    assert_eq!(p[0], ("selftest.battery.code", 0..21));
    assert_eq!(p[1].0, "battery.charging");
}

#[test]
fn type_checks() {
    let kinds = |n: &str| match n {
        "gps.fix" => Some(ValueKind::Enum(&["none", "2d", "3d"])),
        "battery.level_pct" => Some(ValueKind::Number),
        "battery.charging" => Some(ValueKind::Bool),
        _ => None,
    };
    let errs = |s: &str| parse(s).unwrap().check_types(&kinds);
    assert!(errs("gps.fix == '3d' and battery.charging and battery.level_pct < 5").is_empty());
    assert!(errs("gps.fix == '3D'")[0].message.contains("never '3D'"));
    assert!(
        errs("gps.fix in ['2d', 'x']")[0]
            .message
            .contains("never 'x'")
    );
    assert!(
        errs("battery.level_pct")[0]
            .message
            .contains("not true/false")
    );
    assert!(
        errs("battery.level_pct == 'low'")[0]
            .message
            .contains("is number")
    );
    assert!(errs("gps.fix > 2")[0].message.len() > 5);
    assert!(
        errs("battery.charging < 1")[0]
            .message
            .contains("only compares numbers")
            || !errs("battery.charging < 1").is_empty()
    );
    assert!(
        errs("battery.level_pct > null")[0]
            .message
            .contains("always false")
    );
    assert!(
        errs("gps.fix == battery.level_pct")[0]
            .message
            .contains("cannot be compared")
    );
}

#[test]
fn templates_render_and_refuse_bad_placeholders() {
    let t = Template::parse("Looking for satellites… {gps.satellites} found {{ok}}").unwrap();
    assert_eq!(t.probes()[0].0, "gps.satellites");
    let s = t.render(&mut |_| Fact::Value(json!(3)));
    assert_eq!(s, "Looking for satellites… 3 found {ok}");
    assert_eq!(
        t.render(&mut |_| Fact::Missing),
        "Looking for satellites… ? found {ok}"
    );
    assert!(Template::parse("{gps satellites}").is_err());
    assert!(Template::parse("open {").is_err());
    assert!(Template::parse("close }").is_err());
}
