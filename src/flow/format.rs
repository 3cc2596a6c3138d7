//! The flow file format (TOML, one file per symptom) and its compiled form.
//!
//! A file is read into "raw" serde types whose fields keep their positions
//! (`toml::Spanned`), then compiled into a [`Flow`]: node types checked,
//! expressions parsed, problems reported with line and column. Nodes are
//! one flat table type in the file (`type = "check"` etc.) rather than a
//! serde-tagged enum, because tagged enums lose the positions lint needs and
//! a flat type lets lint say "`ask` does not belong in a check node".
//! See docs/flows.md for the format.

use super::diag::Diags;
use super::expr::{self, Expr, Template};
use super::playbook::Playbook;
use super::session::{OutcomeKind, Tier};
use crate::interface::Model;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use toml::Spanned;

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    id: S<String>,
    model: S<String>,
    title: S<String>,
    symptom: S<String>,
    playbook: S<String>,
    start: S<String>,
    #[serde(default)]
    nodes: Vec<S<RawNode>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: S<String>,
    #[serde(rename = "type")]
    node_type: S<String>,
    playbook_step: Option<S<String>>,
    tech: Option<S<String>>,
    // check
    say: Option<S<String>>,
    reads: Option<S<Vec<S<String>>>>,
    fresh: Option<S<bool>>,
    rules: Option<S<Vec<S<RawRule>>>>,
    next: Option<S<String>>,
    on_error: Option<S<String>>,
    // question
    ask: Option<S<String>>,
    help: Option<S<String>>,
    answers: Option<S<Vec<S<RawAnswer>>>>,
    unknown: Option<S<String>>,
    // action
    #[serde(rename = "do")]
    do_: Option<S<String>>,
    verify: Option<S<RawVerify>>,
    success: Option<S<String>>,
    timeout: Option<S<String>>,
    // fix
    consent: Option<S<String>>,
    method: Option<S<String>>,
    params: Option<S<toml::Value>>,
    wait_event: Option<S<RawWaitEvent>>,
    failure: Option<S<String>>,
    declined: Option<S<String>>,
    // outcome
    kind: Option<S<String>>,
    code: Option<S<String>>,
    tier: Option<S<Tier>>,
    criterion: Option<S<String>>,
    summary: Option<S<String>>,
    next_steps: Option<S<Vec<String>>>,
    pet_health: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    when: S<String>,
    goto: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    value: S<String>,
    label: S<String>,
    goto: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerify {
    until: S<String>,
    every_s: Option<S<f64>>,
    timeout_s: S<f64>,
    progress: Option<S<String>>,
    require_change: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaitEvent {
    name: S<String>,
    timeout_s: S<f64>,
}

/// A reference to another node.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The node id (empty when it was missing; already reported).
    pub id: String,
    /// Byte offset in the file.
    pub at: usize,
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    /// As written.
    pub text: String,
    /// Parsed.
    pub expr: Expr,
    /// Span of the string token in the file.
    pub token: Range<usize>,
}

/// A parsed progress template.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// As written.
    pub text: String,
    /// Parsed.
    pub template: Template,
    /// Span of the string token in the file.
    pub token: Range<usize>,
}

/// One rule of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The condition.
    pub when: Cond,
    /// Where to go when it holds.
    pub goto: Target,
}

/// Verification by polling the device.
#[derive(Debug, Clone, PartialEq)]
pub struct Verify {
    /// Condition that ends the wait.
    pub until: Cond,
    /// Seconds between polls.
    pub every_s: f64,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Text shown while polling.
    pub progress: Option<Progress>,
    /// The condition only counts once at least one value it reads differs
    /// from the baseline read at the step's start: the device must report
    /// a change after the action (or fix) began, so a state that already
    /// held never passes the verification by itself.
    pub require_change: bool,
}

/// A device event awaited after a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitEvent {
    /// Event name, e.g. `gps.fix`.
    pub name: String,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Byte offset in the file.
    pub at: usize,
}

/// A possible answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOption {
    /// Value written in answers files, e.g. `yes`.
    pub value: String,
    /// Label shown to the person.
    pub label: String,
    /// Where it leads.
    pub goto: Target,
}

