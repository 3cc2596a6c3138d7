//! The record of a finding: something wrong the device reported or a check
//! found (a failed self-test, an error in the device log, a reading out of
//! range, a product-safety rule, a sweep check), with its evidence, its
//! severity and what it means for the verdict. The rules that make them are
//! in [`super::findings`]; how they shape a session's outcome is
//! [`super::verdict`].

use super::session::{OutcomeKind, OutcomeRecord, Tier};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// How serious a finding is. Ordered mildest first, so `max` is the most
/// serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; never changes a verdict.
    Info,
    /// The customer can put it right.
    CustomerAction,
    /// A higher tier looks at it.
    Escalate,
    /// A device defect: replace the unit.
    Replace,
    /// A possible health problem for the pet (not a device fault).
    PetHealth,
    /// Product safety: flagged red, escalated at once.
    Safety,
}

impl Severity {
    /// Every class, most serious first.
    pub const ALL: [Severity; 6] = [
        Severity::Safety,
        Severity::PetHealth,
        Severity::Replace,
        Severity::Escalate,
        Severity::CustomerAction,
        Severity::Info,
    ];

    /// The name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::CustomerAction => "customer-action",
            Severity::Escalate => "escalate",
            Severity::Replace => "replace",
            Severity::PetHealth => "pet-health",
            Severity::Safety => "safety",
        }
    }

    /// Parses the name used in files.
    pub fn parse(s: &str) -> Option<Severity> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Words for a technician.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::CustomerAction => "Customer action",
            Severity::Escalate => "Escalate",
            Severity::Replace => "Replace",
            Severity::PetHealth => "PET HEALTH",
            Severity::Safety => "SAFETY",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A self-test component reported `fail`.
    SelfTest,
    /// Entries of the device log.
    DeviceLog,
    /// A rule of `findings.toml` over the readings.
    Rule,
    /// A product-safety rule (`safety.toml`).
    SafetyRule,
    /// A check of a flow whose rule matched during the bench sweep.
    FlowCheck,
    /// A method the device answered with a hardware fault (-32020 and its
    /// code) instead of a result.
    HardwareFault,
}

/// One piece of evidence: a reading, as the device gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Probe name (`sensors.temp_c`), or a self-test or log item
    /// (`selftest.flash.detail`, `log.FLASH_ECC`).
    pub name: String,
    /// The value (`null` when the device gave none).
    pub value: Value,
    /// Its unit, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The device method it came from (`sensors.status`, `log.read`…).
    pub from: String,
    /// When it was read, when known.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// Something wrong the device reported or a check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: `selftest:flash`, `log:FLASH_ECC`, `rule:temperature-high`,
    /// `safety:battery-overheat`, `<flow id>#<node>`.
    pub id: String,
    /// How serious.
    pub severity: Severity,
    /// Where it came from.
    pub source: Source,
    /// Reference code (becomes the outcome's code when this finding decides
    /// the verdict).
    pub code: String,
    /// One line for a technician, with the values.
    pub title: String,
    /// What it means, in the customer's words.
    pub summary: String,
    /// The tier that takes it (from the playbook criterion).
    #[serde(default)]
    pub tier: Option<Tier>,
    /// The playbook escalation criterion.
    #[serde(default)]
    pub criterion: Option<String>,
    /// What to do about it.
    #[serde(default)]
    pub next_steps: Vec<String>,
    /// The readings behind it.
    pub evidence: Vec<Evidence>,
    /// The self-test component it concerns, when it concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// A sweep check's own ending (the flow's wording), used when this
    /// finding decides the verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeRecord>,
    /// The walked flow's check whose matched rule looked at this finding's
    /// readings (`None`: the flow did not ask about it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressed_by: Option<String>,
}

/// How serious an ending is: safety > pet health > Tier 3 (replace,
/// escalation to Tier 3) > Tier 2 > Management > customer action > resolved
/// or nothing found. Used to order findings and to compare them with a
/// flow's outcome.
pub fn rank(severity: Severity, tier: Option<Tier>) -> u8 {
    match severity {
        Severity::Safety => 70,
        Severity::PetHealth => 60,
        // A device defect is a Tier 3 matter (playbook: "Product defects or
        // design problems"), whatever tier an older flow gave it.
        Severity::Replace => 52,
        Severity::Escalate => match tier {
            Some(Tier::Three) => 51,
            Some(Tier::Management) => 30,
            _ => 40,
        },
        Severity::CustomerAction => 20,
        Severity::Info => 0,
    }
}

/// The severity an outcome stands for (`None`: resolved, nothing found or
/// incomplete).
pub fn outcome_severity(o: &OutcomeRecord) -> Option<Severity> {
    if o.safety {
        return Some(Severity::Safety);
    }
    if o.pet_health {
        return Some(Severity::PetHealth);
    }
    match o.kind {
        OutcomeKind::Safety => Some(Severity::Safety),
        OutcomeKind::Replace => Some(Severity::Replace),
        OutcomeKind::Escalate => Some(Severity::Escalate),
        OutcomeKind::CustomerAction => Some(Severity::CustomerAction),
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound | OutcomeKind::Incomplete => None,
    }
}

/// [`rank`] of an outcome; resolved and nothing found rank lowest.
pub fn outcome_rank(o: &OutcomeRecord) -> u8 {
    outcome_severity(o).map_or(0, |s| rank(s, o.tier))
}

impl Finding {
    /// Its place in the ordering (higher is more serious).
    pub fn rank(&self) -> u8 {
        rank(self.severity, self.tier)
    }

    /// The ending this finding gives a session when it decides the verdict.
    pub fn to_outcome(&self, escalate_within_min: u32) -> OutcomeRecord {
        if let Some(o) = &self.outcome {
            return o.clone();
        }
        let kind = match self.severity {
            Severity::Safety => OutcomeKind::Safety,
            Severity::Replace => OutcomeKind::Replace,
            Severity::Escalate => OutcomeKind::Escalate,
            Severity::PetHealth | Severity::CustomerAction => OutcomeKind::CustomerAction,
            Severity::Info => OutcomeKind::NoFaultFound,
        };
        let safety = self.severity == Severity::Safety;
        OutcomeRecord {
            node_id: format!("finding:{}", self.id),
            kind,
            code: self.code.clone(),
            tier: self.tier,
            criterion: self.criterion.clone(),
            summary: self.summary.clone(),
            tech: Some(self.title.clone()),
            next_steps: self.next_steps.clone(),
            safety,
            escalate_within_min: safety.then_some(escalate_within_min),
            pet_health: self.severity == Severity::PetHealth,
        }
    }
}

/// Orders findings most serious first (stable: equal ones keep their order).
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by_key(|f| std::cmp::Reverse(f.rank()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_safety_pet_health_tier3_tier2_management_customer_info() {
        let order = [
            rank(Severity::Safety, Some(Tier::Three)),
            rank(Severity::PetHealth, Some(Tier::One)),
            rank(Severity::Replace, Some(Tier::Two)),
            rank(Severity::Escalate, Some(Tier::Three)),
            rank(Severity::Escalate, Some(Tier::Two)),
            rank(Severity::Escalate, Some(Tier::Management)),
            rank(Severity::CustomerAction, Some(Tier::One)),
            rank(Severity::Info, None),
        ];
        assert!(order.windows(2).all(|w| w[0] > w[1]), "{order:?}");
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
    }
}
