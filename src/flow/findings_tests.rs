//! Findings and the verdict: the rules of `findings.toml` over device data
//! (including firmware states the simulator was not written for), merging
//! one fault seen several ways, and how findings shape an outcome.

#![allow(clippy::unwrap_used)]

use super::engine;
use super::finding::{Finding, Severity, Source};
use super::findings_eval::{Sources, evaluate};
use super::load::FlowSet;
use super::session::*;
use super::tests::{FakeFacts, answers, gps_flow, opts};
use super::verdict;
use crate::interface::Model;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn set() -> FlowSet {
    FlowSet::load(None).unwrap()
}

fn src(model: Model, raw: &[(&str, Value)]) -> Sources {
    let raw: BTreeMap<String, Value> = raw
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Sources::new(model, raw)
}

fn found(model: Model, raw: &[(&str, Value)]) -> Vec<Finding> {
    let s = set();
    evaluate(&s.findings, &s.safety, &src(model, raw))
}

fn codes(f: &[Finding]) -> Vec<(&str, &str)> {
    f.iter()
        .map(|f| (f.severity.as_str(), f.code.as_str()))
        .collect()
}

fn selftest(results: Value) -> (&'static str, Value) {
    ("selftest.run", json!({ "results": results }))
}

fn sensors(temp: f64, bpm: u32, contact: u32, status: &str) -> (&'static str, Value) {
    (
        "sensors.status",
        json!({"heart_rate":{"status":status,"bpm":bpm,"signal_quality_pct":85},
               "temperature":{"status":status,"c":temp},"activity":{"status":"ok"},
               "contact_quality_pct":contact,"optical_window":"clean"}),
    )
}

fn alerts(temp_high: Value, hr_high: Value) -> (&'static str, Value) {
    (
        "alerts.config",
        json!({"enabled":true,"notify_app":true,"heart_rate_high_bpm":hr_high,
               "heart_rate_low_bpm":50,"temp_high_c":temp_high}),
    )
}

#[test]
fn a_failed_self_test_is_a_finding_on_any_model_for_any_code() {
    // Known code, on a model no flow asks about it.
    let f = found(
        Model::PetTracker,
        &[selftest(json!([
            {"component":"flash","status":"fail","code":"FLASH_ECC","detail":"ECC error"},
            {"component":"gps","status":"pass","code":null,"detail":null}]))],
    );
    assert_eq!(codes(&f), [("replace", "PT-SELFTEST-FLASH-ECC")]);
    assert_eq!(f[0].tier, Some(Tier::Three), "a product defect is Tier 3");
    // A component and code of later firmware: escalated to engineering.
    let f = found(
        Model::SmartCollar,
        &[selftest(
            json!([{"component":"wifi","status":"fail","code":"WIFI_DEAD"}]),
        )],
    );
    assert_eq!(codes(&f), [("escalate", "SC-SELFTEST-WIFI-DEAD")]);
    assert_eq!(f[0].tier, Some(Tier::Three));
    assert!(f[0].summary.contains("one of its parts"));
    // No code at all, hostile text.
    let f = found(
        Model::HealthMonitor,
        &[selftest(
            json!([{"component":"imu\u{1b}[2J","status":"fail","detail":"x".repeat(5000)}]),
        )],
    );
    assert_eq!(f.len(), 1);
    assert!(f[0].title.len() < 400 && !f[0].title.contains('\u{1b}'));
}

#[test]
fn a_charge_fault_is_safety_whether_or_not_charging() {
    let f = found(
        Model::HealthMonitor,
        &[
            (
                "battery.status",
                json!({"level_pct":40,"charging":false,"charger":"usb","temp_c":24.0}),
            ),
            selftest(json!([{"component":"battery","status":"fail","code":"BAT_CHARGE_FAULT"}])),
        ],
    );
    assert_eq!(codes(&f), [("safety", "SAFETY-CHARGE-FAULT")]);
}

#[tokio::test]
async fn a_safety_finding_stops_the_walk_at_once_like_a_safety_rule() {
    let s = set();
    assert!(
        s.safety.rules.iter().any(|r| r.id.starts_with("finding:")),
        "findings.toml's safety codes are safety rules too"
    );
    let mut f = FakeFacts::healthy_tracker();
    f.set("selftest.battery", json!("fail"));
    f.set("selftest.battery.code", json!("BAT_CHARGE_FAULT"));
    let session = engine::run(
        &gps_flow(),
        &s.safety,
        &mut f,
        &mut answers(&[("safety.hazard", "no")]),
        &opts(),
    )
    .await;
    let o = session.outcome.unwrap();
    assert!(o.safety);
    assert_eq!(o.code, "SAFETY-CHARGE-FAULT");
    assert_eq!(session.stopped.unwrap().kind, StopKind::Safety);
    assert!(f.invoked.is_empty());
}

