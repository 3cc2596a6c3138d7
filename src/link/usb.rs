//! Finding PawCore devices among USB serial ports (VID 0x1209, the products'
//! PIDs), from serialport's enumeration on every system: sysfs on Linux
//! (no libudev), SetupAPI on Windows (`COM3`, the USB serial string read
//! from the composite device's parent), IOKit on macOS (which lists each
//! port twice, `/dev/cu.*` and `/dev/tty.*`: only the `cu` one is kept, as
//! opening `tty` waits for a carrier the device never raises).
//!
//! Simulated devices can join the list: `pawdiag sim serve` with
//! [`SIM_USB_ENV`] set writes its pseudo-terminals into that directory as if
//! they were USB devices (port, product id, USB serial string), so `scan`,
//! `auto`, serial-number addresses and `batch auto-all` can be tried and
//! tested without hardware. Nothing is read from there unless the variable
//! is set, and never on Windows, which has no pseudo-terminals to serve.

use crate::interface::model::{Model, USB_VID};
use crate::platform::Os;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The directory where simulated USB devices are registered, when set.
pub const SIM_USB_ENV: &str = "PAWDIAG_SIM_USB";

/// A PawCore device seen on USB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsbDevice {
    /// Port path, e.g. `/dev/ttyACM0`.
    pub port: String,
    /// Model from the PID.
    pub model: Model,
    /// USB serial-number string (the device serial).
    pub serial: Option<String>,
    /// USB product string.
    pub product: Option<String>,
    /// Served by `pawdiag sim serve` (registered in [`SIM_USB_ENV`]).
    pub simulated: bool,
}

/// Lists attached PawCore USB serial devices (and registered simulated
/// ones), sorted by port. An enumeration that fails lists nothing.
pub fn list() -> Vec<UsbDevice> {
    try_list().unwrap_or_default()
}

/// Lists attached PawCore USB serial devices, or says why the ports could
/// not be enumerated.
pub fn try_list() -> Result<Vec<UsbDevice>, String> {
    let ports = serialport::available_ports().map_err(|e| e.to_string())?;
    let mut found = pawcore_ports(ports);
    if let Some(dir) = sim_dir() {
        found.extend(registered_in(&dir));
    }
    found.sort_by(|a, b| a.port.cmp(&b.port));
    Ok(found)
}

/// The PawCore devices among enumerated ports: USB ports with our vendor
/// id and a product id of ours, each port once (macOS's `/dev/tty.*` twin
/// of a `/dev/cu.*` port is dropped).
fn pawcore_ports(ports: Vec<serialport::SerialPortInfo>) -> Vec<UsbDevice> {
    let callout: std::collections::HashSet<String> = ports
        .iter()
        .filter_map(|p| p.port_name.strip_prefix("/dev/cu.").map(str::to_string))
        .collect();
    ports
        .into_iter()
        .filter(|p| {
            p.port_name
                .strip_prefix("/dev/tty.")
                .is_none_or(|rest| !callout.contains(rest))
        })
        .filter_map(|p| match p.port_type {
            serialport::SerialPortType::UsbPort(info) if info.vid == USB_VID => {
                Model::from_usb_pid(info.pid).map(|model| UsbDevice {
                    port: p.port_name,
                    model,
                    serial: info.serial_number,
                    product: info.product,
                    simulated: false,
                })
            }
            _ => None,
        })
        .collect()
}

/// The port of the PawCore device with this USB serial number, used to find a
/// device again after it re-enumerated under another path (§1.1).
pub fn find_by_serial(serial: &str) -> Option<String> {
    list()
        .into_iter()
        .find(|d| {
            d.serial
                .as_deref()
                .is_some_and(|s| crate::interface::serial::same(s, serial))
        })
        .map(|d| d.port)
}

