//! Reports sent to a real Request Tracker 5 (started once for this binary by
//! `rt::rt()`), the way a technician or a script would send them: `report
//! upload`, `diagnose --upload`, `batch --upload`, `report upload
//! --pending`. What RT holds afterwards is read back through its REST API.
//! Each test uses its own device serials, so tests share RT but no tickets.
#![cfg(target_os = "linux")] // Debian's Request Tracker 5, children tied to us with prctl

mod rt;

use rt::machine::{Machine, report_id, stem};
use rt::{ROOT_PASSWORD, TECH, rt};
use serde_json::Value;
use std::path::PathBuf;

#[test]
fn a_new_ticket_carries_both_reports_byte_identical_and_the_diagnostic_id() {
    let m = Machine::new();
    let path = m.report(
        "PT-HD01-0001",
        "gps-antenna-open",
        &["--email", "jane.doe@example.com", "--customer", "Jane Doe"],
    );
    let out = m.upload(&[path.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = &out.json_lines()[0];
    assert_eq!(line["schema"], "pawdiag.upload/1");
    assert_eq!(line["status"], "created", "{line}");
    let id = line["ticket"].as_str().expect("ticket");
    let t = rt().get(&format!("/ticket/{id}"));
    assert_eq!(t["Queue"]["id"], "1", "General");
    let subject = t["Subject"].as_str().expect("subject");
    assert!(
        subject.starts_with("[PT-GPS-ANT] PetTracker PT-HD01-0001: "),
        "{subject}"
    );
    // Replace: a Tier 2 or Tier 3 matter, above customer actions.
    let priority: u32 = t["Priority"]
        .as_str()
        .expect("priority")
        .parse()
        .expect("number");
    assert!((50..90).contains(&priority), "{priority}");
    let fields = t["CustomFields"].as_array().expect("custom fields");
    let diag = fields
        .iter()
        .find(|f| f["name"] == "DiagnosticId")
        .expect("field");
    assert_eq!(diag["values"][0], report_id(&path));

    let files = rt().attachments(id);
    let body = files
        .iter()
        .find(|(n, ct, _)| n.is_empty() && ct == "text/plain")
        .map(|(_, _, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a text body");
    assert!(body.contains("ESCALATION DOCUMENTATION"), "{body}");
    assert!(body.contains("Steps already taken"), "{body}");
    // As redacted as the report: the e-mail is masked.
    assert!(
        body.contains("j***@example.com") && !body.contains("jane.doe"),
        "{body}"
    );
    let json = files
        .iter()
        .find(|(n, _, _)| *n == format!("{}.json", stem(&path)))
        .expect("the JSON report");
    assert_eq!(json.1, "application/json");
    assert_eq!(json.2, std::fs::read(&path).expect("file"), "JSON differs");
    let html = files
        .iter()
        .find(|(n, _, _)| *n == format!("{}.html", stem(&path)))
        .expect("the HTML report");
    assert_eq!(html.1, "text/html");
    let mut render = m.cmd();
    render
        .args(["report", "render"])
        .arg(&path)
        .args(["--format", "html"]);
    assert_eq!(
        html.2,
        render.output().expect("renders").stdout,
        "HTML differs"
    );
    assert!(!String::from_utf8_lossy(&html.2).contains("jane.doe"));
}

#[test]
fn a_queue_without_the_field_gets_none_and_the_report_is_still_found_again() {
    let m = Machine::new();
    let path = m.report("PT-HD02-0001", "gps-antenna-open", &[]);
    let p = path.to_str().expect("utf-8");
    let out = m.upload(&[p, "--queue", "Returns", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let id = out.json_lines()[0]["ticket"]
        .as_str()
        .expect("ticket")
        .to_string();
    let t = rt().get(&format!("/ticket/{id}"));
    assert_eq!(t["CustomFields"].as_array().map(Vec::len), Some(0), "{t}");
    // Another machine (no local record) finds it by its attachment's name.
    let other = Machine::new();
    let again = other.upload(&[p, "--queue", "Returns", "--json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.json_lines()[0]["status"], "already-sent");
    assert_eq!(again.json_lines()[0]["ticket"], id.as_str());
    assert_eq!(
        rt().tickets_with_file(&format!("{}.json", stem(&path))),
        [id]
    );
}

#[test]
fn a_twice_uploaded_report_makes_one_ticket_and_one_comment() {
    let m = Machine::new();
    let path = m.report("PT-HD03-0001", "gps-antenna-open", &[]);
    let p = path.to_str().expect("utf-8");
    let first = m.upload(&[p]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("as ticket #"), "{}", first.stdout);
    let second = m.upload(&[p]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains("not sent again"),
        "{}",
        second.stdout
    );
    let file = format!("{}.json", stem(&path));
    assert_eq!(rt().tickets_with_file(&file).len(), 1);

    // A comment: twice to the same ticket, from two machines, is one comment.
    let customer = rt().new_ticket("General", "Tracker lost GPS");
    let path = m.report("PT-HD03-0002", "gps-antenna-open", &[]);
    let p = path.to_str().expect("utf-8");
    for machine in [&m, &m, &Machine::new()] {
        let out = machine.upload(&[p, "--ticket", &customer, "--json"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let file = format!("{}.json", stem(&path));
    let copies = rt()
        .attachments(&customer)
        .iter()
        .filter(|(n, _, _)| *n == file)
        .count();
    assert_eq!(copies, 1);
}

#[test]
fn diagnose_upload_comments_on_the_reports_ticket_and_raises_its_priority() {
    let m = Machine::new();
    let customer = rt().new_ticket("General", "Tracker is hot");
    let path = m.dir.path().join("hot.json");
    let mut c = m.cmd();
    c.args([
        "diagnose",
        "sim:pettracker?serial=PT-HD04-0001&fault=battery-overtemp",
    ])
    .args([
        "--flow",
        "pettracker/gps-not-working",
        "--non-interactive",
        "--json",
    ])
    .arg("--report")
    .arg(&path)
    .args(["--ticket", &customer, "--upload"]);
    let out = m.run(c);
    // Safety stays the exit code when the upload went through.
    assert_eq!(out.code, 5, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["upload"]["status"], "commented", "{}", v["upload"]);
    assert_eq!(v["upload"]["ticket"], customer.as_str());
    let t = rt().get(&format!("/ticket/{customer}"));
    let priority: u32 = t["Priority"]
        .as_str()
        .expect("priority")
        .parse()
        .expect("number");
    assert!(
        priority >= 90,
        "safety must be the highest priority: {priority}"
    );
    let names: Vec<String> = rt()
        .attachments(&customer)
        .into_iter()
        .map(|a| a.0)
        .collect();
    for ext in ["json", "html"] {
        assert!(
            names.contains(&format!("{}.{ext}", stem(&path))),
            "{names:?}"
        );
    }
}

#[test]
fn a_helpdesk_that_is_down_gets_the_upload_queued_until_pending_sends_it() {
    let m = Machine::new();
    let down = format!("http://127.0.0.1:{}", rt::closed_port());
    let path = m.report("PT-HD05-0001", "gps-antenna-open", &[]);
    let p = path.to_str().expect("utf-8");
    let mut c = m.cmd();
    c.args(["report", "upload", p, "--helpdesk", &down]);
    let out = m.run(c);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let said: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(said.len(), 1, "one sentence: {}", out.stderr);
    assert!(
        said[0].contains("could not be reached") && said[0].contains("queued"),
        "{}",
        said[0]
    );
    let outbox = m.dir.path().join("data/pawdiag/helpdesk/outbox");
    assert_eq!(std::fs::read_dir(&outbox).expect("outbox").count(), 1);

    // diagnose --upload while it is down: the report is saved, the upload
    // waits, and the exit code says so (3 outranks a fault's 4).
    let mut c = m.cmd();
    c.args([
        "diagnose",
        "sim:pettracker?serial=PT-HD05-0002&fault=gps-antenna-open",
    ])
    .args(["--flow", "pettracker/gps-not-working", "--non-interactive"])
    .args(["--upload", "--helpdesk", &down]);
    let out = m.run(c);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(std::fs::read_dir(&outbox).expect("outbox").count(), 2);

    let sent = m.upload(&["--pending", "--json"]);
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    let lines = sent.json_lines();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l["status"] == "created"), "{lines:?}");
    assert_eq!(std::fs::read_dir(&outbox).expect("outbox").count(), 0);
    let id = lines[0]["ticket"].as_str().expect("ticket");
    let json = rt()
        .attachments(id)
        .into_iter()
        .find(|a| a.0 == format!("{}.json", stem(&path)))
        .expect("oldest first: the first queued report");
    assert_eq!(json.2, std::fs::read(&path).expect("file"));
    // Nothing left: a second --pending has nothing to do.
    assert_eq!(m.upload(&["--pending"]).code, 0);
}

#[test]
fn refusals_are_named_and_nothing_is_queued_for_them() {
    let m = Machine::new();
    let path = m.report("PT-HD06-0001", "gps-antenna-open", &[]);
    let p = path.to_str().expect("utf-8");
    let mut c = m.cmd();
    c.args(["report", "upload", p])
        .env("PAWDIAG_HELPDESK_PASSWORD", "wrong-password");
    let out = m.run(c);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("refused the credentials"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("wrong-password"));

    let out = m.upload(&[p, "--queue", "NoSuchQueue"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("no queue named 'NoSuchQueue'"),
        "{}",
        out.stderr
    );

    let out = m.upload(&[p, "--ticket", "999999"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no ticket #999999"), "{}", out.stderr);

    let mut c = m.cmd();
    c.args(["report", "upload", p, "--queue", "Returns"])
        .env("PAWDIAG_HELPDESK_USER", TECH.0)
        .env("PAWDIAG_HELPDESK_PASSWORD", TECH.1);
    let out = m.run(c);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("may not create tickets in the queue 'Returns'"),
        "{}",
        out.stderr
    );

    assert!(!m.dir.path().join("data/pawdiag/helpdesk/outbox").exists());
    assert!(
        rt().tickets_with_file(&format!("{}.json", stem(&path)))
            .is_empty()
    );
}

#[test]
fn a_token_works_and_vv_shows_the_calls_but_no_credentials() {
    let m = Machine::new();
    let path = m.report("PT-HD07-0001", "gps-antenna-open", &[]);
    let mut c = m.cmd();
    c.args(["report", "upload", "-vv"])
        .arg(&path)
        .env_remove("PAWDIAG_HELPDESK_USER")
        .env_remove("PAWDIAG_HELPDESK_PASSWORD")
        .env("PAWDIAG_HELPDESK_TOKEN", &rt().token);
    let out = m.run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("POST /REST/2.0/ticket → 201"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.to_lowercase().contains("authorization"));
}

#[test]
fn batch_upload_sends_every_report_as_it_is_written() {
    let m = Machine::new();
    let customer = rt().new_ticket("General", "Collar returned");
    let manifest = m.dir.path().join("returns.csv");
    std::fs::write(
        &manifest,
        format!(
            "device,flow,ticket\n\
             sim:pettracker?serial=PT-HD08-0001&fault=gps-antenna-open,pettracker/gps-not-working,T-1\n\
             sim:smartcollar?serial=SC-HD08-0002,,{customer}\n\
             sim:healthmonitor?serial=HM-HD08-0003,,\n"
        ),
    )
    .expect("manifest");
    let mut c = m.cmd();
    c.arg("batch")
        .arg(&manifest)
        .arg("--out")
        .arg(m.dir.path().join("out"))
        .arg("--upload");
    let out = m.run(c);
    assert_eq!(out.code, 4, "a fault, all sent: {}", out.stderr);
    let lines = out.json_lines();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        let report = PathBuf::from(l["report"].as_str().expect("report"));
        let want = if l["ticket"] == customer.as_str() {
            "commented"
        } else {
            "created"
        };
        assert_eq!(l["upload"]["status"], want, "{l}");
        let on = rt().tickets_with_file(&format!("{}.json", stem(&report)));
        assert_eq!(on, [l["upload"]["ticket"].as_str().expect("ticket")]);
    }
    assert!(
        out.stderr.contains("Uploads: 3 on the helpdesk."),
        "{}",
        out.stderr
    );
}

#[test]
fn config_show_says_whether_credentials_are_set_not_what_they_are() {
    let m = Machine::new();
    let mut c = m.cmd();
    c.args(["config", "show", "--json"])
        .env("PAWDIAG_HELPDESK_URL", "http://127.0.0.1:1/");
    let o = c.output().expect("runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains(ROOT_PASSWORD), "{text}");
    let v: Value = serde_json::from_str(&text).expect("json");
    let row = |k: &str| {
        v["settings"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["key"] == k).cloned())
            .unwrap_or_else(|| panic!("no {k}: {v}"))
    };
    assert_eq!(row("helpdesk_url")["value"], "http://127.0.0.1:1");
    assert_eq!(row("helpdesk_queue")["value"], "General");
    let creds = row("helpdesk_credentials");
    assert!(
        creds["value"].as_str().expect("text").starts_with("set"),
        "{creds}"
    );
}

#[test]
fn without_a_helpdesk_or_credentials_nothing_is_touched_and_it_says_what_to_set() {
    let m = Machine::new();
    let mut c = m.cmd();
    c.args(["diagnose", "sim:pettracker?serial=PT-HD09-0001"])
        .args(["--non-interactive", "--upload"])
        .env_remove("PAWDIAG_HELPDESK_URL");
    let o = c.output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("No helpdesk is configured") && err.contains("helpdesk_url"),
        "{err}"
    );
    // Said before the device was touched: no report was written.
    assert!(!m.dir.path().join("reports").exists());

    let mut c = m.cmd();
    c.args(["report", "upload", "--pending"])
        .env("PAWDIAG_HELPDESK_URL", "http://127.0.0.1:1")
        .env_remove("PAWDIAG_HELPDESK_PASSWORD");
    let o = c.output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("PAWDIAG_HELPDESK_PASSWORD is not"), "{err}");

    let mut c = m.cmd();
    c.args([
        "report",
        "upload",
        "x.json",
        "--helpdesk",
        "http://root:hunter2@rt.example.com",
    ]);
    let o = c.output().expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("must not contain a user name or password"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

/// The helpdesk's finding(s) in `doctor --json`.
fn doctor_helpdesk(m: &Machine, mut c: assert_cmd::Command) -> Vec<Value> {
    c.args(["doctor", "--json", "--timeout", "0.5"]);
    let out = m.run(c);
    let v: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["check"] == "helpdesk")
        .cloned()
        .collect()
}

#[test]
fn doctor_says_whether_the_helpdesk_answers_and_what_waits_in_the_outbox() {
    let m = Machine::new();
    let found = doctor_helpdesk(&m, m.cmd());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["status"], "ok", "{found:?}");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|s| s.contains("Request Tracker") && s.contains("accepts the credentials")),
        "{found:?}"
    );

    let mut c = m.cmd();
    c.env("PAWDIAG_HELPDESK_PASSWORD", "wrong-password");
    let found = doctor_helpdesk(&m, c);
    assert_eq!(found[0]["status"], "warn", "{found:?}");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|s| s.contains("refused the credentials")),
        "{found:?}"
    );

    // An upload queued while the helpdesk was down is counted.
    let down = format!("http://127.0.0.1:{}", rt::closed_port());
    let path = m.report("PT-HD11-0001", "gps-antenna-open", &[]);
    let mut c = m.cmd();
    c.args([
        "report",
        "upload",
        path.to_str().expect("utf-8"),
        "--helpdesk",
        &down,
    ]);
    assert_eq!(m.run(c).code, 3);
    let mut c = m.cmd();
    c.env("PAWDIAG_HELPDESK_URL", &down);
    let found = doctor_helpdesk(&m, c);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["status"], "warn", "{found:?}");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|s| s.contains("could not be reached")),
        "{found:?}"
    );
    assert_eq!(found[1]["status"], "note", "{found:?}");
    assert!(
        found[1]["message"]
            .as_str()
            .is_some_and(|s| s.starts_with("1 report upload is waiting")),
        "{found:?}"
    );

    // Without a helpdesk, doctor says so and touches nothing.
    let mut c = m.cmd();
    c.env_remove("PAWDIAG_HELPDESK_URL");
    let found = doctor_helpdesk(&m, c);
    assert_eq!(found[0]["status"], "note", "{found:?}");
}
