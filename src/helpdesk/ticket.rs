//! What a ticket (or a comment) carries for one report: a subject that a
//! queue view can be sorted by, the escalation documentation as the body,
//! a priority from the verdict, and the JSON and HTML reports attached.
//! Everything is built from the report as saved, so it is exactly as
//! redacted as the report itself.

use crate::report::escape::one_line;
use crate::report::model::{OutcomeKind, Report, Tier};
use crate::report::{self, Format};

/// RT keeps at most 200 characters of a subject.
const MAX_SUBJECT: usize = 200;

/// A file attached to a ticket.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name, e.g. `pawdiag-PT-24A0-0001-20261120T155841Z.json`.
    pub file_name: String,
    /// MIME type.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Attachment({}, {} bytes)",
            self.file_name,
            self.bytes.len()
        )
    }
}

/// A ticket, or a comment on one, for one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    /// The report's id (`DiagnosticId`).
    pub report_id: String,
    /// `[CODE] Product SERIAL: summary`.
    pub subject: String,
    /// The escalation documentation as plain text.
    pub body: String,
    /// 0–100, higher is more urgent ([`priority`]).
    pub priority: u8,
    /// The JSON report, then the HTML report.
    pub attachments: Vec<Attachment>,
}

impl NewTicket {
    /// Builds the ticket for `report`. `json` is the JSON report's bytes as
    /// they were read and verified, when the report was read from a JSON
    /// file; otherwise the JSON is rendered from the report (the same bytes
    /// pawdiag writes).
    pub fn for_report(r: &Report, json: Option<Vec<u8>>) -> NewTicket {
        let stem = file_stem(&r.report_id);
        let json = json.unwrap_or_else(|| report::render(r, Format::Json).into_bytes());
        let html = report::render(r, Format::Html).into_bytes();
        let attachments = vec![
            Attachment {
                file_name: format!("{stem}.json"),
                content_type: "application/json".into(),
                bytes: json,
            },
            Attachment {
                file_name: format!("{stem}.html"),
                content_type: "text/html".into(),
                bytes: html,
            },
        ];
        let mut body = report::text::escalation(r);
        body.push_str(&format!(
            "\nAttached: {stem}.json (the report; `pawdiag report verify` checks it was not altered) and {stem}.html (the same report to read or print).\n"
        ));
        NewTicket {
            report_id: r.report_id.clone(),
            subject: subject(r),
            body,
            priority: priority(r),
            attachments,
        }
    }
}

/// `[CODE] Product SERIAL: summary`, one line, at most 200 characters.
pub fn subject(r: &Report) -> String {
    let d = &r.device;
    let product = d.product.as_deref().unwrap_or(&d.model);
    let s = one_line(&format!(
        "[{}] {} {}: {}",
        r.outcome.code, product, d.serial, r.outcome.summary
    ));
    if s.chars().count() <= MAX_SUBJECT {
        return s;
    }
    let mut cut: String = s.chars().take(MAX_SUBJECT - 1).collect();
    cut.push('…');
    cut
}

/// The ticket priority (0–100) from the verdict: product safety first (95),
/// then Tier 3 (70), Tier 2 (50), Management (40), customer actions and
/// other Tier 1 outcomes (20); nothing left to do (resolved, no fault
/// found) is 0.
pub fn priority(r: &Report) -> u8 {
    if r.outcome.safety || r.outcome.kind == OutcomeKind::Safety {
        return 95;
    }
    if matches!(
        r.outcome.kind,
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound
    ) {
        return 0;
    }
    match r.outcome.tier {
        Tier::Three => 70,
        Tier::Two => 50,
        Tier::Management => 40,
        Tier::One => 20,
    }
}

/// `pawdiag-<report id>`, with anything but letters, digits, `.`, `-` and
/// `_` replaced (the id holds a device's serial: untrusted), at most 100
/// characters. The same report always gets the same name, which is how an
/// upload is found again.
pub fn file_stem(report_id: &str) -> String {
    let id: String = report_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(92)
        .collect();
    format!("pawdiag-{}", if id.is_empty() { "report" } else { &id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        super::super::sample_report()
    }

    #[test]
    fn subject_is_code_product_serial_summary_on_one_bounded_line() {
        let mut r = report();
        r.outcome.code = "PT-GPS-ANTENNA".into();
        r.device.product = Some("PetTracker".into());
        r.device.serial = "PT-24A0-0001".into();
        r.outcome.summary = "The GPS antenna\nis broken.".into();
        assert_eq!(
            subject(&r),
            "[PT-GPS-ANTENNA] PetTracker PT-24A0-0001: The GPS antenna is broken."
        );
        r.outcome.summary = "x".repeat(400);
        assert_eq!(subject(&r).chars().count(), MAX_SUBJECT);
        r.device.serial = "\x1b[31mRED".into();
        assert!(!subject(&r).contains('\x1b'));
    }

    #[test]
    fn priority_follows_the_verdict() {
        let mut r = report();
        let mut p = |kind, tier, safety| {
            r.outcome.kind = kind;
            r.outcome.tier = tier;
            r.outcome.safety = safety;
            priority(&r)
        };
        let safety = p(OutcomeKind::Safety, Tier::Two, true);
        let tier3 = p(OutcomeKind::Escalate, Tier::Three, false);
        let tier2 = p(OutcomeKind::Escalate, Tier::Two, false);
        let management = p(OutcomeKind::Escalate, Tier::Management, false);
        let customer = p(OutcomeKind::CustomerAction, Tier::One, false);
        let resolved = p(OutcomeKind::Resolved, Tier::One, false);
        assert!(safety >= 90);
        assert!(safety > tier3 && tier3 > tier2 && tier2 > management);
        assert!(management > customer && customer > resolved);
        // A safety flag wins whatever the kind says.
        assert_eq!(p(OutcomeKind::Incomplete, Tier::One, true), safety);
    }

    #[test]
    fn attachments_are_the_json_and_html_reports_and_verify() {
        let r = report();
        let t = NewTicket::for_report(&r, None);
        assert_eq!(t.attachments.len(), 2);
        assert!(t.attachments[0].file_name.ends_with(".json"));
        assert!(t.attachments[1].file_name.ends_with(".html"));
        for a in &t.attachments {
            assert!(a.file_name.starts_with("pawdiag-"));
            assert!(
                crate::report::verify(&a.bytes).is_intact(),
                "{}",
                a.file_name
            );
        }
        assert!(t.body.contains("ESCALATION DOCUMENTATION"), "{}", t.body);
        assert!(t.body.contains(&t.attachments[0].file_name));
        // Given bytes are attached as they are.
        let t = NewTicket::for_report(&r, Some(b"{}".to_vec()));
        assert_eq!(t.attachments[0].bytes, b"{}");
    }

    #[test]
    fn file_stems_are_safe_and_stable() {
        assert_eq!(
            file_stem("PT-24A0-0001-20261120T155841Z"),
            "pawdiag-PT-24A0-0001-20261120T155841Z"
        );
        assert_eq!(file_stem("../'x' OR 1=1"), "pawdiag-..__x__OR_1_1");
        assert_eq!(file_stem(""), "pawdiag-report");
        assert!(file_stem(&"a".repeat(500)).len() <= 100);
    }
}
