//! `pawdiag guide` as a pet owner uses it, in a pseudo-terminal: choosing
//! with arrow keys and Enter, stopping with Ctrl-C, and carrying on later
//! from the journal.
#![cfg(unix)]
// rexpect drives the guide on a pseudo-terminal

// Tests unwrap freely: a failed unwrap is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod support;

use rexpect::process::{Signal, WaitStatus};
use rexpect::session::{PtySession, spawn_command};
use std::path::Path;
use std::process::Command;

/// A real Request Tracker, started only by the test that sends a report.
#[cfg(target_os = "linux")] // Debian's Request Tracker 5
mod rt;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

fn guide(home: &Path, args: &[&str]) -> PtySession {
    spawn_command(guide_cmd(home, args), Some(20_000)).expect("spawns in a pty")
}

fn guide_cmd(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("pawdiag"));
    cmd.arg("guide").args(args).env("TERM", "xterm");
    support::isolate(&mut cmd, home);
    cmd
}

/// Presses keys one at a time, as a person does: the prompt library reads
/// each key in raw mode and may drop keys typed ahead of it.
fn press(p: &mut PtySession, keys: &[&str]) {
    for k in keys {
        std::thread::sleep(std::time::Duration::from_millis(150));
        wait_until_reading_keys(p);
        p.send(k).unwrap();
        p.flush().unwrap();
    }
}

/// Waits (up to 10 s) until the guide is reading single keys: the
/// terminal is out of canonical mode only while a prompt reads one.
/// Regression: under load a key sent while the previous screen was still
/// being drawn picked the wrong symptom (the arrow-keys test, seen once).
fn wait_until_reading_keys(p: &PtySession) {
    use std::os::fd::AsRawFd;
    let Ok(pty) = p.process().get_file_handle() else {
        return;
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        // SAFETY: termios is plain data; tcgetattr fills it from our fd.
        let canonical = unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            libc::tcgetattr(pty.as_raw_fd(), &mut t) != 0 || t.c_lflag & libc::ICANON != 0
        };
        if !canonical {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn journal(home: &Path) -> std::path::PathBuf {
    home.join("data/pawdiag/guide/journal.json")
}

/// The PetTracker's symptoms are listed in flow-id order; "The app doesn't
/// show where my pet is" (gps-not-working) is the fourth.
fn choose_gps_and_pass_the_hazard_question(p: &mut PtySession) {
    p.exp_string("I found your PetTracker").unwrap();
    p.exp_string("What's going on?").unwrap();
    p.exp_string("check everything").unwrap();
    press(p, &[DOWN, DOWN, DOWN, ENTER]);
    p.exp_string("Before we start").unwrap();
    p.exp_string("No, none of those").unwrap();
    press(p, &[ENTER]);
}

fn exit_code(p: &PtySession) -> i32 {
    match p.process().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_customer_walks_a_flow_with_arrow_keys_to_an_outcome() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("how well the tracker can hear the satellites")
        .unwrap();
    p.exp_string("allowed to use your location").unwrap();
    p.exp_string("Yes, it's set to Always").unwrap();
    // Down to "No".
    press(&mut p, &[DOWN, ENTER]);
    // The ending: a case reference of this customer's own beside the
    // fault's code, what to do, how to send the report, and no promise of
    // contact (nothing was sent).
    let (_, case) = p
        .exp_regex(r"Your case reference: [0-9A-Z]{4}-[0-9A-Z]{4} \(PT-APP-LOCATION\)")
        .unwrap();
    let before_end = p.exp_string("the file to send is").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 4);
    assert!(before_end.contains("What to do next:"), "{before_end}");
    assert!(before_end.contains("support@pawcore.com"), "{before_end}");
    assert!(
        before_end.contains("Nothing has been sent yet"),
        "{before_end}"
    );
    assert!(!before_end.contains("will get in touch"), "{before_end}");
    assert!(
        !journal(home.path()).exists(),
        "the journal goes once finished"
    );
    let saved: Vec<_> = std::fs::read_dir(home.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        saved
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "html"))
    );
    let json = saved
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let bytes = std::fs::read(json).unwrap();
    assert!(pawdiag::report::verify(&bytes).is_intact());
    let rep = pawdiag::report::load(&bytes).unwrap();
    assert_eq!(rep.outcome.code, "PT-APP-LOCATION");
    let case = case.split_whitespace().nth(3).unwrap();
    assert_eq!(rep.case_ref.as_deref(), Some(case));

    // At the bench, Tier 2 continues the customer's session: nothing the
    // customer answered is asked again, and the reports are linked.
    let mut bench = Command::new(support::BIN);
    support::isolate(&mut bench, home.path());
    let out = bench
        .args([
            "diagnose",
            "sim:pettracker",
            "--non-interactive",
            "--json",
            "--continue",
        ])
        .arg(json)
        .env("PAWDIAG_REPORT_DIR", home.path().join("bench"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["outcome"]["code"], "PT-APP-LOCATION");
    let bench =
        pawdiag::report::load(&std::fs::read(v["report"].as_str().unwrap()).unwrap()).unwrap();
    let c = bench.continues.unwrap();
    assert_eq!(c.report_id, rep.report_id);
    assert_eq!(c.reused, vec!["app-permissions".to_string()]);
}

