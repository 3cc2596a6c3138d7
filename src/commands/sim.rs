//! `pawdiag sim faults` lists what the simulator can inject; `pawdiag sim
//! serve` serves simulated devices on pseudo-terminals until Ctrl-C, so any
//! serial tool (or another pawdiag) can talk to them.

use super::{Exit, Failure, ui};
use crate::cli::{SimCommand, SimFaultsArgs, SimServeArgs};
use pawdiag::interface::Model;
use pawdiag::sim::SimSpec;
use pawdiag::sim::faults::{FAULTS, LINK_FAULTS, faults_for};
#[cfg(unix)]
use pawdiag::sim::firmware::nth_serial;
use pawdiag::sim::spec::{check_serial, check_version};
use serde::Serialize;
use std::io::Write;
use tabled::settings::Style;

/// Most devices one `sim serve` runs (each is a thread and a PTY).
const MAX_COUNT: u32 = 256;

/// Runs `sim faults` or `sim serve`.
pub async fn run(cmd: SimCommand) -> anyhow::Result<Exit> {
    match cmd {
        SimCommand::Faults(args) => faults(args),
        SimCommand::Serve(args) => serve(args).await,
    }
}

fn parse_model(name: &str) -> Result<Model, Failure> {
    Model::parse(name).ok_or_else(|| {
        Failure::new(
            Exit::BadInput,
            format!("`{}` is not a PawCore model", ui::clean(name)),
            Some(format!("use {}", pawdiag::interface::Model::ids_in_words())),
        )
    })
}

/// One row of `sim faults`.
#[derive(Debug, Serialize, tabled::Tabled)]
struct FaultRow {
    #[tabled(rename = "Kind")]
    kind: &'static str,
    #[tabled(rename = "Fault")]
    name: &'static str,
    #[tabled(rename = "Models")]
    models: String,
    #[tabled(rename = "What it simulates")]
    about: &'static str,
}

fn faults(args: SimFaultsArgs) -> anyhow::Result<Exit> {
    let model = args.model.as_deref().map(parse_model).transpose()?;
    let device: Vec<_> = match model {
        Some(m) => faults_for(m).collect(),
        None => FAULTS.iter().collect(),
    };
    let models_of = |f: &pawdiag::sim::faults::FaultInfo| -> Vec<&'static str> {
        if f.models.is_empty() {
            Model::ALL.iter().map(|m| m.id()).collect()
        } else {
            f.models.iter().map(|m| m.id()).collect()
        }
    };
    if args.output.json {
        #[derive(Serialize)]
        struct Device {
            name: &'static str,
            models: Vec<&'static str>,
            about: &'static str,
        }
        #[derive(Serialize)]
        struct Link {
            name: &'static str,
            about: &'static str,
        }
        #[derive(Serialize)]
        struct All {
            device_faults: Vec<Device>,
            link_faults: Vec<Link>,
        }
        let all = All {
            device_faults: device
                .iter()
                .map(|f| Device {
                    name: f.name,
                    models: models_of(f),
                    about: f.about,
                })
                .collect(),
            link_faults: LINK_FAULTS
                .iter()
                .map(|f| Link {
                    name: f.name,
                    about: f.about,
                })
                .collect(),
        };
        return print_out(&serde_json::to_string_pretty(&all)?);
    }
    let mut rows: Vec<FaultRow> = device
        .iter()
        .map(|f| FaultRow {
            kind: "device",
            name: f.name,
            models: if f.models.is_empty() {
                "all".into()
            } else {
                models_of(f).join(", ")
            },
            about: f.about,
        })
        .collect();
    rows.extend(LINK_FAULTS.iter().map(|f| FaultRow {
        kind: "link",
        name: f.name,
        models: "all".into(),
        about: f.about,
    }));
    let mut t = tabled::Table::new(&rows);
    t.with(Style::rounded());
    print_out(&ui::fitted(t))?;
    ui::note(
        "Use them as sim:MODEL?fault=a,b&link=c, or with `pawdiag sim serve --fault a,b --link c`.",
    );
    Ok(Exit::Ok)
}

