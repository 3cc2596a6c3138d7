//! The device used last, remembered in the data directory so `auto` can
//! prefer it when it is present again (picked first, marked "last used").
//! Only real devices are remembered; simulator addresses are not.

use crate::address::Address;
use crate::connect::Candidate;
use crate::interface::serial;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The device used last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastDevice {
    /// The address that reached it.
    pub address: String,
    /// Its serial number, when it told it.
    pub serial: Option<String>,
    /// Its model id, when it told it.
    pub model: Option<String>,
}

/// Where it is kept.
pub fn path() -> PathBuf {
    crate::config::data_dir().join("last-device.json")
}

/// The device used last, if one was remembered (a damaged file is no memory).
pub fn load(path: &Path) -> Option<LastDevice> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() > 16 * 1024 {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

/// Remembers `addr` (with what the device said about itself). Simulated
/// and `auto` addresses are not devices one comes back to.
pub fn save(
    path: &Path,
    addr: &Address,
    serial: Option<&str>,
    model: Option<&str>,
) -> std::io::Result<()> {
    if matches!(addr, Address::Sim(_) | Address::Auto) {
        return Ok(());
    }
    let last = LastDevice {
        address: addr.to_string(),
        serial: serial.map(|s| s.chars().take(64).collect()),
        model: model.map(|s| s.chars().take(32).collect()),
    };
    let bytes = serde_json::to_vec_pretty(&last).map_err(std::io::Error::other)?;
    // Replaced whole (never half-written), but not synced to disk: it is a
    // preference, and an fsync on every command would cost more than it saves.
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

impl LastDevice {
    /// Whether a candidate `auto` found is this device: the same serial, the
    /// serial its Bluetooth name gives, or the same address.
    pub fn is(&self, c: &Candidate) -> bool {
        if let (Some(mine), Some(theirs)) = (&self.serial, &c.serial) {
            return serial::same(mine, theirs);
        }
        if let (Some(mine), Some(hint)) = (&self.serial, &c.serial_hint) {
            let name_of_mine = serial::ble_name(mine).and_then(|n| serial::partial_from_name(&n));
            if name_of_mine.is_some_and(|p| p == *hint) {
                return true;
            }
        }
        self.address.eq_ignore_ascii_case(&c.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interface::Model;

    fn cand(address: &str, serial: Option<&str>, hint: Option<&str>) -> Candidate {
        Candidate {
            address: address.into(),
            model: Model::PetTracker,
            serial: serial.map(String::from),
            serial_hint: hint.map(String::from),
            via: "usb",
        }
    }

    #[test]
    fn remembers_real_devices_and_recognises_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("last-device.json");
        let sim: Address = "sim:pettracker".parse().expect("address");
        save(&p, &sim, Some("PT-24A0-0001"), None).expect("save");
        assert_eq!(load(&p), None, "simulators are not remembered");
        let usb: Address = "serial:/dev/ttyACM3".parse().expect("address");
        save(&p, &usb, Some("PT-24A0-0002"), Some("pettracker")).expect("save");
        let last = load(&p).expect("remembered");
        assert!(last.is(&cand("serial:/dev/ttyACM0", Some("pt-24a0-0002"), None)));
        assert!(!last.is(&cand("serial:/dev/ttyACM3", Some("PT-24A0-0009"), None)));
        assert!(last.is(&cand("ble:C0:FF:EE:00:00:02", None, Some("PT-…-0002"))));
        assert!(!last.is(&cand("ble:C0:FF:EE:00:00:03", None, Some("PT-…-0003"))));
        std::fs::write(&p, "{ not json").expect("write");
        assert_eq!(load(&p), None);
    }
}
