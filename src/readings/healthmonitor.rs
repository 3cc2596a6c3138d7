//! HealthMonitor: heart rate, temperature and skin contact; sync; alert
//! thresholds. Vital signs are judged by [`super::vitals`] (the findings'
//! ranges for a dog or cat); signal and contact quality as the flows do,
//! 60% and up.

use super::vitals::{self, Vital};
use super::{Line, Mark, age, at_least, flag, num, num_text, obj, text};

/// A vital sign's judgement in the words a technician reads.
fn vital_words(v: Vital) -> (&'static str, Mark) {
    match v {
        Vital::Normal => ("normal", Mark::Good),
        Vital::Low => ("low for a dog or cat", Mark::Bad),
        Vital::High => ("high for a dog or cat", Mark::Bad),
        Vital::Implausible => ("implausible: sensor suspect", Mark::Bad),
    }
}
use serde_json::Value;

fn sensor_status(l: &mut Line, v: &Value) {
    match text(v, "status").as_deref() {
        Some("ok") => l.mark("ok", Mark::Good),
        Some("no_contact") => l.mark("no skin contact", Mark::Warn),
        Some("fault") => l.mark("FAULT", Mark::Bad),
        Some(other) => l.plain(other.to_string()),
        None => l,
    };
}

/// `sensors.status`: one line each for heart rate, temperature and contact.
pub fn sensors(v: &Value) -> Vec<Line> {
    let hr = obj(v, "heart_rate");
    let mut h = Line::new("Heart rate");
    sensor_status(&mut h, hr);
    match num(hr, "bpm") {
        Some(b) => {
            let judge = Some(vital_words(vitals::heart_rate(b)));
            let t = num_text(hr, "bpm").unwrap_or_default();
            h.judged(format!("{t} bpm"), judge);
        }
        None => {
            h.plain("no reading");
        }
    }
    h.number(
        hr,
        "signal_quality_pct",
        |t| format!("signal {t}%"),
        at_least(60.0, "poor", Mark::Warn),
    );

    let temp = obj(v, "temperature");
    let mut t = Line::new("Temperature");
    sensor_status(&mut t, temp);
    t.number(
        temp,
        "c",
        |s| format!("{s} °C"),
        |c| Some(vital_words(vitals::temperature(c))),
    );

    let mut c = Line::new("Contact");
    c.number(
        v,
        "contact_quality_pct",
        |s| format!("{s}%"),
        at_least(60.0, "poor", Mark::Warn),
    );
    match text(v, "optical_window").as_deref() {
        Some("clean") => c.plain("optical window clean"),
        Some("dirty") => c.mark("optical window dirty", Mark::Warn),
        Some(other) => c.plain(format!("optical window {other}")),
        None => &mut c,
    };
    let activity = obj(v, "activity");
    match text(activity, "status").as_deref() {
        Some("ok") => c.plain("activity sensor ok"),
        Some("fault") => c.mark("activity sensor FAULT", Mark::Bad),
        Some(other) => c.plain(format!("activity sensor {}", super::words(other))),
        None => &mut c,
    };
    vec![h, t, c]
}

/// `sync.status`.
pub fn sync(v: &Value) -> Line {
    let mut l = Line::new("Sync");
    if let Some(n) = num_text(v, "pending_records") {
        l.plain(format!("{n} records waiting"));
    }
    let last = v.get("last_sync_age_s").and_then(Value::as_u64);
    let stale = last.is_some_and(|s| s >= 86_400);
    l.mark(
        format!("last sync {}", age(last)),
        if stale { Mark::Warn } else { Mark::Plain },
    );
    match text(v, "last_error").as_deref() {
        Some("none") | None => l.plain("no errors"),
        Some("ble_timeout") => l.mark("last error: Bluetooth timeout", Mark::Bad),
        Some("auth") => l.mark("last error: sign-in refused", Mark::Bad),
        Some("storage_full") => l.mark("last error: storage full", Mark::Bad),
        Some(other) => l.mark(format!("last error: {}", super::words(other)), Mark::Bad),
    };
    if let Some(p) = num(v, "storage_used_pct") {
        let judge = if p >= 95.0 {
            Some(("full", Mark::Bad))
        } else if p >= 80.0 {
            Some(("nearly full", Mark::Warn))
        } else {
            None
        };
        let s = num_text(v, "storage_used_pct").unwrap_or_default();
        l.judged(format!("storage {s}% used"), judge);
    }
    l
}

/// `alerts.config`: on or off, where they go, and the thresholds (judged
/// unusual past the alerts flow's limits: above 200 or below 30 bpm, above 41 °C).
pub fn alerts(v: &Value) -> Line {
    let mut l = Line::new("Alerts");
    match flag(v, "enabled") {
        Some(true) => l.plain("on"),
        Some(false) => l.mark("off", Mark::Warn),
        None => &mut l,
    };
    match flag(v, "notify_app") {
        Some(true) => l.plain("sent to the app"),
        Some(false) => l.mark("not sent to the app", Mark::Warn),
        None => &mut l,
    };
    let low = num(v, "heart_rate_low_bpm");
    let high = num(v, "heart_rate_high_bpm");
    if let (Some(lo), Some(hi)) = (
        num_text(v, "heart_rate_low_bpm"),
        num_text(v, "heart_rate_high_bpm"),
    ) {
        let odd = low.is_some_and(|x| x < 30.0) || high.is_some_and(|x| x > 200.0);
        l.judged(
            format!("heart rate outside {lo}–{hi} bpm"),
            odd.then_some(("unusual", Mark::Warn)),
        );
    }
    if let Some(t) = num_text(v, "temp_high_c") {
        let odd = num(v, "temp_high_c").is_some_and(|x| x > 41.0);
        l.judged(
            format!("temperature above {t} °C"),
            odd.then_some(("unusual", Mark::Warn)),
        );
    }
    l
}
