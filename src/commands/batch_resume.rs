//! Batch lines from finished reports: a device `--resume` skips gets the
//! line its report stands for. Which work is finished, and report names,
//! are [`pawdiag::batch::resume`]'s.

use super::batch::{DeviceResult, apply_outcome};
use pawdiag::batch::resume::Done;
use pawdiag::report::model::Report;

/// A device finished in an earlier run: its line from its report, with
/// the same fields as a fresh line (and `resumed` set).
pub fn resumed(mut r: DeviceResult, done: &Done) -> DeviceResult {
    apply_outcome(&mut r, &done.report);
    r.report = Some(done.path.display().to_string());
    r.resumed = true;
    r.duration_ms = 0;
    r
}

/// The exit code a device's line gets from its report.
pub fn exit_of(report: &Report) -> u8 {
    let mut r = blank_line();
    apply_outcome(&mut r, report);
    r.exit
}

/// A line with nothing filled in.
pub fn blank_line() -> DeviceResult {
    DeviceResult {
        schema: super::batch::LINE_SCHEMA.into(),
        line: 0,
        device: String::new(),
        ticket: None,
        serial: None,
        model: None,
        flow: None,
        outcome: None,
        code: None,
        exit: 0,
        report: None,
        error: None,
        failure: None,
        resumed: false,
        duration_ms: 0,
        upload: None,
    }
}
