//! `pawdiag scan`: PawCore devices attached over USB serial and heard over
//! Bluetooth LE (strongest signal first), as a table or JSON. `--all` adds
//! Bluetooth devices that are not PawCore devices, with their Device
//! Information and battery where they offer them.

use super::{Exit, ui};
use crate::cli::ScanArgs;
use pawdiag::failure;
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
    /// The serial number when it is known in full (USB, or Device
    /// Information with `--all`); otherwise what the Bluetooth name tells
    /// (`PT-…-0001`), and `serial_complete` is false.
    #[tabled(rename = "Serial")]
    serial: String,
    #[tabled(skip)]
    serial_complete: bool,
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
    let (serial, serial_complete) = match (&info.serial, &d.serial_hint) {
        (Some(full), _) => (ui::clean(full), true),
        (None, Some(hint)) => (hint.clone(), false),
        (None, None) => (String::new(), false),
    };
    Row {
        // The name is what people read on the device; the MAC when it has none.
        address: format!("ble:{}", name.unwrap_or_else(|| d.address.clone())),
        model,
        serial,
        serial_complete,
        via: "ble".into(),
        rssi: d.rssi,
        battery_pct: d.advert.map(|a| a.battery_pct).or(info.battery_pct),
        ble: Some(d),
    }
}

/// Runs `scan`: exits 0 when at least one transport could be searched
/// (warning about the other), 3 with the failure's sentence when none could.
pub async fn run(args: ScanArgs) -> anyhow::Result<Exit> {
    let usb = usb::try_list();
    let usb_error = usb.as_ref().err().cloned();
    let mut rows: Vec<Row> = usb
        .unwrap_or_default()
        .into_iter()
        .map(|d| Row {
            address: format!("serial:{}", d.port),
            model: d.model.product_name().into(),
            serial_complete: d.serial.is_some(),
            serial: ui::clean(d.serial.as_deref().unwrap_or("")),
            via: if d.simulated { "usb (sim)" } else { "usb" }.into(),
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
    match (&usb_error, &ble_error) {
        // Neither transport could be searched: say why, as every command does.
        (Some(_), Some(e)) => {
            return Err(super::device::failure(failure::of_link(e, "scan")).into());
        }
        (Some(e), None) if args.no_ble => {
            return Err(super::Failure::new(
                Exit::Unreachable,
                format!("The serial ports could not be listed ({})", ui::clean(e)),
                Some("`pawdiag doctor` checks the ports and their permissions".into()),
            )
            .into());
        }
        (Some(e), None) => ui::warn(&format!(
            "USB devices are not listed: the serial ports could not be listed ({})",
            ui::clean(e)
        )),
        (None, Some(e)) => {
            let c = failure::of_link(e, "scan");
            ui::warn(&format!(
                "Bluetooth devices are not listed: {} ({}; hint: {})",
                c.message, c.class, c.hint
            ));
        }
        (None, None) => {}
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