fn sim_dir() -> Option<PathBuf> {
    if !Os::current().has_pseudo_terminals() {
        return None;
    }
    std::env::var_os(SIM_USB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// When [`SIM_USB_ENV`] is set on a system where it means nothing
/// (Windows), the sentence saying so; the command shows it as a warning.
pub fn sim_registry_ignored() -> Option<String> {
    std::env::var_os(SIM_USB_ENV).filter(|v| !v.is_empty())?;
    let os = Os::current();
    (!os.has_pseudo_terminals()).then(|| {
        format!(
            "{SIM_USB_ENV} is ignored on {}: simulated USB devices are served on pseudo-terminals, which need Linux or macOS",
            os.name()
        )
    })
}

/// One simulated device as registered on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimEntry {
    /// Its pseudo-terminal.
    pub port: String,
    /// USB product id.
    pub pid: u16,
    /// USB serial-number string.
    pub serial: String,
    /// USB product string.
    pub product: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct SimFile {
    /// The process serving them; entries of a process that is gone are stale.
    owner: u32,
    devices: Vec<SimEntry>,
}

/// Registers simulated devices served by this process in `dir`; the file is
/// removed when the returned guard is dropped.
pub fn register(dir: &Path, devices: Vec<SimEntry>) -> std::io::Result<Registration> {
    std::fs::create_dir_all(dir)?;
    let owner = std::process::id();
    let path = dir.join(format!("sim-{owner}.json"));
    let bytes = serde_json::to_vec_pretty(&SimFile { owner, devices })?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)?;
    Ok(Registration(path))
}

/// Where [`register`] should write, when the environment asks for it.
pub fn registry_dir() -> Option<PathBuf> {
    sim_dir()
}

/// Keeps simulated devices registered while alive.
#[derive(Debug)]
pub struct Registration(PathBuf);

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Simulated devices registered in `dir` whose server still runs and whose
/// port still exists. Untrusted files: bounded, and anything odd is skipped.
fn registered_in(dir: &Path) -> Vec<UsbDevice> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(Result::ok).take(256) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.len() > 256 * 1024 {
            continue;
        }
        let Ok(file) = serde_json::from_slice::<SimFile>(&bytes) else {
            continue;
        };
        if !process_alive(file.owner) {
            continue;
        }
        for d in file.devices.into_iter().take(256) {
            let Some(model) = Model::from_usb_pid(d.pid) else {
                continue;
            };
            if !Path::new(&d.port).exists() {
                continue;
            }
            out.push(UsbDevice {
                port: d.port,
                model,
                serial: Some(d.serial),
                product: Some(d.product),
                simulated: true,
            });
        }
    }
    out
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serialport::{SerialPortInfo, SerialPortType, UsbPortInfo};

    fn usb(name: &str, vid: u16, pid: u16, serial: Option<&str>) -> SerialPortInfo {
        SerialPortInfo {
            port_name: name.into(),
            port_type: SerialPortType::UsbPort(UsbPortInfo {
                vid,
                pid,
                serial_number: serial.map(str::to_string),
                manufacturer: Some("PawCore".into()),
                product: Some("PawCore PetTracker".into()),
            }),
        }
    }

    #[test]
    fn windows_com_ports_are_found_by_their_usb_ids() {
        // As serialport enumerates a Windows 10 machine: the CDC-ACM
        // interface with the serial string of its composite parent.
        let ports = vec![
            SerialPortInfo {
                port_name: "COM1".into(),
                port_type: SerialPortType::PciPort,
            },
            usb("COM3", USB_VID, 0x7A01, Some("PT-24A0-0001")),
            usb("COM4", 0x2341, 0x7A01, Some("not-ours")),
            usb("COM7", USB_VID, 0x7A03, Some("SC-24A0-0009")),
            usb("COM8", USB_VID, 0x1234, None),
        ];
        let found = pawcore_ports(ports);
        let got: Vec<(&str, Model, Option<&str>)> = found
            .iter()
            .map(|d| (d.port.as_str(), d.model, d.serial.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("COM3", Model::PetTracker, Some("PT-24A0-0001")),
                ("COM7", Model::SmartCollar, Some("SC-24A0-0009")),
            ]
        );
    }

    #[test]
    fn macos_lists_each_device_once_by_its_callout_port() {
        let ports = vec![
            usb(
                "/dev/cu.usbmodem1101",
                USB_VID,
                0x7A02,
                Some("HM-24A0-0002"),
            ),
            usb(
                "/dev/tty.usbmodem1101",
                USB_VID,
                0x7A02,
                Some("HM-24A0-0002"),
            ),
            // A tty without a cu twin is kept.
            usb("/dev/tty.usbmodem9", USB_VID, 0x7A01, Some("PT-24A0-0003")),
            usb("/dev/cu.Bluetooth-Incoming-Port", 0, 0, None),
        ];
        let ports: Vec<String> = pawcore_ports(ports).into_iter().map(|d| d.port).collect();
        assert_eq!(ports, ["/dev/cu.usbmodem1101", "/dev/tty.usbmodem9"]);
    }

    #[test]
    fn registered_devices_are_listed_while_their_server_lives() {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = dir.path().join("pts-1");
        std::fs::write(&port, "").expect("port");
        let entry = SimEntry {
            port: port.display().to_string(),
            pid: Model::SmartCollar.usb_pid(),
            serial: "SC-24A0-0001".into(),
            product: "PawCore SmartCollar".into(),
        };
        let missing = SimEntry {
            port: dir.path().join("gone").display().to_string(),
            ..entry.clone()
        };
        let reg = register(dir.path(), vec![entry, missing]).expect("register");
        let found = registered_in(dir.path());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].model, Model::SmartCollar);
        assert_eq!(found[0].serial.as_deref(), Some("SC-24A0-0001"));
        assert!(found[0].simulated);
        drop(reg);
        assert!(registered_in(dir.path()).is_empty());
        // A file whose owner is gone, and garbage, are skipped.
        std::fs::write(
            dir.path().join("sim-1.json"),
            r#"{"owner":4000000000,"devices":[]}"#,
        )
        .expect("write");
        std::fs::write(dir.path().join("x.json"), "not json").expect("write");
        assert!(registered_in(dir.path()).is_empty());
    }
}
