//! Flows as pictures and outlines: Mermaid and Graphviz DOT exports, and the
//! readable outline `pawdiag flows show` prints (playbook step, what is
//! checked or asked, and where each answer leads).

use super::format::{Body, Flow, Node};
use super::session::OutcomeKind;
use std::fmt::Write;

/// Output format of a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// Mermaid `flowchart`.
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

fn short(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        s
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn mermaid_id(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("n_{clean}")
}

// Mermaid labels are quoted; quotes, angle brackets and `#` become entities.
fn mermaid_text(s: &str) -> String {
    s.replace('#', "#35;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn node_label(n: &Node) -> (String, String) {
    let head = match &n.body {
        Body::Outcome(o) => format!("{} {}", o.kind, o.code),
        b => b.type_name().to_string(),
    };
    let detail = n
        .playbook_step
        .clone()
        .or_else(|| n.customer_text().map(|t| short(t, 50)))
        .unwrap_or_default();
    (format!("{}: {head}", n.id), detail)
}

fn edges(n: &Node) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match &n.body {
        Body::Check(c) => {
            for r in &c.rules {
                out.push((short(&r.when.text, 60), r.goto.id.clone()));
            }
            out.push(("otherwise".into(), c.next.id.clone()));
            if let Some(e) = &c.on_error
                && e.id != c.next.id
            {
                out.push(("cannot tell".into(), e.id.clone()));
            }
        }
        Body::Question(q) => {
            for a in &q.answers {
                out.push((short(&a.label, 40), a.goto.id.clone()));
            }
            out.push(("not sure".into(), q.unknown.id.clone()));
        }
        Body::Action(a) => {
            out.push(("worked".into(), a.success.id.clone()));
            out.push((
                if a.verify.is_some() {
                    "not in time"
                } else {
                    "did not work"
                }
                .into(),
                a.timeout.id.clone(),
            ));
        }
        Body::Fix(f) => {
            out.push(("fixed".into(), f.success.id.clone()));
            out.push(("failed".into(), f.failure.id.clone()));
            out.push(("declined".into(), f.declined.id.clone()));
        }
        Body::Outcome(_) => {}
    }
    out.retain(|(_, to)| !to.is_empty());
    out
}

fn outcome_class(k: OutcomeKind) -> &'static str {
    match k {
        OutcomeKind::Resolved => "resolved",
        OutcomeKind::CustomerAction => "customer",
        OutcomeKind::Escalate => "escalate",
        OutcomeKind::Replace => "replace",
        OutcomeKind::Safety => "safety",
        OutcomeKind::NoFaultFound => "nff",
        OutcomeKind::Incomplete => "incomplete",
    }
}

/// Renders a flow as a graph.
pub fn render(flow: &Flow, format: GraphFormat) -> String {
    match format {
        GraphFormat::Mermaid => mermaid(flow),
        GraphFormat::Dot => dot(flow),
    }
}

fn mermaid(flow: &Flow) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "---\ntitle: \"{}\"\n---",
        mermaid_text(&format!("{} ({})", flow.title, flow.id))
    );
    let _ = writeln!(s, "flowchart TD");
    for n in &flow.nodes {
        let (head, detail) = node_label(n);
        let text = if detail.is_empty() {
            mermaid_text(&head)
        } else {
            format!("{}<br/>{}", mermaid_text(&head), mermaid_text(&detail))
        };
        let id = mermaid_id(&n.id);
        let shape = match &n.body {
            Body::Check(_) => format!("{id}{{\"{text}\"}}"),
            Body::Question(_) => format!("{id}[/\"{text}\"/]"),
            Body::Action(_) => format!("{id}(\"{text}\")"),
            Body::Fix(_) => format!("{id}[[\"{text}\"]]"),
            Body::Outcome(o) => format!("{id}([\"{text}\"]):::{}", outcome_class(o.kind)),
        };
        let _ = writeln!(s, "    {shape}");
    }
    let _ = writeln!(s, "    start((start)) --> {}", mermaid_id(&flow.start.id));
    for n in &flow.nodes {
        for (label, to) in edges(n) {
            let _ = writeln!(
                s,
                "    {} -- \"{}\" --> {}",
                mermaid_id(&n.id),
                mermaid_text(&label),
                mermaid_id(&to)
            );
        }
    }
    let _ = writeln!(s, "    classDef resolved fill:#d4edda,stroke:#2e7d32");
    let _ = writeln!(s, "    classDef customer fill:#dbe9f6,stroke:#1565c0");
    let _ = writeln!(s, "    classDef escalate fill:#fff3cd,stroke:#b26a00");
    let _ = writeln!(s, "    classDef replace fill:#f8d7da,stroke:#b71c1c");
    let _ = writeln!(
        s,
        "    classDef safety fill:#b71c1c,color:#ffffff,stroke:#7f0000"
    );
    let _ = writeln!(s, "    classDef nff fill:#eeeeee,stroke:#616161");
    s
}

