//! Diagnostic reports: snapshots of every format for several scenarios,
//! schema validation, escaping of hostile device and person strings,
//! redaction of personal data, tamper evidence (library and binary), and the
//! end-of-session summaries.

// Fixture helpers outside #[test] functions unwrap too: a panic there is a
// test failure, which is what we want.
#![allow(clippy::unwrap_used)]

mod support;
use support::pawdiag;

use chrono::{DateTime, Duration, TimeZone, Utc};
use pawdiag::client::{Direction, Entry, EntryKind};
use pawdiag::flow::session::*;
use pawdiag::interface::Model;
use pawdiag::interface::frame::encode_line;
use pawdiag::interface::methods::*;
use pawdiag::report::{
    self, Audience, BuildOptions, CustomerInfo, DeviceData, Format, Inputs, Verification,
    model::Report,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------- fixtures

/// Friday 2026-11-20 15:58:00 UTC: business-day SLAs cross a weekend.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 15, 58, 0).unwrap()
}

fn at(ms: i64) -> DateTime<Utc> {
    t0() + Duration::milliseconds(ms)
}

/// A transcript entry for a protocol line with a correct CRC.
fn line(ms: i64, dir: Direction, kind: EntryKind, json: Value) -> Entry {
    let bytes = encode_line(&json.to_string()).unwrap();
    Entry {
        t_ms: ms as f64,
        at: at(ms),
        dir,
        kind,
        text: String::from_utf8(bytes).unwrap().trim_end().to_string(),
    }
}

fn raw(ms: i64, dir: Direction, kind: EntryKind, text: &str) -> Entry {
    Entry {
        t_ms: ms as f64,
        at: at(ms),
        dir,
        kind,
        text: text.into(),
    }
}

fn fact(name: &str, value: Value, ms: i64) -> FactRecord {
    FactRecord::read(name, value, at(ms))
}

fn step(node: &str, kind: StepKind, ms: i64) -> StepRecord {
    StepRecord {
        node_id: node.into(),
        kind,
        playbook_step: None,
        say: None,
        help: None,
        tech: None,
        started_at: at(ms),
        ended_at: at(ms + 800),
        facts: vec![],
        matched_rule: None,
        answer: None,
        fix: None,
        verify: None,
        branch: None,
        notes: vec![],
        summary: None,
    }
}

fn answer(value: &str, label: &str) -> Option<AnswerRecord> {
    Some(AnswerRecord::given(value, Some(label)))
}

fn branch(via: &str, to: &str) -> Option<Branch> {
    Some(Branch {
        via: via.into(),
        to: to.into(),
    })
}

fn session(model: Model, flow: &str, title: &str, symptom: &str) -> Session {
    let mut s = Session::new(flow, title, model, RunMode::Interactive, t0());
    s.flow_symptom = symptom.into();
    s
}

fn info(model: &str, serial: &str, fw: &str) -> DeviceInfo {
    DeviceInfo {
        model: model.into(),
        serial: serial.into(),
        hw_rev: Some("C".into()),
        fw_version: fw.into(),
        interface: 1,
        uptime_s: Some(3600),
        boot_count: Some(12),
        last_reset: Some("power_on".into()),
    }
}

fn battery(level: u8, temp: f64) -> BatteryStatus {
    BatteryStatus {
        level_pct: Some(level),
        voltage_mv: Some(3950),
        charging: false,
        charger: Charger::None,
        cycle_count: Some(210),
        health_pct: Some(91),
        temp_c: Some(temp),
    }
}

fn pass(c: &str) -> SelftestResult {
    SelftestResult {
        component: c.into(),
        status: TestStatus::Pass,
        code: None,
        detail: None,
    }
}

fn fail(c: &str, code: &str, detail: &str) -> SelftestResult {
    SelftestResult {
        component: c.into(),
        status: TestStatus::Fail,
        code: Some(code.into()),
        detail: Some(detail.into()),
    }
}

fn log(entries: &[(u64, &str, &str, &str)]) -> LogRead {
    LogRead {
        entries: entries
            .iter()
            .map(|(t, level, code, msg)| LogEntry {
                t: Some(*t),
                level: Some((*level).into()),
                code: Some((*code).into()),
                msg: Some((*msg).into()),
            })
            .collect(),
        truncated: false,
    }
}

/// Everything a report is built from, owned.
struct Scenario {
    session: Session,
    device: DeviceData,
    transcript: Vec<Entry>,
    customer: CustomerInfo,
}

impl Scenario {
    fn build(&self, include_personal_data: bool) -> Report {
        report::build(Inputs {
            session: &self.session,
            device: &self.device,
            transcript: &self.transcript,
            transcript_dropped: 0,
            customer: &self.customer,
            options: BuildOptions {
                include_personal_data,
                now: at(60_000),
            },
        })
        .unwrap()
    }
}

const HOME_LAT: f64 = 51.501364;
const HOME_LON: f64 = -0.141890;

