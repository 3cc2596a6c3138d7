//! Privacy by default (GDPR/CCPA, device interface §9.8): before a report is
//! built, personal data is coarsened or removed unless the user passed
//! `--include-personal-data`.
//!
//! - GPS coordinates (`lat`/`lon` keys anywhere in device data, facts named
//!   `….lat`/`….lon`, the `gps.fix` event, geofences) are rounded to 2
//!   decimals, about 1 km.
//! - Geofence names ("Home") are removed.
//! - The customer's e-mail and phone are masked (`j***@example.com`,
//!   `+44 ••• ••• 89`), and so is anything that looks like an e-mail address
//!   or phone number in free text (notes, answers, device log messages).
//! - In free text, decimal numbers with 3 or more decimals that could be a
//!   coordinate are rounded to 2 decimals (a technician loses the third
//!   decimal of a voltage written in a note; a customer keeps their address).
//!
//! Free-text detection is a heuristic and errs towards redacting. The
//! [`Redactor`] counts what it did so the report can say so.

use super::model::{Redaction, TranscriptLine};
use crate::client::Entry;
use serde_json::Value;

/// What a geofence name is replaced with.
/// (The same word `pawdiag info` uses, see [`crate::privacy`].)
pub const REMOVED: &str = "(hidden)";

/// Applies the redaction rules and counts what it changed.
#[derive(Debug, Default)]
pub struct Redactor {
    /// When true, nothing is redacted (`--include-personal-data`).
    pub include_personal_data: bool,
    coords: u32,
    geofence_names: u32,
    emails: u32,
    phones: u32,
    text_numbers: u32,
    lines: u32,
}

impl Redactor {
    /// A redactor; `include_personal_data` turns it into a no-op.
    pub fn new(include_personal_data: bool) -> Self {
        Self {
            include_personal_data,
            ..Self::default()
        }
    }

    /// What was done, for the report's `privacy.redactions`.
    pub fn summary(&self) -> Vec<Redaction> {
        let mut out = Vec::new();
        let mut add = |what: &str, how: &str, count: u32| {
            if count > 0 {
                out.push(Redaction {
                    what: what.into(),
                    how: how.into(),
                    count,
                });
            }
        };
        add(
            "GPS coordinates (gps.status, gps.fix, geofences)",
            "rounded to 2 decimals (about 1 km)",
            self.coords,
        );
        add("geofence names", "hidden", self.geofence_names);
        add(
            "e-mail addresses",
            "masked to the first letter and the domain",
            self.emails,
        );
        add(
            "phone numbers",
            "masked to the country code and the last 2 digits",
            self.phones,
        );
        add(
            "numbers in free text that could be coordinates",
            "rounded to 2 decimals",
            self.text_numbers,
        );
        add(
            "protocol transcript lines",
            "personal data removed inside the JSON; their CRC no longer matches",
            self.lines,
        );
        out
    }

    /// The customer's e-mail, masked.
    pub fn email(&mut self, s: &str) -> String {
        if self.include_personal_data {
            return s.to_string();
        }
        self.emails += 1;
        mask_email(s.trim())
    }

    /// The customer's phone number, masked.
    pub fn phone(&mut self, s: &str) -> String {
        if self.include_personal_data {
            return s.to_string();
        }
        self.phones += 1;
        mask_phone(s.trim())
    }

    /// Free text from a person or a device.
    pub fn text(&mut self, s: &str) -> String {
        if self.include_personal_data {
            return s.to_string();
        }
        let (s, n) = coarsen_numbers_in_text(s);
        self.text_numbers += n;
        let (s, n) = mask_emails_in_text(&s);
        self.emails += n;
        let (s, n) = mask_phones_in_text(&s);
        self.phones += n;
        s
    }

    /// Optional free text.
    pub fn opt_text(&mut self, s: Option<&str>) -> Option<String> {
        s.map(|s| self.text(s))
    }

    /// A fact read from the device: its name says what the value is (e.g.
    /// `gps.lat`), so it serves as the key for the top level.
    pub fn fact(&mut self, name: &str, value: &Value) -> Value {
        let mut v = value.clone();
        if self.include_personal_data {
            return v;
        }
        let last = name.rsplit(['.', '/']).next().unwrap_or(name);
        let geofence_name =
            name.to_ascii_lowercase().contains("geofence") && matches!(last, "name" | "names");
        if geofence_name {
            self.remove_strings(&mut v);
        } else {
            self.value(&mut v, Some(last));
        }
        v
    }

