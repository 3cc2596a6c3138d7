//! docs/flow.schema.json stays in step with the flow format: the same
//! fields per node type and the same outcome kinds, and every flow file
//! shipped in flows/ validates against it (with a small validator for the
//! keywords the schema uses).

#![allow(clippy::unwrap_used)]

use pawdiag::flow::format::{COMMON_NODE_FIELDS, FLOW_FIELDS, NODE_TYPES, node_fields};
use pawdiag::flow::load::{FileKind, FileSet, file_kind};
use pawdiag::flow::session::OutcomeKind;
use serde_json::Value;
use std::collections::BTreeSet;

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/flow.schema.json"
    ))
    .expect("docs/flow.schema.json exists");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn schema_fields_match_the_format() {
    let s = schema();
    let want: BTreeSet<String> = FLOW_FIELDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(keys(&s), want);
    for t in NODE_TYPES {
        let def = &s["$defs"][t];
        let want: BTreeSet<String> = COMMON_NODE_FIELDS
            .iter()
            .chain(node_fields(t))
            .map(|s| s.to_string())
            .collect();
        assert_eq!(keys(def), want, "fields of {t} nodes");
        assert_eq!(def["properties"]["type"]["const"], t);
    }
    let kinds: Vec<&str> = s["$defs"]["outcome"]["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want: Vec<&str> = OutcomeKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(kinds, want);
}

/// Validates `v` against `schema` (the subset of JSON Schema the flow
/// schema uses); returns the problems with their JSON paths.
fn validate(root: &Value, schema: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(root, &root["$defs"][name], v, path, out);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let ok = options
            .iter()
            .filter(|o| {
                let mut errs = Vec::new();
                validate(root, o, v, path, &mut errs);
                errs.is_empty()
            })
            .count();
        if ok != 1 {
            out.push(format!("{path}: matches {ok} of the oneOf choices"));
        }
        return;
    }
    if let Some(c) = schema.get("const")
        && v != c
    {
        out.push(format!("{path}: must be {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        out.push(format!("{path}: {v} is not one of {e:?}"));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let Some(obj) = v.as_object() else {
                return out.push(format!("{path}: not an object"));
            };
            for r in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let r = r.as_str().unwrap();
                if !obj.contains_key(r) {
                    out.push(format!("{path}: missing {r}"));
                }
            }
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, val) in obj {
                match props.and_then(|p| p.get(k)) {
                    Some(ps) => validate(root, ps, val, &format!("{path}.{k}"), out),
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        out.push(format!("{path}: unexpected field {k}"))
                    }
                    None => {}
                }
            }
        }
        Some("array") => {
            let Some(items) = v.as_array() else {
                return out.push(format!("{path}: not an array"));
            };
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
                && (items.len() as u64) < min
            {
                out.push(format!("{path}: fewer than {min} items"));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, it) in items.iter().enumerate() {
                    validate(root, item_schema, it, &format!("{path}[{i}]"), out);
                }
            }
        }
        Some("string") => {
            let Some(s) = v.as_str() else {
                return out.push(format!("{path}: not text"));
            };
            if schema
                .get("minLength")
                .and_then(Value::as_u64)
                .is_some_and(|m| (s.chars().count() as u64) < m)
            {
                out.push(format!("{path}: too short"));
            }
        }
        Some("number") => {
            let Some(n) = v.as_f64() else {
                return out.push(format!("{path}: not a number"));
            };
            if schema
                .get("minimum")
                .and_then(Value::as_f64)
                .is_some_and(|m| n < m)
                || schema
                    .get("maximum")
                    .and_then(Value::as_f64)
                    .is_some_and(|m| n > m)
            {
                out.push(format!("{path}: {n} out of range"));
            }
        }
        _ => {}
    }
}

fn as_json(toml_text: &str) -> Value {
    let t: toml::Table = toml::from_str(toml_text).expect("TOML");
    serde_json::to_value(t).unwrap()
}

#[test]
fn every_flow_file_validates() {
    let s = schema();
    let mut n = 0;
    for f in FileSet::embedded().files.values() {
        if file_kind(&f.rel) != FileKind::Flow {
            continue;
        }
        n += 1;
        let mut errs = Vec::new();
        validate(&s, &s, &as_json(&f.text), "$", &mut errs);
        assert!(errs.is_empty(), "{}: {errs:#?}", f.rel);
    }
    assert!(n >= 12, "flows checked: {n}");
}

#[test]
fn the_validator_rejects_what_lint_rejects() {
    let s = schema();
    let bad = r#"
id = "pettracker/x"
model = "pettracker"
title = "X"
symptom = "x"
playbook = "PetTracker Support / GPS Not Working"
start = "a"
[[nodes]]
id = "a"
type = "check"
ask = "a question in a check"
next = "b"
[[nodes]]
id = "b"
type = "outcome"
kind = "fixed"
code = "X"
summary = "x"
"#;
    let mut errs = Vec::new();
    validate(&s, &s, &as_json(bad), "$", &mut errs);
    assert_eq!(errs.len(), 2, "{errs:#?}");
}

#[test]
fn docs_list_every_probe() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/flows.md"))
        .expect("docs/flows.md exists");
    let missing: Vec<&str> = pawdiag::probe::catalogue::all()
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| !docs.contains(&format!("| `{n}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/flows.md does not list: {missing:?} (regenerate the table from `pawdiag flows probes --json`)"
    );
}