/// PetTracker, GPS not working, fixed by a cold start. Full of personal
/// data: positions in facts, answers, events, geofences, notes, contacts.
fn resolved() -> Scenario {
    let mut s = session(
        Model::PetTracker,
        "pettracker/gps-not-working",
        "GPS not working",
        "The tracker doesn't show where my dog is",
    );
    s.playbook = "PetTracker Support: GPS Not Working".into();
    let mut a = step("hazard", StepKind::Hazard, 1_000);
    a.say = Some("Is the device hot, swollen, smoking or damaged?".into());
    a.answer = answer("no", "No");
    a.branch = branch("answer no", "check_power");
    let mut b = step("check_power", StepKind::Check, 2_000);
    b.tech = Some("Battery level and charging".into());
    b.playbook_step = Some("Check device power and charging".into());
    b.facts = vec![
        fact("battery.level_pct", json!(78), 2_100),
        fact("battery.charging", json!(false), 2_100),
    ];
    b.matched_rule = Some(RuleMatch {
        index: 1,
        when: "battery.level_pct >= 20".into(),
    });
    b.branch = branch("rule 2", "check_gps");
    let mut c = step("check_gps", StepKind::Check, 3_000);
    c.tech = Some("GPS fix and signal".into());
    c.playbook_step = Some("Verify GPS signal strength".into());
    c.facts = vec![
        fact("gps.fix", json!("none"), 3_100),
        fact("gps.satellites", json!(2), 3_100),
        fact("gps.lat", json!(HOME_LAT), 3_100),
        fact("gps.lon", json!(HOME_LON), 3_100),
        fact(
            "gps.status",
            json!({"fix":"none","satellites":2,"lat":HOME_LAT,"lon":HOME_LON,"antenna":"ok"}),
            3_100,
        ),
        fact("geofence.names", json!(["Grandma's Garden"]), 3_150),
    ];
    c.matched_rule = Some(RuleMatch {
        index: 0,
        when: "gps.fix == \"none\"".into(),
    });
    c.branch = branch("rule 1", "ask_outdoors");
    let mut d = step("ask_outdoors", StepKind::Question, 4_000);
    d.say = Some("Is the tracker outdoors with a clear view of the sky?".into());
    d.playbook_step = Some("Test in open outdoor area".into());
    d.answer = answer("yes", "Yes, in the garden at 51.501364, -0.141890");
    d.branch = branch("answer yes", "fix_cold_start");
    let mut e = step("fix_cold_start", StepKind::Fix, 5_000);
    e.tech = Some("GPS cold start".into());
    e.fix = Some(FixRecord {
        method: "gps.cold_start".into(),
        params: None,
        consent_text: "May I restart the GPS search? It takes up to a minute.".into(),
        consent: Consent::Given,
        result: Some(json!({"ok": true})),
        error: None,
        event: Some(EventRecord {
            name: "gps.fix".into(),
            timeout_s: 60.0,
            data: Some(json!({"fix":"3d","satellites":9,"lat":HOME_LAT,"lon":HOME_LON})),
            arrived: true,
        }),
    });
    e.notes = vec!["Looking for satellites… 9 found".into()];
    e.branch = branch("success", "resolved");
    let mut f = step("resolved", StepKind::Outcome, 40_000);
    f.say = Some("The tracker has found its position again.".into());
    s.steps = vec![a, b, c, d, e, f];
    s.ended_at = Some(at(41_000));
    s.outcome = Some(OutcomeRecord {
        node_id: "resolved".into(),
        kind: OutcomeKind::Resolved,
        code: "PT-GPS-RESOLVED".into(),
        tier: Some(Tier::One),
        criterion: None,
        summary: "The tracker found its position again after a GPS restart.".into(),
        tech: Some("Cold start recovered a 3D fix with 9 satellites.".into()),
        next_steps: vec!["Check the tracker shows in the app within 10 minutes.".into()],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    });
    let transcript = vec![
        raw(
            0,
            Direction::Rx,
            EntryKind::Log,
            "[boot] PawCore PT fw 2.4.1",
        ),
        line(
            10,
            Direction::Tx,
            EntryKind::Request,
            json!({"id":4242,"method":"gps.status"}),
        ),
        line(
            25,
            Direction::Rx,
            EntryKind::Response,
            json!({"id":4242,"result":{"fix":"none","satellites":2,"lat":HOME_LAT,"lon":HOME_LON,"antenna":"ok"}}),
        ),
        line(
            30,
            Direction::Tx,
            EntryKind::Request,
            json!({"id":4243,"method":"geofence.list"}),
        ),
        line(
            45,
            Direction::Rx,
            EntryKind::Response,
            json!({"id":4243,"result":{"notifications":true,"geofences":[{"id":1,"name":"Grandma's Garden","lat":51.50481,"lon":-0.13995,"radius_m":15,"enabled":true}]}}),
        ),
        line(
            5_000,
            Direction::Tx,
            EntryKind::Request,
            json!({"id":4244,"method":"gps.cold_start"}),
        ),
        line(
            5_020,
            Direction::Rx,
            EntryKind::Response,
            json!({"id":4244,"result":{"ok":true}}),
        ),
        line(
            38_000,
            Direction::Rx,
            EntryKind::Event,
            json!({"event":"gps.fix","data":{"fix":"3d","satellites":9,"lat":HOME_LAT,"lon":HOME_LON}}),
        ),
        raw(
            38_500,
            Direction::Note,
            EntryKind::Note,
            "reconnected after 1 retry",
        ),
    ];
    Scenario {
        session: s,
        device: DeviceData {
            info: Some(info("pettracker", "PT-24A0-0001", "2.4.1")),
            battery: Some(battery(78, 24.5)),
            selftest: Some(Selftest {
                results: vec![
                    pass("battery"),
                    pass("flash"),
                    pass("gps"),
                    pass("cellular"),
                ],
            }),
            log: Some(log(&[
                (1200, "info", "GPS_SEARCH", "searching"),
                (1260, "warn", "GPS_LOST", "fix lost near 51.50136,-0.14189"),
            ])),
        },
        transcript,
        customer: CustomerInfo {
            name: Some("Jane Doe".into()),
            email: Some("jane.doe@example.com".into()),
            phone: Some("+44 7700 900089".into()),
            ticket: Some("SUP-1042".into()),
            notes: vec![
                "Second call this week; first time the app showed no location at all.".into(),
                "Prefers e-mail: jane.d.home@mail.example.org, or call 07700 900 123.".into(),
            ],
            technician: Some("Sam Lee".into()),
            station: Some("bench-3".into()),
        },
    }
}