#[test]
fn ctrl_c_loses_nothing_and_the_next_guide_carries_on() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("allowed to use your location").unwrap();
    p.exp_string("Yes, it's set to Always").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_string("everything so far is saved").unwrap();
    p.exp_eof().unwrap();
    // Ctrl-C is exit 130, after saving.
    assert_eq!(exit_code(&p), 130);
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(journal(home.path())).unwrap()).unwrap();
    assert_eq!(j["flow_id"], "pettracker/gps-not-working");
    assert_eq!(j["answers"][0]["node_id"], "safety.hazard");
    assert_eq!(j["answers"].as_array().unwrap().len(), 1);

    // The next guide offers to carry on, remembers the symptom and the
    // hazard answer, and asks only what is left.
    let mut p = guide(home.path(), &[]);
    p.exp_string("Shall we carry on?").unwrap();
    p.exp_string("pick up where we left off").unwrap();
    press(&mut p, &[ENTER]);
    p.exp_string("Welcome back").unwrap();
    let before = p.exp_string("allowed to use your location").unwrap();
    assert!(!before.contains("What's going on?"), "{before}");
    // The hazard answer is shown as given, not asked again (rexpect reads
    // bytes, so match ASCII only).
    assert!(
        before.contains("Before we start") && before.contains("No, none of those"),
        "{before}"
    );
    assert!(
        !before.contains("Yes, one of those has happened"),
        "{before}"
    );
    p.exp_string("Yes, it's set to Always").unwrap();
    press(&mut p, &[ENTER]);
    p.exp_string("PT-GPS-OK").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 0);
    assert!(!journal(home.path()).exists());
}

#[test]
fn resume_flag_continues_without_asking() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("Yes, it's set to Always").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    let mut p = guide(home.path(), &["--resume"]);
    let before = p.exp_string("allowed to use your location").unwrap();
    assert!(!before.contains("Shall we carry on?"));
    p.exp_string("Yes, it's set to Always").unwrap();
    press(&mut p, &[DOWN, ENTER]);
    p.exp_string("PT-APP-LOCATION").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 4);
}

#[test]
fn a_hazard_stops_everything_at_once() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    p.exp_string("What's going on?").unwrap();
    p.exp_string("check everything").unwrap();
    press(&mut p, &[ENTER]);
    p.exp_string("Before we start").unwrap();
    p.exp_string("Yes, one of those has happened").unwrap();
    press(&mut p, &[DOWN, ENTER]);
    p.exp_string("stop using").unwrap();
    p.exp_string("SAFETY-HAZARD-REPORTED").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 5);
}

#[test]
fn without_a_terminal_guide_says_what_to_use_instead() {
    let home = tempfile::tempdir().unwrap();
    support::isolated(home.path())
        .args(["guide", "sim:pettracker"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs a terminal"))
        .stderr(predicates::str::contains("batch"));
}

#[test]
fn without_bluetooth_and_no_device_guide_says_bluetooth_cannot_be_searched() {
    // No system bus here: nothing found over USB, and Bluetooth could not
    // be searched at all, which is what the customer needs to hear.
    let home = tempfile::tempdir().unwrap();
    let mut cmd = guide_cmd(home.path(), &[]);
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawns in a pty");
    p.exp_string("Looking for your device nearby").unwrap();
    p.exp_string(
        "I can't look for your PawCore device over Bluetooth, because Bluetooth isn't running on this computer",
    )
    .unwrap();
    p.exp_string("or plug the device in with its USB cable")
        .unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 3);
}

#[cfg(target_os = "linux")] // the fake BlueZ
#[test]
fn bluetooth_switched_off_is_said_in_plain_words_with_this_computer_s_fix() {
    let bus = support::Bus::start();
    let _fake = bus.serve(&["--bluez", "rfkill"], 1);
    let mut cmd = guide_cmd(bus.home.path(), &[]);
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address);
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawns in a pty");
    p.exp_string(
        "I can't look for your PawCore device over Bluetooth, because Bluetooth is switched off on this computer",
    )
    .unwrap();
    // Linux's own fix; Windows and macOS name their settings (failure::hints).
    p.exp_string("rfkill unblock bluetooth").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 3);
}

