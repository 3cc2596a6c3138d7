//! The simulated PetTracker: GPS, cellular/cloud link, geofences (§5).
//!
//! GPS rules:
//! - healthy: a 3-D fix all the time (also right after a reboot).
//! - `gps-antenna-open`/`-short`, `gps-no-rf`: never a fix; the device never
//!   had one, so `last_fix_age_s`, `lat` and `lon` are null (§9.5).
//! - `gps-indoors`: no fix (2 weak satellites, never had a fix) until the
//!   host has polled `gps.status` 3 more times after its first read (the 4th
//!   read shows the fix and a `gps.fix` event goes out: "taken outside"), or
//!   a cold start completes.
//! - `gps-stale-almanac`: good signal but no fix (last fix 40 days ago, so
//!   the old position is reported) until `gps.cold_start`.
//! - `gps-weak-fix`: a 2-D fix from 3 satellites (C/N0 27 dB-Hz, HDOP 4.8)
//!   that stays that weak outdoors and after a cold start.
//! - `gps-position-stuck`: a 3-D fix whose position stopped updating 15
//!   minutes ago (`last_fix_age_s` from 900 s, growing) until a cold start
//!   or a restart.
//! - `gps.cold_start` answers ok at once, drops the fix and, when a fix is
//!   possible, finds one 3 s later and sends `gps.fix`.
//! - `cloud-stalled`: the cloud unreachable until the tracker restarts.
//! - `app-not-paired`: unpaired until a `link.status` read after a
//!   hands-on pause (the person paired it again in the app).
//! - Walking: after a `gps.status` read that comes after a hands-on pause
//!   ([`super::HANDS_ON_PAUSE`]) the tracker is about 330 m north of home
//!   whenever it has a fix (the person took it for the safe-zone walk),
//!   outside the home zone unless `geofence-huge` made that zone 5 km across;
//!   a stuck position does not move.

use super::common::{Common, Kind, POWER_MODES, Schema};
use super::{Answer, DevError, Product, paused_before_read};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

const SCHEMA: Schema = &[
    ("tracking_interval_s", Kind::Int { min: 10, max: 3600 }),
    ("power_mode", Kind::Choice(POWER_MODES)),
    ("led", Kind::Choice(&["on", "off"])),
];

/// Time from a cold start to the next fix.
pub const COLD_START_FIX: Duration = Duration::from_secs(3);
/// Owner's home, as the device reports it (personal data).
const HOME: (f64, f64) = (52.52001, 13.40495);
/// Age of the last fix of a device with a stale almanac.
const STALE_FIX_AGE_S: u64 = 40 * 86_400;
/// Age of the position of a device whose position is stuck.
const STUCK_FIX_AGE_S: u64 = 900;
/// How far north a walk takes the tracker, in degrees (about 330 m).
const WALK_NORTH_DEG: f64 = 0.003;

/// PetTracker state.
pub struct PetTracker {
    antenna: &'static str,
    no_rf: bool,
    indoors: bool,
    stale_almanac: bool,
    weak: bool,
    stuck: bool,
    /// Walked out of the home zone.
    walked: bool,
    /// The previous `gps.status` read (for the hands-on walk).
    last_status_read: Option<Instant>,
    /// Has a fix now.
    fix: bool,
    /// When the last fix was (None: never had one).
    last_fix_at: Option<Instant>,
    /// Extra age of the last fix beyond `last_fix_at` (stale almanac).
    last_fix_extra_s: u64,
    /// `gps.status` reads so far (for `gps-indoors`).
    status_reads: u32,
    /// A cold start is searching; the fix comes at this time.
    fix_due: Option<Instant>,
    /// A `gps.fix` event to send at the next poll.
    fix_event: bool,
    registered: bool,
    rssi_dbm: Option<i32>,
    app_paired: bool,
    /// The previous `link.status` read (for the hands-on re-pairing).
    last_link_read: Option<Instant>,
    cloud: &'static str,
    /// The cloud connection comes back after a restart (`cloud-stalled`).
    cloud_back_on_boot: bool,
    last_sync_age_s: u64,
    notifications: bool,
    geofences: Vec<Value>,
}

