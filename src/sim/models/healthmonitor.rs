//! The simulated HealthMonitor: sensors, sync, alerts, calibration (§6).
//!
//! Hands-on faults resolve by the rule of [`super::HANDS_ON_PAUSE`]:
//! `optical-window-dirty` and `no-skin-contact` show on every
//! `sensors.status` read until a read that comes at least 2 s after the
//! previous one (the host asked the person to clean or refit the monitor,
//! waited, and looked again); that read and all later ones are clean.
//! `needs-calibration` reads a heart rate no living dog or cat has (395 bpm)
//! until `sensors.calibrate` succeeds, which needs skin contact (-32602
//! without) and a working heart-rate sensor (-32020 otherwise).
//! `temp-implausible` reads 55.0 °C and `hr-implausible` 395 bpm with good
//! contact and the sensor status ok; calibration answers ok and changes
//! nothing. `fever` is a pet that is
//! unwell, not a device fault: a steady 40.9 °C and 188 bpm with good
//! contact, above the device's own alert limits; calibration changes
//! nothing (the readings are real).
//! `sensor-turned` (worn with skin contact but turned to one side: heart-rate
//! signal 35%) resolves by the same rule (the person turned it back).
//! `sync.now` syncs the pending records in about 1 s with `sync.progress`
//! events; with `storage-full`, `sync-auth` or `sync-rejected` it fails with -32020
//! `SYNC_FAILED` after trying.

use super::common::{Common, Kind, POWER_MODES, Schema};
use super::{Answer, DevError, Product, paused_before_read};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

const SCHEMA: Schema = &[
    ("monitoring_interval_s", Kind::Int { min: 60, max: 3600 }),
    ("power_mode", Kind::Choice(POWER_MODES)),
    ("alerts_enabled", Kind::Bool),
];

/// How long `sync.now` takes.
pub const SYNC_TIME: Duration = Duration::from_millis(1000);

/// HealthMonitor state.
pub struct HealthMonitor {
    window_dirty: bool,
    no_contact: bool,
    needs_cal: bool,
    /// The animal has a fever: real readings, not a sensor problem.
    fever: bool,
    temp_implausible: bool,
    hr_implausible: bool,
    last_sensors_read: Option<Instant>,
    hr_fault: Option<(&'static str, &'static str)>,
    temp_fault: bool,
    imu_fault: bool,
    pending_records: u64,
    /// When the last sync happened, as an age at `age_at`.
    last_sync_age_s: u64,
    age_at: Instant,
    last_error: &'static str,
    storage_used_pct: u8,
    sync_refused: Option<&'static str>,
    sensor_turned: bool,
    notify_app: bool,
    hr_high: u32,
    undelivered: bool,
}

