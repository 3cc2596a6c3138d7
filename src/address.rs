//! Device addresses, one syntax everywhere: `serial:PATH`, `sim:MODEL?…`,
//! `ble:ADDRESS-OR-NAME`, a serial number (`PT-24A0-0001`, or `sn:ANY`
//! for serials of another shape), `replay:FILE` and `auto`.

use crate::sim::spec::{SimSpec, SimSpecError};
use std::fmt;
use std::str::FromStr;

/// Where a device is.
#[derive(Debug, Clone, PartialEq)]
pub enum Address {
    /// A serial port path (`/dev/ttyACM0`, a PTY, `COM3`).
    Serial(String),
    /// The built-in simulator.
    Sim(SimSpec),
    /// A BLE device by MAC address (`AA:BB:CC:DD:EE:FF`) or local name.
    Ble(String),
    /// A recorded session replayed: a `--record` recording or a report.
    Replay(String),
    /// A device by its serial number, found over USB (the USB serial
    /// string) or Bluetooth (the advertised name's suffix), then confirmed.
    SerialNumber(String),
    /// The one PawCore device attached; a picker when there are several.
    Auto,
}

/// A malformed address.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// Nothing we recognise.
    #[error("`{0}` is not a device address")]
    Unknown(String),
    /// `serial:` or `ble:` with nothing after it.
    #[error("`{0}` names no device after the colon")]
    Empty(String),
    /// A bad simulator spec.
    #[error(transparent)]
    Sim(#[from] SimSpecError),
}

impl AddressError {
    /// What to type instead.
    pub fn hint(&self) -> String {
        match self {
            AddressError::Sim(e) => e.hint(),
            _ => format!(
                "use a serial number (PT-24A0-0001), serial:{}, ble:AA:BB:CC:DD:EE:FF, ble:PawCore-PT-0001, sim:pettracker, replay:REPORT.json or auto",
                crate::platform::Os::current().example_port()
            ),
        }
    }
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("auto") {
            return Ok(Address::Auto);
        }
        let nonempty = |rest: &str| -> Result<String, AddressError> {
            if rest.trim().is_empty() {
                Err(AddressError::Empty(s.to_string()))
            } else {
                Ok(rest.trim().to_string())
            }
        };
        if let Some(rest) = s.strip_prefix("serial:") {
            return Ok(Address::Serial(nonempty(rest)?));
        }
        if let Some(rest) = s.strip_prefix("ble:") {
            return Ok(Address::Ble(nonempty(rest)?));
        }
        if let Some(rest) = s.strip_prefix("replay:") {
            return Ok(Address::Replay(nonempty(rest)?));
        }
        if let Some(rest) = s.strip_prefix("sim:") {
            return Ok(Address::Sim(SimSpec::from_address(rest)?));
        }
        if let Some(rest) = s.strip_prefix("sn:") {
            let sn = nonempty(rest)?;
            if sn.chars().any(|c| c.is_control() || c.is_whitespace()) || sn.len() > 64 {
                return Err(AddressError::Unknown(s.to_string()));
            }
            return Ok(Address::SerialNumber(sn.to_ascii_uppercase()));
        }
        if crate::interface::serial::model_of(s).is_some() {
            return Ok(Address::SerialNumber(s.to_ascii_uppercase()));
        }
        // A bare path is unambiguous enough to accept as a convenience.
        if s.starts_with('/') || is_windows_com(s) {
            return Ok(Address::Serial(s.to_string()));
        }
        Err(AddressError::Unknown(s.to_string()))
    }
}

fn is_windows_com(s: &str) -> bool {
    // `get`, not slicing: a device argument is anyone's text, and byte 3
    // may fall inside a character (found by fuzzing the manifest reader).
    match (s.get(..3), s.get(3..)) {
        (Some(com), Some(n)) => {
            !n.is_empty()
                && com.eq_ignore_ascii_case("COM")
                && n.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Serial(p) => write!(f, "serial:{p}"),
            Address::Sim(spec) => write!(f, "sim:{}", spec.to_address()),
            Address::Ble(a) => write!(f, "ble:{a}"),
            Address::Replay(p) => write!(f, "replay:{p}"),
            Address::SerialNumber(sn) if crate::interface::serial::model_of(sn).is_some() => {
                f.write_str(sn)
            }
            Address::SerialNumber(sn) => write!(f, "sn:{sn}"),
            Address::Auto => f.write_str("auto"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        assert_eq!(
            "serial:/dev/ttyACM0".parse::<Address>().unwrap(),
            Address::Serial("/dev/ttyACM0".into())
        );
        assert_eq!(
            "/dev/pts/3".parse::<Address>().unwrap(),
            Address::Serial("/dev/pts/3".into())
        );
        assert_eq!(
            "ble:PawCore-PT-0001".parse::<Address>().unwrap(),
            Address::Ble("PawCore-PT-0001".into())
        );
        assert_eq!("AUTO".parse::<Address>().unwrap(), Address::Auto);
        assert_eq!(
            "replay:r.json".parse::<Address>().unwrap(),
            Address::Replay("r.json".into())
        );
        assert_eq!(
            "pt-24a0-0001".parse::<Address>().unwrap(),
            Address::SerialNumber("PT-24A0-0001".into())
        );
        assert_eq!(
            "sn:ab12".parse::<Address>().unwrap(),
            Address::SerialNumber("AB12".into())
        );
        for text in [
            "PT-24A0-0001",
            "sn:AB12",
            "ble:PawCore-PT-0001",
            "serial:/dev/x",
        ] {
            assert_eq!(text.parse::<Address>().unwrap().to_string(), text);
        }
        assert!(matches!(
            "sim:pettracker".parse::<Address>().unwrap(),
            Address::Sim(_)
        ));
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(
            "serial:".parse::<Address>(),
            Err(AddressError::Empty(_))
        ));
        assert!(matches!(
            "replay:".parse::<Address>(),
            Err(AddressError::Empty(_))
        ));
        assert!(matches!(
            "ttyACM0".parse::<Address>(),
            Err(AddressError::Unknown(_))
        ));
        assert!(matches!(
            "usb:1".parse::<Address>(),
            Err(AddressError::Unknown(_))
        ));
        // Regression (fuzzing): a multi-byte character across byte 3.
        assert!(matches!(
            "0e\u{515}.device".parse::<Address>(),
            Err(AddressError::Unknown(_))
        ));
        assert_eq!(
            "COM3".parse::<Address>().unwrap(),
            Address::Serial("COM3".into())
        );
        assert!(matches!(
            "XX-24A0-0001".parse::<Address>(),
            Err(AddressError::Unknown(_))
        ));
        assert!(matches!(
            "sn:".parse::<Address>(),
            Err(AddressError::Empty(_))
        ));
        assert!(matches!(
            "sn:a b".parse::<Address>(),
            Err(AddressError::Unknown(_))
        ));
    }
}