fn saved_report(home: &Path) -> pawdiag::report::model::Report {
    let json = std::fs::read_dir(home.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON report");
    let bytes = std::fs::read(json).unwrap();
    assert!(pawdiag::report::verify(&bytes).is_intact());
    pawdiag::report::load(&bytes).unwrap()
}

#[test]
fn the_guide_goes_through_the_same_pipeline_as_diagnose() {
    // A walked flow: the report has the self-test (prefetched) and the
    // device log, as `diagnose` reports do.
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("Yes, it's set to Always").unwrap();
    press(&mut p, &[DOWN, ENTER]);
    p.exp_string("PT-APP-LOCATION").unwrap();
    p.exp_eof().unwrap();
    let rep = saved_report(home.path());
    assert!(rep.device.selftest.is_some(), "self-test prefetched");
    assert!(
        rep.device
            .log
            .as_ref()
            .is_some_and(|l| !l.entries.is_empty()),
        "device log read"
    );
}

#[test]
fn check_everything_runs_the_sweep_after_the_safety_question() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:smartcollar?fault=led-channel-open"]);
    p.exp_string("I found your SmartCollar").unwrap();
    p.exp_string("check everything").unwrap();
    press(&mut p, &[DOWN, DOWN, DOWN, DOWN, ENTER]);
    p.exp_string("Before we start").unwrap();
    p.exp_string("No, none of those").unwrap();
    press(&mut p, &[ENTER]);
    p.exp_string("case reference").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 4);
    let rep = saved_report(home.path());
    assert_eq!(rep.session.flow_id, "smartcollar/sweep");
    assert_eq!(rep.outcome.kind.as_str(), "replace");
    assert_eq!(rep.escalation.steps[0].node, "safety.hazard");
    assert!(!journal(home.path()).exists());
}

fn journal_answers(home: &Path) -> Vec<serde_json::Value> {
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(journal(home)).unwrap()).unwrap();
    j["answers"].as_array().unwrap().clone()
}

#[test]
fn a_second_stop_after_resuming_keeps_every_answer() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("Yes, it's set to Always").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!(journal_answers(home.path()).len(), 1);

    // Resumed, then stopped again before answering anything new: the
    // journal still has the hazard answer (it used to be left empty).
    let mut p = guide(home.path(), &["--resume"]);
    p.exp_string("Yes, it's set to Always").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 130);
    let answers = journal_answers(home.path());
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(answers[0]["node_id"], "safety.hazard");

    // And the next run still does not ask the safety question again.
    let mut p = guide(home.path(), &["--resume"]);
    let before = p.exp_string("Yes, it's set to Always").unwrap();
    assert!(
        !before.contains("Yes, one of those has happened"),
        "{before}"
    );
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn sigterm_stops_the_guide_with_the_journal_and_a_report() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("Yes, it's set to Always").unwrap();
    p.process_mut().signal(Signal::SIGTERM).unwrap();
    p.exp_string("pick up where we left off").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 143);
    assert_eq!(journal_answers(home.path()).len(), 1);
    let rep = saved_report(home.path());
    let stopped = rep.stopped.unwrap();
    assert_eq!(stopped.signal.as_deref(), Some("SIGTERM"));
    assert_eq!(stopped.at_node, "app-permissions");
}

