//! Request Tracker 5 through its REST 2.0 API (`<base>/REST/2.0/…`, in RT's
//! core since 5.0). Calls, with what RT 5.0.3 answers (checked against a
//! real RT in `tests/helpdesk.rs`):
//!
//! - `GET /rt`: version; 401 for bad credentials (the `ping`).
//! - `GET /queue/NAME`: 404 when there is none; `TicketCustomFields` lists
//!   the queue's ticket fields by name. RT ignores an unknown field in a
//!   create without a word, so `DiagnosticId` is only sent when listed.
//! - `POST /ticket` with JSON `Queue, Subject, Content, ContentType,
//!   Priority, CustomFields, Attachments[{FileName, FileType, FileContent
//!   (base64)}]`: 201 `{"id":"7",…}`; 403 when the user may not create there.
//! - `GET /ticket/N` (404 when there is none), then `POST
//!   /ticket/N/comment` with the same body (RT answers 400, not 404, for a
//!   comment on a missing ticket, hence the look first), then `PUT
//!   /ticket/N {"Priority"}` when the verdict is more urgent.
//! - `GET /tickets?query=Filename = '…' OR 'CF.{DiagnosticId}' = '…'`:
//!   the tickets that already carry a report (TicketSQL).
//!
//! Every call has a connect timeout and an overall timeout, follows no
//! redirects (credentials must not travel to another address), and never
//! puts the credentials in an error or a trace line.

use super::auth::{Credentials, HelpdeskUrl};
use super::ticket::{NewTicket, file_stem};
use super::{Helpdesk, HelpdeskError, HelpdeskInfo, TicketId, shown};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The ticket custom field that holds the report id.
pub const DIAGNOSTIC_ID_FIELD: &str = "DiagnosticId";
/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole call, upload included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read from RT (answers are small JSON documents).
const MAX_ANSWER: u64 = 1 << 20;

/// Something that wants a line per call (`-vv`): method, path, status, time.
pub type Trace = Arc<dyn Fn(&str) + Send + Sync>;

/// A Request Tracker 5 instance.
pub struct Rt {
    url: HelpdeskUrl,
    api: String,
    auth: String,
    agent: ureq::Agent,
    /// Queue name → whether its tickets have [`DIAGNOSTIC_ID_FIELD`].
    queue_fields: Mutex<HashMap<String, bool>>,
    trace: Option<Trace>,
}

impl std::fmt::Debug for Rt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rt")
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

/// A 2xx answer.
struct Answer {
    body: Value,
}

/// A non-2xx answer, before it is given a meaning.
struct Refusal {
    status: u16,
    message: String,
    location: Option<String>,
}

