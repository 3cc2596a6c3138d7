//! The manifest of a batch run (a returns centre's list of devices): which
//! device, which flow (none for the full sweep), which ticket, and the
//! answers to give its questions. Written as CSV with a header row, or as
//! TOML (`[[device]]` tables) when the file name ends in `.toml`.
//!
//! CSV columns (any order, names case-insensitive):
//! - `device` (required): an address, or `auto-all` for every attached device;
//! - `flow`: a flow id, empty for the full sweep;
//! - `ticket`: the support ticket reference;
//! - `answers`: an answers file (relative to the manifest's directory);
//! - `answer:<node-id>`: the answer to one question of the flow.
//!
//! Every error names the file and line and says what to write instead.
//! Nothing here opens a device.

use crate::address::Address;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The `device` value that stands for every attached device.
pub const AUTO_ALL: &str = "auto-all";
/// Most rows a manifest may have (a returns centre's day, with room to spare).
pub const MAX_ROWS: usize = 10_000;
/// Longest ticket reference.
pub const MAX_TICKET: usize = 64;
/// Longest flow id.
pub const MAX_FLOW_ID: usize = 100;
/// Longest answer value.
pub const MAX_ANSWER: usize = 200;

/// Which device a row is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// One device.
    Address(Address),
    /// Every attached device (resolved when the batch starts).
    AutoAll,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Address(a) => a.fmt(f),
            Target::AutoAll => f.write_str(AUTO_ALL),
        }
    }
}

/// One row of the manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line in the file where the row starts (1-based; for TOML, the line of its `[[device]]`).
    pub line: usize,
    /// The device.
    pub target: Target,
    /// Flow id; `None` for the full sweep of the device's model.
    pub flow: Option<String>,
    /// Ticket reference.
    pub ticket: Option<String>,
    /// Answers file, resolved against the manifest's directory.
    pub answers_file: Option<PathBuf>,
    /// Answers given in the manifest, by question node id.
    pub answers: BTreeMap<String, String>,
}

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The file it came from.
    pub path: PathBuf,
    /// Its rows, in file order.
    pub rows: Vec<Row>,
}

/// A malformed manifest: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ManifestError {
    /// The file.
    pub path: PathBuf,
    /// The line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

const CSV_HINT: &str = "the first line names the columns, e.g. `device,flow,ticket`, then one device per line, e.g. `sim:pettracker,pettracker/gps-not-working,T-1001`";

impl Manifest {
    /// Reads and parses a manifest file (TOML when it ends in `.toml`, CSV otherwise).
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let bytes = std::fs::read(path).map_err(|e| ManifestError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read the manifest: {e}"),
            hint: "check the path; a manifest is a CSV file with a header row (or a .toml file)"
                .into(),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            ManifestError {
                path: path.to_path_buf(),
                line: Some(line),
                message: "the manifest is not UTF-8 text".into(),
                hint: "save the file as UTF-8 (CSV UTF-8 in a spreadsheet's Save As)".into(),
            }
        })?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if is_toml {
            parse_toml(&text, path)
        } else {
            parse_csv(&text, path)
        }
    }

    /// The answers file paths of every row, so a caller can check they exist.
    pub fn answers_files(&self) -> impl Iterator<Item = (&Row, &Path)> {
        self.rows
            .iter()
            .filter_map(|r| r.answers_file.as_deref().map(|p| (r, p)))
    }
}

fn err(
    path: &Path,
    line: usize,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> ManifestError {
    ManifestError {
        path: path.to_path_buf(),
        line: Some(line),
        message: message.into(),
        hint: hint.into(),
    }
}

/// Checks one row's values and turns them into a [`Row`].
struct Fields<'a> {
    device: Option<&'a str>,
    flow: Option<&'a str>,
    ticket: Option<&'a str>,
    answers: Option<&'a str>,
    answer_cols: Vec<(&'a str, &'a str)>,
}

