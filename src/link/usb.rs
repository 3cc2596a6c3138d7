//! Finding PawCore devices among USB serial ports (VID 0x1209, the products'
//! PIDs). Works from sysfs without libudev.

use crate::interface::model::{Model, USB_VID};
use serde::Serialize;

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
}

/// Lists attached PawCore USB serial devices, sorted by port.
pub fn list() -> Vec<UsbDevice> {
    let Ok(ports) = serialport::available_ports() else {
        return Vec::new();
    };
    let mut found: Vec<UsbDevice> = ports
        .into_iter()
        .filter_map(|p| match p.port_type {
            serialport::SerialPortType::UsbPort(info) if info.vid == USB_VID => {
                Model::from_usb_pid(info.pid).map(|model| UsbDevice {
                    port: p.port_name,
                    model,
                    serial: info.serial_number,
                    product: info.product,
                })
            }
            _ => None,
        })
        .collect();
    found.sort_by(|a, b| a.port.cmp(&b.port));
    found
}

/// The port of the PawCore device with this USB serial number, used to find a
/// device again after it re-enumerated under another path (§1.1).
pub fn find_by_serial(serial: &str) -> Option<String> {
    list()
        .into_iter()
        .find(|d| d.serial.as_deref() == Some(serial))
        .map(|d| d.port)
}
