//! The fake BlueZ checked against BlueZ's own behaviour, talking raw D-Bus
//! to it (zbus, an explicit bus address), so the BLE tests run against
//! something that answers like the real daemon: property types, discovery,
//! `In Progress`, MTU-bounded writes, Value changes on reads, vanished GATT
//! objects, RSSI forgotten, notify sessions ending with their client.
#![cfg(target_os = "linux")]
// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use futures_util::StreamExt;
use pawdiag::interface::model::{NUS_RX, NUS_SERVICE};
use pawdiag::sim::bluez::{
    BluezOptions, DeviceKind, FakeBluez, FakeDevice, STRAP_ADDRESS, device_address,
};
use pawdiag::sim::{Firmware, SimSpec};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zbus::{Connection, Message, OwnedObjectPath, OwnedVariant, Variant};

const DEV: &str = "/org/bluez/hci0/dev_C0_FF_EE_00_00_01";
const RX: &str = "/org/bluez/hci0/dev_C0_FF_EE_00_00_01/service0010/char0011";
const TX: &str = "/org/bluez/hci0/dev_C0_FF_EE_00_00_01/service0010/char0013";
const BATTERY: &str = "/org/bluez/hci0/dev_C0_FF_EE_00_00_01/service0021/char0022";

mod support;
use support::Bus;

fn bus() -> Bus {
    Bus::start()
}

async fn fake(bus: &Bus, opts: BluezOptions) -> FakeBluez {
    let devices = vec![
        FakeDevice {
            address: device_address(0),
            rssi: -50,
            kind: DeviceKind::PawCore(Box::new(Firmware::new(&SimSpec::new(
                pawdiag::interface::Model::PetTracker,
            )))),
        },
        FakeDevice {
            address: STRAP_ADDRESS.into(),
            rssi: -70,
            kind: DeviceKind::HeartRateStrap {
                name: "HR Strap".into(),
                battery_pct: 40,
            },
        },
    ];
    FakeBluez::start(&bus.address, devices, opts).await.unwrap()
}

async fn client(bus: &Bus) -> Connection {
    zbus::connection::Builder::address(bus.address.as_str())
        .build()
        .await
        .unwrap()
}

async fn call<B>(
    c: &Connection,
    path: &str,
    iface: &str,
    method: &str,
    body: &B,
) -> zbus::Result<Message>
where
    B: serde::Serialize + zbus::DynamicType,
{
    c.call_method(Some("org.bluez"), path, Some(iface), method, body)
        .await
}

fn err_of(r: zbus::Result<Message>) -> (String, String) {
    match r {
        Err(zbus::Error::MethodError(name, msg, _)) => (name.to_string(), msg.unwrap_or_default()),
        Err(zbus::Error::FDO(e)) => {
            use zbus::DBusError;
            (
                e.name().to_string(),
                e.description().unwrap_or_default().to_string(),
            )
        }
        other => panic!("expected a D-Bus error, got {other:?}"),
    }
}

type Objects = HashMap<OwnedObjectPath, HashMap<String, HashMap<String, OwnedVariant>>>;

async fn objects(c: &Connection) -> Objects {
    call(
        c,
        "/",
        "org.freedesktop.DBus.ObjectManager",
        "GetManagedObjects",
        &(),
    )
    .await
    .unwrap()
    .body()
    .deserialize()
    .unwrap()
}

fn sig(v: &OwnedVariant) -> String {
    v.value_signature().to_string()
}

/// Every signal from org.bluez, recorded.
async fn record(c: &Connection) -> Arc<Mutex<Vec<Message>>> {
    c.call_method(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        Some("org.freedesktop.DBus"),
        "AddMatch",
        &("type='signal',sender='org.bluez'"),
    )
    .await
    .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut stream = zbus::MessageStream::from(c);
    let keep = seen.clone();
    tokio::spawn(async move {
        while let Some(Ok(m)) = stream.next().await {
            if m.message_type() == zbus::message::Type::Signal {
                keep.lock().unwrap().push(m);
            }
        }
    });
    seen
}