    /// Redacts a JSON value in place; `key` is the object key it sits under.
    pub fn value(&mut self, v: &mut Value, key: Option<&str>) {
        if self.include_personal_data {
            return;
        }
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "geofences" {
                        self.geofences(child);
                    } else {
                        self.value(child, Some(k));
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.value(item, key);
                }
            }
            Value::Number(n) if key.is_some_and(is_coord_key) => {
                if let Some(x) = n.as_f64() {
                    self.coords += 1;
                    *v = coarse_number(x);
                }
            }
            Value::String(s) => {
                if key.is_some_and(is_coord_key)
                    && let Ok(x) = s.trim().parse::<f64>()
                {
                    self.coords += 1;
                    *s = format!("{:.2}", coarsen(x));
                } else {
                    *s = self.text(s);
                }
            }
            _ => {}
        }
    }

    fn geofences(&mut self, v: &mut Value) {
        if let Value::Array(items) = v {
            for item in items.iter_mut() {
                if let Value::Object(g) = item
                    && let Some(name) = g.get_mut("name")
                    && !name.is_null()
                {
                    self.geofence_names += 1;
                    *name = Value::String(REMOVED.into());
                }
            }
        }
        self.value(v, Some("geofences"));
    }

    fn remove_strings(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => {
                self.geofence_names += 1;
                *s = REMOVED.into();
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.remove_strings(i)),
            _ => {}
        }
    }

    /// One transcript line. Protocol lines are `<JSON>*<CRC>`: the JSON part
    /// is parsed, redacted and written again, and the line is flagged because
    /// its CRC no longer matches. Other lines are treated as free text.
    pub fn transcript_line(&mut self, e: &Entry) -> TranscriptLine {
        let mut line = TranscriptLine {
            t_ms: e.t_ms,
            at: e.at,
            dir: e.dir,
            kind: e.kind,
            text: e.text.clone(),
            redacted: false,
        };
        if self.include_personal_data {
            return line;
        }
        let (json_part, crc_part) = match e.text.rfind('*') {
            Some(i) if e.text.starts_with('{') => (&e.text[..i], Some(&e.text[i..])),
            _ => (e.text.as_str(), None),
        };
        let parsed = if json_part.starts_with('{') {
            serde_json::from_str::<Value>(json_part).ok()
        } else {
            None
        };
        let new_text = match parsed {
            Some(original) => {
                let mut v = original.clone();
                self.value(&mut v, None);
                if v == original {
                    None
                } else {
                    Some(format!("{v}{}", crc_part.unwrap_or("")))
                }
            }
            None => {
                let t = self.text(&e.text);
                (t != e.text).then_some(t)
            }
        };
        if let Some(t) = new_text {
            self.lines += 1;
            line.text = t;
            line.redacted = true;
        }
        line
    }
}

fn is_coord_key(k: &str) -> bool {
    matches!(
        k.to_ascii_lowercase().as_str(),
        "lat" | "lon" | "lng" | "long" | "latitude" | "longitude"
    )
}

/// Rounds to 2 decimals (about 1.1 km of latitude), as [`crate::privacy`] does.
pub fn coarsen(x: f64) -> f64 {
    crate::privacy::coarsen(x)
}

fn coarse_number(x: f64) -> Value {
    serde_json::Number::from_f64(coarsen(x))
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// `jane.doe@example.com` → `j***@example.com`.
pub fn mask_email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".into(),
    }
}

/// `+44 7700 900089` → `+44 ••• ••• 89`; without a country code,
/// `••• ••• 89`.
pub fn mask_phone(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let last: String = if digits.len() >= 6 {
        digits[digits.len() - 2..].iter().collect()
    } else {
        String::new()
    };
    let prefix = if let Some(rest) = s.trim_start().strip_prefix('+') {
        let cc: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .take(3)
            .collect();
        // A number written without spaces has no visible country code: keep
        // at most the first two digits rather than guess.
        let cc = if rest
            .chars()
            .nth(cc.len())
            .is_some_and(|c| c.is_ascii_digit())
        {
            cc.chars().take(2).collect()
        } else {
            cc
        };
        format!("+{cc} ")
    } else {
        String::new()
    };
    format!("{prefix}••• ••• {last}").trim_end().to_string()
}

