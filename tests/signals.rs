//! Stop signals sent to a real `pawdiag` process talking to a simulated
//! device on a real pseudo-terminal: SIGINT, SIGTERM and SIGHUP stop a
//! diagnosis at once (here: in the middle of a two-minute verification
//! poll), before the next fix, with the report written, `stopped` saying
//! which signal and where, the report verifying, and the exit code telling
//! the signal (130, 143, 129). Also `batch` and `watch`.

#![cfg(unix)]

use pawdiag::sim::{PtyServer, SimSpec};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: the machine may be busy; a stop that works comes in seconds,
/// one that does not would wait for the 120 s poll.
const DEADLINE: Duration = Duration::from_secs(60);

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pawdiag"))
}

struct Running {
    child: Child,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

fn spawn(args: &[&str], reports: &Path) -> Running {
    let mut child = Command::new(bin())
        .args(args)
        .env("NO_COLOR", "1")
        .env("PAWDIAG_REPORT_DIR", reports)
        .env("PAWDIAG_CONFIG", reports.join("no-config.toml"))
        .env_remove("PAWDIAG_DEVICE")
        .env_remove("PAWDIAG_FLOWS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pawdiag starts");
    let (tx, lines) = channel();
    let stderr = Arc::new(Mutex::new(String::new()));
    let err = child.stderr.take().expect("stderr");
    let all = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            if let Ok(mut a) = all.lock() {
                a.push_str(&line);
                a.push('\n');
            }
            let _ = tx.send(line);
        }
    });
    Running {
        child,
        lines,
        stderr,
    }
}