fn dot(flow: &Flow) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph \"{}\" {{", dot_text(&flow.id));
    let _ = writeln!(
        s,
        "    label=\"{}\";",
        dot_text(&format!("{} ({})", flow.title, flow.id))
    );
    let _ = writeln!(
        s,
        "    rankdir=TB;\n    node [fontname=\"Helvetica\", fontsize=10];\n    edge [fontname=\"Helvetica\", fontsize=9];"
    );
    let _ = writeln!(s, "    \"__start\" [shape=circle, label=\"start\"];");
    for n in &flow.nodes {
        let (head, detail) = node_label(n);
        let label = if detail.is_empty() {
            head
        } else {
            format!("{head}\n{detail}")
        };
        let (shape, style) = match &n.body {
            Body::Check(_) => ("diamond", String::new()),
            Body::Question(_) => ("parallelogram", String::new()),
            Body::Action(_) => ("box", ", style=rounded".to_string()),
            Body::Fix(_) => ("box3d", String::new()),
            Body::Outcome(o) => (
                "box",
                format!(
                    ", style=\"rounded,filled\", fillcolor=\"{}\"",
                    match o.kind {
                        OutcomeKind::Resolved => "#d4edda",
                        OutcomeKind::CustomerAction => "#dbe9f6",
                        OutcomeKind::Escalate => "#fff3cd",
                        OutcomeKind::Replace => "#f8d7da",
                        OutcomeKind::Safety => "#e57373",
                        OutcomeKind::NoFaultFound | OutcomeKind::Incomplete => "#eeeeee",
                    }
                ),
            ),
        };
        let _ = writeln!(
            s,
            "    \"{}\" [shape={shape}{style}, label=\"{}\"];",
            dot_text(&n.id),
            dot_text(&label)
        );
    }
    let _ = writeln!(s, "    \"__start\" -> \"{}\";", dot_text(&flow.start.id));
    for n in &flow.nodes {
        for (label, to) in edges(n) {
            let _ = writeln!(
                s,
                "    \"{}\" -> \"{}\" [label=\"{}\"];",
                dot_text(&n.id),
                dot_text(&to),
                dot_text(&label)
            );
        }
    }
    let _ = writeln!(s, "}}");
    s
}

/// The nodes in walking order: breadth-first from `start`, then any not
/// reachable.
pub fn walk_order(flow: &Flow) -> Vec<&Node> {
    let mut order: Vec<&Node> = Vec::new();
    let mut queue = std::collections::VecDeque::new();
    if let Some(n) = flow.node(&flow.start.id) {
        queue.push_back(n);
    }
    while let Some(n) = queue.pop_front() {
        if order.iter().any(|o| o.id == n.id) {
            continue;
        }
        order.push(n);
        for (_, to) in edges(n) {
            if let Some(t) = flow.node(&to) {
                queue.push_back(t);
            }
        }
    }
    for n in &flow.nodes {
        if !order.iter().any(|o| o.id == n.id) {
            order.push(n);
        }
    }
    order
}

/// How a verification reads in the outline.
fn verify_line(v: &super::format::Verify) -> String {
    format!(
        "{} (every {} s, up to {} s{})",
        v.until.text,
        v.every_s,
        v.timeout_s,
        if v.require_change {
            ", once it differs from the start of the step"
        } else {
            ""
        }
    )
}

