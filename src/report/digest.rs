//! Tamper evidence: a SHA-256 digest over the report's canonical form, and
//! verification of a saved report in any of the three formats.
//!
//! Canonical form (see `docs/report.md`): the report as JSON, with the
//! top-level `digest` member removed, object keys sorted by Unicode code
//! point, no whitespace, strings and numbers written as serde_json writes
//! them, UTF-8. The digest is computed over the value *as read back from its
//! JSON text*, which is exactly what a verifier sees, so float formatting can
//! never make an intact report look altered.
//!
//! Markdown and HTML reports embed the JSON report (in an HTML comment or a
//! `<script type="application/json">` data block). Verifying them checks the
//! embedded JSON's digest *and* that the file is byte for byte what the
//! renderer makes from it, so a change to the visible text is caught too.

use super::model::{Digest, Report};
use super::{Format, render};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// `digest.algorithm`.
pub const ALGORITHM: &str = "sha256";
/// `digest.canonical`: names the canonicalisation rule.
pub const CANONICAL: &str = "json-sorted-keys-compact-without-digest";

/// Marker opening the embedded JSON in Markdown.
pub(crate) const MD_OPEN: &str = "<!-- pawdiag-report\n";
/// Marker closing the embedded JSON in Markdown.
pub(crate) const MD_CLOSE: &str = "\n-->\n";
/// Marker opening the embedded JSON in HTML.
pub(crate) const HTML_OPEN: &str = "<script type=\"application/json\" id=\"pawdiag-report\">\n";
/// Marker closing the embedded JSON in HTML.
pub(crate) const HTML_CLOSE: &str = "\n</script>";