/// HealthMonitor with a failed heart-rate LED and old firmware: replace.
fn replace() -> Scenario {
    let mut s = session(
        Model::HealthMonitor,
        "healthmonitor/inaccurate-readings",
        "Inaccurate readings",
        "The heart rate looks wrong",
    );
    let mut a = step("check_selftest", StepKind::Check, 1_000);
    a.tech = Some("Self-test of the heart-rate sensor".into());
    a.playbook_step = Some("Contact technical support".into());
    a.facts = vec![
        fact("selftest.hr_sensor", json!("fail"), 1_200),
        fact("selftest.hr_sensor.code", json!("HR_LED_FAULT"), 1_200),
    ];
    a.matched_rule = Some(RuleMatch {
        index: 0,
        when: "selftest.hr_sensor == \"fail\"".into(),
    });
    a.branch = branch("rule 1", "replace_unit");
    let b = step("replace_unit", StepKind::Outcome, 2_000);
    s.steps = vec![a, b];
    s.ended_at = Some(at(2_500));
    s.outcome = Some(OutcomeRecord {
        node_id: "replace_unit".into(),
        kind: OutcomeKind::Replace,
        code: "HM-HR-LED-REPLACE".into(),
        tier: Some(Tier::Two),
        criterion: Some("Product defects or design problems".into()),
        summary: "The heart-rate sensor's light is broken, so the monitor needs replacing.".into(),
        tech: Some("Self-test hr_sensor HR_LED_FAULT".into()),
        next_steps: vec!["Start an RMA and ship a replacement unit.".into()],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    });
    Scenario {
        session: s,
        device: DeviceData {
            info: Some(info("healthmonitor", "HM-24B1-0042", "1.7.2")),
            battery: Some(battery(64, 31.0)),
            selftest: Some(Selftest {
                results: vec![
                    pass("battery"),
                    pass("flash"),
                    fail("hr_sensor", "HR_LED_FAULT", "LED current 0 mA"),
                    pass("temp_sensor"),
                    pass("imu"),
                ],
            }),
            log: Some(log(&[(90, "error", "HR_LED_FAULT", "led driver open")])),
        },
        transcript: vec![
            line(
                5,
                Direction::Tx,
                EntryKind::Request,
                json!({"id":7,"method":"selftest.run"}),
            ),
            line(
                900,
                Direction::Rx,
                EntryKind::Response,
                json!({"id":7,"result":{"results":[{"component":"hr_sensor","status":"fail","code":"HR_LED_FAULT","detail":"LED current 0 mA"}]}}),
            ),
        ],
        customer: CustomerInfo {
            ticket: Some("SUP-2001".into()),
            ..CustomerInfo::default()
        },
    }
}

