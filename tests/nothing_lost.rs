//! "Nothing lost", as a user meets it: every ending writes a report (a
//! silent device, a device speaking another protocol, a link that goes),
//! reports never clobber special files, a report that cannot be saved is
//! exit 8, and input that cannot be right (numbers out of range, malformed
//! simulator addresses, files that are not reports, answers files with
//! typos) is refused with exit 2 and one sentence.
#![cfg(unix)] // pseudo-terminals, FIFOs and /dev/null

mod support;

use assert_cmd::Command;
use pawdiag::sim::{PtyServer, SimSpec};
use serde_json::Value;
use std::path::Path;

fn pawdiag(dir: &Path) -> Command {
    support::pawdiag_reports(&dir.join("reports"))
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let out = pawdiag(dir).args(args).output().expect("runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn pty(spec: &str) -> PtyServer {
    PtyServer::start(&SimSpec::from_address(spec).expect("spec"), Some(115_200)).expect("pty")
}

fn report_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON report")
}

fn verifies(dir: &Path, path: &Path) {
    let o = run(dir, &["report", "verify", path.to_str().expect("utf-8")]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
}

// ------------------------------------------------------- every ending

fn unreachable_report(link: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = pty(&format!("pettracker?link={link}"));
    let report = dir.path().join("r.json");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            &format!("serial:{}", server.path().display()),
            "--flow",
            "pettracker/gps-not-working",
            "--non-interactive",
            "--report",
            report.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 3, "{link}: {}", o.stderr);
    assert!(o.stderr.contains("hint:"), "{}", o.stderr);
    verifies(dir.path(), &report);
    report_of(&report)
}

#[test]
fn a_silent_device_gets_a_report_of_what_was_tried() {
    let r = unreachable_report("silent");
    assert_eq!(r["stopped"]["kind"], "unreachable");
    assert_eq!(r["stopped"]["failure"], "silent");
    assert_eq!(r["outcome"]["kind"], "incomplete");
    assert_eq!(r["device"]["model"], "unknown");
    let entries = r["transcript"]["entries"].as_array().expect("transcript");
    let asked = entries
        .iter()
        .filter(|e| {
            e["dir"] == "tx"
                && e["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("device.info"))
        })
        .count();
    assert!(asked >= 2, "the retries are in the transcript: {entries:?}");
    assert!(!entries.iter().any(|e| e["dir"] == "rx"));
}

#[test]
fn a_device_speaking_another_protocol_gets_a_report_of_what_came_back() {
    let r = unreachable_report("garbage");
    assert_eq!(r["stopped"]["kind"], "unreachable");
    assert_eq!(r["stopped"]["failure"], "not-pawcore");
    let entries = r["transcript"]["entries"].as_array().expect("transcript");
    assert!(
        entries.iter().any(|e| e["dir"] == "rx"),
        "what came back is kept"
    );
}

#[test]
fn a_lost_link_is_never_swallowed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("r.json");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:smartcollar?link=vanish",
            "--flow",
            "smartcollar/fit",
            "--non-interactive",
            "--json",
            "--report",
            report.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 3, "{}", o.stderr);
    let r = report_of(&report);
    assert_eq!(r["stopped"]["kind"], "link_lost", "{}", r["stopped"]);
    assert_eq!(r["outcome"]["kind"], "incomplete");
    verifies(dir.path(), &report);
}

// ------------------------------------------------------- reports land safely

