//! Reading an answers file (TOML or JSON) into flat `key = value` entries
//! that remember where each key and value is in the file, so every later
//! complaint about an answer names its line and column. Duplicate keys are
//! refused in JSON as TOML refuses them.
//!
//! A key is a node id, `flow-id#node`, `safety.hazard`, or a table (JSON
//! object) per flow id holding node ids; values are text, numbers or
//! true/false (`yes`/`no`).

use super::diag::line_col;
use serde_json::Value;
use std::collections::HashSet;

/// One answer as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key, flattened: `node`, `flow-id#node` or `safety.hazard`.
    pub key: String,
    /// The value as text (`true`/`false` become `yes`/`no`), trimmed.
    pub value: String,
    /// 1-based line and column of the key.
    pub key_at: (usize, usize),
    /// 1-based line and column of the value.
    pub value_at: (usize, usize),
}

/// A problem with the file's text, with its position when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line and column, when known.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

fn text_err(at: Option<(usize, usize)>, message: String) -> TextError {
    TextError { at, message }
}

const SCALAR: &str = "must be text, a number or true/false";

/// Parses TOML answers.
pub fn parse_toml(text: &str) -> Result<Vec<Entry>, TextError> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(text).map_err(|e| {
        let at = e.span().map(|s| line_col(text, s.start));
        text_err(at, format!("not valid TOML: {}", e.message().trim()))
    })?;
    let pos = |off: usize| line_col(text, off);
    let scalar = |v: &DeValue<'_>| -> Option<String> {
        match v {
            DeValue::String(s) => Some(s.trim().to_string()),
            DeValue::Boolean(true) => Some("yes".into()),
            DeValue::Boolean(false) => Some("no".into()),
            DeValue::Integer(i) => Some(i.as_str().to_string()),
            DeValue::Float(f) => Some(f.as_str().to_string()),
            _ => None,
        }
    };
    let mut out = Vec::new();
    for (k, v) in table.get_ref() {
        let key_at = pos(k.span().start);
        match v.get_ref() {
            DeValue::Table(inner) => {
                for (node, iv) in inner {
                    let full = format!("{}#{}", k.get_ref(), node.get_ref());
                    let value = scalar(iv.get_ref()).ok_or_else(|| {
                        text_err(
                            Some(pos(iv.span().start)),
                            format!("the answer for `{full}` {SCALAR}"),
                        )
                    })?;
                    out.push(Entry {
                        key: full,
                        value,
                        key_at: pos(node.span().start),
                        value_at: pos(iv.span().start),
                    });
                }
            }
            other => {
                let value = scalar(other).ok_or_else(|| {
                    text_err(
                        Some(pos(v.span().start)),
                        format!("the answer for `{}` {SCALAR}", k.get_ref()),
                    )
                })?;
                out.push(Entry {
                    key: k.get_ref().to_string(),
                    value,
                    key_at,
                    value_at: pos(v.span().start),
                });
            }
        }
    }
    Ok(out)
}

/// Parses JSON answers: serde_json checks the syntax (and gives its
/// position), then a scan of the text finds where each key is and refuses
/// a key given twice in one object.
pub fn parse_json(text: &str) -> Result<Vec<Entry>, TextError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let at = (e.line() > 0).then(|| (e.line(), e.column()));
        text_err(at, format!("not valid JSON: {e}"))
    })?;
    let Value::Object(map) = value else {
        return Err(text_err(
            Some((1, 1)),
            "the answers file must be a map of node ids to answers".into(),
        ));
    };
    let mut scan = Scan {
        b: text.as_bytes(),
        text,
        i: 0,
        members: Vec::new(),
    };
    scan.ws();
    scan.value(0, "")?;
    let pos = |off: usize| line_col(text, off);
    let find = |key: &str| scan.members.iter().find(|m| m.path == key);
    let at = |key: &str| find(key).map_or(((1, 1), (1, 1)), |m| (pos(m.key), pos(m.value)));
    let scalar = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Bool(true) => Some("yes".into()),
            Value::Bool(false) => Some("no".into()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut out = Vec::new();
    for (k, v) in &map {
        match v {
            Value::Object(inner) => {
                for (node, iv) in inner {
                    let full = format!("{k}#{node}");
                    let (key_at, value_at) = at(&format!("{k}\u{0}{node}"));
                    let value = scalar(iv).ok_or_else(|| {
                        text_err(Some(value_at), format!("the answer for `{full}` {SCALAR}"))
                    })?;
                    out.push(Entry {
                        key: full,
                        value,
                        key_at,
                        value_at,
                    });
                }
            }
            other => {
                let (key_at, value_at) = at(k);
                let value = scalar(other).ok_or_else(|| {
                    text_err(Some(value_at), format!("the answer for `{k}` {SCALAR}"))
                })?;
                out.push(Entry {
                    key: k.clone(),
                    value,
                    key_at,
                    value_at,
                });
            }
        }
    }
    Ok(out)
}

