//! The faults the simulator knows: device faults (conditions of the
//! hardware or its state that a troubleshooting tree looks for) and link
//! faults (for testing the host), by name.

use crate::interface::Model;

/// A device fault: a condition of the simulated hardware or its state that a
/// troubleshooting tree looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultInfo {
    /// Name used in addresses and scenario files.
    pub name: &'static str,
    /// Models it applies to (empty: all).
    pub models: &'static [Model],
    /// What it simulates.
    pub about: &'static str,
}

use Model::{HealthMonitor as HM, PetTracker as PT, SmartCollar as SC};

/// Every device fault the simulator knows.
pub const FAULTS: &[FaultInfo] = &[
    FaultInfo {
        name: "battery-degraded",
        models: &[],
        about: "worn battery (self-test BAT_DEGRADED, health 55%)",
    },
    FaultInfo {
        name: "battery-ntc-fault",
        models: &[],
        about: "battery thermistor fault (BAT_NTC_FAULT)",
    },
    FaultInfo {
        name: "battery-charge-fault",
        models: &[],
        about: "charging circuit fault while on the charger (BAT_CHARGE_FAULT)",
    },
    FaultInfo {
        name: "battery-overtemp",
        models: &[],
        about: "battery at 62 °C",
    },
    FaultInfo {
        name: "battery-hot-charging",
        models: &[],
        about: "on the USB charger with the battery at 66 °C: the charger has not cut out",
    },
    FaultInfo {
        name: "battery-low",
        models: &[],
        about: "battery at 7%",
    },
    FaultInfo {
        name: "charging",
        models: &[],
        about: "on the USB charger",
    },
    FaultInfo {
        name: "charger-not-detected",
        models: &[],
        about: "cable plugged in but no charger detected (bad cable or adapter)",
    },
    FaultInfo {
        name: "flash-ecc",
        models: &[],
        about: "flash memory ECC errors (FLASH_ECC); settings.set fails with -32020 as settings cannot be saved",
    },
    FaultInfo {
        name: "firmware-outdated",
        models: &[],
        about: "firmware older than the current release (2.3.0, 1.7.2, 3.0.9; BLE update-pending flag)",
    },
    FaultInfo {
        name: "interface-v2",
        models: &[],
        about: "reports interface version 2 and an extra field in device.info",
    },
    FaultInfo {
        name: "power-hungry-settings",
        models: &[],
        about: "settings that drain the battery (performance mode, shortest interval)",
    },
    FaultInfo {
        name: "gps-antenna-open",
        models: &[PT],
        about: "GPS antenna open circuit (GPS_ANT_OPEN)",
    },
    FaultInfo {
        name: "gps-antenna-short",
        models: &[PT],
        about: "GPS antenna short circuit (GPS_ANT_SHORT)",
    },
    FaultInfo {
        name: "gps-no-rf",
        models: &[PT],
        about: "GPS receiver hears nothing (GPS_NO_RF)",
    },
    FaultInfo {
        name: "gps-indoors",
        models: &[PT],
        about: "indoors, never had a fix: the 4th gps.status read (3 polls after the first) finds one, as does a cold start",
    },
    FaultInfo {
        name: "gps-stale-almanac",
        models: &[PT],
        about: "no fix outdoors (last fix 40 days ago) until gps.cold_start clears the almanac; fix 3 s later",
    },
    FaultInfo {
        name: "gps-weak-fix",
        models: &[PT],
        about: "a 2-D fix from 3 satellites, C/N0 27 dB-Hz, HDOP 4.8, that stays that weak outdoors and after a cold start",
    },
    FaultInfo {
        name: "gps-position-stuck",
        models: &[PT],
        about: "a 3-D fix whose position stopped updating 15 minutes ago, last fix age from 900 s, until gps.cold_start or a restart",
    },
    FaultInfo {
        name: "cell-no-sim",
        models: &[PT],
        about: "no SIM card (CELL_NO_SIM)",
    },
    FaultInfo {
        name: "cell-no-reg",
        models: &[PT],
        about: "not registered on a mobile network (CELL_NO_REG)",
    },
    FaultInfo {
        name: "app-not-paired",
        models: &[PT],
        about: "not paired with the phone app until paired again: a link.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "cloud-unreachable",
        models: &[PT],
        about: "cloud unreachable",
    },
    FaultInfo {
        name: "cloud-stalled",
        models: &[PT],
        about: "cloud unreachable with a good mobile signal until the tracker restarts",
    },
    FaultInfo {
        name: "cloud-auth-failed",
        models: &[PT],
        about: "cloud rejects the device's credentials",
    },
    FaultInfo {
        name: "geofence-tiny",
        models: &[PT],
        about: "a geofence of 15 m radius, smaller than GPS accuracy",
    },
    FaultInfo {
        name: "geofence-huge",
        models: &[PT],
        about: "the home geofence is 5 km across, so a walk of a few hundred metres never leaves it",
    },
    FaultInfo {
        name: "geofence-notifications-off",
        models: &[PT],
        about: "geofence notifications switched off",
    },
    FaultInfo {
        name: "geofence-none",
        models: &[PT],
        about: "no geofence set up",
    },
    FaultInfo {
        name: "sync-backlog",
        models: &[HM],
        about: "1440 records waiting, last sync a day ago (BLE timeout)",
    },
    FaultInfo {
        name: "storage-full",
        models: &[HM],
        about: "storage full (100%); sync.now fails with -32020 SYNC_FAILED",
    },
    FaultInfo {
        name: "sync-auth",
        models: &[HM],
        about: "sync rejected by the app (last_error auth); sync.now fails with -32020 SYNC_FAILED",
    },
    FaultInfo {
        name: "sync-rejected",
        models: &[HM],
        about: "the phone app refuses the data (its sync setting is off): 300 records waiting, sync.now fails with -32020 SYNC_FAILED",
    },
    FaultInfo {
        name: "sensor-turned",
        models: &[HM],
        about: "worn with skin contact but turned to one side: heart-rate signal 35% until turned back, on a sensors.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "optical-window-dirty",
        models: &[HM],
        about: "dirty optical window, poor heart-rate signal, until cleaned: clear on a sensors.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "no-skin-contact",
        models: &[HM],
        about: "monitor not touching the skin (contact 20%, bpm null, calibrate refused) until refitted: fixed on a sensors.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "needs-calibration",
        models: &[HM],
        about: "heart rate reads 395 bpm, impossible for a dog or cat, until sensors.calibrate",
    },
    FaultInfo {
        name: "fever",
        models: &[HM],
        about: "a pet that is unwell, not a device fault: a steady 40.9 °C and 188 bpm with good contact, above the alert limits",
    },
    FaultInfo {
        name: "temp-implausible",
        models: &[HM],
        about: "temperature reads 55.0 °C with good contact and the sensor status ok; calibration changes nothing",
    },
    FaultInfo {
        name: "hr-implausible",
        models: &[HM],
        about: "heart rate reads a steady 395 bpm with good contact and the sensor status ok; calibration changes nothing",
    },
    FaultInfo {
        name: "fever",
        models: &[HM],
        about: "a feverish pet: a steady 40.9 °C and 188 bpm with good contact (the animal's health, not a sensor fault; calibrating changes nothing)",
    },
    FaultInfo {
        name: "hr-led-fault",
        models: &[HM],
        about: "heart-rate LED fault (HR_LED_FAULT)",
    },
    FaultInfo {
        name: "hr-no-signal",
        models: &[HM],
        about: "heart-rate sensor gets no signal (HR_NO_SIGNAL)",
    },
    FaultInfo {
        name: "temp-out-of-range",
        models: &[HM],
        about: "temperature sensor out of range (TEMP_OUT_OF_RANGE)",
    },
    FaultInfo {
        name: "imu-no-response",
        models: &[HM],
        about: "motion sensor does not respond (IMU_NO_RESPONSE)",
    },
    FaultInfo {
        name: "alerts-off",
        models: &[HM],
        about: "health alerts switched off",
    },
    FaultInfo {
        name: "alerts-app-off",
        models: &[HM],
        about: "alerts not sent to the phone app",
    },
    FaultInfo {
        name: "alerts-undelivered",
        models: &[HM],
        about: "test alert not acknowledged by the app",
    },
    FaultInfo {
        name: "alerts-thresholds-odd",
        models: &[HM],
        about: "alert thresholds that never trigger (high 250 bpm)",
    },
    FaultInfo {
        name: "led-channel-open",
        models: &[SC],
        about: "LED channel 1 open (LED_CH_OPEN)",
    },
    FaultInfo {
        name: "led-channel-intermittent",
        models: &[SC],
        about: "LED channel 1 passes the self-test and reads ok, but stays dark in led.test",
    },
    FaultInfo {
        name: "led-driver-fault",
        models: &[SC],
        about: "LED driver fault (LED_DRIVER_FAULT); led.test fails with -32020",
    },
    FaultInfo {
        name: "led-off",
        models: &[SC],
        about: "LED mode set to off",
    },
    FaultInfo {
        name: "led-dim",
        models: &[SC],
        about: "LED brightness at 5%",
    },
    FaultInfo {
        name: "motor-stall",
        models: &[SC],
        about: "vibration motor stalled (MOTOR_STALL)",
    },
    FaultInfo {
        name: "buzzer-fault",
        models: &[SC],
        about: "buzzer fault (BUZZER_FAULT)",
    },
    FaultInfo {
        name: "training-off",
        models: &[SC],
        about: "training mode off",
    },
    FaultInfo {
        name: "training-low-sensitivity",
        models: &[SC],
        about: "training sensitivity 1",
    },
    FaultInfo {
        name: "training-commands-lost",
        models: &[SC],
        about: "training commands from the app have not reached the collar for 3 days",
    },
    FaultInfo {
        name: "fit-loose",
        models: &[SC],
        about: "collar fits loosely until refitted: fixed on a fit.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "fit-tight",
        models: &[SC],
        about: "collar too tight until refitted: fixed on a fit.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "integration-lost",
        models: &[SC],
        about: "link to the paired PetTracker lost, also after a restart",
    },
    FaultInfo {
        name: "integration-out-of-range",
        models: &[SC],
        about: "link to the paired PetTracker lost until the devices are brought together: back on an integration.status read 2 s or more after the previous one",
    },
    FaultInfo {
        name: "integration-stuck",
        models: &[SC],
        about: "link to the paired PetTracker lost until the collar restarts",
    },
    FaultInfo {
        name: "collar-too-small",
        models: &[SC],
        about: "a collar a size too small: tight at every notch",
    },
    FaultInfo {
        name: "integration-none",
        models: &[SC],
        about: "nothing linked until linked in the app: an integration.status read 2 s or more after the previous one",
    },
];

