//! Resolving the DEVICE argument and connecting, shared by every command
//! that talks to one device. `auto` picks the only device, offers a picker
//! on a terminal, or fails listing the candidates.

use super::{Exit, Failure, ui};
use crate::cli::ConnectArgs;
use pawdiag::client::{Client, ClientOptions};
use pawdiag::connect::{self, Candidate, ConnectOptions};
use pawdiag::link::{Address, LinkError};
use std::time::Duration;

/// Connection options from the command line.
pub fn options(args: &ConnectArgs) -> ConnectOptions {
    ConnectOptions {
        baud: args.baud,
        client: ClientOptions {
            // The flag wins; otherwise the config file or environment.
            margin: Duration::from_millis(
                args.timeout_ms
                    .unwrap_or(super::config::get().timeout_ms.value),
            ),
            max_in_flight: usize::from(args.max_in_flight),
            ..ClientOptions::default()
        },
    }
}

/// Parses the DEVICE argument and resolves `auto` to one device.
pub async fn resolve(args: &ConnectArgs) -> anyhow::Result<Address> {
    let addr: Address = args.device.parse()?;
    if addr != Address::Auto {
        return Ok(addr);
    }
    let spinner = ui::spinner("Looking for PawCore devices (USB and Bluetooth)…");
    let (found, ble_error) = connect::candidates_everywhere(connect::AUTO_BLE_SCAN).await;
    spinner.finish_and_clear();
    match found.len() {
        0 => {
            let ble = ble_error
                .map(|e| format!(" (Bluetooth: {e})"))
                .unwrap_or_default();
            Err(Failure::new(
                Exit::Unreachable,
                format!("No PawCore device found over USB or Bluetooth{ble}"),
                Some(
                    "plug the device in with its USB cable or wake it and bring it close (or name one, e.g. serial:/dev/ttyACM0); to try pawdiag without a device use sim:pettracker"
                        .into(),
                ),
            )
            .into())
        }
        1 => Ok(found[0].address.parse()?),
        _ if !args.non_interactive && ui::interactive_stderr() => pick(&found),
        _ => Err(LinkError::Ambiguous(found.iter().map(|c| c.address.clone()).collect()).into()),
    }
}

fn pick(found: &[Candidate]) -> anyhow::Result<Address> {
    let items: Vec<String> = found
        .iter()
        .map(|c| {
            format!(
                "{} {} ({})",
                c.model,
                ui::clean(c.serial.as_deref().unwrap_or("?")),
                c.address
            )
        })
        .collect();
    let choice = dialoguer::Select::new()
        .with_prompt("Several PawCore devices are attached; which one?")
        .items(&items)
        .default(0)
        .interact_opt()?;
    match choice {
        Some(i) => Ok(found[i].address.parse()?),
        None => Err(Failure::new(Exit::BadInput, "No device chosen", None).into()),
    }
}

/// Resolves and connects.
pub async fn open(args: &ConnectArgs) -> anyhow::Result<(Address, Client)> {
    let addr = resolve(args).await?;
    let client = connect::connect(&addr, &options(args)).await?;
    Ok((addr, client))
}