async fn serve(args: SimServeArgs) -> anyhow::Result<Exit> {
    let model = parse_model(&args.model)?;
    if args.count == 0 || args.count > MAX_COUNT {
        return Err(Failure::new(
            Exit::BadInput,
            format!("--count must be between 1 and {MAX_COUNT}"),
            Some("e.g. --count 4".into()),
        )
        .into());
    }
    let base = SimSpec {
        fw_version: args.fw.as_deref().map(check_version).transpose()?,
        serial: args.serial.as_deref().map(check_serial).transpose()?,
        ..SimSpec::new(model)
    }
    .with_faults(&args.fault)?
    .with_link_faults(&args.link)?;
    if args.ble {
        #[cfg(target_os = "linux")]
        return super::sim_ble::serve(&args, &base).await;
        #[cfg(not(target_os = "linux"))]
        return Err(Failure::new(
            Exit::BadInput,
            format!(
                "Serving simulated devices over Bluetooth LE needs Linux: the simulator stands in for BlueZ on D-Bus, which {} does not have",
                pawdiag::platform::Os::current().name()
            ),
            Some(
                "serve them on pseudo-terminals instead: `pawdiag sim serve` without --ble".into(),
            ),
        )
        .into());
    }
    let servers = start_servers(model, &base, &args)?;
    let _registered = register_usb(model, &args, &servers)?;
    let what = if args.count == 1 {
        format!("1 simulated {}", model.product_name())
    } else {
        format!("{} simulated {}s", args.count, model.product_name())
    };
    ui::note(&format!(
        "serving {what} ({base}) on pseudo-terminals; Ctrl-C to stop"
    ));
    wait_for_stop().await?;
    drop(servers);
    Ok(Exit::Ok)
}

/// Starts one PTY server per device and prints each path on stdout.
#[cfg(unix)]
fn start_servers(
    model: Model,
    base: &SimSpec,
    args: &SimServeArgs,
) -> anyhow::Result<Vec<pawdiag::sim::PtyServer>> {
    let mut servers = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for n in 0..args.count {
        let spec = SimSpec {
            serial: Some(nth_serial(model, args.serial.as_deref(), n)),
            ..base.clone()
        };
        let server = pawdiag::sim::PtyServer::start(&spec, args.baud).map_err(|e| {
            Failure::new(
                Exit::Internal,
                format!("could not open a pseudo-terminal: {e}"),
                Some(if cfg!(target_os = "linux") {
                    "check that /dev/pts is mounted and the limit of pseudo-terminals is not reached"
                        .into()
                } else {
                    "close other terminal sessions: the limit of pseudo-terminals may be reached"
                        .into()
                }),
            )
        })?;
        writeln!(stdout, "{}", server.path().display())?;
        servers.push(server);
    }
    // Scripts read the paths before they connect: flush now.
    stdout.flush()?;
    Ok(servers)
}

/// With `PAWDIAG_SIM_USB` set, lists the served devices there as USB
/// devices (port, product id, serial), so `scan`, `auto` and serial-number
/// addresses find them; removed again when serving stops.
#[cfg(unix)]
fn register_usb(
    model: Model,
    args: &SimServeArgs,
    servers: &[pawdiag::sim::PtyServer],
) -> anyhow::Result<Option<pawdiag::link::usb::Registration>> {
    use pawdiag::link::usb;
    let Some(dir) = usb::registry_dir() else {
        return Ok(None);
    };
    let entries = servers
        .iter()
        .zip(0u32..)
        .map(|(s, n)| usb::SimEntry {
            port: s.path().display().to_string(),
            pid: model.usb_pid(),
            serial: nth_serial(model, args.serial.as_deref(), n),
            product: format!("PawCore {}", model.product_name()),
        })
        .collect();
    let reg = usb::register(&dir, entries).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            format!(
                "Could not register the simulated devices in {} ({e})",
                dir.display()
            ),
            Some(format!(
                "point {} at a writable directory, or unset it",
                usb::SIM_USB_ENV
            )),
        )
    })?;
    Ok(Some(reg))
}

#[cfg(not(unix))]
fn register_usb(
    _model: Model,
    _args: &SimServeArgs,
    _servers: &[()],
) -> anyhow::Result<Option<()>> {
    Ok(None)
}

/// Pseudo-terminals are a Unix thing.
#[cfg(not(unix))]
fn start_servers(_model: Model, _base: &SimSpec, _args: &SimServeArgs) -> anyhow::Result<Vec<()>> {
    let why = pawdiag::platform::Os::current()
        .lacks_unix("Serving simulated devices on pseudo-terminals")
        .unwrap_or_default();
    Err(Failure::new(
        Exit::BadInput,
        why,
        Some("use a sim: address instead, e.g. `pawdiag info sim:pettracker`".into()),
    )
    .into())
}

/// Prints data on stdout; a reader that went away (`| head`) is no error.
fn print_out(text: &str) -> anyhow::Result<Exit> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(Exit::Ok),
    }
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub(super) async fn wait_for_stop() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}
