//! Who pawdiag is to the helpdesk: credentials from the environment only,
//! so they are never written into a file pawdiag reads or writes. The
//! secret types print as `***` in `Debug` and have no `Display`.

use base64::Engine as _;
use std::fmt;

/// Environment variable for the helpdesk's address.
pub const ENV_URL: &str = "PAWDIAG_HELPDESK_URL";
/// Environment variable for the queue new tickets go to.
pub const ENV_QUEUE: &str = "PAWDIAG_HELPDESK_QUEUE";
/// Environment variable for an RT auth token.
pub const ENV_TOKEN: &str = "PAWDIAG_HELPDESK_TOKEN";
/// Environment variable for the helpdesk user name (with [`ENV_PASSWORD`]).
pub const ENV_USER: &str = "PAWDIAG_HELPDESK_USER";
/// Environment variable for the helpdesk password (with [`ENV_USER`]).
pub const ENV_PASSWORD: &str = "PAWDIAG_HELPDESK_PASSWORD";
/// A secret string: kept out of `Debug`, with no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How pawdiag proves who it is to the helpdesk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An RT auth token (`Authorization: token …`).
    Token(Secret),
    /// HTTP Basic with a user name and password.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: Secret,
    },
}

/// Why no credentials could be taken from the environment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// Nothing set.
    #[error("no helpdesk credentials are set")]
    Missing,
    /// A user without a password, or a password without a user.
    #[error("{set} is set but {unset} is not")]
    Incomplete {
        /// The variable that is set.
        set: &'static str,
        /// The one that is missing.
        unset: &'static str,
    },
    /// A value that cannot go into an HTTP header.
    #[error(
        "{0} contains characters that cannot be sent (spaces, control characters, or `:` in a user name)"
    )]
    Malformed(&'static str),
}

impl CredentialsError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        format!(
            "set {ENV_TOKEN} to an RT auth token, or {ENV_USER} and {ENV_PASSWORD} (credentials are read from the environment only)"
        )
    }
}

impl Credentials {
    /// Reads the credentials through `env` (a lookup, so tests need not
    /// touch the process environment). A token wins over a user and password.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, CredentialsError> {
        let get = |k: &str| env(k).filter(|v| !v.is_empty());
        if let Some(t) = get(ENV_TOKEN) {
            let t = t.trim().to_string();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(CredentialsError::Malformed(ENV_TOKEN));
            }
            return Ok(Credentials::Token(Secret(t)));
        }
        match (get(ENV_USER), get(ENV_PASSWORD)) {
            (None, None) => Err(CredentialsError::Missing),
            (Some(_), None) => Err(CredentialsError::Incomplete {
                set: ENV_USER,
                unset: ENV_PASSWORD,
            }),
            (None, Some(_)) => Err(CredentialsError::Incomplete {
                set: ENV_PASSWORD,
                unset: ENV_USER,
            }),
            (Some(user), Some(password)) => {
                let user = user.trim().to_string();
                if user.is_empty() || user.contains(':') || user.chars().any(char::is_control) {
                    return Err(CredentialsError::Malformed(ENV_USER));
                }
                Ok(Credentials::Basic {
                    user,
                    password: Secret(password),
                })
            }
        }
    }

    /// The `Authorization` header's value.
    pub fn header(&self) -> String {
        match self {
            Credentials::Token(t) => format!("token {}", t.0),
            Credentials::Basic { user, password } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.0))
            ),
        }
    }
}

/// Which credentials the environment holds, without their values (for
/// `pawdiag config show`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthPresence {
    /// None set.
    None,
    /// [`ENV_TOKEN`] is set.
    Token,
    /// [`ENV_USER`] and [`ENV_PASSWORD`] are set.
    UserPassword,
    /// Only one of [`ENV_USER`] and [`ENV_PASSWORD`] is set.
    Incomplete,
}

impl AuthPresence {
    /// Looks at which variables are set (not at what they hold).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> AuthPresence {
        let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
        match (set(ENV_TOKEN), set(ENV_USER), set(ENV_PASSWORD)) {
            (true, _, _) => AuthPresence::Token,
            (false, true, true) => AuthPresence::UserPassword,
            (false, false, false) => AuthPresence::None,
            _ => AuthPresence::Incomplete,
        }
    }

    /// Words for `config show`.
    pub fn describe(self) -> String {
        match self {
            AuthPresence::None => "not set".into(),
            AuthPresence::Token => format!("set ({ENV_TOKEN})"),
            AuthPresence::UserPassword => format!("set ({ENV_USER} and {ENV_PASSWORD})"),
            AuthPresence::Incomplete => {
                format!("incomplete (set both {ENV_USER} and {ENV_PASSWORD})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::env_of;

    #[test]
    fn a_token_wins_and_secrets_never_show_in_debug() {
        let c = Credentials::from_env(&env_of(&[
            (ENV_TOKEN, "1-14-abc"),
            (ENV_USER, "root"),
            (ENV_PASSWORD, "hunter22"),
        ]))
        .unwrap();
        assert_eq!(c.header(), "token 1-14-abc");
        assert!(!format!("{c:?}").contains("abc"));
        let c = Credentials::from_env(&env_of(&[(ENV_USER, "root"), (ENV_PASSWORD, "hunter22")]))
            .unwrap();
        assert_eq!(c.header(), "Basic cm9vdDpodW50ZXIyMg==");
        assert!(!format!("{c:?}").contains("hunter22"));
    }

    #[test]
    fn missing_or_half_credentials_are_named() {
        let e = |pairs: &[(&str, &str)]| Credentials::from_env(&env_of(pairs)).unwrap_err();
        assert_eq!(e(&[]), CredentialsError::Missing);
        assert_eq!(
            e(&[(ENV_USER, ""), (ENV_PASSWORD, "")]),
            CredentialsError::Missing
        );
        let half = e(&[(ENV_USER, "root")]);
        assert!(half.to_string().contains(ENV_PASSWORD), "{half}");
        assert_eq!(
            e(&[(ENV_USER, "a:b"), (ENV_PASSWORD, "p")]),
            CredentialsError::Malformed(ENV_USER)
        );
        assert_eq!(
            e(&[(ENV_TOKEN, "to ken")]),
            CredentialsError::Malformed(ENV_TOKEN)
        );
        let p = |pairs: &[(&str, &str)]| AuthPresence::from_env(&env_of(pairs));
        assert_eq!(p(&[]), AuthPresence::None);
        assert_eq!(p(&[(ENV_PASSWORD, "x")]), AuthPresence::Incomplete);
        assert_eq!(
            p(&[(ENV_USER, "u"), (ENV_PASSWORD, "x")]),
            AuthPresence::UserPassword
        );
        assert!(!p(&[(ENV_TOKEN, "s3cr3t")]).describe().contains("s3cr3t"));
    }
}