fn printable(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

fn build_row(path: &Path, line: usize, f: Fields<'_>) -> Result<Row, ManifestError> {
    let device = f.device.map(str::trim).unwrap_or_default();
    let target = if device.is_empty() {
        return Err(err(
            path,
            line,
            "the device is empty",
            format!(
                "give an address (serial:{}, ble:PawCore-PT-0001, sim:pettracker) or auto-all",
                crate::platform::Os::current().example_port()
            ),
        ));
    } else if device.eq_ignore_ascii_case(AUTO_ALL) {
        Target::AutoAll
    } else {
        match device.parse::<Address>() {
            Ok(Address::Auto) => {
                return Err(err(
                    path,
                    line,
                    "`auto` picks one device, and a batch never asks which",
                    "write auto-all for every attached device, or name the device",
                ));
            }
            Ok(a) => Target::Address(a),
            Err(e) => return Err(err(path, line, e.to_string(), e.hint())),
        }
    };
    let flow = match f.flow.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => {
            let ok = id.len() <= MAX_FLOW_ID
                && id.contains('/')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_/.".contains(c));
            if !ok {
                return Err(err(
                    path,
                    line,
                    format!("`{}` is not a flow id", id.escape_debug()),
                    "flow ids look like pettracker/gps-not-working (`pawdiag flows list` shows them); leave the column empty for the full sweep",
                ));
            }
            Some(id.to_string())
        }
    };
    let ticket = match f.ticket.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(t) if t.chars().count() > MAX_TICKET || !printable(t) => {
            return Err(err(
                path,
                line,
                "the ticket reference is too long or has control characters",
                format!(
                    "use the ticket number as your helpdesk shows it (at most {MAX_TICKET} characters)"
                ),
            ));
        }
        Some(t) => Some(t.to_string()),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let answers_file = f
        .answers
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|p| base.join(p));
    let mut answers = BTreeMap::new();
    for (node, value) in f.answer_cols {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if value.chars().count() > MAX_ANSWER || !printable(value) {
            return Err(err(
                path,
                line,
                format!("the answer to `{node}` is too long or has control characters"),
                "answers are short values such as yes, no or an option's value",
            ));
        }
        answers.insert(node.to_string(), value.to_string());
    }
    Ok(Row {
        line,
        target,
        flow,
        ticket,
        answers_file,
        answers,
    })
}

enum Column {
    Device,
    Flow,
    Ticket,
    Answers,
    Answer(String),
}

fn column(name: &str) -> Option<Column> {
    let n = name.trim();
    let lower = n.to_ascii_lowercase();
    // A spreadsheet may put a byte-order mark before the first header.
    let lower = lower.trim_start_matches('\u{feff}');
    match lower {
        "device" => Some(Column::Device),
        "flow" => Some(Column::Flow),
        "ticket" => Some(Column::Ticket),
        "answers" => Some(Column::Answers),
        _ => {
            let node = n.trim_start_matches('\u{feff}');
            let node = node
                .get(..7)
                .filter(|p| p.eq_ignore_ascii_case("answer:"))
                .map(|_| node[7..].trim())?;
            let valid = !node.is_empty()
                && node.len() <= 100
                && node
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            valid.then(|| Column::Answer(node.to_string()))
        }
    }
}