#[test]
fn after_a_long_break_going_outdoors_is_asked_again() {
    let home = tempfile::tempdir().unwrap();
    // An indoor tracker: no fix, so the flow asks to go outdoors straight
    // away (the phone's settings matter only once there is a position).
    let mut p = guide(home.path(), &["sim:pettracker?fault=gps-indoors"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("take the tracker outside").unwrap();
    p.exp_string("Done, please check").unwrap();
    press(&mut p, &[ENTER]);
    p.exp_string("Looking for satellites").unwrap();
    p.process_mut().signal(Signal::SIGINT).unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 130);
    let answers = journal_answers(home.path());
    assert_eq!(answers.len(), 2, "{answers:?}");
    assert_eq!(answers[1]["node_id"], "outdoor");

    // An hour later: the tracker is surely back indoors.
    let path = journal(home.path());
    let mut j: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let hour_ago = (chrono::Utc::now() - chrono::TimeDelta::hours(1)).to_rfc3339();
    for a in j["answers"].as_array_mut().unwrap() {
        a["at"] = hour_ago.clone().into();
    }
    std::fs::write(&path, serde_json::to_vec(&j).unwrap()).unwrap();
    let mut p = guide(home.path(), &["--resume"]);
    p.exp_string("been a while").unwrap();
    p.exp_string("Done, please check").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    // Nothing was lost: the faded answer stays on record (and is asked
    // again next time too, being just as old).
    let answers = journal_answers(home.path());
    assert_eq!(answers.len(), 2, "{answers:?}");
}

#[test]
fn a_hang_up_saves_everything_and_exits_129() {
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(home.path(), &["sim:pettracker"]);
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("Yes, it's set to Always").unwrap();
    // The terminal goes away: the guide must not die writing to it.
    p.process_mut().signal(Signal::SIGHUP).unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 129);
    assert_eq!(journal_answers(home.path()).len(), 1);
    let rep = saved_report(home.path());
    assert_eq!(rep.stopped.unwrap().signal.as_deref(), Some("SIGHUP"));
}

#[test]
fn check_everything_reports_every_finding_in_plain_words() {
    // Alerts switched off and a worn battery: the guide must not say
    // "Good news … nothing more to do"; the most serious finding first.
    let home = tempfile::tempdir().unwrap();
    let mut p = guide(
        home.path(),
        &["sim:healthmonitor?fault=alerts-off,battery-degraded"],
    );
    p.exp_string("I found your HealthMonitor").unwrap();
    p.exp_string("check everything").unwrap();
    press(&mut p, &[DOWN, DOWN, DOWN, DOWN, ENTER]);
    p.exp_string("No, none of those").unwrap();
    press(&mut p, &[ENTER]);
    let before = p.exp_string("case reference").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&p), 4);
    assert!(before.contains("replaced"), "{before}");
    assert!(before.contains("We also found"), "{before}");
    assert!(!before.contains("Good news"), "{before}");
    assert!(!before.contains("Nothing more to do"), "{before}");
    let rep = saved_report(home.path());
    let found = rep.findings.unwrap();
    assert_eq!(found[0].severity.as_str(), "replace");
    assert!(found.len() >= 2, "{found:?}");
}

#[cfg(target_os = "linux")] // Debian's Request Tracker 5
#[test]
fn with_a_helpdesk_configured_guide_offers_to_send_and_says_under_which_ticket() {
    let home = tempfile::tempdir().unwrap();
    let rt = rt::rt();
    let mut cmd = guide_cmd(home.path(), &["sim:pettracker?serial=PT-GD01-0001"]);
    cmd.env("PAWDIAG_HELPDESK_URL", &rt.url)
        .env("PAWDIAG_HELPDESK_TOKEN", &rt.token);
    let mut p = spawn_command(cmd, Some(30_000)).expect("spawns in a pty");
    choose_gps_and_pass_the_hazard_question(&mut p);
    p.exp_string("allowed to use your location").unwrap();
    p.exp_string("Yes, it's set to Always").unwrap();
    press(&mut p, &[DOWN, ENTER]);
    // The outcome first, then the offer.
    p.exp_string("PT-APP-LOCATION").unwrap();
    p.exp_string("Shall I send this report to PawCore support")
        .unwrap();
    p.exp_string("No, thanks").unwrap();
    press(&mut p, &[ENTER]);
    let (_, said) = p.exp_regex(r"under ticket number \d+").unwrap();
    // Only now, with the report on a ticket, is contact promised.
    let (_, sent) = p
        .exp_regex(r"has been sent to PawCore support \(ticket #\d+\)")
        .unwrap();
    let rest = p.exp_string("the file to send is").unwrap();
    assert!(rest.contains("will get in touch"), "{rest}");
    assert!(!rest.contains("Nothing has been sent yet"), "{rest}");
    p.exp_eof().unwrap();
    assert!(
        sent.contains(said.rsplit(' ').next().unwrap()),
        "{sent} / {said}"
    );
    assert_eq!(exit_code(&p), 4);
    let ticket = said.rsplit(' ').next().unwrap().to_string();
    let names: Vec<String> = rt.attachments(&ticket).into_iter().map(|a| a.0).collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("pawdiag-PT-GD01-0001-") && n.ends_with(".json")),
        "{names:?}"
    );
}
