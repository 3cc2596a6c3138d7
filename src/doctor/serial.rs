//! Serial ports: PawCore ports visible and openable by this user (the
//! `dialout` group, pawdiag's udev rule), and ModemManager, which probes
//! new CDC-ACM ports and can hold a PawCore port busy for seconds.

use super::{Check, Context, Finding, Status};
use crate::link::usb;
use crate::platform::Os;
use futures_util::future::BoxFuture;
use std::path::{Path, PathBuf};

/// Where pawdiag's udev rule is installed from (README).
pub const UDEV_RULE: &str = "packaging/60-pawcore.rules";

/// How to install the udev rule, one line.
pub const UDEV_INSTALL: &str = "sudo cp packaging/60-pawcore.rules /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger";

/// PawCore ports are visible and can be opened.
pub struct SerialPorts;

impl Check for SerialPorts {
    fn id(&self) -> &'static str {
        "serial-ports"
    }

    fn run<'a>(&'a self, _ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move {
            let id = self.id();
            let ports = match tokio::task::spawn_blocking(usb::try_list).await {
                Ok(Ok(p)) => p,
                Ok(Err(e)) => {
                    return vec![
                        Finding::new(
                            id,
                            Status::Fail,
                            format!("The serial ports cannot be listed ({e})"),
                        )
                        .fix(list_fix(Os::current())),
                    ];
                }
                Err(e) => return vec![Finding::new(id, Status::Fail, e.to_string())],
            };
            let mut out = Vec::new();
            if ports.is_empty() {
                out.push(Finding::new(
                    id,
                    Status::Note,
                    "No PawCore device is attached over USB (fine if you use Bluetooth)",
                ));
            }
            let rule = udev_rule();
            let in_dialout = dialout_member();
            for p in &ports {
                let who = format!(
                    "{} {}",
                    p.model.product_name(),
                    p.serial.as_deref().unwrap_or("(no serial)")
                );
                if can_open(Path::new(&p.port)) {
                    out.push(Finding::new(
                        id,
                        Status::Ok,
                        format!("serial:{} ({who}) can be opened", p.port),
                    ));
                } else {
                    out.push(
                        Finding::new(
                            id,
                            Status::Fail,
                            format!(
                                "serial:{} ({who}) cannot be opened: permission denied",
                                p.port
                            ),
                        )
                        .fix(permission_fix(Os::current())),
                    );
                }
            }
            if cfg!(target_os = "linux") {
                match (&rule, in_dialout) {
                    (Some(path), _) => out.push(Finding::new(
                        id,
                        Status::Ok,
                        format!("pawdiag's udev rule is installed ({})", path.display()),
                    )),
                    (None, Some(true)) => out.push(
                        Finding::new(
                            id,
                            Status::Note,
                            "You are in the dialout group; pawdiag's udev rule is not installed (it also keeps ModemManager off PawCore ports)",
                        )
                        .fix(UDEV_INSTALL),
                    ),
                    (None, Some(false)) => out.push(
                        Finding::new(
                            id,
                            Status::Warn,
                            "You are not in the dialout group and pawdiag's udev rule is not installed: serial ports will be refused",
                        )
                        .fix(permission_fix(Os::current())),
                    ),
                    (None, None) => {}
                }
            }
            out
        })
    }
}

/// What to do when the ports cannot be listed at all.
fn list_fix(os: Os) -> &'static str {
    match os {
        Os::Linux => "check that /sys is mounted and readable",
        Os::Windows => {
            "open Device Manager and check Ports (COM & LPT); unplug the device and plug it back in"
        }
        Os::MacOs => "unplug the device and plug it back in; `ls /dev/cu.*` lists the serial ports",
    }
}

/// What to do about a port this user may not open.
fn permission_fix(os: Os) -> String {
    match os {
        Os::Linux => format!(
            "install pawdiag's udev rule ({UDEV_INSTALL}), or join the dialout group (`sudo usermod -aG dialout $USER`, then log out and back in)"
        ),
        Os::Windows | Os::MacOs => {
            "close any other program using the port, or run pawdiag as a user allowed to open serial ports".into()
        }
    }
}