/// An automatic check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Customer words.
    pub say: Option<String>,
    /// Probes read and recorded even if no rule names them.
    pub reads: Vec<(String, usize)>,
    /// Read every probe again from the device instead of using what the
    /// session already read (a state that may have changed since).
    pub fresh: bool,
    /// First match wins.
    pub rules: Vec<Rule>,
    /// No rule matched.
    pub next: Target,
    /// The device could not tell; defaults to `next`.
    pub on_error: Option<Target>,
}

/// A question to the person.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question.
    pub ask: String,
    /// Where to find the answer.
    pub help: Option<String>,
    /// The possible answers.
    pub answers: Vec<AnswerOption>,
    /// Taken when no answer is available.
    pub unknown: Target,
}

/// Something the person does.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The instruction.
    pub do_: String,
    /// More detail.
    pub help: Option<String>,
    /// How the device confirms it worked.
    pub verify: Option<Verify>,
    /// It worked.
    pub success: Target,
    /// It did not work (in time).
    pub timeout: Target,
}

/// A fix pawdiag applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The consent question.
    pub consent: String,
    /// Customer words while it runs.
    pub say: Option<String>,
    /// Device method.
    pub method: String,
    /// Method params.
    pub params: Option<Value>,
    /// Byte offset of `method`.
    pub method_at: usize,
    /// Event to await.
    pub wait_event: Option<WaitEvent>,
    /// How the device confirms it worked.
    pub verify: Option<Verify>,
    /// It worked.
    pub success: Target,
    /// It did not.
    pub failure: Target,
    /// The person said no (or did not answer).
    pub declined: Target,
}

/// An ending.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// What kind.
    pub kind: OutcomeKind,
    /// Reference code.
    pub code: String,
    /// Byte offset of `code`.
    pub code_at: usize,
    /// Support tier.
    pub tier: Option<Tier>,
    /// Playbook escalation criterion.
    pub criterion: Option<String>,
    /// Customer words.
    pub summary: String,
    /// What happens next.
    pub next_steps: Vec<String>,
    /// The ending is about the pet's health, not the device (e.g. "contact
    /// your vet"): ranked above device faults, flagged as possible harm to
    /// a pet.
    pub pet_health: bool,
}

/// What a node does.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Automatic check.
    Check(Check),
    /// Question.
    Question(Question),
    /// Action by the person.
    Action(Action),
    /// Fix by pawdiag.
    Fix(Fix),
    /// Ending.
    Outcome(Outcome),
}

impl Body {
    /// The `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Body::Check(_) => "check",
            Body::Question(_) => "question",
            Body::Action(_) => "action",
            Body::Fix(_) => "fix",
            Body::Outcome(_) => "outcome",
        }
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique within the flow.
    pub id: String,
    /// Byte offset of its `id`.
    pub at: usize,
    /// The playbook step it implements.
    pub playbook_step: Option<String>,
    /// Byte offset of `playbook_step`.
    pub playbook_step_at: usize,
    /// Technician label.
    pub tech: Option<String>,
    /// What it does.
    pub body: Body,
}

impl Node {
    /// Every branch: (why, target).
    pub fn targets(&self) -> Vec<(String, &Target)> {
        let mut out: Vec<(String, &Target)> = Vec::new();
        match &self.body {
            Body::Check(c) => {
                for (i, r) in c.rules.iter().enumerate() {
                    out.push((format!("rule {}", i + 1), &r.goto));
                }
                out.push(("next".into(), &c.next));
                if let Some(e) = &c.on_error {
                    out.push(("on_error".into(), e));
                }
            }
            Body::Question(q) => {
                for a in &q.answers {
                    out.push((format!("answer {}", a.value), &a.goto));
                }
                out.push(("unknown".into(), &q.unknown));
            }
            Body::Action(a) => {
                out.push(("success".into(), &a.success));
                out.push(("timeout".into(), &a.timeout));
            }
            Body::Fix(f) => {
                out.push(("success".into(), &f.success));
                out.push(("failure".into(), &f.failure));
                out.push(("declined".into(), &f.declined));
            }
            Body::Outcome(_) => {}
        }
        out.retain(|(_, t)| !t.id.is_empty());
        out
    }

