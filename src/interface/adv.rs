//! The PawCore BLE advertisement as pure code (device interface §1.2, §9.10):
//! manufacturer-specific data under company id 0xFFFF, four bytes
//! `[version, model, battery %, flags]`, and the local name prefix
//! `PawCore-<code>-`.

use super::model::{BLE_COMPANY_ID, Model};
use serde::Serialize;

/// Flag bit: the device is charging.
pub const FLAG_CHARGING: u8 = 0b001;
/// Flag bit: a self-test component fails (a fault is latched).
pub const FLAG_FAULT: u8 = 0b010;
/// Flag bit: the device knows of a newer firmware release.
pub const FLAG_UPDATE_PENDING: u8 = 0b100;

/// What a PawCore device says about itself in its advertisement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PawAdvert {
    /// Interface version (1 in this document).
    pub version: u8,
    /// Model, when the model byte is one we know.
    pub model: Option<Model>,
    /// The raw model byte (kept so an unknown product can still be shown).
    pub model_byte: u8,
    /// Battery percent (0–100; larger values are clamped to 100).
    pub battery_pct: u8,
    /// On a charger.
    pub charging: bool,
    /// A self-test fault is latched.
    pub fault_latched: bool,
    /// A firmware update is pending.
    pub update_pending: bool,
}

impl PawAdvert {
    /// Parses the manufacturer data of company [`BLE_COMPANY_ID`]. Liberal in
    /// what it accepts (§ intro): extra trailing bytes from later firmware are
    /// ignored; fewer than 4 bytes is not a PawCore advertisement.
    pub fn parse(data: &[u8]) -> Option<PawAdvert> {
        let [version, model_byte, battery, flags, ..] = *data else {
            return None;
        };
        if version == 0 {
            return None;
        }
        Some(PawAdvert {
            version,
            model: Model::from_ble_byte(model_byte),
            model_byte,
            battery_pct: battery.min(100),
            charging: flags & FLAG_CHARGING != 0,
            fault_latched: flags & FLAG_FAULT != 0,
            update_pending: flags & FLAG_UPDATE_PENDING != 0,
        })
    }

    /// Finds and parses the PawCore entry among all manufacturer data of an
    /// advertisement (company id → bytes).
    pub fn from_manufacturer_data<'a>(
        entries: impl IntoIterator<Item = (&'a u16, &'a Vec<u8>)>,
    ) -> Option<PawAdvert> {
        entries
            .into_iter()
            .find(|(company, _)| **company == BLE_COMPANY_ID)
            .and_then(|(_, data)| PawAdvert::parse(data))
    }
}

/// The model a local name claims (`PawCore-HM-…` → HealthMonitor).
pub fn model_from_name(name: &str) -> Option<Model> {
    Model::ALL
        .into_iter()
        .find(|m| name.starts_with(&m.ble_prefix()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn parses_the_four_bytes() {
        let a = PawAdvert::parse(&[1, 2, 78, 0b101]).unwrap();
        assert_eq!(a.version, 1);
        assert_eq!(a.model, Some(Model::HealthMonitor));
        assert_eq!(a.battery_pct, 78);
        assert!(a.charging);
        assert!(!a.fault_latched);
        assert!(a.update_pending);
    }

    #[test]
    fn liberal_but_bounded() {
        // Later firmware may append bytes.
        let a = PawAdvert::parse(&[2, 3, 100, 0b010, 9, 9]).unwrap();
        assert_eq!(a.model, Some(Model::SmartCollar));
        assert!(a.fault_latched);
        // Unknown model byte is kept, not rejected.
        let a = PawAdvert::parse(&[1, 9, 50, 0]).unwrap();
        assert_eq!((a.model, a.model_byte), (None, 9));
        // A battery above 100 is untrusted device data: clamp.
        assert_eq!(PawAdvert::parse(&[1, 1, 250, 0]).unwrap().battery_pct, 100);
        assert_eq!(PawAdvert::parse(&[1, 1, 50]), None);
        assert_eq!(PawAdvert::parse(&[]), None);
        assert_eq!(PawAdvert::parse(&[0, 1, 50, 0]), None);
    }

    #[test]
    fn picks_our_company_id() {
        let mut m = HashMap::new();
        m.insert(0x004C_u16, vec![1, 1, 1, 1]);
        assert_eq!(PawAdvert::from_manufacturer_data(&m), None);
        m.insert(0xFFFF_u16, vec![1, 1, 42, 0]);
        assert_eq!(
            PawAdvert::from_manufacturer_data(&m).unwrap().battery_pct,
            42
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            model_from_name("PawCore-HM-0042"),
            Some(Model::HealthMonitor)
        );
        assert_eq!(model_from_name("Polar H10"), None);
    }
}