/// SmartCollar whose battery runs hot: a safety rule stops the flow.
fn safety() -> Scenario {
    let mut s = session(
        Model::SmartCollar,
        "smartcollar/led-lighting",
        "LED lighting problems",
        "The collar light stopped working",
    );
    let mut a = step("check_battery", StepKind::Check, 1_000);
    a.tech = Some("Battery temperature".into());
    a.facts = vec![fact("battery.temp_c", json!(58.5), 1_100)];
    let mut b = step("safety:battery_hot", StepKind::Safety, 1_200);
    b.tech = Some("Safety rule: battery above 55 °C".into());
    b.facts = vec![fact("battery.temp_c", json!(58.5), 1_100)];
    s.steps = vec![a, b];
    s.ended_at = Some(at(1_500));
    s.stopped = Some(StopReason::new(
        StopKind::Safety,
        "check_battery",
        "battery.temp_c 58.5 is above 55 °C",
    ));
    s.outcome = Some(OutcomeRecord {
        node_id: "safety:battery_hot".into(),
        kind: OutcomeKind::Safety,
        code: "SC-SAFETY-BAT-HOT".into(),
        tier: Some(Tier::Three),
        criterion: Some("Product defects or design problems".into()),
        summary: "The collar's battery is running hot, which could hurt your pet.".into(),
        tech: Some("battery.temp_c 58.5 > 55".into()),
        next_steps: vec!["Arrange collection of the unit for analysis.".into()],
        safety: true,
        escalate_within_min: Some(30),
        pet_health: false,
    });
    Scenario {
        session: s,
        device: DeviceData {
            info: Some(info("smartcollar", "SC-24C2-0007", "3.1.2")),
            battery: Some(battery(40, 58.5)),
            selftest: None,
            log: Some(log(&[(30, "error", "BAT_TEMP", "cell temperature 58.5 C")])),
        },
        transcript: vec![
            line(
                5,
                Direction::Tx,
                EntryKind::Request,
                json!({"id":99,"method":"battery.status"}),
            ),
            line(
                20,
                Direction::Rx,
                EntryKind::Response,
                json!({"id":99,"result":{"level_pct":40,"voltage_mv":3950,"charging":false,"charger":"none","cycle_count":210,"health_pct":91,"temp_c":58.5}}),
            ),
        ],
        customer: CustomerInfo {
            name: Some("Sam Lee".into()),
            phone: Some("+1 415 555 0134".into()),
            ticket: Some("SUP-3003".into()),
            notes: vec!["Customer says the collar felt hot on the dog's neck.".into()],
            ..CustomerInfo::default()
        },
    }
}

/// PetTracker that dropped off the USB port half-way: no outcome.
fn stopped_early() -> Scenario {
    let mut s = session(
        Model::PetTracker,
        "pettracker/battery-life",
        "Battery life issues",
        "The battery runs out in a day",
    );
    s.mode = RunMode::Batch;
    let mut a = step("check_battery", StepKind::Check, 1_000);
    a.tech = Some("Battery health".into());
    a.facts = vec![fact("battery.health_pct", json!(91), 1_100)];
    a.branch = branch("rule 2", "check_settings");
    let mut b = step("check_settings", StepKind::Check, 2_000);
    b.tech = Some("Tracking interval".into());
    b.facts = vec![FactRecord::failed(
        "settings.tracking_interval_s",
        "link lost: no answer within 550 ms".into(),
        at(2_600),
    )];
    s.steps = vec![a, b];
    s.ended_at = Some(at(3_000));
    s.stopped = Some(StopReason::new(
        StopKind::LinkLost,
        "check_settings",
        "the device stopped answering (serial port closed)",
    ));
    Scenario {
        session: s,
        device: DeviceData {
            info: Some(info("pettracker", "PT-24A0-0099", "2.3.9")),
            battery: Some(battery(12, 22.0)),
            selftest: None,
            log: None,
        },
        transcript: vec![
            line(
                2_000,
                Direction::Tx,
                EntryKind::Request,
                json!({"id":31337,"method":"settings.get"}),
            ),
            raw(
                2_100,
                Direction::Rx,
                EntryKind::Corrupt,
                "{\"id\":31337,\"result\":{\"tracking_in*0000",
            ),
            line(
                2_300,
                Direction::Tx,
                EntryKind::Retry,
                json!({"id":31337,"method":"settings.get"}),
            ),
            raw(
                2_600,
                Direction::Note,
                EntryKind::Note,
                "link lost: serial port closed",
            ),
        ],
        customer: CustomerInfo::default(),
    }
}

/// The findings of the scenario's device data and the verdict, as the
/// pipeline makes them.
fn with_findings(mut sc: Scenario) -> Scenario {
    let flows = pawdiag::flow::load::FlowSet::load(None).unwrap();
    let src = pawdiag::diagnose::sources_of(&sc.device, &sc.session);
    let found = pawdiag::flow::findings_eval::evaluate(&flows.findings, &flows.safety, &src);
    pawdiag::flow::verdict::apply(&mut sc.session, found, 30);
    sc
}

