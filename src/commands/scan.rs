//! `pawdiag scan`: PawCore devices attached over USB serial, as a table or
//! JSON (BLE devices join when Bluetooth support is built).

use super::{Exit, ui};
use crate::cli::ScanArgs;
use pawdiag::link::usb;
use serde::Serialize;
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
}

/// Runs `scan`.
pub async fn run(args: ScanArgs) -> anyhow::Result<Exit> {
    let rows: Vec<Row> = usb::list()
        .into_iter()
        .map(|d| Row {
            address: format!("serial:{}", d.port),
            model: d.model.product_name().into(),
            serial: ui::clean(d.serial.as_deref().unwrap_or("")),
            via: "usb".into(),
        })
        .collect();
    if args.output.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else if rows.is_empty() {
        ui::note(
            "No PawCore device found over USB. Plug one in, or try `pawdiag info sim:pettracker` to see pawdiag at work without a device.",
        );
    } else {
        let mut t = tabled::Table::new(&rows);
        t.with(Style::rounded());
        println!("{t}");
    }
    Ok(Exit::Ok)
}