#[test]
fn vital_signs_are_the_pets_health_inside_the_living_range_and_the_sensors_problem_outside() {
    let none = (json!(null), json!(null));
    let limits = (json!(39.7), json!(140));
    // (temperature, heart rate, contact, sensor status, alert limits, findings)
    type Case<'a> = (f64, u32, u32, &'a str, (Value, Value), &'a [&'a str]);
    let cases: &[Case] = &[
        // A steady fever with good contact: the pet, not the device.
        (
            40.9,
            188,
            80,
            "ok",
            limits.clone(),
            &["HM-PET-TEMP-HIGH", "HM-PET-HEART-RATE-HIGH"],
        ),
        // Inside the dog/cat range but above the device's own alert limit.
        (39.8, 92, 80, "ok", limits.clone(), &["HM-PET-TEMP-HIGH"]),
        (39.8, 92, 80, "ok", none.clone(), &[]),
        (36.0, 92, 80, "ok", none.clone(), &["HM-PET-TEMP-LOW"]),
        (38.6, 45, 80, "ok", none.clone(), &["HM-PET-HEART-RATE-LOW"]),
        // Poor contact: the readings mean nothing either way.
        (40.9, 188, 50, "ok", limits.clone(), &[]),
        // No living dog or cat reads these: the sensor is suspect.
        (28.0, 92, 80, "ok", none.clone(), &["HM-TEMP-IMPLAUSIBLE"]),
        (38.6, 400, 80, "ok", none.clone(), &["HM-HR-IMPLAUSIBLE"]),
        // The sensor says it is faulty: a device defect, never a fever.
        (
            40.9,
            188,
            80,
            "fault",
            limits,
            &["HM-HR-SENSOR-FAULT", "HM-TEMP-SENSOR-FAULT"],
        ),
    ];
    for (temp, bpm, contact, status, (th, hh), want) in cases {
        let f = found(
            Model::HealthMonitor,
            &[
                sensors(*temp, *bpm, *contact, status),
                alerts(th.clone(), hh.clone()),
            ],
        );
        let got: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(&got, want, "{temp} °C {bpm} bpm contact {contact} {status}");
        if let Some(first) = f.first()
            && first.code.contains("PET")
        {
            assert_eq!(first.severity, Severity::PetHealth);
            assert!(
                first
                    .evidence
                    .iter()
                    .any(|e| e.name == "sensors.contact_quality_pct")
            );
        }
    }
}

#[test]
fn one_fault_seen_several_ways_is_one_finding_with_all_its_evidence() {
    let f = found(
        Model::PetTracker,
        &[
            (
                "battery.status",
                json!({"level_pct":78,"charging":false,"health_pct":55,"cycle_count":780,"temp_c":24.0}),
            ),
            (
                "gps.status",
                json!({"fix":"none","satellites":0,"antenna":"open"}),
            ),
            selftest(json!([
                {"component":"battery","status":"fail","code":"BAT_DEGRADED","detail":"capacity 55%"},
                {"component":"gps","status":"fail","code":"GPS_ANT_OPEN"}])),
            (
                "log.read",
                json!({"entries":[
                {"t":10,"level":"error","code":"GPS_ANT_OPEN","msg":"antenna open"},
                {"t":12,"level":"warn","code":"BAT_LOW","msg":"battery below 10%"}]}),
            ),
        ],
    );
    assert_eq!(
        codes(&f),
        [
            ("replace", "PT-SELFTEST-BAT-DEGRADED"),
            ("replace", "PT-SELFTEST-GPS-ANT-OPEN")
        ]
    );
    let names = |i: usize| {
        f[i].evidence
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
    };
    assert!(names(0).contains(&"battery.health_pct"), "{:?}", names(0));
    assert!(names(1).contains(&"gps.antenna") && names(1).contains(&"log.GPS_ANT_OPEN"));
}

#[test]
fn the_device_log_counts_errors_and_the_warnings_that_bear_on_a_fault() {
    let log = |entries: Value| ("log.read", json!({ "entries": entries }));
    let f = found(
        Model::SmartCollar,
        &[log(json!([
            {"t":1,"level":"info","code":"BOOT","msg":"boot"},
            {"t":2,"level":"warn","code":"BAT_LOW","msg":"low"},
            {"t":3,"level":"error","code":"XYZ_9","msg":"first"},
            {"t":4,"level":"error","code":"XYZ_9","msg":"again"},
            {"t":5,"level":"warn","code":"MOTOR_STALL","msg":"stalled once"}]))],
    );
    assert_eq!(
        codes(&f),
        [
            ("escalate", "SC-LOG-XYZ-9"),
            ("escalate", "SC-LOG-MOTOR-STALL")
        ]
    );
    assert_eq!(f[0].evidence.len(), 2);
    assert!(f[0].title.contains("2 error entries"));
    assert_eq!(f[0].source, Source::DeviceLog);
}

fn session(mode: RunMode) -> Session {
    Session::new(
        "pettracker/x",
        "X",
        Model::PetTracker,
        mode,
        chrono::Utc::now(),
    )
}

fn outcome(kind: OutcomeKind, tier: Tier) -> OutcomeRecord {
    OutcomeRecord {
        node_id: "end".into(),
        kind,
        code: "FLOW-END".into(),
        tier: Some(tier),
        criterion: None,
        summary: "the flow's ending".into(),
        tech: None,
        next_steps: vec!["the flow's step".into()],
        safety: kind == OutcomeKind::Safety,
        escalate_within_min: None,
        pet_health: false,
    }
}