/// Parses CSV text.
pub fn parse_csv(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(path, text, &e))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(err(path, 1, "the manifest is empty", CSV_HINT));
    }
    let mut cols = Vec::new();
    for h in headers.iter() {
        match column(h) {
            Some(c) => cols.push(c),
            None => {
                return Err(err(
                    path,
                    1,
                    format!("unknown column `{}`", h.escape_debug()),
                    "columns are device, flow, ticket, answers and answer:<question-id>",
                ));
            }
        }
    }
    if !cols.iter().any(|c| matches!(c, Column::Device)) {
        return Err(err(path, 1, "there is no `device` column", CSV_HINT));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, text, &e))?;
        // csv's position is where it started reading, before any comment or
        // blank lines it skipped: step over those to the record itself.
        let line = rec
            .position()
            .map_or(0, |p| line_at(text, skip_filler(text, p.byte() as usize)));
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(err(
                path,
                line,
                format!("the manifest has more than {MAX_ROWS} devices"),
                "split it into several manifests",
            ));
        }
        let mut f = Fields {
            device: None,
            flow: None,
            ticket: None,
            answers: None,
            answer_cols: Vec::new(),
        };
        for (c, value) in cols.iter().zip(rec.iter()) {
            match c {
                Column::Device => f.device = Some(value),
                Column::Flow => f.flow = Some(value),
                Column::Ticket => f.ticket = Some(value),
                Column::Answers => f.answers = Some(value),
                Column::Answer(node) => f.answer_cols.push((node.as_str(), value)),
            }
        }
        rows.push(build_row(path, line, f)?);
    }
    if rows.is_empty() {
        return Err(err(path, 1, "the manifest lists no devices", CSV_HINT));
    }
    Ok(Manifest {
        path: path.to_path_buf(),
        rows,
    })
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The offset of the first line at or after `offset` that is neither blank
/// nor a `#` comment.
fn skip_filler(text: &str, mut offset: usize) -> usize {
    while let Some(rest) = text.get(offset..) {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        if end == 0 || !(line.trim().is_empty() || line.starts_with('#')) {
            break;
        }
        offset += end;
    }
    offset
}

fn csv_error(path: &Path, text: &str, e: &csv::Error) -> ManifestError {
    let line = e
        .position()
        .map_or(1, |p| line_at(text, skip_filler(text, p.byte() as usize)));
    let (message, hint) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("this line has {len} fields but the header has {expected_len}"),
            "give every line as many comma-separated fields as the header (empty fields are fine); quote values that contain commas".to_string(),
        ),
        csv::ErrorKind::Utf8 { .. } => (
            "the manifest is not UTF-8 text".into(),
            "save the file as UTF-8".into(),
        ),
        _ => (e.to_string(), CSV_HINT.into()),
    };
    err(path, line, message, hint)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlManifest {
    #[serde(default)]
    device: Vec<toml::Spanned<TomlRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRow {
    device: String,
    #[serde(default)]
    flow: Option<String>,
    #[serde(default)]
    ticket: Option<String>,
    #[serde(default)]
    answers: Option<String>,
    #[serde(default)]
    answer: BTreeMap<String, String>,
}

/// Parses TOML text: `[[device]]` tables with `device`, `flow`, `ticket`,
/// `answers` and an `[device.answer]` table.
pub fn parse_toml(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let parsed: TomlManifest = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(s.start));
        err(
            path,
            line,
            e.message().trim().to_string(),
            "write one [[device]] table per device with device = \"…\" and optionally flow, ticket, answers and an [device.answer] table",
        )
    })?;
    if parsed.device.is_empty() {
        return Err(err(
            path,
            1,
            "the manifest lists no devices",
            "add a [[device]] table with device = \"sim:pettracker\"",
        ));
    }
    if parsed.device.len() > MAX_ROWS {
        return Err(err(
            path,
            1,
            format!("the manifest has more than {MAX_ROWS} devices"),
            "split it into several manifests",
        ));
    }
    let mut rows = Vec::new();
    for spanned in &parsed.device {
        let line = line_of(spanned.span().start);
        let r = spanned.get_ref();
        for node in r.answer.keys() {
            if column(&format!("answer:{node}")).is_none() {
                return Err(err(
                    path,
                    line,
                    format!("`{}` is not a question id", node.escape_debug()),
                    "question ids are letters, digits, -, _ and .",
                ));
            }
        }
        let f = Fields {
            device: Some(&r.device),
            flow: r.flow.as_deref(),
            ticket: r.ticket.as_deref(),
            answers: r.answers.as_deref(),
            answer_cols: r
                .answer
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        };
        rows.push(build_row(path, line, f)?);
    }
    Ok(Manifest {
        path: path.to_path_buf(),
        rows,
    })
}

#[cfg(test)]
mod tests;