fn scenarios() -> Vec<(&'static str, Scenario)> {
    vec![
        ("resolved", with_findings(resolved())),
        ("replace", with_findings(replace())),
        ("safety", with_findings(safety())),
        ("stopped", with_findings(stopped_early())),
    ]
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshots_of_every_format_for_every_scenario() {
    for (name, sc) in scenarios() {
        let r = sc.build(false);
        for f in Format::ALL {
            insta::assert_snapshot!(format!("{name}_{}", f.extension()), report::render(&r, f));
        }
    }
}

#[test]
fn snapshots_of_the_terminal_summaries() {
    let path = std::path::Path::new("/home/tech/.local/share/pawdiag/reports/x.json");
    for (name, sc) in scenarios() {
        let r = sc.build(false);
        insta::assert_snapshot!(
            format!("{name}_summary_customer"),
            report::summary(&r, Audience::Customer, Some(path))
        );
        insta::assert_snapshot!(
            format!("{name}_summary_technician"),
            report::summary(&r, Audience::Technician, Some(path))
        );
    }
}

#[test]
fn rendering_is_a_pure_function_of_the_report() {
    let r = resolved().build(false);
    for f in Format::ALL {
        assert_eq!(report::render(&r, f), report::render(&r, f));
    }
    // And JSON round-trips to the same report.
    let back = report::load(report::render(&r, Format::Json).as_bytes()).unwrap();
    assert_eq!(back, r);
}

// ---------------------------------------------------------------- outcome, SLA, order

#[test]
fn outcome_and_sla_follow_the_playbooks() {
    let r = safety().build(false);
    assert!(r.outcome.safety);
    assert_eq!(r.outcome.kind.as_str(), "safety");
    // 30 minutes from the session end, on a Friday afternoon, 24/7.
    assert_eq!(r.sla.due, at(1_500) + Duration::minutes(30));
    assert!(r.escalation.urgency.pet_harm_possible);
    assert!(r.escalation.next_steps[0].starts_with("Escalate to Operations now"));

    let r = replace().build(false);
    // Hardware: 7 business days from Friday 15:58:02 is Tuesday 1 December.
    assert_eq!(
        r.sla.due,
        Utc.with_ymd_and_hms(2026, 12, 1, 15, 58, 2).unwrap() + Duration::milliseconds(500)
    );
    assert!(r.escalation.issue.contains("hr_sensor HR_LED_FAULT"));
    assert!(
        r.escalation
            .issue
            .contains("1.7.2 is older than the current release 1.8.0")
    );

    let r = stopped_early().build(false);
    assert_eq!(r.outcome.kind.as_str(), "incomplete");
    assert_eq!(r.outcome.code, "PT-INCOMPLETE-LINK-LOST");
    let st = r.stopped.as_ref().unwrap();
    assert_eq!(st.at_node, "check_settings");
    assert!(
        r.escalation
            .issue
            .contains("stopped early at step \"check_settings\"")
    );
    assert!(
        r.escalation
            .next_steps
            .iter()
            .any(|n| n.contains("Reconnect"))
    );
}

#[test]
fn human_formats_put_the_outcome_first_then_escalation_device_transcript() {
    let r = resolved().build(false);
    let md = report::render(&r, Format::Markdown);
    let html = report::render(&r, Format::Html);
    for (text, marks) in [
        (
            &md,
            [
                "## Outcome",
                "## Escalation documentation",
                "### Issue description",
                "### Steps already taken",
                "### Customer information and history",
                "### Urgency and impact assessment",
                "### Recommended next steps",
                "## Device",
                "## Protocol transcript",
            ],
        ),
        (
            &html,
            [
                "class=\"banner",
                "<h2>Escalation documentation</h2>",
                "<h3>Issue description</h3>",
                "<h3>Steps already taken</h3>",
                "<h3>Customer information and history</h3>",
                "<h3>Urgency and impact assessment</h3>",
                "<h3>Recommended next steps</h3>",
                "<h2>Device</h2>",
                "<h2>Protocol transcript",
            ],
        ),
    ] {
        let mut last = 0;
        for m in marks {
            let pos = text.find(m).unwrap_or_else(|| panic!("{m} missing"));
            assert!(pos > last, "{m} out of order");
            last = pos;
        }
    }
    // Each step carries what was checked, the raw values, result and time.
    assert!(md.contains("gps.satellites = 2"));
    assert!(md.contains("2026-11-20 15:58:03 UTC"));
    assert!(html.contains("<td class=\"mono time\">15:58:03</td>"));
}

// ---------------------------------------------------------------- schema

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/report.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn generated_reports_validate_against_the_published_schema() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    for (name, sc) in scenarios() {
        for personal in [false, true] {
            let r = sc.build(personal);
            let v: Value = serde_json::from_str(&report::render(&r, Format::Json)).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&v)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
        }
    }
}

#[test]
fn the_schema_rejects_what_it_should() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let good: Value =
        serde_json::from_str(&report::render(&resolved().build(false), Format::Json)).unwrap();
    let mut bad = good.clone();
    bad["outcome"]["kind"] = json!("maybe");
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["surprise"] = json!(1);
    assert!(!validator.is_valid(&bad));
    let mut bad = good.clone();
    bad["digest"]["value"] = json!("not hex");
    assert!(!validator.is_valid(&bad));
    let mut bad = good;
    bad.as_object_mut().unwrap().remove("schema_version");
    assert!(!validator.is_valid(&bad));
}

