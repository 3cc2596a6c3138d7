//! Bluetooth through whatever stack the system has (WinRT on Windows,
//! CoreBluetooth on macOS): an adapter, switched on, pawdiag allowed to use
//! it, and the PawCore devices advertising nearby. Linux has the finer
//! BlueZ check (`bluetooth`); this one asks btleplug only, so it works
//! wherever btleplug does (its tests run it against the fake BlueZ).
//! Read-only: nothing is switched on and nothing is connected to.

use super::{Check, Context, Finding, Status};
use crate::platform::Os;
use futures_util::future::BoxFuture;

/// The Bluetooth check on systems without BlueZ.
pub struct BluetoothAny;

impl Check for BluetoothAny {
    fn id(&self) -> &'static str {
        "bluetooth"
    }

    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move { check(self.id(), ctx).await })
    }
}

async fn check(id: &'static str, ctx: &Context) -> Vec<Finding> {
    match crate::link::ble::scan(ctx.ble_listen, false).await {
        Ok(heard) => vec![
            Finding::new(
                id,
                Status::Ok,
                format!(
                    "Bluetooth is on and pawdiag may use it ({})",
                    Os::current().name()
                ),
            ),
            super::advertising(id, heard.len(), ctx),
        ],
        Err(e) => {
            let c = crate::failure::of_link(&e, "Bluetooth");
            vec![Finding::new(id, Status::Fail, c.message).fix(c.hint)]
        }
    }
}
