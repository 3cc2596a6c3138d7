//! Lint and load diagnostics: `file:line:col: error: message`, with byte
//! offsets turned into 1-based lines and character columns.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The flow cannot be used until it is fixed.
    Error,
    /// Probably a mistake; the flow still runs.
    Warning,
}

/// One finding in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given (relative to the flows directory, or `embedded:…`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}: {}",
            self.file, self.line, self.col, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut off = offset;
    while off > 0 && !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..off].chars().count() + 1;
    (line, col)
}

/// Collects diagnostics for one file.
#[derive(Debug, Clone)]
pub struct Diags {
    file: String,
    text: Arc<str>,
    /// The findings so far.
    pub items: Vec<Diagnostic>,
}

impl Diags {
    /// A collector for `file` whose text is `text`.
    pub fn new(file: impl Into<String>, text: Arc<str>) -> Self {
        Self {
            file: file.into(),
            text,
            items: Vec::new(),
        }
    }

    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The file's text.
    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// Adds a finding at a byte offset.
    pub fn push(
        &mut self,
        severity: Severity,
        at: usize,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let (line, col) = line_col(&self.text, at);
        self.items.push(Diagnostic {
            severity,
            file: self.file.clone(),
            line,
            col,
            message: message.into(),
            hint,
        });
    }

    /// Adds an error.
    pub fn error(&mut self, at: usize, message: impl Into<String>) {
        self.push(Severity::Error, at, message, None);
    }

    /// Adds an error with a hint.
    pub fn error_hint(&mut self, at: usize, message: impl Into<String>, hint: impl Into<String>) {
        self.push(Severity::Error, at, message, Some(hint.into()));
    }

    /// Adds a warning.
    pub fn warn(&mut self, at: usize, message: impl Into<String>) {
        self.push(Severity::Warning, at, message, None);
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// The byte offset, in the file, of position `inner` of a string value
    /// whose TOML token (quotes included) spans `token`. Exact when the
    /// string has no escapes; otherwise the string's start.
    pub fn offset_in_string(
        &self,
        token: &std::ops::Range<usize>,
        value: &str,
        inner: usize,
    ) -> usize {
        let raw = self.text.get(token.clone()).unwrap_or("");
        for open in ["\"\"\"", "'''", "\"", "'"] {
            if let Some(rest) = raw.strip_prefix(open) {
                let rest_trim = rest.strip_prefix('\n').unwrap_or(rest);
                let skip = open.len() + (rest.len() - rest_trim.len());
                if rest_trim.starts_with(value) {
                    return token.start + skip + inner.min(value.len());
                }
                return token.start;
            }
        }
        token.start
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let t = "ab\ncd€f\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (2, 4)); // after the 3-byte euro sign
        assert_eq!(line_col(t, 100), (3, 1));
    }

    #[test]
    fn offsets_inside_strings() {
        let text: Arc<str> = "when = \"a < 3\"\n".into();
        let d = Diags::new("f.toml", text);
        assert_eq!(d.offset_in_string(&(7..14), "a < 3", 4), 12);
        let text: Arc<str> = "when = \"a \\\"x\\\"\"\n".into();
        let d = Diags::new("f.toml", text);
        assert_eq!(d.offset_in_string(&(7..16), "a \"x\"", 3), 7);
    }
}
