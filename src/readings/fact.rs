//! One fact a flow step read (`battery.level_pct = 78`) in words for the
//! technician's summary: `battery level 78%`, `GPS self-test FAIL`,
//! `GPS antenna open`. A whole method's answer (`gps.status`) is shown as
//! that method's status line. Units come from the probe catalogue.

use super::{clean, component_name, lines, words};
use crate::probe::catalogue;
use serde_json::Value;

/// A fact and its value, in words; `error` when it could not be read.
pub fn fact_text(name: &str, value: &Value, error: Option<&str>) -> String {
    let label = fact_label(name);
    if let Some(e) = error {
        return format!("{label}: not read ({})", keys_in_words(&clean(e)));
    }
    // A whole answer, e.g. the raw `gps.status` a check looked at.
    if value.is_object() {
        let text: Vec<String> = lines(name, value)
            .iter()
            .map(|l| format!("{}: {}", l.label, l.text(", ")))
            .collect();
        return text.join("; ");
    }
    let unit = catalogue::find(name).and_then(|p| p.unit);
    let shown = match value {
        Value::Null => "—".to_string(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if name.starts_with("selftest.") && s == "fail" => "FAIL".into(),
        Value::String(s) => words_of_value(s),
        Value::Number(n) => match unit {
            Some("%") => format!("{n}%"),
            Some(u) => format!("{n} {u}"),
            None => n.to_string(),
        },
        Value::Array(items) => items
            .iter()
            .take(8)
            .map(|i| match i {
                Value::String(s) => clean(s),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(_) => String::new(),
    };
    format!("{label} {shown}")
}

/// A fact name in words: `selftest.gps.code` → `GPS self-test code`,
/// `battery.level_pct` → `battery level`, `link.rssi_dbm` → `link RSSI`.
pub fn fact_label(name: &str) -> String {
    let name = clean(name);
    if let Some(rest) = name.strip_prefix("selftest.") {
        return match rest.split_once('.') {
            Some((component, "code")) => format!("{} self-test code", component_name(component)),
            Some((component, other)) => {
                format!("{} self-test {}", component_name(component), words(other))
            }
            None if rest == "failed_count" => "self-test failures".into(),
            None => format!("{} self-test", component_name(rest)),
        };
    }
    let mut out: Vec<String> = Vec::new();
    for part in name.split('.') {
        for w in words(part).split(' ') {
            out.push(
                match w {
                    "gps" => "GPS",
                    "led" => "LED",
                    "hr" => "heart rate",
                    "rssi" => "RSSI",
                    "hdop" => "HDOP",
                    "cn0" => "signal",
                    "fw" => "firmware",
                    "hw" => "hardware",
                    "bpm" => "heart rate",
                    other => other,
                }
                .to_string(),
            );
        }
    }
    out.retain(|w| !w.is_empty());
    out.join(" ")
}

/// An enum value in words (`no_contact` → `no contact`); codes
/// (`GPS_ANT_OPEN`) stay as they are: they are what a ticket quotes.
fn words_of_value(s: &str) -> String {
    if s.chars().any(|c| c.is_ascii_lowercase()) {
        clean(s).replace('_', " ")
    } else {
        clean(s)
    }
}

/// Probe names, method names and keys in a flow's technician text
/// (`battery.level_pct < 15`, `last_error storage_full`) in words
/// (`battery level < 15`, `last error storage full`): the report keeps them.
pub fn keys_in_words(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let core =
                word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'));
            let core = core.trim_end_matches('.');
            let probe = core.contains('.')
                && (crate::probe::catalogue::find(core).is_some() || core.starts_with("selftest."));
            let method = crate::interface::Model::ALL
                .iter()
                .any(|m| m.has_method(core));
            let snake = core.contains('_') && core.chars().any(|c| c.is_ascii_lowercase());
            if method || probe || snake {
                word.replacen(core, &fact_label(core), 1)
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_read_as_words_with_units() {
        assert_eq!(
            fact_text("battery.level_pct", &json!(78), None),
            "battery level 78%"
        );
        assert_eq!(
            fact_text("battery.charging", &json!(false), None),
            "battery charging no"
        );
        assert_eq!(
            fact_text("selftest.gps", &json!("fail"), None),
            "GPS self-test FAIL"
        );
        assert_eq!(
            fact_text("selftest.gps.code", &json!("GPS_ANT_OPEN"), None),
            "GPS self-test code GPS_ANT_OPEN"
        );
        assert_eq!(
            fact_text("gps.antenna", &json!("open"), None),
            "GPS antenna open"
        );
        assert_eq!(
            fact_text("gps.cn0_avg_dbhz", &json!(38.5), None),
            "GPS signal avg 38.5 dB-Hz"
        );
        assert_eq!(
            fact_text("sync.last_sync_age_s", &json!(40), None),
            "sync last sync age 40 s"
        );
        assert_eq!(
            fact_text("sensors.hr_status", &json!("no_contact"), None),
            "sensors heart rate status no contact"
        );
        assert_eq!(
            fact_text("gps.fix", &Value::Null, Some("timed out")),
            "GPS fix: not read (timed out)"
        );
    }

    #[test]
    fn keys_in_flow_text_become_words() {
        assert_eq!(
            keys_in_words(
                "`led.test_failed` is only known after led.test; last_error storage_full, sync.status."
            ),
            "`LED test failed` is only known after LED test; last error storage full, sync status."
        );
    }

    #[test]
    fn a_whole_answer_reads_as_its_status_line() {
        let t = fact_text(
            "gps.status",
            &json!({"fix":"none","satellites":2,"antenna":"ok"}),
            None,
        );
        assert!(t.starts_with("GPS: no fix, 2 satellites"), "{t}");
        assert!(!t.contains('_'), "{t}");
    }
}
