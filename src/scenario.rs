//! Scenario tests of flows (`flows/scenarios/<model>/<name>.toml`): a flow,
//! simulator faults (device and link), answers, and the expected ending.
//! Each scenario runs the real engine against the in-process simulator,
//! through the real client and [`DeviceFacts`], exactly as `diagnose` would;
//! node coverage per flow is the share of its nodes visited by any scenario.
//!
//! ```toml
//! # GPS antenna open circuit: self-test fails, replace.
//! flow = "pettracker/gps-not-working"
//! faults = ["gps-antenna-open"]
//! link = []                    # optional link faults (drop, vanish, …)
//! fw = "2.3.0"                 # optional firmware version
//! expect_kind = "replace"      # outcome kind (omit when a stop is expected)
//! expect_code = "PT-GPS-ANT"   # outcome code
//! expect_stop = "link_lost"    # optional: expected stop kind
//!                              # (expect_kind = "incomplete": a step had no answer)
//! expect_needs = "outdoor"     # optional: the step an incomplete walk stopped at
//!
//! [answers]                    # as an answers file
//! "safety.hazard" = "no"
//! ```

use crate::client::{Client, ClientOptions};
use crate::flow::answers::AnswersAsker;
use crate::flow::clock::ScaledClock;
use crate::flow::diag::{Diagnostic, Diags};
use crate::flow::engine::RunOptions;
use crate::flow::format::Flow;
use crate::flow::load::{FlowSet, SourceFile};
use crate::flow::session::{OutcomeKind, Session, StopKind};
use crate::sim::{SimSpec, SimTransport};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    flow: Spanned<String>,
    #[serde(default)]
    faults: Vec<String>,
    #[serde(default)]
    link: Vec<String>,
    #[serde(default)]
    fw: Option<String>,
    #[serde(default)]
    serial: Option<String>,
    #[serde(default)]
    expect_kind: Option<Spanned<String>>,
    #[serde(default)]
    expect_code: Option<String>,
    #[serde(default)]
    expect_stop: Option<Spanned<String>>,
    #[serde(default)]
    expect_needs: Option<String>,
    #[serde(default)]
    answers: toml::Table,
}

/// A parsed scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name: the file path under `scenarios/` without `.toml`.
    pub name: String,
    /// Where it came from, for messages.
    pub file: String,
    /// The flow it runs.
    pub flow: String,
    /// The simulated device.
    pub spec: SimSpec,
    /// Answers by key.
    pub answers: BTreeMap<String, String>,
    /// Expected outcome kind.
    pub expect_kind: Option<OutcomeKind>,
    /// Expected outcome code.
    pub expect_code: Option<String>,
    /// Expected stop kind.
    pub expect_stop: Option<StopKind>,
    /// The step an `incomplete` walk is expected to stop at for want of an
    /// answer.
    pub expect_needs: Option<String>,
}

fn stop_kind(s: &str) -> Option<StopKind> {
    match s {
        "link_lost" => Some(StopKind::LinkLost),
        "interrupted" => Some(StopKind::Interrupted),
        "safety" => Some(StopKind::Safety),
        "error" => Some(StopKind::Error),
        "unanswered" => Some(StopKind::Unanswered),
        _ => None,
    }
}

