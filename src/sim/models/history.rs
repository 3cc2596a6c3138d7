//! The log a simulated device has at its first boot: routine entries of its
//! model, then one entry per fault the firmware would have logged, newest
//! last.

use super::common::{Common, LogLine};
use crate::interface::Model;

/// A plausible log history for the first boot: routine entries, then one
/// entry per fault that the firmware would have logged, newest last.
pub(super) fn history(dev: &Common) -> Vec<LogLine> {
    let routine: &[(&str, &str, &str)] = match dev.model {
        Model::PetTracker => &[
            ("info", "GPS_FIX", "fix 3d, 9 satellites"),
            ("info", "CLOUD_SYNC", "uploaded 12 positions"),
            ("info", "CELL_REG", "registered, rssi -85 dBm"),
        ],
        Model::HealthMonitor => &[
            ("info", "HR_SAMPLE", "heart rate 92 bpm, quality 85%"),
            ("info", "SYNC_OK", "synced 12 records"),
            ("info", "TEMP_SAMPLE", "temperature 38.6 C"),
        ],
        Model::SmartCollar => &[
            ("info", "LED_MODE", "LED steady at 80%"),
            ("info", "TRAINING_CMD", "vibration command from app"),
            ("info", "LINK_OK", "PetTracker link ok"),
        ],
    };
    let mut log = vec![LogLine {
        t: 1,
        level: "info",
        code: "BOOT".into(),
        msg: format!("boot, fw {}", dev.fw_version),
    }];
    for k in 0..30u64 {
        let (level, code, msg) = routine[(k as usize) % routine.len()];
        log.push(LogLine {
            t: 60 + k * 100,
            level,
            code: code.into(),
            msg: msg.into(),
        });
    }
    const FAULT_LOG: &[(&str, &str, &str, &str)] = &[
        ("battery-low", "warn", "BAT_LOW", "battery below 10%"),
        (
            "battery-overtemp",
            "error",
            "BAT_TEMP_HIGH",
            "battery 62.0 C, charging stopped",
        ),
        (
            "battery-ntc-fault",
            "error",
            "BAT_NTC",
            "battery thermistor reads open circuit",
        ),
        (
            "battery-charge-fault",
            "error",
            "CHG_FAULT",
            "charger IC fault, not charging",
        ),
        (
            "charger-not-detected",
            "warn",
            "CHG_NOT_DETECTED",
            "USB power present but no charger detected",
        ),
        ("flash-ecc", "error", "FLASH_ECC", "ECC error in block 212"),
        (
            "gps-antenna-open",
            "error",
            "GPS_ANT_OPEN",
            "GPS antenna open circuit",
        ),
        (
            "gps-antenna-short",
            "error",
            "GPS_ANT_SHORT",
            "GPS antenna short circuit",
        ),
        (
            "gps-no-rf",
            "error",
            "GPS_NO_RF",
            "GPS receiver hears no signal",
        ),
        (
            "gps-stale-almanac",
            "warn",
            "GPS_NO_FIX",
            "no fix for 40 days, almanac stale",
        ),
        ("cell-no-sim", "error", "CELL_NO_SIM", "no SIM card"),
        (
            "cell-no-reg",
            "warn",
            "CELL_NO_REG",
            "network registration denied",
        ),
        (
            "cloud-unreachable",
            "warn",
            "CLOUD_UNREACHABLE",
            "cloud unreachable",
        ),
        (
            "cloud-auth-failed",
            "error",
            "CLOUD_AUTH",
            "cloud rejected credentials (401)",
        ),
        ("sync-backlog", "warn", "SYNC_TIMEOUT", "BLE sync timed out"),
        (
            "storage-full",
            "error",
            "STORAGE_FULL",
            "storage full, oldest records kept",
        ),
        (
            "sync-auth",
            "error",
            "SYNC_AUTH",
            "app rejected sync (auth)",
        ),
        (
            "hr-led-fault",
            "error",
            "HR_LED_FAULT",
            "heart-rate LED current out of range",
        ),
        (
            "hr-no-signal",
            "error",
            "HR_NO_SIGNAL",
            "heart-rate photodiode reads nothing",
        ),
        (
            "temp-out-of-range",
            "error",
            "TEMP_OUT_OF_RANGE",
            "temperature sensor out of range",
        ),
        (
            "imu-no-response",
            "error",
            "IMU_NO_RESPONSE",
            "motion sensor does not answer",
        ),
        (
            "led-channel-open",
            "error",
            "LED_CH_OPEN",
            "LED channel 1 open circuit",
        ),
        (
            "led-driver-fault",
            "error",
            "LED_DRIVER_FAULT",
            "LED driver fault",
        ),
        (
            "motor-stall",
            "error",
            "MOTOR_STALL",
            "vibration motor stalled",
        ),
        ("buzzer-fault", "error", "BUZZER_FAULT", "buzzer coil open"),
        (
            "integration-lost",
            "warn",
            "LINK_LOST",
            "lost the paired PetTracker",
        ),
        (
            "integration-out-of-range",
            "warn",
            "LINK_LOST",
            "lost the paired PetTracker",
        ),
        (
            "gps-position-stuck",
            "warn",
            "GPS_STALE",
            "position not updated for 15 min",
        ),
        (
            "fever",
            "warn",
            "ALERT_TEMP_HIGH",
            "temperature 40.9 C above the alert limit",
        ),
    ];
    let mut t = 3100;
    for (fault, level, code, msg) in FAULT_LOG {
        if dev.has(fault) {
            t += 17;
            log.push(LogLine {
                t,
                level,
                code: (*code).into(),
                msg: (*msg).into(),
            });
        }
    }
    log
}
