//! Diagnostic reports: what a Tier 2 technician attaches to a ticket, what
//! Tier 3 engineering reads, and what a customer hands to support.
//!
//! One data model ([`model::Report`], serialised as the JSON report) is built
//! from a flow session, the device's identity and the protocol transcript
//! ([`build`]); personal data is redacted on the way in unless asked for
//! ([`redact`]). Renderers are pure functions of the model ([`render`]):
//! JSON, Markdown for pasting into a ticket, and one self-contained HTML
//! file. A SHA-256 digest over the canonical content makes alteration
//! evident ([`digest`]); reports are written atomically ([`store`]). A short
//! terminal summary for the end of a session comes from [`summary`].
//!
//! Nothing here prints or reads a device.

mod build;
pub mod diff;
pub mod digest;
pub mod ending;
mod escalation;
pub mod escape;
mod findings;
pub mod history;
mod html;
mod markdown;
pub mod model;
pub mod redact;
mod relay_text;
pub mod share;
pub mod sla;
pub mod store;
pub mod summary;
mod summary_tech;
pub use summary_tech::{PET_BANNER, SAFETY_BANNER};
pub mod text;

use chrono::{DateTime, Utc};
use model::*;
use std::fmt;

pub use build::{BuildError, BuildOptions, CustomerInfo, DeviceData, Inputs, build};
pub use digest::{LoadError, Verification, load, verify};
pub use ending::{Handover, case_reference};
pub use store::{WriteError, default_path, free_path_in, report_dir, write_atomic};
pub use summary::{Audience, summary, summary_fit};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The report itself, pretty-printed JSON.
    Json,
    /// Markdown that pastes cleanly into a ticket.
    Markdown,
    /// One self-contained HTML file.
    Html,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 3] = [Format::Json, Format::Markdown, Format::Html];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }

    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }

    /// `json`, `md`/`markdown`, `html`/`htm`.
    pub fn parse(s: &str) -> Option<Format> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The format a file name's extension names.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Renders a report. Pure: the same report always gives the same text.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => render_json(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// `2026-11-20 16:00:05 UTC`.
pub(crate) fn when(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `2026-11-20 16:00:05 UTC`, for messages outside the renderers.
pub fn when_text(t: &DateTime<Utc>) -> String {
    when(t)
}

/// `Fri 2026-11-20 16:00 UTC`, for due times.
pub(crate) fn due_text(t: &DateTime<Utc>) -> String {
    t.format("%a %Y-%m-%d %H:%M UTC").to_string()
}

/// A raw value for display: strings bare, everything else as compact JSON.
pub(crate) fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value with its unit: `78%`, `24.5 °C`, `1440`.
pub(crate) fn with_unit(v: &serde_json::Value, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !v.is_null() && u == "%" => format!("{}%", value_text(v)),
        Some(u) if !v.is_null() => format!("{} {u}", value_text(v)),
        _ => value_text(v),
    }
}

/// The readings of a step as `name = value` pairs.
pub(crate) fn readings_text(values: &[Reading]) -> String {
    values
        .iter()
        .map(|r| match &r.error {
            Some(e) => format!("{} = (not read: {e})", r.name),
            None => format!("{} = {}", r.name, with_unit(&r.value, r.unit.as_deref())),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One transcript line as text: time offset, clock, direction, kind, line.
pub(crate) fn transcript_text(l: &TranscriptLine) -> String {
    let dir = match l.dir {
        Direction::Tx => "tx",
        Direction::Rx => "rx",
        Direction::Note => "--",
    };
    let kind = serde_json::to_value(l.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{:>10.1} ms  {}  {dir} {kind:<8} {}{}",
        l.t_ms,
        l.at.format("%H:%M:%S%.3f"),
        l.text,
        if l.redacted {
            "   [redacted: CRC no longer matches]"
        } else {
            ""
        }
    )
}

/// The JSON report, pretty-printed, with a final newline.
fn render_json(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail; fall back to the
    // compact form rather than panic should it ever.
    let mut s = serde_json::to_string_pretty(report)
        .or_else(|_| serde_json::to_string(report))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// The report as embedded in Markdown and HTML: compact JSON with `<`, `>`
/// and `&` escaped (same value, cannot break out of its container).
pub(crate) fn embedded_json(report: &Report) -> String {
    escape::json_for_embedding(&serde_json::to_string(report).unwrap_or_default())
}