    /// Every condition in the node with the probes it names.
    pub fn conditions(&self) -> Vec<&Cond> {
        match &self.body {
            Body::Check(c) => c.rules.iter().map(|r| &r.when).collect(),
            Body::Action(Action {
                verify: Some(v), ..
            })
            | Body::Fix(Fix {
                verify: Some(v), ..
            }) => {
                vec![&v.until]
            }
            _ => Vec::new(),
        }
    }

    /// The verification, if any.
    pub fn verify(&self) -> Option<&Verify> {
        match &self.body {
            Body::Action(a) => a.verify.as_ref(),
            Body::Fix(f) => f.verify.as_ref(),
            _ => None,
        }
    }

    /// Every probe the node reads, in order, without repeats.
    pub fn probes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        };
        if let Body::Check(c) = &self.body {
            for (r, _) in &c.reads {
                add(r);
            }
        }
        for c in self.conditions() {
            for (p, _) in c.expr.probes() {
                add(p);
            }
        }
        if let Some(Progress { template, .. }) = self.verify().and_then(|v| v.progress.as_ref()) {
            for (p, _) in template.probes() {
                add(p);
            }
        }
        out
    }

    /// The customer text of the node (say, ask, do, consent or summary).
    pub fn customer_text(&self) -> Option<&str> {
        match &self.body {
            Body::Check(c) => c.say.as_deref(),
            Body::Question(q) => Some(&q.ask),
            Body::Action(a) => Some(&a.do_),
            Body::Fix(f) => Some(&f.consent),
            Body::Outcome(o) => Some(&o.summary),
        }
    }
}

/// A compiled flow.
#[derive(Debug, Clone)]
pub struct Flow {
    /// `model/symptom`.
    pub id: String,
    /// The model.
    pub model: Model,
    /// Technician title.
    pub title: String,
    /// The customer's words.
    pub symptom: String,
    /// Playbook section.
    pub playbook: String,
    /// First node.
    pub start: Target,
    /// Nodes, in file order.
    pub nodes: Vec<Node>,
    /// Where it came from (for messages).
    pub file: String,
    /// The file's text (for positions).
    pub source: Arc<str>,
    index: HashMap<String, usize>,
}

impl Flow {
    /// An empty flow of a model (the sweep's session frame).
    pub fn placeholder(model: Model) -> Flow {
        Flow {
            id: format!("{}/*", model.id()),
            model,
            title: format!("All {} flows", model.product_name()),
            symptom: String::new(),
            playbook: String::new(),
            start: Target {
                id: String::new(),
                at: 0,
            },
            nodes: Vec::new(),
            file: String::new(),
            source: Arc::from(""),
            index: HashMap::new(),
        }
    }

