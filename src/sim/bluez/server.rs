//! The fake BlueZ's D-Bus side: a hand-written dispatcher over a raw zbus
//! connection (no object server), so every reply, error and signal can be
//! shaped exactly as BlueZ (built on libdbus) shapes it, including the
//! `UnknownMethod` answer for objects that have gone away.
//!
//! Laid out as: this file (the state, the bus loop, `FakeBluez`), `calls`
//! (method calls dispatched), `objects` (the object tree, properties,
//! introspection), `device` (one device's properties and signals), `links`
//! (connections, discovery sessions, notifications over time), `connect`
//! (`Device1.Connect`).

use super::gatt::{self, Service};
use super::{BluezOptions, FakeDevice};
use crate::sim::{Firmware, Output as FwOutput};
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use zbus::message::{Header, Type as MsgType};
use zbus::{Connection, Message, ObjectPath, Variant};

mod calls;
mod connect;
mod device;
mod links;
mod objects;

use calls::handle;

const ADAPTER_PATH: &str = "/org/bluez/hci0";
const ADAPTER_ADDRESS: &str = "00:1A:7D:DA:71:13";
const PROPS: &str = "org.freedesktop.DBus.Properties";
const INTROSPECTABLE: &str = "org.freedesktop.DBus.Introspectable";
const OBJECT_MANAGER: &str = "org.freedesktop.DBus.ObjectManager";
const ADAPTER1: &str = "org.bluez.Adapter1";
const DEVICE1: &str = "org.bluez.Device1";
const SERVICE1: &str = "org.bluez.GattService1";
const CHRC1: &str = "org.bluez.GattCharacteristic1";
const DESC1: &str = "org.bluez.GattDescriptor1";
/// Longest value a write with response may carry (ATT attribute maximum).
const MAX_ATTR_LEN: usize = 512;

type Props = Vec<(&'static str, Variant<'static>)>;

/// A running fake BlueZ. Dropping it stops serving (tasks are aborted).
pub struct FakeBluez {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

struct Shared {
    conn: Connection,
    opts: BluezOptions,
    state: Mutex<State>,
    wake: Notify,
}

struct State {
    adapter: Option<AdapterState>,
    devices: Vec<Dev>,
    next_advert: Instant,
    /// ATT MTU of every connection.
    mtu: u16,
    /// `Device1.Connect` calls so far (the once-only knobs act on the first).
    connect_calls: u32,
}

struct AdapterState {
    powered: bool,
    blocked: bool,
    /// Discovery sessions: client unique name → its filter's service UUIDs.
    sessions: BTreeMap<String, Vec<String>>,
    /// Filters set before a client's `StartDiscovery`.
    filters: HashMap<String, Vec<String>>,
}

enum Kind {
    Paw(Box<Firmware>),
    Strap { name: String, battery_pct: u8 },
}

struct Dev {
    address: String,
    path: String,
    rssi_base: i16,
    kind: Kind,
    /// Has an object (was heard while discovering).
    known: bool,
    connected: bool,
    connecting: bool,
    /// Bumped when a pending connect is cancelled, so its task gives up.
    connect_epoch: u64,
    /// `Device1.Connect` calls made to it.
    connect_calls: u32,
    /// RSSI of the last advertisement heard in this discovery.
    rssi: Option<i16>,
    /// Not advertising until then (rebooting).
    away_until: Option<Instant>,
    /// Gone for good.
    gone: bool,
    services: Vec<Service>,
    values: HashMap<u16, Vec<u8>>,
    /// Notify sessions: characteristic handle → clients.
    notify: HashMap<u16, BTreeSet<String>>,
    pending: Vec<FwOutput>,
    ticks: u32,
}

/// What a call answers.
enum Reply {
    /// A method return with a body built by the closure.
    Ok(Box<dyn FnOnce(zbus::message::Builder<'_>) -> zbus::Result<Message> + Send>),
    /// A D-Bus error: name and message.
    Err(String, String),
    /// Answered later (by a spawned task).
    Later,
}

fn ok_empty() -> Reply {
    Reply::Ok(Box::new(|b| b.build(&())))
}

fn ok_body<B>(body: B) -> Reply
where
    B: serde::Serialize + zbus::DynamicType + Send + 'static,
{
    Reply::Ok(Box::new(move |b| b.build(&body)))
}

fn bluez_err(name: &str, msg: &str) -> Reply {
    Reply::Err(format!("org.bluez.Error.{name}"), msg.to_string())
}

/// What libdbus answers for a call no object handles.
fn unknown_method(h: &Header<'_>) -> Reply {
    no_such_method(
        h.member().map(|m| m.as_str()).unwrap_or(""),
        &h.signature().to_string(),
        h.interface().map(|i| i.as_str()).unwrap_or(""),
    )
}

/// libdbus's `UnknownMethod` text. zbus shows a multi-argument body as one
/// structure, `(aya{sv})`; libdbus writes the bare `aya{sv}`.
fn no_such_method(member: &str, signature: &str, iface: &str) -> Reply {
    let sig = signature
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(signature);
    Reply::Err(
        "org.freedesktop.DBus.Error.UnknownMethod".into(),
        format!(
            "Method \"{member}\" with signature \"{sig}\" on interface \"{iface}\" doesn't exist\n"
        ),
    )
}

/// The objects the fake serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    /// `/`, `/org`, `/org/bluez`: only introspection and the object manager.
    Root(u8),
    Adapter,
    Device(usize),
    Service(usize, usize),
    Chrc(usize, usize, usize),
    Desc(usize, usize, usize),
}

fn dev_path(address: &str) -> String {
    format!("{ADAPTER_PATH}/dev_{}", address.replace(':', "_"))
}

fn path(s: &str) -> ObjectPath<'static> {
    // Every path here is built from fixed parts and hex digits.
    ObjectPath::try_from(s.to_string())
        .unwrap_or_else(|_| ObjectPath::from_static_str_unchecked("/"))
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock would be a bug in the fake; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn send_all(&self, msgs: Vec<Message>) {
        for m in msgs {
            let _ = self.conn.send(&m).await;
        }
    }