/// A fault of the link rather than the device, for testing the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFaultInfo {
    /// Name used after `link=`.
    pub name: &'static str,
    /// What it does.
    pub about: &'static str,
}

/// Every link fault the simulator knows.
pub const LINK_FAULTS: &[LinkFaultInfo] = &[
    LinkFaultInfo {
        name: "corrupt",
        about: "flips a bit in every 3rd answer the device sends (bad CRC)",
    },
    LinkFaultInfo {
        name: "corrupt-rx",
        about: "the device garbles every 3rd line it receives and answers frame error",
    },
    LinkFaultInfo {
        name: "drop",
        about: "drops every 3rd answer (the replay cache serves the retry)",
    },
    LinkFaultInfo {
        name: "slow",
        about: "answers every 4th request 1.5 s late (past the host's timeout)",
    },
    LinkFaultInfo {
        name: "busy",
        about: "answers the first try of every request with busy (retry_ms 30)",
    },
    LinkFaultInfo {
        name: "silent",
        about: "never answers",
    },
    LinkFaultInfo {
        name: "hung",
        about: "prints its boot banner, then its firmware never answers (a hung firmware)",
    },
    LinkFaultInfo {
        name: "garbage",
        about: "not a PawCore device: answers every line with AT-modem text or binary junk",
    },
    LinkFaultInfo {
        name: "reboot",
        about: "crashes once, right after its 6th answer: reboots (last reset watchdog)",
    },
    LinkFaultInfo {
        name: "vanish",
        about: "disappears for good after its 6th answer",
    },
    LinkFaultInfo {
        name: "noisy",
        about: "sends a log line and an unknown event before every answer",
    },
];

/// The device faults that apply to `model`.
pub fn faults_for(model: Model) -> impl Iterator<Item = &'static FaultInfo> {
    FAULTS
        .iter()
        .filter(move |f| f.models.is_empty() || f.models.contains(&model))
}
