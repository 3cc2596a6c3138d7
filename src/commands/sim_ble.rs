//! `pawdiag sim serve --ble`: simulated devices behind a fake BlueZ on a
//! D-Bus bus, so BLE mode can be tried and tested without Bluetooth
//! hardware. Uses the bus in `DBUS_SYSTEM_BUS_ADDRESS`, or starts a private
//! `dbus-daemon` and prints the `export` line to use it from another shell.

use super::{Exit, Failure, ui};
use crate::cli::SimServeArgs;
use pawdiag::sim::bluez::{
    BLUEZ_FAULTS, BluezOptions, DeviceKind, FakeBluez, FakeDevice, STRAP_ADDRESS, device_address,
};
use pawdiag::sim::firmware::nth_serial;
use pawdiag::sim::{Firmware, SimSpec};
use std::io::BufRead;

/// The environment variable libdbus (and so btleplug) reads for the system bus.
const BUS_VAR: &str = "DBUS_SYSTEM_BUS_ADDRESS";

/// Serves `args.count` devices like `base` (checked by the caller), serials
/// counting up, until Ctrl-C or SIGTERM (or until the bus goes away).
pub async fn serve(args: &SimServeArgs, base: &SimSpec) -> anyhow::Result<Exit> {
    let model = base.model;
    let mut opts = BluezOptions::default();
    let mut strap = false;
    let mut cached_away = false;
    for knob in &args.bluez {
        match knob.as_str() {
            "no-adapter" => opts.no_adapter = true,
            "rfkill" => opts.rfkill_blocked = true,
            "powered-off" => opts.powered_off = true,
            "in-progress-once" => opts.in_progress_once = true,
            "abort-once" => opts.abort_once = true,
            "slow-connect" => opts.slow_connect = true,
            "connect-fails" => opts.connect_fails = true,
            "cached-away" => cached_away = true,
            "heart-rate-strap" => strap = true,
            "mtu-23" => opts.mtu = 23,
            other => {
                return Err(Failure::new(
                    Exit::BadInput,
                    format!("Unknown fake-BlueZ option `{other}`"),
                    Some(format!(
                        "options: {}",
                        BLUEZ_FAULTS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                )
                .into());
            }
        }
    }
    let mut devices = Vec::new();
    let mut listing = Vec::new();
    // The n-th device, like `base` with the n-th serial; its listing line.
    let nth = |n: u32, rssi: i16, mark: &str| {
        let spec = SimSpec {
            serial: Some(nth_serial(model, args.serial.as_deref(), n)),
            ..base.clone()
        };
        let fw = Firmware::new(&spec);
        let advert = fw.advert();
        let address = device_address(n);
        let line = format!(
            "ble:{}\t{address}\t{}{mark}",
            advert.local_name, advert.serial
        );
        let device = FakeDevice {
            address,
            rssi,
            kind: DeviceKind::PawCore(Box::new(fw)),
        };
        (device, line)
    };
    for n in 0..args.count {
        // Further devices are a little further away.
        let (device, line) = nth(n, -48 - 7 * i16::try_from(n.min(6)).unwrap_or(6), "");
        listing.push(line);
        devices.push(device);
    }
    if cached_away {
        // One more device that BlueZ remembers but that no longer
        // advertises (listed with a `cached` marker).
        let (device, line) = nth(args.count, -80, "\tcached");
        opts.cached_away.push(device.address.clone());
        listing.push(line);
        devices.push(device);
    }
    if strap {
        listing.push(format!("ble:HR Strap 4A2C\t{STRAP_ADDRESS}\t-"));
        devices.push(FakeDevice {
            address: STRAP_ADDRESS.into(),
            rssi: -71,
            kind: DeviceKind::HeartRateStrap {
                name: "HR Strap 4A2C".into(),
                battery_pct: 64,
            },
        });
    }

    // Our own bus when none is given; the child dies with us (kill_on_drop).
    let mut own_bus = None;
    let address = match std::env::var(BUS_VAR) {
        Ok(a) if !a.trim().is_empty() => a,
        _ => {
            let (child, address) = start_bus().await?;
            own_bus = Some(child);
            println!("export {BUS_VAR}='{address}'");
            address
        }
    };
    let fake = FakeBluez::start(&address, devices, opts).await.map_err(|e| {
        Failure::new(
            Exit::Unreachable,
            format!("Could not serve org.bluez on the bus at {address}: {e}"),
            Some(
                "is a real BlueZ or another fake already running on that bus? unset DBUS_SYSTEM_BUS_ADDRESS to get a private bus"
                    .into(),
            ),
        )
    })?;
    for l in &listing {
        println!("{l}");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if own_bus.is_some() {
        ui::note(&format!(
            "Fake BlueZ ready. In another shell run the export line above, then e.g. `pawdiag scan` or `pawdiag info {}`. Ctrl-C stops.",
            listing
                .first()
                .and_then(|l| l.split('\t').next())
                .unwrap_or("ble:PawCore-PT-0001")
        ));
    } else {
        ui::note("Fake BlueZ ready on the given bus. Ctrl-C stops.");
    }
    tokio::select! {
        r = super::sim::wait_for_stop() => r?,
        _ = fake.run_until_bus_closes() => {}
    }
    fake.stop().await;
    drop(own_bus);
    Ok(Exit::Ok)
}

/// A `dbus-daemon` we started; killed when dropped.
struct OwnBus(std::process::Child);

impl Drop for OwnBus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dbus-daemon --session --nofork --print-address=1` and reads its address.
async fn start_bus() -> anyhow::Result<(OwnBus, String)> {
    let mut child = std::process::Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(std::process::Stdio::piped())
        .stdin(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            Failure::new(
                Exit::Internal,
                format!("Could not start dbus-daemon: {e}"),
                Some("install it (Debian/Ubuntu: `sudo apt-get install dbus-daemon`), or set DBUS_SYSTEM_BUS_ADDRESS to a bus you run".into()),
            )
        })?;
    let stdout = child.stdout.take();
    let bus = OwnBus(child);
    let Some(stdout) = stdout else {
        anyhow::bail!("dbus-daemon gave no output");
    };
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    })
    .await??;
    let address = line.trim().to_string();
    if address.is_empty() {
        anyhow::bail!("dbus-daemon did not print its address");
    }
    Ok((bus, address))
}
