//! The finding rules (`flows/findings.toml`), as data like the safety rules:
//! what a failed self-test means by its failure code, which device log
//! entries count, and rules over the readings (vital signs, faults a status
//! reports). Parsed and linted with the rest of a flows set; overridable with
//! `--flows DIR`. Evaluation is [`super::findings_eval`].
//!
//! Safety-class rules and self-test codes act like `safety.toml`'s rules as
//! well ([`Safety::add_findings`](super::safety::Safety::add_findings)): a walk stops at once on them, so no flow
//! can tell a customer to charge a unit whose charging circuit is faulty.

use super::diag::Diags;
use super::expr::{self, Expr, Template};
use super::finding::Severity;
use super::playbook::Playbook;
use super::safety::Safety;
use super::session::Tier;
use crate::interface::Model;
use crate::probe::catalogue;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFindings {
    selftest: RawSelftest,
    log: RawLog,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSelftest {
    severity: Spanned<String>,
    #[serde(default)]
    criterion: Option<Spanned<String>>,
    summary: String,
    #[serde(default)]
    next_steps: Vec<String>,
    #[serde(default)]
    parts: BTreeMap<String, String>,
    #[serde(default)]
    codes: Vec<RawCode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCode {
    codes: Vec<String>,
    severity: Spanned<String>,
    #[serde(default)]
    criterion: Option<Spanned<String>>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    say: Option<String>,
    summary: String,
    #[serde(default)]
    next_steps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    severity: Spanned<String>,
    #[serde(default)]
    criterion: Option<Spanned<String>>,
    summary: String,
    #[serde(default)]
    next_steps: Vec<String>,
    #[serde(default)]
    warn_codes: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    severity: Spanned<String>,
    when: Spanned<String>,
    code: Spanned<String>,
    title: Spanned<String>,
    summary: Spanned<String>,
    #[serde(default)]
    part: Option<String>,
    #[serde(default)]
    criterion: Option<Spanned<String>>,
    #[serde(default)]
    say: Option<String>,
    #[serde(default)]
    evidence: Vec<Spanned<String>>,
    #[serde(default)]
    next_steps: Vec<String>,
}

/// What a class of findings says: severity, the criterion and tier it goes
/// to, and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Meaning {
    /// How serious.
    pub severity: Severity,
    /// The playbook criterion (replace and escalate).
    pub criterion: Option<String>,
    /// The tier, from the criterion's group (safety: safety.toml's; others
    /// Tier 1).
    pub tier: Option<Tier>,
    /// Customer words; `{part}` and `{code}` are filled in.
    pub summary: String,
    /// What to do.
    pub next_steps: Vec<String>,
}

/// What a failure code (or several) means.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeMeaning {
    /// The self-test failure codes.
    pub codes: Vec<String>,
    /// Reference code to use instead of `<model>-SELFTEST-<code>`.
    pub reference: Option<String>,
    /// Told at once (safety).
    pub say: Option<String>,
    /// The meaning.
    pub meaning: Meaning,
}

/// The rules for failed self-tests.
#[derive(Debug, Clone, PartialEq)]
pub struct SelftestRules {
    /// A code not listed (or no code).
    pub default: Meaning,
    /// Plain words per component.
    pub parts: BTreeMap<String, String>,
    /// By failure code.
    pub codes: Vec<CodeMeaning>,
}

impl SelftestRules {
    /// What a failure code means (the default when not listed).
    pub fn meaning(&self, code: Option<&str>) -> (&Meaning, Option<&CodeMeaning>) {
        match code.and_then(|c| self.codes.iter().find(|m| m.codes.iter().any(|x| x == c))) {
            Some(m) => (&m.meaning, Some(m)),
            None => (&self.default, None),
        }
    }

    /// A component in plain words.
    pub fn part_words(&self, component: &str) -> String {
        self.parts
            .get(component)
            .cloned()
            .unwrap_or_else(|| "one of its parts".into())
    }
}

