//! Progress templates: text with `{probe}` placeholders filled from facts.

use super::{ExprError, Fact, Span};
use serde_json::Value;

/// A progress text with `{probe}` placeholders (`{{` and `}}` for braces).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Probe(String, Span),
}

impl Template {
    /// A template with no text (what a broken one compiles to, so the rest
    /// of a file can still be checked).
    pub fn empty() -> Template {
        Template { parts: Vec::new() }
    }

    /// Parses a template.
    pub fn parse(src: &str) -> Result<Template, ExprError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut it = src.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            match c {
                '{' if it.peek().map(|p| p.1) == Some('{') => {
                    it.next();
                    text.push('{');
                }
                '}' if it.peek().map(|p| p.1) == Some('}') => {
                    it.next();
                    text.push('}');
                }
                '{' => {
                    let Some(end) = src[i..].find('}') else {
                        return Err(ExprError {
                            message: "`{` is not closed: write `{probe.name}`, or `{{` for a brace"
                                .into(),
                            span: i..src.len(),
                        });
                    };
                    let name = src[i + 1..i + end].trim();
                    let valid = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                    if !valid {
                        return Err(ExprError {
                            message: format!("`{{{name}}}` is not a probe placeholder"),
                            span: i..i + end + 1,
                        });
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Probe(name.to_string(), i + 1..i + end));
                    for _ in 0..end {
                        it.next();
                    }
                }
                '}' => {
                    return Err(ExprError {
                        message: "`}` without `{`: write `}}` for a brace".into(),
                        span: i..i + 1,
                    });
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The probes it shows.
    pub fn probes(&self) -> Vec<(&str, Span)> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Probe(n, s) => Some((n.as_str(), s.clone())),
                Part::Text(_) => None,
            })
            .collect()
    }

    /// Fills the placeholders (`?` for a value that is unknown or null).
    /// Device text is cut short: it is untrusted.
    pub fn render(&self, lookup: &mut dyn FnMut(&str) -> Fact) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Probe(n, _) => match lookup(n) {
                    Fact::Value(Value::Null) | Fact::Missing => out.push('?'),
                    Fact::Value(Value::String(s)) => out.extend(s.chars().take(40)),
                    Fact::Value(Value::Number(x)) => out.push_str(&x.to_string()),
                    Fact::Value(Value::Bool(b)) => out.push_str(if b { "yes" } else { "no" }),
                    Fact::Value(_) => out.push('?'),
                },
            }
        }
        out
    }
}