/// Parses a scenario file; problems go to the returned diagnostics.
pub fn parse(file: &SourceFile, set: &FlowSet) -> Result<Scenario, Vec<Diagnostic>> {
    let mut d = Diags::new(file.display(), file.text.clone());
    let raw: RawScenario = match toml::from_str(&file.text) {
        Ok(r) => r,
        Err(e) => {
            d.error(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            );
            return Err(d.items);
        }
    };
    let flow_at = raw.flow.span().start;
    let flow = raw.flow.into_inner();
    let Some(f) = set.get(&flow) else {
        d.error_hint(
            flow_at,
            format!("there is no flow `{flow}`"),
            "`pawdiag flows list` shows the flows",
        );
        return Err(d.items);
    };
    let mut spec = SimSpec::new(f.model);
    match SimSpec::new(f.model).with_faults(&raw.faults) {
        Ok(s) => spec.faults = s.faults,
        Err(e) => d.error_hint(0, e.to_string(), e.hint()),
    }
    match SimSpec::new(f.model).with_link_faults(&raw.link) {
        Ok(s) => spec.link_faults = s.link_faults,
        Err(e) => d.error_hint(0, e.to_string(), e.hint()),
    }
    spec.fw_version = raw.fw;
    spec.serial = raw.serial;
    let expect_kind = raw.expect_kind.and_then(|k| {
        let kind = OutcomeKind::parse_any(k.get_ref());
        if kind.is_none() {
            d.error(
                k.span().start,
                format!("`{}` is not an outcome kind", k.get_ref()),
            );
        }
        kind
    });
    let expect_stop = raw.expect_stop.and_then(|k| {
        let kind = stop_kind(k.get_ref());
        if kind.is_none() {
            d.error(
                k.span().start,
                format!(
                    "`{}` is not a stop kind (link_lost, interrupted, safety, error, unanswered)",
                    k.get_ref()
                ),
            );
        }
        kind
    });
    if expect_kind.is_none() && raw.expect_code.is_none() && expect_stop.is_none() {
        d.error(
            0,
            "the scenario expects nothing: add expect_kind and expect_code (or expect_stop)",
        );
    }
    let mut answers = BTreeMap::new();
    for (k, v) in raw.answers {
        let text = match v {
            toml::Value::String(s) => s,
            toml::Value::Boolean(b) => if b { "yes" } else { "no" }.to_string(),
            other => {
                d.error(
                    0,
                    format!("the answer for `{k}` must be text or true/false, not {other}"),
                );
                continue;
            }
        };
        answers.insert(k, text);
    }
    if d.has_errors() {
        return Err(d.items);
    }
    Ok(Scenario {
        name: file
            .rel
            .trim_start_matches("scenarios/")
            .trim_end_matches(".toml")
            .to_string(),
        file: file.display(),
        flow,
        spec,
        answers,
        expect_kind,
        expect_code: raw.expect_code,
        expect_stop,
        expect_needs: raw.expect_needs,
    })
}

/// The result of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// Scenario name.
    pub name: String,
    /// Its flow.
    pub flow: String,
    /// Whether the ending matched.
    pub passed: bool,
    /// What did not match.
    pub problems: Vec<String>,
    /// Answers given but never asked for (probably stale or misspelt).
    pub unused_answers: Vec<String>,
    /// Nodes visited.
    pub visited: Vec<String>,
    /// Wall time.
    pub millis: u64,
    /// The session record.
    #[serde(skip)]
    pub session: Option<Session>,
}

/// Options of a scenario run.
#[derive(Debug, Clone)]
pub struct ScenarioOptions {
    /// Fraction of each verification wait performed for real.
    pub time_scale: f64,
    /// Scenarios run at once.
    pub parallel: usize,
}

impl Default for ScenarioOptions {
    fn default() -> Self {
        Self {
            time_scale: 0.02,
            parallel: 4,
        }
    }
}

impl ScenarioOptions {
    /// The client a scenario talks through (given the transport, which a
    /// test may wrap, e.g. to record it).
    pub fn client(&self, transport: crate::link::BoxTransport) -> Client {
        Client::new(
            transport,
            ClientOptions {
                reconnect_within: Duration::from_secs(6),
                ..ClientOptions::default()
            },
        )
    }

    /// The walk's options: waits shortened, a person's pause kept.
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            clock: Arc::new(ScaledClock {
                scale: self.time_scale,
                // The simulator tells a person's action by this pause.
                person_pause: crate::sim::models::HANDS_ON_PAUSE + Duration::from_millis(300),
            }),
            ..RunOptions::default()
        }
    }
}

