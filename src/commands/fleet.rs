//! Running one job per device side by side, for `batch` and for `diagnose`
//! with several devices: at most `jobs` at once (tokio tasks, one session
//! per device, nothing shared between them), one progress line per running
//! device on a terminal, and a result for every device, in the order given,
//! even when a job panics. A device that fails never stops the others.
//!
//! Usage (the work is any async function of the item and its [`Lane`]):
//!
//! ```ignore
//! let fleet = Fleet::new(items.len());
//! let results = fleet::run(&fleet, items, jobs, |item, lane| async move {
//!     lane.say("connecting");
//!     do_one(item, lane).await
//! }, |index, result| { /* print it as soon as it is done */ }).await;
//! ```

use super::ui;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Longest device label shown in front of a progress line.
const LABEL_WIDTH: usize = 32;

/// The progress display of a whole run: one line per running device and a
/// total at the bottom, drawn on stderr only when it is a terminal. Cheap
/// to clone (the display is shared).
#[derive(Clone)]
pub struct Fleet {
    multi: Option<MultiProgress>,
    total: ProgressBar,
    shown: Arc<AtomicUsize>,
    max_shown: usize,
}

impl Fleet {
    /// A display for `count` devices (hidden when stderr is not a terminal,
    /// or with `-q`).
    pub fn new(count: usize) -> Self {
        let draw = ui::interactive_stderr() && !ui::quiet();
        let multi = draw.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        let total = match &multi {
            Some(m) => {
                let pb = m.add(ProgressBar::new(count as u64));
                pb.set_style(
                    ProgressStyle::with_template(
                        "{bar:30.cyan/blue} {pos}/{len} devices done · {elapsed}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                pb
            }
            None => ProgressBar::hidden(),
        };
        // Leave room for the total and a line of context; more lines than
        // the terminal has would scroll and break the redraw.
        let rows = console::Term::stderr().size().0 as usize;
        Self {
            multi,
            total,
            shown: Arc::new(AtomicUsize::new(0)),
            max_shown: rows.saturating_sub(3).clamp(1, 40),
        }
    }

    /// Runs `f` (printing to stdout or stderr) without tearing the bars.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.multi {
            Some(m) => m.suspend(f),
            None => f(),
        }
    }

    /// A progress line for one device, above the total.
    fn lane(&self, label: &str) -> Lane {
        let Some(m) = &self.multi else {
            return Lane::hidden();
        };
        if self.shown.fetch_add(1, Ordering::SeqCst) >= self.max_shown {
            self.shown.fetch_sub(1, Ordering::SeqCst);
            return Lane::hidden();
        }
        let pb = m.insert_before(&self.total, ProgressBar::new_spinner());
        pb.set_style(
            ProgressStyle::with_template("{spinner:.cyan} {prefix} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.set_prefix(format!(
            "{:<LABEL_WIDTH$}",
            console::truncate_str(&ui::clean(label), LABEL_WIDTH, "…")
        ));
        pb.enable_steady_tick(Duration::from_millis(120));
        Lane {
            bar: pb,
            counted: Some(self.shown.clone()),
        }
    }

    fn done(&self, lane: Lane) {
        // Hidden lanes have no bar to clear but still count toward the total.
        if let Some(m) = &self.multi {
            lane.bar.finish_and_clear();
            m.remove(&lane.bar);
        }
        if let Some(c) = &lane.counted {
            c.fetch_sub(1, Ordering::SeqCst);
        }
        self.total.inc(1);
    }

    /// Removes the display.
    pub fn finish(&self) {
        self.total.finish_and_clear();
        if let Some(m) = &self.multi {
            let _ = m.clear();
        }
    }
}

/// One device's progress line. Cheap to clone; safe to update from an
/// event listener. Hidden lanes accept updates and show nothing.
#[derive(Clone)]
pub struct Lane {
    bar: ProgressBar,
    counted: Option<Arc<AtomicUsize>>,
}