/// Writes `v` canonically: keys sorted, no whitespace.
pub fn canonical(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(k) {
                    write_canonical(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// SHA-256 (lowercase hex) of the canonical form of a JSON report value,
/// ignoring any `digest` member.
pub fn digest_of_value(v: &Value) -> String {
    let mut v = v.clone();
    if let Value::Object(map) = &mut v {
        map.remove("digest");
    }
    let hash = Sha256::digest(canonical(&v).as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Computes and stores the report's digest.
pub fn seal(report: &mut Report) -> Result<(), serde_json::Error> {
    // Through text and back, as a verifier will read it.
    let text = serde_json::to_string(report)?;
    let v: Value = serde_json::from_str(&text)?;
    report.digest = Digest {
        algorithm: ALGORITHM.into(),
        canonical: CANONICAL.into(),
        value: digest_of_value(&v),
    };
    Ok(())
}

/// What `report verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The digest matches and, for Markdown and HTML, the file is exactly
    /// what the embedded report renders to.
    Intact {
        /// The format found.
        format: Format,
        /// The digest (hex).
        digest: String,
        /// The report's id.
        report_id: String,
    },
    /// It is a pawdiag report, but something in it changed.
    Altered {
        /// The format found.
        format: Format,
        /// What does not match, one sentence.
        reason: String,
    },
    /// Not a pawdiag report (or too damaged to tell).
    Invalid {
        /// Why, one sentence.
        reason: String,
    },
}

impl Verification {
    /// True for [`Verification::Intact`].
    pub fn is_intact(&self) -> bool {
        matches!(self, Verification::Intact { .. })
    }
}

/// Finds the format of a saved report from its content.
pub fn sniff(text: &str) -> Option<Format> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        Some(Format::Json)
    } else if t.starts_with("<!DOCTYPE html") || t.starts_with("<html") {
        Some(Format::Html)
    } else if text.contains(MD_OPEN) {
        Some(Format::Markdown)
    } else {
        None
    }
}

/// The JSON text of a report saved in any format.
fn json_text(text: &str, format: Format) -> Option<&str> {
    let between = |open: &str, close: &str| -> Option<&str> {
        // The data block is the last thing in the file; taking the last
        // marker means text earlier in the file can never be mistaken for it.
        let start = text.rfind(open)? + open.len();
        let len = text[start..].find(close)?;
        Some(&text[start..start + len])
    };
    match format {
        Format::Json => Some(text),
        Format::Markdown => between(MD_OPEN, MD_CLOSE),
        Format::Html => between(HTML_OPEN, HTML_CLOSE),
    }
}

/// Checks a saved report (JSON, Markdown or HTML) for alteration.
pub fn verify(bytes: &[u8]) -> Verification {
    let invalid = |reason: &str| Verification::Invalid {
        reason: reason.to_string(),
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return invalid("the file is not UTF-8 text, so it is not a pawdiag report");
    };
    // A report that travelled through Windows or a mail client may have
    // gained CR LF line ends; that changes no content.
    let normalised = text.replace("\r\n", "\n");
    let text = normalised.as_str();
    let Some(format) = sniff(text) else {
        return invalid(
            "the file is not a pawdiag report (no JSON object and no embedded report found)",
        );
    };
    let altered = |reason: String| Verification::Altered { format, reason };
    let Some(json) = json_text(text, format) else {
        return altered("the embedded report data is missing or cut short".into());
    };
    let value: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return altered(format!("the report's JSON no longer parses ({e})")),
    };
    let Some(stored) = value
        .get("digest")
        .and_then(|d| d.get("value"))
        .and_then(Value::as_str)
    else {
        return match format {
            Format::Json if value.get("schema_version").is_none() => {
                invalid("the file is JSON but not a pawdiag report (no schema_version, no digest)")
            }
            _ => altered("the digest is missing".into()),
        };
    };
    let algorithm = value
        .get("digest")
        .and_then(|d| d.get("algorithm"))
        .and_then(Value::as_str);
    if algorithm != Some(ALGORITHM) {
        return altered(format!(
            "the digest algorithm is {:?}, not {ALGORITHM}",
            algorithm.unwrap_or("missing")
        ));
    }
    let canonical = value
        .get("digest")
        .and_then(|d| d.get("canonical"))
        .and_then(Value::as_str);
    if canonical != Some(CANONICAL) {
        return altered(format!(
            "the digest's canonical form is {:?}, not {CANONICAL:?}",
            canonical.unwrap_or("missing")
        ));
    }
    let computed = digest_of_value(&value);
    if computed != stored {
        return altered(format!(
            "the content does not match its digest (stored {}, computed {})",
            short(stored),
            short(&computed)
        ));
    }
    if format != Format::Json {
        // The data is intact; now the visible text must be exactly what that
        // data renders to.
        let report: Report = match serde_json::from_value(value.clone()) {
            Ok(r) => r,
            Err(e) => return altered(format!("the embedded report does not read back ({e})")),
        };
        if render(&report, format) != text {
            return altered(format!(
                "the {} text differs from what its embedded report renders to",
                format.name()
            ));
        }
    }
    Verification::Intact {
        format,
        digest: computed,
        report_id: value
            .get("report_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    }
}

/// Reads a saved report in any format (no integrity check: call [`verify`]).
pub fn load(bytes: &[u8]) -> Result<Report, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| LoadError::NotAReport)?;
    let normalised = text.replace("\r\n", "\n");
    let text = normalised.as_str();
    let format = sniff(text).ok_or(LoadError::NotAReport)?;
    let json = json_text(text, format).ok_or(LoadError::NotAReport)?;
    let value: Value = serde_json::from_str(json).map_err(|e| LoadError::Json(e.to_string()))?;
    match value.get("schema_version").and_then(Value::as_u64) {
        None => return Err(LoadError::NotAReport),
        Some(v) if v > u64::from(super::model::SCHEMA_VERSION) => {
            return Err(LoadError::TooNew(v));
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| LoadError::Json(e.to_string()))
}

/// Why a saved report could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Not a pawdiag report at all.
    #[error("the file is not a pawdiag report")]
    NotAReport,
    /// Written by a newer pawdiag.
    #[error("the report has schema version {0}, newer than this pawdiag understands")]
    TooNew(u64),
    /// Broken JSON or missing fields.
    #[error("the report cannot be read: {0}")]
    Json(String),
}

impl LoadError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            LoadError::NotAReport => {
                "give a .json, .md or .html file written by `pawdiag` (reports are saved under the path printed at the end of a session)".into()
            }
            LoadError::TooNew(_) => "update pawdiag to read this report".into(),
            LoadError::Json(_) => {
                "run `pawdiag report verify FILE`: the file may have been edited".into()
            }
        }
    }
}

fn short(hex: &str) -> &str {
    hex.get(..12).unwrap_or(hex)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_sorts_keys_at_every_level_and_drops_whitespace() {
        let v = json!({"b": 1, "a": {"z": [true, null, "x"], "c": 2.5}});
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":2.5,"z":[true,null,"x"]},"b":1}"#
        );
    }

    #[test]
    fn digest_ignores_the_digest_member_and_key_order() {
        let a = json!({"x": 1, "y": "é", "digest": {"value": "old"}});
        let b = json!({"y": "é", "x": 1});
        assert_eq!(digest_of_value(&a), digest_of_value(&b));
        assert_ne!(
            digest_of_value(&a),
            digest_of_value(&json!({"x": 2, "y": "é"}))
        );
        assert_eq!(digest_of_value(&b).len(), 64);
    }

    #[test]
    fn garbage_is_invalid_not_a_panic() {
        assert!(matches!(verify(b"\xff\xfe"), Verification::Invalid { .. }));
        assert!(matches!(verify(b"hello"), Verification::Invalid { .. }));
        assert!(matches!(verify(b"{\"a\":1}"), Verification::Invalid { .. }));
        assert!(matches!(
            verify(b"{\"schema_version\":1"),
            Verification::Altered { .. }
        ));
        assert_eq!(load(b"[]").unwrap_err(), LoadError::NotAReport);
    }
}
