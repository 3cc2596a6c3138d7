//! Service-level targets from the PawCore playbook ("Resolution Times") and
//! the retailer's safety rule, and the arithmetic for their due times.
//!
//! - Tier 1: 80% resolved within 24 hours
//! - Tier 2: 80% resolved within 48 hours
//! - Tier 3: 80% resolved within 5 business days
//! - Hardware (replace): 80% resolved within 7 business days
//! - Safety: flagged red, escalated to Operations within 30 minutes (24/7)
//!
//! Due times count from the session end. Hour targets are plain clock hours
//! (phone support is 24/7); business days skip Saturday and Sunday, in UTC,
//! keeping the time of day. Public holidays are not known to pawdiag.

use super::model::{OutcomeKind, Sla, SlaCategory, SlaState, Tier};
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};

/// Which target an outcome falls under.
pub fn category(kind: OutcomeKind, tier: Tier) -> SlaCategory {
    match kind {
        OutcomeKind::Safety => SlaCategory::Safety,
        OutcomeKind::Replace => SlaCategory::Hardware,
        _ => match tier {
            Tier::One => SlaCategory::Tier1,
            Tier::Two => SlaCategory::Tier2,
            Tier::Three => SlaCategory::Tier3,
            Tier::Management => SlaCategory::Management,
        },
    }
}

/// The playbook's words for a target.
pub fn target_text(cat: SlaCategory) -> &'static str {
    match cat {
        SlaCategory::Tier1 => "Tier 1: 80% resolved within 24 hours",
        SlaCategory::Tier2 => "Tier 2: 80% resolved within 48 hours",
        SlaCategory::Tier3 => "Tier 3: 80% resolved within 5 business days",
        SlaCategory::Hardware => "Hardware: 80% resolved within 7 business days",
        SlaCategory::Management => "Management escalation: 24 hours for complex issues",
        SlaCategory::Safety => {
            "Safety: flagged red, escalate to Operations within 30 minutes (24/7)"
        }
    }
}

/// When a target started at `from` is due. `safety_minutes` overrides the
/// 30 minutes of a safety case when the flow says otherwise.
pub fn due(cat: SlaCategory, from: DateTime<Utc>, safety_minutes: Option<u32>) -> DateTime<Utc> {
    match cat {
        SlaCategory::Tier1 | SlaCategory::Management => from + Duration::hours(24),
        SlaCategory::Tier2 => from + Duration::hours(48),
        SlaCategory::Tier3 => add_business_days(from, 5),
        SlaCategory::Hardware => add_business_days(from, 7),
        SlaCategory::Safety => from + Duration::minutes(i64::from(safety_minutes.unwrap_or(30))),
    }
}

/// `from` plus `n` weekdays, same time of day. Starting on a weekend counts
/// from the following Monday's first business day, so Saturday + 1 business
/// day is Monday.
pub fn add_business_days(from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    let mut t = from;
    let mut left = n;
    while left > 0 {
        t += Duration::days(1);
        if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    t
}

/// The SLA block for an outcome that ended at `ended`.
pub fn sla_for(
    kind: OutcomeKind,
    tier: Tier,
    ended: DateTime<Utc>,
    safety_minutes: Option<u32>,
) -> Sla {
    let cat = category(kind, tier);
    // Resolved in-session (or nothing to resolve): the target was met at the
    // session end; everything else leaves the clock running.
    let state = match kind {
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound => SlaState::Met,
        _ => SlaState::Open,
    };
    Sla {
        category: cat,
        target: target_text(cat).to_string(),
        from: ended,
        due: due(cat, ended, safety_minutes),
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn business_days_skip_weekends() {
        // Friday 2026-11-20 16:00 + 5 business days = Friday 2026-11-27 16:00.
        assert_eq!(
            add_business_days(at(2026, 11, 20, 16, 0), 5),
            at(2026, 11, 27, 16, 0)
        );
        // Wednesday + 7 business days = Friday of the next week.
        assert_eq!(
            add_business_days(at(2026, 11, 18, 9, 30), 7),
            at(2026, 11, 27, 9, 30)
        );
        // Saturday + 1 = Monday; Sunday + 1 = Monday.
        assert_eq!(
            add_business_days(at(2026, 11, 21, 10, 0), 1),
            at(2026, 11, 23, 10, 0)
        );
        assert_eq!(
            add_business_days(at(2026, 11, 22, 10, 0), 1),
            at(2026, 11, 23, 10, 0)
        );
    }

    #[test]
    fn each_outcome_gets_the_playbook_target() {
        let end = at(2026, 11, 20, 16, 0); // a Friday
        let s = sla_for(OutcomeKind::Safety, Tier::Three, end, None);
        assert_eq!(s.category, SlaCategory::Safety);
        assert_eq!(s.due, at(2026, 11, 20, 16, 30));
        let r = sla_for(OutcomeKind::Replace, Tier::Two, end, None);
        assert_eq!(r.category, SlaCategory::Hardware);
        assert_eq!(r.due, at(2026, 12, 1, 16, 0));
        let t3 = sla_for(OutcomeKind::Escalate, Tier::Three, end, None);
        assert_eq!(t3.due, at(2026, 11, 27, 16, 0));
        let t2 = sla_for(OutcomeKind::Escalate, Tier::Two, end, None);
        assert_eq!(t2.due, at(2026, 11, 22, 16, 0));
        let ok = sla_for(OutcomeKind::Resolved, Tier::One, end, None);
        assert_eq!((ok.category, ok.state), (SlaCategory::Tier1, SlaState::Met));
        assert_eq!(ok.due, at(2026, 11, 21, 16, 0));
        let act = sla_for(OutcomeKind::CustomerAction, Tier::One, end, None);
        assert_eq!(act.state, SlaState::Open);
        let s10 = sla_for(OutcomeKind::Safety, Tier::Three, end, Some(10));
        assert_eq!(s10.due, at(2026, 11, 20, 16, 10));
    }
}
