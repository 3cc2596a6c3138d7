//! Personal data in JSON from a device (and in protocol lines): coordinates
//! under location keys, geofence names, and contact details or coordinates
//! in any string.

use super::{HIDDEN, Policy, Redactor, coarsen};
use serde_json::Value;

/// Whether an object key holds a coordinate.
pub fn is_location_key(k: &str) -> bool {
    matches!(
        k.to_ascii_lowercase().as_str(),
        "lat" | "lon" | "lng" | "long" | "latitude" | "longitude"
    )
}

fn coarse_number(x: f64) -> Value {
    serde_json::Number::from_f64(coarsen(x))
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

impl Redactor {
    /// Redacts a JSON value from a device in place; `key` is the object key
    /// it sits under.
    pub fn value(&mut self, v: &mut Value, key: Option<&str>) {
        if self.policy.keeps_everything() {
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
            Value::Number(n) if !self.policy.location && key.is_some_and(is_location_key) => {
                if let Some(x) = n.as_f64() {
                    let c = coarse_number(x);
                    if c.as_f64() != Some(x) {
                        self.coords += 1;
                        *v = c;
                    }
                }
            }
            Value::String(s) => {
                if !self.policy.location
                    && key.is_some_and(is_location_key)
                    && let Ok(x) = s.trim().parse::<f64>()
                {
                    let c = format!("{:.2}", coarsen(x));
                    if c != *s {
                        self.coords += 1;
                        *s = c;
                    }
                } else {
                    *s = self.text(s);
                }
            }
            _ => {}
        }
    }

    /// JSON objects written into text (a fix's result, a poll's values, a
    /// device's log message) are redacted as JSON, where their keys say
    /// which numbers are coordinates. Texts longer than 64 KiB are taken as
    /// plain text only.
    pub(crate) fn embedded_json(&mut self, s: &str) -> String {
        if !s.contains('{') || s.len() > 64 * 1024 || self.policy.keeps_everything() {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let candidate = &rest[i..];
            let mut stream = serde_json::Deserializer::from_str(candidate).into_iter::<Value>();
            match stream.next() {
                Some(Ok(original @ Value::Object(_))) => {
                    let end = stream.byte_offset();
                    let mut v = original.clone();
                    self.value(&mut v, None);
                    if v == original {
                        out.push_str(&candidate[..end]);
                    } else {
                        out.push_str(&v.to_string());
                    }
                    rest = &candidate[end..];
                }
                _ => {
                    out.push('{');
                    rest = &candidate[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn geofences(&mut self, v: &mut Value) {
        if !self.policy.geofences
            && let Value::Array(items) = v
        {
            for item in items.iter_mut() {
                if let Value::Object(g) = item
                    && let Some(name) = g.get_mut("name")
                    && !name.is_null()
                    && name.as_str() != Some(HIDDEN)
                {
                    self.geofence_names += 1;
                    *name = Value::String(HIDDEN.into());
                }
            }
        }
        self.value(v, Some("geofences"));
    }

    fn hide_strings(&mut self, v: &mut Value) {
        match v {
            Value::String(s) if s != HIDDEN => {
                self.geofence_names += 1;
                *s = HIDDEN.into();
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.hide_strings(i)),
            _ => {}
        }
    }

    /// A fact read from the device: its name says what the value is (e.g.
    /// `gps.lat`), so its last part serves as the key for the top level.
    pub fn fact(&mut self, name: &str, value: &Value) -> Value {
        let mut v = value.clone();
        let last = name.rsplit(['.', '/']).next().unwrap_or(name);
        let geofence_name =
            name.to_ascii_lowercase().contains("geofence") && matches!(last, "name" | "names");
        if geofence_name {
            if !self.policy.geofences {
                self.hide_strings(&mut v);
            }
        } else {
            self.value(&mut v, Some(last));
        }
        v
    }

    /// One protocol transcript line. Lines are `<JSON>*<CRC>`: the JSON part
    /// is parsed, redacted and written again with the original CRC (which
    /// then no longer matches). Other lines are free text. Returns the new
    /// text when anything changed.
    pub fn protocol_line(&mut self, text: &str) -> Option<String> {
        if self.policy.keeps_everything() {
            return None;
        }
        let (json_part, crc_part) = match text.rfind('*') {
            Some(i) if text.starts_with('{') => (&text[..i], &text[i..]),
            _ => (text, ""),
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
                (v != original).then(|| format!("{v}{crc_part}"))
            }
            None => {
                let t = self.text(text);
                (t != text).then_some(t)
            }
        };
        if new_text.is_some() {
            self.lines += 1;
        }
        new_text
    }
}

/// A device value as the flow engine keeps it in a session record: the
/// location removed outright (a session record never holds it, whatever
/// the report later includes), geofence names hidden, contact details in
/// strings masked.
pub fn record_value(v: &Value) -> Value {
    let mut out = strip_location(v);
    Redactor::new(Policy::private()).value(&mut out, None);
    out
}

fn strip_location(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !is_location_key(k))
                .map(|(k, v)| (k.clone(), strip_location(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_location).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coordinates_and_geofences_in_device_json() {
        let mut r = Redactor::new(Policy::private());
        let mut v = json!({"fix":"3d","lat":52.52001,"lon":13.40495,"geofences":[
            {"id":1,"name":"Home","lat":52.5219,"lon":13.4132,"radius_m":15}]});
        r.value(&mut v, None);
        assert_eq!(
            v,
            json!({"fix":"3d","lat":52.52,"lon":13.4,"geofences":[
            {"id":1,"name":HIDDEN,"lat":52.52,"lon":13.41,"radius_m":15}]})
        );
        assert_eq!(r.fact("gps.lat", &json!(-0.127758)), json!(-0.13));
        assert_eq!(
            r.fact("geofence.names", &json!(["Home", "Park"])),
            json!([HIDDEN, HIDDEN])
        );
        assert_eq!(r.fact("battery.level_pct", &json!(78)), json!(78));
        // Again: nothing more to do.
        let before = r.summary();
        let mut again = v.clone();
        r.value(&mut again, None);
        assert_eq!(again, v);
        assert_eq!(r.summary(), before);
    }

    #[test]
    fn nulls_stay_null() {
        let mut r = Redactor::new(Policy::private());
        let mut v = json!({"lat":null,"lon":null});
        r.value(&mut v, None);
        assert_eq!(v["lat"], Value::Null);
        assert!(r.summary().is_empty());
    }

    #[test]
    fn transcript_lines_are_redacted_inside_the_json() {
        let mut r = Redactor::new(Policy::private());
        let line = r#"{"event":"gps.fix","data":{"fix":"3d","lat":52.52001,"lon":13.40495}}*1A2B"#;
        let t = r.protocol_line(line).unwrap();
        assert!(t.ends_with("*1A2B"));
        assert!(t.contains("52.52") && !t.contains("52.52001"), "{t}");
        assert_eq!(
            r.protocol_line(r#"{"id":1,"result":{"level_pct":78}}*ABCD"#),
            None
        );
        assert_eq!(r.protocol_line(&t), None);
        let log = r.protocol_line("[boot] owner ana@example.com").unwrap();
        assert_eq!(log, "[boot] owner a***@example.com");
    }

    #[test]
    fn session_records_never_hold_the_location() {
        let v = record_value(&json!({"fix":"3d","lat":52.5,"lon":13.4,
            "geofences":[{"name":"Home","lat":1.0}],"msg":"mail ana@example.com"}));
        assert_eq!(
            v,
            json!({"fix":"3d","geofences":[{"name":HIDDEN}],"msg":"mail a***@example.com"})
        );
    }
}
