//! A compiled flow and its nodes, and what the engine, lint and the graph
//! ask of them.

use super::node::*;
use crate::interface::Model;
use std::collections::HashMap;
use std::sync::Arc;

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
    pub(super) index: HashMap<String, usize>,
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
