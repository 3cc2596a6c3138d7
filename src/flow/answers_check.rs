//! Checking an answers file against the flows before any device is
//! touched: every id must be a question, action or fix of some flow (or
//! `safety.hazard`), and every value one that node takes. Errors name the
//! file, the line and column, and what would be right (the nearest ids,
//! the allowed values).

use super::answers::AnswersError;
use super::format::{Body, Flow, Node};
use super::load::FlowSet;
use super::safety::HAZARD_KEY;

/// Values that mean "no answer" for every kind of node.
const NO_ANSWER: [&str; 2] = ["", "unknown"];
/// Values a fix takes.
const FIX_VALUES: [&str; 4] = ["yes", "no", "y", "n"];
/// Values an action takes.
const ACTION_VALUES: [&str; 5] = ["done", "yes", "ok", "failed", "no"];

/// One answer to check, with where it is (`None` when it did not come from
/// a file with positions).
pub struct Given<'a> {
    /// `node`, `flow-id#node` or `safety.hazard`.
    pub key: &'a str,
    /// The value.
    pub value: &'a str,
    /// Line and column of the key and of the value.
    pub at: Option<((usize, usize), (usize, usize))>,
}

/// What a node accepts, for messages: `None` when it takes no answer.
fn allowed(node: &Node) -> Option<Vec<String>> {
    match &node.body {
        Body::Question(q) => Some(q.answers.iter().map(|a| a.value.clone()).collect()),
        Body::Fix(_) => Some(vec!["yes".into(), "no".into()]),
        Body::Action(_) => Some(vec!["done".into(), "failed".into()]),
        Body::Check(_) | Body::Outcome(_) => None,
    }
}

fn accepts(node: &Node, value: &str) -> bool {
    if NO_ANSWER.contains(&value) {
        return true;
    }
    match &node.body {
        Body::Question(q) => q.answers.iter().any(|a| a.value == value),
        Body::Fix(_) => FIX_VALUES.contains(&value),
        Body::Action(_) => ACTION_VALUES.contains(&value),
        Body::Check(_) | Body::Outcome(_) => false,
    }
}

/// Up to three of `candidates` closest to `typed`, closest first.
pub fn nearest<'a>(typed: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::normalized_damerau_levenshtein(typed, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn answerable(flow: &Flow) -> impl Iterator<Item = &str> {
    flow.nodes
        .iter()
        .filter(|n| allowed(n).is_some())
        .map(|n| n.id.as_str())
}