impl Lane {
    /// A lane that shows nothing.
    pub fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
            counted: None,
        }
    }

    /// Says what the device is doing now (untrusted text is cleaned).
    pub fn say(&self, message: &str) {
        self.bar.set_message(ui::clean(message));
    }
}

/// Finishes a lane when the job ends, even by panicking.
struct LaneGuard {
    fleet: Fleet,
    lane: Option<Lane>,
}

impl Drop for LaneGuard {
    fn drop(&mut self) {
        if let Some(l) = self.lane.take() {
            self.fleet.done(l);
        }
    }
}

/// Runs `work` for every item, at most `jobs` at once. `on_done` is called
/// on this task as each item finishes (in finishing order), e.g. to print a
/// JSON line at once; the returned results are in the items' order. An item
/// whose job panicked gets `Err` with a sentence.
pub async fn run<I, R, F, Fut>(
    fleet: &Fleet,
    items: Vec<(String, I)>,
    jobs: usize,
    work: F,
    mut on_done: impl FnMut(usize, &Result<R, String>),
) -> Vec<Result<R, String>>
where
    I: Send + 'static,
    R: Send + 'static,
    F: Fn(I, Lane) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let work = Arc::new(work);
    let mut set = JoinSet::new();
    let mut index_of = HashMap::new();
    let count = items.len();
    for (i, (label, item)) in items.into_iter().enumerate() {
        let permits = permits.clone();
        let work = work.clone();
        let fleet = fleet.clone();
        let handle = set.spawn(async move {
            // Closed only if the runner is gone, and then nothing matters.
            let _permit = permits.acquire_owned().await.ok()?;
            let lane = fleet.lane(&label);
            let _guard = LaneGuard {
                fleet,
                lane: Some(lane.clone()),
            };
            Some(work(item, lane).await)
        });
        index_of.insert(handle.id(), i);
    }
    let mut results: Vec<Option<Result<R, String>>> = (0..count).map(|_| None).collect();
    while let Some(joined) = set.join_next_with_id().await {
        let (id, result) = match joined {
            Ok((id, Some(r))) => (id, Ok(r)),
            Ok((id, None)) => (
                id,
                Err("the run was stopped before this device's turn".to_string()),
            ),
            Err(e) => (
                e.id(),
                Err(if e.is_panic() {
                    "pawdiag failed on this device (an internal error; please report it)"
                        .to_string()
                } else {
                    "this device's job was cancelled".to_string()
                }),
            ),
        };
        let Some(&i) = index_of.get(&id) else {
            continue;
        };
        on_done(i, &result);
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("no result".to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_at_most_jobs_at_once_and_keeps_order() {
        let fleet = Fleet::new(10);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let items: Vec<(String, usize)> = (0..10).map(|i| (format!("dev{i}"), i)).collect();
        let (r2, p2) = (running.clone(), peak.clone());
        let mut order = Vec::new();
        let results = run(
            &fleet,
            items,
            3,
            move |i, lane| {
                let (running, peak) = (r2.clone(), p2.clone());
                async move {
                    lane.say("working");
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Later items finish first, so finishing order differs.
                    tokio::time::sleep(Duration::from_millis(60 - 5 * i as u64)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * 10
                }
            },
            |i, _| order.push(i),
        )
        .await;
        assert_eq!(peak.load(Ordering::SeqCst), 3);
        let values: Vec<usize> = results.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(values, (0..10).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(order.len(), 10);
        assert_ne!(order, (0..10).collect::<Vec<_>>());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_job_does_not_stop_the_others() {
        let fleet = Fleet::new(4);
        let items: Vec<(String, usize)> = (0..4).map(|i| (format!("dev{i}"), i)).collect();
        let results = run(
            &fleet,
            items,
            4,
            |i, _lane| async move {
                if i == 1 {
                    panic!("boom");
                }
                i
            },
            |_, _| {},
        )
        .await;
        assert_eq!(results[0], Ok(0));
        assert!(results[1].as_ref().unwrap_err().contains("internal error"));
        assert_eq!(results[2], Ok(2));
        assert_eq!(results[3], Ok(3));
    }
}
