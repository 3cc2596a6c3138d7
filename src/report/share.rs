//! `pawdiag report share`: a copy of a report for someone outside the
//! ticket, with only the personal data the customer consented to let
//! leave. The copy records that consent in its privacy section and carries
//! its own digest, so it verifies like any report.
//!
//! A kind not consented to is made private with the same rules a report is
//! built with ([`super::redact`]); without `contact` the customer's name is
//! withheld too. A kind the report already holds only in private form
//! (the default) cannot be restored by consenting: it leaves as it is.

use super::model::{Report, Shared};
use super::{BuildError, digest, redact};
use crate::privacy::{Kind, Policy, Redactor};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One kind of personal data in a report, and whether it leaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// `location`, `geofences` or `contact`.
    pub kind: String,
    /// What it covers.
    pub about: String,
    /// What the report holds of it in clear ("3 coordinates"); empty when
    /// nothing.
    pub in_clear: String,
    /// The report holds it only in private form already.
    pub already_private: bool,
    /// Consent was given for it to leave.
    pub consented: bool,
    /// What the shared copy holds, in words.
    pub leaves: String,
}

fn how_private(kind: Kind) -> &'static str {
    match kind {
        Kind::Location => "rounded to about 1 km",
        Kind::Geofences => "hidden",
        Kind::Contact => "masked, the customer's name withheld",
    }
}

/// What the report holds of each kind, and what the copy will hold.
pub fn preview(report: &Report, include: &[Kind]) -> Vec<Preview> {
    let mut probe = report.clone();
    let mut red = Redactor::new(Policy::sharing(&[]));
    redact::apply(&mut probe, &mut red);
    Kind::ALL
        .into_iter()
        .map(|kind| {
            let in_clear = red.found(kind);
            let consented = include.contains(&kind);
            let already_private = in_clear.is_empty()
                && report
                    .privacy
                    .redactions
                    .iter()
                    .any(|r| crate::privacy::kind_of(&r.what) == Some(kind));
            let leaves = match (in_clear.is_empty(), consented) {
                (true, _) if already_private => {
                    format!("only as the report has it: {}", how_private(kind))
                }
                (true, _) => "nothing (none in the report)".to_string(),
                (false, true) => format!("as it is: {in_clear}"),
                (false, false) => format!("no: {}", how_private(kind)),
            };
            Preview {
                kind: kind.id().into(),
                about: kind.describe().into(),
                in_clear,
                already_private,
                consented,
                leaves,
            }
        })
        .collect()
}

/// The shared copy: redacted as consented, the consent recorded, sealed.
pub fn share(report: &Report, include: &[Kind], now: DateTime<Utc>) -> Result<Report, BuildError> {
    let mut copy = report.clone();
    let policy = Policy::sharing(include);
    let mut red = Redactor::new(policy);
    redact::apply(&mut copy, &mut red);
    redact::merge_counts(&mut copy.privacy.redactions, &red);
    copy.privacy.personal_data_included =
        report.privacy.personal_data_included && policy.keeps_everything();
    let (included, withheld): (Vec<Kind>, Vec<Kind>) =
        Kind::ALL.into_iter().partition(|k| include.contains(k));
    copy.privacy.shared = Some(Shared {
        at: now,
        included: included.iter().map(|k| k.id().to_string()).collect(),
        withheld: withheld.iter().map(|k| k.id().to_string()).collect(),
        from_report: report.report_id.clone(),
        from_digest: report.digest.value.clone(),
    });
    digest::seal(&mut copy)?;
    Ok(copy)
}