/// Checks `given` against `flows`; `flow` is the flow about to run, if one
/// was named (its nodes are preferred when an id is in several flows).
pub fn check(
    file: &str,
    given: &[Given<'_>],
    flows: &FlowSet,
    flow: Option<&str>,
) -> Result<(), AnswersError> {
    for g in given {
        let key_at = g.at.map(|(k, _)| k);
        let value_at = g.at.map(|(_, v)| v);
        let err = |at: Option<(usize, usize)>, message: String, hint: String| AnswersError {
            file: file.to_string(),
            at,
            message,
            hint,
        };
        if g.key == HAZARD_KEY {
            let values: Vec<&str> = flows
                .safety
                .hazard
                .answers
                .iter()
                .map(|a| a.value.as_str())
                .collect();
            if !values.contains(&g.value) && !NO_ANSWER.contains(&g.value) {
                return Err(err(
                    value_at,
                    format!("`{}` is not an answer to {HAZARD_KEY}", g.value),
                    format!("{HAZARD_KEY} takes {}", values.join(" or ")),
                ));
            }
            continue;
        }
        // The nodes this key can mean.
        let nodes: Vec<(&Flow, &Node)> = match g.key.split_once('#') {
            Some((flow_id, node_id)) => {
                let Some(f) = flows.get(flow_id) else {
                    let near = nearest(flow_id, flows.flows.keys().map(String::as_str));
                    return Err(err(
                        key_at,
                        format!("`{flow_id}` in `{}` is not a flow", g.key),
                        suggest(&near, "`pawdiag flows list` shows the flows"),
                    ));
                };
                match f.node(node_id).filter(|n| allowed(n).is_some()) {
                    Some(n) => vec![(f, n)],
                    None => {
                        let near = nearest(node_id, answerable(f));
                        return Err(err(
                            key_at,
                            format!("`{node_id}` is not a question, action or fix of {}", f.id),
                            suggest(&near, &format!("`pawdiag flows show {}` lists them", f.id)),
                        ));
                    }
                }
            }
            None => {
                let all: Vec<(&Flow, &Node)> = flows
                    .flows
                    .values()
                    .filter_map(|f| f.node(g.key).map(|n| (f, n)))
                    .collect();
                let named: Vec<(&Flow, &Node)> = all
                    .iter()
                    .copied()
                    .filter(|(f, _)| Some(f.id.as_str()) == flow)
                    .collect();
                let nodes = if named.is_empty() { all } else { named };
                let nodes: Vec<(&Flow, &Node)> = nodes
                    .into_iter()
                    .filter(|(_, n)| allowed(n).is_some())
                    .collect();
                if nodes.is_empty() {
                    let pool: Vec<&str> = match flow.and_then(|id| flows.get(id)) {
                        Some(f) => answerable(f).collect(),
                        None => flows.flows.values().flat_map(answerable).collect(),
                    };
                    let near = nearest(g.key, pool.into_iter());
                    return Err(err(
                        key_at,
                        format!("`{}` is not a question, action or fix of any flow", g.key),
                        suggest(
                            &near,
                            "ids are the flow's node ids (`pawdiag flows show ID` lists them), or `safety.hazard`",
                        ),
                    ));
                }
                nodes
            }
        };
        if !nodes.iter().any(|(_, n)| accepts(n, g.value)) {
            let (f, n) = nodes[0];
            let values = allowed(n).unwrap_or_default();
            return Err(err(
                value_at,
                format!("`{}` is not an answer to `{}` of {}", g.value, n.id, f.id),
                format!("`{}` takes {}", n.id, values.join(", ")),
            ));
        }
    }
    Ok(())
}

fn suggest(near: &[&str], otherwise: &str) -> String {
    match near {
        [] => otherwise.to_string(),
        [one] => format!("did you mean `{one}`? ({otherwise})"),
        more => format!(
            "did you mean one of {}? ({otherwise})",
            more.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn given<'a>(key: &'a str, value: &'a str) -> Given<'a> {
        Given {
            key,
            value,
            at: Some(((3, 1), (3, 9))),
        }
    }

    #[test]
    fn nearest_ids_come_first() {
        let ids = ["app-permissions", "outdoor", "cold-start", "allow-location"];
        assert_eq!(
            nearest("app-permisions", ids.iter().copied()),
            vec!["app-permissions"]
        );
        assert!(nearest("zzzzzzzz", ids.iter().copied()).is_empty());
    }

    #[test]
    fn ids_and_values_are_checked_against_the_flows() {
        let flows = FlowSet::load(None).unwrap();
        let flow = Some("pettracker/gps-not-working");
        let ok = [
            given("app-permissions", "yes"),
            given("outdoor", "done"),
            given("cold-start", "no"),
            given("safety.hazard", "no"),
            given("pettracker/gps-not-working#outdoor", "failed"),
        ];
        check("a.toml", &ok, &flows, flow).unwrap();

        let e = check("a.toml", &[given("app-permisions", "yes")], &flows, flow).unwrap_err();
        assert_eq!(e.at, Some((3, 1)));
        assert!(e.message.contains("`app-permisions`"), "{}", e.message);
        assert!(e.hint.contains("`app-permissions`"), "{}", e.hint);
        assert!(e.to_string().starts_with("a.toml:3:1: "), "{e}");

        let e = check("a.toml", &[given("app-permissions", "maybe")], &flows, flow).unwrap_err();
        assert_eq!(e.at, Some((3, 9)));
        assert!(e.hint.contains("yes, no"), "{}", e.hint);

        let e = check("a.toml", &[given("power", "yes")], &flows, flow).unwrap_err();
        assert!(e.message.contains("not a question"), "{}", e.message);

        let e = check(
            "a.toml",
            &[given("pettracker/gps#outdoor", "done")],
            &flows,
            flow,
        )
        .unwrap_err();
        assert!(e.hint.contains("pettracker/gps-not-working"), "{}", e.hint);
    }
}