/// A readable outline of a flow for technicians and support managers.
pub fn outline(flow: &Flow) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} — {} ({})",
        flow.id,
        flow.title,
        flow.model.product_name()
    );
    let _ = writeln!(s, "Customer says: \"{}\"", flow.symptom);
    let _ = writeln!(s, "Playbook:      {}", flow.playbook);
    let _ = writeln!(s, "Starts at:     {}", flow.start.id);
    for n in walk_order(flow) {
        let _ = writeln!(s);
        let kind = match &n.body {
            Body::Outcome(o) => {
                let tier = o.tier.map(|t| format!(", {t}")).unwrap_or_default();
                format!("outcome: {} {}{tier}", o.kind, o.code)
            }
            b => b.type_name().to_string(),
        };
        let _ = writeln!(s, "[{}] {kind}", n.id);
        if let Some(step) = &n.playbook_step {
            let _ = writeln!(s, "    playbook step: {step}");
        }
        match &n.body {
            Body::Check(c) => {
                if let Some(say) = &c.say {
                    let _ = writeln!(s, "    says:     \"{say}\"");
                }
                let probes = n.probes();
                if !probes.is_empty() {
                    let again = if c.fresh { " (read again now)" } else { "" };
                    let _ = writeln!(s, "    reads:    {}{again}", probes.join(", "));
                }
            }
            Body::Question(q) => {
                let _ = writeln!(s, "    asks:     \"{}\"", q.ask);
                if let Some(h) = &q.help {
                    let _ = writeln!(s, "    help:     \"{h}\"");
                }
            }
            Body::Action(a) => {
                let _ = writeln!(s, "    asks to:  \"{}\"", a.do_);
                if let Some(v) = &a.verify {
                    let _ = writeln!(s, "    verifies: {}", verify_line(v));
                }
            }
            Body::Fix(f) => {
                let _ = writeln!(s, "    consent:  \"{}\"", f.consent);
                let params = f
                    .params
                    .as_ref()
                    .filter(|p| p.as_object().is_some_and(|o| !o.is_empty()));
                match params {
                    Some(p) => {
                        let _ = writeln!(s, "    runs:     {} {p}", f.method);
                    }
                    None => {
                        let _ = writeln!(s, "    runs:     {}", f.method);
                    }
                }
                if let Some(w) = &f.wait_event {
                    let _ = writeln!(s, "    waits:    for {} (up to {} s)", w.name, w.timeout_s);
                }
                if let Some(v) = &f.verify {
                    let _ = writeln!(s, "    verifies: {}", verify_line(v));
                }
            }
            Body::Outcome(o) => {
                let _ = writeln!(s, "    tells:    \"{}\"", o.summary);
                if let Some(c) = &o.criterion {
                    let _ = writeln!(s, "    criterion: {c}");
                }
                for step in &o.next_steps {
                    let _ = writeln!(s, "    next:     {step}");
                }
            }
        }
        if let Some(t) = &n.tech {
            let _ = writeln!(s, "    tech:     {t}");
        }
        for (label, to) in edges(n) {
            let _ = writeln!(s, "    {label} → {to}");
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::flow::tests::{GPS_FLOW, compile_text};

    #[test]
    fn mermaid_and_dot_have_every_node_and_edge_escaped() {
        let (flow, _) = compile_text(GPS_FLOW, "pettracker/gps-not-working");
        let flow = flow.unwrap();
        let m = render(&flow, GraphFormat::Mermaid);
        assert!(m.starts_with("---\ntitle:"));
        assert!(m.contains("n_antenna -- \"selftest.gps == 'fail'\" --> n_antenna_fault"));
        assert!(m.contains("n_antenna_fault([\"antenna-fault: replace PT-GPS-ANT"));
        // The question's label contains quotes: they must be entities.
        assert!(!m.contains("\"Always\""));
        let edges = flow.nodes.iter().map(|n| edges(n).len()).sum::<usize>();
        assert_eq!(m.matches(" --> ").count(), edges + 1);
        let d = render(&flow, GraphFormat::Dot);
        assert!(d.starts_with("digraph \"pettracker/gps-not-working\" {"));
        assert_eq!(d.matches(" -> ").count(), edges + 1);
        assert!(d.trim_end().ends_with('}'));
    }

    #[test]
    fn outline_follows_the_walk_and_shows_branches() {
        let (flow, _) = compile_text(GPS_FLOW, "pettracker/gps-not-working");
        let o = outline(&flow.unwrap());
        let first = o.find("[firmware]").unwrap();
        let later = o.find("[escalate-gps]").unwrap();
        assert!(first < later);
        assert!(o.contains("    selftest.gps == 'fail' → antenna-fault"));
        assert!(o.contains("    runs:     gps.cold_start"));
        assert!(o.contains("playbook step: Confirm mobile app permissions"));
    }
}
