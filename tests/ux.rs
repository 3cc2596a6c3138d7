//! The three ways in, run as a person or a script would: `config`, `watch`
//! (piped and on a pseudo-terminal) and `batch` against in-process `sim:`
//! devices and devices served on real pseudo-terminals.

// Tests unwrap freely: a failed unwrap is the test failing, with its message.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
#[cfg(unix)]
use pawdiag::sim::{SimSpec, pty::PtyServer};
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

mod support;

/// The binary, isolated from the real user's config and devices.
fn pawdiag(home: &Path) -> Command {
    support::isolated(home)
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn setting<'a>(show: &'a Value, key: &str) -> &'a Value {
    show["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .unwrap()
}

// ---------------------------------------------------------------- config

#[test]
fn config_show_says_where_each_value_came_from() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("pawdiag.toml"),
        "audience = \"customer\"\njobs = 3\ntechnician = \"Sam Lee\"\nreport_dir = \"reports\"\n",
    )
    .unwrap();
    let out = pawdiag(home.path())
        .args(["config", "show", "--json", "--station", "bench-2"])
        .env("PAWDIAG_JOBS", "5")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["file"]["exists"], true);
    let s = |k| setting(&v, k).clone();
    assert_eq!(
        (
            s("audience")["value"].clone(),
            s("audience")["source"].clone()
        ),
        ("customer".into(), "file".into())
    );
    assert_eq!(
        (s("jobs")["value"].clone(), s("jobs")["source"].clone()),
        (5.into(), "env".into())
    );
    assert_eq!(s("jobs")["origin"], "PAWDIAG_JOBS");
    assert_eq!(
        (
            s("station")["value"].clone(),
            s("station")["source"].clone()
        ),
        ("bench-2".into(), "flag".into())
    );
    assert_eq!(s("timeout_ms")["source"], "default");
    assert_eq!(
        s("report_dir")["value"],
        home.path().join("reports").display().to_string()
    );
}

#[test]
fn malformed_config_names_file_line_column_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("pawdiag.toml");
    std::fs::write(&file, "jobs = 4\ntimeout_ms = \"soon\"\n").unwrap();
    for args in [&["config", "show"][..], &["info", "sim:pettracker"][..]] {
        pawdiag(home.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("{}:2:14", file.display())))
            .stderr(predicate::str::contains("hint:"))
            .stderr(predicate::str::contains("panicked").not());
    }
    // Finding the file must still work when it is broken.
    pawdiag(home.path())
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", file.display()));
}

#[test]
fn bad_flag_values_are_bad_input() {
    let home = tempfile::tempdir().unwrap();
    pawdiag(home.path())
        .args(["config", "show", "--jobs", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1..=256"));
    pawdiag(home.path())
        .args(["config", "show"])
        .env("PAWDIAG_AUDIENCE", "vet")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("PAWDIAG_AUDIENCE"));
}

// ---------------------------------------------------------------- watch

#[test]
fn watch_piped_prints_one_json_line_per_refresh_about_on_time() {
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = pawdiag(home.path())
        .args([
            "watch",
            "sim:smartcollar?fault=led-channel-open",
            "--count",
            "3",
            "--interval-ms",
            "300",
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let frames = json_lines(&out.stdout);
    assert_eq!(frames.len(), 3);
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(f["schema"], "pawdiag.watch/1");
        assert_eq!(f["seq"], i as u64 + 1);
        assert_eq!(f["serial"], "SC-24A0-0001");
        assert_eq!(f["readings"]["led.status"]["channels"][1]["ok"], false);
        assert!(f["readings"]["fit.status"].is_object());
        assert!(f["errors"].as_object().unwrap().is_empty());
    }
    // Three refreshes 300 ms apart: the first at once, the third ~600 ms later.
    assert!(took >= Duration::from_millis(600), "{took:?}");
    let t = |f: &Value| chrono::DateTime::parse_from_rfc3339(f["at"].as_str().unwrap()).unwrap();
    let gap = (t(&frames[2]) - t(&frames[0])).num_milliseconds();
    assert!((550..=1500).contains(&gap), "{gap} ms");
}

#[test]
fn watch_rounds_the_pets_location_unless_asked() {
    let home = tempfile::tempdir().unwrap();
    let lat = |extra: &[&str]| {
        let out = pawdiag(home.path())
            .args(["watch", "sim:pettracker", "--count", "1"])
            .args(extra)
            .output()
            .unwrap();
        json_lines(&out.stdout)[0]["readings"]["gps.status"]["lat"]
            .as_f64()
            .unwrap()
    };
    let rounded = lat(&[]);
    assert_eq!(rounded, (rounded * 100.0).round() / 100.0);
    let exact = lat(&["--include-personal-data"]);
    assert_ne!(exact, rounded);
}

#[test]
fn watch_says_when_the_link_drops_keeps_output_and_exits_3() {
    let home = tempfile::tempdir().unwrap();
    let out = pawdiag(home.path())
        .args([
            "watch",
            "sim:pettracker?link=vanish",
            "--interval-ms",
            "100",
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let frames = json_lines(&out.stdout);
    assert!(!frames.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(", after {} refresh", frames.len())),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: The connection to sim:pettracker?link=vanish was lost"),
        "{stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1
    );
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn watch_on_a_terminal_redraws_in_place_and_stops_on_ctrl_c() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(support::BIN);
    support::isolate(&mut cmd, home.path());
    cmd.args(["watch", "sim:healthmonitor", "--interval-ms", "200"])
        .env("TERM", "xterm");
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).unwrap();
    p.exp_string("HealthMonitor HM-24A0-0001 at sim:healthmonitor")
        .unwrap();
    p.exp_string("Heart rate").unwrap();
    let between = p.exp_string("refresh 3 at").unwrap();
    // Redrawn in place: the cursor moves up over the previous frame and clears it.
    assert!(
        between.contains("\u{1b}[1A") || between.contains("\u{1b}[2K"),
        "{between:?}"
    );
    assert!(!between.contains("\"schema\""));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    // Ctrl-C ends it, with the code that says so.
    let status = p.process().wait().unwrap();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 130)),
        "{status:?}"
    );
}

