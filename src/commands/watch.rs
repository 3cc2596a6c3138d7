//! `pawdiag watch DEVICE`: the device's live state (battery, and per model
//! GPS, cellular, sensors, sync, LED channels, training, fit), read about
//! once a second with one pipelined `call_many` per refresh.
//!
//! On a terminal the readings redraw in place; otherwise (a pipe, a file,
//! or `--json`) each refresh is one JSON object on its own line, so the
//! stream can be piped into `jq` or a log. Ctrl-C stops it and keeps what
//! was shown. A dropped link ends it with one sentence and exit code 3.

use super::{Exit, Failure, device, lines, stop, ui};
use crate::cli::WatchArgs;
use chrono::{DateTime, Utc};
use pawdiag::client::{Call, CallError};
use pawdiag::interface::Model;
use pawdiag::interface::methods::DeviceInfo;
use pawdiag::readings as status;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

/// The methods read on every refresh, battery first. At most four, so one
/// refresh is one pipelined round (the interface allows 4 in flight).
pub fn watch_methods(model: Option<Model>) -> Vec<&'static str> {
    let mut m = vec!["battery.status"];
    if let Some(model) = model {
        m.extend_from_slice(model.product().live_methods);
    }
    m
}

/// One refresh, as printed in JSON Lines.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// Always `pawdiag.watch/1`.
    pub schema: &'static str,
    /// 1-based refresh number.
    pub seq: u64,
    /// When the readings were taken.
    pub at: DateTime<Utc>,
    /// The address watched.
    pub device: String,
    /// Serial number the device reported.
    pub serial: String,
    /// `model` value the device reported.
    pub model: String,
    /// Answers by method.
    pub readings: BTreeMap<String, Value>,
    /// Methods that failed this time, with the reason.
    pub errors: BTreeMap<String, String>,
}

/// Runs `watch`.
pub async fn run(args: WatchArgs) -> anyhow::Result<Exit> {
    let cancel = stop::install(stop::WATCH)?;
    let (address, mut client) = match cancel.unless_requested(device::open(&args.connect)).await {
        Some(opened) => opened?,
        None => return Ok(stop::overrule(Exit::Ok, &cancel)),
    };
    client.set_cancel(cancel.clone());
    let addr = address.to_string();
    let spinner = ui::spinner(&format!("Connecting to {addr}…"));
    let ident = client.call_typed::<DeviceInfo>("device.info", None).await;
    spinner.finish_and_clear();
    let ident = match ident {
        Ok(i) => i,
        Err(CallError::Cancelled { .. }) => {
            client.close().await;
            return Ok(stop::overrule(Exit::Ok, &cancel));
        }
        Err(e) => {
            client.close().await;
            return Err(device::call_failure(&e, &addr).into());
        }
    };
    device::remember(&address, Some(&ident.serial), Some(&ident.model));
    let model = Model::parse(&ident.model);
    let calls: Vec<Call> = watch_methods(model).into_iter().map(Call::new).collect();
    let live = !args.output.json && std::io::stdout().is_terminal();
    let mut screen = Screen::new(live);

    let mut ticker = tokio::time::interval(Duration::from_millis(args.interval_ms));
    // After a slow refresh, wait a full interval again rather than bursting.
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let stop = cancel.requested();
    tokio::pin!(stop);
    let mut seq = 0u64;
    let result: anyhow::Result<Exit> = loop {
        tokio::select! {
            biased;
            _ = &mut stop => break Ok(Exit::Ok),
            _ = ticker.tick() => {}
        }
        let results = tokio::select! {
            biased;
            _ = &mut stop => break Ok(Exit::Ok),
            r = client.call_many(&calls) => r,
        };
        // Events (heartbeats…) are not shown; drop them so they don't pile up.
        client.take_events();
        seq += 1;
        let down = link_down(&results);
        let frame = make_frame(
            seq,
            &addr,
            &ident,
            &calls,
            results,
            args.include_personal_data,
        );
        // A refresh that read something is shown even when the link broke
        // during it: it is the last thing known about the device.
        if !frame.readings.is_empty() {
            match screen.show(&frame, model, &addr) {
                Ok(()) => {}
                // The reader went away: nothing more to do.
                Err(lines::LineError::Closed) => break Ok(Exit::Ok),
                Err(lines::LineError::Io(e)) => break Err(e.into()),
            }
        }
        if let Some(down) = down {
            let shown = if frame.readings.is_empty() {
                seq - 1
            } else {
                seq
            };
            break Err(lost(&addr, shown, &down).into());
        }
        if args.count.is_some_and(|n| seq >= n) {
            break Ok(Exit::Ok);
        }
    };
    screen.keep();
    client.close().await;
    // Stopped by a signal: what was shown is kept, and the exit code says
    // which signal it was.
    result.map(|exit| stop::overrule(exit, &cancel))
}

