//! Product-safety rules (`flows/safety.toml`), which override every flow:
//! rules checked on every fact a session reads, and a hazard question asked
//! at the start of every interactive flow. A match ends the flow at once
//! with a `safety` outcome: flagged red, Tier 3, escalated within the
//! retailer playbook's 30 minutes, every step timestamped.

use super::diag::Diags;
use super::expr::{self, Expr};
use super::finding::Severity;
use super::findings::{Findings, Meaning};
use super::session::{OutcomeKind, OutcomeRecord, Tier};
use crate::interface::Model;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSafety {
    escalate_within_min: u32,
    tier: Spanned<Tier>,
    criterion: Spanned<String>,
    #[serde(default)]
    read_at_start: Vec<Spanned<String>>,
    hazard: RawHazard,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHazard {
    ask: String,
    #[serde(default)]
    help: Option<String>,
    answers: Vec<RawHazardAnswer>,
    code: String,
    summary: String,
    #[serde(default)]
    tech: Option<String>,
    #[serde(default)]
    next_steps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHazardAnswer {
    value: String,
    label: String,
    #[serde(default)]
    hazard: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    when: Spanned<String>,
    code: String,
    summary: String,
    #[serde(default)]
    say: Option<String>,
    #[serde(default)]
    tech: Option<String>,
    #[serde(default)]
    next_steps: Vec<String>,
}

/// One answer to the hazard question.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardAnswer {
    /// Value in answers files (`yes`, `no`).
    pub value: String,
    /// Label shown.
    pub label: String,
    /// This answer means a hazard: end with the safety outcome.
    pub hazard: bool,
}

/// The question asked before every interactive flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    /// The question.
    pub ask: String,
    /// Help text.
    pub help: Option<String>,
    /// The answers.
    pub answers: Vec<HazardAnswer>,
    /// The outcome when a hazard is reported.
    pub outcome: OutcomeRecord,
}

/// One rule on device facts.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyRule {
    /// Rule id (`battery-overheat`).
    pub id: String,
    /// The condition, as written.
    pub when_text: String,
    /// Parsed.
    pub when: Expr,
    /// Span of the `when` string in the file.
    pub token: Range<usize>,
    /// What to tell the person at once (e.g. unplug the charger).
    pub say: Option<String>,
    /// The outcome.
    pub outcome: OutcomeRecord,
}

/// The safety rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Safety {
    /// Facts every session reads first so the rules can see them.
    pub read_at_start: Vec<String>,
    /// The hazard question.
    pub hazard: Hazard,
    /// The rules, checked in order.
    pub rules: Vec<SafetyRule>,
    /// Minutes to escalation (for messages).
    pub escalate_within_min: u32,
    /// The level every safety ending goes to.
    pub tier: Tier,
    /// The playbook criterion that applies to every safety ending.
    pub criterion: String,
    /// Byte offset of `tier` in the file (lint checks it against the
    /// criterion's group in the playbook).
    pub tier_at: usize,
}

/// Key of the hazard question in answers files and session records.
pub const HAZARD_KEY: &str = "safety.hazard";

/// What every safety outcome shares.
struct Common<'a> {
    tier: Tier,
    criterion: &'a str,
    minutes: u32,
}

/// The ending fields of a rule or of the hazard question.
struct Ending {
    code: String,
    summary: String,
    tech: Option<String>,
    next_steps: Vec<String>,
}

fn outcome(node_id: String, e: Ending, c: &Common) -> OutcomeRecord {
    OutcomeRecord {
        node_id,
        kind: OutcomeKind::Safety,
        code: e.code,
        tier: Some(c.tier),
        criterion: Some(c.criterion.to_string()),
        summary: e.summary,
        tech: e.tech,
        next_steps: e.next_steps,
        safety: true,
        escalate_within_min: Some(c.minutes),
        pet_health: false,
    }
}

