//! USB serial (and pseudo-terminal) transport over the `serialport` crate.
//!
//! A reader thread owns a clone of the port and forwards chunks through a
//! channel, so `read` is cancel-safe; writes run on the blocking pool.

use super::{LinkError, Transport};
use futures_util::future::BoxFuture;
use serialport::SerialPort;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// Line settings of every PawCore device (§1.1).
pub const BAUD: u32 = 115_200;
/// Slowest baud rate accepted (the oldest standard rate).
pub const MIN_BAUD: u32 = 300;
/// Fastest baud rate accepted (the fastest standard rate Linux knows).
pub const MAX_BAUD: u32 = 4_000_000;

/// An open serial port.
pub struct SerialTransport {
    path: String,
    baud: u32,
    /// USB serial number, when known, to find the device again after it
    /// re-enumerates under another path.
    usb_serial: Option<String>,
    writer: Option<Arc<std::sync::Mutex<Box<dyn SerialPort>>>>,
    rx: mpsc::Receiver<Result<Vec<u8>, LinkError>>,
    stop: Arc<AtomicBool>,
}

impl SerialTransport {
    /// Opens `path` at `baud`, exclusively.
    pub fn open(path: &str, baud: u32, usb_serial: Option<String>) -> Result<Self, LinkError> {
        // Timeouts are stretched by the wire time, which a rate of 0 makes infinite.
        if !(MIN_BAUD..=MAX_BAUD).contains(&baud) {
            return Err(LinkError::Unsupported(format!(
                "the baud rate {baud} is not one a serial port can use ({MIN_BAUD} to {MAX_BAUD})"
            )));
        }
        let (writer, rx, stop) = open_port(path, baud)?;
        Ok(Self {
            path: path.to_string(),
            baud,
            usb_serial,
            writer: Some(writer),
            rx,
            stop,
        })
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.writer = None;
    }
}

type Opened = (
    Arc<std::sync::Mutex<Box<dyn SerialPort>>>,
    mpsc::Receiver<Result<Vec<u8>, LinkError>>,
    Arc<AtomicBool>,
);

/// What a path is when it is not something a serial port can be opened
/// on: a directory, a regular file, a pipe… (`None` for a character
/// device, or where the platform does not say).
fn not_a_port(path: &str) -> Result<Option<&'static str>, LinkError> {
    if cfg!(windows) {
        return Ok(None);
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(LinkError::NoSuchPort { path: path.into() });
        }
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(LinkError::PermissionDenied { path: path.into() });
        }
        Err(_) => return Ok(None),
    };
    if meta.is_dir() {
        return Ok(Some("a directory"));
    }
    if meta.is_file() {
        return Ok(Some("a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if !meta.file_type().is_char_device() {
            return Ok(Some("not a device"));
        }
    }
    Ok(None)
}

