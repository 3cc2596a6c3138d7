//! A fake BlueZ: `org.bluez` on a D-Bus bus (the one in
//! `DBUS_SYSTEM_BUS_ADDRESS`, normally a private `dbus-daemon`), serving
//! simulated devices so the real btleplug code path can be tested without
//! Bluetooth hardware. Linux only.
//!
//! It behaves like BlueZ as a host meets it (see shared/ble-testing-notes.md
//! and BlueZ's doc/org.bluez.*.rst), not like our client happens to expect:
//! devices show up only while discovering, RSSI is forgotten when discovery
//! stops, devices stop advertising while connected, GATT objects exist only
//! while connected (found by `Introspect`), notifications are `Value`
//! changes after `StartNotify`, reads emit a `Value` change too, a write
//! without response longer than MTU − 3 fails, a second concurrent connect is
//! `In Progress`, `Disconnect` cancels a pending connect (which then fails
//! `Cancelled`), and calls on vanished objects fail the way libdbus answers
//! them. Knobs add the errors and states hosts meet: a connect refused
//! `InProgress` or aborted once, a slow connect, connects that always fail,
//! no adapter, an adapter powered off or blocked by rfkill, and cached
//! devices that no longer advertise. Notify and discovery sessions end when their client leaves the bus;
//! connections do not.

mod gatt;
mod server;

pub use server::FakeBluez;

use super::Firmware;
use std::time::Duration;

/// One simulated device.
pub struct FakeDevice {
    /// MAC address, `C0:FF:EE:00:00:01`.
    pub address: String,
    /// Signal strength it is heard at, dBm.
    pub rssi: i16,
    /// What it is.
    pub kind: DeviceKind,
}

/// What kind of device.
pub enum DeviceKind {
    /// A PawCore device running simulated firmware.
    PawCore(Box<Firmware>),
    /// A heart-rate strap (not a PawCore device): advertises Heart Rate
    /// (0x180D), serves Battery and Device Information.
    HeartRateStrap {
        /// Its name.
        name: String,
        /// Battery percent.
        battery_pct: u8,
    },
}

/// The fake's adapter and its faults.
#[derive(Debug, Clone)]
pub struct BluezOptions {
    /// No adapter at all (`adapters()` is empty).
    pub no_adapter: bool,
    /// Adapter powered off and blocked by rfkill (powering it on fails).
    pub rfkill_blocked: bool,
    /// Adapter powered off, not blocked (a client may switch it on).
    pub powered_off: bool,
    /// The first `Device1.Connect` is refused `org.bluez.Error.InProgress`
    /// at once, as when another client or the kernel is mid-connect.
    pub in_progress_once: bool,
    /// The first `Device1.Connect` fails `le-connection-abort-by-local`.
    pub abort_once: bool,
    /// The first `Device1.Connect` takes [`SLOW_CONNECT`] before the link
    /// comes up (longer than a host's try); `Disconnect` cancels it.
    pub slow_connect: bool,
    /// Every `Device1.Connect` fails `le-connection-abort-by-local`.
    pub connect_fails: bool,
    /// Devices (by address) BlueZ remembers from before that no longer
    /// advertise: their objects exist, no advertisement comes.
    pub cached_away: Vec<String>,
    /// ATT MTU negotiated on connection (23 to 247).
    pub mtu: u16,
    /// How long a connection takes to come up.
    pub connect_delay: Duration,
    /// How long `Connect` waits for a device that does not advertise before
    /// failing with `le-connection-abort-by-local`.
    pub connect_timeout: Duration,
    /// Interval of advertisements while discovering.
    pub advert_interval: Duration,
}

impl Default for BluezOptions {
    fn default() -> Self {
        Self {
            no_adapter: false,
            rfkill_blocked: false,
            powered_off: false,
            in_progress_once: false,
            abort_once: false,
            slow_connect: false,
            connect_fails: false,
            cached_away: Vec::new(),
            mtu: 247,
            connect_delay: Duration::from_millis(30),
            connect_timeout: Duration::from_secs(2),
            advert_interval: Duration::from_millis(100),
        }
    }
}

/// Fault knobs of the fake BlueZ by name, for `pawdiag sim serve --ble`.
pub const BLUEZ_FAULTS: &[(&str, &str)] = &[
    ("no-adapter", "no Bluetooth adapter on the computer"),
    (
        "rfkill",
        "the adapter is powered off and blocked by rfkill (airplane mode)",
    ),
    (
        "powered-off",
        "the adapter is powered off (not blocked): clients may switch it on",
    ),
    (
        "in-progress-once",
        "the first connect is refused org.bluez.Error.InProgress (another connect is under way)",
    ),
    (
        "abort-once",
        "the first connect fails le-connection-abort-by-local",
    ),
    (
        "slow-connect",
        "the first connect takes 7 s (longer than one try of a host); Disconnect cancels it",
    ),
    (
        "connect-fails",
        "every connect fails le-connection-abort-by-local",
    ),
    (
        "cached-away",
        "BlueZ also remembers a PawCore device that no longer advertises",
    ),
    (
        "heart-rate-strap",
        "also serve a heart-rate strap (not a PawCore device) with Battery and Device Information",
    ),
    (
        "mtu-23",
        "negotiate the default ATT MTU of 23 (20-byte chunks)",
    ),
];

/// The MAC address of the n-th simulated device (0-based).
pub fn device_address(n: u32) -> String {
    let [_, _, hi, lo] = (n + 1).to_be_bytes();
    format!("C0:FF:EE:00:{hi:02X}:{lo:02X}")
}

/// How long the first connect takes with `slow_connect`.
pub const SLOW_CONNECT: Duration = Duration::from_secs(7);

/// The MAC address the heart-rate strap uses.
pub const STRAP_ADDRESS: &str = "D4:22:CD:00:4A:2C";