/// The rules for the device log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRules {
    /// What an error-level entry means.
    pub meaning: Meaning,
    /// Warning codes that count (besides self-test failure codes).
    pub warn_codes: Vec<String>,
    /// Log codes that name a self-test failure code.
    pub aliases: BTreeMap<String, String>,
}

/// One rule over the readings.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Rule id.
    pub id: String,
    /// The condition, as written.
    pub when_text: String,
    /// Parsed.
    pub when: Expr,
    /// Span of `when` in the file.
    pub token: Range<usize>,
    /// Reference code, without the model prefix.
    pub code: String,
    /// Technician words, with `{probe}` placeholders.
    pub title: Template,
    /// Customer words, with `{probe}` placeholders.
    pub summary: Template,
    /// Told at once (safety rules).
    pub say: Option<String>,
    /// The self-test component it is about.
    pub part: Option<String>,
    /// Readings kept with it beyond its condition's.
    pub evidence: Vec<String>,
    /// Severity, criterion, tier, next steps (its summary is `summary`).
    pub meaning: Meaning,
}

/// Everything in `findings.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Findings {
    /// Failed self-tests.
    pub selftest: SelftestRules,
    /// The device log.
    pub log: LogRules,
    /// Rules over readings.
    pub rules: Vec<Rule>,
}

struct Ctx<'a> {
    d: &'a mut Diags,
    playbook: Option<&'a Playbook>,
    safety_tier: Tier,
}

impl Ctx<'_> {
    fn meaning(
        &mut self,
        severity: &Spanned<String>,
        criterion: Option<Spanned<String>>,
        summary: String,
        next_steps: Vec<String>,
    ) -> Meaning {
        let sev = Severity::parse(severity.get_ref()).unwrap_or_else(|| {
            self.d.error_hint(
                severity.span().start,
                format!("`{}` is not a severity", severity.get_ref()),
                "use safety, pet-health, replace, escalate, customer-action or info",
            );
            Severity::Escalate
        });
        let at = criterion
            .as_ref()
            .map_or(severity.span().start, |c| c.span().start);
        let criterion = criterion.map(Spanned::into_inner);
        let mut tier = match sev {
            Severity::Safety => Some(self.safety_tier),
            Severity::Info => None,
            _ => Some(Tier::One),
        };
        match (&criterion, sev) {
            (None, Severity::Replace | Severity::Escalate) => self.d.error_hint(
                at,
                format!("a {sev} finding needs the playbook `criterion` that applies"),
                "e.g. criterion = \"Product defects or design problems\"",
            ),
            (Some(c), _) => match self.playbook.map(|p| p.criterion(c)) {
                Some(Some(group)) => tier = Some(group.tier),
                Some(None) => self.d.error_hint(
                    at,
                    format!("`{c}` is not an escalation criterion of the playbook"),
                    "criteria are listed in playbook.toml",
                ),
                None => {}
            },
            _ => {}
        }
        Meaning {
            severity: sev,
            criterion,
            tier,
            summary,
            next_steps,
        }
    }

    fn template(&mut self, t: Spanned<String>) -> Template {
        let span = t.span();
        let text = t.into_inner();
        match Template::parse(&text) {
            Ok(tpl) => {
                for (name, s) in tpl.probes() {
                    if catalogue::find(name).is_none() {
                        let at = self.d.offset_in_string(&span, &text, s.start);
                        self.d.error(at, format!("unknown probe `{name}`"));
                    }
                }
                tpl
            }
            Err(e) => {
                let at = self.d.offset_in_string(&span, &text, e.span.start);
                self.d.error(at, e.message);
                Template::empty()
            }
        }
    }
}