/// Runs one scenario against the in-process simulator.
pub async fn run(
    sc: &Scenario,
    flow: &Flow,
    set: &FlowSet,
    opts: &ScenarioOptions,
) -> ScenarioResult {
    let started = Instant::now();
    let client = opts.client(Box::new(SimTransport::start(&sc.spec)));
    let mut asker = AnswersAsker::from_map(&sc.file, sc.answers.clone());
    let run_opts = opts.run_options();
    // The same pipeline as `diagnose`: prefetch, walk, device log, findings
    // and the verdict.
    let walked =
        crate::diagnose::diagnose(client, set, Some(&flow.id), &mut asker, &run_opts).await;
    let session = match walked {
        Ok(d) => d.session,
        Err(e) => {
            let mut s = Session::new(
                &flow.id,
                &flow.title,
                flow.model,
                crate::flow::session::RunMode::Answers,
                chrono::Utc::now(),
            );
            s.stopped = Some(crate::flow::session::StopReason::new(
                StopKind::Error,
                "start",
                e.to_string(),
            ));
            s
        }
    };
    let mut problems = Vec::new();
    let got_kind = session.outcome.as_ref().map(|o| o.kind);
    let got_code = session.outcome.as_ref().map(|o| o.code.clone());
    let got_stop = session.stopped.as_ref().map(|s| s.kind);
    let ending = || match (&session.outcome, &session.stopped) {
        (Some(o), _) => format!("{} {}", o.kind, o.code),
        (None, Some(s)) => format!("stopped ({}) at `{}`: {}", s.kind, s.at_node, s.reason),
        (None, None) => "no ending".into(),
    };
    if let Some(k) = sc.expect_kind
        && got_kind != Some(k)
    {
        problems.push(format!("expected a {k} ending, got {}", ending()));
    }
    if let Some(c) = &sc.expect_code
        && got_code.as_deref() != Some(c.as_str())
        && problems.is_empty()
    {
        problems.push(format!("expected code {c}, got {}", ending()));
    }
    match (sc.expect_stop, got_stop) {
        (Some(want), Some(got)) if want != got => {
            problems.push(format!("expected a stop ({want}), got {}", ending()))
        }
        (Some(want), None) => problems.push(format!("expected a stop ({want}), got {}", ending())),
        // A safety stop, or the stop that makes an expected `incomplete`.
        (None, Some(StopKind::Unanswered)) if sc.expect_kind == Some(OutcomeKind::Incomplete) => {}
        (None, Some(got)) if got != StopKind::Safety => {
            problems.push(format!("unexpected stop: {}", ending()))
        }
        _ => {}
    }
    if let Some(want) = &sc.expect_needs {
        let got: Vec<&str> = session
            .needs_answers
            .iter()
            .map(|n| n.node_id.as_str())
            .collect();
        if got != [want.as_str()] {
            problems.push(format!(
                "expected the walk to stop for an answer at `{want}`, got {}",
                if got.is_empty() {
                    ending()
                } else {
                    format!("`{}`", got.join("`, `"))
                }
            ));
        }
    }
    let visited: Vec<String> = session.steps.iter().map(|s| s.node_id.clone()).collect();
    ScenarioResult {
        name: sc.name.clone(),
        flow: sc.flow.clone(),
        passed: problems.is_empty(),
        problems,
        unused_answers: asker.unused().into_iter().map(str::to_string).collect(),
        visited,
        millis: started.elapsed().as_millis() as u64,
        session: Some(session),
    }
}

/// Node coverage of one flow.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Flow id.
    pub flow: String,
    /// Nodes in the flow.
    pub nodes: usize,
    /// Nodes visited by at least one scenario.
    pub visited: usize,
    /// Nodes never visited.
    pub missed: Vec<String>,
    /// Scenarios of the flow.
    pub scenarios: usize,
}

impl Coverage {
    /// Visited share, 0–100.
    pub fn percent(&self) -> f64 {
        if self.nodes == 0 {
            100.0
        } else {
            self.visited as f64 * 100.0 / self.nodes as f64
        }
    }
}

/// Coverage of every flow of the set by the given results.
pub fn coverage(set: &FlowSet, results: &[ScenarioResult]) -> Vec<Coverage> {
    set.flows
        .values()
        .map(|f| {
            let seen: BTreeSet<&str> = results
                .iter()
                .filter(|r| r.flow == f.id)
                .flat_map(|r| r.visited.iter().map(String::as_str))
                .collect();
            let missed: Vec<String> = f
                .nodes
                .iter()
                .filter(|n| !seen.contains(n.id.as_str()))
                .map(|n| n.id.clone())
                .collect();
            Coverage {
                flow: f.id.clone(),
                nodes: f.nodes.len(),
                visited: f.nodes.len() - missed.len(),
                missed,
                scenarios: results.iter().filter(|r| r.flow == f.id).count(),
            }
        })
        .collect()
}

/// Runs many scenarios, a few at a time, calling `each` as each finishes.
pub async fn run_all(
    scenarios: &[Scenario],
    set: &FlowSet,
    opts: &ScenarioOptions,
    mut each: impl FnMut(&ScenarioResult),
) -> Vec<ScenarioResult> {
    use futures_util::stream::{self, StreamExt};
    let mut out: Vec<ScenarioResult> = Vec::new();
    let mut stream = stream::iter(
        scenarios
            .iter()
            .filter_map(|sc| set.get(&sc.flow).map(|f| (sc, f))),
    )
    .map(|(sc, f)| run(sc, f, set, opts))
    .buffered(opts.parallel.max(1));
    while let Some(r) = stream.next().await {
        each(&r);
        out.push(r);
    }
    out
}
