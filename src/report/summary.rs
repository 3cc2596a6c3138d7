//! The few lines shown on the terminal at the end of a session: for a
//! customer, the ending of [`super::ending`] (outcome, case reference, what
//! to do next, where the report is and how to send it: words to read
//! aloud); for a technician, the verdict, level, criterion, findings and
//! each step's readings ([`super::summary_tech`]). Pure: returns a string,
//! the caller prints it.
//! Every device or person string is passed through `escape::one_line` so
//! terminal escape sequences in device data are shown, not obeyed.

use super::model::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// Who reads what pawdiag says: a summary, a report's wording, the
/// `audience` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// A pet owner at home: plain words, one step at a time.
    Customer,
    /// A support technician at a bench: raw values, codes, transcript.
    Technician,
}

impl Audience {
    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Customer => "customer",
            Audience::Technician => "technician",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Audience {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "customer" => Ok(Audience::Customer),
            "technician" | "tech" => Ok(Audience::Technician),
            other => Err(format!(
                "`{other}` is not an audience (customer or technician)"
            )),
        }
    }
}

/// The end-of-session summary. `saved_at` is where the report was written.
/// Customer sentences are not wrapped; the technician's fit 100 columns.
pub fn summary(report: &Report, audience: Audience, saved_at: Option<&Path>) -> String {
    match audience {
        Audience::Customer => customer(report, saved_at),
        Audience::Technician => {
            super::summary_tech::technician(report, saved_at, crate::table::PIPED_WIDTH)
        }
    }
}

/// The end-of-session summary fitted to `width` columns (sentences
/// wrapped at spaces, tables wrapped in their text columns).
pub fn summary_fit(
    report: &Report,
    audience: Audience,
    saved_at: Option<&Path>,
    width: usize,
) -> String {
    match audience {
        Audience::Customer => {
            let text = customer(report, None);
            let mut wrapped: Vec<String> = text
                .split('\n')
                .map(|l| crate::table::wrap_words(l, width, &hanging_indent(l)))
                .collect();
            if let Some(path) = saved_at {
                // A path is one long word: name and folder on lines of their own.
                let at = super::summary_tech::path_lines("Your report is saved as", path, width);
                wrapped.insert(
                    wrapped.len().saturating_sub(1),
                    format!("{at}(support may ask you for it)."),
                );
            }
            wrapped.join("\n")
        }
        Audience::Technician => super::summary_tech::technician(report, saved_at, width),
    }
}

fn customer(r: &Report, saved_at: Option<&Path>) -> String {
    super::ending::customer(
        r,
        &super::ending::Handover {
            saved: saved_at.map(Path::to_path_buf).into_iter().collect(),
            sent: None,
        },
    )
}

/// The indent a wrapped line continues at: under the text of a list item
/// (`  1. …` → 5 spaces), else under the line's own start.
fn hanging_indent(line: &str) -> String {
    let lead = line.len() - line.trim_start().len();
    let rest = line.trim_start();
    let marker = rest
        .split_once(". ")
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .map_or(0, |(n, _)| n.len() + 2);
    " ".repeat(lead + marker)
}