impl Findings {
    /// Parses and lints `findings.toml`: severities, criteria against the
    /// playbook, probe names and expression types.
    pub fn parse(
        text: &str,
        playbook: Option<&Playbook>,
        safety: Option<&Safety>,
        d: &mut Diags,
    ) -> Option<Findings> {
        let raw: RawFindings = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                d.error(
                    e.span().map_or(0, |s| s.start),
                    e.message().trim().to_string(),
                );
                return None;
            }
        };
        let mut cx = Ctx {
            d,
            playbook,
            safety_tier: safety.map_or(Tier::Three, |s| {
                s.hazard.outcome.tier.unwrap_or(Tier::Three)
            }),
        };
        let st = raw.selftest;
        let selftest = SelftestRules {
            default: cx.meaning(&st.severity, st.criterion, st.summary, st.next_steps),
            parts: st.parts,
            codes: st
                .codes
                .into_iter()
                .map(|c| {
                    let meaning = cx.meaning(&c.severity, c.criterion, c.summary, c.next_steps);
                    if meaning.severity == Severity::Safety && c.reference.is_none() {
                        cx.d.error(
                            c.severity.span().start,
                            "a safety code needs its `reference` code (as in safety.toml)",
                        );
                    }
                    CodeMeaning {
                        codes: c.codes,
                        reference: c.reference,
                        say: c.say,
                        meaning,
                    }
                })
                .collect(),
        };
        let lg = raw.log;
        let log = LogRules {
            meaning: cx.meaning(&lg.severity, lg.criterion, lg.summary, lg.next_steps),
            warn_codes: lg.warn_codes,
            aliases: lg.aliases,
        };
        let mut rules: Vec<Rule> = Vec::new();
        for r in raw.rules {
            let token = r.when.span();
            let when_text = r.when.into_inner();
            let id = r.id.into_inner();
            if rules.iter().any(|x| x.id == id) {
                cx.d.error(token.start, format!("duplicate finding rule id `{id}`"));
            }
            let when = match expr::parse(&when_text) {
                Ok(e) => e,
                Err(e) => {
                    let at = cx.d.offset_in_string(&token, &when_text, e.span.start);
                    cx.d.error(at, format!("in `{when_text}`: {}", e.message));
                    continue;
                }
            };
            for (name, span) in when.probes() {
                if catalogue::find(name).is_none() {
                    let at = cx.d.offset_in_string(&token, &when_text, span.start);
                    cx.d.error(at, format!("unknown probe `{name}` in finding rule `{id}`"));
                }
            }
            let kind = |n: &str| catalogue::find(n).map(|p| p.kind);
            for err in when.check_types(&kind) {
                let at = cx.d.offset_in_string(&token, &when_text, err.span.start);
                cx.d.error(at, format!("in `{when_text}`: {}", err.message));
            }
            for e in &r.evidence {
                if catalogue::find(e.get_ref()).is_none() {
                    cx.d.error(e.span().start, format!("unknown probe `{}`", e.get_ref()));
                }
            }
            let code_at = r.code.span().start;
            let code = r.code.into_inner();
            if code.is_empty()
                || !code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            {
                cx.d.error(
                    code_at,
                    format!(
                        "code `{code}`: use capitals, digits and dashes (customers read it out)"
                    ),
                );
            }
            let meaning = cx.meaning(&r.severity, r.criterion, String::new(), r.next_steps);
            rules.push(Rule {
                id,
                when_text,
                when,
                token,
                code,
                title: cx.template(r.title),
                summary: cx.template(r.summary),
                say: r.say,
                part: r.part,
                evidence: r.evidence.into_iter().map(Spanned::into_inner).collect(),
                meaning,
            });
        }
        Some(Findings {
            selftest,
            log,
            rules,
        })
    }

    /// Every self-test failure code known to the interface or to these
    /// rules (a warning log entry with one of these bears on a fault).
    pub fn known_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = Model::ALL
            .iter()
            .flat_map(|m| m.components().iter())
            .flat_map(|c| Model::failure_codes(c).iter().map(|s| s.to_string()))
            .chain(self.selftest.codes.iter().flat_map(|c| c.codes.clone()))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }
}
