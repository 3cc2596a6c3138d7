//! What is personal, and how it is kept private: the one place that knows.
//! Reports, transcripts, the flow engine's session records, `info`, `watch`
//! and `report share` all go through it.
//!
//! Personal data comes in three kinds ([`Kind`]):
//!
//! - **location**: the pet's position. Numbers under the keys `lat`, `lon`,
//!   `lng`, `long`, `latitude`, `longitude` at any depth of device data
//!   (`gps.status`, the `gps.fix` event, geofences), facts whose name ends
//!   in one of those words, and, in free text, decimal numbers with 3 or
//!   more decimals that could be a coordinate. Kept private by rounding to
//!   2 decimals (about 1 km).
//! - **geofences**: the names the owner gave places ("Home"). Kept private
//!   by replacing them with `(hidden)`.
//! - **contact**: e-mail addresses and phone numbers, in the customer's
//!   fields and anywhere in free text (customer name, notes, answers, device
//!   strings and log messages, transcripts). Kept private by masking
//!   (`j***@example.com`, `+44 ••• ••• 89`). When a report is *shared*
//!   without contact details, the customer's name is withheld too.
//!
//! A [`Policy`] says which kinds are kept as they are; a [`Redactor`]
//! applies it and counts what it changed, so a report can say so. Every
//! rule is idempotent: redacting redacted data changes nothing.

mod policy;
pub mod text;
mod value;

pub use policy::{Kind, Policy};
pub use text::{coarsen, mask_email, mask_phone};
pub use value::{is_location_key, record_value};

/// What a geofence name (or a withheld customer name) is replaced with.
pub const HIDDEN: &str = "(hidden)";

/// One kind of change a redactor made, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    /// What was changed, e.g. "e-mail addresses".
    pub what: &'static str,
    /// How.
    pub how: &'static str,
    /// How many values.
    pub count: u32,
}

/// Every kind of change a redactor counts: what, how, and the kind of
/// personal data it protects (`None`: not personal data itself).
const CHANGES: [(&str, &str, Option<Kind>); 7] = [
    (
        "GPS coordinates (gps.status, gps.fix, geofences)",
        "rounded to 2 decimals (about 1 km)",
        Some(Kind::Location),
    ),
    ("geofence names", "hidden", Some(Kind::Geofences)),
    (
        "e-mail addresses",
        "masked to the first letter and the domain",
        Some(Kind::Contact),
    ),
    (
        "phone numbers",
        "masked to the country code and the last 2 digits",
        Some(Kind::Contact),
    ),
    (
        "numbers in free text that could be coordinates",
        "rounded to 2 decimals",
        Some(Kind::Location),
    ),
    ("the customer's name", "withheld", Some(Kind::Contact)),
    (
        "protocol transcript lines",
        "personal data removed inside the JSON; their CRC no longer matches",
        None,
    ),
];

/// The kind of personal data a listed redaction (a report's
/// `privacy.redactions[].what`) protects.
pub fn kind_of(what: &str) -> Option<Kind> {
    CHANGES
        .iter()
        .find(|(w, _, _)| *w == what)
        .and_then(|(_, _, k)| *k)
}

/// Applies a [`Policy`] and counts what it changed.
#[derive(Debug, Clone)]
pub struct Redactor {
    policy: Policy,
    pub(crate) coords: u32,
    pub(crate) geofence_names: u32,
    pub(crate) emails: u32,
    pub(crate) phones: u32,
    pub(crate) text_numbers: u32,
    pub(crate) names: u32,
    pub(crate) lines: u32,
}

