//! Property tests of the privacy rules over generated text: e-mail
//! addresses, phone numbers and coordinates are never left in clear,
//! whatever text surrounds them; masking is idempotent; including personal
//! data changes nothing; nothing panics on arbitrary input.

use pawdiag::privacy::{Policy, Redactor};
use proptest::prelude::*;
use serde_json::{Value, json};

fn private(s: &str) -> String {
    Redactor::new(Policy::private()).text(s)
}

/// Text around personal data: anything but digits, `@`, `+` and `(` (which
/// would make the surrounding text part of the address or the number).
fn surround() -> impl Strategy<Value = String> {
    "[^0-9@+(\\x00]{0,40}"
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9._+-]{1,15}",
        "[a-z]{2,10}",
        "(com|org|co\\.uk|de|example)",
    )
        .prop_map(|(local, host, tld)| format!("{local}@{host}.{tld}"))
}

fn phone() -> impl Strategy<Value = (String, usize)> {
    prop_oneof![
        // +CC NNNN NNNNNN
        ("[1-9][0-9]{1,2}", "[1-9][0-9]{3}", "[0-9]{6}").prop_map(|(cc, a, b)| {
            let n = cc.len();
            (format!("+{cc} {a} {b}"), n)
        }),
        // 0NNNN NNNNNN
        ("[1-9][0-9]{3}", "[0-9]{6}").prop_map(|(a, b)| (format!("0{a} {b}"), 0)),
        // (0NN) NNNN-NNNN
        ("[0-9]{2}", "[0-9]{4}", "[0-9]{4}").prop_map(|(a, b, c)| (format!("(0{a}) {b}-{c}"), 0)),
    ]
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_is_handled_and_masking_is_idempotent(s in any::<String>()) {
        let once = private(&s);
        prop_assert_eq!(private(&once), once.clone());
    }

    #[test]
    fn including_personal_data_changes_nothing(s in any::<String>()) {
        prop_assert_eq!(Redactor::new(Policy::everything()).text(&s), s);
    }

    #[test]
    fn no_email_address_is_left_in_clear(pre in surround(), e in email(), post in surround()) {
        let text = format!("{pre} {e} {post}");
        let out = private(&text);
        prop_assert!(!out.contains(&e), "{} -> {}", text, out);
        prop_assert!(out.contains("***@"), "{} -> {}", text, out);
    }

    #[test]
    fn no_phone_number_is_left_in_clear(pre in surround(), (p, cc) in phone(), post in surround()) {
        let text = format!("{pre} {p}{post}");
        let out = private(&text);
        // Only the country code and the last two digits survive.
        prop_assert!(digits(&out) <= cc + 2, "{} -> {}", text, out);
    }

    #[test]
    fn phone_numbers_after_a_label_are_masked((p, cc) in phone(), label in "(tel|phone|Tel\\.|call)") {
        let text = format!("{label}:{p}");
        let out = private(&text);
        prop_assert!(digits(&out) <= cc + 2, "{} -> {}", text, out);
    }

    #[test]
    fn coordinates_in_text_lose_their_fine_decimals(
        pre in surround(), lat in -90.0f64..90.0, lon in -180.0f64..180.0, post in surround()
    ) {
        let text = format!("{pre} {lat:.6}, {lon:.6} {post}");
        let out = private(&text);
        for part in [format!("{:.6}", lat.abs()), format!("{:.6}", lon.abs())] {
            let fine = &part[part.len() - 4..];
            prop_assert!(!out.contains(&part), "{} -> {}", text, out);
            prop_assert!(!out.contains(fine) || text.matches(fine).count() > 1, "{} -> {}", text, out);
        }
    }

    #[test]
    fn coordinates_in_device_json_have_at_most_two_decimals(
        lat in -90.0f64..90.0, lon in -180.0f64..180.0, name in "[A-Za-z ]{1,20}", depth in 0usize..4
    ) {
        let mut v = json!({"lat": lat, "lon": lon,
            "geofences": [{"name": name, "latitude": lat, "longitude": lon}]});
        for _ in 0..depth {
            v = json!({"data": v, "list": [v.clone()]});
        }
        let mut r = Redactor::new(Policy::private());
        r.value(&mut v, None);
        let text = v.to_string();
        fn check(v: &Value, key: Option<&str>) -> bool {
            match v {
                Value::Object(m) => m.iter().all(|(k, c)| check(c, Some(k))),
                Value::Array(a) => a.iter().all(|c| check(c, key)),
                Value::Number(n) if key.is_some_and(pawdiag::privacy::is_location_key) => {
                    let x = n.as_f64().unwrap_or_default();
                    ((x * 100.0).round() / 100.0 - x).abs() < 1e-9
                }
                Value::String(s) if key == Some("name") => s == "(hidden)",
                _ => true,
            }
        }
        prop_assert!(check(&v, None), "{}", text);
    }

    #[test]
    fn embedded_json_in_text_is_redacted_as_json(lat in -90.0f64..90.0, e in email()) {
        let text = format!("gps.cold_start (consent given): result {{\"lat\":{lat:.6},\"note\":\"{e}\"}}");
        let out = private(&text);
        prop_assert!(!out.contains(&format!("{lat:.6}")), "{}", out);
        prop_assert!(!out.contains(&e), "{}", out);
    }
}
