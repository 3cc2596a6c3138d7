//! The simulated firmware's device side of the interface, as pure logic: no
//! I/O, no clocks of its own. Bytes from the host go in with the time they
//! arrived ([`Firmware::on_bytes`]), timers run when the driver calls
//! [`Firmware::poll`], and what the device sends comes out as [`Output`]s.
//! Given the same inputs at the same instants it always says the same
//! thing, which keeps tests repeatable.
//!
//! This module does what is the same for every product: line framing and
//! frame errors (§2), ids and the replay cache of the last 8 answers, which
//! outlives reconnects and is cleared by a reboot (§3, §9.1), the limit of
//! 4 outstanding requests with busy answers that are never cached (§9.2),
//! method dispatch with -32601/-32010/-32602, long-running answers with
//! progress events, heartbeats, reboots, and the link faults of
//! [`super::linkfault`]. Products live in [`super::models`].
//!
//! Drivers (in-process, PTY, BLE fake) send every returned [`Output`] in
//! order, at once: every `at` is at or before the `now` of the call that
//! returned it. After `Output::Reboot` the device is down for `down_for`;
//! input meanwhile is dropped. Serial drivers print [`Firmware::banner_lines`]
//! when they start and when a reboot is over (call `poll` first, so the
//! banner shows the new boot).

mod requests;

use super::SimSpec;
use super::linkfault::LinkFaults;
use super::models::common::{self, Common};
use super::models::{self, Product};
use crate::interface::Model;
use crate::interface::frame::LineBuffer;
use crate::interface::message::{self};
use crate::interface::model::{FirmwareStatus, firmware_status};
use serde_json::json;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long a reboot keeps the device away (the interface allows up to 5 s).
pub const REBOOT_DOWN: Duration = Duration::from_millis(1500);
/// Heartbeat period (§9.6).
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// Answers kept for replay (§3).
pub const REPLAY_DEPTH: usize = 8;
/// Requests that may be outstanding (§3).
pub const MAX_OUTSTANDING: usize = 4;

// The advertisement format belongs to the interface; the simulator only fills it in.
pub use crate::interface::adv::{
    FLAG_CHARGING, FLAG_FAULT as FLAG_FAULT_LATCHED, FLAG_UPDATE_PENDING,
};

/// Something the device does towards the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A line to send, including its `\n`.
    Line {
        /// When the device produced it.
        at: Instant,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// The device restarts: the link drops (USB re-enumerates, BLE
    /// disconnects) and the device is back after `down_for`.
    Reboot {
        /// When it went down.
        at: Instant,
        /// How long it stays away.
        down_for: Duration,
    },
    /// The device disappears for good (unplugged, battery died).
    Vanish {
        /// When it went.
        at: Instant,
    },
}

/// What a device advertises over BLE and shows in Device Information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advert {
    /// `PawCore-PT-0001`.
    pub local_name: String,
    /// Which product.
    pub model: Model,
    /// Model byte of the manufacturer data (1 PT, 2 HM, 3 SC).
    pub model_byte: u8,
    /// Battery percent.
    pub battery_pct: u8,
    /// Flags: [`FLAG_CHARGING`], [`FLAG_FAULT_LATCHED`], [`FLAG_UPDATE_PENDING`].
    pub flags: u8,
    /// Serial Number characteristic.
    pub serial: String,
    /// Firmware Revision characteristic.
    pub fw_version: String,
    /// Hardware Revision characteristic.
    pub hw_rev: String,
    /// Manufacturer Name characteristic.
    pub manufacturer: String,
    /// Model Number characteristic (the `model` value).
    pub model_id: String,
}

impl Advert {
    /// The 4 bytes of manufacturer data (company id 0xFFFF, §1.2).
    pub fn manufacturer_data(&self) -> [u8; 4] {
        [1, self.model_byte, self.battery_pct, self.flags]
    }
}

/// A request being worked on (long methods, `slow` link fault).
#[derive(Debug)]
struct Outstanding {
    id: u32,
}

#[derive(Debug)]
enum Due {
    /// An event line (JSON).
    Event(String),
    /// The answer to an outstanding request.
    Answer { id: u32, json: String },
}

#[derive(Debug)]
struct Scheduled {
    at: Instant,
    seq: u64,
    what: Due,
}

/// Why the device is restarting.
#[derive(Debug, Clone, Copy)]
struct PendingBoot {
    reason: &'static str,
    factory: bool,
}

