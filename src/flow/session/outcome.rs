//! How a walk ended: the outcome record, its kind and the support tier.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a flow ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRecord {
    /// The outcome node (or `safety:<rule>` / `safety.hazard`).
    pub node_id: String,
    /// What kind of ending.
    pub kind: OutcomeKind,
    /// Stable reference code a customer reads out to support.
    pub code: String,
    /// Support tier that takes it from here.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// The playbook escalation criterion that applies.
    #[serde(default)]
    pub criterion: Option<String>,
    /// What happened, in the customer's words.
    pub summary: String,
    /// The technician's detail.
    #[serde(default)]
    pub tech: Option<String>,
    /// What happens next.
    #[serde(default)]
    pub next_steps: Vec<String>,
    /// A product-safety ending: flagged red, escalated at once.
    #[serde(default)]
    pub safety: bool,
    /// Minutes within which a safety case must reach the escalation team
    /// (the retailer playbook's 30 minutes).
    #[serde(default)]
    pub escalate_within_min: Option<u32>,
    /// A possible health problem for the pet (not a device fault): the
    /// owner contacts their vet promptly; flagged as possible harm to a pet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pet_health: bool,
}

/// The kinds of ending a flow can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    /// The problem is fixed.
    Resolved,
    /// The customer has something to do (charge, change a setting in the app…).
    CustomerAction,
    /// A support tier takes over.
    Escalate,
    /// The unit is to be replaced.
    Replace,
    /// A product-safety case.
    Safety,
    /// Nothing wrong found.
    NoFaultFound,
    /// The walk stopped for want of an answer or a person (never written in
    /// a flow file: the engine's ending when nobody can answer).
    Incomplete,
}

impl OutcomeKind {
    /// All kinds a flow file's outcome node may have.
    pub const ALL: [OutcomeKind; 6] = [
        OutcomeKind::Resolved,
        OutcomeKind::CustomerAction,
        OutcomeKind::Escalate,
        OutcomeKind::Replace,
        OutcomeKind::Safety,
        OutcomeKind::NoFaultFound,
    ];

    /// Words for a person.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Resolved => "Resolved",
            OutcomeKind::CustomerAction => "Customer action needed",
            OutcomeKind::Escalate => "Escalate",
            OutcomeKind::Replace => "Replace device",
            OutcomeKind::Safety => "SAFETY: escalate now",
            OutcomeKind::NoFaultFound => "No fault found",
            OutcomeKind::Incomplete => "Incomplete",
        }
    }

    /// The name used in flow files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Resolved => "resolved",
            OutcomeKind::CustomerAction => "customer-action",
            OutcomeKind::Escalate => "escalate",
            OutcomeKind::Replace => "replace",
            OutcomeKind::Safety => "safety",
            OutcomeKind::NoFaultFound => "no-fault-found",
            OutcomeKind::Incomplete => "incomplete",
        }
    }

    /// Parses the name used in flow files.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Parses any kind a session can end with (scenario expectations),
    /// `incomplete` included.
    pub fn parse_any(s: &str) -> Option<Self> {
        Self::parse(s).or((s == "incomplete").then_some(OutcomeKind::Incomplete))
    }

    /// Whether this ending means a fault remains (exit code 4), as opposed
    /// to resolved or nothing found (0) or safety (5).
    pub fn is_fault(self) -> bool {
        matches!(
            self,
            OutcomeKind::CustomerAction | OutcomeKind::Escalate | OutcomeKind::Replace
        )
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A support tier (PawCore playbook, "Support Levels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Initial contact and basic troubleshooting.
    One,
    /// Advanced technical support.
    Two,
    /// Engineering.
    Three,
    /// Management escalation.
    Management,
}

impl Tier {
    /// Parses `1`, `2`, `3` or `management`.
    pub fn parse(s: &str) -> Option<Tier> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" => Some(Tier::One),
            "2" => Some(Tier::Two),
            "3" => Some(Tier::Three),
            "management" => Some(Tier::Management),
            _ => None,
        }
    }

    /// The number, or `None` for management.
    pub fn number(self) -> Option<u8> {
        match self {
            Tier::One => Some(1),
            Tier::Two => Some(2),
            Tier::Three => Some(3),
            Tier::Management => None,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number() {
            Some(n) => write!(f, "Tier {n}"),
            None => f.write_str("Management"),
        }
    }
}

// Written as in flow files: 1, 2, 3 or "management".
impl Serialize for Tier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.number() {
            Some(n) => s.serialize_u8(n),
            None => s.serialize_str("management"),
        }
    }
}

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Tier;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("1, 2, 3 or \"management\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tier, E> {
                Tier::parse(&v.to_string())
                    .ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tier, E> {
                Tier::parse(&v.to_string())
                    .ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tier, E> {
                Tier::parse(v).ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
        }
        d.deserialize_any(V)
    }
}
