//! The normal and the plausible vital signs of a dog or cat, as the findings
//! (`flows/findings.toml`, "Vital signs") judge them, so that `info` and
//! `watch` never call "normal" what a report calls a possible health problem.
//! The device does not know the species, so the normal range is the union
//! of the dog's and the cat's (Merck Veterinary Manual reference ranges).

/// Lowest normal body temperature, °C (cat 38.1, dog 37.9; with margin).
pub const TEMP_NORMAL_LOW_C: f64 = 37.5;
/// Highest normal body temperature, °C (dog 39.9).
pub const TEMP_NORMAL_HIGH_C: f64 = 39.9;
/// Below this no living animal reads: the sensor is suspect, °C.
pub const TEMP_PLAUSIBLE_LOW_C: f64 = 30.0;
/// Above this no living animal reads: the sensor is suspect, °C.
pub const TEMP_PLAUSIBLE_HIGH_C: f64 = 45.0;
/// Lowest normal heart rate, bpm (large dogs at rest).
pub const HR_NORMAL_LOW_BPM: f64 = 60.0;
/// Highest normal heart rate, bpm (cats).
pub const HR_NORMAL_HIGH_BPM: f64 = 220.0;
/// Below this no living animal reads, bpm.
pub const HR_PLAUSIBLE_LOW_BPM: f64 = 25.0;
/// Above this no living animal reads, bpm.
pub const HR_PLAUSIBLE_HIGH_BPM: f64 = 350.0;

/// How a vital sign compares with a dog's or cat's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vital {
    /// Within the normal range.
    Normal,
    /// Below the normal range, but a living animal could read it.
    Low,
    /// Above the normal range, but a living animal could read it.
    High,
    /// No living animal reads this: the sensor is suspect.
    Implausible,
}

fn judge(x: f64, normal: (f64, f64), plausible: (f64, f64)) -> Vital {
    if !(plausible.0..=plausible.1).contains(&x) {
        Vital::Implausible
    } else if x < normal.0 {
        Vital::Low
    } else if x > normal.1 {
        Vital::High
    } else {
        Vital::Normal
    }
}

/// Judges a body temperature in °C.
pub fn temperature(c: f64) -> Vital {
    judge(
        c,
        (TEMP_NORMAL_LOW_C, TEMP_NORMAL_HIGH_C),
        (TEMP_PLAUSIBLE_LOW_C, TEMP_PLAUSIBLE_HIGH_C),
    )
}

/// Judges a heart rate in beats a minute.
pub fn heart_rate(bpm: f64) -> Vital {
    judge(
        bpm,
        (HR_NORMAL_LOW_BPM, HR_NORMAL_HIGH_BPM),
        (HR_PLAUSIBLE_LOW_BPM, HR_PLAUSIBLE_HIGH_BPM),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FINDINGS: &str = include_str!("../../flows/findings.toml");

    /// The renderer's ranges are the findings' ranges: a change to one
    /// without the other fails here.
    #[test]
    fn the_ranges_are_the_findings_ranges() {
        let n = |x: f64| format!("{x:.1}").trim_end_matches(".0").to_string();
        for needle in [
            format!("sensors.temp_c > {}", n(TEMP_NORMAL_HIGH_C)),
            format!("sensors.temp_c < {}", n(TEMP_NORMAL_LOW_C)),
            format!("sensors.temp_c <= {}", n(TEMP_PLAUSIBLE_HIGH_C)),
            format!("sensors.temp_c >= {}", n(TEMP_PLAUSIBLE_LOW_C)),
            format!("sensors.bpm > {}", n(HR_NORMAL_HIGH_BPM)),
            format!("sensors.bpm < {}", n(HR_NORMAL_LOW_BPM)),
            format!("sensors.bpm <= {}", n(HR_PLAUSIBLE_HIGH_BPM)),
            format!("sensors.bpm >= {}", n(HR_PLAUSIBLE_LOW_BPM)),
        ] {
            assert!(FINDINGS.contains(&needle), "findings.toml lacks `{needle}`");
        }
    }

    #[test]
    fn a_fever_is_high_not_normal() {
        assert_eq!(temperature(40.9), Vital::High);
        assert_eq!(temperature(38.6), Vital::Normal);
        assert_eq!(temperature(36.9), Vital::Low);
        assert_eq!(temperature(55.0), Vital::Implausible);
        assert_eq!(heart_rate(188.0), Vital::Normal);
        assert_eq!(heart_rate(240.0), Vital::High);
        assert_eq!(heart_rate(400.0), Vital::Implausible);
    }
}
