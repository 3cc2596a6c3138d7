//! The protocol over the Nordic UART Service: writes, cancel-safe reads,
//! reconnecting to the same device, closing.

use super::discovery::{BleDevice, DeviceInformation};
use super::error::link_error;
use super::{BleTransport, OP_TIMEOUT, find};
use crate::link::{LinkError, Transport};
use btleplug::api::Peripheral as _;
use futures_util::future::BoxFuture;
use std::time::{Duration, Instant};

impl BleTransport {
    /// Device Information and Battery Level as read when the link was opened.
    pub fn device_information(&self) -> &DeviceInformation {
        &self.info
    }

    /// The device's MAC address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The device's advertised name, when known.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Transport for BleTransport {
    fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("ble:{n} ({})", self.address),
            None => format!("ble:{}", self.address),
        }
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        Box::pin(async move {
            let Some(link) = self.link.as_ref() else {
                return Err(LinkError::Disconnected("the link is closed".into()));
            };
            for chunk in bytes.chunks(link.chunk) {
                match tokio::time::timeout(
                    OP_TIMEOUT,
                    self.peripheral.write(&link.rx, chunk, link.write_type),
                )
                .await
                {
                    Ok(Ok(())) => {}
                    // GATT objects vanish with the link: "Method WriteValue … doesn't exist".
                    Ok(Err(e)) => {
                        if !self.peripheral.is_connected().await.unwrap_or(false) {
                            return Err(LinkError::Disconnected("the device disconnected".into()));
                        }
                        return Err(link_error("writing to the device failed", e));
                    }
                    Err(_) => {
                        return Err(LinkError::Disconnected(
                            "writing to the device timed out".into(),
                        ));
                    }
                }
            }
            Ok(())
        })
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            let Some(link) = self.link.as_mut() else {
                return Err(LinkError::Disconnected("the link is closed".into()));
            };
            match link.incoming.recv().await {
                Some(r) => r,
                None => Err(LinkError::Disconnected("the link is closed".into())),
            }
        })
    }

    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            self.teardown().await;
            let deadline = Instant::now() + within;
            let mut last = LinkError::NotFound(format!(
                "{} did not come back within {} s",
                self.target,
                within.as_secs_f64().round()
            ));
            // The device advertises again at the same address once it is back (§9.13).
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                let address = self.address.clone();
                let same = |d: &BleDevice| d.address.eq_ignore_ascii_case(&address);
                match find(&self.adapter, same, left).await {
                    Ok(Some((p, _))) => {
                        self.peripheral = p;
                        match self.setup().await {
                            Ok(()) => return Ok(()),
                            Err(e @ LinkError::BluetoothUnavailable { .. }) => return Err(e),
                            Err(e) => last = e,
                        }
                    }
                    Ok(None) => break,
                    Err(e) => return Err(e),
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(last)
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        Box::pin(async move { self.teardown().await })
    }

    fn proves_presence(&self) -> bool {
        self.link.is_some()
    }

    fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }
}

impl Drop for BleTransport {
    fn drop(&mut self) {
        // Dropped without `close`: still end the connection if a runtime is
        // there to do it (best effort; BlueZ would keep it otherwise).
        if let Some(mut link) = self.link.take() {
            link.stop();
            let p = self.peripheral.clone();
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(3), p.disconnect()).await;
                });
            }
        }
    }
}
