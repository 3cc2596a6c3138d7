//! Serial numbers as pure code (device interface §1, §1.2): `PT-24A0-0001`
//! is code, batch, unit; the USB serial-number string is the serial; the
//! BLE local name carries the code and the serial's last four characters
//! (`PawCore-PT-0001`), so a name narrows a serial down without connecting.

use super::adv::model_from_name;
use super::model::Model;

/// The model a serial number names by its code, when it has the PawCore
/// shape `XX-XXXX-XXXX` (letters and digits, any case) with a known code.
pub fn model_of(serial: &str) -> Option<Model> {
    let parts: Vec<&str> = serial.split('-').collect();
    let [code, batch, unit] = parts[..] else {
        return None;
    };
    let alnum = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_alphanumeric());
    if !(alnum(code, 2) && alnum(batch, 4) && alnum(unit, 4)) {
        return None;
    }
    Model::ALL
        .into_iter()
        .find(|m| m.code().eq_ignore_ascii_case(code))
}

/// The last four characters of a serial (what the BLE name carries).
fn suffix(serial: &str) -> Option<&str> {
    let n = serial.len();
    (n >= 4 && serial.is_char_boundary(n - 4)).then(|| &serial[n - 4..])
}

/// The local name a device with this serial advertises
/// (`PT-24A0-0001` → `PawCore-PT-0001`), when the serial names a model.
pub fn ble_name(serial: &str) -> Option<String> {
    let model = model_of(serial)?;
    Some(format!(
        "{}{}",
        model.ble_prefix(),
        suffix(serial)?.to_ascii_uppercase()
    ))
}

/// What a BLE local name tells of the serial (`PawCore-PT-0001` →
/// `PT-…-0001`): the code and the last four characters.
pub fn partial_from_name(name: &str) -> Option<String> {
    let model = model_from_name(name)?;
    let rest = name.get(model.ble_prefix().len()..)?;
    (rest.len() == 4 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| format!("{}-…-{}", model.code(), rest.to_ascii_uppercase()))
}

/// Whether two serial numbers are the same (serials are printed upper-case,
/// people type them in any case).
pub fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serial_shape_and_its_model() {
        assert_eq!(model_of("PT-24A0-0001"), Some(Model::PetTracker));
        assert_eq!(model_of("hm-24a0-0002"), Some(Model::HealthMonitor));
        assert_eq!(model_of("SC-24A0-0003"), Some(Model::SmartCollar));
        assert_eq!(model_of("XX-24A0-0001"), None);
        assert_eq!(model_of("PT-24A0-001"), None);
        assert_eq!(model_of("PT-24A0-0001-9"), None);
        assert_eq!(model_of("PT_24A0_0001"), None);
        assert_eq!(model_of("PT-24Ä0-0001"), None);
        assert_eq!(model_of(""), None);
    }

    #[test]
    fn names_and_serials_meet_in_the_last_four() {
        assert_eq!(ble_name("pt-24a0-0001").as_deref(), Some("PawCore-PT-0001"));
        assert_eq!(ble_name("XY-24A0-0001"), None);
        assert_eq!(
            partial_from_name("PawCore-SC-0042").as_deref(),
            Some("SC-…-0042")
        );
        assert_eq!(partial_from_name("PawCore-SC-42"), None);
        assert_eq!(partial_from_name("HR Strap 4A2C"), None);
        assert!(same(" PT-24A0-0001", "pt-24a0-0001"));
    }
}