impl Safety {
    /// Parses `safety.toml`; probe names are checked by lint.
    pub fn parse(text: &str, diags: &mut Diags) -> Option<Safety> {
        let raw: RawSafety = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                diags.error(
                    e.span().map_or(0, |s| s.start),
                    e.message().trim().to_string(),
                );
                return None;
            }
        };
        let minutes = raw.escalate_within_min;
        if minutes == 0 || minutes > 60 {
            diags.error(0, format!("escalate_within_min = {minutes}: safety cases reach the escalation team within 30 minutes"));
        }
        let tier_at = raw.tier.span().start;
        let tier = raw.tier.into_inner();
        let criterion = raw.criterion.into_inner();
        let common = Common {
            tier,
            criterion: &criterion,
            minutes,
        };
        let h = raw.hazard;
        if !h.answers.iter().any(|a| a.hazard) || h.answers.iter().all(|a| a.hazard) {
            diags.error(
                0,
                "the hazard question needs at least one answer with hazard = true and one without",
            );
        }
        let hazard = Hazard {
            ask: h.ask,
            help: h.help,
            answers: h
                .answers
                .into_iter()
                .map(|a| HazardAnswer {
                    value: a.value,
                    label: a.label,
                    hazard: a.hazard,
                })
                .collect(),
            outcome: outcome(
                HAZARD_KEY.into(),
                Ending {
                    code: h.code,
                    summary: h.summary,
                    tech: h.tech,
                    next_steps: h.next_steps,
                },
                &common,
            ),
        };
        let mut rules = Vec::new();
        for r in raw.rules {
            let token = r.when.span();
            let when_text = r.when.into_inner();
            let when = match expr::parse(&when_text) {
                Ok(e) => e,
                Err(e) => {
                    let at = diags.offset_in_string(&token, &when_text, e.span.start);
                    diags.error(at, format!("in `{when_text}`: {}", e.message));
                    continue;
                }
            };
            let id = r.id.into_inner();
            if rules.iter().any(|x: &SafetyRule| x.id == id) {
                diags.error(token.start, format!("duplicate safety rule id `{id}`"));
            }
            rules.push(SafetyRule {
                outcome: outcome(
                    format!("safety:{id}"),
                    Ending {
                        code: r.code,
                        summary: r.summary,
                        tech: r.tech,
                        next_steps: r.next_steps,
                    },
                    &common,
                ),
                id,
                when_text,
                when,
                token,
                say: r.say,
            });
        }
        Some(Safety {
            read_at_start: raw
                .read_at_start
                .into_iter()
                .map(|s| s.into_inner())
                .collect(),
            hazard,
            rules,
            escalate_within_min: minutes,
            tier,
            criterion,
            tier_at,
        })
    }
}

/// Id prefix of the safety rules made from findings (so they are not
/// reported twice).
pub const DERIVED: &str = "finding:";

impl Safety {
    /// Adds `findings.toml`'s safety-class rules and self-test codes as
    /// safety rules, checked after every fact a walk reads like this file's
    /// own (which come first, so their wording wins when both match).
    pub fn add_findings(&mut self, findings: &Findings) {
        let extra = derived(self, findings);
        self.rules.extend(extra);
    }
}

fn derived(safety: &Safety, findings: &Findings) -> Vec<SafetyRule> {
    let ending =
        |id: &str, code: String, summary: String, tech: String, m: &Meaning| OutcomeRecord {
            node_id: format!("safety:{DERIVED}{id}"),
            kind: OutcomeKind::Safety,
            code,
            tier: Some(safety.hazard.outcome.tier.unwrap_or(Tier::Three)),
            criterion: safety.hazard.outcome.criterion.clone(),
            summary,
            tech: Some(tech),
            next_steps: m.next_steps.clone(),
            safety: true,
            escalate_within_min: Some(safety.escalate_within_min),
            pet_health: false,
        };
    let mut out = Vec::new();
    for c in &findings.selftest.codes {
        if c.meaning.severity != Severity::Safety {
            continue;
        }
        for code in &c.codes {
            for component in components_with(code) {
                let when_text = format!("selftest.{component}.code == '{code}'");
                let Ok(when) = expr::parse(&when_text) else {
                    continue;
                };
                let id = format!("{DERIVED}selftest-{}", code.to_ascii_lowercase());
                out.push(SafetyRule {
                    outcome: ending(
                        &id,
                        c.reference
                            .clone()
                            .unwrap_or_else(|| code.replace('_', "-")),
                        c.meaning.summary.clone(),
                        format!("Self-test {component}: {code}"),
                        &c.meaning,
                    ),
                    id,
                    when_text,
                    when,
                    token: 0..0,
                    say: c.say.clone(),
                });
            }
        }
    }
    for r in &findings.rules {
        if r.meaning.severity != Severity::Safety {
            continue;
        }
        let id = format!("{DERIVED}{}", r.id);
        let mut none = |_: &str| expr::Fact::Missing;
        out.push(SafetyRule {
            outcome: ending(
                &id,
                r.code.clone(),
                r.summary.render(&mut none),
                r.when_text.clone(),
                &r.meaning,
            ),
            id,
            when_text: r.when_text.clone(),
            when: r.when.clone(),
            token: r.token.clone(),
            say: r.say.clone(),
        });
    }
    out
}

/// Components whose failure codes include `code` (interface §4 table).
fn components_with(code: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Model::ALL
        .iter()
        .flat_map(|m| m.components().iter().copied())
        .filter(|c| Model::failure_codes(c).contains(&code))
        .collect();
    out.sort();
    out.dedup();
    out
}