fn coarsen_numbers_in_text(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let starts = c.is_ascii_digit()
            && !prev.is_some_and(|p| p.is_alphanumeric() || matches!(p, ':' | '.' | '_'));
        if !starts {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
            j += 1;
        }
        let token: String = chars[i..j].iter().collect();
        let next_ok = !chars
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_');
        let coordinate_like = match token.split_once('.') {
            Some((int, frac)) => {
                !frac.contains('.') && !int.is_empty() && int.len() <= 3 && frac.len() >= 3
            }
            None => false,
        };
        match token.parse::<f64>() {
            Ok(x) if coordinate_like && next_ok && x <= 180.0 => {
                n += 1;
                out.push_str(&format!("{:.2}", coarsen(x)));
            }
            _ => out.push_str(&token),
        }
        i = j;
    }
    (out, n)
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn mask_emails_in_text(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    let mut emitted = 0; // chars[..emitted] are in `out`
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut a = i;
        while a > emitted && is_email_local(chars[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < chars.len() && is_email_domain(chars[b]) {
            b += 1;
        }
        // Trailing dots belong to the sentence, not the domain.
        while b > i + 1 && chars[b - 1] == '.' {
            b -= 1;
        }
        let domain: String = chars[i + 1..b].iter().collect();
        if a < i && domain.contains('.') && !domain.starts_with('.') {
            out.extend(&chars[emitted..a]);
            let addr: String = chars[a..b].iter().collect();
            out.push_str(&mask_email(&addr));
            n += 1;
            emitted = b;
            i = b;
        } else {
            i += 1;
        }
    }
    out.extend(&chars[emitted..]);
    (out, n)
}

fn mask_phones_in_text(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let can_start = (c.is_ascii_digit() || c == '+' || c == '(')
            && !prev.is_some_and(|p| {
                p.is_alphanumeric() || matches!(p, '.' | ':' | '-' | '/' | '*' | '_')
            });
        if !can_start {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len()
            && (chars[j].is_ascii_digit() || matches!(chars[j], ' ' | '-' | '.' | '(' | ')'))
        {
            j += 1;
        }
        // Give back trailing separators.
        while j > i + 1 && !chars[j - 1].is_ascii_digit() {
            j -= 1;
        }
        let run: String = chars[i..j].iter().collect();
        let digits = run.chars().filter(|c| c.is_ascii_digit()).count();
        let next_ok = !chars.get(j).is_some_and(|c| c.is_alphanumeric());
        let has_sep = run.chars().any(|c| !c.is_ascii_digit() && c != '+');
        let marked = run.starts_with('+') || run.starts_with('0') || run.starts_with('(');
        if (8..=15).contains(&digits) && next_ok && (has_sep || marked) && !looks_like_date(&run) {
            out.push_str(&mask_phone(&run));
            n += 1;
            i = j;
        } else {
            // Not a phone: copy the run's first character and go on, so a
            // number later in the run can still be found.
            out.push(c);
            i += 1;
            // Skip to the end of this digit group so we don't restart inside it.
            while i < j && chars[i].is_ascii_digit() {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    (out, n)
}

/// `2026-11-23`, `2026.11.23`, `2026-11-23 18` and the like.
fn looks_like_date(run: &str) -> bool {
    let groups: Vec<&str> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 3 && groups[0].len() == 4 && groups[1].len() <= 2 && groups[2].len() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_contact_details() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(mask_email("not an address"), "***");
        assert_eq!(mask_phone("+44 7700 900089"), "+44 ••• ••• 89");
        assert_eq!(mask_phone("07700 900089"), "••• ••• 89");
        assert_eq!(mask_phone("+4477009000891"), "+44 ••• ••• 91");
    }

    #[test]
    fn free_text_loses_emails_phones_and_fine_coordinates() {
        let mut r = Redactor::new(false);
        let t = r.text(
            "Call +44 7700 900089 or mail Jane.Doe+pets@mail.example.org. Dog was at 52.52001, 13.40495 on 2026-11-20; fw 2.4.1, 3.9 V",
        );
        assert!(!t.contains("7700"), "{t}");
        assert!(!t.contains("Jane.Doe"), "{t}");
        assert!(t.contains("J***@mail.example.org."), "{t}");
        assert!(t.contains("52.52, 13.40"), "{t}");
        assert!(
            t.contains("2026-11-20") && t.contains("2.4.1") && t.contains("3.9 V"),
            "{t}"
        );
        assert_eq!(r.summary().len(), 3);
    }

    #[test]
    fn include_personal_data_changes_nothing() {
        let mut r = Redactor::new(true);
        let s = "jane@example.com 52.52001";
        assert_eq!(r.text(s), s);
        assert_eq!(r.fact("gps.lat", &json!(52.52001)), json!(52.52001));
        assert!(r.summary().is_empty());
    }

    #[test]
    fn coordinates_and_geofences_in_device_json() {
        let mut r = Redactor::new(false);
        let mut v = json!({"fix":"3d","lat":52.52001,"lon":13.40495,"geofences":[
            {"id":1,"name":"Home","lat":52.5219,"lon":13.4132,"radius_m":15}]});
        r.value(&mut v, None);
        assert_eq!(
            v,
            json!({"fix":"3d","lat":52.52,"lon":13.4,"geofences":[
            {"id":1,"name":REMOVED,"lat":52.52,"lon":13.41,"radius_m":15}]})
        );
        assert_eq!(r.fact("gps.lat", &json!(-0.127758)), json!(-0.13));
        assert_eq!(
            r.fact("geofence.names", &json!(["Home", "Park"])),
            json!([REMOVED, REMOVED])
        );
        assert_eq!(r.fact("battery.level_pct", &json!(78)), json!(78));
    }

    #[test]
    fn transcript_lines_are_redacted_inside_the_json() {
        let mut r = Redactor::new(false);
        let e = Entry {
            t_ms: 1.0,
            at: chrono::Utc::now(),
            dir: crate::client::Direction::Rx,
            kind: crate::client::EntryKind::Event,
            text: r#"{"event":"gps.fix","data":{"fix":"3d","lat":52.52001,"lon":13.40495}}*1A2B"#
                .into(),
        };
        let l = r.transcript_line(&e);
        assert!(l.redacted);
        assert!(l.text.ends_with("*1A2B"));
        assert!(
            l.text.contains("52.52") && !l.text.contains("52.52001"),
            "{}",
            l.text
        );
        let plain = Entry {
            text: r#"{"id":1,"result":{"level_pct":78}}*ABCD"#.into(),
            ..e
        };
        let l = r.transcript_line(&plain);
        assert!(!l.redacted);
        assert_eq!(l.text, plain.text);
    }
}