// ---------------------------------------------------------------- batch

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn batch_runs_every_row_keeps_going_and_resumes() {
    let home = tempfile::tempdir().unwrap();
    let m = write(
        home.path(),
        "returns.csv",
        "device,ticket,flow\n\
         sim:pettracker,T-1,\n\
         \"sim:smartcollar?fault=led-channel-open\",T-2,\n\
         sim:healthmonitor?link=silent,T-3,\n",
    );
    let out_dir = home.path().join("out");
    let run = |extra: &[&str]| {
        pawdiag(home.path())
            .arg("batch")
            .arg(&m)
            .arg("--out")
            .arg(&out_dir)
            .args(["--jobs", "3", "--timeout-ms", "50"])
            .args(extra)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One device could not be run: 3 outranks the fault's 4.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let mut lines = json_lines(&out.stdout);
    lines.sort_by_key(|l| l["line"].as_u64());
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["exit"], 0);
    assert_eq!(lines[0]["serial"], "PT-24A0-0001");
    assert_eq!(lines[0]["outcome"], "no-fault-found");
    assert_eq!(lines[1]["exit"], 4);
    assert_eq!(lines[1]["outcome"], "replace");
    assert!(lines[1]["code"].as_str().is_some_and(|c| !c.is_empty()));
    assert_eq!(lines[2]["exit"], 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("silent"));
    // A silent device is reported too: what was tried, and that nothing
    // came back.
    let silent =
        pawdiag::report::load(&std::fs::read(lines[2]["report"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(silent.stopped.unwrap().failure.as_deref(), Some("silent"));
    for l in &lines[..2] {
        let report = l["report"].as_str().unwrap();
        assert!(Path::new(report).starts_with(&out_dir));
        // A sweep's report is a sealed pawdiag report like a flow's.
        let bytes = std::fs::read(report).unwrap();
        assert!(pawdiag::report::verify(&bytes).is_intact());
        let rep = pawdiag::report::load(&bytes).unwrap();
        assert_eq!(Some(rep.device.serial.as_str()), l["serial"].as_str());
        assert_eq!(
            rep.escalation.customer.ticket.as_deref(),
            l["ticket"].as_str()
        );
        assert_eq!(Some(rep.outcome.code.as_str()), l["code"].as_str());
    }
    assert!(stderr.contains("could not be run"), "{stderr}");
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");

    let again = run(&["--resume"]);
    assert_eq!(again.status.code(), Some(3));
    let mut lines = json_lines(&again.stdout);
    lines.sort_by_key(|l| l["line"].as_u64());
    assert_eq!(lines[0]["resumed"], true);
    assert_eq!(lines[1]["resumed"], true);
    assert_eq!(lines[1]["exit"], 4);
    assert_eq!(lines[2]["resumed"], false);
}

#[test]
fn batch_exit_is_4_when_the_worst_is_a_fault() {
    let home = tempfile::tempdir().unwrap();
    let m = write(
        home.path(),
        "m.toml",
        "[[device]]\ndevice = \"sim:pettracker?fault=gps-antenna-open\"\n\n[[device]]\ndevice = \"sim:healthmonitor\"\n",
    );
    let out = pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .arg("--out")
        .arg(home.path().join("r"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&out.stdout).len(), 2);
}

#[test]
fn batch_safety_outranks_everything_and_flows_take_manifest_answers() {
    let home = tempfile::tempdir().unwrap();
    let m = write(
        home.path(),
        "m.csv",
        "device,flow,ticket,answers\n\
         sim:healthmonitor?fault=battery-ntc-fault,,T-1,\n\
         sim:pettracker?fault=gps-antenna-open,pettracker/gps-not-working,T-2,a.toml\n\
         sim:pettracker?link=silent,,T-3,\n",
    );
    write(home.path(), "a.toml", "# nothing to say\n");
    let out = pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .arg("--out")
        .arg(home.path().join("r"))
        .args(["--timeout-ms", "50", "--technician", "Sam Lee"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = json_lines(&out.stdout);
    lines.sort_by_key(|l| l["line"].as_u64());
    assert_eq!(
        (lines[0]["outcome"].as_str(), lines[0]["exit"].as_u64()),
        (Some("safety"), Some(5))
    );
    assert_eq!(lines[1]["flow"], "pettracker/gps-not-working");
    assert_eq!(lines[1]["exit"], 4);
    // A flow's report is a sealed pawdiag report naming the ticket and who ran it.
    let bytes = std::fs::read(lines[1]["report"].as_str().unwrap()).unwrap();
    assert!(pawdiag::report::verify(&bytes).is_intact());
    let rep = pawdiag::report::load(&bytes).unwrap();
    assert_eq!(rep.escalation.customer.ticket.as_deref(), Some("T-2"));
    // Who ran it is the report's own field now, not a note.
    assert_eq!(rep.technician.as_deref(), Some("Sam Lee"));
    assert!(
        !rep.escalation
            .customer
            .notes
            .iter()
            .any(|n| n.contains("Sam Lee"))
    );
    assert_eq!(lines[2]["exit"], 3);
}

#[test]
fn malformed_manifest_names_file_and_line_and_runs_nothing() {
    let home = tempfile::tempdir().unwrap();
    let m = write(
        home.path(),
        "m.csv",
        "device,flow\nsim:pettracker,\nsim:pettracker,pettracker/gps-not-working,extra\n",
    );
    let out_dir = home.path().join("out");
    pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .arg("--out")
        .arg(&out_dir)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!("{}:3", m.display())))
        .stderr(predicate::str::contains("hint:"));
    assert!(!out_dir.exists());
    let m = write(
        home.path(),
        "a.csv",
        "device,answers\nsim:pettracker,missing.toml\n",
    );
    pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.csv:2"))
        .stderr(predicate::str::contains("missing.toml"));
    let m = write(
        home.path(),
        "f.csv",
        "device,flow,answer:no-such-question\nsim:pettracker,pettracker/gps-not-working,yes\n",
    );
    pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("f.csv:2"))
        .stderr(predicate::str::contains("no-such-question"));
    let m = write(
        home.path(),
        "g.csv",
        "device,flow\nsim:pettracker,pettracker/teleport\n",
    );
    pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "g.csv:2: there is no flow `pettracker/teleport`",
        ));
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn batch_over_pty_served_devices_at_115200_baud() {
    let home = tempfile::tempdir().unwrap();
    let servers: Vec<PtyServer> = (1..=4)
        .map(|n| {
            let mut spec: SimSpec = SimSpec::from_address("pettracker").unwrap();
            spec.serial = Some(format!("PT-24A0-000{n}"));
            PtyServer::start(&spec, Some(115_200)).unwrap()
        })
        .collect();
    let mut manifest = String::from("device,ticket\n");
    for (i, s) in servers.iter().enumerate() {
        manifest.push_str(&format!("serial:{},T-{i}\n", s.path().display()));
    }
    let m = write(home.path(), "pty.csv", &manifest);
    let out = pawdiag(home.path())
        .arg("batch")
        .arg(&m)
        .arg("--out")
        .arg(home.path().join("r"))
        .args(["--jobs", "4"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut serials: Vec<String> = json_lines(&out.stdout)
        .iter()
        .map(|l| l["serial"].as_str().unwrap().to_string())
        .collect();
    serials.sort();
    assert_eq!(
        serials,
        [
            "PT-24A0-0001",
            "PT-24A0-0002",
            "PT-24A0-0003",
            "PT-24A0-0004"
        ]
    );
}