fn make_frame(
    seq: u64,
    addr: &str,
    ident: &DeviceInfo,
    calls: &[Call],
    results: Vec<Result<Value, CallError>>,
    personal: bool,
) -> Frame {
    let mut readings = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for (call, r) in calls.iter().zip(results) {
        match r {
            Ok(mut v) => {
                if !personal {
                    pawdiag::privacy::redact_value(&mut v);
                }
                readings.insert(call.method.clone(), v);
            }
            Err(e) => {
                errors.insert(call.method.clone(), e.to_string());
            }
        }
    }
    Frame {
        schema: "pawdiag.watch/1",
        seq,
        at: Utc::now(),
        device: addr.to_string(),
        serial: ident.serial.clone(),
        model: ident.model.clone(),
        readings,
        errors,
    }
}

/// The error that says the link is down: the transport reported it lost,
/// or no call of a refresh got any answer (a refused method is an answer).
fn link_down(results: &[Result<Value, CallError>]) -> Option<CallError> {
    let lost = results.iter().find_map(|r| match r {
        Err(e @ CallError::LinkLost { .. }) => Some(e.clone()),
        _ => None,
    });
    if lost.is_some() {
        return lost;
    }
    let silent = !results.is_empty()
        && results
            .iter()
            .all(|r| matches!(r, Err(CallError::Timeout { .. })));
    if !silent {
        return None;
    }
    results.iter().find_map(|r| r.as_ref().err().cloned())
}

/// Why watching ended, classified like every other failure, with how many
/// refreshes were shown before.
fn lost(addr: &str, shown: u64, down: &CallError) -> Failure {
    let mut f = device::call_failure(down, addr);
    match shown {
        0 => {}
        1 => f.message.push_str(", after 1 refresh"),
        n => f.message.push_str(&format!(", after {n} refreshes")),
    }
    f
}

/// Where refreshes go: redrawn lines on a terminal, JSON Lines otherwise.
struct Screen {
    live: Option<console::Term>,
    drawn: usize,
}

impl Screen {
    fn new(live: bool) -> Self {
        Self {
            live: live.then(console::Term::stdout),
            drawn: 0,
        }
    }

    fn show(
        &mut self,
        frame: &Frame,
        model: Option<Model>,
        addr: &str,
    ) -> Result<(), lines::LineError> {
        let Some(term) = &self.live else {
            return lines::json(frame);
        };
        let width = usize::from(term.size().1).max(20);
        let text = render(frame, model, addr, ui::color_stdout());
        if self.drawn > 0 {
            term.clear_last_lines(self.drawn)?;
        }
        for line in &text {
            // Cut to the width, or a wrapped line would throw off the redraw.
            term.write_line(&console::truncate_str(line, width, "…"))?;
        }
        self.drawn = text.len();
        Ok(())
    }

    /// Leaves the last frame on screen (Ctrl-C, end, lost link).
    fn keep(&mut self) {
        self.drawn = 0;
    }
}

/// The terminal lines of one refresh, in the words `info` uses
/// ([`status::lines`]). Device text is cleaned of control characters;
/// missing values show as `—`. With `color`, a line with a failing value
/// is red and one worth a look yellow.
pub fn render(frame: &Frame, model: Option<Model>, addr: &str, color: bool) -> Vec<String> {
    let product = model.map_or_else(|| ui::clean(&frame.model), |m| m.product_name().to_string());
    let mut out = vec![format!(
        "{product} {} at {}",
        ui::clean(&frame.serial),
        ui::clean(addr)
    )];
    // The order `watch_methods` reads them in; anything else after.
    let mut methods: Vec<&String> = frame.readings.keys().collect();
    let rank = |m: &str| {
        watch_methods(model)
            .iter()
            .position(|x| *x == m)
            .unwrap_or(usize::MAX)
    };
    methods.sort_by_key(|m| rank(m));
    for method in methods {
        for line in status::lines(method, &frame.readings[method]) {
            let text = format!("{:<14} {}", line.label, line.text(" · "));
            out.push(paint(text, line.worst(), color));
        }
    }
    for (method, err) in &frame.errors {
        out.push(format!(
            "{} could not be read: {}",
            status::method_label(method),
            ui::clean(err)
        ));
    }
    out.push(format!(
        "refresh {} at {} · Ctrl-C to stop",
        frame.seq,
        frame.at.with_timezone(&chrono::Local).format("%H:%M:%S")
    ));
    out
}

