//! SmartCollar: LED channels, training, fit and linked devices. Ranges are
//! the flows' (led, training): brightness under 20% is dim, sensitivity 2 or
//! less barely felt.

use super::{Line, Mark, age, num, num_text, text};
use serde_json::Value;

/// Most LED channels listed (a collar has a few).
const MAX_CHANNELS: usize = 16;

/// `led.status`: mode, brightness, each channel.
pub fn led(v: &Value) -> Line {
    let mut l = Line::new("LEDs");
    if let Some(m) = text(v, "mode") {
        l.plain(m);
    }
    if let Some(b) = num(v, "brightness_pct") {
        let judge = (b < 20.0).then_some(("dim", Mark::Warn));
        let t = num_text(v, "brightness_pct").unwrap_or_default();
        l.judged(format!("brightness {t}%"), judge);
    }
    for ch in v
        .get("channels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(MAX_CHANNELS)
    {
        let id = text(ch, "id").unwrap_or_else(|| "?".into());
        let ma = num_text(ch, "current_ma").map_or_else(String::new, |c| format!(" {c} mA"));
        match ch.get("ok").and_then(Value::as_bool) {
            Some(true) => l.plain(format!("channel {id} ok{ma}")),
            Some(false) => l.mark(format!("channel {id} FAULT{ma}"), Mark::Bad),
            None => l.plain(format!("channel {id} ?{ma}")),
        };
    }
    l
}

/// `training.status`.
pub fn training(v: &Value) -> Line {
    let mut l = Line::new("Training");
    if let Some(m) = text(v, "mode") {
        l.plain(match m.as_str() {
            "off" => "off".to_string(),
            other => format!("{other} mode"),
        });
    }
    if let Some(s) = num(v, "sensitivity") {
        let judge = (s <= 2.0).then_some(("barely felt", Mark::Warn));
        let t = num_text(v, "sensitivity").unwrap_or_default();
        l.judged(format!("sensitivity {t} of 10"), judge);
    }
    match text(v, "motor").as_deref() {
        Some("ok") => l.mark("motor ok", Mark::Good),
        Some("fault") => l.mark("motor FAULT", Mark::Bad),
        Some(other) => l.plain(format!("motor {other}")),
        None => &mut l,
    };
    let last = v.get("last_command_age_s").and_then(Value::as_u64);
    if last.is_some() {
        l.plain(format!("last command {}", age(last)));
    }
    l
}

/// `fit.status`.
pub fn fit(v: &Value) -> Line {
    let mut l = Line::new("Fit");
    if let Some(s) = text(v, "size") {
        l.plain(format!("size {s}"));
    }
    if let Some(t) = num_text(v, "tension_pct") {
        l.plain(format!("tension {t}%"));
    }
    match text(v, "contact").as_deref() {
        Some("ok") => l.mark("contact ok", Mark::Good),
        Some("loose") => l.mark("too loose", Mark::Warn),
        Some("tight") => l.mark("too tight", Mark::Warn),
        Some(other) => l.plain(format!("contact {other}")),
        None => &mut l,
    };
    l
}

/// `integration.status`: each linked device and its link, then what can be linked.
pub fn integration(v: &Value) -> Line {
    let mut l = Line::new("Linked devices");
    let linked: Vec<&Value> = v
        .get("linked")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(MAX_CHANNELS)
        .collect();
    if linked.is_empty() {
        l.plain("none");
    }
    for d in linked {
        let product = text(d, "product").map_or_else(|| "device".into(), |p| product_name(&p));
        let serial = text(d, "serial").unwrap_or_default();
        let who = format!("{product} {serial}").trim().to_string();
        match text(d, "link").as_deref() {
            Some("ok") => l.mark(format!("{who} (link ok)"), Mark::Good),
            Some("lost") => l.mark(format!("{who} (link LOST)"), Mark::Bad),
            Some(other) => l.plain(format!("{who} (link {other})")),
            None => l.plain(who),
        };
    }
    let compatible: Vec<String> = v
        .get("compatible")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(MAX_CHANNELS)
        .filter_map(Value::as_str)
        .map(product_name)
        .collect();
    if !compatible.is_empty() {
        l.plain(format!("works with {}", compatible.join(" and ")));
    }
    l
}

fn product_name(id: &str) -> String {
    crate::interface::Model::parse(id)
        .map_or_else(|| super::clean(id), |m| m.product_name().to_string())
}