/// The simulated firmware of one device.
pub struct Firmware {
    spec: SimSpec,
    dev: Common,
    product: Box<dyn Product>,
    link: LinkFaults,
    rx: LineBuffer,
    replay: VecDeque<(u32, String)>,
    outstanding: Vec<Outstanding>,
    scheduled: Vec<Scheduled>,
    seq: u64,
    next_heartbeat: Instant,
    down_until: Option<Instant>,
    pending_boot: Option<PendingBoot>,
    vanished: bool,
}

impl Firmware {
    /// A device as the spec describes it, booted now.
    pub fn new(spec: &SimSpec) -> Self {
        Self::new_at(spec, Instant::now())
    }

    /// A device booted at `now` (for tests that drive time by hand).
    pub fn new_at(spec: &SimSpec, now: Instant) -> Self {
        let (dev, product) = models::build(spec, now);
        Self {
            spec: spec.clone(),
            dev,
            product,
            link: LinkFaults::new(spec),
            rx: LineBuffer::new(),
            replay: VecDeque::new(),
            outstanding: Vec::new(),
            scheduled: Vec::new(),
            seq: 0,
            next_heartbeat: now + HEARTBEAT,
            down_until: None,
            pending_boot: None,
            vanished: false,
        }
    }

    /// The spec this device was made from.
    pub fn spec(&self) -> &SimSpec {
        &self.spec
    }

    /// Which product.
    pub fn model(&self) -> Model {
        self.dev.model
    }

    /// Serial number.
    pub fn serial(&self) -> &str {
        &self.dev.serial
    }

    /// Boots since manufacture.
    pub fn boot_count(&self) -> u64 {
        self.dev.boot_count
    }

    /// True once the device has vanished for good.
    pub fn vanished(&self) -> bool {
        self.vanished
    }

    /// True while the device runs (not rebooting, not vanished).
    pub fn is_up(&self, now: Instant) -> bool {
        !self.vanished && self.down_until.is_none_or(|t| now >= t)
    }

    /// When a reboot in progress is over.
    pub fn back_at(&self) -> Option<Instant> {
        self.down_until
    }

    /// The boot banner, one line each without `\n` (serial only; no banner
    /// over BLE, §9.11). A `silent` device prints nothing, a `garbage` one
    /// the banner of another kind of device.
    pub fn banner_lines(&self) -> Vec<String> {
        if self.link.silent || self.vanished {
            return Vec::new();
        }
        if self.link.garbage {
            return vec!["RDY".into(), "+CFUN: 1".into()];
        }
        vec![
            format!(
                "[boot] PawCore {} fw {}",
                self.dev.model.code(),
                self.dev.fw_version
            ),
            format!(
                "[boot] serial {} hw {} boot {} reset {}",
                self.dev.serial, self.dev.hw_rev, self.dev.boot_count, self.dev.last_reset
            ),
        ]
    }

