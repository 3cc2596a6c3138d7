//! Evaluating the finding rules over what was read from a device: failed
//! self-tests (any component, any code, later firmware included), device
//! log entries, product-safety rules and rules over readings. The same
//! device fault seen several ways (a self-test code, a status field, a
//! flow's check) becomes one finding carrying all its evidence.

use super::expr::Fact;
use super::finding::{self, Evidence, Finding, Severity, Source};
use super::findings::{Findings, Meaning};
use super::safety::{DERIVED, Safety};
use crate::interface::Model;
use crate::probe::catalogue;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// Most log entries kept as evidence of one finding (the newest).
const MAX_LOG_EVIDENCE: usize = 5;

/// What was read from one device: raw method results, and when.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The device's model.
    pub model: Model,
    /// Raw results by method (`battery.status`, `selftest.run`, `log.read`…).
    pub raw: BTreeMap<String, Value>,
    /// When a probe was read, where known.
    pub read_at: HashMap<String, DateTime<Utc>>,
    /// When anything else was read (the session's start, where the device
    /// is read in one batch).
    pub default_at: Option<DateTime<Utc>>,
    /// Methods the device answered with a hardware fault (error -32020)
    /// instead of a result, with the fault's code (`gps.status`, `GPS_NO_RF`).
    pub faults: Vec<(String, String)>,
}

impl Sources {
    /// Sources without timestamps.
    pub fn new(model: Model, raw: BTreeMap<String, Value>) -> Self {
        Self {
            model,
            raw,
            read_at: HashMap::new(),
            default_at: None,
            faults: Vec::new(),
        }
    }

    /// A probe's value, as the engine sees it.
    pub fn fact(&self, probe: &str) -> Fact {
        let Some(p) = catalogue::find(probe).filter(|p| p.applies_to(self.model)) else {
            return Fact::Missing;
        };
        match self.raw.get(p.method) {
            // A joined probe (`geofence.outside`) needs its other method too.
            Some(r) => Fact::Value(p.extract_with(
                r,
                p.also_reads().and_then(|m| self.raw.get(m)),
                self.model,
            )),
            None => Fact::Missing,
        }
    }

    fn at(&self, probe: &str) -> Option<DateTime<Utc>> {
        self.read_at.get(probe).copied().or(self.default_at)
    }

    /// A probe's value as evidence (`None` when it was not read).
    fn evidence(&self, probe: &str) -> Option<Evidence> {
        let p = catalogue::find(probe)?;
        match self.fact(probe) {
            Fact::Value(value) => Some(Evidence {
                name: probe.to_string(),
                value,
                unit: p.unit.map(str::to_string),
                from: p.method.to_string(),
                at: self.at(probe),
            }),
            Fact::Missing => None,
        }
    }
}

/// Device text is untrusted: cut short, no control characters.
fn clip(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

/// A device code (or a node id) as part of a reference code: `FLASH_ECC`
/// → `FLASH-ECC`, `set-interval` → `SET-INTERVAL`.
pub(crate) fn code_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(40) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() { "UNKNOWN".into() } else { t }
}

fn text(v: &Value, key: &str, max: usize) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| clip(s, max))
        .filter(|s| !s.is_empty())
}

fn from_meaning(
    id: String,
    source: Source,
    code: String,
    title: String,
    summary: String,
    m: &Meaning,
) -> Finding {
    Finding {
        id,
        severity: m.severity,
        source,
        code,
        title,
        summary,
        tier: m.tier,
        criterion: m.criterion.clone(),
        next_steps: m.next_steps.clone(),
        evidence: Vec::new(),
        part: None,
        outcome: None,
        addressed_by: None,
    }
}

/// Every finding in `src`, most serious first: product-safety rules, failed
/// self-tests, rules over readings, device log entries; one finding per
/// fault.
pub fn evaluate(rules: &Findings, safety: &Safety, src: &Sources) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(safety_findings(safety, src));
    out.extend(selftest_findings(rules, src));
    out.extend(fault_findings(rules, src));
    out.extend(rule_findings(rules, src));
    let mut out = merge_parts(out);
    log_findings(rules, src, &mut out);
    finding::sort(&mut out);
    out
}

fn safety_findings(safety: &Safety, src: &Sources) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in safety.rules.iter().filter(|r| !r.id.starts_with(DERIVED)) {
        let mut lookup = |n: &str| src.fact(n);
        if !r.when.eval(&mut lookup).is_true() {
            continue;
        }
        let o = &r.outcome;
        let probes: Vec<&str> = r.when.probes().iter().map(|(p, _)| *p).collect();
        out.push(Finding {
            id: format!("safety:{}", r.id),
            severity: Severity::Safety,
            source: Source::SafetyRule,
            code: o.code.clone(),
            title: o.tech.clone().unwrap_or_else(|| r.when_text.clone()),
            summary: o.summary.clone(),
            tier: o.tier,
            criterion: o.criterion.clone(),
            next_steps: o.next_steps.clone(),
            evidence: probes.iter().filter_map(|p| src.evidence(p)).collect(),
            part: part_of(&probes),
            outcome: Some(o.clone()),
            addressed_by: None,
        });
    }
    out
}