impl HealthMonitor {
    /// A HealthMonitor with the faults of `dev`.
    pub fn new(dev: &mut Common, now: Instant) -> Self {
        dev.schema = SCHEMA;
        let hungry = dev.has("power-hungry-settings");
        dev.settings = json!({
            "monitoring_interval_s": if hungry { 60 } else { 300 },
            "power_mode": if hungry { "performance" } else { "balanced" },
            "alerts_enabled": !dev.has("alerts-off"),
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        let hr_fault = if dev.has("hr-led-fault") {
            Some(("HR_LED_FAULT", "heart-rate LED drive current out of range"))
        } else if dev.has("hr-no-signal") {
            Some(("HR_NO_SIGNAL", "heart-rate photodiode reads no signal"))
        } else {
            None
        };
        let mut me = Self {
            window_dirty: dev.has("optical-window-dirty"),
            no_contact: dev.has("no-skin-contact"),
            needs_cal: dev.has("needs-calibration"),
            fever: dev.has("fever"),
            temp_implausible: dev.has("temp-implausible"),
            hr_implausible: dev.has("hr-implausible"),
            last_sensors_read: None,
            hr_fault,
            temp_fault: dev.has("temp-out-of-range"),
            imu_fault: dev.has("imu-no-response"),
            pending_records: 12,
            last_sync_age_s: 900,
            age_at: now,
            last_error: "none",
            storage_used_pct: 18,
            sync_refused: None,
            sensor_turned: dev.has("sensor-turned"),
            notify_app: !dev.has("alerts-app-off"),
            hr_high: if dev.has("alerts-thresholds-odd") {
                250
            } else {
                140
            },
            undelivered: dev.has("alerts-undelivered"),
        };
        if dev.has("sync-backlog") {
            me.pending_records = 1440;
            me.last_sync_age_s = 86_400;
            me.last_error = "ble_timeout";
            me.storage_used_pct = 60;
        }
        if dev.has("sync-auth") {
            me.pending_records = 2880;
            me.last_sync_age_s = 172_800;
            me.last_error = "auth";
            me.storage_used_pct = 35;
            me.sync_refused = Some("the app rejected the sync (auth)");
        }
        if dev.has("sync-rejected") {
            me.pending_records = 300;
            me.last_sync_age_s = 6 * 3600;
            me.sync_refused = Some("the app refused the data");
        }
        if dev.has("storage-full") {
            me.pending_records = 20_160;
            me.last_sync_age_s = 14 * 86_400;
            me.last_error = "storage_full";
            me.storage_used_pct = 100;
            me.sync_refused = Some("storage full");
        }
        me
    }

    fn contact_pct(&self) -> u8 {
        if self.no_contact { 20 } else { 80 }
    }

    fn sensors_status(&mut self, now: Instant) -> Value {
        if paused_before_read(&mut self.last_sensors_read, now) {
            self.window_dirty = false;
            self.no_contact = false;
            self.sensor_turned = false;
        }
        let heart_rate = if self.hr_fault.is_some() {
            json!({"status": "fault", "bpm": null, "signal_quality_pct": 0})
        } else if self.no_contact {
            json!({"status": "no_contact", "bpm": null, "signal_quality_pct": 0})
        } else {
            let bpm = if self.needs_cal || self.hr_implausible {
                395
            } else if self.fever {
                188
            } else {
                92
            };
            json!({
                "status": "ok",
                "bpm": bpm,
                "signal_quality_pct": if self.window_dirty {
                    22
                } else if self.sensor_turned {
                    35
                } else {
                    85
                },
            })
        };
        let temperature = if self.temp_fault {
            json!({"status": "fault", "c": null})
        } else if self.no_contact {
            json!({"status": "no_contact", "c": 27.5})
        } else {
            let c = if self.temp_implausible {
                55.0
            } else if self.fever {
                40.9
            } else {
                38.6
            };
            json!({"status": "ok", "c": c})
        };
        json!({
            "heart_rate": heart_rate,
            "temperature": temperature,
            "activity": {"status": if self.imu_fault { "fault" } else { "ok" }},
            "contact_quality_pct": self.contact_pct(),
            "optical_window": if self.window_dirty { "dirty" } else { "clean" },
        })
    }

    fn sync_now(&mut self, dev: &mut Common, now: Instant) -> Answer {
        if let Some(why) = self.sync_refused {
            dev.log(now, "error", "SYNC_FAILED", why);
            return Answer::Later {
                after: SYNC_TIME,
                progress: vec![(
                    SYNC_TIME / 2,
                    "sync.progress".into(),
                    json!({"synced_records": 0, "total": self.pending_records}),
                )],
                result: Err(DevError::hardware("SYNC_FAILED", why)),
            };
        }
        let total = self.pending_records;
        let progress = (1..=4u64)
            .map(|k| {
                (
                    SYNC_TIME * k as u32 / 5,
                    "sync.progress".to_string(),
                    json!({"synced_records": total * k / 4, "total": total}),
                )
            })
            .collect();
        self.pending_records = 0;
        self.last_sync_age_s = 0;
        self.age_at = now + SYNC_TIME;
        self.last_error = "none";
        dev.log(now, "info", "SYNC_OK", format!("synced {total} records"));
        Answer::Later {
            after: SYNC_TIME,
            progress,
            result: Ok(json!({"synced_records": total})),
        }
    }
}

impl Product for HealthMonitor {
    fn call(
        &mut self,
        method: &str,
        _params: &Map<String, Value>,
        dev: &mut Common,
        now: Instant,
    ) -> Option<Answer> {
        let result: Result<Value, DevError> = match method {
            "sensors.status" => Ok(self.sensors_status(now)),
            "sync.status" => Ok(json!({
                "pending_records": self.pending_records,
                "last_sync_age_s": self.last_sync_age_s + now.saturating_duration_since(self.age_at).as_secs(),
                "last_error": self.last_error,
                "storage_used_pct": self.storage_used_pct,
            })),
            "sync.now" => return Some(self.sync_now(dev, now)),
            "alerts.config" => Ok(json!({
                "enabled": dev.setting_bool("alerts_enabled"),
                "notify_app": self.notify_app,
                "heart_rate_high_bpm": self.hr_high,
                "heart_rate_low_bpm": 50,
                "temp_high_c": 39.7,
            })),
            "alerts.test" => {
                let delivered =
                    dev.setting_bool("alerts_enabled") && self.notify_app && !self.undelivered;
                dev.log(
                    now,
                    if delivered { "info" } else { "warn" },
                    "ALERT_TEST",
                    if delivered {
                        "test alert acknowledged by the app"
                    } else {
                        "test alert not acknowledged"
                    },
                );
                Ok(json!({"delivered": delivered}))
            }
            "sensors.calibrate" => {
                let contact = self.contact_pct();
                if contact < 60 {
                    Err(DevError::invalid(format!(
                        "calibration needs the monitor on the animal (contact {contact}%, needs 60%)"
                    )))
                } else if let Some((code, detail)) = self.hr_fault {
                    Err(DevError::hardware(code, detail))
                } else if self.imu_fault {
                    Err(DevError::hardware(
                        "IMU_NO_RESPONSE",
                        "motion sensor does not answer",
                    ))
                } else {
                    self.needs_cal = false;
                    dev.log(now, "info", "CALIBRATED", "sensors calibrated");
                    Ok(json!({"ok": true}))
                }
            }
            _ => return None,
        };
        Some(Answer::Now(result))
    }

    fn selftest(&self, component: &str) -> Option<(&'static str, &'static str)> {
        match component {
            "hr_sensor" => self.hr_fault,
            "temp_sensor" if self.temp_fault => Some((
                "TEMP_OUT_OF_RANGE",
                "temperature reading outside the sensor's range",
            )),
            "imu" if self.imu_fault => Some(("IMU_NO_RESPONSE", "no answer on the sensor bus")),
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
        self.last_sensors_read = None;
    }
}