impl PetTracker {
    /// A PetTracker with the faults of `dev`.
    pub fn new(dev: &mut Common, now: Instant) -> Self {
        dev.schema = SCHEMA;
        let hungry = dev.has("power-hungry-settings");
        dev.settings = json!({
            "tracking_interval_s": if hungry { 10 } else { 60 },
            "power_mode": if hungry { "performance" } else { "balanced" },
            "led": "on",
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        let antenna = if dev.has("gps-antenna-open") {
            "open"
        } else if dev.has("gps-antenna-short") {
            "short"
        } else {
            "ok"
        };
        let no_rf = dev.has("gps-no-rf");
        let indoors = dev.has("gps-indoors");
        let stale_almanac = dev.has("gps-stale-almanac");
        let broken = antenna != "ok" || no_rf;
        let (mut registered, mut rssi_dbm, mut cloud, mut last_sync_age_s) =
            (true, Some(-85), "ok", 40);
        if dev.has("cloud-unreachable") {
            cloud = "unreachable";
            last_sync_age_s = 7200;
        }
        if dev.has("cloud-stalled") {
            cloud = "unreachable";
            last_sync_age_s = 1800;
        }
        if dev.has("cloud-auth-failed") {
            cloud = "auth_failed";
            last_sync_age_s = 172_800;
        }
        if dev.has("cell-no-reg") {
            registered = false;
            rssi_dbm = Some(-113);
            cloud = "unreachable";
            last_sync_age_s = 7200;
        }
        if dev.has("cell-no-sim") {
            registered = false;
            rssi_dbm = None;
            cloud = "unreachable";
            last_sync_age_s = 259_200;
        }
        let home_radius = if dev.has("geofence-tiny") {
            15
        } else if dev.has("geofence-huge") {
            2500
        } else {
            150
        };
        let geofences = if dev.has("geofence-none") {
            Vec::new()
        } else {
            vec![
                json!({"id":1,"name":"Home","lat":52.52,"lon":13.405,"radius_m":home_radius,"enabled":true}),
                json!({"id":2,"name":"Park","lat":52.5163,"lon":13.3777,"radius_m":300,"enabled":true}),
            ]
        };
        let mut me = Self {
            antenna,
            no_rf,
            indoors,
            stale_almanac,
            weak: dev.has("gps-weak-fix"),
            stuck: dev.has("gps-position-stuck"),
            walked: false,
            last_status_read: None,
            fix: false,
            last_fix_at: None,
            last_fix_extra_s: 0,
            status_reads: 0,
            fix_due: None,
            fix_event: false,
            registered,
            rssi_dbm,
            app_paired: !dev.has("app-not-paired"),
            last_link_read: None,
            cloud,
            cloud_back_on_boot: dev.has("cloud-stalled"),
            last_sync_age_s,
            notifications: !dev.has("geofence-notifications-off"),
            geofences,
        };
        if stale_almanac {
            me.last_fix_at = Some(now);
            me.last_fix_extra_s = STALE_FIX_AGE_S;
        } else if !broken && !indoors {
            me.fix = true;
            me.last_fix_at = Some(now);
            if me.stuck {
                me.last_fix_extra_s = STUCK_FIX_AGE_S;
            }
        }
        me
    }

    fn can_fix(&self) -> bool {
        self.antenna == "ok" && !self.no_rf && !self.indoors && !self.stale_almanac
    }

    fn take_fix(&mut self, now: Instant) {
        self.stuck = false;
        self.fix = true;
        self.last_fix_at = Some(now);
        self.last_fix_extra_s = 0;
        self.fix_event = true;
    }

    fn gps_status(&self, now: Instant) -> Value {
        let ever = self.last_fix_at.is_some();
        // The position follows the walk once there is a fix to show it.
        let north = if self.walked && self.fix {
            WALK_NORTH_DEG
        } else {
            0.0
        };
        let (lat, lon) = if ever {
            (Some(HOME.0 + north), Some(HOME.1))
        } else {
            (None, None)
        };
        let age = self
            .last_fix_at
            .map(|t| now.saturating_duration_since(t).as_secs() + self.last_fix_extra_s);
        if self.fix && self.weak {
            return json!({
                "fix": "2d", "satellites": 3, "cn0_avg_dbhz": 27.0, "hdop": 4.8,
                "last_fix_age_s": 2, "lat": lat, "lon": lon, "antenna": self.antenna,
            });
        }
        if self.fix {
            return json!({
                "fix": "3d", "satellites": 9, "cn0_avg_dbhz": 38.5, "hdop": 1.1,
                "last_fix_age_s": if self.stuck { age } else { Some(1) },
                "lat": lat, "lon": lon, "antenna": self.antenna,
            });
        }
        let (sats, cn0) = if self.antenna != "ok" || self.no_rf {
            (0, None)
        } else if self.fix_due.is_some() {
            (4, Some(31.0))
        } else if self.indoors {
            (2, Some(21.5))
        } else {
            (6, Some(36.0))
        };
        json!({
            "fix": "none", "satellites": sats, "cn0_avg_dbhz": cn0, "hdop": null,
            "last_fix_age_s": age, "lat": lat, "lon": lon, "antenna": self.antenna,
        })
    }
}

impl Product for PetTracker {
    fn call(
        &mut self,
        method: &str,
        _params: &Map<String, Value>,
        dev: &mut Common,
        now: Instant,
    ) -> Option<Answer> {
        let result: Result<Value, DevError> = match method {
            "gps.status" => {
                let paused = paused_before_read(&mut self.last_status_read, now);
                self.status_reads += 1;
                // "Taken outside": the 4th read (3 polls after the first) sees the sky.
                if self.indoors && self.status_reads >= 4 {
                    self.indoors = false;
                    if self.can_fix() {
                        self.take_fix(now);
                        dev.log(now, "info", "GPS_FIX", "fix 3d, 9 satellites");
                    }
                }
                if paused && !self.stuck {
                    self.walked = true;
                }
                Ok(self.gps_status(now))
            }
            "gps.cold_start" => {
                // Clears the almanac and searches again; a cold start also
                // covers "take it outside and restart the search".
                self.stale_almanac = false;
                self.indoors = false;
                self.stuck = false;
                self.fix = false;
                self.fix_due = if self.can_fix() {
                    Some(now + COLD_START_FIX)
                } else {
                    None
                };
                dev.log(now, "info", "GPS_COLD_START", "almanac cleared, searching");
                Ok(json!({"ok": true}))
            }
            "link.status" => {
                // Paired again by the person in the app, after a pause.
                if paused_before_read(&mut self.last_link_read, now) && !self.app_paired {
                    self.app_paired = true;
                    dev.log(now, "info", "APP_PAIRED", "paired with the phone app");
                }
                Ok(json!({
                "cellular": {"registered": self.registered, "rssi_dbm": self.rssi_dbm},
                "app_paired": self.app_paired,
                "last_sync_age_s": self.last_sync_age_s + dev.uptime_s(now) % 60,
                "cloud": self.cloud,
                }))
            }
            "geofence.list" => Ok(json!({
                "notifications": self.notifications,
                "geofences": self.geofences,
            })),
            _ => return None,
        };
        Some(Answer::Now(result))
    }

    fn selftest(&self, component: &str) -> Option<(&'static str, &'static str)> {
        match component {
            "gps" if self.antenna == "open" => Some(("GPS_ANT_OPEN", "antenna open circuit")),
            "gps" if self.antenna == "short" => Some(("GPS_ANT_SHORT", "antenna short circuit")),
            "gps" if self.no_rf => {
                Some(("GPS_NO_RF", "no signal from the receiver's RF front end"))
            }
            "cellular" if !self.registered && self.rssi_dbm.is_none() => {
                Some(("CELL_NO_SIM", "no SIM card detected"))
            }
            "cellular" if !self.registered => Some(("CELL_NO_REG", "not registered on a network")),
            _ => None,
        }
    }

    fn poll(&mut self, now: Instant, dev: &mut Common) -> Vec<(String, Value)> {
        if let Some(due) = self.fix_due
            && now >= due
        {
            self.fix_due = None;
            if self.can_fix() {
                self.take_fix(due);
                dev.log(now, "info", "GPS_FIX", "fix 3d, 9 satellites");
            }
        }
        if std::mem::take(&mut self.fix_event) {
            return vec![("gps.fix".into(), self.gps_status(now))];
        }
        Vec::new()
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.fix_due
    }

    fn on_boot(&mut self, now: Instant) {
        if std::mem::take(&mut self.cloud_back_on_boot) {
            self.cloud = "ok";
            self.last_sync_age_s = 0;
        }
        self.stuck = false;
        self.last_status_read = None;
        self.last_link_read = None;
        self.fix_due = None;
        self.fix_event = false;
        self.fix = self.can_fix();
        if self.fix {
            self.last_fix_at = Some(now);
            self.last_fix_extra_s = 0;
        }
    }
}