/// Where one object member is: its path (keys joined by NUL, the outer
/// two levels only), and the byte offsets of its key and its value.
struct Member {
    path: String,
    key: usize,
    value: usize,
}

/// A scan over JSON text that serde_json already accepted, to find where
/// keys are. It never panics on other text either: it just stops.
struct Scan<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    members: Vec<Member>,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A string starting at `self.i` (a `"`), unescaped.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return serde_json::from_str(self.text.get(start..self.i)?).ok(),
                _ => {}
            }
        }
        None
    }

    /// One value at nesting `depth` whose path is `path`. serde_json
    /// limits nesting (128), so the recursion is bounded.
    fn value(&mut self, depth: usize, path: &str) -> Result<(), TextError> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut seen = HashSet::new();
                if self.eat(b'}') {
                    return Ok(());
                }
                loop {
                    self.ws();
                    let key_at = self.i;
                    let Some(key) = self.string() else {
                        return Ok(());
                    };
                    if !seen.insert(key.clone()) {
                        return Err(text_err(
                            Some(line_col(self.text, key_at)),
                            format!("`{key}` is given twice; an answer may be given once"),
                        ));
                    }
                    if !self.eat(b':') {
                        return Ok(());
                    }
                    self.ws();
                    let child = if depth == 0 {
                        key.clone()
                    } else {
                        format!("{path}\u{0}{key}")
                    };
                    if depth < 2 {
                        self.members.push(Member {
                            path: child.clone(),
                            key: key_at,
                            value: self.i,
                        });
                    }
                    self.value(depth + 1, &child)?;
                    if self.eat(b',') {
                        continue;
                    }
                    self.eat(b'}');
                    return Ok(());
                }
            }
            Some(b'[') => {
                self.i += 1;
                if self.eat(b']') {
                    return Ok(());
                }
                loop {
                    let before = self.i;
                    self.value(depth + 1, path)?;
                    if self.i == before {
                        return Ok(());
                    }
                    if !self.eat(b',') {
                        self.eat(b']');
                        return Ok(());
                    }
                }
            }
            Some(b'"') => {
                self.string();
                Ok(())
            }
            Some(_) => {
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| !b",]} \t\r\n".contains(c))
                {
                    self.i += 1;
                }
                Ok(())
            }
            None => Ok(()),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn json_entries_know_their_lines_and_columns() {
        let text = "{\n  \"app-permissions\": \"yes\",\n  \"pettracker/gps-not-working\": {\n    \"outdoor\": true\n  }\n}\n";
        let e = parse_json(text).unwrap();
        assert_eq!(e[0].key, "app-permissions");
        assert_eq!((e[0].key_at, e[0].value_at), ((2, 3), (2, 22)));
        assert_eq!(e[1].key, "pettracker/gps-not-working#outdoor");
        assert_eq!(e[1].value, "yes");
        assert_eq!((e[1].key_at, e[1].value_at), ((4, 5), (4, 16)));
    }

    #[test]
    fn toml_entries_know_their_lines_and_columns() {
        let text =
            "app-permissions = \"no\"\n[\"pettracker/gps-not-working\"]\noutdoor = \"done\"\n";
        let e = parse_toml(text).unwrap();
        assert_eq!(
            (e[0].key.as_str(), e[0].value_at),
            ("app-permissions", (1, 19))
        );
        assert_eq!(e[1].key, "pettracker/gps-not-working#outdoor");
        assert_eq!((e[1].key_at, e[1].value_at), ((3, 1), (3, 11)));
    }

    #[test]
    fn duplicate_keys_are_refused_in_both_formats() {
        let e = parse_json("{\"a\": \"yes\",\n \"a\": \"no\"}").unwrap_err();
        assert_eq!(e.at, Some((2, 2)));
        assert!(e.message.contains("twice"), "{}", e.message);
        let e = parse_json("{\"f\": {\"a\": 1, \"a\": 2}}").unwrap_err();
        assert!(e.message.contains("`a`"), "{}", e.message);
        // An escaped spelling of the same key is the same key.
        assert!(parse_json("{\"a\": 1, \"\\u0061\": 2}").is_err());
        let e = parse_toml("a = \"yes\"\na = \"no\"\n").unwrap_err();
        assert_eq!(e.at.map(|p| p.0), Some(2));
    }

    #[test]
    fn values_that_are_not_scalars_point_at_the_value() {
        let e = parse_json("{\"a\":\n [1]}").unwrap_err();
        assert_eq!(e.at, Some((2, 2)));
        let e = parse_toml("a = [1, 2]\n").unwrap_err();
        assert_eq!(e.at, Some((1, 5)));
        assert!(parse_json("[1, 2]").unwrap_err().message.contains("map"));
    }
}
