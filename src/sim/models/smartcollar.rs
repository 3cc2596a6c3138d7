//! The simulated SmartCollar: LEDs, training, fit, integration (§7).
//!
//! `led.status` and `training.status` follow the settings (`led_mode`,
//! `brightness_pct`, `training_mode`, `sensitivity`), so `led-off`,
//! `led-dim`, `training-off`, `training-low-sensitivity` and
//! `power-hungry-settings` are settings a host can put right with
//! `settings.set`. `fit-loose` and `fit-tight` resolve by the rule of
//! [`super::HANDS_ON_PAUSE`]: a `fit.status` read at least 2 s after the
//! previous one shows the collar refitted. `led-driver-fault` makes
//! `led.test` answer -32020 `LED_DRIVER_FAULT`.
//!
//! Hands-on rules of the same kind: a `training.status` read after such a
//! pause finds a training command just arrived (the person sent a cue from
//! the app), unless `training-commands-lost` (nothing from the app has
//! reached the collar for 3 days); an `integration.status` read after a
//! pause finds `integration-out-of-range` back in touch (the person brought
//! the devices together) and `integration-none` linked (the person linked it
//! in the app). `integration-stuck` is back after a restart;
//! `integration-lost` stays lost, also after a restart. `collar-too-small`
//! stays tight however it is adjusted.

use super::common::{Common, Kind, Schema};
use super::{Answer, DevError, Product, paused_before_read};
use serde_json::{Map, Value, json};
use std::time::Instant;

const SCHEMA: Schema = &[
    (
        "led_mode",
        Kind::Choice(&["off", "steady", "blink", "ambient"]),
    ),
    ("brightness_pct", Kind::Int { min: 0, max: 100 }),
    ("training_mode", Kind::Choice(&["off", "tone", "vibration"])),
    ("sensitivity", Kind::Int { min: 1, max: 10 }),
];

/// Number of LED channels.
const CHANNELS: u32 = 2;

/// SmartCollar state.
pub struct SmartCollar {
    channel_open: bool,
    /// Channel 1 passes the self-test and reads ok, but stays dark in led.test.
    channel_intermittent: bool,
    driver_fault: bool,
    motor_stall: bool,
    buzzer_fault: bool,
    fit: &'static str,
    last_fit_read: Option<Instant>,
    linked: Option<&'static str>,
    out_of_range: bool,
    /// Linked again after a restart (`integration-stuck`).
    stuck_until_boot: bool,
    /// Not linked until the person links it in the app.
    link_in_app: bool,
    too_small: bool,
    last_link_read: Option<Instant>,
    commands_lost: bool,
    /// When a training command last arrived, as an age at `command_at`.
    command_age_s: u64,
    command_at: Instant,
    last_training_read: Option<Instant>,
}

