//! Compiling each node type's fields into its [`Body`].

use super::compile::{Compiler, target};
use super::node::*;
use super::raw::*;
use crate::flow::session::OutcomeKind;
use crate::interface::Model;

impl Compiler<'_> {
    /// A check node: rules over the device's readings.
    pub(super) fn check(&mut self, n: RawNode, at: usize, id: &str, what: &str) -> Body {
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
            next: self.required(at, id, what, "next", &n.next),
            on_error: n.on_error.as_ref().map(target),
        })
    }

    /// A question node: the answers a person may give.
    pub(super) fn question(&mut self, n: RawNode, at: usize, id: &str, what: &str) -> Body {
        let ask = self.text(at, id, what, "ask", n.ask);
        let mut answers = Vec::new();
        let answers_at = n.answers.as_ref().map_or(at, |a| a.span().start);
        for a in n.answers.map(|a| a.into_inner()).unwrap_or_default() {
            let a = a.into_inner();
            let value = a.value.get_ref().clone();
            if !is_id(&value) {
                self.diags.error(
                    a.value.span().start,
                    format!("answer value `{value}`: use lowercase words like yes, no, not-sure"),
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
            unknown: self.required(at, id, what, "unknown", &n.unknown),
        })
    }

    /// An action node: what the person does, verified when the flow says how.
    pub(super) fn action(&mut self, n: RawNode, at: usize, id: &str, what: &str) -> Body {
        let do_ = self.text(at, id, what, "do", n.do_);
        let verify = n.verify.and_then(|v| self.verify(v));
        Body::Action(Action {
            do_,
            help: n.help.map(|s| s.into_inner()),
            verify,
            success: self.required(at, id, what, "success", &n.success),
            timeout: self.required(at, id, what, "timeout", &n.timeout),
        })
    }

    /// A fix node: the method pawdiag calls once the person consents.
    pub(super) fn fix(
        &mut self,
        n: RawNode,
        at: usize,
        id: &str,
        what: &str,
        model: Model,
    ) -> Body {
        let consent = self.text(at, id, what, "consent", n.consent);
        let method_at = n.method.as_ref().map_or(at, |m| m.span().start);
        let method = self.text(at, id, what, "method", n.method);
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
            success: self.required(at, id, what, "success", &n.success),
            failure: self.required(at, id, what, "failure", &n.failure),
            declined: self.required(at, id, what, "declined", &n.declined),
        })
    }

    /// An outcome node (also any node of an unknown type).
    pub(super) fn outcome(&mut self, n: RawNode, at: usize, id: &str, what: &str) -> Body {
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
                format!("code `{code}`: use capitals, digits and dashes (customers read it out)"),
            );
        }
        let summary = if what == "outcome" {
            self.text(at, id, what, "summary", n.summary)
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
                    format!("{kind} outcome `{id}` needs a `tier` (1, 2, 3 or \"management\")"),
                );
            }
            if needs && criterion.is_none() {
                self.diags.error_hint(
                    at,
                    format!("{kind} outcome `{id}` needs the playbook `criterion` that applies"),
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
        if pet_health && !matches!(kind, OutcomeKind::CustomerAction | OutcomeKind::Escalate) {
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
}
