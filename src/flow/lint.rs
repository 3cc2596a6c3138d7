//! Lint: what a compiled flow must satisfy beyond its syntax. Unknown or
//! unavailable probes, type errors in conditions, dangling and missing
//! branches, unreachable nodes, loops with no way out, outcome codes reused
//! with another meaning, jargon in customer words, and the products rule
//! (firmware checked first). Structural problems are found by
//! [`super::format::compile`]; this module looks at the whole graph.

use super::diag::{Diags, Severity};
use super::expr::Expr;
use super::format::{Body, Cond, Flow, Node};
use super::playbook::Playbook;
use super::safety::Safety;
use crate::interface::Model;
use crate::probe::catalogue;
use std::collections::{BTreeMap, HashSet, VecDeque};

/// Words a customer should not be shown (Communication Standards: avoid
/// technical jargon with non-technical customers).
const JARGON: &[&str] = &[
    "hdop",
    "rssi",
    "dbm",
    "db-hz",
    "cn0",
    "almanac",
    "thermistor",
    "ntc",
    "json",
    "rpc",
    "gatt",
    "uart",
    "firmware_status",
    "selftest",
    "probe",
    "null",
    "ecc",
];

/// Most steps a customer text should hold in one go.
const MAX_CUSTOMER_TEXT: usize = 320;

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1)
                .min(cur[j] + 1)
                .min(prev[j] + usize::from(ca != *cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Checks one probe name at `at` for `model`. `fix_methods` are the methods
/// the flow's fixes run (an active probe is only known after one of them).
fn check_probe(name: &str, at: usize, model: Model, fix_methods: &[&str], d: &mut Diags) {
    match catalogue::find(name) {
        None => {
            let hint = closest(name, catalogue::for_model(model).map(|p| p.name.as_str()))
                .map(|c| {
                    format!(
                        "did you mean `{c}`? (`pawdiag flows probes --model {}` lists them)",
                        model.id()
                    )
                })
                .unwrap_or_else(|| {
                    format!(
                        "`pawdiag flows probes --model {}` lists the probes",
                        model.id()
                    )
                });
            d.error_hint(at, format!("unknown probe `{name}`"), hint);
        }
        Some(p) if !p.applies_to(model) => {
            d.error(
                at,
                format!(
                    "`{name}` is not available on the {} (it reads {})",
                    model.product_name(),
                    p.method
                ),
            );
        }
        Some(p) if p.active && !fix_methods.contains(&p.method) => {
            d.error_hint(
                at,
                format!(
                    "`{name}` is the result of {}, which has side effects, and no fix in this flow runs it",
                    p.method
                ),
                format!(
                    "add a fix node with method = \"{}\" (before it runs, the probe reads as unknown)",
                    p.method
                ),
            );
        }
        Some(_) => {}
    }
}

fn check_cond(c: &Cond, model: Model, fix_methods: &[&str], d: &mut Diags) {
    let mut known = true;
    for (name, span) in c.expr.probes() {
        let at = d.offset_in_string(&c.token, &c.text, span.start);
        let before = d.items.len();
        check_probe(name, at, model, fix_methods, d);
        known &= d.items.len() == before;
    }
    if known {
        let kind = |n: &str| catalogue::find(n).map(|p| p.kind);
        for e in c.expr.check_types(&kind) {
            let at = d.offset_in_string(&c.token, &c.text, e.span.start);
            d.error(at, format!("in `{}`: {}", c.text, e.message));
        }
    }
}

fn customer_text(text: &str, at: usize, what: &str, d: &mut Diags) {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    for j in JARGON {
        if words.contains(j) {
            d.warn(at, format!("{what} uses the technical word `{j}`: say it in everyday words (or put it in `tech`)"));
        }
    }
    if let Some(w) = text
        .split_whitespace()
        .find(|w| w.contains('_') && w.chars().any(|c| c.is_ascii_alphabetic()))
    {
        d.warn(
            at,
            format!("{what} shows `{w}`, which looks like a code, not words"),
        );
    }
    if text.chars().count() > MAX_CUSTOMER_TEXT {
        d.warn(
            at,
            format!(
                "{what} is long ({} characters): one step at a time",
                text.chars().count()
            ),
        );
    }
}

fn node_text_checks(n: &Node, d: &mut Diags) {
    let at = n.at;
    match &n.body {
        Body::Check(c) => {
            if let Some(s) = &c.say {
                customer_text(s, at, &format!("`say` of `{}`", n.id), d);
            }
        }
        Body::Question(q) => {
            customer_text(&q.ask, at, &format!("`ask` of `{}`", n.id), d);
            if let Some(h) = &q.help {
                customer_text(h, at, &format!("`help` of `{}`", n.id), d);
            }
            for a in &q.answers {
                if a.label.trim().is_empty() {
                    d.error(
                        a.goto.at,
                        format!("answer `{}` of `{}` has an empty label", a.value, n.id),
                    );
                }
            }
        }
        Body::Action(a) => customer_text(&a.do_, at, &format!("`do` of `{}`", n.id), d),
        Body::Fix(f) => customer_text(&f.consent, at, &format!("`consent` of `{}`", n.id), d),
        Body::Outcome(o) => customer_text(&o.summary, at, &format!("`summary` of `{}`", n.id), d),
    }
}

/// Lints one compiled flow.
pub fn lint_flow(flow: &Flow, d: &mut Diags) {
    let model = flow.model;
    // Branches and the start point at nodes that exist.
    if flow.node(&flow.start.id).is_none() && !flow.start.id.is_empty() {
        d.error(
            flow.start.at,
            format!("start = \"{}\": there is no such node", flow.start.id),
        );
    }
    for n in &flow.nodes {
        for (via, t) in n.targets() {
            if flow.node(&t.id).is_none() {
                let hint = closest(&t.id, flow.nodes.iter().map(|n| n.id.as_str()))
                    .map(|c| format!("did you mean `{c}`?"))
                    .unwrap_or_else(|| "add a node with that id".into());
                d.error_hint(
                    t.at,
                    format!(
                        "`{}` ({via}) goes to `{}`, which does not exist",
                        n.id, t.id
                    ),
                    hint,
                );
            } else if t.id == n.id && !matches!(n.body, Body::Action(_)) {
                d.error(t.at, format!("`{}` ({via}) goes to itself", n.id));
            }
        }
    }
    // Probes, methods, events, types.
    let fix_methods: Vec<&str> = flow
        .nodes
        .iter()
        .filter_map(|n| match &n.body {
            Body::Fix(f) => Some(f.method.as_str()),
            _ => None,
        })
        .collect();
    let fix_methods = fix_methods.as_slice();
    let mut reads_firmware = false;
    for n in &flow.nodes {
        if let Body::Check(c) = &n.body {
            for (r, at) in &c.reads {
                check_probe(r, *at, model, fix_methods, d);
            }
            if c.rules.is_empty() && c.reads.is_empty() {
                d.warn(
                    n.at,
                    format!("check `{}` has no rules and reads nothing", n.id),
                );
            }
            if n.probes().iter().any(|p| p == "device.firmware_status") {
                reads_firmware = true;
            }
        }
        for c in n.conditions() {
            check_cond(c, model, fix_methods, d);
        }
        if let Some(p) = n.verify().and_then(|v| v.progress.as_ref()) {
            for (name, span) in p.template.probes() {
                let at = d.offset_in_string(&p.token, &p.text, span.start);
                check_probe(name, at, model, fix_methods, d);
            }
        }
        if let Body::Action(a) = &n.body
            && a.verify.as_ref().is_some_and(|v| !v.require_change)
        {
            d.warn(
                n.at,
                format!(
                    "action `{}` is verified without require_change = true: its first poll can pass before the person has done anything",
                    n.id
                ),
            );
        }
        if let Body::Fix(f) = &n.body {
            let known_events = Model::known_events();
            if let Some(w) = &f.wait_event
                && !known_events.contains(&w.name.as_str())
            {
                d.warn(
                    w.at,
                    format!(
                        "the firmware sends no `{}` event (it sends {})",
                        w.name,
                        known_events.join(", ")
                    ),
                );
            }
            if catalogue::is_read_method(&f.method) && f.method != "selftest.run" {
                d.warn(
                    f.method_at,
                    format!(
                        "fix `{}` runs {}, which only reads: use a check",
                        n.id, f.method
                    ),
                );
            }
        }
        node_text_checks(n, d);
    }
    if !reads_firmware {
        d.warn(
            0,
            "no check reads device.firmware_status: the products rule is to update outdated firmware first",
        );
    }
    // Reachability from the start.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    if flow.node(&flow.start.id).is_some() {
        queue.push_back(&flow.start.id);
        seen.insert(&flow.start.id);
    }
    while let Some(id) = queue.pop_front() {
        if let Some(n) = flow.node(id) {
            for (_, t) in n.targets() {
                if flow.node(&t.id).is_some() && seen.insert(&t.id) {
                    queue.push_back(&t.id);
                }
            }
        }
    }
    for n in &flow.nodes {
        if !seen.contains(n.id.as_str()) && flow.node(&flow.start.id).is_some() {
            d.error(
                n.at,
                format!("node `{}` cannot be reached from start", n.id),
            );
        }
    }
    // Every reachable node must be able to reach an outcome.
    let mut can_end: HashSet<&str> = flow
        .nodes
        .iter()
        .filter(|n| matches!(n.body, Body::Outcome(_)))
        .map(|n| n.id.as_str())
        .collect();
    loop {
        let before = can_end.len();
        for n in &flow.nodes {
            if !can_end.contains(n.id.as_str())
                && n.targets()
                    .iter()
                    .any(|(_, t)| can_end.contains(t.id.as_str()))
            {
                can_end.insert(&n.id);
            }
        }
        if can_end.len() == before {
            break;
        }
    }
    for n in &flow.nodes {
        if seen.contains(n.id.as_str()) && !can_end.contains(n.id.as_str()) {
            d.error(
                n.at,
                format!(
                    "node `{}` can never reach an outcome (a loop with no way out, or a dead end)",
                    n.id
                ),
            );
        }
    }
    // Outcome codes within the flow.
    let mut codes: BTreeMap<&str, &Node> = BTreeMap::new();
    for (n, o) in flow.outcomes() {
        if o.code.is_empty() {
            continue;
        }
        if let Some(prev) = codes.get(o.code.as_str()) {
            if let Body::Outcome(po) = &prev.body
                && (po.kind != o.kind || po.tier != o.tier || po.summary != o.summary)
            {
                d.error(
                    o.code_at,
                    format!(
                        "code `{}` is used by `{}` and `{}` with different meanings",
                        o.code, prev.id, n.id
                    ),
                );
            }
        } else {
            codes.insert(&o.code, n);
        }
    }
}

/// Lints the safety rules: their probes must exist, and their level must be
/// the one the playbook gives their criterion.
pub fn lint_safety(s: &Safety, playbook: Option<&Playbook>, d: &mut Diags) {
    if let Some(pb) = playbook {
        if pb.criterion(&s.criterion).is_none() {
            d.error_hint(
                s.tier_at,
                format!(
                    "`{}` is not an escalation criterion of the playbook",
                    s.criterion
                ),
                format!(
                    "criteria: {}",
                    pb.all_criteria().collect::<Vec<_>>().join("; ")
                ),
            );
        } else if let Err((message, hint)) = pb.check_level(s.tier, &s.criterion) {
            d.error_hint(s.tier_at, message, hint);
        }
    }
    for r in &s.rules {
        lint_safety_expr(&r.when, &r.when_text, &r.token, d);
    }
    for name in &s.read_at_start {
        if catalogue::find(name).is_none() {
            d.error(0, format!("read_at_start names unknown probe `{name}`"));
        }
    }
}

fn lint_safety_expr(e: &Expr, text: &str, token: &std::ops::Range<usize>, d: &mut Diags) {
    for (name, span) in e.probes() {
        if catalogue::find(name).is_none() {
            let at = d.offset_in_string(token, text, span.start);
            d.error(at, format!("unknown probe `{name}` in safety rule"));
        }
    }
    let kind = |n: &str| catalogue::find(n).map(|p| p.kind);
    for err in e.check_types(&kind) {
        let at = d.offset_in_string(token, text, err.span.start);
        d.error(at, format!("in `{text}`: {}", err.message));
    }
}

/// Lints across flows: an outcome code must mean the same everywhere,
/// and must not collide with a safety code.
pub fn lint_set(flows: &BTreeMap<String, Flow>, safety: Option<&Safety>, diags: &mut [Diags]) {
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Some(s) = safety {
        seen.insert(
            s.hazard.outcome.code.clone(),
            ("safety.toml".into(), "safety".into()),
        );
        for r in &s.rules {
            seen.insert(
                r.outcome.code.clone(),
                ("safety.toml".into(), "safety".into()),
            );
        }
    }
    for flow in flows.values() {
        let Some(d) = diags
            .iter_mut()
            .find(|d| d.file().ends_with(&format!("{}.toml", flow.id)))
        else {
            continue;
        };
        let mut own: HashSet<&str> = HashSet::new();
        for (_, o) in flow.outcomes() {
            if o.code.is_empty() || !own.insert(&o.code) {
                continue;
            }
            let meaning = format!("{}|{:?}|{}", o.kind, o.tier, o.summary);
            match seen.get(&o.code) {
                Some((other, m)) if *m != meaning => d.push(
                    Severity::Error,
                    o.code_at,
                    format!(
                        "code `{}` is already used by {other} with a different meaning",
                        o.code
                    ),
                    Some("give each distinct ending its own code".into()),
                ),
                Some(_) => {}
                None => {
                    seen.insert(o.code.clone(), (flow.id.clone(), meaning));
                }
            }
        }
    }
}
