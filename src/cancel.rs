//! Stopping a session from outside: a [`Cancel`] token that the command
//! layer trips when a stop signal arrives (the library installs no signal
//! handlers), and that the engine, the client's waits and the askers
//! observe.
//!
//! A first request stops the session at its next safe point: at once
//! during a wait, a poll or a prompt, and never before starting another
//! fix or action; a state-changing request already on the wire is let
//! finish, so the device is never left half-way. A second request hurries:
//! whatever is still on the wire is abandoned too. Either way the session
//! so far is returned, so its report can be written.

use std::fmt;
use std::sync::Arc;
use tokio::sync::watch;

/// What asked the session to stop. Named after the Unix signals that
/// carry these requests; the library only records which one it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopSignal {
    /// SIGINT: Ctrl-C at the terminal.
    Interrupt,
    /// SIGTERM: a service manager or `kill`.
    Terminate,
    /// SIGHUP: the terminal went away (a closed window, a dropped SSH session).
    Hangup,
}

impl StopSignal {
    /// All of them.
    pub const ALL: [StopSignal; 3] = [
        StopSignal::Interrupt,
        StopSignal::Terminate,
        StopSignal::Hangup,
    ];

    /// The signal's name, as written in reports: `SIGINT`, `SIGTERM`, `SIGHUP`.
    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Interrupt => "SIGINT",
            StopSignal::Terminate => "SIGTERM",
            StopSignal::Hangup => "SIGHUP",
        }
    }

    /// The signal's number on Unix.
    pub fn number(self) -> u8 {
        match self {
            StopSignal::Hangup => 1,
            StopSignal::Interrupt => 2,
            StopSignal::Terminate => 15,
        }
    }

    /// The exit code a process stopped by it ends with, as shells expect:
    /// 128 + the signal's number (129, 130, 143).
    pub fn exit_code(self) -> u8 {
        128 + self.number()
    }

    /// Parses a name as written in reports (`SIGINT`…).
    pub fn parse(s: &str) -> Option<StopSignal> {
        Self::ALL.into_iter().find(|x| x.name() == s)
    }
}

impl fmt::Display for StopSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct State {
    first: Option<StopSignal>,
    count: u32,
}

/// A stop request shared by everything working on one run (cheap to clone;
/// every clone sees the same request). The default token is never tripped
/// unless [`Cancel::request`] is called on it or a clone.
#[derive(Debug, Clone)]
pub struct Cancel {
    tx: Arc<watch::Sender<State>>,
}

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

impl Cancel {
    /// A token nobody has tripped yet.
    pub fn new() -> Self {
        Self {
            tx: Arc::new(watch::Sender::new(State::default())),
        }
    }

    /// Asks everything watching this token to stop; returns how many
    /// requests there have been (1 for the first, 2 when hurrying…). The
    /// first request's signal is the one recorded.
    pub fn request(&self, signal: StopSignal) -> u32 {
        let mut count = 0;
        self.tx.send_modify(|s| {
            s.first.get_or_insert(signal);
            s.count = s.count.saturating_add(1);
            count = s.count;
        });
        count
    }

    /// The first request's signal, once one was made.
    pub fn signal(&self) -> Option<StopSignal> {
        self.tx.borrow().first
    }

    /// True once a stop was asked for.
    pub fn is_requested(&self) -> bool {
        self.tx.borrow().count >= 1
    }

    /// True once a stop was asked for twice: abandon even what is on the wire.
    pub fn is_hurried(&self) -> bool {
        self.tx.borrow().count >= 2
    }

    async fn reached(&self, count: u32) {
        let mut rx = self.tx.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail; if it
        // ever did, never resolving is the safe answer (no spurious stop).
        if rx.wait_for(|s| s.count >= count).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// Resolves once a stop is asked for (at once if it already was).
    pub async fn requested(&self) {
        self.reached(1).await;
    }

    /// Resolves once a stop is asked for a second time.
    pub async fn hurried(&self) {
        self.reached(2).await;
    }

    /// Runs `fut` unless a stop is (or gets) requested first: `None` then.
    pub async fn unless_requested<F: std::future::Future>(&self, fut: F) -> Option<F::Output> {
        if self.is_requested() {
            return None;
        }
        tokio::select! {
            biased;
            _ = self.requested() => None,
            out = fut => Some(out),
        }
    }

    /// Runs `fut` unless a stop is asked for a second time first: `None` then.
    pub async fn unless_hurried<F: std::future::Future>(&self, fut: F) -> Option<F::Output> {
        if self.is_hurried() {
            return None;
        }
        tokio::select! {
            biased;
            _ = self.hurried() => None,
            out = fut => Some(out),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn exit_codes_are_128_plus_the_signal() {
        let codes: Vec<u8> = StopSignal::ALL.iter().map(|s| s.exit_code()).collect();
        assert_eq!(codes, [130, 143, 129]);
        for s in StopSignal::ALL {
            assert_eq!(StopSignal::parse(s.name()), Some(s));
        }
    }

    #[tokio::test]
    async fn the_first_signal_is_kept_and_the_second_hurries() {
        let c = Cancel::new();
        assert!(!c.is_requested() && c.signal().is_none());
        let watcher = c.clone();
        let waiting = tokio::spawn(async move { watcher.requested().await });
        assert_eq!(c.request(StopSignal::Terminate), 1);
        waiting.await.unwrap();
        assert!(c.is_requested() && !c.is_hurried());
        assert_eq!(c.request(StopSignal::Interrupt), 2);
        assert!(c.is_hurried());
        assert_eq!(c.signal(), Some(StopSignal::Terminate));
        c.hurried().await;
    }

    #[tokio::test]
    async fn work_is_cut_short_only_by_a_request() {
        let c = Cancel::new();
        assert_eq!(c.unless_requested(async { 7 }).await, Some(7));
        let tripper = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            tripper.request(StopSignal::Interrupt);
        });
        let slow = tokio::time::sleep(Duration::from_secs(600));
        assert_eq!(c.unless_requested(slow).await, None);
        // A first request does not cut short what only a hurry may.
        assert_eq!(c.unless_hurried(async { 1 }).await, Some(1));
        c.request(StopSignal::Interrupt);
        assert_eq!(c.unless_hurried(async { 1 }).await, None);
    }
}