/// The self-test component a set of probes is about, if any.
pub fn part_of(probes: &[&str]) -> Option<String> {
    probes.iter().find_map(|p| {
        let rest = p.strip_prefix("selftest.")?;
        let c = rest.strip_suffix(".code").unwrap_or(rest);
        (c != "failed_count").then(|| c.to_string())
    })
}

fn selftest_findings(rules: &Findings, src: &Sources) -> Vec<Finding> {
    let Some(results) = src
        .raw
        .get("selftest.run")
        .and_then(|v| v.get("results"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let at = src.at("selftest.failed_count");
    let mut out = Vec::new();
    for r in results.iter().take(32) {
        if r.get("status").and_then(Value::as_str) != Some("fail") {
            continue;
        }
        let component = text(r, "component", 40).unwrap_or_else(|| "unknown".into());
        let code = text(r, "code", 40);
        let detail = text(r, "detail", 120);
        let (m, cm) = rules.selftest.meaning(code.as_deref());
        let reference = cm.and_then(|c| c.reference.clone()).unwrap_or_else(|| {
            format!(
                "{}-SELFTEST-{}",
                src.model.code(),
                match &code {
                    Some(c) => code_part(c),
                    None => format!("{}-FAIL", code_part(&component)),
                }
            )
        });
        let summary = m
            .summary
            .replace("{part}", &rules.selftest.part_words(&component))
            .replace("{code}", code.as_deref().unwrap_or("no code"));
        let mut title = format!(
            "Self-test {component} failed: {}",
            code.as_deref().unwrap_or("(no code)")
        );
        if let Some(d) = &detail {
            title.push_str(&format!(" ({d})"));
        }
        let mut f = from_meaning(
            format!("selftest:{component}"),
            Source::SelfTest,
            reference,
            title,
            summary,
            m,
        );
        let ev = |name: String, value: Value| Evidence {
            name,
            value,
            unit: None,
            from: "selftest.run".into(),
            at,
        };
        f.evidence
            .push(ev(format!("selftest.{component}"), json!("fail")));
        f.evidence.push(ev(
            format!("selftest.{component}.code"),
            code.clone().map_or(Value::Null, Value::from),
        ));
        if let Some(d) = detail {
            f.evidence
                .push(ev(format!("selftest.{component}.detail"), Value::from(d)));
        }
        f.part = Some(component);
        out.push(f);
    }
    out
}

/// A hardware fault a method answered with (section 9.9 of the interface:
/// the self-test's codes) is the same fault a failed self-test would show:
/// the same meaning, and the same part, so the two merge when both report it.
fn fault_findings(rules: &Findings, src: &Sources) -> Vec<Finding> {
    let mut out = Vec::new();
    for (method, code) in src.faults.iter().take(16) {
        let method = clip(method, 40);
        let code = clip(code, 40);
        let component = src
            .model
            .components()
            .iter()
            .find(|c| Model::failure_codes(c).contains(&code.as_str()))
            .map(|c| c.to_string());
        let (m, cm) = rules.selftest.meaning(Some(&code));
        let reference = cm
            .and_then(|c| c.reference.clone())
            .unwrap_or_else(|| format!("{}-FAULT-{}", src.model.code(), code_part(&code)));
        let part = component.as_deref().unwrap_or("unknown");
        let summary = m
            .summary
            .replace("{part}", &rules.selftest.part_words(part))
            .replace("{code}", &code);
        let mut f = from_meaning(
            format!("fault:{method}"),
            Source::HardwareFault,
            reference,
            format!("{method} answered with a hardware fault: {code}"),
            summary,
            m,
        );
        f.evidence.push(Evidence {
            name: format!("{method}.fault"),
            value: Value::from(code.clone()),
            unit: None,
            from: method.clone(),
            at: src.default_at,
        });
        f.part = component;
        out.push(f);
    }
    out
}

fn rule_findings(rules: &Findings, src: &Sources) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in &rules.rules {
        let mut lookup = |n: &str| src.fact(n);
        if !r.when.eval(&mut lookup).is_true() {
            continue;
        }
        let mut f = from_meaning(
            format!("rule:{}", r.id),
            Source::Rule,
            format!("{}-{}", src.model.code(), r.code),
            r.title.render(&mut lookup),
            r.summary.render(&mut lookup),
            &r.meaning,
        );
        let mut names: Vec<&str> = r.when.probes().iter().map(|(p, _)| *p).collect();
        names.extend(r.evidence.iter().map(String::as_str));
        for n in names {
            if !f.evidence.iter().any(|e| e.name == n)
                && let Some(e) = src.evidence(n)
            {
                f.evidence.push(e);
            }
        }
        f.part = r.part.clone();
        out.push(f);
    }
    out
}

/// Which source's wording a merged finding keeps, after seriousness.
fn priority(s: Source) -> u8 {
    match s {
        Source::FlowCheck => 4,
        Source::SafetyRule => 3,
        Source::SelfTest => 2,
        Source::HardwareFault => 2,
        Source::Rule => 1,
        Source::DeviceLog => 0,
    }
}

/// One finding per device part: findings about the same self-test
/// component merge into the most serious (its wording), keeping every
/// piece of evidence. Flow checks never merge with each other (each keeps
/// its flow's ending), but take in the generic findings about their part
/// when at least as serious.
pub fn merge_parts(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut order: Vec<usize> = (0..findings.len()).collect();
    // Keepers first: most serious, then the preferred wording.
    order.sort_by_key(|&i| {
        let f = &findings[i];
        std::cmp::Reverse((f.rank(), priority(f.source)))
    });
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    for i in order {
        let Some(f) = slots[i].take() else { continue };
        let keeper = f.part.as_ref().and_then(|p| {
            out.iter_mut().find(|k| {
                k.part.as_ref() == Some(p) && k.rank() >= f.rank() && f.source != Source::FlowCheck
            })
        });
        match keeper {
            Some(k) => {
                for e in f.evidence {
                    if !k.evidence.iter().any(|x| x.name == e.name) {
                        k.evidence.push(e);
                    }
                }
                for s in f.next_steps {
                    if !k.next_steps.contains(&s) {
                        k.next_steps.push(s);
                    }
                }
            }
            None => out.push(f),
        }
    }
    finding::sort(&mut out);
    out
}

fn log_findings(rules: &Findings, src: &Sources, out: &mut Vec<Finding>) {
    let Some(log) = src.raw.get("log.read") else {
        return;
    };
    let Some(entries) = log.get("entries").and_then(Value::as_array) else {
        return;
    };
    let known = rules.known_codes();
    // Wall-clock time of an entry: its uptime stamp against the device's
    // uptime when the log was read.
    let read_at = src.at("log.error_count");
    let uptime = match src.fact("device.uptime_s") {
        Fact::Value(v) => v.as_f64(),
        Fact::Missing => None,
    };
    let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
    for e in entries.iter().take(256) {
        let level = e.get("level").and_then(Value::as_str).unwrap_or("");
        let code = text(e, "code", 40).unwrap_or_else(|| "UNKNOWN".into());
        let code = rules.log.aliases.get(&code).cloned().unwrap_or(code);
        let counts = level == "error"
            || (level == "warn" && (known.contains(&code) || rules.log.warn_codes.contains(&code)));
        if !counts {
            continue;
        }
        match groups.iter_mut().find(|(c, _)| *c == code) {
            Some((_, v)) => v.push(e),
            None => groups.push((code, vec![e])),
        }
    }
    for (code, list) in groups {
        let evidence: Vec<Evidence> = list
            .iter()
            .rev()
            .take(MAX_LOG_EVIDENCE)
            .rev()
            .map(|e| {
                let t = e.get("t").and_then(Value::as_f64);
                let at = match (read_at, uptime, t) {
                    (Some(r), Some(u), Some(t)) if t <= u => {
                        Some(r - Duration::milliseconds(((u - t) * 1000.0) as i64))
                    }
                    _ => None,
                };
                Evidence {
                    name: format!("log.{code}"),
                    value: json!({
                        "t": e.get("t").cloned().unwrap_or(Value::Null),
                        "level": text(e, "level", 10),
                        "msg": text(e, "msg", 120),
                    }),
                    unit: None,
                    from: "log.read".into(),
                    at,
                }
            })
            .collect();
        // The log entry of a failed self-test is more evidence of it.
        let failed = out.iter_mut().find(|f| {
            f.evidence
                .iter()
                .any(|e| e.name.ends_with(".code") && e.value.as_str() == Some(&code))
        });
        if let Some(f) = failed {
            f.evidence.extend(evidence);
            continue;
        }
        let last = list.last().copied().unwrap_or(&Value::Null);
        let title = format!(
            "Device log: {} {} entr{} {code}: {} (last at {} s of uptime)",
            list.len(),
            text(last, "level", 10).unwrap_or_default(),
            if list.len() == 1 { "y" } else { "ies" },
            text(last, "msg", 120).unwrap_or_default(),
            last.get("t").cloned().unwrap_or(Value::Null)
        );
        let m = &rules.log.meaning;
        let mut f = from_meaning(
            format!("log:{code}"),
            Source::DeviceLog,
            format!("{}-LOG-{}", src.model.code(), code_part(&code)),
            title,
            m.summary.clone(),
            m,
        );
        f.evidence = evidence;
        out.push(f);
    }
}
