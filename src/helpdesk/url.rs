//! The helpdesk's address and queue as settings: checked wherever they
//! come from (config file, environment, flags), and the config file's
//! refusal of credentials (they come from the environment only, see
//! [`super::auth`]).

use super::auth::{ENV_PASSWORD, ENV_TOKEN, ENV_USER};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The queue new tickets go to when none is configured (RT's default queue).
pub const DEFAULT_QUEUE: &str = "General";
/// Longest accepted address.
const MAX_URL_LEN: usize = 2000;
/// The helpdesk's base address, e.g. `https://rt.example.com/rt`: checked
/// to be http(s), to have a host, and to carry no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpdeskUrl {
    base: String,
    https: bool,
    host: String,
}

impl HelpdeskUrl {
    /// Parses an address. The REST API's own path (`…/REST/2.0`) and a
    /// trailing `/` are taken off, so either the web address or the API's
    /// address may be given.
    pub fn parse(s: &str) -> Result<HelpdeskUrl, String> {
        let t = s.trim();
        if t.len() > MAX_URL_LEN {
            return Err(format!("is longer than {MAX_URL_LEN} characters"));
        }
        if t.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("contains spaces or control characters".into());
        }
        let lower = t.to_ascii_lowercase();
        let (https, rest) = if lower.starts_with("https://") {
            (true, &t[8..])
        } else if lower.starts_with("http://") {
            (false, &t[7..])
        } else {
            return Err("must start with http:// or https://".into());
        };
        if rest.contains(['?', '#']) {
            return Err("must not have a query or fragment (?… or #…)".into());
        }
        let authority = rest.split('/').next().unwrap_or("");
        if authority.contains('@') {
            // Said without repeating the address: it holds a password.
            return Err(format!(
                "must not contain a user name or password: set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}, instead"
            ));
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or("").to_string(),
            None => authority.split(':').next().unwrap_or("").to_string(),
        };
        if host.is_empty() {
            return Err("has no host name".into());
        }
        if let Some((_, port)) = authority.rsplit_once(':')
            && !port.ends_with(']')
            && port.parse::<u16>().is_err()
        {
            return Err(format!("has a bad port `{port}`"));
        }
        let mut base = t.trim_end_matches('/').to_string();
        for api in ["/REST/2.0", "/rest/2.0"] {
            if let Some(b) = base.strip_suffix(api) {
                base = b.trim_end_matches('/').to_string();
            }
        }
        Ok(HelpdeskUrl {
            base,
            https,
            host: host.to_ascii_lowercase(),
        })
    }

    /// The base address, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// True when credentials would cross a network unencrypted: plain
    /// http to a host other than this machine.
    pub fn is_cleartext_remote(&self) -> bool {
        !self.https
            && !matches!(self.host.as_str(), "localhost" | "::1")
            && !self.host.starts_with("127.")
    }
}

impl fmt::Display for HelpdeskUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Reads `helpdesk_url` in the config file.
pub fn de_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_helpdesk_url(&s)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// Reads `helpdesk_queue` in the config file.
pub fn de_queue<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_queue(&s).map(Some).map_err(serde::de::Error::custom)
}

/// Refuses a credential in the config file.
pub fn de_no_credentials<'de, D: Deserializer<'de>>(_: D) -> Result<Option<()>, D::Error> {
    // The value is not read, so it cannot end up in an error message.
    Err(serde::de::Error::custom(format!(
        "helpdesk credentials are never read from the config file: set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, in the environment, and remove this line"
    )))
}

/// A helpdesk address: http(s), a host, no credentials; returned normalised.
pub fn check_helpdesk_url(s: &str) -> Result<String, String> {
    HelpdeskUrl::parse(s)
        .map(|u| u.to_string())
        .map_err(|m| format!("the helpdesk address {m}"))
}

