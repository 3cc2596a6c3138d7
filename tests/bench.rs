//! The technician's bench, run as a technician would at 80 columns: `info`
//! of every model (snapshots), lines that fit, no raw protocol keys, colour
//! only when asked for; tables that fit `COLUMNS`; and the help a mistake
//! gets (flow ids suggested, a flow id without its model).

// Tests unwrap freely: a failed unwrap is the test failing, with its message.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::Path;

mod support;

/// The binary at 80 columns without colour, isolated from the user's
/// config, devices and reports.
fn pawdiag(home: &Path) -> Command {
    let mut cmd = support::isolated(home);
    cmd.env_remove("PAWDIAG_FLOWS")
        .env("COLUMNS", "80")
        .env("PAWDIAG_REPORT_DIR", home.join("reports"));
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    run_in(home.path(), args)
}

fn run_in(home: &Path, args: &[&str]) -> Run {
    let out = pawdiag(home).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Display width: every character pawdiag draws is one column wide.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// A protocol key (`cn0_avg_dbhz`, `geofences[0].enabled`) or method name
/// (`gps.status`) in text meant for a person. Device log codes (`BAT_LOW`)
/// are upper case and are reference codes, not keys.
fn raw_keys(text: &str) -> Vec<String> {
    let re = regex_lite(text);
    re.into_iter().collect()
}

/// Words with a lower-case `_` join, `[n].`, or a `.status`-like suffix.
fn regex_lite(text: &str) -> Vec<String> {
    let methods = [
        ".status", ".list", ".config", ".get", ".run", ".read", ".info",
    ];
    text.split(|c: char| c.is_whitespace() || "│,()".contains(c))
        .filter(|w| {
            let lower_snake = w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase());
            let indexed = w.contains("].") || w.contains("[0]");
            let method = methods.iter().any(|m| w.ends_with(m));
            lower_snake || indexed || method
        })
        .map(str::to_string)
        .collect()
}

/// Ages that count seconds of simulated uptime could tick on a loaded machine.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"last sync \d+ s ago", "last sync [N] s ago");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn info_of_every_model_fits_80_columns_and_reads_like_watch() {
    for (name, addr) in [
        ("info_pettracker", "sim:pettracker"),
        ("info_healthmonitor", "sim:healthmonitor?fault=storage-full"),
        ("info_smartcollar", "sim:smartcollar?fault=led-channel-open"),
    ] {
        let r = run(&["info", addr]);
        assert!(r.code == 0 || r.code == 4, "{addr}: {}", r.stderr);
        assert!(widest(&r.stdout) <= 80, "{addr}:\n{}", r.stdout);
        assert_eq!(raw_keys(&r.stdout), Vec::<String>::new(), "{addr}");
        assert!(!r.stdout.contains('\u{1b}'), "NO_COLOR: {addr}");
        settings().bind(|| insta::assert_snapshot!(name, r.stdout));
    }
}

#[test]
fn info_marks_failing_values_in_words() {
    let r = run(&[
        "info",
        "sim:pettracker?fault=gps-antenna-open",
        "--no-selftest",
    ]);
    assert!(r.stdout.contains("(FAULT)"), "{}", r.stdout);
    let r = run(&[
        "info",
        "sim:healthmonitor?fault=storage-full",
        "--no-selftest",
    ]);
    assert!(r.stdout.contains("(full)"), "{}", r.stdout);
}

