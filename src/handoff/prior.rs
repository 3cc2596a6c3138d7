//! Replies from an earlier session, given again instead of asked again: a
//! replay answers as the recorded person did, and `diagnose --continue`
//! does not ask the bench what the customer already said. What the
//! earlier session did not answer is asked (of the wrapped asker), so a
//! continued session resumes at its first unanswered step. Actions are
//! reused as replies; the device still verifies those that depend on time
//! or place (the engine polls it after a reused "done" as after a fresh one).

use super::source::Given;
use crate::flow::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use crate::flow::safety::HAZARD_KEY;
use crate::flow::session::{RunMode, Session};
use futures_util::future::BoxFuture;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// The reply recorded for the person's "I'm not sure".
const NOT_SURE: &str = "unknown";

/// Replies by node, in the order they were given (a node visited twice
/// gets its two replies in turn).
#[derive(Debug, Clone, Default)]
pub struct Prior {
    replies: HashMap<String, VecDeque<Option<String>>>,
}

impl Prior {
    /// The replies of an earlier session. With `reuse_hazard` false the
    /// hazard question is asked again: a device can start to swell or
    /// overheat between two sessions.
    pub fn new(given: &[Given], reuse_hazard: bool) -> Self {
        let mut replies: HashMap<String, VecDeque<Option<String>>> = HashMap::new();
        for g in given {
            if !reuse_hazard && g.node_id == HAZARD_KEY {
                continue;
            }
            replies
                .entry(g.node_id.clone())
                .or_default()
                .push_back(g.reply.clone());
        }
        Self { replies }
    }

    /// How many replies there are to reuse.
    pub fn len(&self) -> usize {
        self.replies
            .values()
            .flatten()
            .filter(|r| r.is_some())
            .count()
    }

    /// True when there is nothing to reuse.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn take(&mut self, node: &str) -> Option<String> {
        self.replies.get_mut(node)?.pop_front().flatten()
    }
}

/// An asker that gives earlier replies first and asks `inner` for the rest.
pub struct ReuseAsker<'a> {
    prior: Prior,
    inner: &'a mut dyn Asker,
    reused: Vec<String>,
}

impl<'a> ReuseAsker<'a> {
    /// Reuses `prior`, asking `inner` for anything else.
    pub fn new(prior: Prior, inner: &'a mut dyn Asker) -> Self {
        Self {
            prior,
            inner,
            reused: Vec::new(),
        }
    }

    /// The nodes whose earlier reply was reused, in order.
    pub fn reused(&self) -> &[String] {
        &self.reused
    }

    /// An earlier reply to this prompt that is still one of its choices
    /// (a flow edited since may have dropped it: then it is asked).
    fn earlier(&mut self, p: &Prompt<'_>, allowed: &[&str]) -> Option<String> {
        let v = self.prior.take(p.node_id)?;
        // "Not sure" was an answer too.
        let fits = if v == NOT_SURE {
            true
        } else if p.choices.is_empty() {
            allowed.contains(&v.as_str())
        } else {
            p.choices.iter().any(|c| c.value == v)
        };
        fits.then(|| {
            self.reused.push(p.node_id.to_string());
            v
        })
    }
}

impl Asker for ReuseAsker<'_> {
    fn mode(&self) -> RunMode {
        self.inner.mode()
    }

    fn say<'b>(&'b mut self, prompt: &'b Prompt<'b>) -> BoxFuture<'b, ()> {
        self.inner.say(prompt)
    }

    fn ask<'b>(&'b mut self, p: &'b Prompt<'b>) -> BoxFuture<'b, Result<Answer, AskError>> {
        match self.earlier(p, &[]) {
            Some(v) if v == NOT_SURE => Box::pin(async { Ok(Answer::NotSure) }),
            Some(v) => Box::pin(async move { Ok(Answer::Value(v)) }),
            None => self.inner.ask(p),
        }
    }

    fn consent<'b>(&'b mut self, p: &'b Prompt<'b>) -> BoxFuture<'b, Result<Answer, AskError>> {
        match self.earlier(p, &["yes", "no"]) {
            Some(v) if v == NOT_SURE => Box::pin(async { Ok(Answer::NotSure) }),
            Some(v) => Box::pin(async move { Ok(Answer::Value(v)) }),
            None => self.inner.consent(p),
        }
    }

    fn action<'b>(
        &'b mut self,
        p: &'b Prompt<'b>,
        verified: bool,
    ) -> BoxFuture<'b, Result<ActionReply, AskError>> {
        match self.earlier(p, &["done", "failed"]).as_deref() {
            Some("done") => Box::pin(async { Ok(ActionReply::Done) }),
            Some(_) => Box::pin(async { Ok(ActionReply::Failed) }),
            None => self.inner.action(p, verified),
        }
    }

    fn progress<'b>(
        &'b mut self,
        p: &'b Prompt<'b>,
        text: &'b str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'b, Result<PollControl, AskError>> {
        self.inner.progress(p, text, elapsed, limit)
    }

    fn finished<'b>(&'b mut self, session: &'b Session) -> BoxFuture<'b, ()> {
        self.inner.finished(session)
    }
}