#[cfg(unix)]
#[test]
fn report_refuses_special_files_and_follows_symlinks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.json");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf-8")).expect("c string");
    // SAFETY: a valid C string; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let to_fifo = dir.path().join("link-to-pipe.json");
    std::os::unix::fs::symlink(&fifo, &to_fifo).expect("symlink");
    let subdir = dir.path().join("sub.json");
    std::fs::create_dir(&subdir).expect("dir");
    for (target, what) in [
        (&fifo, "named pipe"),
        (&to_fifo, "named pipe"),
        (&subdir, "directory"),
    ] {
        let o = run(
            dir.path(),
            &[
                "diagnose",
                "sim:pettracker",
                "--non-interactive",
                "--report",
                target.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(o.stderr.contains(what), "{}", o.stderr);
        assert_eq!(
            o.stderr.lines().filter(|l| l.starts_with("error:")).count(),
            1
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
    // Nothing was diagnosed: no report went anywhere.
    assert!(!dir.path().join("reports").exists());

    // A symlink to a file: the file is replaced, the link stays.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").expect("write");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:pettracker",
            "--non-interactive",
            "--report",
            link.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    verifies(dir.path(), &real);
}

#[test]
fn an_unknown_report_extension_names_the_three_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("r.pdf");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:pettracker",
            "--non-interactive",
            "--report",
            pdf.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    for f in [".json", ".md", ".html", "--report-format"] {
        assert!(o.stderr.contains(f), "{f}: {}", o.stderr);
    }
    assert!(!pdf.exists());
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:pettracker",
            "--non-interactive",
            "--report",
            pdf.to_str().expect("utf-8"),
            "--report-format",
            "md",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        std::fs::read_to_string(&pdf)
            .expect("written")
            .contains("pawdiag-report")
    );
}

#[test]
fn a_report_that_cannot_be_saved_anywhere_is_exit_8() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A reports directory under a regular file cannot be created, even as root.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "x").expect("write");
    let mut cmd = pawdiag(dir.path());
    cmd.env("PAWDIAG_REPORT_DIR", blocker.join("reports"));
    let out = cmd
        .args(["diagnose", "sim:pettracker", "--non-interactive"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "{stderr}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    // A safety outcome keeps its own code: it matters more.
    let mut cmd = pawdiag(dir.path());
    cmd.env("PAWDIAG_REPORT_DIR", blocker.join("reports"));
    let out = cmd
        .args([
            "diagnose",
            "sim:pettracker?fault=battery-overtemp",
            "--non-interactive",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
}

// ------------------------------------------------------- input refused

#[test]
fn numbers_out_of_range_are_bad_input_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[&[&str]] = &[
        &["info", "serial:/dev/null", "--baud", "0"],
        &["diagnose", "serial:/dev/null", "--baud", "0"],
        &["watch", "serial:/dev/null", "--baud", "0"],
        &["info", "sim:pettracker", "--baud", "5000000"],
        &[
            "diagnose",
            "sim:pettracker",
            "--timeout-ms",
            "18446744073709551615",
        ],
        &["info", "sim:pettracker", "--timeout-ms", "60001"],
        &[
            "diagnose",
            "sim:pettracker",
            "sim:smartcollar",
            "--jobs",
            "0",
        ],
        &["batch", "m.csv", "--jobs", "257"],
        &["batch", "m.csv", "--baud", "0"],
        &["scan", "--timeout", "NaN"],
        &["scan", "--timeout", "-1"],
        &["sim", "serve", "--baud", "0"],
        &["sim", "serve", "--count", "0"],
        &["config", "show", "--timeout-ms", "99999999"],
        &["flows", "test", "--jobs", "0"],
    ];
    for args in cases {
        let o = run(dir.path(), args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(!o.stderr.contains("panicked"), "{args:?}: {}", o.stderr);
    }
    // The environment and the flag agree on the range.
    let mut cmd = pawdiag(dir.path());
    let out = cmd
        .env("PAWDIAG_TIMEOUT_MS", "60001")
        .args(["config", "show"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn malformed_simulator_addresses_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for addr in [
        "sim:pettracker?",
        "sim:pettracker?fault=",
        "sim:pettracker?serial=",
        "sim:pettracker?fw=notaversion",
        "sim:pettracker?fault=gps-indoors,,battery-low",
        "sim:pettracker?serial=a&serial=b",
    ] {
        let o = run(dir.path(), &["info", addr]);
        assert_eq!(o.code, 2, "{addr}: {}", o.stderr);
        assert!(o.stderr.contains("hint:"), "{addr}: {}", o.stderr);
    }
}

#[test]
fn files_that_are_not_reports_are_bad_input_and_altered_ones_are_6() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8]); 5] = [
        ("empty.json", b""),
        ("text.txt", b"hello, this is not a report\n"),
        ("binary.bin", &[0xff, 0xfe, 0x00, 0x12, 0x80]),
        ("array.json", b"[1, 2, 3]"),
        ("hello.json", b"{\"hello\":\"world\"}"),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        for sub in ["verify", "render"] {
            let o = run(dir.path(), &["report", sub, p.to_str().expect("utf-8")]);
            assert_eq!(o.code, 2, "{sub} {name}: {}{}", o.stdout, o.stderr);
        }
    }
    // A real report, then one byte of it changed.
    let report = dir.path().join("r.json");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:pettracker",
            "--non-interactive",
            "--report",
            report.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = std::fs::read_to_string(&report).expect("report");
    std::fs::write(&report, text.replacen("PT-24A0-0001", "PT-24A0-0002", 1)).expect("write");
    let o = run(
        dir.path(),
        &["report", "verify", report.to_str().expect("utf-8")],
    );
    assert_eq!(o.code, 6, "{}", o.stdout);
}

// ------------------------------------------------------- answers files

fn diagnose_with_answers(dir: &Path, name: &str, text: &str, customer: bool) -> Out {
    let answers = dir.join(name);
    std::fs::write(&answers, text).expect("answers");
    let mut cmd = pawdiag(dir);
    if customer {
        cmd.env("PAWDIAG_AUDIENCE", "customer");
    }
    let out = cmd
        .args([
            "diagnose",
            "sim:pettracker?fault=gps-indoors",
            "--flow",
            "pettracker/gps-not-working",
            "--answers",
        ])
        .arg(&answers)
        .output()
        .expect("runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn an_answer_id_no_flow_has_is_refused_with_the_nearest_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = diagnose_with_answers(
        dir.path(),
        "a.toml",
        "\"safety.hazard\" = \"no\"\napp-permisions = \"yes\"\n",
        false,
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("a.toml:2:1:"), "{}", o.stderr);
    assert!(o.stderr.contains("`app-permisions`"), "{}", o.stderr);
    assert!(o.stderr.contains("`app-permissions`"), "{}", o.stderr);
    // Nothing ran, so nothing was reported.
    assert!(!dir.path().join("reports").exists());
}

#[test]
fn an_invalid_answer_names_its_place_and_the_allowed_values_in_every_audience() {
    for customer in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let o = diagnose_with_answers(
            dir.path(),
            "a.json",
            "{\n  \"safety.hazard\": \"no\",\n  \"outdoor\": \"maybe\"\n}\n",
            customer,
        );
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(o.stderr.contains("a.json:3:14:"), "{}", o.stderr);
        assert!(o.stderr.contains("done, failed"), "{}", o.stderr);
    }
}