fn value_changes(seen: &Arc<Mutex<Vec<Message>>>, path: &str) -> Vec<Vec<u8>> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|m| m.header().path().is_some_and(|p| p.as_str() == path))
        .filter_map(|m| {
            let (_, changed, _): (String, HashMap<String, OwnedVariant>, Vec<String>) =
                m.body().deserialize().ok()?;
            changed
                .get("Value")
                .and_then(|v| Vec::<u8>::try_from(v.try_clone().ok()?).ok())
        })
        .collect()
}

async fn discover(c: &Connection, uuids: Vec<String>) {
    let mut filter: HashMap<&str, Variant<'_>> = HashMap::new();
    filter.insert("UUIDs", Variant::from(uuids));
    call(
        c,
        "/org/bluez/hci0",
        "org.bluez.Adapter1",
        "SetDiscoveryFilter",
        &filter,
    )
    .await
    .unwrap();
    call(
        c,
        "/org/bluez/hci0",
        "org.bluez.Adapter1",
        "StartDiscovery",
        &(),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

fn write_opts(kind: &str) -> HashMap<&str, Variant<'_>> {
    let mut o = HashMap::new();
    o.insert("type", Variant::from(kind));
    o
}

#[tokio::test]
async fn adapter_and_devices_look_like_bluez() {
    let bus = bus();
    let _fake = fake(&bus, BluezOptions::default()).await;
    let c = client(&bus).await;
    let objs = objects(&c).await;
    // Before discovery only the adapter exists.
    assert_eq!(objs.len(), 1);
    let adapter =
        &objs[&OwnedObjectPath::try_from("/org/bluez/hci0").unwrap()]["org.bluez.Adapter1"];
    for (name, ty) in [
        ("Address", "s"),
        ("AddressType", "s"),
        ("Name", "s"),
        ("Alias", "s"),
        ("Modalias", "s"),
        ("Powered", "b"),
        ("Discovering", "b"),
        ("Class", "u"),
    ] {
        assert_eq!(sig(&adapter[name]), ty, "{name}");
    }
    // A filter on NUS: the PawCore device shows, the strap does not.
    discover(&c, vec![NUS_SERVICE.into()]).await;
    let objs = objects(&c).await;
    let dev = &objs[&OwnedObjectPath::try_from(DEV).unwrap()]["org.bluez.Device1"];
    assert!(!objs.keys().any(|p| p.as_str().contains("D4_22")));
    for (name, ty) in [
        ("Address", "s"),
        ("AddressType", "s"),
        ("Alias", "s"),
        ("Paired", "b"),
        ("Connected", "b"),
        ("ServicesResolved", "b"),
        ("Trusted", "b"),
        ("Blocked", "b"),
        ("LegacyPairing", "b"),
        ("RSSI", "n"),
        ("TxPower", "n"),
        ("ManufacturerData", "a{qv}"),
        ("UUIDs", "as"),
    ] {
        assert_eq!(sig(&dev[name]), ty, "{name}");
    }
    let md: HashMap<u16, OwnedVariant> = dev["ManufacturerData"]
        .try_clone()
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(sig(&md[&0xFFFF]), "ay");
    // A second StartDiscovery from the same client is refused, as BlueZ does.
    let (name, msg) = err_of(
        call(
            &c,
            "/org/bluez/hci0",
            "org.bluez.Adapter1",
            "StartDiscovery",
            &(),
        )
        .await,
    );
    assert_eq!(
        (name.as_str(), msg.as_str()),
        (
            "org.bluez.Error.InProgress",
            "Operation already in progress"
        )
    );
    // Stopping forgets RSSI.
    call(
        &c,
        "/org/bluez/hci0",
        "org.bluez.Adapter1",
        "StopDiscovery",
        &(),
    )
    .await
    .unwrap();
    let objs = objects(&c).await;
    let dev = &objs[&OwnedObjectPath::try_from(DEV).unwrap()]["org.bluez.Device1"];
    assert!(!dev.contains_key("RSSI"));
    let (name, _) = err_of(
        call(
            &c,
            "/org/bluez/hci0",
            "org.bluez.Adapter1",
            "StopDiscovery",
            &(),
        )
        .await,
    );
    assert_eq!(name, "org.bluez.Error.Failed");
}

#[tokio::test]
async fn connection_gatt_writes_reads_and_drop() {
    let bus = bus();
    let fake = fake(&bus, BluezOptions::default()).await;
    let c = client(&bus).await;
    let seen = record(&c).await;
    discover(&c, vec![]).await;
    call(
        &c,
        "/org/bluez/hci0",
        "org.bluez.Adapter1",
        "StopDiscovery",
        &(),
    )
    .await
    .unwrap();
    // Two connects at once: the second is "In Progress".
    let (a, b) = tokio::join!(call(&c, DEV, "org.bluez.Device1", "Connect", &()), async {
        tokio::time::sleep(Duration::from_millis(5)).await;
        call(&c, DEV, "org.bluez.Device1", "Connect", &()).await
    });
    a.unwrap();
    assert_eq!(
        err_of(b),
        ("org.bluez.Error.InProgress".into(), "In Progress".into())
    );
    assert!(fake.is_connected(&device_address(0)));

    // GATT objects are found by introspection, at BlueZ-style paths.
    let xml: String = call(
        &c,
        DEV,
        "org.freedesktop.DBus.Introspectable",
        "Introspect",
        &(),
    )
    .await
    .unwrap()
    .body()
    .deserialize()
    .unwrap();
    assert!(xml.contains("<node name=\"service0010\"/>"), "{xml}");
    let rx: HashMap<String, OwnedVariant> = call(
        &c,
        RX,
        "org.freedesktop.DBus.Properties",
        "GetAll",
        &("org.bluez.GattCharacteristic1"),
    )
    .await
    .unwrap()
    .body()
    .deserialize()
    .unwrap();
    assert_eq!(
        String::try_from(rx["UUID"].try_clone().unwrap()).unwrap(),
        NUS_RX
    );
    assert_eq!(
        Vec::<String>::try_from(rx["Flags"].try_clone().unwrap()).unwrap(),
        ["write-without-response", "write"]
    );
    assert_eq!(u16::try_from(rx["MTU"].try_clone().unwrap()).unwrap(), 247);

    // Writes without response must fit in MTU − 3.
    call(
        &c,
        RX,
        "org.bluez.GattCharacteristic1",
        "WriteValue",
        &(vec![b' '; 244], write_opts("command")),
    )
    .await
    .unwrap();
    let (name, msg) = err_of(
        call(
            &c,
            RX,
            "org.bluez.GattCharacteristic1",
            "WriteValue",
            &(vec![b' '; 245], write_opts("command")),
        )
        .await,
    );
    assert_eq!(
        (name.as_str(), msg.as_str()),
        ("org.bluez.Error.Failed", "Failed to initiate write")
    );
    call(
        &c,
        RX,
        "org.bluez.GattCharacteristic1",
        "WriteValue",
        &(vec![b' '; 500], write_opts("request")),
    )
    .await
    .unwrap();

    // Reading emits a Value change, as BlueZ does.
    let v: Vec<u8> = call(
        &c,
        BATTERY,
        "org.bluez.GattCharacteristic1",
        "ReadValue",
        &HashMap::<&str, Variant<'_>>::new(),
    )
    .await
    .unwrap()
    .body()
    .deserialize()
    .unwrap();
    assert_eq!(v, [78]);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(value_changes(&seen, BATTERY), [vec![78]]);

    // Notifications are Value changes of TX after StartNotify, in MTU − 3 chunks.
    call(&c, TX, "org.bluez.GattCharacteristic1", "StartNotify", &())
        .await
        .unwrap();
    // End the filler line written above, then ask something.
    let mut line = b"\n".to_vec();
    line.extend(pawdiag::interface::encode_line(r#"{"id":7,"method":"device.info"}"#).unwrap());
    call(
        &c,
        RX,
        "org.bluez.GattCharacteristic1",
        "WriteValue",
        &(line, write_opts("request")),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let chunks = value_changes(&seen, TX);
    assert!(!chunks.is_empty() && chunks.iter().all(|c| c.len() <= 244));
    let answer: Vec<u8> = chunks.concat();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with(r#"{"id":7,"result":{"#), "{text}");
    assert!(
        text.contains(r#""model":"pettracker""#) && text.ends_with('\n'),
        "{text}"
    );

    // The device drops the link: GATT objects go, a write fails as libdbus answers.
    call(&c, DEV, "org.bluez.Device1", "Disconnect", &())
        .await
        .unwrap();
    let (name, msg) = err_of(
        call(
            &c,
            RX,
            "org.bluez.GattCharacteristic1",
            "WriteValue",
            &(vec![b'x'], write_opts("command")),
        )
        .await,
    );
    assert_eq!(name, "org.freedesktop.DBus.Error.UnknownMethod");
    assert_eq!(
        msg,
        "Method \"WriteValue\" with signature \"aya{sv}\" on interface \"org.bluez.GattCharacteristic1\" doesn't exist\n"
    );
    assert!(!fake.is_connected(&device_address(0)));
}

#[tokio::test]
async fn notify_sessions_end_with_their_client_but_the_connection_stays() {
    let bus = bus();
    let fake = fake(&bus, BluezOptions::default()).await;
    let watcher = client(&bus).await;
    let seen = record(&watcher).await;
    {
        let c = client(&bus).await;
        discover(&c, vec![]).await;
        call(&c, DEV, "org.bluez.Device1", "Connect", &())
            .await
            .unwrap();
        call(&c, TX, "org.bluez.GattCharacteristic1", "StartNotify", &())
            .await
            .unwrap();
        c.close().await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let notifying: Vec<bool> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.header().path().is_some_and(|p| p.as_str() == TX))
        .filter_map(|m| {
            let (_, changed, _): (String, HashMap<String, OwnedVariant>, Vec<String>) =
                m.body().deserialize().ok()?;
            bool::try_from(changed.get("Notifying")?.try_clone().ok()?).ok()
        })
        .collect();
    assert_eq!(notifying, [true, false]);
    // The connection outlives the client that made it.
    assert!(fake.is_connected(&device_address(0)));
    // And its discovery session ended with it.
    let objs = objects(&watcher).await;
    let adapter =
        &objs[&OwnedObjectPath::try_from("/org/bluez/hci0").unwrap()]["org.bluez.Adapter1"];
    assert!(!bool::try_from(adapter["Discovering"].try_clone().unwrap()).unwrap());
}

#[tokio::test]
async fn rfkill_blocks_powering_on_and_no_adapter_means_no_object() {
    let bus = bus();
    let _fake = fake(
        &bus,
        BluezOptions {
            rfkill_blocked: true,
            ..BluezOptions::default()
        },
    )
    .await;
    let c = client(&bus).await;
    let r = call(
        &c,
        "/org/bluez/hci0",
        "org.freedesktop.DBus.Properties",
        "Set",
        &("org.bluez.Adapter1", "Powered", Variant::from(true)),
    )
    .await;
    assert_eq!(
        err_of(r),
        (
            "org.bluez.Error.Blocked".into(),
            "Blocked through rfkill".into()
        )
    );
    let (name, _) = err_of(
        call(
            &c,
            "/org/bluez/hci0",
            "org.bluez.Adapter1",
            "StartDiscovery",
            &(),
        )
        .await,
    );
    assert_eq!(name, "org.bluez.Error.NotReady");

    let bus2 = self::bus();
    let _fake2 = fake(
        &bus2,
        BluezOptions {
            no_adapter: true,
            ..BluezOptions::default()
        },
    )
    .await;
    let c2 = client(&bus2).await;
    assert!(objects(&c2).await.is_empty());
}
