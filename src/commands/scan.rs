//! `pawdiag scan`: PawCore devices attached over USB serial and heard over
//! Bluetooth LE (strongest signal first), as a table or JSON. `--all` adds
//! Bluetooth devices that are not PawCore devices, with their Device
//! Information and battery where they offer them.

use super::{Exit, ui};
use crate::cli::ScanArgs;
use pawdiag::link::ble::{self, BleDevice};
use pawdiag::link::{LinkError, usb};
use serde::Serialize;
use std::time::Duration;
use tabled::settings::Style;

/// One device found.
#[derive(Debug, Serialize, tabled::Tabled)]
struct Row {
    #[tabled(rename = "Device")]
    address: String,
    #[tabled(rename = "Model")]
    model: String,
    #[tabled(rename = "Serial")]
    serial: String,
    #[tabled(rename = "Via")]
    via: String,
    #[tabled(rename = "Signal", display("dbm"))]
    rssi: Option<i16>,
    #[tabled(rename = "Battery", display("pct"))]
    battery_pct: Option<u8>,
    /// BLE only: MAC address, advertisement and Device Information.
    #[tabled(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    ble: Option<BleDevice>,
}

fn dbm(v: &Option<i16>) -> String {
    v.map(|r| format!("{r} dBm")).unwrap_or_default()
}

fn pct(v: &Option<u8>) -> String {
    v.map(|b| format!("{b}%")).unwrap_or_default()
}

fn ble_row(d: BleDevice) -> Row {
    let name = d.name.as_deref().map(ui::clean);
    let info = d.info.clone().unwrap_or_default();
    let model = match (d.model, &info.model) {
        (Some(m), _) => m.product_name().to_string(),
        (None, Some(m)) if d.pawcore => ui::clean(m),
        (None, Some(m)) => format!("{} (not PawCore)", ui::clean(m)),
        (None, None) if d.pawcore => "PawCore (unknown model)".into(),
        (None, None) => "(not PawCore)".into(),
    };
    Row {
        // The name is what people read on the device; the MAC when it has none.
        address: format!("ble:{}", name.unwrap_or_else(|| d.address.clone())),
        model,
        serial: ui::clean(info.serial.as_deref().unwrap_or("")),
        via: "ble".into(),
        rssi: d.rssi,
        battery_pct: d.advert.map(|a| a.battery_pct).or(info.battery_pct),
        ble: Some(d),
    }
}

/// Runs `scan`.
pub async fn run(args: ScanArgs) -> anyhow::Result<Exit> {
    let mut rows: Vec<Row> = usb::list()
        .into_iter()
        .map(|d| Row {
            address: format!("serial:{}", d.port),
            model: d.model.product_name().into(),
            serial: ui::clean(d.serial.as_deref().unwrap_or("")),
            via: "usb".into(),
            rssi: None,
            battery_pct: None,
            ble: None,
        })
        .collect();
    let mut ble_error: Option<LinkError> = None;
    if !args.no_ble {
        if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
            return Err(super::Failure::new(
                Exit::BadInput,
                format!(
                    "--timeout {} is not a number of seconds between 0 and 600",
                    args.timeout
                ),
                Some("e.g. --timeout 5".into()),
            )
            .into());
        }
        let timeout = Duration::from_secs_f64(args.timeout);
        let spinner = ui::spinner(&format!(
            "Listening for Bluetooth devices ({} s)…",
            args.timeout
        ));
        let found = ble::scan(timeout, args.all).await;
        spinner.finish_and_clear();
        match found {
            Ok(list) => rows.extend(list.into_iter().map(ble_row)),
            Err(e) => ble_error = Some(e),
        }
    }
    if let Some(e) = ble_error {
        // Without Bluetooth a scan that found nothing has nothing to say but why.
        if rows.is_empty() {
            return Err(e.into());
        }
        ui::warn(&format!(
            "Bluetooth devices are not listed: {e}{}",
            e.hint().map(|h| format!(" ({h})")).unwrap_or_default()
        ));
    }
    if args.output.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else if rows.is_empty() {
        ui::note(if args.no_ble {
            "No PawCore device found over USB. Plug one in, or try `pawdiag info sim:pettracker` to see pawdiag at work without a device."
        } else {
            "No PawCore device found over USB or Bluetooth. Wake the device (press its button or put it on the charger) and move closer, or plug it in; `pawdiag info sim:pettracker` shows pawdiag at work without a device."
        });
    } else {
        let mut t = tabled::Table::new(&rows);
        t.with(Style::rounded());
        let t = ui::fitted(t);
        println!("{t}");
    }
    Ok(Exit::Ok)
}