    /// Sends the reply; a caller that left meanwhile is no concern of ours.
    async fn answer(&self, h: &Header<'_>, reply: Reply) {
        let _ = match reply {
            Reply::Later => return,
            Reply::Ok(build) => match build(Message::method_return(h)) {
                Ok(m) => self.conn.send(&m).await,
                Err(e) => {
                    self.conn
                        .reply_error(h, "org.freedesktop.DBus.Error.Failed", &e.to_string())
                        .await
                }
            },
            Reply::Err(name, msg) => self.conn.reply_error(h, name.as_str(), &msg).await,
        };
    }
}

impl FakeBluez {
    /// Connects to the bus at `bus_address`, takes the name `org.bluez` and
    /// serves `devices` until dropped or [`FakeBluez::stop`]ped.
    pub async fn start(
        bus_address: &str,
        devices: Vec<FakeDevice>,
        opts: BluezOptions,
    ) -> zbus::Result<FakeBluez> {
        let conn = zbus::connection::Builder::address(bus_address)
            .build()
            .await?;
        // Hear about clients leaving, to end their sessions as BlueZ does.
        conn.call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "AddMatch",
            &("type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"),
        )
        .await?;
        let stream = zbus::MessageStream::from(&conn);
        conn.request_name("org.bluez").await?;
        let adapter = (!opts.no_adapter).then(|| AdapterState {
            powered: !opts.rfkill_blocked && !opts.powered_off,
            blocked: opts.rfkill_blocked,
            sessions: BTreeMap::new(),
            filters: HashMap::new(),
        });
        let mut devices: Vec<Dev> = devices.into_iter().map(Dev::new).collect();
        for d in &mut devices {
            // Known from an earlier session, gone since: an object, no adverts.
            if opts
                .cached_away
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&d.address))
            {
                d.known = true;
                d.gone = true;
            }
        }
        let shared = Arc::new(Shared {
            conn,
            state: Mutex::new(State {
                adapter,
                devices,
                next_advert: Instant::now(),
                mtu: opts.mtu.clamp(23, 517),
                connect_calls: 0,
            }),
            opts,
            wake: Notify::new(),
        });
        let driver = tokio::spawn(drive(shared.clone()));
        let serve = tokio::spawn(serve(shared.clone(), stream));
        Ok(FakeBluez {
            shared,
            tasks: vec![driver, serve],
        })
    }

    /// The bus name the fake got (for diagnostics).
    pub fn unique_name(&self) -> Option<String> {
        self.shared.conn.unique_name().map(|n| n.to_string())
    }

    /// Whether the device with this address is connected now.
    pub fn is_connected(&self, address: &str) -> bool {
        self.shared
            .lock()
            .devices
            .iter()
            .any(|d| d.address.eq_ignore_ascii_case(address) && d.connected)
    }

    /// How many times a host asked to connect to the device with this address.
    pub fn connect_calls(&self, address: &str) -> u32 {
        self.shared
            .lock()
            .devices
            .iter()
            .filter(|d| d.address.eq_ignore_ascii_case(address))
            .map(|d| d.connect_calls)
            .sum()
    }

    /// Stops serving and leaves the bus.
    pub async fn stop(mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
        let _ = self.shared.conn.release_name("org.bluez").await;
    }

    /// Serves until the connection to the bus closes (the bus went away).
    pub async fn run_until_bus_closes(&self) {
        self.shared.conn.closed().await;
    }
}

impl Drop for FakeBluez {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn drive(shared: Arc<Shared>) {
    loop {
        let mut out = Vec::new();
        let next = {
            let mut st = shared.lock();
            st.tick(Instant::now(), &shared.opts, &mut out)
        };
        shared.send_all(out).await;
        let notified = shared.wake.notified();
        match next {
            Some(t) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(t.into()) => {}
                    _ = notified => {}
                }
            }
            None => notified.await,
        }
    }
}

async fn serve(shared: Arc<Shared>, mut stream: zbus::MessageStream) {
    while let Some(msg) = stream.next().await {
        let Ok(msg) = msg else { continue };
        match msg.message_type() {
            MsgType::MethodCall => {
                // BlueZ emits a call's property changes before answering it.
                let (signals, reply) = handle(&shared, &msg);
                shared.send_all(signals).await;
                shared.answer(&msg.header(), reply).await;
                shared.wake.notify_one();
            }
            MsgType::Signal => {
                let h = msg.header();
                if h.member().is_some_and(|m| m.as_str() == "NameOwnerChanged")
                    && let Ok((name, _old, new)) =
                        msg.body().deserialize::<(String, String, String)>()
                    && name.starts_with(':')
                    && new.is_empty()
                {
                    let mut out = Vec::new();
                    shared.lock().client_gone(&name, &mut out);
                    shared.send_all(out).await;
                }
            }
            _ => {}
        }
    }
}