#[test]
fn duplicate_json_keys_are_refused_as_in_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = diagnose_with_answers(
        dir.path(),
        "a.json",
        "{\"outdoor\": \"done\",\n \"outdoor\": \"failed\"}",
        false,
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("a.json:2:2:") && o.stderr.contains("twice"),
        "{}",
        o.stderr
    );
    let o = diagnose_with_answers(
        dir.path(),
        "a.toml",
        "outdoor = \"done\"\noutdoor = \"failed\"\n",
        false,
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("a.toml:2:"), "{}", o.stderr);
}

#[test]
fn a_missing_answers_file_has_no_made_up_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = run(
        dir.path(),
        &[
            "diagnose",
            "sim:pettracker",
            "--flow",
            "pettracker/gps-not-working",
            "--answers",
            "no-such-answers.toml",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!o.stderr.contains(":0:0"), "{}", o.stderr);
    assert!(o.stderr.contains("no-such-answers.toml: "), "{}", o.stderr);
    assert!(o.stderr.contains("check the path"), "{}", o.stderr);
}

#[test]
fn a_manifest_answer_a_step_does_not_take_is_refused_before_any_device() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = dir.path().join("m.csv");
    std::fs::write(
        &m,
        "device,flow,answer:outdoor\nsim:pettracker,pettracker/gps-not-working,maybe\n",
    )
    .expect("manifest");
    let out = dir.path().join("out");
    let o = run(
        dir.path(),
        &[
            "batch",
            m.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("m.csv:2"), "{}", o.stderr);
    assert!(o.stderr.contains("done, failed"), "{}", o.stderr);
    assert!(o.stdout.is_empty());
}