impl Redactor {
    /// A redactor for `policy`.
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            coords: 0,
            geofence_names: 0,
            emails: 0,
            phones: 0,
            text_numbers: 0,
            names: 0,
            lines: 0,
        }
    }

    /// The policy it applies.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// What was changed, one entry per kind of change that happened.
    pub fn summary(&self) -> Vec<Count> {
        let counts = [
            self.coords,
            self.geofence_names,
            self.emails,
            self.phones,
            self.text_numbers,
            self.names,
            self.lines,
        ];
        CHANGES
            .iter()
            .zip(counts)
            .filter(|(_, count)| *count > 0)
            .map(|((what, how, _), count)| Count { what, how, count })
            .collect()
    }

    /// How many values of a kind it changed.
    pub fn count(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Location => self.coords + self.text_numbers,
            Kind::Geofences => self.geofence_names,
            Kind::Contact => self.emails + self.phones + self.names,
        }
    }

    /// What it changed of a kind, in words ("2 e-mail addresses, the
    /// customer's name"); empty when nothing.
    pub fn found(&self, kind: Kind) -> String {
        let n = |count: u32, one: &str, many: &str| match count {
            0 => None,
            1 => Some(format!("1 {one}")),
            c => Some(format!("{c} {many}")),
        };
        let parts: Vec<String> = match kind {
            Kind::Location => vec![n(
                self.coords + self.text_numbers,
                "coordinate",
                "coordinates",
            )],
            Kind::Geofences => vec![n(self.geofence_names, "geofence name", "geofence names")],
            Kind::Contact => vec![
                (self.names > 0).then(|| "the customer's name".to_string()),
                n(self.emails, "e-mail address", "e-mail addresses"),
                n(self.phones, "phone number", "phone numbers"),
            ],
        }
        .into_iter()
        .flatten()
        .collect();
        parts.join(", ")
    }

    /// Free text from a person or a device: e-mail addresses and phone
    /// numbers masked, coordinate-like numbers rounded, as the policy says.
    pub fn text(&mut self, s: &str) -> String {
        let mut out = self.embedded_json(s);
        if !self.policy.location {
            let (t, n) = text::coarsen_numbers(&out);
            self.text_numbers += n;
            out = t;
        }
        if !self.policy.contact {
            let (t, n) = text::mask_emails(&out);
            self.emails += n;
            let (t, n) = text::mask_phones(&t);
            self.phones += n;
            out = t;
        }
        out
    }

    /// Optional free text.
    pub fn opt_text(&mut self, s: Option<&str>) -> Option<String> {
        s.map(|s| self.text(s))
    }

    /// A field that holds an e-mail address (the customer's).
    pub fn email(&mut self, s: &str) -> String {
        if self.policy.contact {
            return s.to_string();
        }
        let masked = if s.contains("***@") || s == "***" {
            s.to_string()
        } else {
            mask_email(s.trim())
        };
        if masked != s {
            self.emails += 1;
        }
        masked
    }

    /// A field that holds a phone number (the customer's).
    pub fn phone(&mut self, s: &str) -> String {
        if self.policy.contact {
            return s.to_string();
        }
        let masked = if s.contains('•') {
            s.to_string()
        } else {
            mask_phone(s.trim())
        };
        if masked != s {
            self.phones += 1;
        }
        masked
    }

    /// The customer's name: withheld when the policy does not keep it,
    /// otherwise free text (contact details inside it masked).
    pub fn customer_name(&mut self, s: &str) -> String {
        if !self.policy.customer_name {
            if s != HIDDEN {
                self.names += 1;
            }
            return HIDDEN.into();
        }
        self.text(s)
    }
}

/// Makes device data private in place with the default policy (what
/// `info` and `watch` show without `--include-personal-data`).
pub fn redact_value(v: &mut serde_json::Value) {
    Redactor::new(Policy::private()).value(v, None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_loses_emails_phones_and_fine_coordinates() {
        let mut r = Redactor::new(Policy::private());
        let t = r.text(
            "Call +44 7700 900089 or mail Jane.Doe+pets@mail.example.org. Dog was at 52.52001, 13.40495 on 2026-11-20; fw 2.4.1, 3.9 V",
        );
        assert!(!t.contains("7700"), "{t}");
        assert!(!t.contains("Jane.Doe"), "{t}");
        assert!(t.contains("J***@mail.example.org."), "{t}");
        assert!(t.contains("52.52, 13.40"), "{t}");
        assert!(
            t.contains("2026-11-20") && t.contains("2.4.1") && t.contains("3.9 V"),
            "{t}"
        );
        assert_eq!(r.summary().len(), 3);
    }

    #[test]
    fn include_everything_changes_nothing() {
        let mut r = Redactor::new(Policy::everything());
        let s = "jane@example.com 52.52001";
        assert_eq!(r.text(s), s);
        assert_eq!(r.email(s), s);
        assert_eq!(
            r.customer_name("Ana <ana@example.com>"),
            "Ana <ana@example.com>"
        );
        assert!(r.summary().is_empty());
    }

    #[test]
    fn sharing_policies_follow_the_kinds_given() {
        let p = Policy::sharing(&[Kind::Location]);
        assert!(p.keeps(Kind::Location) && !p.keeps(Kind::Geofences) && !p.keeps(Kind::Contact));
        assert!(!p.customer_name);
        let mut r = Redactor::new(p);
        assert_eq!(r.customer_name("Ana Example"), HIDDEN);
        assert_eq!(r.text("at 52.52001"), "at 52.52001");
        assert_eq!(Kind::parse(" Geofences"), Some(Kind::Geofences));
        assert_eq!(Kind::parse("address"), None);
    }

    #[test]
    fn the_customers_contact_fields_are_masked_once() {
        let mut r = Redactor::new(Policy::private());
        let e = r.email("ana@example.com");
        assert_eq!(e, "a***@example.com");
        assert_eq!(r.email(&e), e);
        let p = r.phone("+44 7700 900089");
        assert_eq!(r.phone(&p), p);
        assert_eq!(r.summary().iter().map(|c| c.count).sum::<u32>(), 2);
        assert_eq!(
            r.customer_name("Ana Example <ana@example.com>"),
            "Ana Example <a***@example.com>"
        );
    }
}
