//! Bluetooth on Linux, up the ladder: the system D-Bus, BlueZ and its
//! version, an adapter, powered, not blocked by rfkill, and the PawCore
//! devices BlueZ remembers that no longer advertise (or that are still
//! connected, which stops them advertising). Read-only: an adapter that is
//! off is not switched on, so nothing is scanned then.

use super::{Check, Context, Finding, Status};
use crate::link::bluez::{host, rfkill};
use futures_util::future::BoxFuture;
use std::collections::HashSet;

/// The Bluetooth checks, one finding per rung reached.
pub struct Bluetooth;

impl Check for Bluetooth {
    fn id(&self) -> &'static str {
        "bluetooth"
    }

    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move { check(self.id(), ctx).await })
    }
}

async fn check(id: &'static str, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let usb_hint = "or connect the device with its USB cable";
    let conn = match host::system_bus().await {
        Ok(c) => c,
        Err(e) => {
            out.push(
                Finding::new(
                    id,
                    Status::Fail,
                    format!("The system D-Bus cannot be reached ({e})"),
                )
                .fix(format!(
                    "start it (`sudo systemctl start dbus`), {usb_hint}"
                )),
            );
            return out;
        }
    };
    out.push(Finding::new(
        id,
        Status::Ok,
        "The system D-Bus is reachable",
    ));

    let Some(service) = host::bluez_service(&conn).await else {
        out.push(
            Finding::new(
                id,
                Status::Fail,
                "BlueZ (the Bluetooth service) is not running",
            )
            .fix(format!("`sudo systemctl start bluetooth`, {usb_hint}")),
        );
        return out;
    };
    let who = match (&service.program, &service.version) {
        (Some(p), Some(v)) if p.starts_with("bluetoothd") => format!("bluetoothd {v}"),
        (Some(p), _) if p.starts_with("bluetoothd") => "bluetoothd, version unknown".into(),
        (Some(p), _) => format!("served by {p}, not bluetoothd: a simulator?"),
        (None, Some(v)) => format!("BlueZ {v} installed"),
        (None, None) => "version unknown".into(),
    };
    out.push(Finding::new(
        id,
        Status::Ok,
        format!("BlueZ is running ({who})"),
    ));

    let (adapters, _) = match host::inventory(&conn).await {
        Ok(x) => x,
        Err(e) => {
            out.push(
                Finding::new(id, Status::Fail, format!("BlueZ did not answer ({e})"))
                    .fix("restart it: `sudo systemctl restart bluetooth`"),
            );
            return out;
        }
    };
    let radios = rfkill::bluetooth_radios();
    let hard = radios.iter().any(|r| r.hard);
    let soft = radios.iter().any(|r| r.soft);
    let Some(adapter) = adapters.first() else {
        let f = if hard || soft {
            Finding::new(
                id,
                Status::Fail,
                "No Bluetooth adapter is available: it is blocked by rfkill",
            )
            .fix(unblock_fix(hard))
        } else {
            Finding::new(id, Status::Fail, "This computer has no Bluetooth adapter")
                .fix(format!("plug in a Bluetooth adapter, {usb_hint}"))
        };
        out.push(f);
        return out;
    };
    let name = adapter
        .path
        .rsplit('/')
        .next()
        .unwrap_or("hci0")
        .to_string();
    let blocked = adapter.power_state.as_deref() == Some("off-blocked")
        || (!adapter.powered && (hard || soft));
    if blocked {
        out.push(
            Finding::new(
                id,
                Status::Fail,
                format!(
                    "Bluetooth adapter {name} is blocked by rfkill (airplane mode or a switch)"
                ),
            )
            .fix(unblock_fix(hard)),
        );
        return out;
    }
    if !adapter.powered {
        out.push(
            Finding::new(
                id,
                Status::Note,
                format!(
                    "Bluetooth adapter {name} is switched off; pawdiag switches it on when it looks for devices"
                ),
            )
            .fix("or switch it on yourself: `bluetoothctl power on`"),
        );
        return out;
    }
    out.push(Finding::new(
        id,
        Status::Ok,
        format!("Bluetooth adapter {name} ({}) is on", adapter.address),
    ));
    out.extend(remembered(id, ctx, &conn).await);
    out
}

fn unblock_fix(hard: bool) -> String {
    if hard {
        "switch Bluetooth on with the computer's wireless switch or key, then `rfkill unblock bluetooth`".into()
    } else {
        "`rfkill unblock bluetooth` (or switch off airplane mode)".into()
    }
}

/// PawCore devices BlueZ remembers that did not advertise while we listened.
async fn remembered(id: &'static str, ctx: &Context, conn: &zbus::Connection) -> Vec<Finding> {
    let mut out = Vec::new();
    let heard: HashSet<String> = match crate::link::ble::scan(ctx.ble_listen, false).await {
        Ok(list) => list.into_iter().map(|d| d.address).collect(),
        Err(e) => {
            out.push(Finding::new(
                id,
                Status::Warn,
                format!("Listening for PawCore devices failed ({e})"),
            ));
            return out;
        }
    };
    out.push(super::advertising(id, heard.len(), ctx));
    let Ok((_, devices)) = host::inventory(conn).await else {
        return out;
    };
    for d in devices {
        let Some(name) = d.name.as_deref().filter(|n| n.starts_with("PawCore-")) else {
            continue;
        };
        if heard.contains(&d.address.to_ascii_uppercase()) {
            continue;
        }
        let f = if d.connected {
            Finding::new(
                id,
                Status::Warn,
                format!(
                    "{name} ({}) is still connected to this computer (an earlier session or another program), so it does not advertise",
                    d.address
                ),
            )
            .fix(format!("`bluetoothctl disconnect {}`", d.address))
        } else {
            Finding::new(
                id,
                Status::Warn,
                format!(
                    "BlueZ remembers {name} ({}), which is not advertising (asleep, out of range, or connected to a phone)",
                    d.address
                ),
            )
            .fix(format!(
                "wake it, bring it close and close the PawCore app; `bluetoothctl remove {}` forgets it",
                d.address
            ))
        };
        out.push(f);
    }
    out
}