/// What a call was about, to name 403s and 404s.
enum About<'a> {
    Server,
    Queue(&'a str),
    Ticket(&'a TicketId),
}

impl Rt {
    /// An RT at `url` (its web address, e.g. `https://rt.example.com/rt`).
    pub fn new(url: HelpdeskUrl, credentials: &Credentials) -> Rt {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(CALL_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(format!("pawdiag/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Rt {
            api: format!("{}/REST/2.0", url.as_str()),
            url,
            auth: credentials.header(),
            agent,
            queue_fields: Mutex::new(HashMap::new()),
            trace: None,
        }
    }

    /// Reports every call to `trace` (for `-vv`).
    pub fn with_trace(mut self, trace: Trace) -> Rt {
        self.trace = Some(trace);
        self
    }

    fn unreachable(&self, detail: String) -> HelpdeskError {
        HelpdeskError::Unreachable {
            url: self.url.to_string(),
            detail,
        }
    }

    /// One call. `query` pairs are percent-encoded; `body` is sent as JSON.
    fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Result<Answer, Refusal>, HelpdeskError> {
        let url = format!("{}{path}", self.api);
        let started = Instant::now();
        let sent = match (method, body) {
            ("GET", _) => {
                let mut r = self.agent.get(&url);
                for (k, v) in query {
                    r = r.query(*k, *v);
                }
                r.header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .call()
            }
            (_, body) => {
                let b = body.cloned().unwrap_or(Value::Null);
                let r = if method == "PUT" {
                    self.agent.put(&url)
                } else {
                    self.agent.post(&url)
                };
                r.header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .send_json(&b)
            }
        };
        let mut resp = sent.map_err(|e| {
            self.log(method, path, "no answer", started);
            self.unreachable(network_words(&e))
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
        if let Some(t) = &self.trace {
            t(&format!(
                "helpdesk: {method} /REST/2.0{} → {status} ({} ms)",
                path.split('?').next().unwrap_or(path),
                started.elapsed().as_millis()
            ));
        }
    }

    /// A refusal as an error, named by what the call was about.
    fn refused(r: Refusal, about: About<'_>, action: impl FnOnce() -> String) -> HelpdeskError {
        match (r.status, about) {
            (401, _) => HelpdeskError::BadCredentials,
            (403, _) => HelpdeskError::Forbidden { action: action() },
            (404, About::Queue(q)) => HelpdeskError::NoSuchQueue(q.to_string()),
            (404, About::Ticket(t)) => HelpdeskError::NoSuchTicket(t.clone()),
            (429 | 500..=599, _) => HelpdeskError::Server {
                status: r.status,
                message: r.message,
            },
            (300..=399, _) => HelpdeskError::Redirected {
                status: r.status,
                location: r.location.unwrap_or_else(|| "nowhere".into()),
            },
            (status, _) => HelpdeskError::Rejected {
                status,
                message: r.message,
            },
        }
    }

    /// Whether tickets in `queue` have the `DiagnosticId` field (asked once
    /// per queue); also how an unknown queue is told apart from a refusal.
    fn queue_has_diagnostic_id(&self, queue: &str) -> Result<bool, HelpdeskError> {
        if let Some(&known) = self.lock_fields().get(queue) {
            return Ok(known);
        }
        let path = format!("/queue/{}", segment(queue));
        let a = self.call("GET", &path, &[], None)?.map_err(|r| {
            Self::refused(r, About::Queue(queue), || {
                format!("create tickets in the queue '{queue}'")
            })
        })?;
        let has = a
            .body
            .get("TicketCustomFields")
            .and_then(Value::as_array)
            .is_some_and(|fields| {
                fields
                    .iter()
                    .any(|f| f.get("name").and_then(Value::as_str) == Some(DIAGNOSTIC_ID_FIELD))
            });
        self.lock_fields().insert(queue.to_string(), has);
        Ok(has)
    }

    fn lock_fields(&self) -> std::sync::MutexGuard<'_, HashMap<String, bool>> {
        // A panic elsewhere while holding the lock leaves a usable map.
        self.queue_fields
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The body of a create or a comment.
fn message(t: &NewTicket) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD;
    let files: Vec<Value> = t
        .attachments
        .iter()
        .map(|a| {
            json!({
                "FileName": a.file_name,
                "FileType": a.content_type,
                "FileContent": b64.encode(&a.bytes),
            })
        })
        .collect();
    json!({
        "Subject": t.subject,
        "Content": t.body,
        "ContentType": "text/plain",
        "Attachments": files,
    })
}

/// A path segment, percent-encoded (queue names may hold spaces or `/`).
fn segment(s: &str) -> String {
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

/// A ticket id in an answer: RT writes it as a string; accept a number too.
fn id_in(v: &Value) -> Option<TicketId> {
    let id = v.get("id")?;
    let text = match id {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    TicketId::parse(&text)
}

/// True for text that can go between single quotes in TicketSQL as it is.
fn sql_safe(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

impl Helpdesk for Rt {
    fn ping(&self) -> Result<HelpdeskInfo, HelpdeskError> {
        let a = self
            .call("GET", "/rt", &[], None)?
            .map_err(|r| Self::refused(r, About::Server, || "use the REST API".into()))?;
        let version = a
            .body
            .get("Version")
            .and_then(Value::as_str)
            .map(shown)
            .ok_or_else(|| HelpdeskError::Protocol("GET /rt gave no Version".into()))?;
        Ok(HelpdeskInfo {
            product: "Request Tracker".into(),
            version,
        })
    }

    fn create(&self, queue: &str, t: &NewTicket) -> Result<TicketId, HelpdeskError> {
        let with_field = self.queue_has_diagnostic_id(queue)?;
        let mut body = message(t);
        body["Queue"] = json!(queue);
        body["Priority"] = json!(t.priority);
        if with_field {
            body["CustomFields"] = json!({ DIAGNOSTIC_ID_FIELD: t.report_id });
        }
        let a = self
            .call("POST", "/ticket", &[], Some(&body))?
            .map_err(|r| {
                Self::refused(r, About::Queue(queue), || {
                    format!("create tickets in the queue '{queue}'")
                })
            })?;
        id_in(&a.body).ok_or_else(|| {
            HelpdeskError::Protocol("the new ticket's answer had no ticket number".into())
        })
    }

    fn comment(&self, id: &TicketId, t: &NewTicket) -> Result<(), HelpdeskError> {
        let path = format!("/ticket/{}", id.as_str());
        let ticket = self
            .call("GET", &path, &[], None)?
            .map_err(|r| Self::refused(r, About::Ticket(id), || format!("see ticket {id}")))?;
        self.call("POST", &format!("{path}/comment"), &[], Some(&message(t)))?
            .map_err(|r| {
                Self::refused(r, About::Ticket(id), || format!("comment on ticket {id}"))
            })?;
        let current = ticket
            .body
            .get("Priority")
            .and_then(|p| {
                p.as_str()
                    .and_then(|s| s.parse().ok())
                    .or_else(|| p.as_u64())
            })
            .unwrap_or(0);
        if u64::from(t.priority) > current {
            // The comment is in; a user who may comment but not modify the
            // ticket still gets it there, only the priority stays.
            let raised = self.call("PUT", &path, &[], Some(&json!({"Priority": t.priority})));
            if !matches!(raised, Ok(Ok(_)))
                && let Some(trace) = &self.trace
            {
                trace(&format!(
                    "helpdesk: the priority of ticket {id} could not be raised"
                ));
            }
        }
        Ok(())
    }

    fn find(&self, report_id: &str) -> Result<Option<TicketId>, HelpdeskError> {
        let mut query = format!("Filename = '{}.json'", file_stem(report_id));
        if sql_safe(report_id) {
            query.push_str(&format!(
                " OR 'CF.{{{DIAGNOSTIC_ID_FIELD}}}' = '{report_id}'"
            ));
        }
        let a = self
            .call(
                "GET",
                "/tickets",
                &[("query", &query), ("fields", "id")],
                None,
            )?
            .map_err(|r| Self::refused(r, About::Server, || "search tickets".into()))?;
        let items = a
            .body
            .get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| HelpdeskError::Protocol("a ticket search gave no items".into()))?;
        Ok(items.iter().filter_map(id_in).min_by_key(|t| {
            // The first ticket that got it: lowest number.
            t.as_str().parse::<u64>().unwrap_or(u64::MAX)
        }))
    }

    fn ticket_url(&self, id: &TicketId) -> String {
        format!("{}/Ticket/Display.html?id={}", self.url, id.as_str())
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

    #[test]
    fn only_plain_ids_go_into_ticketsql() {
        assert!(sql_safe("PT-24A0-0001-20261120T155841Z"));
        assert!(!sql_safe("x' OR id > 0 OR 'a"));
        assert!(!sql_safe(""));
    }

    #[test]
    fn ids_are_read_as_strings_or_numbers() {
        assert_eq!(id_in(&json!({"id": "7"})), TicketId::parse("7"));
        assert_eq!(id_in(&json!({"id": 8})), TicketId::parse("8"));
        assert_eq!(id_in(&json!({"id": "x"})), None);
        assert_eq!(id_in(&json!({})), None);
    }

    #[test]
    fn nothing_listening_is_unreachable_and_says_so_without_credentials() {
        // Port 9 (discard) on loopback: nothing listens there in a sandbox.
        let url = HelpdeskUrl::parse("http://127.0.0.1:9").unwrap();
        let creds = Credentials::from_env(&|k| {
            (k == super::super::auth::ENV_TOKEN).then(|| "sekrit-token".to_string())
        })
        .unwrap();
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        let rt = Rt::new(url, &creds).with_trace(Arc::new(move |l: &str| {
            sink.lock().unwrap().push(l.to_string())
        }));
        let e = rt.ping().unwrap_err();
        assert!(e.is_transient(), "{e:?}");
        assert!(!format!("{e} {e:?} {rt:?}").contains("sekrit"));
        let lines = lines.lock().unwrap();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("GET /REST/2.0/rt"), "{lines:?}");
        assert!(!lines[0].contains("sekrit"));
    }
}