#[test]
fn json_keeps_the_raw_keys() {
    let r = run(&["info", "sim:pettracker", "--no-selftest", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["snapshot"]["status"]["gps.status"]["cn0_avg_dbhz"], 38.5);
}

#[test]
fn tables_fit_columns_and_piped_output_is_100_wide() {
    for width in ["60", "80", "120"] {
        let home = tempfile::tempdir().unwrap();
        let out = pawdiag(home.path())
            .env("COLUMNS", width)
            .args(["sim", "faults"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let w: usize = width.parse().unwrap();
        assert!(widest(&text) <= w, "COLUMNS={width}:\n{text}");
        // Text columns wrap first; names stay whole while they can.
        if w >= 80 {
            assert!(text.contains("│ charger-not-detected "), "{text}");
        }
    }
    let home = tempfile::tempdir().unwrap();
    let out = pawdiag(home.path())
        .env_remove("COLUMNS")
        .args(["sim", "faults"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        (90..=100).contains(&widest(&text)),
        "piped: {}",
        widest(&text)
    );
}

#[test]
fn several_devices_fit_80_columns_with_outcomes_in_words() {
    let r = run(&[
        "diagnose",
        "sim:pettracker",
        "sim:healthmonitor?fault=storage-full",
        "sim:smartcollar?fault=led-channel-open",
        "sim:pettracker?fault=gps-antenna-open",
    ]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(widest(&r.stdout) <= 80, "{}", r.stdout);
    assert!(r.stdout.contains("no fault found"), "{}", r.stdout);
    assert!(!r.stdout.contains("no-fault-found"), "{}", r.stdout);
    assert!(r.stderr.contains("Reports are in"), "{}", r.stderr);
}

#[test]
fn a_mistyped_flow_id_suggests_the_nearest() {
    let r = run(&[
        "diagnose",
        "sim:pettracker",
        "--flow",
        "pettracker/gps-not-workng",
        "--non-interactive",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("hint: did you mean `pettracker/gps-not-working`?"),
        "{}",
        r.stderr
    );
    // No device was touched, so no report.
    let r = run(&["flows", "show", "pettracker/geofenceing"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `pettracker/geofencing`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_flow_id_without_its_model_resolves_against_the_device() {
    let home = tempfile::tempdir().unwrap();
    let r = run_in(
        home.path(),
        &[
            "diagnose",
            "sim:pettracker?fault=gps-antenna-open",
            "--flow",
            "gps-not-working",
            "--non-interactive",
            "--json",
        ],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["diagnosis"]["session"]["flow_id"],
        "pettracker/gps-not-working"
    );
    assert_eq!(v["outcome"]["code"], "PT-GPS-ANT");
    // A collar has no such flow: said so, with the collar's flows as the hint.
    let r = run(&[
        "diagnose",
        "sim:smartcollar",
        "--flow",
        "gps-not-working",
        "--non-interactive",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: The SmartCollar has no flow `gps-not-working`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("flows list --model smartcollar"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_manifest_with_a_mistyped_flow_names_its_line_and_the_nearest_id() {
    let home = tempfile::tempdir().unwrap();
    let manifest = home.path().join("m.csv");
    std::fs::write(
        &manifest,
        "device,flow\nsim:pettracker,pettracker/gps-not-workng\n",
    )
    .unwrap();
    let r = run_in(
        home.path(),
        &["batch", manifest.to_str().unwrap(), "--out", "reports"],
    );
    assert_eq!(r.code, 2);
    // File and line (a CSV row has no column to point at), no `:0`.
    assert!(
        r.stderr.contains("m.csv:2: there is no flow"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(":0"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("did you mean `pettracker/gps-not-working`?"),
        "{}",
        r.stderr
    );
}

/// Lines joined back into their paragraphs (blank lines kept).
fn unwrapped(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `text` as a regex matching itself.
fn literal(text: &str) -> String {
    text.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[test]
fn diagnose_speaks_to_the_technician_by_default_and_to_the_customer_when_asked() {
    for (audience, extra) in [
        (
            "technician",
            &["--technician", "Sam Lee", "--station", "bench-3"][..],
        ),
        ("customer", &["--audience", "customer"][..]),
    ] {
        let home = tempfile::tempdir().unwrap();
        let report = home.path().join("r.json");
        let mut args = vec![
            "diagnose",
            "sim:pettracker?fault=gps-antenna-open",
            "--flow",
            "pettracker/gps-not-working",
            "--non-interactive",
            "--report",
            report.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let r = run_in(home.path(), &args);
        assert_eq!(r.code, 4, "{}", r.stderr);
        assert!(widest(&r.stdout) <= 80, "{audience}:\n{}", r.stdout);
        assert_eq!(raw_keys(&r.stdout), Vec::<String>::new(), "{audience}");
        let mut s = settings();
        s.add_filter(&literal(&home.path().display().to_string()), "[HOME]");
        s.add_filter(r"\w{3} \d{4}-\d\d-\d\d \d\d:\d\d UTC", "[DUE]");
        s.add_filter(r"sorted by \w+ \d+ \w+", "sorted by [DAY]");
        // A case reference is new every session.
        s.add_filter(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b", "[CASE]");
        // The customer's sentences name a weekday, whose length moves the
        // wrapping: that snapshot is of the sentences, unwrapped (the width
        // is checked above).
        let text = if audience == "customer" {
            unwrapped(&r.stdout)
        } else {
            r.stdout.clone()
        };
        s.bind(|| insta::assert_snapshot!(format!("diagnose_{audience}"), text));
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        if audience == "technician" {
            assert_eq!(saved["technician"], "Sam Lee");
            assert_eq!(saved["station"], "bench-3");
        } else {
            assert!(saved.get("technician").is_none());
        }
    }
}

#[test]
fn the_bench_sweep_of_every_model_fits_80_columns_without_raw_keys() {
    for addr in [
        "sim:pettracker?fault=battery-low",
        "sim:healthmonitor?fault=storage-full",
        "sim:smartcollar?fault=led-channel-open",
    ] {
        for audience in ["technician", "customer"] {
            let r = run(&[
                "diagnose",
                addr,
                "--non-interactive",
                "--audience",
                audience,
            ]);
            assert!(r.code == 0 || r.code == 4, "{addr}: {}", r.stderr);
            assert!(widest(&r.stdout) <= 80, "{addr} {audience}:\n{}", r.stdout);
            assert_eq!(
                raw_keys(&r.stdout),
                Vec::<String>::new(),
                "{addr} {audience}"
            );
        }
    }
}

#[test]
fn the_audience_comes_from_the_config_file_and_the_flag_wins() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("pawdiag.toml"),
        "audience = \"customer\"\n",
    )
    .unwrap();
    let args = [
        "diagnose",
        "sim:pettracker",
        "--flow",
        "pettracker/battery-life",
        "--non-interactive",
    ];
    let r = run_in(home.path(), &args);
    assert!(r.stdout.contains("Your case reference:"), "{}", r.stdout);
    let mut with_flag = args.to_vec();
    with_flag.extend(["--audience", "technician"]);
    let r = run_in(home.path(), &with_flag);
    assert!(r.stdout.starts_with("Verdict: "), "{}", r.stdout);
    // The old boolean spelling is gone: --technician takes the person's name.
    let r = run(&["diagnose", "sim:pettracker", "--technician"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// `info` on a terminal: failing values in red, unless `NO_COLOR`.
#[cfg(unix)] // a pseudo-terminal (rexpect)
#[test]
fn info_on_a_terminal_colours_failing_values_unless_no_color() {
    for no_color in [false, true] {
        let home = tempfile::tempdir().unwrap();
        let mut cmd = std::process::Command::new(support::BIN);
        support::isolate(&mut cmd, home.path());
        cmd.args(["info", "sim:smartcollar?fault=led-channel-open"])
            .env("TERM", "xterm")
            .env("COLUMNS", "100");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let mut p = rexpect::session::spawn_command(cmd, Some(30_000)).unwrap();
        let text = p.exp_string("Recent log").unwrap();
        p.exp_eof().unwrap();
        let red = "\u{1b}[31m";
        assert_eq!(
            text.contains(red),
            !no_color,
            "NO_COLOR={no_color}: {text:?}"
        );
        assert!(text.contains("FAULT"), "{text:?}");
    }
}

#[test]
fn a_bad_technician_name_on_the_command_line_gets_a_hint_for_the_flag() {
    let r = run(&["diagnose", "sim:pettracker", "--technician", " "]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error: --technician must not be empty\n"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("hint: give up to 100 printable characters, e.g. --technician \"Sam Lee\""),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("leave the key out"), "{}", r.stderr);
}

#[test]
fn a_missing_flows_directory_gets_the_hint_for_how_it_was_named() {
    let r = run(&["flows", "lint", "/nonexistent/pawdiag-flows"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("hint: check the directory given to `pawdiag flows lint`"),
        "{}",
        r.stderr
    );
    let r = run(&["flows", "list", "--flows", "/nonexistent/pawdiag-flows"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("hint: check the path given to --flows"),
        "{}",
        r.stderr
    );
    // Neither has a line or column to name.
    assert!(!r.stderr.contains(":0"), "{}", r.stderr);
}