// ---------------------------------------------------------------- escaping

const XSS: &str = "<script>alert(1)</script>";

fn hostile() -> Scenario {
    let mut sc = resolved();
    let i = sc.device.info.as_mut().unwrap();
    i.model = format!("pettracker{XSS}");
    i.serial = format!("PT-{XSS}|`x`");
    i.hw_rev = Some("<img src=x onerror=alert(2)>".into());
    sc.device.log = Some(log(&[(
        1,
        "warn",
        "X<b>",
        "<script>alert(3)</script> | pipe ` tick [link](javascript:alert(4)) \x1b[31mred",
    )]));
    sc.session.steps[3].answer = answer("yes", "<script>alert(5)</script>");
    sc.session.steps[1].tech = Some("**bold** <iframe src=x>".into());
    sc.customer.notes = vec![format!("{XSS} & <!-- comment --> ```fence")];
    sc.customer.name = Some("</td></tr><script>alert(6)</script>".into());
    sc.customer.ticket = Some("<style>*{display:none}</style>".into());
    sc.transcript.push(raw(
        50_000,
        Direction::Rx,
        EntryKind::Log,
        "</pre><script>alert(7)</script>```",
    ));
    sc
}

#[test]
fn hostile_strings_cannot_run_anything_in_html() {
    let r = hostile().build(false);
    let html = report::render(&r, Format::Html);
    // The only script element is the non-executable JSON data block.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(html.contains("<script type=\"application/json\" id=\"pawdiag-report\">"));
    for bad in [
        "<img",
        "<iframe",
        "</td></tr><script",
        "<style>*",
        "</pre><script",
    ] {
        assert!(!html.contains(bad), "{bad} got through");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        html.contains("\\u{001b}[31mred"),
        "escape code not neutralised"
    );
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(html.contains("Content-Security-Policy"));
    // It still verifies: escaping did not disturb the embedded report.
    assert!(report::verify(html.as_bytes()).is_intact());
}

#[test]
fn hostile_strings_are_inert_text_in_markdown() {
    let r = hostile().build(false);
    let md = report::render(&r, Format::Markdown);
    // Outside fenced code (where nothing is interpreted) every `<` and `|`
    // and backtick from the data is backslash-escaped.
    let mut in_code = false;
    let mut fence = String::new();
    for l in md.lines() {
        let ticks = l.chars().take_while(|c| *c == '`').count();
        if ticks >= 3 {
            if !in_code {
                in_code = true;
                fence = "`".repeat(ticks);
                continue;
            } else if l.trim_end() == fence {
                in_code = false;
                continue;
            }
        }
        if in_code || l.starts_with("<!-- pawdiag-report") || l == "-->" {
            continue;
        }
        let b = l.as_bytes();
        for (i, ch) in b.iter().enumerate() {
            if matches!(ch, b'<' | b'`' | b'[') && !l.starts_with('{') {
                // Our own inline code spans (`pawdiag report verify FILE`) are fine.
                if l.contains("`pawdiag report verify FILE`") {
                    continue;
                }
                assert!(
                    i > 0 && b[i - 1] == b'\\',
                    "unescaped {} in: {l}",
                    *ch as char
                );
            }
        }
        if l.starts_with('|') {
            // Table rows keep their column count: data pipes are escaped.
            let unescaped = l
                .char_indices()
                .filter(|(i, c)| *c == '|' && (*i == 0 || b[i - 1] != b'\\'))
                .count();
            assert!(unescaped == 3 || unescaped == 5, "broken row: {l}");
        }
    }
    assert!(!in_code, "a code fence was left open");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    // The embedded JSON cannot close its comment early.
    let embedded = md.rsplit("<!-- pawdiag-report\n").next().unwrap();
    assert_eq!(embedded.matches("-->").count(), 1);
    assert!(report::verify(md.as_bytes()).is_intact());
}

#[test]
fn hostile_strings_cannot_drive_the_terminal() {
    let r = hostile().build(false);
    for a in [Audience::Customer, Audience::Technician] {
        let s = report::summary(&r, a, None);
        assert!(!s.contains('\x1b'), "{s}");
    }
}

// ---------------------------------------------------------------- redaction

