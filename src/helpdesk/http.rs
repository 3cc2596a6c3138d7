//! JSON over HTTP(S) for helpdesk APIs: one `ureq` agent with rustls, a
//! connect timeout and an overall timeout on every call, no redirects
//! followed (credentials must not travel to another address), the
//! `Authorization` header on every call, and a `-vv` trace line per call
//! that names the method, path, status and time, never a header. Any
//! helpdesk implementation can use it; what a status means is theirs to say.

use super::url::HelpdeskUrl;
use super::{HelpdeskError, shown};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole call, upload included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read (helpdesk answers are small JSON documents).
const MAX_ANSWER: u64 = 1 << 20;

/// Something that wants a line per call (`-vv`): method, path, status, time.
pub type Trace = Arc<dyn Fn(&str) + Send + Sync>;

/// A 2xx answer.
pub struct Answer {
    /// Its JSON body.
    pub body: Value,
}

/// A non-2xx answer, before it is given a meaning.
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The answer's `message` (or its text), cleaned and shortened.
    pub message: String,
    /// Its `Location` header, for redirects.
    pub location: Option<String>,
}

/// A helpdesk API at `<base><api path>`.
pub struct Http {
    url: HelpdeskUrl,
    api: String,
    api_path: &'static str,
    auth: String,
    agent: ureq::Agent,
    trace: Option<Trace>,
}

impl Http {
    /// The API at `url` + `api_path` (e.g. `/REST/2.0`), sending `auth` as
    /// the `Authorization` header.
    pub fn new(url: HelpdeskUrl, api_path: &'static str, auth: String) -> Http {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(CALL_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(format!("pawdiag/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http {
            api: format!("{}{api_path}", url.as_str()),
            url,
            api_path,
            auth,
            agent,
            trace: None,
        }
    }

    /// Reports every call to `trace`.
    pub fn set_trace(&mut self, trace: Trace) {
        self.trace = Some(trace);
    }

    /// The helpdesk's address.
    pub fn url(&self) -> &HelpdeskUrl {
        &self.url
    }

    /// A line for the trace, if there is one.
    pub fn note(&self, line: &str) {
        if let Some(t) = &self.trace {
            t(line);
        }
    }

    /// One call: `GET` (with `query` pairs, percent-encoded) or `POST`/`PUT`
    /// with `body` as JSON. No answer at all is [`HelpdeskError::Unreachable`];
    /// a 2xx whose body is not JSON is [`HelpdeskError::Protocol`].
    pub fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Result<Answer, Refusal>, HelpdeskError> {
        let url = format!("{}{path}", self.api);
        let started = Instant::now();
        let sent = match method {
            "GET" => {
                let mut r = self.agent.get(&url);
                for (k, v) in query {
                    r = r.query(*k, *v);
                }
                r.header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .call()
            }
            _ => {
                let r = if method == "PUT" {
                    self.agent.put(&url)
                } else {
                    self.agent.post(&url)
                };
                r.header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .send_json(body.unwrap_or(&Value::Null))
            }
        };
        let mut resp = sent.map_err(|e| {
            self.log(method, path, "no answer", started);
            HelpdeskError::Unreachable {
                url: self.url.to_string(),
                detail: network_words(&e),
            }
        })?;
        let status = resp.status().as_u16();
        self.log(method, path, &status.to_string(), started);
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(shown);
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .unwrap_or_default();
        if (200..300).contains(&status) {
            let body = serde_json::from_str(&text).map_err(|_| {
                HelpdeskError::Protocol(format!(
                    "{method} {path} answered {status} with something other than JSON"
                ))
            })?;
            return Ok(Ok(Answer { body }));
        }
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
            .unwrap_or(text);
        Ok(Err(Refusal {
            status,
            message: shown(&message),
            location,
        }))
    }

    fn log(&self, method: &str, path: &str, status: &str, started: Instant) {
        self.note(&format!(
            "helpdesk: {method} {}{} → {status} ({} ms)",
            self.api_path,
            path.split('?').next().unwrap_or(path),
            started.elapsed().as_millis()
        ));
    }
}

/// A path segment, percent-encoded (queue names may hold spaces or `/`).
pub fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// What went wrong on the network, in words.
fn network_words(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "no answer in time".into(),
        ureq::Error::HostNotFound => "host name not found".into(),
        ureq::Error::ConnectionFailed => "connection failed".into(),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
            std::io::ErrorKind::TimedOut => "no answer in time".into(),
            _ => shown(&io.to_string()),
        },
        ureq::Error::Tls(m) => format!("TLS: {m}"),
        ureq::Error::Rustls(r) => shown(&format!("TLS: {r}")),
        other => shown(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_names_are_one_path_segment() {
        assert_eq!(segment("General"), "General");
        assert_eq!(segment("Returns / EU"), "Returns%20%2F%20EU");
    }
}