/// Whether this user may read and write the port (without opening it:
/// opening can reset a device or race another program).
#[cfg(unix)]
fn can_open(p: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::R_OK | libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn can_open(_p: &Path) -> bool {
    true
}

/// Whether this user is in the `dialout` group (`None`: no such group, or
/// root, for whom it does not matter).
#[cfg(target_os = "linux")]
fn dialout_member() -> Option<bool> {
    // SAFETY: getuid cannot fail.
    if unsafe { libc::getuid() } == 0 {
        return None;
    }
    let groups = std::fs::read_to_string("/etc/group").ok()?;
    let line = groups.lines().find(|l| l.starts_with("dialout:"))?;
    let gid: libc::gid_t = line.split(':').nth(2)?.parse().ok()?;
    let mut list: Vec<libc::gid_t> = vec![0; 256];
    // SAFETY: the buffer holds `list.len()` gids; getgroups writes at most that many.
    let n = unsafe { libc::getgroups(list.len() as libc::c_int, list.as_mut_ptr()) };
    if n < 0 {
        return None;
    }
    list.truncate(n as usize);
    // SAFETY: getegid cannot fail.
    let egid = unsafe { libc::getegid() };
    Some(list.contains(&gid) || egid == gid)
}

#[cfg(not(target_os = "linux"))]
fn dialout_member() -> Option<bool> {
    None
}

/// The installed udev rule that covers PawCore's USB ids, if any.
pub fn udev_rule() -> Option<PathBuf> {
    udev_rule_in(&[
        Path::new("/etc/udev/rules.d"),
        Path::new("/usr/lib/udev/rules.d"),
        Path::new("/lib/udev/rules.d"),
    ])
}

fn udev_rule_in(dirs: &[&Path]) -> Option<PathBuf> {
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "rules") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let t = text.to_ascii_lowercase();
            if t.contains("\"1209\"") && t.contains("7a0") {
                return Some(path);
            }
        }
    }
    None
}

/// ModemManager probes new CDC-ACM ports unless told to leave them alone.
#[cfg(target_os = "linux")]
pub struct ModemManager;

#[cfg(target_os = "linux")]
impl Check for ModemManager {
    fn id(&self) -> &'static str {
        "modemmanager"
    }

    fn run<'a>(&'a self, _ctx: &'a Context) -> BoxFuture<'a, Vec<Finding>> {
        Box::pin(async move {
            let id = self.id();
            let running = process_running("ModemManager");
            let f = match (running, udev_rule()) {
                (false, _) => Finding::new(id, Status::Ok, "ModemManager is not running"),
                (true, Some(_)) => Finding::new(
                    id,
                    Status::Ok,
                    "ModemManager is running; pawdiag's udev rule tells it to leave PawCore ports alone",
                ),
                (true, None) => Finding::new(
                    id,
                    Status::Warn,
                    "ModemManager is running and probes new USB serial ports: it can hold a PawCore port busy for several seconds after plugging in",
                )
                .fix(format!(
                    "install pawdiag's udev rule ({UDEV_INSTALL}), or `sudo systemctl stop ModemManager`"
                )),
            };
            vec![f]
        })
    }
}

/// Whether a process with this command name runs (`/proc/*/comm`).
#[cfg(target_os = "linux")]
fn process_running(name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        e.file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
            && std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rule_by_our_ids() {
        let d = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            d.path().join("10-other.rules"),
            "ATTRS{idVendor}==\"0403\"\n",
        )
        .expect("write");
        assert_eq!(udev_rule_in(&[d.path()]), None);
        let shipped =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(UDEV_RULE))
                .expect("the rule ships in packaging/");
        std::fs::write(d.path().join("60-pawcore.rules"), shipped).expect("write");
        assert_eq!(
            udev_rule_in(&[Path::new("/nonexistent"), d.path()]),
            Some(d.path().join("60-pawcore.rules"))
        );
    }

    #[test]
    fn windows_and_macos_are_not_sent_to_udev_or_sysfs() {
        for os in [Os::Windows, Os::MacOs] {
            let text = format!("{} {}", list_fix(os), permission_fix(os));
            for word in ["udev", "dialout", "/sys", "sudo"] {
                assert!(!text.contains(word), "{os:?}: {text}");
            }
        }
        assert!(list_fix(Os::Windows).contains("Device Manager"));
        assert!(permission_fix(Os::Linux).contains("dialout"));
    }
}
