//! `pawdiag doctor`: checks the host before a device gets blamed, one
//! finding per line, each saying what to do. Checks walk the ladder from
//! the bottom: files pawdiag needs, serial ports and their permissions,
//! ModemManager, then (Linux) the system bus, BlueZ, the adapter, rfkill
//! and the devices BlueZ remembers; on Windows and macOS the adapter, its
//! switch and permission, and the devices advertising, as the system's own
//! Bluetooth stack reports them.
//!
//! Last, off the ladder: the helpdesk reports are uploaded to, and the
//! uploads waiting in its outbox.
//!
//! Adding a check: implement [`Check`] and add
//! it to the list the command builds from [`default_checks`]. A check
//! never prints and never changes the host; it returns [`Finding`]s. A
//! finding that [`Status::Fail`]s means something blocks pawdiag (the
//! command then exits 3); `Warn` and `Note` do not.

pub mod files;
pub mod helpdesk;
pub mod serial;

#[cfg(target_os = "linux")]
pub mod bluetooth;
pub mod bluetooth_any;

use futures_util::future::BoxFuture;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// How a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Fine.
    Ok,
    /// Worth knowing; nothing to fix.
    Note,
    /// Works, but may cause trouble.
    Warn,
    /// Blocks pawdiag from reaching devices (or saving their reports).
    Fail,
}

/// One line of the doctor's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check that found it (`serial-ports`, `bluetooth`…).
    pub check: &'static str,
    /// How it stands.
    pub status: Status,
    /// What was found, one sentence.
    pub message: String,
    /// What to do, when there is something to do.
    pub fix: Option<String>,
}

impl Finding {
    /// A finding without a fix.
    pub fn new(check: &'static str, status: Status, message: impl Into<String>) -> Self {
        Self {
            check,
            status,
            message: message.into(),
            fix: None,
        }
    }

    /// The same finding with what to do.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The config file as the command found it.
#[derive(Debug, Clone, Default)]
pub struct ConfigState {
    /// Its path, when one is known.
    pub path: Option<PathBuf>,
    /// Whether it exists.
    pub found: bool,
    /// Why it is not valid, when it is not.
    pub error: Option<String>,
}

/// What every check may look at.
#[derive(Debug, Clone)]
pub struct Context {
    /// Where reports go.
    pub report_dir: PathBuf,
    /// The config file.
    pub config: ConfigState,
    /// How long to listen for Bluetooth devices.
    pub ble_listen: Duration,
    /// The helpdesk reports are uploaded to, as the settings name it.
    pub helpdesk: helpdesk::HelpdeskSetup,
    /// Report uploads waiting in the helpdesk outbox.
    pub outbox_pending: usize,
}

/// One check of the host.
pub trait Check: Send + Sync {
    /// Its id (`serial-ports`), shown in `--json`.
    fn id(&self) -> &'static str;

    /// Runs it: one finding per thing worth a line.
    fn run<'a>(&'a self, ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>>;
}

/// The checks pawdiag ships, bottom of the ladder first.
pub fn default_checks() -> Vec<Box<dyn Check>> {
    let mut checks: Vec<Box<dyn Check>> = vec![
        Box::new(files::ConfigFile),
        Box::new(files::ReportDir),
        Box::new(serial::SerialPorts),
    ];
    checks.extend(platform_checks());
    checks.push(Box::new(helpdesk::HelpdeskReachable));
    checks
}

/// Linux: ModemManager, then BlueZ rung by rung.
#[cfg(target_os = "linux")]
fn platform_checks() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(serial::ModemManager),
        Box::new(bluetooth::Bluetooth),
    ]
}

/// Elsewhere: Bluetooth as the system's own stack reports it.
#[cfg(not(target_os = "linux"))]
fn platform_checks() -> Vec<Box<dyn Check>> {
    vec![Box::new(bluetooth_any::BluetoothAny)]
}

/// How many PawCore devices were heard while listening (both Bluetooth checks).
fn advertising(id: &'static str, heard: usize, ctx: &Context) -> Finding {
    Finding::new(
        id,
        Status::Ok,
        format!(
            "{heard} PawCore device{} advertising nearby (listened {} s)",
            if heard == 1 { " is" } else { "s are" },
            ctx.ble_listen.as_secs_f64()
        ),
    )
}

/// Runs the checks in order.
pub async fn run(checks: &[Box<dyn Check>], ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in checks {
        out.extend(c.run(ctx).await);
    }
    out
}

/// Whether anything blocks pawdiag.
pub fn blocked(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.status == Status::Fail)
}
