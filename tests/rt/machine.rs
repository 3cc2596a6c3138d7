//! A technician's machine for the helpdesk tests: pawdiag with its own data
//! directory (local record, outbox), reports directory and no config file,
//! sending to the shared RT as root unless a test says otherwise.

use super::{ROOT_PASSWORD, TECH, rt};
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A technician's machine: its own data directory (local record, outbox),
/// reports directory and no config file; RT as root unless changed.
pub struct Machine {
    /// Its home: data, reports, report files.
    pub dir: tempfile::TempDir,
}

/// What a command printed and how it ended.
pub struct Out {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }
}

impl Machine {
    pub fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("pawdiag").expect("binary built");
        c.env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("PAWDIAG_CONFIG", self.dir.path().join("none.toml"))
            .env("PAWDIAG_REPORT_DIR", self.dir.path().join("reports"))
            .env("PAWDIAG_HELPDESK_URL", &rt().url)
            .env("PAWDIAG_HELPDESK_USER", "root")
            .env("PAWDIAG_HELPDESK_PASSWORD", ROOT_PASSWORD)
            .env_remove("PAWDIAG_HELPDESK_TOKEN")
            .env_remove("PAWDIAG_HELPDESK_QUEUE")
            .env_remove("PAWDIAG_DEVICE")
            .env_remove("PAWDIAG_FLOWS");
        c
    }

    /// Runs a command; no credential may show in what it prints.
    pub fn run(&self, mut cmd: Command) -> Out {
        let o = cmd.output().expect("runs");
        let out = Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        for secret in [ROOT_PASSWORD, TECH.1, rt().token.as_str()] {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "a credential was printed:\n{}\n{}",
                out.stdout,
                out.stderr
            );
        }
        out
    }

    pub fn upload(&self, args: &[&str]) -> Out {
        let mut c = self.cmd();
        c.args(["report", "upload"]).args(args);
        self.run(c)
    }

    /// A diagnosis of a simulated PetTracker, its report saved as JSON.
    pub fn report(&self, serial: &str, fault: &str, extra: &[&str]) -> PathBuf {
        let path = self.dir.path().join(format!("{serial}.json"));
        let mut c = self.cmd();
        c.arg("diagnose")
            .arg(format!("sim:pettracker?serial={serial}&fault={fault}"))
            .args(["--flow", "pettracker/gps-not-working", "--non-interactive"])
            .arg("--report")
            .arg(&path)
            .args(extra);
        let out = self.run(c);
        assert!(path.is_file(), "no report: {}", out.stderr);
        path
    }
}

/// The report id in a JSON report.
pub fn report_id(path: &Path) -> String {
    let v: Value = serde_json::from_slice(&std::fs::read(path).expect("report")).expect("json");
    v["report_id"].as_str().expect("report_id").to_string()
}

/// The name its attachments get, without the extension.
pub fn stem(path: &Path) -> String {
    format!("pawdiag-{}", report_id(path))
}
