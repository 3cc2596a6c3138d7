//! Resolving the DEVICE argument and connecting, shared by every command
//! that talks to one device. `auto` picks the only device, offers a picker
//! on a terminal (the device used last first), or fails listing each
//! candidate's serial, model and address. Failures are classified once
//! (`pawdiag::failure`), so every command says the same about them.

use super::{Exit, Failure, ui};
use crate::cli::ConnectArgs;
use pawdiag::address::Address;
use pawdiag::client::{CallError, Client, ClientOptions};
use pawdiag::connect::{self, Candidate, ConnectOptions};
use pawdiag::failure::{self, Classified};
use pawdiag::last_device::{self, LastDevice};
use pawdiag::link::{LinkError, Progress};
use std::time::Duration;

/// Connection steps (tries, candidates) on stderr at `-v`.
pub fn progress() -> Progress {
    if ui::verbosity() >= 1 && !ui::quiet() {
        Progress::new(|step| eprintln!("{step}"))
    } else {
        Progress::default()
    }
}

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
        progress: progress(),
    }
}

/// A classified failure as the error a command returns.
pub fn failure(c: Classified) -> Failure {
    let exit = match c.exit_code() {
        2 => Exit::BadInput,
        _ => Exit::Unreachable,
    };
    Failure::new(exit, c.message, Some(c.hint))
}

/// A link that could not be opened, for a person.
pub fn link_failure(e: &LinkError, addr: &Address) -> Failure {
    failure(failure::of_link(e, &addr.to_string()))
}

/// A first call that got no usable answer, for a person.
pub fn call_failure(e: &CallError, addr: &str) -> Failure {
    failure(failure::of_call(e, addr))
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
    let last = last_device::load(&last_device::path());
    let found = last_used_first(found, last.as_ref());
    match found.len() {
        0 => {
            let ble = ble_error
                .map(|e| format!("Bluetooth: {}", failure::of_link(&e, "auto").message))
                .unwrap_or_else(|| "nothing attached over USB or heard over Bluetooth".into());
            let mut f = failure(failure::FailureClass::NotFound.with("auto", &ble));
            f.hint = f
                .hint
                .map(|h| format!("{h}; to try pawdiag without a device, use sim:pettracker"));
            Err(f.into())
        }
        1 => Ok(found[0].0.address.parse()?),
        _ if !args.non_interactive && ui::interactive_stderr() => pick(&found),
        _ => {
            let list = found
                .iter()
                .map(|(c, last)| {
                    let d = ui::clean(&c.describe());
                    match d.strip_suffix(')') {
                        Some(open) if *last => format!("{open}, last used)"),
                        _ => d,
                    }
                })
                .collect();
            Err(failure(failure::of_link(&LinkError::Ambiguous(list), "auto")).into())
        }
    }
}

/// The candidates with the device used last (if present) first, flagged.
fn last_used_first(found: Vec<Candidate>, last: Option<&LastDevice>) -> Vec<(Candidate, bool)> {
    let mut flagged: Vec<(Candidate, bool)> = found
        .into_iter()
        .map(|c| {
            let is_last = last.is_some_and(|l| l.is(&c));
            (c, is_last)
        })
        .collect();
    // Stable: otherwise the order stays BLE by signal, then USB by port.
    flagged.sort_by_key(|(_, last)| !*last);
    flagged
}

fn pick(found: &[(Candidate, bool)]) -> anyhow::Result<Address> {
    let items: Vec<String> = found
        .iter()
        .map(|(c, last)| {
            format!(
                "{} {} ({}){}",
                c.model,
                ui::clean(c.serial_label()),
                c.address,
                if *last { ", last used" } else { "" }
            )
        })
        .collect();
    let choice = dialoguer::Select::new()
        .with_prompt("Several PawCore devices are attached; which one?")
        .items(&items)
        .default(0)
        .interact_opt()?;
    match choice {
        Some(i) => Ok(found[i].0.address.parse()?),
        None => Err(Failure::new(Exit::BadInput, "No device chosen", None).into()),
    }
}

/// Resolves and connects.
pub async fn open(args: &ConnectArgs) -> anyhow::Result<(Address, Client)> {
    let addr = resolve(args).await?;
    let client = connect::connect(&addr, &options(args))
        .await
        .map_err(|e| link_failure(&e, &addr))?;
    Ok((addr, client))
}

/// Remembers the device a command just used, for `auto` next time. A
/// failure to write is no reason to fail the command.
pub fn remember(addr: &Address, serial: Option<&str>, model: Option<&str>) {
    let _ = last_device::save(&last_device::path(), addr, serial, model);
}