    /// What the device advertises over BLE.
    pub fn advert(&self) -> Advert {
        let mut flags = 0;
        if self.dev.battery.charging {
            flags |= FLAG_CHARGING;
        }
        if common::any_selftest_failure(&self.dev, self.product.as_ref()) {
            flags |= FLAG_FAULT_LATCHED;
        }
        if firmware_status(self.dev.model, &self.dev.fw_version) == FirmwareStatus::Outdated {
            flags |= FLAG_UPDATE_PENDING;
        }
        let tail: String = {
            let chars: Vec<char> = self.dev.serial.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        Advert {
            local_name: format!("{}{}", self.dev.model.ble_prefix(), tail),
            model: self.dev.model,
            model_byte: self.dev.model.ble_model_byte(),
            battery_pct: self.dev.battery.level_pct.min(100),
            flags,
            serial: self.dev.serial.clone(),
            fw_version: self.dev.fw_version.clone(),
            hw_rev: self.dev.hw_rev.to_string(),
            manufacturer: "PawCore Systems".into(),
            model_id: self.dev.model.id().to_string(),
        }
    }

    /// Forgets a partial host line, e.g. when the port was re-opened.
    pub fn reset_input(&mut self) {
        self.rx.clear();
    }

    /// Bytes from the host, in any chunking. Returns what the device sends,
    /// including anything its timers had due.
    pub fn on_bytes(&mut self, bytes: &[u8], now: Instant) -> Vec<Output> {
        let mut out = self.poll(now);
        if !self.is_up(now) {
            return out; // Rebooting or gone: the bytes are lost.
        }
        for raw in self.rx.push(bytes) {
            if !self.is_up(now) {
                break; // A crash in the middle of a burst drops the rest.
            }
            self.on_line(raw, now, &mut out);
        }
        // Product timers may have become due from what the calls did.
        out.extend(self.poll(now));
        out
    }

    /// Runs the timers: reboot completion, delayed answers and progress
    /// events, heartbeats, product events.
    pub fn poll(&mut self, now: Instant) -> Vec<Output> {
        let mut out = Vec::new();
        if self.vanished {
            return out;
        }
        if let Some(back) = self.down_until {
            if now < back {
                return out;
            }
            self.finish_boot(back);
        }
        // Due scheduled items, in time order (seq keeps insertion order).
        loop {
            let next = self
                .scheduled
                .iter()
                .enumerate()
                .filter(|(_, s)| s.at <= now)
                .min_by_key(|(_, s)| (s.at, s.seq))
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            let item = self.scheduled.remove(i);
            match item.what {
                Due::Event(json) => self.emit_event(&json, item.at, &mut out),
                Due::Answer { id, json } => {
                    self.outstanding.retain(|o| o.id != id);
                    self.remember(id, &json);
                    self.emit_answer(&json, item.at, &mut out);
                }
            }
            if !self.is_up(now) {
                return out;
            }
        }
        if now >= self.next_heartbeat {
            let at = self.next_heartbeat;
            while self.next_heartbeat <= now {
                self.next_heartbeat += HEARTBEAT;
            }
            let uptime = self.dev.uptime_s(at);
            let json = message::event_json("heartbeat", &json!({ "uptime_s": uptime }));
            self.emit_event(&json, at, &mut out);
        }
        for (name, data) in self.product.poll(now, &mut self.dev) {
            let json = message::event_json(&name, &data);
            self.emit_event(&json, now, &mut out);
        }
        out
    }

    /// When [`Firmware::poll`] next has something to do.
    pub fn next_deadline(&self) -> Option<Instant> {
        if self.vanished {
            return None;
        }
        if let Some(back) = self.down_until {
            return Some(back);
        }
        let mut next = self.next_heartbeat;
        for s in &self.scheduled {
            next = next.min(s.at);
        }
        if let Some(p) = self.product.next_deadline() {
            next = next.min(p);
        }
        Some(next)
    }

    /// Power-cycles the device at once (no down time; last reset
    /// `power_on`): the replay cache, outstanding requests and partial input
    /// are gone, the boot count goes up. A vanished device stays gone.
    pub fn reboot_now(&mut self, now: Instant) {
        if self.vanished {
            return;
        }
        self.go_down();
        self.pending_boot = Some(PendingBoot {
            reason: "power_on",
            factory: false,
        });
        self.finish_boot(now);
    }

    fn go_down(&mut self) {
        self.replay.clear();
        self.outstanding.clear();
        self.scheduled.clear();
        self.rx.clear();
    }

    fn start_reboot(&mut self, now: Instant, reason: &'static str, factory: bool) -> Output {
        self.go_down();
        self.down_until = Some(now + REBOOT_DOWN);
        self.pending_boot = Some(PendingBoot { reason, factory });
        Output::Reboot {
            at: now,
            down_for: REBOOT_DOWN,
        }
    }

    fn finish_boot(&mut self, at: Instant) {
        self.down_until = None;
        let boot = self.pending_boot.take().unwrap_or(PendingBoot {
            reason: "power_on",
            factory: false,
        });
        self.dev.boot_count += 1;
        self.dev.boot_at = at;
        self.dev.uptime_base_s = 0;
        self.dev.last_reset = boot.reason;
        if boot.factory {
            // Factory defaults: a fresh product's settings and an empty log.
            let fresh = SimSpec {
                faults: Vec::new(),
                ..self.spec.clone()
            };
            let (clean, _) = models::build(&fresh, at);
            self.dev.settings = clean.settings;
            self.dev.log.clear();
        }
        self.next_heartbeat = at + HEARTBEAT;
        self.dev.last_battery_read = None;
        self.product.on_boot(at);
        let fw = self.dev.fw_version.clone();
        self.dev.log(
            at,
            "info",
            "BOOT",
            format!("boot, fw {fw}, reset {}", boot.reason),
        );
    }
}

/// The serial of the `n`th device (0-based) when serving several: the unit
/// number at the end counts up from `first` (default per model).
pub fn nth_serial(model: Model, first: Option<&str>, n: u32) -> String {
    let first = first
        .map(str::to_string)
        .unwrap_or_else(|| common::default_serial(model));
    if n == 0 {
        return first;
    }
    let digits = first.chars().rev().take_while(char::is_ascii_digit).count();
    let (head, tail) = first.split_at(first.len() - digits);
    match tail.parse::<u64>() {
        Ok(unit) => format!("{head}{:0width$}", unit + u64::from(n), width = digits),
        Err(_) => format!("{first}-{}", n + 1),
    }
}
