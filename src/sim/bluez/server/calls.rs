//! Method calls on the bus dispatched to the adapter, the devices and
//! their characteristics, answered as BlueZ answers them.

use super::connect::connect;
use super::device::{interfaces_removed, props_changed};
use super::gatt::Source;
use super::links::cccd_value;
use super::objects::{introspect, managed_objects, set_property};
use super::{
    ADAPTER_PATH, ADAPTER1, CHRC1, DESC1, DEVICE1, INTROSPECTABLE, Kind, MAX_ATTR_LEN,
    OBJECT_MANAGER, Obj, PROPS, Reply, Shared, State, bluez_err, no_such_method, ok_body, ok_empty,
    unknown_method,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use zbus::{Message, ObjectPath, OwnedVariant, Variant};

/// Handles one method call. Anything that has to wait (connecting) is
/// spawned and answered later.
pub(super) fn handle(shared: &Arc<Shared>, msg: &Message) -> (Vec<Message>, Reply) {
    let h = msg.header();
    let p = h.path().map(|p| p.as_str().to_string()).unwrap_or_default();
    let iface = h
        .interface()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    let member = h
        .member()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let sender = h.sender().map(|s| s.to_string()).unwrap_or_default();
    let body = msg.body();

    let mut out = Vec::new();
    let reply = {
        let mut st = shared.lock();
        let Some(obj) = st.resolve(&p) else {
            return (out, unknown_method(&h));
        };
        match (iface.as_str(), member.as_str()) {
            (INTROSPECTABLE, "Introspect") => ok_body(introspect(&st, obj)),
            ("org.freedesktop.DBus.Peer", "Ping") => ok_empty(),
            (OBJECT_MANAGER, "GetManagedObjects") if obj == Obj::Root(0) => {
                ok_body(managed_objects(&st))
            }
            (PROPS, "GetAll") => match body.deserialize::<String>() {
                Ok(want) => {
                    let props: HashMap<&str, Variant<'static>> = st
                        .interfaces(obj)
                        .into_iter()
                        .filter(|(i, _)| *i == want)
                        .flat_map(|(_, p)| p)
                        .collect();
                    ok_body(props)
                }
                Err(_) => invalid_args(),
            },
            (PROPS, "Get") => match body.deserialize::<(String, String)>() {
                Ok((want, name)) => {
                    let found = st
                        .interfaces(obj)
                        .into_iter()
                        .filter(|(i, _)| *i == want)
                        .flat_map(|(_, p)| p)
                        .find(|(n, _)| *n == name);
                    match found {
                        Some((_, v)) => ok_body(v),
                        None => Reply::Err(
                            "org.freedesktop.DBus.Error.InvalidArgs".into(),
                            "No such property".into(),
                        ),
                    }
                }
                Err(_) => invalid_args(),
            },
            (PROPS, "Set") => match body.deserialize::<(String, String, OwnedVariant)>() {
                Ok((i, name, value)) => set_property(&mut st, obj, &i, &name, value, &mut out),
                Err(_) => invalid_args(),
            },
            (ADAPTER1, m) if obj == Obj::Adapter => {
                adapter_call(&mut st, m, &sender, &body, &mut out)
            }
            (DEVICE1, "Connect") => match obj {
                Obj::Device(d) => connect(shared, &mut st, d, msg),
                _ => unknown_method(&h),
            },
            (DEVICE1, "Disconnect") => match obj {
                Obj::Device(d) => {
                    // Also cancels a connect in progress (BlueZ answers it
                    // `Failed: Cancelled`; its task sees the epoch move).
                    let dev = &mut st.devices[d];
                    if dev.connecting {
                        dev.connecting = false;
                        dev.connect_epoch += 1;
                    }
                    st.disconnect(d, &mut out);
                    ok_empty()
                }
                _ => unknown_method(&h),
            },
            (CHRC1, m) => match obj {
                Obj::Chrc(d, s, c) => chrc_call(&mut st, (d, s, c), m, &sender, &body, &mut out),
                _ => unknown_method(&h),
            },
            (DESC1, "ReadValue") => match obj {
                Obj::Desc(d, s, c) => {
                    let dev = &st.devices[d];
                    ok_body(cccd_value(dev.notifying(dev.services[s].chrcs[c].handle)))
                }
                _ => unknown_method(&h),
            },
            (DESC1, "WriteValue") => match obj {
                Obj::Desc(..) => bluez_err("NotPermitted", "Write not permitted"),
                _ => unknown_method(&h),
            },
            _ => unknown_method(&h),
        }
    };
    (out, reply)
}

pub(super) fn invalid_args() -> Reply {
    Reply::Err(
        "org.freedesktop.DBus.Error.InvalidArgs".into(),
        "Invalid arguments in method call".into(),
    )
}

pub(super) fn adapter_call(
    st: &mut State,
    member: &str,
    sender: &str,
    body: &zbus::message::Body,
    out: &mut Vec<Message>,
) -> Reply {
    let Some(a) = st.adapter.as_mut() else {
        return invalid_args();
    };
    match member {
        "SetDiscoveryFilter" => {
            let Ok(filter) = body.deserialize::<HashMap<String, OwnedVariant>>() else {
                return invalid_args();
            };
            let uuids: Vec<String> = filter
                .get("UUIDs")
                .and_then(|v| v.try_clone().ok())
                .and_then(|v| Vec::<String>::try_from(v).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|u| u.to_ascii_lowercase())
                .collect();
            a.filters.insert(sender.to_string(), uuids.clone());
            if let Some(session) = a.sessions.get_mut(sender) {
                *session = uuids;
            }
            ok_empty()
        }
        "StartDiscovery" => {
            if !a.powered {
                return bluez_err("NotReady", "Resource Not Ready");
            }
            if a.sessions.contains_key(sender) {
                return bluez_err("InProgress", "Operation already in progress");
            }
            let filter = a.filters.get(sender).cloned().unwrap_or_default();
            let first = a.sessions.is_empty();
            a.sessions.insert(sender.to_string(), filter);
            if first {
                st.next_advert = Instant::now();
                out.extend(props_changed(
                    ADAPTER_PATH,
                    ADAPTER1,
                    vec![("Discovering", Variant::from(true))],
                    &[],
                ));
            }
            ok_empty()
        }
        "StopDiscovery" => {
            if !a.powered {
                return bluez_err("NotReady", "Resource Not Ready");
            }
            if st.stop_discovery(sender, out) {
                if let Some(a) = st.adapter.as_mut() {
                    a.filters.remove(sender);
                }
                ok_empty()
            } else {
                bluez_err("Failed", "No discovery started")
            }
        }
        "RemoveDevice" => {
            let Ok(p) = body.deserialize::<ObjectPath<'_>>() else {
                return invalid_args();
            };
            let Some(d) = st
                .devices
                .iter()
                .position(|d| d.known && d.path == p.as_str())
            else {
                return bluez_err("DoesNotExist", "Does Not Exist");
            };
            st.disconnect(d, out);
            let dev = &mut st.devices[d];
            dev.known = false;
            dev.rssi = None;
            out.extend(interfaces_removed(&dev.path, DEVICE1));
            ok_empty()
        }
        "GetDiscoveryFilters" => ok_body(
            [
                "UUIDs",
                "RSSI",
                "Pathloss",
                "Transport",
                "DuplicateData",
                "Discoverable",
                "Pattern",
            ]
            .map(String::from)
            .to_vec(),
        ),
        _ => no_such_method(member, &body.signature().to_string(), ADAPTER1),
    }
}