/// A queue name: not empty, no control characters, at most 200 characters.
pub fn check_queue(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("the queue name must not be empty".into());
    }
    if t.chars().count() > 200 || t.chars().any(char::is_control) {
        return Err(
            "the queue name must be at most 200 characters, without control characters".into(),
        );
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::config::env_of;
    use crate::helpdesk::auth::{AuthPresence, ENV_URL};
    use std::path::Path;

    #[test]
    fn helpdesk_settings_come_from_file_env_and_flags_and_credentials_never_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "helpdesk_url = \"https://rt.example.com/rt/\"\nhelpdesk_queue = \"Returns\"\n",
        )
        .unwrap();
        let p = path.display().to_string();
        let s = config::Settings::load(&env_of(&[(config::ENV_CONFIG, &p)])).unwrap();
        assert_eq!(
            s.helpdesk_url.value.as_deref(),
            Some("https://rt.example.com/rt")
        );
        assert_eq!(s.helpdesk_url.source, config::Source::File);
        assert_eq!(s.helpdesk_queue.value, "Returns");
        assert_eq!(s.helpdesk_credentials.value, AuthPresence::None);
        let env = env_of(&[
            (config::ENV_CONFIG, &p),
            (ENV_URL, "http://127.0.0.1:8080"),
            (ENV_USER, "root"),
            (ENV_PASSWORD, "hunter22"),
        ]);
        let s = config::Settings::load(&env).unwrap();
        assert_eq!(s.helpdesk_url.source, config::Source::Env(ENV_URL));
        assert_eq!(s.helpdesk_credentials.value, AuthPresence::UserPassword);
        let shown = serde_json::to_string(&s.rows()).unwrap();
        assert!(shown.contains("helpdesk_credentials"), "{shown}");
        assert!(!shown.contains("hunter22"), "{shown}");
        let f = s.with_flags(&config::Overrides {
            helpdesk_queue: Some("Bench".into()),
            ..config::Overrides::default()
        });
        assert_eq!(f.helpdesk_queue.value, "Bench");
        assert_eq!(f.helpdesk_queue.source, config::Source::Flag);

        for key in ["helpdesk_token", "helpdesk_password", "helpdesk_user"] {
            let text = format!("{key} = \"s3cr3t-value\"\n");
            let e = config::parse(&text, Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(ENV_TOKEN), "{e}");
            assert!(!e.contains("s3cr3t"), "{e}");
        }
        let e = config::parse(
            "helpdesk_url = \"http://root:pw@rt\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("user name or password") && !e.contains("pw@"),
            "{e}"
        );
        let env = env_of(&[
            (config::ENV_CONFIG, "/nonexistent/x.toml"),
            (ENV_URL, "rt.example.com"),
        ]);
        assert!(matches!(
            config::Settings::load(&env),
            Err(config::ConfigError::Env { var: ENV_URL, .. })
        ));
    }

    #[test]
    fn urls_are_checked_and_normalised() {
        let ok = |s: &str| HelpdeskUrl::parse(s).unwrap().as_str().to_string();
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(
            ok(" https://rt.example.com/rt/REST/2.0/ "),
            "https://rt.example.com/rt"
        );
        assert_eq!(ok("http://[::1]:80"), "http://[::1]:80");
        for (bad, why) in [
            ("rt.example.com", "http://"),
            ("ftp://x", "http://"),
            ("http://", "no host"),
            ("http://root:secret@rt.example.com", "user name or password"),
            ("http://rt:99999", "bad port"),
            ("http://rt/?x=1", "query"),
            ("http://rt/a b", "spaces"),
        ] {
            let e = HelpdeskUrl::parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
            assert!(!e.contains("secret"), "{e}");
        }
        assert!(
            HelpdeskUrl::parse("http://rt.example.com")
                .unwrap()
                .is_cleartext_remote()
        );
        assert!(
            !HelpdeskUrl::parse("http://127.0.0.1:1")
                .unwrap()
                .is_cleartext_remote()
        );
        assert!(
            !HelpdeskUrl::parse("https://rt.example.com")
                .unwrap()
                .is_cleartext_remote()
        );
    }
}