    /// A node by id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    /// Every probe the flow reads (for prefetching).
    pub fn probes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in &self.nodes {
            for p in n.probes() {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Checks that only make sense after a person or a fix did something:
    /// every way into them comes from an action or a fix, or from another
    /// such check. The bench sweep, which runs no action and no fix, leaves
    /// them out (evaluated on an untouched device they would report what
    /// the action never did).
    pub fn checks_after_a_person(&self) -> std::collections::HashSet<&str> {
        let mut preds: HashMap<&str, Vec<&Node>> = HashMap::new();
        for n in &self.nodes {
            for (_, t) in n.targets() {
                preds.entry(t.id.as_str()).or_default().push(n);
            }
        }
        let mut out = std::collections::HashSet::new();
        loop {
            let before = out.len();
            for n in &self.nodes {
                let Body::Check(_) = n.body else { continue };
                if out.contains(n.id.as_str()) || n.id == self.start.id {
                    continue;
                }
                let Some(from) = preds.get(n.id.as_str()) else {
                    continue;
                };
                if from.iter().all(|p| {
                    matches!(p.body, Body::Action(_) | Body::Fix(_)) || out.contains(p.id.as_str())
                }) {
                    out.insert(n.id.as_str());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }

    /// The outcome nodes.
    pub fn outcomes(&self) -> impl Iterator<Item = (&Node, &Outcome)> {
        self.nodes.iter().filter_map(|n| match &n.body {
            Body::Outcome(o) => Some((n, o)),
            _ => None,
        })
    }
}

/// Top-level fields of a flow file (kept in step with docs/flow.schema.json
/// by a test).
pub const FLOW_FIELDS: [&str; 7] = [
    "id", "model", "title", "symptom", "playbook", "start", "nodes",
];

/// Node types.
pub const NODE_TYPES: [&str; 5] = ["check", "question", "action", "fix", "outcome"];

/// Fields every node may have.
pub const COMMON_NODE_FIELDS: [&str; 4] = ["id", "type", "playbook_step", "tech"];

/// Field names allowed per node type, beyond [`COMMON_NODE_FIELDS`].
pub fn node_fields(node_type: &str) -> &'static [&'static str] {
    allowed(node_type)
}

fn allowed(node_type: &str) -> &'static [&'static str] {
    match node_type {
        "check" => &["say", "reads", "fresh", "rules", "next", "on_error"],
        "question" => &["ask", "help", "answers", "unknown"],
        "action" => &["do", "help", "verify", "success", "timeout"],
        "fix" => &[
            "consent",
            "say",
            "method",
            "params",
            "wait_event",
            "verify",
            "success",
            "failure",
            "declined",
        ],
        "outcome" => &[
            "kind",
            "code",
            "tier",
            "criterion",
            "summary",
            "next_steps",
            "pet_health",
        ],
        _ => &[],
    }
}

fn owner_of(field: &str) -> &'static str {
    for t in ["check", "question", "action", "fix", "outcome"] {
        if allowed(t).contains(&field) {
            return t;
        }
    }
    "no"
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Compiles one flow file. `expected_id` is the id its path implies
/// (`pettracker/gps-not-working` for `pettracker/gps-not-working.toml`).
/// Structural problems go to `diags`; the flow is returned whenever it could
/// be read at all, so lint can go on checking it.
pub fn compile(
    text: &str,
    expected_id: Option<&str>,
    playbook: Option<&Playbook>,
    diags: &mut Diags,
) -> Option<Flow> {
    let raw: RawFlow = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            let msg = e.message().trim().to_string();
            let hint = msg
                .contains("unknown field")
                .then(|| "fields are listed in docs/flows.md; check the spelling".to_string());
            diags.push(super::diag::Severity::Error, at, msg, hint);
            return None;
        }
    };
    let mut c = Compiler { diags, playbook };
    c.flow(raw, expected_id)
}

struct Compiler<'a> {
    diags: &'a mut Diags,
    playbook: Option<&'a Playbook>,
}

fn target(s: &S<String>) -> Target {
    Target {
        id: s.get_ref().clone(),
        at: s.span().start,
    }
}

