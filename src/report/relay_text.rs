//! The lines Markdown and HTML show about a report's place in a relay: the
//! recording or report it was replayed from, the report it continues and
//! what changed on the device since, and the consent a shared copy was
//! made with. Plain text; each renderer escapes it.

use super::model::{Privacy, Report};
use super::when;

/// `(label, text)` pairs for the session section.
pub(crate) fn session_lines(r: &Report) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(rp) = &r.session.replay {
        let mut t = match &rp.report_id {
            Some(id) => format!("report {id}"),
            None => "a recording (--record)".to_string(),
        };
        if rp.redacted {
            t.push_str(" (its personal data was redacted and was replayed as redacted)");
        }
        if !rp.not_in_recording.is_empty() {
            t.push_str(&format!(
                "; not in the recording, so not checked: {}",
                rp.not_in_recording.join(", ")
            ));
        }
        out.push(("Replayed from", t));
    }
    if let Some(c) = &r.continues {
        out.push((
            "Continues",
            format!(
                "report {} ({} {}, ended {}); {} repl{} reused, not asked again",
                c.report_id,
                c.kind.as_str(),
                c.code,
                when(&c.ended_at),
                c.reused.len(),
                if c.reused.len() == 1 { "y" } else { "ies" }
            ),
        ));
        let changed = if c.changes.is_empty() {
            "nothing that both sessions read".to_string()
        } else {
            c.changes
                .iter()
                .map(|x| format!("{}: {} → {}", x.name, x.old_text(), x.new_text()))
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push(("Changed on the device since", changed));
    }
    out
}

/// The privacy sentence.
pub(crate) fn privacy_text(p: &Privacy) -> String {
    let mut t = if p.personal_data_included {
        "Personal data is INCLUDED (built with --include-personal-data): handle under GDPR/CCPA."
            .to_string()
    } else {
        "Personal data was redacted: GPS positions coarsened to about 1 km, geofence names removed, contact details masked."
            .to_string()
    };
    if let Some(s) = &p.shared {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        t = format!(
            "Shared copy of report {} made {}. With the customer's consent, these leave as they were: {}. Kept back: {}. {}",
            s.from_report,
            when(&s.at),
            list(&s.included),
            list(&s.withheld),
            if p.personal_data_included {
                "Personal data is INCLUDED: handle under GDPR/CCPA."
            } else {
                "What was kept back is coarsened, hidden or masked."
            }
        );
    }
    t
}
