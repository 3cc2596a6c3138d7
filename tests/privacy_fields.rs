//! E-mail addresses and phone numbers typed into any field are masked in
//! every report format (JSON, Markdown, HTML), whether they come from the
//! command line, a person's answers, the flow, or the device; and kept as
//! they are with `--include-personal-data`.

#![allow(clippy::unwrap_used)]

mod support;

use chrono::{TimeZone, Utc};
use pawdiag::client::{Direction, Entry, EntryKind};
use pawdiag::flow::session::*;
use pawdiag::interface::Model;
use pawdiag::interface::frame::encode_line;
use pawdiag::interface::methods::*;
use pawdiag::report::{self, BuildOptions, CustomerInfo, DeviceData, Format, Inputs};
use serde_json::json;

const EMAIL: &str = "ana.example@mail.example.com";
const PHONE: &str = "+44 7700 900123";
/// What must never appear in a private report: the address, and the
/// phone's digits past the country code.
const SECRETS: [&str; 4] = [EMAIL, "ana.example@", "7700 900123", "900123"];

fn pii(what: &str) -> String {
    format!("{what}: write to {EMAIL} or call {PHONE}")
}

fn entry(ms: f64, dir: Direction, kind: EntryKind, text: String) -> Entry {
    Entry {
        t_ms: ms,
        at: Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap(),
        dir,
        kind,
        text,
    }
}

fn full_of_contact_details() -> (Session, DeviceData, Vec<Entry>, CustomerInfo) {
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
    let step = |node: &str, kind: StepKind| StepRecord {
        node_id: node.into(),
        kind,
        playbook_step: Some(pii("playbook")),
        say: Some(pii("say")),
        help: Some(pii("help")),
        tech: Some(pii("tech")),
        started_at: t,
        ended_at: t,
        facts: vec![FactRecord {
            name: "device.hw_rev".into(),
            value: json!(pii("fact")),
            error: Some(pii("error")),
            at: t,
            unit: None,
        }],
        matched_rule: None,
        answer: None,
        fix: None,
        verify: None,
        branch: None,
        notes: vec![pii("note")],
        summary: Some(pii("summary")),
    };
    let mut q = step("ask", StepKind::Question);
    q.answer = Some(AnswerRecord::given("other", Some(&pii("typed answer"))));
    let mut f = step("fix", StepKind::Fix);
    f.fix = Some(FixRecord {
        method: "settings.set".into(),
        params: None,
        consent_text: pii("consent"),
        consent: Consent::Given,
        result: Some(json!({"owner": pii("result")})),
        error: Some(pii("fix error")),
        event: None,
    });
    let session = Session {
        flow_id: "pettracker/gps-not-working".into(),
        flow_title: "GPS not working".into(),
        flow_symptom: "GPS".into(),
        playbook: String::new(),
        model: Model::PetTracker,
        device: None,
        mode: RunMode::Interactive,
        started_at: t,
        ended_at: Some(t),
        steps: vec![step("check", StepKind::Check), q, f],
        outcome: Some(OutcomeRecord {
            node_id: "end".into(),
            kind: OutcomeKind::Escalate,
            code: "PT-GPS-ESC".into(),
            tier: Some(Tier::Two),
            criterion: None,
            summary: pii("summary"),
            tech: Some(pii("outcome tech")),
            next_steps: vec![pii("next step")],
            safety: false,
            escalate_within_min: None,
            pet_health: false,
        }),
        stopped: Some(StopReason {
            at_node: "fix".into(),
            reason: pii("stop reason"),
            kind: StopKind::Error,
            signal: None,
            failure: None,
        }),
        answers_unanswered: vec![],
        needs_answers: vec![],
        facts: vec![],
        findings: vec![],
        flow_outcome: None,
        model_unknown: false,
    };
    let device = DeviceData {
        info: Some(DeviceInfo {
            model: "pettracker".into(),
            serial: "PT-24A0-0001".into(),
            hw_rev: Some(pii("hw")),
            fw_version: "2.4.1".into(),
            interface: 1,
            uptime_s: Some(1),
            boot_count: Some(1),
            last_reset: Some(pii("reset")),
        }),
        battery: None,
        selftest: Some(Selftest {
            results: vec![SelftestResult {
                component: "gps".into(),
                status: TestStatus::Fail,
                code: Some("GPS_NO_RF".into()),
                detail: Some(pii("detail")),
            }],
        }),
        log: Some(LogRead {
            entries: vec![LogEntry {
                t: Some(1),
                level: Some("warn".into()),
                code: Some("X".into()),
                msg: Some(pii("log")),
            }],
            truncated: false,
        }),
    };
    let line = |v: serde_json::Value| {
        String::from_utf8(encode_line(&v.to_string()).unwrap())
            .unwrap()
            .trim_end()
            .to_string()
    };
    let transcript = vec![
        entry(0.0, Direction::Rx, EntryKind::Log, pii("[boot] banner")),
        entry(
            1.0,
            Direction::Rx,
            EntryKind::Response,
            line(json!({"id": 7, "result": {"owner": pii("device string")}})),
        ),
        entry(2.0, Direction::Note, EntryKind::Note, pii("host note")),
    ];
    let customer = CustomerInfo {
        name: Some(format!("Ana Example <{EMAIL}>, {PHONE}")),
        email: Some(EMAIL.into()),
        phone: Some(PHONE.into()),
        ticket: Some("T-1001".into()),
        notes: vec![pii("customer note")],
        ..CustomerInfo::default()
    };
    (session, device, transcript, customer)
}