/// A line in the colour of its worst judgement.
fn paint(text: String, mark: status::Mark, color: bool) -> String {
    match mark {
        _ if !color => text,
        status::Mark::Bad => console::style(text).red().force_styling(true).to_string(),
        status::Mark::Warn => console::style(text)
            .yellow()
            .force_styling(true)
            .to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn frame(readings: Value, errors: &[(&str, &str)]) -> Frame {
        Frame {
            schema: "pawdiag.watch/1",
            seq: 3,
            at: Utc::now(),
            device: "sim:pettracker".into(),
            serial: "PT-24A0-0001".into(),
            model: "pettracker".into(),
            readings: serde_json::from_value(readings).unwrap(),
            errors: errors
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn every_model_reads_at_most_four_methods() {
        for m in Model::ALL.map(Some).into_iter().chain([None]) {
            let methods = watch_methods(m);
            assert!(methods.len() <= 4 && methods[0] == "battery.status");
            if let Some(m) = m {
                assert!(methods.iter().all(|x| m.has_method(x)), "{m:?}");
            }
        }
    }

    #[test]
    fn pettracker_lines_show_fix_and_satellites() {
        let f = frame(
            json!({"battery.status":{"level_pct":78,"voltage_mv":3950,"charging":true,"charger":"usb","health_pct":91,"temp_c":24.5},
                   "gps.status":{"fix":"none","satellites":4,"cn0_avg_dbhz":null,"hdop":null,"last_fix_age_s":null,"antenna":"ok"},
                   "link.status":{"cellular":{"registered":true,"rssi_dbm":-85},"app_paired":true,"last_sync_age_s":4000,"cloud":"ok"}}),
            &[],
        );
        let lines = render(&f, Some(Model::PetTracker), "sim:pettracker", false);
        assert_eq!(lines[0], "PetTracker PT-24A0-0001 at sim:pettracker");
        assert_eq!(
            lines[1],
            "Battery        78% · 3950 mV · charging from USB · health 91% (good) · 24.5 °C"
        );
        assert!(
            lines[2].starts_with("GPS            no fix · 4 satellites · signal — ·"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].contains("registered · signal -85 dBm (good)"),
            "{}",
            lines[3]
        );
        assert!(lines[4].contains("66 min ago"), "{}", lines[4]);
        assert!(lines.last().unwrap().starts_with("refresh 3 at "));
        // The same words `info` uses, and no raw keys.
        assert!(lines.iter().all(|l| !l.contains('_')), "{lines:?}");
        let red = render(&f, Some(Model::PetTracker), "sim:pettracker", true);
        assert_eq!(
            red[2],
            format!("{}", console::style(&lines[2]).yellow().force_styling(true))
        );
    }

    #[test]
    fn collar_lines_flag_a_dead_channel_and_device_text_is_cleaned() {
        let f = frame(
            json!({"led.status":{"mode":"steady\u{1b}[2J","brightness_pct":80,
                   "channels":[{"id":0,"ok":true,"current_ma":12},{"id":1,"ok":false,"current_ma":0}]}}),
            &[(
                "fit.status",
                "the device did not answer fit.status (3 tries)",
            )],
        );
        let lines = render(&f, Some(Model::SmartCollar), "serial:/dev/pts/4", false);
        let led = lines.iter().find(|l| l.starts_with("LEDs")).unwrap();
        assert!(!led.contains('\u{1b}'));
        assert!(
            led.contains("channel 0 ok 12 mA · channel 1 FAULT 0 mA"),
            "{led}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("Fit could not be read: the device did not answer")),
            "{lines:?}"
        );
    }

    #[test]
    fn link_is_down_when_lost_or_when_nothing_answered() {
        let gone = || {
            Err(CallError::LinkLost {
                method: "x".into(),
                reason: "gone".into(),
            })
        };
        let timeout = || {
            Err(CallError::Timeout {
                method: "x".into(),
                attempts: 3,
                heard_anything: true,
                heard_protocol: true,
                foreign: false,
                alive: false,
            })
        };
        let refused = || {
            Err(CallError::Device {
                method: "x".into(),
                error: pawdiag::interface::message::RpcError {
                    code: -32010,
                    message: "not supported".into(),
                    data: None,
                },
            })
        };
        assert_eq!(link_down(&[Ok(json!({})), timeout()]), None);
        assert_eq!(link_down(&[refused(), refused()]), None);
        assert_eq!(link_down(&[timeout(), refused()]), None);
        assert!(matches!(
            link_down(&[timeout(), timeout()]),
            Some(CallError::Timeout { .. })
        ));
        let down = link_down(&[Ok(json!({})), gone()]).unwrap();
        assert!(matches!(down, CallError::LinkLost { .. }));
        let f = lost("sim:x", 2, &down);
        assert_eq!(
            f.message,
            "The connection to sim:x was lost (during x: gone), after 2 refreshes"
        );
        let f = lost("sim:x", 1, &link_down(&[timeout(), timeout()]).unwrap());
        assert!(
            f.message.contains("firmware does not answer"),
            "{}",
            f.message
        );
    }
}
