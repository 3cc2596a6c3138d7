//! Personal data in free text: e-mail addresses, phone numbers and decimal
//! numbers that could be coordinates. Detection is a heuristic that errs
//! towards masking (a technician loses the third decimal of a voltage typed
//! in a note; a customer keeps their address private).
//!
//! Every function here is idempotent: masking masked text changes nothing,
//! so a report can be redacted again (by `report share`) without damage.

/// Rounds a coordinate to 2 decimals (about 1.1 km at the equator).
pub fn coarsen(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `jane.doe@example.com` → `j***@example.com`.
pub fn mask_email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) if !domain.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".into(),
    }
}

/// `+44 7700 900089` → `+44 ••• ••• 89`; without a country code,
/// `••• ••• 89`.
pub fn mask_phone(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let last: String = if digits.len() >= 6 {
        digits[digits.len() - 2..].iter().collect()
    } else {
        String::new()
    };
    let prefix = if let Some(rest) = s.trim_start().strip_prefix('+') {
        let cc: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .take(3)
            .collect();
        // A number written without spaces has no visible country code: keep
        // at most the first two digits rather than guess.
        let cc = if rest
            .chars()
            .nth(cc.len())
            .is_some_and(|c| c.is_ascii_digit())
        {
            cc.chars().take(2).collect()
        } else {
            cc
        };
        format!("+{cc} ")
    } else {
        String::new()
    };
    format!("{prefix}••• ••• {last}").trim_end().to_string()
}

/// Rounds decimal numbers with 3 or more decimals that could be a latitude
/// or longitude (at most 3 integer digits, at most 180) to 2 decimals.
/// Returns the text and how many numbers it rounded.
pub fn coarsen_numbers(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let starts = c.is_ascii_digit()
            && !prev.is_some_and(|p| p.is_alphanumeric() || matches!(p, ':' | '.' | '_'));
        if !starts {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
            j += 1;
        }
        let token: String = chars[i..j].iter().collect();
        let next_ok = !chars
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_');
        let coordinate_like = match token.split_once('.') {
            Some((int, frac)) => {
                !frac.contains('.') && !int.is_empty() && int.len() <= 3 && frac.len() >= 3
            }
            None => false,
        };
        match token.parse::<f64>() {
            Ok(x) if coordinate_like && next_ok && x <= 180.0 => {
                n += 1;
                out.push_str(&format!("{:.2}", coarsen(x)));
            }
            _ => out.push_str(&token),
        }
        i = j;
    }
    (out, n)
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Masks everything that looks like an e-mail address (`local@domain.tld`).
/// Returns the text and how many addresses it masked.
pub fn mask_emails(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    let mut emitted = 0; // chars[..emitted] are in `out`
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut a = i;
        while a > emitted && is_email_local(chars[a - 1]) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < chars.len() && is_email_domain(chars[b]) {
            b += 1;
        }
        // Trailing dots belong to the sentence, not the domain.
        while b > i + 1 && chars[b - 1] == '.' {
            b -= 1;
        }
        let domain: String = chars[i + 1..b].iter().collect();
        if a < i && domain.contains('.') && !domain.starts_with('.') {
            out.extend(&chars[emitted..a]);
            let addr: String = chars[a..b].iter().collect();
            let masked = mask_email(&addr);
            if masked != addr {
                n += 1;
            }
            out.push_str(&masked);
            emitted = b;
            i = b;
        } else {
            i += 1;
        }
    }
    out.extend(&chars[emitted..]);
    (out, n)
}

/// Masks everything that looks like a phone number: 8 to 15 digits, with
/// separators or starting with `+`, `0` or `(`, and not a date. Returns the
/// text and how many numbers it masked.
pub fn mask_phones(s: &str) -> (String, u32) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        // Not inside a word, version, date, CRC or path; `tel:+44…` and
        // `phone:0770…` do start a number.
        let can_start = (c.is_ascii_digit() || c == '+' || c == '(')
            && !prev.is_some_and(|p| {
                p.is_alphanumeric()
                    || matches!(p, '.' | '-' | '/' | '*' | '_')
                    || (p == ':' && !matches!(c, '+' | '0' | '('))
            });
        if !can_start {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len()
            && (chars[j].is_ascii_digit() || matches!(chars[j], ' ' | '-' | '.' | '(' | ')'))
        {
            j += 1;
        }
        // Give back trailing separators.
        while j > i + 1 && !chars[j - 1].is_ascii_digit() {
            j -= 1;
        }
        let run: String = chars[i..j].iter().collect();
        let digits = run.chars().filter(|c| c.is_ascii_digit()).count();
        let next_ok = !chars.get(j).is_some_and(|c| c.is_alphanumeric());
        let has_sep = run.chars().any(|c| !c.is_ascii_digit() && c != '+');
        let marked = run.starts_with('+') || run.starts_with('0') || run.starts_with('(');
        // A number marked as a phone number (`+`, a leading 0 or `(`) is one
        // even when a word follows without a space.
        if (8..=15).contains(&digits)
            && (next_ok || marked)
            && (has_sep || marked)
            && !looks_like_date(&run)
        {
            out.push_str(&mask_phone(&run));
            n += 1;
            i = j;
        } else {
            // Not a phone: copy the run's first character and go on, so a
            // number later in the run can still be found.
            out.push(c);
            i += 1;
            // Skip to the end of this digit group so we don't restart inside it.
            while i < j && chars[i].is_ascii_digit() {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    (out, n)
}

/// `2026-11-23`, `2026.11.23`, `2026-11-23 18` and the like.
fn looks_like_date(run: &str) -> bool {
    let groups: Vec<&str> = run
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    groups.len() >= 3 && groups[0].len() == 4 && groups[1].len() <= 2 && groups[2].len() <= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_contact_details() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(mask_email("not an address"), "***");
        assert_eq!(mask_phone("+44 7700 900089"), "+44 ••• ••• 89");
        assert_eq!(mask_phone("07700 900089"), "••• ••• 89");
        assert_eq!(mask_phone("+4477009000891"), "+44 ••• ••• 91");
    }

    #[test]
    fn masked_text_stays_masked() {
        let (once, n) = mask_emails("write to ana@example.com today");
        assert_eq!((once.as_str(), n), ("write to a***@example.com today", 1));
        assert_eq!(mask_emails(&once), (once.clone(), 0));
        let (once, n) = mask_phones("call +44 7700 900089 now");
        assert_eq!(n, 1);
        assert_eq!(mask_phones(&once), (once.clone(), 0));
    }

    #[test]
    fn dates_versions_and_voltages_are_not_phones_or_places() {
        for s in [
            "2026-11-20 18:30",
            "fw 2.4.1",
            "3.95 V",
            "PT-24A0-0001",
            "at 10:05:30",
            "\"uptime_s\":1234567890",
        ] {
            assert_eq!(mask_phones(s).0, s);
        }
        assert_eq!(mask_phones("tel:+447700900089").0, "tel:+44 ••• ••• 89");
        assert_eq!(coarsen_numbers("fw 2.4.1, 3.9 V").1, 0);
        assert_eq!(
            coarsen_numbers("at 52.52001, 13.40495").0,
            "at 52.52, 13.40"
        );
    }
}