pub(super) fn chrc_call(
    st: &mut State,
    (d, s, c): (usize, usize, usize),
    member: &str,
    sender: &str,
    body: &zbus::message::Body,
    out: &mut Vec<Message>,
) -> Reply {
    let mtu = st.mtu();
    let dev = &mut st.devices[d];
    let chrc = dev.services[s].chrcs[c].clone();
    let p = dev.chrc_path(s, c);
    match member {
        "ReadValue" => {
            if !chrc.has("read") {
                return bluez_err("NotPermitted", "Read not permitted");
            }
            let v = dev.chrc_value(&chrc);
            dev.values.insert(chrc.handle, v.clone());
            // BlueZ updates the cached Value, which emits a change.
            out.extend(props_changed(
                &p,
                CHRC1,
                vec![("Value", Variant::from(v.clone()))],
                &[],
            ));
            ok_body(v)
        }
        "WriteValue" => {
            let Ok((value, opts)) = body.deserialize::<(Vec<u8>, HashMap<String, OwnedVariant>)>()
            else {
                return invalid_args();
            };
            let kind = opts
                .get("type")
                .and_then(|v| v.try_clone().ok())
                .and_then(|v| String::try_from(v).ok());
            let command = match kind.as_deref() {
                Some("command") => true,
                Some("request") | Some("reliable") => false,
                Some(_) => return invalid_args(),
                None => !chrc.has("write"),
            };
            if command {
                if !chrc.has("write-without-response") {
                    return bluez_err("NotSupported", "Operation is not supported");
                }
                if value.len() > usize::from(mtu) - 3 {
                    return bluez_err("Failed", "Failed to initiate write");
                }
            } else {
                if !chrc.has("write") {
                    return bluez_err("NotPermitted", "Write not permitted");
                }
                if value.len() > MAX_ATTR_LEN {
                    return bluez_err("InvalidValueLength", "Invalid Length");
                }
            }
            if chrc.source == Source::NusRx
                && let Kind::Paw(fw) = &mut dev.kind
            {
                let outputs = fw.on_bytes(&value, Instant::now());
                dev.pending.extend(outputs);
            }
            ok_empty()
        }
        "StartNotify" => {
            if !chrc.notifies() {
                return bluez_err("NotSupported", "Operation is not supported");
            }
            let set = dev.notify.entry(chrc.handle).or_default();
            if !set.insert(sender.to_string()) {
                return bluez_err("InProgress", "In Progress");
            }
            if set.len() == 1 {
                out.extend(props_changed(
                    &p,
                    CHRC1,
                    vec![("Notifying", Variant::from(true))],
                    &[],
                ));
            }
            ok_empty()
        }
        "StopNotify" => {
            if st.end_notify(d, chrc.handle, sender, out) {
                ok_empty()
            } else {
                bluez_err("Failed", "No notify session started")
            }
        }
        "AcquireWrite" | "AcquireNotify" => bluez_err("NotSupported", "Operation is not supported"),
        _ => no_such_method(member, &body.signature().to_string(), CHRC1),
    }
}