impl Compiler<'_> {
    fn flow(&mut self, raw: RawFlow, expected_id: Option<&str>) -> Option<Flow> {
        let id = raw.id.get_ref().clone();
        if let Some(exp) = expected_id
            && id != exp
        {
            self.diags.error_hint(
                raw.id.span().start,
                format!("the flow id `{id}` does not match its file path (`{exp}`)"),
                format!("write id = \"{exp}\", or rename the file"),
            );
        }
        let model_text = raw.model.get_ref();
        let model = match Model::parse(model_text) {
            Some(m) if m.id() == model_text => m,
            _ => {
                self.diags.error_hint(
                    raw.model.span().start,
                    format!("unknown model `{model_text}`"),
                    "use pettracker, healthmonitor or smartcollar",
                );
                Model::PetTracker
            }
        };
        if let Some(first) = id.split('/').next()
            && first != model.id()
            && Model::parse(model_text).is_some()
        {
            self.diags.error(
                raw.model.span().start,
                format!("the flow `{id}` lives under `{first}/` but says model = \"{model_text}\""),
            );
        }
        for (field, v) in [("title", &raw.title), ("symptom", &raw.symptom)] {
            if v.get_ref().trim().is_empty() {
                self.diags
                    .error(v.span().start, format!("`{field}` is empty"));
            }
        }
        if let Some(pb) = self.playbook {
            match pb.section(raw.playbook.get_ref()) {
                None => self.diags.error_hint(
                    raw.playbook.span().start,
                    format!(
                        "`{}` is not a section of the playbook",
                        raw.playbook.get_ref()
                    ),
                    format!(
                        "sections for the {}: {}",
                        model.product_name(),
                        pb.sections
                            .iter()
                            .filter(|s| s.model == model.id())
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                ),
                Some(s) if s.model != model.id() => self.diags.error(
                    raw.playbook.span().start,
                    format!(
                        "the playbook section `{}` is about the {}, not the {}",
                        s.name,
                        s.model,
                        model.id()
                    ),
                ),
                Some(_) => {}
            }
        }
        let mut nodes = Vec::new();
        for n in raw.nodes {
            nodes.push(self.node(n, raw.playbook.get_ref(), model));
        }
        let mut index = HashMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if let Some(prev) = index.insert(n.id.clone(), i) {
                self.diags.error(
                    n.at,
                    format!("duplicate node id `{}` (first at node {})", n.id, prev + 1),
                );
                index.insert(n.id.clone(), prev);
            }
        }
        if nodes.is_empty() {
            self.diags
                .error(0, "the flow has no nodes: add [[nodes]] tables");
        }
        Some(Flow {
            id,
            model,
            title: raw.title.into_inner(),
            symptom: raw.symptom.into_inner(),
            playbook: raw.playbook.into_inner(),
            start: target(&raw.start),
            nodes,
            file: self.diags.file().to_string(),
            source: self.diags.text().clone(),
            index,
        })
    }

    fn required(
        &mut self,
        at: usize,
        node: &str,
        what: &str,
        field: &str,
        v: &Option<S<String>>,
    ) -> Target {
        match v {
            Some(s) => target(s),
            None => {
                self.diags.error_hint(
                    at,
                    format!("{what} node `{node}` has no `{field}` branch"),
                    format!("add {field} = \"<node id>\""),
                );
                Target {
                    id: String::new(),
                    at,
                }
            }
        }
    }

    fn text(
        &mut self,
        at: usize,
        node: &str,
        what: &str,
        field: &str,
        v: Option<S<String>>,
    ) -> String {
        match v {
            Some(s) if !s.get_ref().trim().is_empty() => s.into_inner(),
            Some(s) => {
                self.diags
                    .error(s.span().start, format!("`{field}` of `{node}` is empty"));
                String::new()
            }
            None => {
                self.diags
                    .error(at, format!("{what} node `{node}` has no `{field}`"));
                String::new()
            }
        }
    }

    fn cond(&mut self, s: S<String>) -> Option<Cond> {
        let token = s.span();
        let text = s.into_inner();
        match expr::parse(&text) {
            Ok(e) => Some(Cond {
                text,
                expr: e,
                token,
            }),
            Err(e) => {
                let at = self.diags.offset_in_string(&token, &text, e.span.start);
                self.diags.error(at, format!("in `{text}`: {}", e.message));
                None
            }
        }
    }

    fn verify(&mut self, v: S<RawVerify>) -> Option<Verify> {
        let at = v.span().start;
        let v = v.into_inner();
        let every = v.every_s.as_ref().map_or(2.0, |e| *e.get_ref());
        let timeout = *v.timeout_s.get_ref();
        if !(0.2..=60.0).contains(&every) {
            self.diags.error(
                v.every_s.as_ref().map_or(at, |e| e.span().start),
                format!("every_s = {every}: poll between 0.2 and 60 seconds"),
            );
        }
        if !(1.0..=900.0).contains(&timeout) {
            self.diags.error(
                v.timeout_s.span().start,
                format!("timeout_s = {timeout}: allow between 1 and 900 seconds"),
            );
        }
        let progress = match v.progress {
            Some(p) => {
                let token = p.span();
                let text = p.into_inner();
                match Template::parse(&text) {
                    Ok(t) => Some(Progress {
                        text,
                        template: t,
                        token,
                    }),
                    Err(e) => {
                        let off = self.diags.offset_in_string(&token, &text, e.span.start);
                        self.diags
                            .error(off, format!("in progress text: {}", e.message));
                        None
                    }
                }
            }
            None => None,
        };
        let until = self.cond(v.until)?;
        Some(Verify {
            until,
            every_s: every,
            timeout_s: timeout,
            progress,
            require_change: v.require_change.is_some_and(|r| *r.get_ref()),
        })
    }

    fn node(&mut self, raw: S<RawNode>, section: &str, model: Model) -> Node {
        let n = raw.into_inner();
        let at = n.id.span().start;
        let id = n.id.get_ref().clone();
        if !is_id(&id) {
            self.diags.error_hint(
                at,
                format!("`{id}` is not a valid node id"),
                "use lowercase letters, digits, - and _ (e.g. check-battery)",
            );
        }
        let node_type = n.node_type.get_ref().clone();
        let type_at = n.node_type.span().start;
        // Fields present that do not belong to this type.
        let present: Vec<(&str, usize)> = [
            ("say", n.say.as_ref().map(|s| s.span().start)),
            ("reads", n.reads.as_ref().map(|s| s.span().start)),
            ("fresh", n.fresh.as_ref().map(|s| s.span().start)),
            ("rules", n.rules.as_ref().map(|s| s.span().start)),
            ("next", n.next.as_ref().map(|s| s.span().start)),
            ("on_error", n.on_error.as_ref().map(|s| s.span().start)),
            ("ask", n.ask.as_ref().map(|s| s.span().start)),
            ("help", n.help.as_ref().map(|s| s.span().start)),
            ("answers", n.answers.as_ref().map(|s| s.span().start)),
            ("unknown", n.unknown.as_ref().map(|s| s.span().start)),
            ("do", n.do_.as_ref().map(|s| s.span().start)),
            ("verify", n.verify.as_ref().map(|s| s.span().start)),
            ("success", n.success.as_ref().map(|s| s.span().start)),
            ("timeout", n.timeout.as_ref().map(|s| s.span().start)),
            ("consent", n.consent.as_ref().map(|s| s.span().start)),
            ("method", n.method.as_ref().map(|s| s.span().start)),
            ("params", n.params.as_ref().map(|s| s.span().start)),
            ("wait_event", n.wait_event.as_ref().map(|s| s.span().start)),
            ("failure", n.failure.as_ref().map(|s| s.span().start)),
            ("declined", n.declined.as_ref().map(|s| s.span().start)),
            ("kind", n.kind.as_ref().map(|s| s.span().start)),
            ("code", n.code.as_ref().map(|s| s.span().start)),
            ("tier", n.tier.as_ref().map(|s| s.span().start)),
            ("criterion", n.criterion.as_ref().map(|s| s.span().start)),
            ("summary", n.summary.as_ref().map(|s| s.span().start)),
            ("next_steps", n.next_steps.as_ref().map(|s| s.span().start)),
            ("pet_health", n.pet_health.as_ref().map(|s| s.span().start)),
        ]
        .into_iter()
        .filter_map(|(f, a)| a.map(|a| (f, a)))
        .collect();
        let allowed_fields = allowed(&node_type);
        if allowed_fields.is_empty() {
            self.diags.error_hint(
                type_at,
                format!("`{node_type}` is not a node type"),
                "use check, question, action, fix or outcome",
            );
        } else {
            for (f, fat) in &present {
                if !allowed_fields.contains(f) {
                    self.diags.error(
                        *fat,
                        format!(
                            "`{f}` does not belong in a {node_type} node (it is for {} nodes)",
                            owner_of(f)
                        ),
                    );
                }
            }
        }
        let playbook_step_at = n.playbook_step.as_ref().map_or(at, |s| s.span().start);
        let playbook_step = n.playbook_step.map(|s| s.into_inner());
        if let (Some(step), Some(pb)) = (&playbook_step, self.playbook) {
            if let Some(sec) = pb.section(section)
                && !pb.allows_step(sec, step)
            {
                self.diags.error_hint(
                    playbook_step_at,
                    format!("`{step}` is not a step of `{section}`"),
                    format!(
                        "steps: {}; or a general step: {}",
                        sec.steps.join("; "),
                        pb.general_steps.join("; ")
                    ),
                );
            }
        } else if playbook_step.is_none() && node_type != "outcome" && self.playbook.is_some() {
            self.diags
                .warn(at, format!("node `{id}` names no playbook_step"));
        }
        let tech = n.tech.map(|s| s.into_inner());
        let what = node_type.as_str();
        let body = match what {
            "check" => {
                let mut rules = Vec::new();
                for r in n.rules.map(|r| r.into_inner()).unwrap_or_default() {
                    let r = r.into_inner();
                    let goto = target(&r.goto);
                    if let Some(when) = self.cond(r.when) {
                        rules.push(Rule { when, goto });
                    }
                }
                let reads: Vec<(String, usize)> = n
                    .reads
                    .map(|r| r.into_inner())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| (s.get_ref().clone(), s.span().start))
                    .collect();
                Body::Check(Check {
                    say: n.say.map(|s| s.into_inner()),
                    reads,
                    fresh: n.fresh.is_some_and(|f| *f.get_ref()),
                    rules,
                    next: self.required(at, &id, what, "next", &n.next),
                    on_error: n.on_error.as_ref().map(target),
                })
            }
            "question" => {
                let ask = self.text(at, &id, what, "ask", n.ask);
                let mut answers = Vec::new();
                let answers_at = n.answers.as_ref().map_or(at, |a| a.span().start);
                for a in n.answers.map(|a| a.into_inner()).unwrap_or_default() {
                    let a = a.into_inner();
                    let value = a.value.get_ref().clone();
                    if !is_id(&value) {
                        self.diags.error(
                            a.value.span().start,
                            format!(
                                "answer value `{value}`: use lowercase words like yes, no, not-sure"
                            ),
                        );
                    }
                    if answers.iter().any(|x: &AnswerOption| x.value == value) {
                        self.diags.error(
                            a.value.span().start,
                            format!("answer value `{value}` appears twice"),
                        );
                    }
                    answers.push(AnswerOption {
                        value,
                        label: a.label.into_inner(),
                        goto: target(&a.goto),
                    });
                }
                if answers.is_empty() {
                    self.diags.error_hint(
                        answers_at,
                        format!("question `{id}` has no answers"),
                        "add answers = [{ value = \"yes\", label = \"Yes\", goto = \"…\" }, …]",
                    );
                }
                Body::Question(Question {
                    ask,
                    help: n.help.map(|s| s.into_inner()),
                    answers,
                    unknown: self.required(at, &id, what, "unknown", &n.unknown),
                })
            }
            "action" => {
                let do_ = self.text(at, &id, what, "do", n.do_);
                let verify = n.verify.and_then(|v| self.verify(v));
                Body::Action(Action {
                    do_,
                    help: n.help.map(|s| s.into_inner()),
                    verify,
                    success: self.required(at, &id, what, "success", &n.success),
                    timeout: self.required(at, &id, what, "timeout", &n.timeout),
                })
            }
            "fix" => {
                let consent = self.text(at, &id, what, "consent", n.consent);
                let method_at = n.method.as_ref().map_or(at, |m| m.span().start);
                let method = self.text(at, &id, what, "method", n.method);
                if !method.is_empty() && !model.has_method(&method) {
                    let known = Model::COMMON_METHODS
                        .iter()
                        .chain(model.own_methods())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.diags.error_hint(
                        method_at,
                        format!("the {} has no method `{method}`", model.product_name()),
                        format!("methods: {known}"),
                    );
                }
                let params = match n.params {
                    Some(p) => {
                        let pat = p.span().start;
                        match p.into_inner() {
                            v @ toml::Value::Table(_) => serde_json::to_value(&v).ok(),
                            _ => {
                                self.diags.error(
                                    pat,
                                    "params must be a table, e.g. params = { mode = \"soft\" }",
                                );
                                None
                            }
                        }
                    }
                    None => None,
                };
                let wait_event = n.wait_event.map(|w| {
                    let wat = w.span().start;
                    let w = w.into_inner();
                    let t = *w.timeout_s.get_ref();
                    if !(1.0..=900.0).contains(&t) {
                        self.diags.error(
                            w.timeout_s.span().start,
                            format!("timeout_s = {t}: allow between 1 and 900 seconds"),
                        );
                    }
                    WaitEvent {
                        name: w.name.into_inner(),
                        timeout_s: t,
                        at: wat,
                    }
                });
                let verify = n.verify.and_then(|v| self.verify(v));
                Body::Fix(Fix {
                    consent,
                    say: n.say.map(|s| s.into_inner()),
                    method,
                    params,
                    method_at,
                    wait_event,
                    verify,
                    success: self.required(at, &id, what, "success", &n.success),
                    failure: self.required(at, &id, what, "failure", &n.failure),
                    declined: self.required(at, &id, what, "declined", &n.declined),
                })
            }
            _ => {
                // "outcome", and unknown types compile as outcomes so the
                // rest of the file can still be checked.
                let kind = match &n.kind {
                    Some(k) => match OutcomeKind::parse(k.get_ref()) {
                        Some(k) => k,
                        None => {
                            self.diags.error_hint(
                                k.span().start,
                                format!("`{}` is not an outcome kind", k.get_ref()),
                                "use resolved, customer-action, escalate, replace, safety or no-fault-found",
                            );
                            OutcomeKind::Escalate
                        }
                    },
                    None => {
                        if what == "outcome" {
                            self.diags
                                .error(at, format!("outcome `{id}` has no `kind`"));
                        }
                        OutcomeKind::Escalate
                    }
                };
                let code_at = n.code.as_ref().map_or(at, |c| c.span().start);
                let code = match n.code {
                    Some(c) => c.into_inner(),
                    None => {
                        if what == "outcome" {
                            self.diags.error_hint(
                                at,
                                format!("outcome `{id}` has no `code`"),
                                "add a stable reference code, e.g. code = \"PT-GPS-ANT\"",
                            );
                        }
                        String::new()
                    }
                };
                if !code.is_empty()
                    && !code
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                {
                    self.diags.error(
                        code_at,
                        format!(
                            "code `{code}`: use capitals, digits and dashes (customers read it out)"
                        ),
                    );
                }
                let summary = if what == "outcome" {
                    self.text(at, &id, what, "summary", n.summary)
                } else {
                    String::new()
                };
                let tier_at = n.tier.as_ref().map_or(at, |t| t.span().start);
                let tier = n.tier.map(|t| t.into_inner());
                let criterion_at = n.criterion.as_ref().map_or(at, |c| c.span().start);
                let criterion = n.criterion.map(|c| c.into_inner());
                if what == "outcome" {
                    let needs = matches!(
                        kind,
                        OutcomeKind::Escalate | OutcomeKind::Replace | OutcomeKind::Safety
                    );
                    if needs && tier.is_none() {
                        self.diags.error(
                            at,
                            format!(
                                "{kind} outcome `{id}` needs a `tier` (1, 2, 3 or \"management\")"
                            ),
                        );
                    }
                    if needs && criterion.is_none() {
                        self.diags.error_hint(
                            at,
                            format!(
                                "{kind} outcome `{id}` needs the playbook `criterion` that applies"
                            ),
                            "e.g. criterion = \"Product defects or design problems\"",
                        );
                    }
                    if kind == OutcomeKind::Safety {
                        self.diags.warn(at, format!("safety outcome `{id}`: product-safety endings belong in safety.toml, which every flow obeys"));
                    }
                }
                if let (Some(c), Some(pb)) = (&criterion, self.playbook)
                    && pb.criterion(c).is_none()
                {
                    self.diags.error_hint(
                        criterion_at,
                        format!("`{c}` is not an escalation criterion of the playbook"),
                        format!(
                            "criteria: {}",
                            pb.all_criteria().collect::<Vec<_>>().join("; ")
                        ),
                    );
                }
                // The level follows from the criterion (playbook.toml's
                // groups): a tier that contradicts it is an error.
                if let (Some(t), Some(c), Some(pb)) = (tier, &criterion, self.playbook)
                    && let Err((message, hint)) = pb.check_level(t, c)
                {
                    self.diags.error_hint(tier_at, message, hint);
                }
                let pet_health = n.pet_health.is_some_and(|p| *p.get_ref());
                if pet_health
                    && !matches!(kind, OutcomeKind::CustomerAction | OutcomeKind::Escalate)
                {
                    self.diags.error(
                        at,
                        format!("`pet_health` outcome `{id}` must be customer-action or escalate"),
                    );
                }
                Body::Outcome(Outcome {
                    kind,
                    code,
                    code_at,
                    tier,
                    criterion,
                    summary,
                    next_steps: n.next_steps.map(|s| s.into_inner()).unwrap_or_default(),
                    pet_health,
                })
            }
        };
        Node {
            id,
            at,
            playbook_step,
            playbook_step_at,
            tech,
            body,
        }
    }
}
