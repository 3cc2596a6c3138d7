//! The GATT databases the fake BlueZ serves: a PawCore device (Nordic UART,
//! Device Information, Battery, §1.2) and a heart-rate strap that is not a
//! PawCore device. Paths follow BlueZ: `serviceXXXX/charYYYY/descZZZZ` named
//! after ATT handles in 4-digit lowercase hex.

use crate::interface::model::{NUS_RX, NUS_SERVICE, NUS_TX};

/// Full 128-bit form of a 16-bit Bluetooth SIG UUID, as BlueZ writes it.
pub fn sig_uuid(short: u16) -> String {
    format!("0000{short:04x}-0000-1000-8000-00805f9b34fb")
}

/// Client Characteristic Configuration descriptor.
pub const CCCD: u16 = 0x2902;

/// Where a characteristic's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A fixed value.
    Fixed(Vec<u8>),
    /// Battery Level from the device's current state.
    Battery,
    /// NUS RX: writes go to the firmware.
    NusRx,
    /// NUS TX: the firmware's output is notified here.
    NusTx,
    /// Heart Rate Measurement (notify only; the strap sends no data here).
    HeartRate,
}

/// One characteristic.
#[derive(Debug, Clone)]
pub struct Chrc {
    /// Declaration handle (names the object: `char{handle:04x}`).
    pub handle: u16,
    /// Full UUID, lowercase.
    pub uuid: String,
    /// BlueZ flag strings, exactly as BlueZ spells them.
    pub flags: &'static [&'static str],
    /// Where its value comes from.
    pub source: Source,
}

impl Chrc {
    /// Whether the characteristic notifies (and so has a CCCD and a
    /// `Notifying` property).
    pub fn notifies(&self) -> bool {
        self.flags
            .iter()
            .any(|f| *f == "notify" || *f == "indicate")
    }

    /// Handle of its CCCD (right after the value handle).
    pub fn cccd_handle(&self) -> u16 {
        self.handle + 2
    }

    /// Whether a flag is present.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.contains(&flag)
    }
}

/// One primary service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Start handle (names the object: `service{handle:04x}`).
    pub handle: u16,
    /// Full UUID.
    pub uuid: String,
    /// Its characteristics.
    pub chrcs: Vec<Chrc>,
}

/// Identity strings served by Device Information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisStrings {
    /// 0x2A29.
    pub manufacturer: String,
    /// 0x2A24.
    pub model: String,
    /// 0x2A25.
    pub serial: String,
    /// 0x2A26.
    pub firmware: String,
    /// 0x2A27.
    pub hardware: String,
}

/// A characteristic before layout: UUID, flags, value source.
type ChrcSpec = (String, &'static [&'static str], Source);
/// A service before layout: UUID and characteristics.
type ServiceSpec = (String, Vec<ChrcSpec>);

/// Lays out services from `first` on, giving each characteristic two
/// handles (declaration, value) and a CCCD handle when it notifies.
fn layout(first: u16, services: Vec<ServiceSpec>) -> Vec<Service> {
    let mut handle = first;
    let mut out = Vec::new();
    for (uuid, chrcs) in services {
        let start = handle;
        handle += 1;
        let mut list = Vec::new();
        for (cuuid, flags, source) in chrcs {
            let c = Chrc {
                handle,
                uuid: cuuid,
                flags,
                source,
            };
            handle += if c.notifies() { 3 } else { 2 };
            list.push(c);
        }
        out.push(Service {
            handle: start,
            uuid,
            chrcs: list,
        });
    }
    out
}

fn dis(d: &DisStrings) -> ServiceSpec {
    let read: &'static [&'static str] = &["read"];
    (
        sig_uuid(0x180A),
        vec![
            (
                sig_uuid(0x2A29),
                read,
                Source::Fixed(d.manufacturer.clone().into_bytes()),
            ),
            (
                sig_uuid(0x2A24),
                read,
                Source::Fixed(d.model.clone().into_bytes()),
            ),
            (
                sig_uuid(0x2A25),
                read,
                Source::Fixed(d.serial.clone().into_bytes()),
            ),
            (
                sig_uuid(0x2A26),
                read,
                Source::Fixed(d.firmware.clone().into_bytes()),
            ),
            (
                sig_uuid(0x2A27),
                read,
                Source::Fixed(d.hardware.clone().into_bytes()),
            ),
        ],
    )
}

fn battery() -> ServiceSpec {
    (
        sig_uuid(0x180F),
        vec![(sig_uuid(0x2A19), &["read", "notify"], Source::Battery)],
    )
}

/// A PawCore device: NUS first (so its RX is `service0010/char0011`), then
/// Device Information and Battery.
pub fn pawcore(d: &DisStrings) -> Vec<Service> {
    layout(
        0x0010,
        vec![
            (
                NUS_SERVICE.to_string(),
                vec![
                    (
                        NUS_RX.to_string(),
                        &["write-without-response", "write"],
                        Source::NusRx,
                    ),
                    (NUS_TX.to_string(), &["notify"], Source::NusTx),
                ],
            ),
            dis(d),
            battery(),
        ],
    )
}

/// A heart-rate strap: Heart Rate (0x180D), Device Information, Battery.
pub fn heart_rate_strap(d: &DisStrings) -> Vec<Service> {
    layout(
        0x0010,
        vec![
            (
                sig_uuid(0x180D),
                vec![
                    (sig_uuid(0x2A37), &["notify"], Source::HeartRate),
                    // Body Sensor Location: 1 = chest.
                    (sig_uuid(0x2A38), &["read"], Source::Fixed(vec![1])),
                ],
            ),
            dis(d),
            battery(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pawcore_layout_matches_bluez_paths() {
        let s = pawcore(&DisStrings::default());
        assert_eq!(s[0].handle, 0x0010);
        assert_eq!(s[0].chrcs[0].handle, 0x0011);
        assert_eq!(s[0].chrcs[0].uuid, NUS_RX);
        assert_eq!(s[0].chrcs[1].handle, 0x0013);
        assert_eq!(s[0].chrcs[1].cccd_handle(), 0x0015);
        // Next service starts after the TX CCCD.
        assert_eq!(s[1].handle, 0x0016);
        assert_eq!(s[1].uuid, "0000180a-0000-1000-8000-00805f9b34fb");
    }
}
