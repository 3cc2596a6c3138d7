//! A device's status in words a technician reads at a glance, shared by
//! `info`, `watch` and the technician's end-of-session summary: each status method's answer becomes labelled lines
//! ("GPS: 3D fix, 9 satellites, signal 38.5 dB-Hz (good), last fix 12 s
//! ago"), each part judged against the ranges the flows use, so failing or
//! out-of-range values are marked in words (and coloured by the caller when
//! colour is on). Raw keys never appear here; they stay in `--json` and in
//! the transcript at `-vv`. Device text is cleaned of control characters.
//! Pure: nothing here prints.

mod common;
mod fact;
mod healthmonitor;
mod pettracker;
mod smartcollar;
pub mod vitals;

pub use common::{component_name, words};
pub use fact::{fact_label, fact_text, keys_in_words};
pub use pettracker::zones;

use serde_json::Value;

/// How a value is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// Nothing to judge.
    Plain,
    /// Within the range the flows call good.
    Good,
    /// Worth a look: weak, worn, low.
    Warn,
    /// Failing or out of range.
    Bad,
}

/// One reading, with its judgement already in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What is shown, e.g. `signal 38.5 dB-Hz (good)`.
    pub text: String,
    /// How it was judged.
    pub mark: Mark,
}

/// One labelled line: `GPS` and its readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// What the line is about, e.g. `GPS`.
    pub label: String,
    /// Its readings, in reading order.
    pub parts: Vec<Part>,
}

impl Line {
    fn new(label: &str) -> Self {
        Self {
            label: label.to_string(),
            parts: Vec::new(),
        }
    }

    /// Adds an unjudged part (skipped when empty).
    fn plain(&mut self, text: impl Into<String>) -> &mut Self {
        self.mark(text, Mark::Plain)
    }

    /// Adds a part with a judgement (skipped when empty).
    fn mark(&mut self, text: impl Into<String>, mark: Mark) -> &mut Self {
        let text = text.into();
        if !text.is_empty() {
            self.parts.push(Part { text, mark });
        }
        self
    }

    /// Adds `text (word)`, judged by `judge`, or just `text` when the
    /// judgement has no word.
    fn judged(&mut self, text: String, judge: Option<(&str, Mark)>) -> &mut Self {
        match judge {
            Some((word, mark)) if !word.is_empty() => self.mark(format!("{text} ({word})"), mark),
            Some((_, mark)) => self.mark(text, mark),
            None => self.plain(text),
        }
    }

    /// Adds a number field, shown by `show` (given the number as written)
    /// and judged by `judge`; nothing when the field is missing or null.
    fn number(
        &mut self,
        v: &Value,
        key: &str,
        show: impl Fn(&str) -> String,
        judge: impl Fn(f64) -> Option<(&'static str, Mark)>,
    ) -> &mut Self {
        match (num(v, key), num_text(v, key)) {
            (Some(x), Some(t)) => self.judged(show(&t), judge(x)),
            _ => self,
        }
    }

    /// The worst judgement on the line.
    pub fn worst(&self) -> Mark {
        self.parts
            .iter()
            .map(|p| p.mark)
            .max()
            .unwrap_or(Mark::Plain)
    }

    /// The readings joined with `sep`.
    pub fn text(&self, sep: &str) -> String {
        self.parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// The lines for one method's answer. Methods this module does not know
/// (a newer interface) are shown with their keys turned into words.
pub fn lines(method: &str, v: &Value) -> Vec<Line> {
    match method {
        "battery.status" => vec![common::battery(v)],
        "settings.get" => vec![common::settings(v)],
        "gps.status" => vec![pettracker::gps(v)],
        "link.status" => pettracker::link(v),
        "geofence.list" => vec![pettracker::geofences(v)],
        "sensors.status" => healthmonitor::sensors(v),
        "sync.status" => vec![healthmonitor::sync(v)],
        "alerts.config" => vec![healthmonitor::alerts(v)],
        "led.status" => vec![smartcollar::led(v)],
        "training.status" => vec![smartcollar::training(v)],
        "fit.status" => vec![smartcollar::fit(v)],
        "integration.status" => vec![smartcollar::integration(v)],
        other => vec![common::generic(&common::method_label(other), v)],
    }
}

/// What a method is about, for messages ("GPS status could not be read").
pub fn method_label(method: &str) -> String {
    common::method_label(method)
}

/// The order status methods are shown in: battery first, settings last.
pub fn order(method: &str) -> u8 {
    match method {
        "battery.status" => 0,
        "settings.get" => 9,
        "geofence.list" | "alerts.config" | "integration.status" => 5,
        _ => 1,
    }
}

// ------------------------------------------------------------ field access

/// Device text made safe for a terminal: control characters, including
/// escape sequences, become `�`.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// A field as text, cleaned; `None` when missing or null.
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::Null => None,
        Value::String(t) => Some(clean(t)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(clean(&other.to_string())),
    }
}

/// A numeric field.
fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

/// A numeric field as it was written (`38.5`, `9`), for display.
fn num_text(v: &Value, key: &str) -> Option<String> {
    v.get(key).filter(|x| x.is_number()).map(Value::to_string)
}

/// A boolean field.
fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

/// A nested object, or null.
fn obj<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// Good at or above `good`, otherwise `low` with `mark` (the flows'
/// quality thresholds: signal and contact quality 60%).
fn at_least(
    good: f64,
    low: &'static str,
    mark: Mark,
) -> impl Fn(f64) -> Option<(&'static str, Mark)> {
    move |x| {
        Some(if x >= good {
            ("good", Mark::Good)
        } else {
            (low, mark)
        })
    }
}

/// Good, fair or poor by two limits (higher is better).
fn graded(good: f64, fair: f64, poor: Mark) -> impl Fn(f64) -> Option<(&'static str, Mark)> {
    move |x| {
        Some(if x >= good {
            ("good", Mark::Good)
        } else if x >= fair {
            ("fair", Mark::Plain)
        } else {
            ("poor", poor)
        })
    }
}

/// An age in seconds, in words a person reads at a glance.
pub fn age(seconds: Option<u64>) -> String {
    match seconds {
        None => "—".into(),
        Some(n) if n < 120 => format!("{n} s ago"),
        Some(n) if n < 7200 => format!("{} min ago", n / 60),
        Some(n) if n < 172_800 => format!("{} h ago", n / 3600),
        Some(n) => format!("{} days ago", n / 86_400),
    }
}

/// A duration in seconds as `1 h 5 min`, `3 min`, `45 s`, `2 days 3 h`.
pub fn duration(seconds: u64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} day{} {h} h", if d == 1 { "" } else { "s" }),
    }
}

#[cfg(test)]
mod tests;
