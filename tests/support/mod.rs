//! The one test harness: the pawdiag binary run as a person would, isolated
//! from the real user's config, data and `PAWDIAG_*` settings; simulated
//! devices on pseudo-terminals (`pawdiag sim serve`); and for the BLE
//! tests a private `dbus-daemon` with the fake BlueZ on it, the binary
//! pointed there by `DBUS_SYSTEM_BUS_ADDRESS`. (The helpdesk tests' real
//! Request Tracker lives in `tests/rt`.)
#![allow(dead_code, clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_pawdiag");

/// Every `PAWDIAG_*` setting a user may have that would change what a test
/// sees; each run starts without them (a test sets what it needs after).
const USER_SETTINGS: &[&str] = &[
    "PAWDIAG_DEVICE",
    "PAWDIAG_SIM_USB",
    "PAWDIAG_FLOWS",
    "PAWDIAG_AUDIENCE",
    "PAWDIAG_TECHNICIAN",
    "PAWDIAG_STATION",
    "PAWDIAG_TIMEOUT_MS",
    "PAWDIAG_JOBS",
    "PAWDIAG_HELPDESK_URL",
    "PAWDIAG_HELPDESK_QUEUE",
    "PAWDIAG_HELPDESK_TOKEN",
    "PAWDIAG_HELPDESK_USER",
    "PAWDIAG_HELPDESK_PASSWORD",
];

/// `pawdiag` isolated from the real user's config, data, device and
/// simulated-USB settings, with `home` as its home; no colour. Killed after
/// 60 s, so a hang fails the test instead of the whole run.
pub fn pawdiag_in(home: &Path) -> Command {
    let mut c = isolated(home);
    c.timeout(Duration::from_secs(60));
    c
}

/// The same, without a time limit (for runs that wait on purpose).
pub fn isolated(home: &Path) -> Command {
    let mut std = std::process::Command::new(BIN);
    isolate(&mut std, home);
    Command::from_std(std)
}

/// One home for the whole test binary, for tests that need no home of
/// their own (help, flows, reports): never the user's.
pub fn shared_home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().expect("a temporary home"))
        .path()
}

/// `pawdiag` isolated in the binary's shared home.
pub fn pawdiag() -> Command {
    isolated(shared_home())
}

/// `pawdiag` isolated in the shared home, writing its reports to `reports`
/// (so that directory holds reports only).
pub fn pawdiag_reports(reports: &Path) -> Command {
    let mut c = pawdiag();
    c.env("PAWDIAG_REPORT_DIR", reports);
    c
}

/// The environment of an isolated run, for any `std::process::Command`.
pub fn isolate(c: &mut std::process::Command, home: &Path) {
    c.env("NO_COLOR", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("PAWDIAG_CONFIG", home.join("pawdiag.toml"))
        .env("PAWDIAG_REPORT_DIR", home.join("reports"));
    for v in USER_SETTINGS {
        c.env_remove(v);
    }
}

/// `info ADDRESS --no-selftest` in `home`: exit code and stderr.
pub fn info(home: &Path, address: &str) -> (i32, String) {
    let out = pawdiag_in(home)
        .args(["info", address, "--no-selftest"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `batch` of a one-row manifest naming `address`, in `home`: its JSON line.
pub fn batch_line(home: &Path, address: &str) -> Value {
    let manifest = home.join("m.csv");
    std::fs::write(&manifest, format!("device\n\"{address}\"\n")).unwrap();
    let out = pawdiag_in(home)
        .arg("batch")
        .arg(&manifest)
        .arg("--out")
        .arg(home.join("out"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().next().unwrap_or_else(|| {
        panic!(
            "batch printed no line: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    serde_json::from_str(line).unwrap()
}

/// A running `pawdiag sim serve` (pseudo-terminals) and the paths it printed.
pub struct Served {
    child: Child,
    /// The PTY paths, one per device.
    pub paths: Vec<String>,
}

impl Served {
    /// SIGTERM (so it unregisters its simulated USB devices), then its exit
    /// code and stderr.
    pub fn stop(&mut self) -> (Option<i32>, String) {
        #[cfg(unix)]
        // SAFETY: signalling our own child by its pid.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM)
        };
        #[cfg(not(unix))]
        let _ = self.child.kill();
        let status = self.child.wait().ok().and_then(|s| s.code());
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        (status, err)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `pawdiag sim serve ARGS` with extra environment, waiting for `count` paths.
pub fn serve_pty(args: &[&str], count: usize, envs: &[(&str, &Path)]) -> Served {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["sim", "serve"])
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("starts");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut paths = Vec::new();
    for _ in 0..count {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'), "sim serve printed {line:?}");
        paths.push(line.trim().to_string());
    }
    Served { child, paths }
}

/// A private bus and a private home; the bus is killed on drop.
pub struct Bus {
    child: Child,
    /// The bus address.
    pub address: String,
    /// HOME, config and data directories of the runs.
    pub home: tempfile::TempDir,
}

impl Bus {
    /// Starts `dbus-daemon --session` and reads its address.
    pub fn start() -> Bus {
        let mut child = std::process::Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon must be installed (Debian: dbus-daemon)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        Bus {
            child,
            address: line.trim().to_string(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// `pawdiag ARGS` on this bus, in this home.
    pub fn pawdiag(&self) -> Command {
        let mut c = pawdiag_in(self.home.path());
        c.env("DBUS_SYSTEM_BUS_ADDRESS", &self.address);
        c
    }

    /// Starts `pawdiag sim serve --ble ARGS` on this bus and waits until it
    /// has listed `lines` devices (it owns `org.bluez` by then).
    pub fn serve(&self, args: &[&str], lines: usize) -> Fake {
        let mut child = std::process::Command::new(BIN)
            .args(["sim", "serve", "--ble"])
            .args(args)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    return;
                }
            }
        });
        let devices: Vec<String> = (0..lines)
            .map(|_| {
                rx.recv_timeout(Duration::from_secs(20))
                    .expect("the fake BlueZ did not start")
            })
            .collect();
        Fake { child, devices }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fake BlueZ process; killed on drop.
pub struct Fake {
    child: Child,
    /// `ble:NAME\tMAC\tSERIAL` per device.
    pub devices: Vec<String>,
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A runtime like the binary's (two workers), for tests that run the
/// library in-process.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Parses JSON output, or fails showing it.
pub fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(out));
    })
}

/// No panic message on stderr (bluez-async's is swallowed).
pub fn no_panic() -> impl Predicate<str> {
    predicate::str::contains("panicked").not()
}