fn build(include_personal_data: bool) -> report::model::Report {
    let (session, device, transcript, customer) = full_of_contact_details();
    report::build(Inputs {
        session: &session,
        device: &device,
        transcript: &transcript,
        transcript_dropped: 0,
        customer: &customer,
        options: BuildOptions {
            include_personal_data,
            now: session.started_at,
        },
    })
    .unwrap()
}

#[test]
fn contact_details_in_every_field_are_masked_in_every_format() {
    let r = build(false);
    for format in Format::ALL {
        let text = report::render(&r, format);
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{} report contains `{secret}`",
                format.name()
            );
        }
        assert!(text.contains("a***@mail.example.com"), "{}", format.name());
    }
    assert_eq!(
        r.escalation.customer.name.as_deref(),
        Some("Ana Example <a***@mail.example.com>, +44 ••• ••• 23")
    );
    assert!(r.transcript.entries.iter().all(|l| l.redacted));
    assert!(report::verify(report::render(&r, Format::Html).as_bytes()).is_intact());
}

#[test]
fn include_personal_data_keeps_them() {
    let r = build(true);
    let text = report::render(&r, Format::Json);
    assert!(text.contains(EMAIL) && text.contains(PHONE));
    assert!(r.privacy.redactions.is_empty());
}

#[test]
fn the_command_line_masks_what_is_typed_into_it_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["json", "md", "html"] {
        let path = dir.path().join(format!("r.{ext}"));
        let out = support::pawdiag_reports(dir.path())
            .args([
                "diagnose",
                "sim:pettracker?fault=gps-antenna-open",
                "--flow",
                "pettracker/gps-not-working",
                "--non-interactive",
                "--customer",
                &format!("Ana Example <{EMAIL}>"),
                "--email",
                EMAIL,
                "--phone",
                PHONE,
                "--note",
                &format!("she said: call me on {PHONE} or mail {EMAIL}"),
                "--ticket",
                "T-1001",
                "--report",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{out:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in SECRETS {
            assert!(!text.contains(secret), "{ext} report contains `{secret}`");
        }
        assert!(text.contains("Ana Example"), "{ext}");
        assert!(text.contains("T-1001"), "{ext}");
    }
}