/// Numbers with more than 2 decimals that are not the seconds of a time
/// (`15:58:03.123`).
fn fine_decimals(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let tok = &text[start..i];
            let after_colon = start > 0 && b[start - 1] == b':';
            if let Some((_, frac)) = tok.split_once('.')
                && !frac.contains('.')
                && frac.len() > 2
                && !after_colon
            {
                found.push(tok.to_string());
            }
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn personal_data_is_redacted_in_every_format_by_default() {
    let sc = resolved();
    let r = sc.build(false);
    for f in Format::ALL {
        let text = report::render(&r, f);
        assert_eq!(fine_decimals(&text), Vec::<String>::new(), "{f}");
        for secret in [
            "jane.doe@",
            "jane.d.home@",
            "7700 900089",
            "7700 900 123",
            "Grandma",
            "51.501364",
            "51.5013",
            "0.14189",
            "51.50481",
        ] {
            assert!(!text.contains(secret), "{secret} leaked in {f}");
        }
        // Every @ that is left belongs to a masked address (visible
        // Markdown escapes the stars; its embedded JSON does not).
        for (i, _) in text.match_indices('@') {
            let before = &text[..i];
            if before.ends_with(|c: char| c.is_whitespace()) {
                continue; // CSS at-rules (@page, @media)
            }
            assert!(
                before.ends_with("***") || before.ends_with("\\*\\*\\*"),
                "unmasked e-mail in {f}: {}",
                &before[before.len().saturating_sub(30)..]
            );
        }
        let masked = if f == Format::Markdown {
            "j\\*\\*\\*@example.com"
        } else {
            "j***@example.com"
        };
        assert!(text.contains(masked), "{f}");
        assert!(text.contains("+44 ••• ••• 89"), "{f}");
    }
    assert!(!r.privacy.personal_data_included);
    let what: Vec<&str> = r
        .privacy
        .redactions
        .iter()
        .map(|x| x.what.as_str())
        .collect();
    assert!(
        what.iter().any(|w| w.starts_with("GPS coordinates")),
        "{what:?}"
    );
    assert!(what.contains(&"geofence names"));
    assert!(what.contains(&"e-mail addresses"));
    assert!(what.contains(&"phone numbers"));
    // Redacted transcript lines say so: their CRC no longer matches.
    let redacted: Vec<_> = r.transcript.entries.iter().filter(|l| l.redacted).collect();
    assert_eq!(redacted.len(), 3);
    assert!(redacted.iter().all(|l| l.text.contains('*')));
    assert!(report::render(&r, Format::Markdown).contains("[redacted: CRC no longer matches]"));
}

#[test]
fn include_personal_data_keeps_it_and_says_so() {
    let r = resolved().build(true);
    let json = report::render(&r, Format::Json);
    assert!(json.contains("51.501364"));
    assert!(json.contains("jane.doe@example.com"));
    assert!(json.contains("Grandma's Garden"));
    assert!(r.privacy.personal_data_included);
    assert!(r.privacy.redactions.is_empty());
    assert!(r.transcript.entries.iter().all(|l| !l.redacted));
    assert!(report::render(&r, Format::Html).contains("Personal data is INCLUDED"));
}

// ---------------------------------------------------------------- tamper evidence

#[test]
fn every_format_verifies_and_any_one_byte_change_is_caught() {
    for (name, sc) in scenarios() {
        let r = sc.build(false);
        for f in Format::ALL {
            let text = report::render(&r, f);
            let ok = report::verify(text.as_bytes());
            assert!(ok.is_intact(), "{name} {f}: {ok:?}");
            // Change one byte at spread-out positions (keeping UTF-8 valid by
            // only touching ASCII letters and digits).
            let bytes = text.as_bytes();
            let mut checked = 0;
            for pos in (0..bytes.len()).step_by((bytes.len() / 40).max(1)) {
                let c = bytes[pos];
                let swapped = match c {
                    b'0'..=b'8' | b'a'..=b'y' | b'A'..=b'Y' => c + 1,
                    b'9' => b'0',
                    b'z' => b'a',
                    b'Z' => b'A',
                    _ => continue,
                };
                let mut changed = bytes.to_vec();
                changed[pos] = swapped;
                let v = report::verify(&changed);
                assert!(!v.is_intact(), "{name} {f}: change at {pos} went unnoticed");
                checked += 1;
            }
            assert!(checked > 10, "{name} {f}: only {checked} positions tried");
        }
    }
}

#[test]
fn verify_explains_what_it_found() {
    let r = replace().build(false);
    let json = report::render(&r, Format::Json).replace("\"level_pct\": 64", "\"level_pct\": 99");
    match report::verify(json.as_bytes()) {
        Verification::Altered { reason, .. } => {
            assert!(reason.contains("does not match its digest"))
        }
        other => panic!("{other:?}"),
    }
    let md = report::render(&r, Format::Markdown).replace("Replace device", "Resolved");
    match report::verify(md.as_bytes()) {
        Verification::Altered { reason, .. } => assert!(reason.contains("Markdown text differs")),
        other => panic!("{other:?}"),
    }
    // Line ends changed to CR LF on the way (mail, Windows): still intact.
    let crlf = report::render(&r, Format::Markdown).replace('\n', "\r\n");
    assert!(report::verify(crlf.as_bytes()).is_intact());
    assert_eq!(report::load(crlf.as_bytes()).unwrap(), r);
    assert!(matches!(
        report::verify(b"just some notes"),
        Verification::Invalid { .. }
    ));
}

// ---------------------------------------------------------------- the binary

#[test]
fn cli_verify_passes_an_untouched_report_and_exits_6_on_a_one_byte_change() {
    let dir = tempfile::tempdir().unwrap();
    let r = safety().build(false);
    let path = report::free_path_in(dir.path(), &r, Format::Json);
    report::write_atomic(&path, &r, Format::Json).unwrap();
    assert!(
        path.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("20261120T155801Z-SC-24C2-0007-SC-SAFETY-BAT-HOT")
    );
    pawdiag()
        .args(["report", "verify"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("intact: "));

    let mut bytes = std::fs::read(&path).unwrap();
    let pos = String::from_utf8_lossy(&bytes)
        .find("\"temp_c\": 58.5")
        .unwrap()
        + 10;
    assert_eq!(bytes[pos], b'5');
    bytes[pos] = b'4'; // 58.5 °C becomes 48.5 °C
    std::fs::write(&path, &bytes).unwrap();
    pawdiag()
        .args(["report", "verify", "--json"])
        .arg(&path)
        .assert()
        .code(6)
        .stdout(predicates::str::contains("\"status\":\"altered\""));

    // Not a report at all: bad input (2), with a sentence, no panic.
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "hello").unwrap();
    pawdiag()
        .args(["report", "verify"])
        .arg(&junk)
        .assert()
        .code(2)
        .stdout(predicates::str::starts_with("INVALID: "));
    // A missing file is bad input.
    pawdiag()
        .args(["report", "verify"])
        .arg(dir.path().join("nope.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("hint:"));
}

#[test]
fn cli_render_rerenders_a_saved_report_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let r = resolved().build(false);
    let json = dir.path().join("r.json");
    report::write_atomic(&json, &r, Format::Json).unwrap();

    // Format from the extension of -o.
    let html = dir.path().join("out/r.html");
    pawdiag()
        .args(["report", "render"])
        .arg(&json)
        .arg("-o")
        .arg(&html)
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(&html).unwrap(),
        report::render(&r, Format::Html)
    );
    pawdiag()
        .args(["report", "verify"])
        .arg(&html)
        .assert()
        .code(0);

    // --format to stdout; and from an HTML report back to JSON.
    pawdiag()
        .args(["report", "render", "--format", "md"])
        .arg(&json)
        .assert()
        .code(0)
        .stdout(report::render(&r, Format::Markdown));
    pawdiag()
        .args(["report", "render", "--format", "json"])
        .arg(&html)
        .assert()
        .code(0)
        .stdout(report::render(&r, Format::Json));

    // A tampered report is refused (exit 6) unless --force.
    let text = std::fs::read_to_string(&json)
        .unwrap()
        .replace("Jane Doe", "John Doe");
    std::fs::write(&json, text).unwrap();
    pawdiag()
        .args(["report", "render", "--format", "md"])
        .arg(&json)
        .assert()
        .code(6)
        .stderr(predicates::str::contains("does not verify"));
    pawdiag()
        .args(["report", "render", "--force", "--format", "md"])
        .arg(&json)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("John Doe"));
}

