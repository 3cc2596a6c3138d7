//! Compiling a file into a [`Flow`]: node types checked, expressions
//! parsed, problems reported with line and column.

use super::flow::{Flow, Node};
use super::node::*;
use super::raw::*;
use crate::flow::diag::Diags;
use crate::flow::expr::{self, Template};
use crate::flow::playbook::Playbook;
use crate::interface::Model;
use std::collections::HashMap;
use toml::Spanned;

type S<T> = Spanned<T>;

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
            diags.push(crate::flow::diag::Severity::Error, at, msg, hint);
            return None;
        }
    };
    let mut c = Compiler { diags, playbook };
    c.flow(raw, expected_id)
}

pub(super) struct Compiler<'a> {
    pub(super) diags: &'a mut Diags,
    pub(super) playbook: Option<&'a Playbook>,
}

pub(super) fn target(s: &S<String>) -> Target {
    Target {
        id: s.get_ref().clone(),
        at: s.span().start,
    }
}

impl Compiler<'_> {
    pub(super) fn flow(&mut self, raw: RawFlow, expected_id: Option<&str>) -> Option<Flow> {
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
                    format!("use {}", Model::ids_in_words()),
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

    pub(super) fn required(
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

    pub(super) fn text(
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

    pub(super) fn cond(&mut self, s: S<String>) -> Option<Cond> {
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

    pub(super) fn verify(&mut self, v: S<RawVerify>) -> Option<Verify> {
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

    pub(super) fn node(&mut self, raw: S<RawNode>, section: &str, model: Model) -> Node {
        let mut n = raw.into_inner();
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
        let playbook_step = n.playbook_step.take().map(|s| s.into_inner());
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
        let tech = n.tech.take().map(|s| s.into_inner());
        let what = node_type.as_str();
        let body = match what {
            "check" => self.check(n, at, &id, what),
            "question" => self.question(n, at, &id, what),
            "action" => self.action(n, at, &id, what),
            "fix" => self.fix(n, at, &id, what, model),
            // "outcome", and unknown types compile as outcomes so the rest
            // of the file can still be checked.
            _ => self.outcome(n, at, &id, what),
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
