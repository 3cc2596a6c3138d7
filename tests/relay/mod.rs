//! Shared by the hand-off tests (`continue_cli`, `replay_cli`,
//! `report_relay`): pawdiag run as a user would, in a directory of its own
//! (reports in `DIR/reports`, relative paths from `DIR`).

// Each test binary uses some of these.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// `pawdiag` with a private reports directory and no outside settings.
pub fn pawdiag(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pawdiag").expect("binary built");
    cmd.env("NO_COLOR", "1")
        .env("PAWDIAG_REPORT_DIR", dir.join("reports"))
        .env_remove("PAWDIAG_DEVICE")
        .env_remove("PAWDIAG_FLOWS")
        .current_dir(dir);
    cmd
}

/// `pawdiag diagnose ARGS --non-interactive --json`: exit code, the JSON
/// printed (`null` when none), and stderr.
pub fn diagnose(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = pawdiag(dir)
        .arg("diagnose")
        .args(args)
        .args(["--non-interactive", "--json"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, err)
}

/// Runs a command: exit code, stdout, stderr.
pub fn output(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
