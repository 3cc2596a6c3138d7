//! `--record FILE`: a [`Transport`] that passes everything through to the
//! real one and writes every line both ways, with its time, to a recording
//! (format in [`super::recording`]). Lines are written as they happen, so a
//! session that crashes or is killed keeps its recording up to that point.
//! A write failure never stops the session: it is remembered and reported
//! by [`Recorder::error`].

use super::recording::{FORMAT, FileLine, FrameKind};
use super::{BoxTransport, LinkError, Transport};
use crate::interface::frame::{LineBuffer, RawLine};
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The file a session is being recorded to, shared by the transport (which
/// adds frames) and the session (which adds its summary at the end).
#[derive(Debug)]
pub struct Recorder {
    path: PathBuf,
    start: Instant,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    file: Option<File>,
    error: Option<String>,
}

impl Recorder {
    /// Creates (or truncates) the recording, readable by its owner only,
    /// and writes its header.
    pub fn create(path: &Path, address: &str) -> std::io::Result<Arc<Self>> {
        let mut opts = OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(path)?;
        // An existing file keeps its old mode when truncated: tighten it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        let header = FileLine {
            format: Some(FORMAT.into()),
            address: Some(address.into()),
            started_at: Some(chrono::Utc::now()),
            ..FileLine::default()
        };
        writeln!(file, "{}", serde_json::to_string(&header)?)?;
        Ok(Arc::new(Self {
            path: path.to_path_buf(),
            start: Instant::now(),
            state: Mutex::new(State {
                file: Some(file),
                error: None,
            }),
        }))
    }

    /// Where the recording is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_line(&self, line: &FileLine) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some(file) = st.file.as_mut() else { return };
        let text = match serde_json::to_string(line) {
            Ok(t) => t,
            Err(e) => {
                st.error.get_or_insert(e.to_string());
                return;
            }
        };
        if let Err(e) = writeln!(file, "{text}") {
            st.error.get_or_insert(e.to_string());
            // Stop trying: a full disk would fail every line.
            st.file = None;
        }
    }

    fn frame(&self, kind: FrameKind) {
        let t = self.start.elapsed().as_secs_f64() * 1000.0;
        self.write_line(&FileLine::frame(t, &kind));
    }

    /// Adds the session's summary as the last line and closes the file.
    pub fn finish(&self, summary: Value) {
        self.write_line(&FileLine {
            summary: Some(summary),
            ..FileLine::default()
        });
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(f) = st.file.take()
            && let Err(e) = f.sync_all()
        {
            st.error.get_or_insert(e.to_string());
        }
    }

    /// The first write error, if any.
    pub fn error(&self) -> Option<String> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .error
            .clone()
    }
}

/// A transport that records everything passing through it.
pub struct RecordingTransport {
    inner: BoxTransport,
    rec: Arc<Recorder>,
    tx: LineBuffer,
    rx: LineBuffer,
}

impl RecordingTransport {
    /// Records `inner` into `rec`.
    pub fn new(inner: BoxTransport, rec: Arc<Recorder>) -> Self {
        Self {
            inner,
            rec,
            tx: LineBuffer::new(),
            rx: LineBuffer::new(),
        }
    }
}

fn lines(buf: &mut LineBuffer, bytes: &[u8], rec: &Recorder, tx: bool) {
    for l in buf.push(bytes) {
        match l {
            RawLine::Line(l) if l.is_empty() => {}
            RawLine::Line(l) => {
                let s = String::from_utf8_lossy(&l).into_owned();
                rec.frame(if tx {
                    FrameKind::Tx(s)
                } else {
                    FrameKind::Rx(s)
                });
            }
            RawLine::TooLong(n) => rec.frame(FrameKind::RxDiscarded(n)),
        }
    }
}

impl Transport for RecordingTransport {
    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        lines(&mut self.tx, bytes, &self.rec, true);
        self.inner.write(bytes)
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            let r = self.inner.read().await;
            match &r {
                Ok(bytes) => lines(&mut self.rx, bytes, &self.rec, false),
                Err(e) => {
                    let detail = match e {
                        LinkError::Disconnected(d) => d.clone(),
                        other => other.to_string(),
                    };
                    self.rec.frame(FrameKind::Down(detail));
                }
            }
            r
        })
    }

    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            let r = self.inner.reconnect(within).await;
            self.rx.clear();
            match &r {
                Ok(()) => self.rec.frame(FrameKind::Up),
                Err(e) => self.rec.frame(FrameKind::Gone(e.to_string())),
            }
            r
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        self.inner.close()
    }

    fn bytes_per_sec(&self) -> Option<f64> {
        self.inner.bytes_per_sec()
    }

    fn expects_banner(&self) -> bool {
        self.inner.expects_banner()
    }
}
