//! Verdicts a technician can act on, through the built binary against the
//! simulator served on real pseudo-terminals (the serial path a USB device
//! takes): a charge fault off the charger is a safety matter, a PetTracker
//! whose flash fails is not "no fault", a fever is the pet's health first,
//! and `info` applies the product-safety rules.
#![cfg(unix)] // devices served on pseudo-terminals

mod support;
use support::pawdiag_reports as pawdiag;

use pawdiag::sim::SimSpec;
use pawdiag::sim::pty::PtyServer;
use serde_json::Value;

fn pty(spec: &str) -> PtyServer {
    PtyServer::start(&SimSpec::from_address(spec).expect("spec"), Some(115_200)).expect("pty")
}

/// `diagnose` with `--json`: exit code, the JSON, the report read back.
fn diagnose(server: &PtyServer, extra: &[&str]) -> (i32, Value, pawdiag::report::model::Report) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pawdiag(dir.path())
        .arg("diagnose")
        .arg(format!("serial:{}", server.path().display()))
        .args(extra)
        .args(["--non-interactive", "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let bytes = std::fs::read(v["report"].as_str().expect("report path")).expect("report");
    assert!(pawdiag::report::verify(&bytes).is_intact());
    let rep = pawdiag::report::load(&bytes).expect("report loads");
    (out.status.code().unwrap_or(-1), v, rep)
}

#[test]
fn a_charge_fault_off_the_charger_is_safety_in_every_flow_and_the_sweep() {
    let server = pty("healthmonitor?fault=battery-charge-fault");
    for flow in [
        "healthmonitor/alerts",
        "healthmonitor/battery",
        "healthmonitor/data-not-syncing",
    ] {
        let (code, v, rep) = diagnose(&server, &["--flow", flow]);
        assert_eq!(code, 5, "{flow}: {v}");
        assert!(rep.outcome.safety, "{flow}");
        assert_eq!(rep.outcome.code, "SAFETY-CHARGE-FAULT", "{flow}");
        assert_eq!(
            rep.findings.as_ref().expect("findings")[0]
                .severity
                .as_str(),
            "safety"
        );
        // Not charging: the device said so, and it is a safety matter anyway.
        assert!(rep.device.battery.as_ref().is_some_and(|b| !b.charging));
    }
    let (code, _, rep) = diagnose(&server, &[]);
    assert_eq!(code, 5);
    assert_ne!(rep.outcome.kind.as_str(), "no-fault-found");
    // The LED flow of a collar must not tell the customer to charge it.
    let collar = pty("smartcollar?fault=battery-charge-fault");
    let (code, _, rep) = diagnose(&collar, &["--flow", "smartcollar/led"]);
    assert_eq!(code, 5);
    assert!(
        !rep.outcome.summary.to_lowercase().contains("charge it"),
        "{}",
        rep.outcome.summary
    );
}

#[test]
fn a_pettracker_whose_flash_fails_is_not_no_fault_on_the_bench() {
    let server = pty("pettracker?fault=flash-ecc");
    let (code, v, rep) = diagnose(&server, &[]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(rep.outcome.kind.as_str(), "replace");
    // The flows' own ending for a failing memory (their self-test checks
    // read selftest.flash), which the self-test finding joins.
    assert_eq!(rep.outcome.code, "PT-FLASH");
    assert_eq!(rep.outcome.tier, pawdiag::report::model::Tier::Three);
    let f = &rep.findings.as_ref().expect("findings")[0];
    assert_eq!(f.code, "PT-FLASH");
    // The self-test and the device log entry are one finding's evidence.
    assert!(f.evidence.iter().any(|e| e.name == "selftest.flash.code"));
    assert!(f.evidence.iter().any(|e| e.name == "log.FLASH_ECC"));
    let text = pawdiag::report::render(&rep, pawdiag::report::Format::Markdown);
    assert!(!text.contains("return the unit to stock"));
    assert!(!text.contains("No fault found"));
}

#[test]
fn a_fever_is_a_pet_health_finding_first_and_the_bench_does_not_say_no_fault() {
    let server = pty("healthmonitor?fault=fever");
    let (code, v, rep) = diagnose(&server, &[]);
    assert_eq!(code, 4, "{v}");
    let found = rep.findings.as_ref().expect("findings");
    assert_eq!(found[0].severity.as_str(), "pet-health");
    // The flows' own check (the pet's readings first) and the finding rule.
    assert_eq!(rep.outcome.code, "HM-PET-VET");
    let temp = found
        .iter()
        .find(|f| f.code == "HM-PET-TEMP-HIGH")
        .expect("the temperature finding");
    assert!(
        temp.evidence
            .iter()
            .any(|e| e.name == "sensors.temp_c" && e.value == 40.9 && e.at.is_some())
    );
    assert!(found.iter().any(|f| f.code == "HM-PET-HEART-RATE-HIGH"));
    assert!(rep.outcome.pet_health);
    assert!(rep.escalation.urgency.pet_harm_possible);
    // Walking the readings flow without answers: either it stops at its
    // first question (incomplete, exit 7) or it ends on the pet's health;
    // both flag possible harm to the pet and list the fever first.
    let (code, _, rep) = diagnose(&server, &["--flow", "healthmonitor/inaccurate-readings"]);
    match code {
        7 => assert_eq!(rep.outcome.kind.as_str(), "incomplete"),
        4 => assert!(rep.outcome.pet_health, "{:?}", rep.outcome),
        other => panic!("exit {other}: {:?}", rep.outcome),
    }
    assert!(rep.escalation.urgency.pet_harm_possible);
    assert_eq!(
        rep.findings.as_ref().expect("findings")[0]
            .severity
            .as_str(),
        "pet-health"
    );
}

#[test]
fn info_on_a_collar_at_66_degrees_while_charging_shows_safety_first_and_exits_5() {
    let server = pty("smartcollar?fault=battery-hot-charging");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pawdiag(dir.path())
        .arg("info")
        .arg(format!("serial:{}", server.path().display()))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.contains("PRODUCT SAFETY"), "{stdout}");
    assert!(first.contains("SAFETY-BATTERY-HEAT"), "{first}");
    assert!(!first.contains("\u{1b}["), "NO_COLOR: no escape codes");

    let out = pawdiag(dir.path())
        .arg("info")
        .arg(format!("serial:{}", server.path().display()))
        .arg("--json")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"][0]["severity"], "safety");
    assert_eq!(v["snapshot"]["battery"]["temp_c"], 66.0);
}
