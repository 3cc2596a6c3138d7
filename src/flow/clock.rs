//! Where the engine gets the time and how it waits, injectable so session
//! records can be snapshotted and verification polls can run fast in tests.

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use futures_util::future::BoxFuture;
use std::sync::Mutex;
use std::time::Duration;

/// A source of timestamps and a way to wait.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Waits for `d` (between verification polls).
    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(d))
    }

    /// Waits `d` while a person does something (the first wait after an
    /// action). The same as [`Clock::sleep`] unless a clock that shortens
    /// waits must still leave a device time to see the person act.
    fn pause_for_person(&self, d: Duration) -> BoxFuture<'static, ()> {
        self.sleep(d)
    }
}

/// The system clock and real waiting.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A deterministic clock for snapshots: starts at a fixed time and advances
/// by a fixed step every time it is read. Waiting advances it by the time
/// waited (scaled) and sleeps for `real_sleep_scale` of it for real, so a
/// device simulator that counts time still sees time pass.
#[derive(Debug)]
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
    step: ChronoDuration,
    real_sleep_scale: f64,
}

impl FixedClock {
    /// Starts at `start`, advancing `step_ms` per reading; waits are not
    /// performed for real.
    pub fn new(start: DateTime<Utc>, step_ms: i64) -> Self {
        Self {
            now: Mutex::new(start),
            step: ChronoDuration::milliseconds(step_ms),
            real_sleep_scale: 0.0,
        }
    }

    /// Also waits for real, for this fraction of each wait (e.g. 0.01).
    pub fn with_real_sleep(mut self, scale: f64) -> Self {
        self.real_sleep_scale = scale.clamp(0.0, 1.0);
        self
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        let t = *now;
        *now = t + self.step;
        t
    }

    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()> {
        {
            let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
            *now += ChronoDuration::from_std(d).unwrap_or(ChronoDuration::zero());
        }
        let real = d.mul_f64(self.real_sleep_scale);
        Box::pin(async move {
            if !real.is_zero() {
                tokio::time::sleep(real).await;
            } else {
                tokio::task::yield_now().await;
            }
        })
    }
}

/// A clock that reads the system time but waits only a fraction of each
/// wait: for scenario tests against the in-process simulator. A person's
/// pause is still waited for real, for at least `person_pause`, because the
/// simulator recognises hands-on actions (cleaning a sensor, refitting a
/// collar) by such a pause between two reads.
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    /// Fraction of each wait performed (0.0–1.0).
    pub scale: f64,
    /// Shortest real wait for a person's action.
    pub person_pause: Duration,
}

impl Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, d: Duration) -> BoxFuture<'static, ()> {
        let real = d.mul_f64(self.scale.clamp(0.0, 1.0));
        Box::pin(tokio::time::sleep(real))
    }

    fn pause_for_person(&self, d: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(
            d.mul_f64(self.scale.clamp(0.0, 1.0)).max(self.person_pause),
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn fixed_clock_steps_and_sleeps_virtually() {
        let start = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
        let c = FixedClock::new(start, 1000);
        assert_eq!(c.now(), start);
        assert_eq!(c.now(), start + ChronoDuration::seconds(1));
        let before = std::time::Instant::now();
        c.sleep(Duration::from_secs(60)).await;
        assert!(before.elapsed() < Duration::from_secs(1));
        assert_eq!(c.now(), start + ChronoDuration::seconds(62));
    }
}