impl SmartCollar {
    /// A SmartCollar with the faults of `dev`.
    pub fn new(dev: &mut Common, now: Instant) -> Self {
        dev.schema = SCHEMA;
        let brightness = if dev.has("led-dim") {
            5
        } else if dev.has("power-hungry-settings") {
            100
        } else {
            80
        };
        dev.settings = json!({
            "led_mode": if dev.has("led-off") { "off" } else if dev.has("power-hungry-settings") { "blink" } else { "steady" },
            "brightness_pct": brightness,
            "training_mode": if dev.has("training-off") { "off" } else { "vibration" },
            "sensitivity": if dev.has("training-low-sensitivity") { 1 } else { 5 },
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        Self {
            channel_open: dev.has("led-channel-open"),
            channel_intermittent: dev.has("led-channel-intermittent"),
            driver_fault: dev.has("led-driver-fault"),
            motor_stall: dev.has("motor-stall"),
            buzzer_fault: dev.has("buzzer-fault"),
            fit: if dev.has("fit-loose") {
                "loose"
            } else if dev.has("fit-tight") || dev.has("collar-too-small") {
                "tight"
            } else {
                "ok"
            },
            last_fit_read: None,
            linked: if dev.has("integration-none") {
                None
            } else if dev.has("integration-lost")
                || dev.has("integration-out-of-range")
                || dev.has("integration-stuck")
            {
                Some("lost")
            } else {
                Some("ok")
            },
            out_of_range: dev.has("integration-out-of-range"),
            stuck_until_boot: dev.has("integration-stuck"),
            link_in_app: dev.has("integration-none"),
            too_small: dev.has("collar-too-small"),
            last_link_read: None,
            commands_lost: dev.has("training-commands-lost"),
            command_age_s: if dev.has("training-commands-lost") {
                3 * 86_400
            } else {
                3600
            },
            command_at: now,
            last_training_read: None,
        }
    }

    fn channel_ok(&self, id: u32) -> bool {
        !(self.driver_fault || (self.channel_open && id == 1))
    }
}

impl Product for SmartCollar {
    fn call(
        &mut self,
        method: &str,
        _params: &Map<String, Value>,
        dev: &mut Common,
        now: Instant,
    ) -> Option<Answer> {
        let result: Result<Value, DevError> = match method {
            "led.status" => {
                let mode = dev.setting_str("led_mode").to_string();
                let brightness = dev.setting_i64("brightness_pct");
                let lit = mode != "off";
                let channels: Vec<Value> = (0..CHANNELS)
                    .map(|id| {
                        let ok = self.channel_ok(id);
                        let current = if ok && lit { brightness * 15 / 100 } else { 0 };
                        json!({"id": id, "ok": ok, "current_ma": current})
                    })
                    .collect();
                Ok(json!({"mode": mode, "brightness_pct": brightness, "channels": channels}))
            }
            "led.test" => {
                if self.driver_fault {
                    Err(DevError::hardware(
                        "LED_DRIVER_FAULT",
                        "LED driver does not respond",
                    ))
                } else {
                    let results: Vec<Value> = (0..CHANNELS)
                        .map(|id| {
                            let lit =
                                self.channel_ok(id) && !(self.channel_intermittent && id == 1);
                            json!({"id": id, "ok": lit})
                        })
                        .collect();
                    dev.log(now, "info", "LED_TEST", "lit each channel");
                    Ok(json!({"results": results}))
                }
            }
            "training.status" => {
                if paused_before_read(&mut self.last_training_read, now) && !self.commands_lost {
                    // The person sent a cue from the app a moment ago.
                    self.command_age_s = 2;
                    self.command_at = now;
                    dev.log(now, "info", "TRAINING_CMD", "cue from app");
                }
                let age =
                    self.command_age_s + now.saturating_duration_since(self.command_at).as_secs();
                Ok(json!({
                    "mode": dev.setting_str("training_mode"),
                    "sensitivity": dev.setting_i64("sensitivity"),
                    "last_command_age_s": age,
                    "motor": if self.motor_stall { "fault" } else { "ok" },
                }))
            }
            "fit.status" => {
                if paused_before_read(&mut self.last_fit_read, now) && !self.too_small {
                    self.fit = "ok";
                }
                let tension = match self.fit {
                    "loose" => 20,
                    "tight" => 90,
                    _ => 55,
                };
                Ok(json!({"size": "M", "tension_pct": tension, "contact": self.fit}))
            }
            "integration.status" => {
                if paused_before_read(&mut self.last_link_read, now)
                    && (self.out_of_range || self.link_in_app)
                {
                    self.out_of_range = false;
                    self.link_in_app = false;
                    self.linked = Some("ok");
                    dev.log(now, "info", "LINK_OK", "PetTracker link ok");
                }
                let linked: Vec<Value> = self
                    .linked
                    .map(|link| json!({"product": "pettracker", "serial": "PT-24A0-0001", "link": link}))
                    .into_iter()
                    .collect();
                Ok(json!({"linked": linked, "compatible": ["pettracker", "healthmonitor"]}))
            }
            _ => return None,
        };
        Some(Answer::Now(result))
    }

    fn selftest(&self, component: &str) -> Option<(&'static str, &'static str)> {
        match component {
            "led" if self.driver_fault => Some(("LED_DRIVER_FAULT", "LED driver reports a fault")),
            "led" if self.channel_open => Some(("LED_CH_OPEN", "LED channel 1 open circuit")),
            "motor" if self.motor_stall => Some(("MOTOR_STALL", "motor drew stall current")),
            "buzzer" if self.buzzer_fault => Some(("BUZZER_FAULT", "buzzer coil open")),
            _ => None,
        }
    }

    fn poll(&mut self, _now: Instant, _dev: &mut Common) -> Vec<(String, Value)> {
        Vec::new()
    }

    fn next_deadline(&self) -> Option<Instant> {
        None
    }

    fn on_boot(&mut self, _now: Instant) {
        if std::mem::take(&mut self.stuck_until_boot) {
            self.linked = Some("ok");
        }
        self.last_fit_read = None;
        self.last_link_read = None;
        self.last_training_read = None;
    }
}