fn open_port(path: &str, baud: u32) -> Result<Opened, LinkError> {
    if let Some(what) = not_a_port(path)? {
        return Err(LinkError::NotAPort {
            path: path.into(),
            what: what.into(),
        });
    }
    let port = serialport::new(path, baud)
        .data_bits(serialport::DataBits::Eight)
        .parity(serialport::Parity::None)
        .stop_bits(serialport::StopBits::One)
        .flow_control(serialport::FlowControl::None)
        // Reads return as soon as bytes arrive; the timeout only bounds how
        // long a closed transport's reader thread lingers, so keep wake-ups rare
        // (64 ports on a bench).
        .timeout(Duration::from_millis(100))
        .open()
        .map_err(|e| classify_open_error(path, e))?;
    let mut reader = port.try_clone().map_err(|e| classify_open_error(path, e))?;
    let (tx, rx) = mpsc::channel(256);
    let stop = Arc::new(AtomicBool::new(false));
    let stop_reader = stop.clone();
    let name = path.to_string();
    std::thread::Builder::new()
        .name(format!("serial-read {name}"))
        .spawn(move || {
            let mut buf = [0u8; 1024];
            while !stop_reader.load(Ordering::Relaxed) {
                match reader.read(&mut buf) {
                    Ok(0) => {
                        let _ = tx
                            .blocking_send(Err(LinkError::Disconnected("the port closed".into())));
                        return;
                    }
                    Ok(n) => {
                        if tx.blocking_send(Ok(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ =
                            tx.blocking_send(Err(LinkError::Disconnected(format!("{name}: {e}"))));
                        return;
                    }
                }
            }
        })
        .map_err(|e| LinkError::Io {
            path: path.into(),
            source: e,
        })?;
    Ok((Arc::new(std::sync::Mutex::new(port)), rx, stop))
}

/// Maps serialport's errors onto the sentences a person needs.
fn classify_open_error(path: &str, e: serialport::Error) -> LinkError {
    classify_open_error_for(path, e, || port_exists(path))
}

/// Whether a port of that name is there: on Windows, whether the system
/// lists it (`COM9` is no path to look at); elsewhere, whether the path exists.
fn port_exists(path: &str) -> bool {
    if cfg!(windows) {
        serialport::available_ports().is_ok_and(|ports| {
            ports.iter().any(|p| {
                p.port_name
                    .eq_ignore_ascii_case(path.trim_start_matches(r"\\.\"))
            })
        })
    } else {
        std::path::Path::new(path).exists()
    }
}

/// [`classify_open_error`] with the question "is the port there?" answered by `exists`.
fn classify_open_error_for(
    path: &str,
    e: serialport::Error,
    exists: impl FnOnce() -> bool,
) -> LinkError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    match e.kind() {
        // serialport reports both a held flock and EBUSY from TIOCEXCL as
        // `NoDevice`, and on Windows a missing port, a port another program
        // holds open ("Access is denied") and a vanished one alike; so
        // whether the port is there decides.
        serialport::ErrorKind::NoDevice if exists() => LinkError::PortBusy { path: path.into() },
        serialport::ErrorKind::NoDevice => LinkError::NoSuchPort { path: path.into() },
        serialport::ErrorKind::Io(io::ErrorKind::NotFound) => {
            LinkError::NoSuchPort { path: path.into() }
        }
        serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied) => {
            LinkError::PermissionDenied { path: path.into() }
        }
        _ if lower.contains("exclusive") || lower.contains("busy") || lower.contains("lock") => {
            LinkError::PortBusy { path: path.into() }
        }
        _ if lower.contains("permission") => LinkError::PermissionDenied { path: path.into() },
        // A character device that is not a terminal (/dev/null…): tcgetattr fails.
        _ if lower.contains("inappropriate ioctl") || lower.contains("not a typewriter") => {
            LinkError::NotAPort {
                path: path.into(),
                what: "another kind of device".into(),
            }
        }
        _ if lower.contains("no such file") => LinkError::NoSuchPort { path: path.into() },
        _ => LinkError::Io {
            path: path.into(),
            source: io::Error::other(text),
        },
    }
}

impl Transport for SerialTransport {
    fn describe(&self) -> String {
        format!("serial:{}", self.path)
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        Box::pin(async move {
            let Some(port) = self.writer.clone() else {
                return Err(LinkError::Disconnected("the port is closed".into()));
            };
            let data = bytes.to_vec();
            let path = self.path.clone();
            let res = tokio::task::spawn_blocking(move || {
                let mut port = port
                    .lock()
                    .map_err(|_| io::Error::other("serial writer poisoned"))?;
                port.write_all(&data)?;
                port.flush()
            })
            .await
            .map_err(|e| io::Error::other(e.to_string()))
            .and_then(|r| r);
            res.map_err(|e| LinkError::Disconnected(format!("{path}: {e}")))
        })
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            match self.rx.recv().await {
                Some(r) => r,
                None => Err(LinkError::Disconnected("the port closed".into())),
            }
        })
    }

    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            self.shutdown();
            let deadline = Instant::now() + within;
            let mut last: LinkError =
                LinkError::NotFound(format!("{} did not come back", self.path));
            while Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(200)).await;
                // The device may re-enumerate under another path (§1.1).
                let candidate = match &self.usb_serial {
                    Some(sn) => super::usb::find_by_serial(sn).unwrap_or_else(|| self.path.clone()),
                    None => self.path.clone(),
                };
                match open_port(&candidate, self.baud) {
                    Ok((writer, rx, stop)) => {
                        self.path = candidate;
                        self.writer = Some(writer);
                        self.rx = rx;
                        self.stop = stop;
                        return Ok(());
                    }
                    Err(e) => last = e,
                }
            }
            Err(last)
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        Box::pin(async move { self.shutdown() })
    }

    fn bytes_per_sec(&self) -> Option<f64> {
        Some(f64::from(self.baud) / 10.0)
    }

    fn expects_banner(&self) -> bool {
        true
    }
}

impl Drop for SerialTransport {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(kind: serialport::ErrorKind, text: &str) -> LinkError {
        classify_open_error("/dev/ttyACM9", serialport::Error::new(kind, text))
    }

    #[test]
    fn open_errors_become_sentences_a_person_can_act_on() {
        assert!(matches!(
            classify(
                serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied),
                "Permission denied"
            ),
            LinkError::PermissionDenied { .. }
        ));
        assert!(matches!(
            classify(
                serialport::ErrorKind::Io(io::ErrorKind::NotFound),
                "No such file or directory"
            ),
            LinkError::NoSuchPort { .. }
        ));
        assert!(matches!(
            classify(
                serialport::ErrorKind::Unknown,
                "Unable to acquire exclusive lock on serial port"
            ),
            LinkError::PortBusy { .. }
        ));
        let hint = classify(
            serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied),
            "",
        )
        .hint()
        .unwrap_or_default();
        if cfg!(target_os = "linux") {
            assert!(hint.contains("dialout"));
        }
        assert!(matches!(
            classify(
                serialport::ErrorKind::Unknown,
                "ENOTTY: Inappropriate ioctl for device"
            ),
            LinkError::NotAPort { .. }
        ));
    }

    #[test]
    fn windows_tells_a_held_com_port_from_a_missing_one_by_the_port_list() {
        // serialport on Windows: ERROR_ACCESS_DENIED and ERROR_FILE_NOT_FOUND
        // are both `NoDevice`, with localised text.
        let e = |text: &str| serialport::Error::new(serialport::ErrorKind::NoDevice, text);
        assert!(matches!(
            classify_open_error_for("COM3", e("Access is denied."), || true),
            LinkError::PortBusy { path } if path == "COM3"
        ));
        assert!(matches!(
            classify_open_error_for("COM9", e("Das System kann die Datei nicht finden."), || false),
            LinkError::NoSuchPort { path } if path == "COM9"
        ));
    }

    #[test]
    fn paths_that_are_not_ports_are_told_apart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().display().to_string();
        assert_eq!(not_a_port(&d).ok().flatten(), Some("a directory"));
        let f = dir.path().join("f");
        std::fs::write(&f, "x").expect("write");
        assert_eq!(
            not_a_port(&f.display().to_string()).ok().flatten(),
            Some("a regular file")
        );
        assert!(matches!(
            not_a_port(&dir.path().join("none").display().to_string()),
            Err(LinkError::NoSuchPort { .. })
        ));
        assert_eq!(not_a_port("/dev/null").ok().flatten(), None);
        assert!(matches!(
            SerialTransport::open(&d, 115_200, None),
            Err(LinkError::NotAPort { .. })
        ));
    }
}
