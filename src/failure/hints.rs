//! What to do about each failure class, on each system: Linux names BlueZ,
//! rfkill, `dialout` and ModemManager; Windows names Settings › Bluetooth &
//! devices and Device Manager; macOS names System Settings and the
//! Bluetooth permission of the terminal app. Classes that read the same
//! everywhere have one hint.

use super::FailureClass;
use crate::platform::Os;

/// The hint for `class` on `os`.
pub(super) fn hint(class: FailureClass, os: Os) -> &'static str {
    use FailureClass as F;
    match (class, os) {
        (F::NoSystemBus, Os::Linux) => {
            "Bluetooth needs BlueZ on a running system D-Bus (`sudo systemctl start dbus bluetooth`); or connect the device with its USB cable"
        }
        (F::BluetoothServiceDown, Os::Linux) => {
            "start it with `sudo systemctl start bluetooth`, or connect the device with its USB cable"
        }
        (F::NoSystemBus | F::BluetoothServiceDown, _) => {
            "restart the computer (that starts its Bluetooth service again), or connect the device with its USB cable"
        }
        (F::BluetoothNotAllowed, Os::Linux) => {
            "allow Bluetooth access for this terminal or user, then try again"
        }
        (F::BluetoothNotAllowed, Os::Windows) => {
            "if the PawCore device is listed in Settings › Bluetooth & devices › Devices, remove it there, then try again; or connect it with its USB cable"
        }
        (F::BluetoothNotAllowed, Os::MacOs) => {
            "allow your terminal app (Terminal, iTerm…) in System Settings › Privacy & Security › Bluetooth, quit and reopen it, then try again"
        }
        (F::PermissionDenied, Os::Linux) => {
            "add yourself to the `dialout` group (`sudo usermod -aG dialout $USER`, then log out and back in) or install pawdiag's udev rule (README); `pawdiag doctor` checks"
        }
        (F::PermissionDenied, _) => {
            "close any other program using the port, or run pawdiag as a user allowed to open serial ports; `pawdiag doctor` checks"
        }
        (F::NoAdapter, Os::Windows) => {
            "turn Bluetooth on in Settings › Bluetooth & devices (Device Manager shows whether the computer has an adapter), or connect the device with its USB cable (`pawdiag scan` lists it)"
        }
        (F::NoAdapter, _) => {
            "plug in a Bluetooth adapter, or connect the device with its USB cable (`pawdiag scan` lists it)"
        }
        (F::AdapterOff, Os::Linux) => {
            "switch it on (`bluetoothctl power on` or the system settings), then try again"
        }
        (F::AdapterOff, Os::Windows) => {
            "turn Bluetooth on in Settings › Bluetooth & devices (or the quick settings), then try again"
        }
        (F::AdapterOff, Os::MacOs) => {
            "turn Bluetooth on in System Settings › Bluetooth (or Control Centre), then try again"
        }
        (F::RfkillBlocked, Os::Linux) => {
            "switch Bluetooth on in the system settings (or run `rfkill unblock bluetooth`), then try again"
        }
        (F::RfkillBlocked, Os::Windows) => {
            "turn airplane mode off and Bluetooth on in Settings › Bluetooth & devices, then try again"
        }
        (F::RfkillBlocked, Os::MacOs) => {
            "turn Bluetooth on in System Settings › Bluetooth (or Control Centre), then try again"
        }
        (F::BluetoothError, _) => {
            "turn Bluetooth off and on again (`pawdiag doctor` checks the adapter), or use the USB cable"
        }
        (F::PortMissing, Os::Windows) => {
            "check the USB cable (a charge-only cable gives no port; Device Manager lists the device under Ports (COM & LPT)) and run `pawdiag scan` to list attached devices"
        }
        (F::PortMissing, _) => {
            "check the USB cable (a charge-only cable gives no port) and run `pawdiag scan` to list attached devices"
        }
        (F::PortBusy, Os::Linux) => {
            "close the other program using the port (another pawdiag, a serial monitor or ModemManager), then try again"
        }
        (F::PortBusy, _) => {
            "close the other program using the port (another pawdiag or a serial monitor), then try again"
        }
        (F::NotAPort, Os::Linux) => {
            "name the device's serial port, e.g. serial:/dev/ttyACM0, or its serial number (`pawdiag scan` lists both)"
        }
        (F::NotAPort, Os::Windows) => {
            "name the device's serial port, e.g. serial:COM3, or its serial number (`pawdiag scan` lists both)"
        }
        (F::NotAPort, Os::MacOs) => {
            "name the device's serial port, e.g. serial:/dev/cu.usbmodem1101, or its serial number (`pawdiag scan` lists both)"
        }
        (F::PortError, _) => "unplug the device, plug it back in, and try again",
        (F::NotFound, Os::MacOs) => {
            "wake the device (press its button or put it on the charger), move closer, and run `pawdiag scan`; check that System Settings › Privacy & Security › Bluetooth allows your terminal app"
        }
        (F::NotFound, _) => {
            "wake the device (press its button or put it on the charger), move closer, and run `pawdiag scan`"
        }
        (F::Ambiguous, _) => {
            "name one device by its serial number or address (`pawdiag scan` lists them)"
        }
        (F::CouldNotConnect, _) => {
            "move closer; close the PawCore app on the phone (a device connected to a phone stops advertising); turn Bluetooth off and on again; then try again"
        }
        (F::Silent, _) => {
            "check that the device is switched on and that this is its port (`pawdiag scan`), then unplug it and plug it back in"
        }
        (F::LinkLost, _) => {
            "check the cable or move closer, make sure the device is on, then run the command again"
        }
        (F::NotPawcore, _) => {
            "check that you picked the right port: `pawdiag scan` lists PawCore devices"
        }
        (F::UnexpectedAnswers, _) => {
            "check that this is a PawCore device with current firmware; if it is, escalate to Tier 2 with the transcript (-vv)"
        }
        (F::FirmwareNotResponding, _) => {
            "restart the device (switch it off and on, or unplug it and plug it back in), then try again; if it happens again, escalate to Tier 2"
        }
        (F::DeviceBusy, _) => {
            "wait a minute for the device to finish what it is doing, then try again"
        }
        (F::UnknownModel, _) => {
            "update pawdiag: the device may be a newer PawCore product than this version knows"
        }
    }
}