fn finding(severity: Severity, tier: Tier) -> Finding {
    Finding {
        id: "x".into(),
        severity,
        source: Source::Rule,
        code: "FINDING".into(),
        title: "t".into(),
        summary: "s".into(),
        tier: Some(tier),
        criterion: None,
        next_steps: vec![],
        evidence: vec![],
        part: None,
        outcome: None,
        addressed_by: None,
    }
}

#[test]
fn the_verdict_is_never_milder_than_safety_pet_health_or_replace_and_never_no_fault_with_findings()
{
    use OutcomeKind as K;
    use Severity as S;
    // (the flow's ending, the top finding, whether the finding decides)
    let table = [
        (
            K::NoFaultFound,
            Tier::One,
            S::CustomerAction,
            Tier::One,
            true,
        ),
        (K::NoFaultFound, Tier::One, S::Escalate, Tier::Two, true),
        (K::NoFaultFound, Tier::One, S::Info, Tier::One, false),
        (K::Resolved, Tier::One, S::Escalate, Tier::Two, true),
        (K::CustomerAction, Tier::One, S::Escalate, Tier::Two, false),
        (K::CustomerAction, Tier::One, S::Replace, Tier::Three, true),
        (K::Escalate, Tier::Two, S::Replace, Tier::Three, true),
        (K::Escalate, Tier::Management, S::Replace, Tier::Three, true),
        (K::Escalate, Tier::Three, S::Replace, Tier::Three, false),
        (K::Replace, Tier::Two, S::Replace, Tier::Three, false),
        (K::Replace, Tier::Three, S::PetHealth, Tier::One, true),
        (K::Replace, Tier::Three, S::Safety, Tier::Three, true),
        (K::Safety, Tier::Three, S::Safety, Tier::Three, false),
        (K::Incomplete, Tier::One, S::Replace, Tier::Three, false),
        (K::Incomplete, Tier::One, S::Safety, Tier::Three, true),
    ];
    for (kind, tier, sev, ftier, decides) in table {
        let mut s = session(RunMode::Answers);
        s.outcome = Some(outcome(kind, tier));
        verdict::apply(&mut s, vec![finding(sev, ftier)], 30);
        let o = s.outcome.as_ref().unwrap();
        assert_eq!(
            o.code == "FINDING",
            decides,
            "{kind} at {tier} against a {sev} finding"
        );
        if decides {
            assert_eq!(s.flow_outcome.as_ref().unwrap().code, "FLOW-END");
            assert!(o.next_steps.contains(&"the flow's step".to_string()));
            assert_eq!(o.safety, sev == S::Safety);
            assert_eq!(o.pet_health, sev == S::PetHealth);
        }
    }
    // A walk that stopped (link lost) keeps its stop unless it is safety.
    let mut s = session(RunMode::Answers);
    verdict::apply(&mut s, vec![finding(S::Replace, Tier::Three)], 30);
    assert!(s.outcome.is_none() && s.findings.len() == 1);
}

#[test]
fn the_sweep_headline_is_its_most_serious_finding() {
    let mut s = session(RunMode::Sweep);
    verdict::apply_sweep(
        &mut s,
        vec![finding(Severity::CustomerAction, Tier::One), {
            let mut f = finding(Severity::Replace, Tier::Three);
            f.code = "WORST".into();
            f
        }],
        30,
    );
    assert_eq!(s.outcome.as_ref().unwrap().code, "WORST");
    assert_eq!(s.findings[0].code, "WORST");
    let mut s = session(RunMode::Sweep);
    verdict::apply_sweep(&mut s, vec![finding(Severity::Info, Tier::One)], 30);
    assert_eq!(s.outcome.as_ref().unwrap().code, "PT-SWEEP-OK");
}

#[test]
fn lint_names_the_line_of_a_bad_finding_rule() {
    use super::diag::Diags;
    use super::findings::Findings;
    let text = "[selftest]\nseverity = \"replace\"\nsummary = \"x\"\n\
                [log]\nseverity = \"escalate\"\ncriterion = \"Complex technical issues\"\nsummary = \"y\"\n\
                [[rules]]\nid = \"a\"\nseverity = \"pet-health\"\nwhen = \"sensors.temp_cc > 3\"\n\
                code = \"X\"\ntitle = \"t\"\nsummary = \"s {nope.x}\"\n";
    let s = set();
    let mut d = Diags::new("findings.toml", std::sync::Arc::from(text));
    let parsed = Findings::parse(text, Some(&s.playbook), Some(&s.safety), &mut d);
    assert!(parsed.is_some());
    let msgs: Vec<String> = d.items.iter().map(|x| x.to_string()).collect();
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("findings.toml:2:") && m.contains("criterion")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("findings.toml:11:") && m.contains("sensors.temp_cc")),
        "{msgs:?}"
    );
    assert!(msgs.iter().any(|m| m.contains("nope.x")), "{msgs:?}");
}
