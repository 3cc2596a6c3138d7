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
//! The calls go through [`super::http::Http`]: timeouts on every call, no
//! redirects followed, no credentials in an error or a trace line.

use super::auth::Credentials;
use super::http::{Http, Refusal, Trace, segment};
use super::ticket::{NewTicket, file_stem};
use super::url::HelpdeskUrl;
use super::{Helpdesk, HelpdeskError, HelpdeskInfo, TicketId, shown};
use base64::Engine as _;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// The ticket custom field that holds the report id.
pub const DIAGNOSTIC_ID_FIELD: &str = "DiagnosticId";

/// A Request Tracker 5 instance.
pub struct Rt {
    http: Http,
    /// Queue name → whether its tickets have [`DIAGNOSTIC_ID_FIELD`].
    queue_fields: Mutex<HashMap<String, bool>>,
}

impl std::fmt::Debug for Rt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rt")
            .field("url", &self.http.url().as_str())
            .finish_non_exhaustive()
    }
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
        Rt {
            http: Http::new(url, "/REST/2.0", credentials.header()),
            queue_fields: Mutex::new(HashMap::new()),
        }
    }

    /// Reports every call to `trace` (for `-vv`).
    pub fn with_trace(mut self, trace: Trace) -> Rt {
        self.http.set_trace(trace);
        self
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
        let a = self.http.call("GET", &path, &[], None)?.map_err(|r| {
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
            .http
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
            .http
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
            .http
            .call("GET", &path, &[], None)?
            .map_err(|r| Self::refused(r, About::Ticket(id), || format!("see ticket {id}")))?;
        self.http
            .call("POST", &format!("{path}/comment"), &[], Some(&message(t)))?
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
            let raised = self
                .http
                .call("PUT", &path, &[], Some(&json!({"Priority": t.priority})));
            if !matches!(raised, Ok(Ok(_))) {
                self.http.note(&format!(
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
            .http
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
        format!("{}/Ticket/Display.html?id={}", self.http.url(), id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

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
