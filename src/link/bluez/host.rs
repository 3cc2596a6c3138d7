//! What `pawdiag doctor` asks the system bus and BlueZ directly (zbus,
//! read-only): is the bus there, who serves `org.bluez` and which version,
//! the adapters with their power state, and the devices BlueZ remembers.
//! The bus is the one in `DBUS_SYSTEM_BUS_ADDRESS` when set (tests, the
//! fake BlueZ), else the system bus.

use std::collections::HashMap;
use std::time::Duration;
use zbus::{Connection, OwnedObjectPath, OwnedVariant};

/// Longest time one question to the bus may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);

/// An adapter as BlueZ reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adapter {
    /// Object path, e.g. `/org/bluez/hci0`.
    pub path: String,
    /// Its address.
    pub address: String,
    /// Whether it is switched on.
    pub powered: bool,
    /// BlueZ's `PowerState` (`on`, `off`, `off-blocked`…), where offered.
    pub power_state: Option<String>,
}

/// A device BlueZ remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDevice {
    /// MAC address.
    pub address: String,
    /// Its name (`Alias`, else `Name`).
    pub name: Option<String>,
    /// Whether a connection to it is up (held by some process).
    pub connected: bool,
}

/// Who serves `org.bluez`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The process id, when the bus tells it.
    pub pid: Option<u32>,
    /// The program's file name (`bluetoothd`, or a simulator).
    pub program: Option<String>,
    /// BlueZ's version, when it could be found out.
    pub version: Option<String>,
}

type Objects = HashMap<OwnedObjectPath, HashMap<String, HashMap<String, OwnedVariant>>>;

/// Connects to the system bus (or says why not).
pub async fn system_bus() -> Result<Connection, String> {
    match tokio::time::timeout(CALL_TIMEOUT, Connection::system()).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the bus did not answer".into()),
    }
}

async fn call<B>(
    conn: &Connection,
    dest: &str,
    path: &str,
    iface: &str,
    member: &str,
    body: &B,
) -> Result<zbus::Message, String>
where
    B: serde::Serialize + zbus::DynamicType,
{
    match tokio::time::timeout(
        CALL_TIMEOUT,
        conn.call_method(Some(dest), path, Some(iface), member, body),
    )
    .await
    {
        Ok(Ok(m)) => Ok(m),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("{dest} did not answer {member}")),
    }
}

/// Whether a name on the bus has an owner.
pub async fn has_owner(conn: &Connection, name: &str) -> bool {
    let reply = call(
        conn,
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "NameHasOwner",
        &(name,),
    )
    .await;
    reply
        .ok()
        .and_then(|m| m.body().deserialize::<bool>().ok())
        .unwrap_or(false)
}

/// Who serves `org.bluez`, or `None` when nobody does.
pub async fn bluez_service(conn: &Connection) -> Option<Service> {
    if !has_owner(conn, "org.bluez").await {
        return None;
    }
    let pid = call(
        conn,
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        "org.freedesktop.DBus",
        "GetConnectionUnixProcessID",
        &("org.bluez",),
    )
    .await
    .ok()
    .and_then(|m| m.body().deserialize::<u32>().ok());
    let exe = pid.and_then(|p| std::fs::read_link(format!("/proc/{p}/exe")).ok());
    let program = exe
        .as_ref()
        .and_then(|e| e.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let version = match (&exe, &program) {
        (Some(exe), Some(p)) if p.starts_with("bluetoothd") => version_of(exe.as_os_str()).await,
        // Another program serves org.bluez (a simulator): no BlueZ version.
        (Some(_), _) => None,
        // The bus would not say who it is (another user's process): the
        // installed tools' version is the best guess.
        (None, _) => version_of("bluetoothctl".as_ref()).await,
    };
    Some(Service {
        pid,
        program,
        version,
    })
}

/// `PROGRAM --version`, its first version-looking word.
async fn version_of(program: &std::ffi::OsStr) -> Option<String> {
    let program = program.to_os_string();
    let run = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
    });
    let out = tokio::time::timeout(CALL_TIMEOUT, run)
        .await
        .ok()?
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_digit()))
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.contains('.'))
        .map(|w| w.chars().take(16).collect())
}

async fn managed_objects(conn: &Connection) -> Result<Objects, String> {
    let reply = call(
        conn,
        "org.bluez",
        "/",
        "org.freedesktop.DBus.ObjectManager",
        "GetManagedObjects",
        &(),
    )
    .await?;
    reply
        .body()
        .deserialize::<Objects>()
        .map_err(|e| e.to_string())
}

fn text(props: &HashMap<String, OwnedVariant>, key: &str) -> Option<String> {
    props
        .get(key)
        .and_then(|v| v.try_clone().ok())
        .and_then(|v| String::try_from(v).ok())
        .map(|s| s.chars().filter(|c| !c.is_control()).take(64).collect())
}

fn flag(props: &HashMap<String, OwnedVariant>, key: &str) -> bool {
    props
        .get(key)
        .and_then(|v| bool::try_from(v).ok())
        .unwrap_or(false)
}

/// BlueZ's adapters and the devices it remembers.
pub async fn inventory(conn: &Connection) -> Result<(Vec<Adapter>, Vec<KnownDevice>), String> {
    let objects = managed_objects(conn).await?;
    let mut adapters = Vec::new();
    let mut devices = Vec::new();
    for (path, ifaces) in objects {
        if let Some(a) = ifaces.get("org.bluez.Adapter1") {
            adapters.push(Adapter {
                path: path.as_str().to_string(),
                address: text(a, "Address").unwrap_or_default(),
                powered: flag(a, "Powered"),
                power_state: text(a, "PowerState"),
            });
        }
        if let Some(d) = ifaces.get("org.bluez.Device1") {
            devices.push(KnownDevice {
                address: text(d, "Address").unwrap_or_default(),
                name: text(d, "Alias").or_else(|| text(d, "Name")),
                connected: flag(d, "Connected"),
            });
        }
    }
    adapters.sort_by(|a, b| a.path.cmp(&b.path));
    devices.sort_by(|a, b| a.address.cmp(&b.address));
    Ok((adapters, devices))
}
