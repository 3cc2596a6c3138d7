//! Data lines on stdout for commands that stream (JSON Lines from `watch`
//! and `batch`). A reader that goes away (`| head`) ends the stream quietly
//! instead of panicking, as `println!` would.

use serde::Serialize;
use std::io::Write;

/// Why a line could not be written.
#[derive(Debug)]
pub enum LineError {
    /// The reader closed the pipe: stop producing output, quietly.
    Closed,
    /// Anything else (disk full on a redirect…).
    Io(std::io::Error),
}

impl From<std::io::Error> for LineError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            LineError::Closed
        } else {
            LineError::Io(e)
        }
    }
}

/// Writes one JSON object as one line and flushes, so a pipe sees each
/// record as soon as it exists.
pub fn json(value: &impl Serialize) -> Result<(), LineError> {
    let text = serde_json::to_string(value).map_err(|e| LineError::Io(e.into()))?;
    text_line(&text)
}

/// Writes one line of text and flushes.
pub fn text_line(text: &str) -> Result<(), LineError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