/// Writes every scenario in every format to `$PAWDIAG_REPORT_SAMPLES` (for
/// `scripts/screenshot-report.sh` and for a person to look at); does
/// nothing without it.
#[test]
fn write_samples_when_asked() {
    let Some(dir) = std::env::var_os("PAWDIAG_REPORT_SAMPLES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    for (name, sc) in scenarios().into_iter().chain([("hostile", hostile())]) {
        let r = sc.build(false);
        for f in Format::ALL {
            let p = dir.join(format!("{name}.{}", f.extension()));
            report::write_atomic(&p, &r, f).unwrap();
            assert!(report::verify(&std::fs::read(&p).unwrap()).is_intact());
        }
    }
}

/// A report written before `needs_answers`, `findings` and the other
/// additive fields existed still verifies, and reads back into the same
/// JSON: new fields are left out when empty (`null`/`false`/absent), so
/// its embedded data renders as it did.
#[test]
fn reports_written_by_an_earlier_pawdiag_still_verify() {
    let path = format!(
        "{}/tests/fixtures/report-before-findings.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap();
    let v = report::verify(&bytes);
    assert!(v.is_intact(), "{path}: {v:?}");
    let rep = report::load(&bytes).unwrap();
    assert!(rep.findings.is_none() && rep.needs_answers.is_empty());
    assert_eq!(
        report::render(&rep, Format::Json),
        String::from_utf8(bytes).unwrap(),
        "reads back into the same JSON"
    );
}

/// Regression: two sessions of one device ending within the same second
/// got the same report id and so the same case reference (and one
/// helpdesk ticket for both).
#[test]
fn two_sessions_of_one_device_in_one_second_get_their_own_id_and_case() {
    let mut a = resolved();
    let mut b = resolved();
    a.session.ended_at = Some(at(5_100));
    b.session.ended_at = Some(at(5_600));
    let (ra, rb) = (a.build(false), b.build(false));
    assert_ne!(ra.report_id, rb.report_id);
    assert_ne!(ra.case_ref, rb.case_ref);
    assert!(ra.report_id.ends_with(".100Z"), "{}", ra.report_id);
}