impl Running {
    /// Waits until `n` stderr lines containing `needle` were printed.
    fn wait_for(&self, needle: &str, n: usize) {
        let end = Instant::now() + DEADLINE;
        let mut seen = 0;
        while seen < n {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) if l.contains(needle) => seen += 1,
                Ok(_) => {}
                Err(_) => panic!(
                    "`{needle}` did not appear {n} times; stderr so far:\n{}",
                    self.stderr()
                ),
            }
        }
    }

    fn signal(&self, sig: i32) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    }

    fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Waits for the process to end; its exit code and stdout.
    fn finish(mut self) -> (i32, String, String) {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let mut out = String::new();
                if let Some(mut o) = self.child.stdout.take() {
                    let _ = std::io::Read::read_to_string(&mut o, &mut out);
                }
                // Let the reader thread drain what is left.
                std::thread::sleep(Duration::from_millis(50));
                return (status.code().unwrap_or(-1), out, self.stderr());
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                panic!(
                    "pawdiag did not stop within {DEADLINE:?}; stderr:\n{}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn device(spec: &str) -> PtyServer {
    PtyServer::start(&SimSpec::from_address(spec).expect("spec"), Some(115_200)).expect("pty")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    serde_json::from_str(&text).expect("report is JSON")
}

fn verifies(path: &Path) {
    let out = Command::new(bin())
        .args(["report", "verify"])
        .arg(path)
        .output()
        .expect("verify runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Answers that take the GPS flow outdoors, into a two-minute poll, and
/// would allow the cold start after it.
const ANSWERS: &str = "\"safety.hazard\" = \"no\"\noutdoor = \"done\"\n\"cold-start\" = \"yes\"\n";

/// Starts a diagnosis of a tracker that will not find a fix outdoors, and
/// waits until it is polling for one.
fn diagnosis_in_a_poll(dir: &Path) -> (Running, PtyServer, PathBuf) {
    let server = device("pettracker?fault=gps-stale-almanac");
    let answers = dir.join("answers.toml");
    std::fs::write(&answers, ANSWERS).expect("answers");
    let report = dir.join("r.json");
    let addr = format!("serial:{}", server.path().display());
    let run = spawn(
        &[
            "-v",
            "diagnose",
            &addr,
            "--flow",
            "pettracker/gps-not-working",
            "--answers",
            answers.to_str().expect("utf-8"),
            "--report",
            report.to_str().expect("utf-8"),
            "--non-interactive",
        ],
        dir,
    );
    run.wait_for("Looking for satellites", 1);
    (run, server, report)
}

fn stopped_in_the_poll(report: &Path, signal: &str) {
    let r = read_json(report);
    let stopped = &r["stopped"];
    assert_eq!(stopped["kind"], "interrupted", "{stopped}");
    assert_eq!(stopped["signal"], signal, "{stopped}");
    assert_eq!(stopped["at_node"], "outdoor", "{stopped}");
    let steps = r["escalation"]["steps"].as_array().expect("steps");
    assert_eq!(stopped["step"], steps.len(), "{stopped}");
    assert_eq!(steps.last().expect("a step")["node"], "outdoor");
    assert_eq!(r["outcome"]["kind"], "incomplete");
    // The fix after the poll was never started.
    let sent_cold_start = r["transcript"]["entries"]
        .as_array()
        .expect("transcript")
        .iter()
        .any(|e| {
            e["dir"] == "tx"
                && e["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("gps.cold_start"))
        });
    assert!(!sent_cold_start, "gps.cold_start was sent after the stop");
    verifies(report);
}

#[test]
fn each_stop_signal_ends_a_diagnosis_at_once_with_its_report() {
    for (sig, name, code) in [
        (libc::SIGINT, "SIGINT", 130),
        (libc::SIGTERM, "SIGTERM", 143),
        (libc::SIGHUP, "SIGHUP", 129),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (run, _server, report) = diagnosis_in_a_poll(dir.path());
        run.signal(sig);
        let (exit, _, stderr) = run.finish();
        assert_eq!(exit, code, "{name}: {stderr}");
        stopped_in_the_poll(&report, name);
    }
}

#[test]
fn a_second_ctrl_c_hurries_and_the_report_is_still_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (run, _server, report) = diagnosis_in_a_poll(dir.path());
    run.signal(libc::SIGINT);
    run.signal(libc::SIGINT);
    let (exit, _, stderr) = run.finish();
    assert_eq!(exit, 130, "{stderr}");
    assert!(
        stderr.contains("again to hurry") || stderr.contains("Stopping now"),
        "{stderr}"
    );
    stopped_in_the_poll(&report, "SIGINT");
}

#[test]
fn batch_writes_every_running_devices_report_then_the_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = device("pettracker?fault=gps-stale-almanac&serial=PT-24A0-0101");
    let b = device("pettracker?fault=gps-stale-almanac&serial=PT-24A0-0102");
    let manifest = dir.path().join("m.csv");
    std::fs::write(
        &manifest,
        format!(
            "device,flow,ticket,answer:safety.hazard,answer:outdoor,answer:cold-start\n\
             serial:{},pettracker/gps-not-working,T-1,no,done,yes\n\
             serial:{},pettracker/gps-not-working,T-2,no,done,yes\n",
            a.path().display(),
            b.path().display()
        ),
    )
    .expect("manifest");
    let out = dir.path().join("out");
    let run = spawn(
        &[
            "-v",
            "batch",
            manifest.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
        dir.path(),
    );
    run.wait_for("Looking for satellites", 2);
    run.signal(libc::SIGTERM);
    let (exit, stdout, stderr) = run.finish();
    assert_eq!(exit, 143, "{stderr}");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for l in &lines {
        assert_eq!(l["exit"], 143, "{l}");
        let report = PathBuf::from(l["report"].as_str().expect("report written"));
        let r = read_json(&report);
        assert_eq!(r["stopped"]["signal"], "SIGTERM");
        assert_eq!(r["stopped"]["at_node"], "outdoor");
        verifies(&report);
    }
    // The summary comes after the devices.
    assert!(stderr.contains("2 devices"), "{stderr}");
}

#[test]
fn watch_ends_with_the_signals_exit_code() {
    for (sig, code) in [
        (libc::SIGINT, 130),
        (libc::SIGTERM, 143),
        (libc::SIGHUP, 129),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let server = device("smartcollar");
        let addr = format!("serial:{}", server.path().display());
        // A busy machine must not make the device look silent.
        let mut run = spawn(
            &[
                "watch",
                &addr,
                "--interval-ms",
                "200",
                "--timeout-ms",
                "5000",
            ],
            dir.path(),
        );
        // Wait for the first refresh on stdout (JSON Lines when piped).
        let stdout = run.child.stdout.take().expect("stdout");
        let mut first = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut first).expect("a refresh");
        if !first.contains("pawdiag.watch/1") {
            let (exit, _, stderr) = run.finish();
            panic!("no refresh (exit {exit}): {first}\n{stderr}");
        }
        run.signal(sig);
        let (exit, _, stderr) = run.finish();
        assert_eq!(exit, code, "{stderr}");
    }
}

#[test]
fn several_devices_side_by_side_each_keep_their_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = device("pettracker?fault=gps-stale-almanac&serial=PT-24A0-0201");
    let b = device("pettracker?fault=gps-stale-almanac&serial=PT-24A0-0202");
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, ANSWERS).expect("answers");
    let addr_a = format!("serial:{}", a.path().display());
    let addr_b = format!("serial:{}", b.path().display());
    let run = spawn(
        &[
            "-v",
            "diagnose",
            &addr_a,
            &addr_b,
            "--flow",
            "pettracker/gps-not-working",
            "--answers",
            answers.to_str().expect("utf-8"),
            "--json",
        ],
        dir.path(),
    );
    run.wait_for("Looking for satellites", 2);
    run.signal(libc::SIGHUP);
    let (exit, stdout, stderr) = run.finish();
    assert_eq!(exit, 129, "{stderr}");
    let rows: Vec<Value> = serde_json::from_str(&stdout).expect("a JSON array");
    assert_eq!(rows.len(), 2, "{stdout}");
    for r in &rows {
        let report = PathBuf::from(r["detail"].as_str().expect("report path"));
        let rep = read_json(&report);
        assert_eq!(rep["stopped"]["signal"], "SIGHUP", "{}", rep["stopped"]);
        assert_eq!(rep["stopped"]["at_node"], "outdoor");
        verifies(&report);
    }
}
