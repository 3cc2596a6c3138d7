//! Requests, responses and events (device interface §3), as JSON values.
//!
//! Both sides use this module: the host client to build requests and read
//! answers, the simulator to read requests and build answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Frame error: CRC, JSON or length.
pub const FRAME_ERROR: i64 = -32700;
/// The method does not exist.
pub const UNKNOWN_METHOD: i64 = -32601;
/// The params are wrong.
pub const INVALID_PARAMS: i64 = -32602;
/// Busy; `data.retry_ms` says when to try again.
pub const BUSY: i64 = -32000;
/// Not supported by this model or firmware.
pub const NOT_SUPPORTED: i64 = -32010;
/// Hardware fault; `data.code` names it.
pub const HARDWARE_FAULT: i64 = -32020;

/// A request from the host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Chosen by the host; echoed in the response.
    pub id: u32,
    /// Method name, e.g. `battery.status`.
    pub method: String,
    /// Optional parameters object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
}

impl Request {
    /// The request as one-line JSON (without framing).
    pub fn to_json(&self) -> String {
        // Serialising a struct of a u32, a String and a Value cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RpcError {
    /// One of the codes above (or another the firmware uses).
    pub code: i64,
    /// Human-readable text from the device.
    #[serde(default)]
    pub message: String,
    /// Extra data, e.g. `retry_ms` or a fault `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl RpcError {
    /// `data.retry_ms` of a busy answer, if present and sane.
    pub fn retry_ms(&self) -> Option<u64> {
        self.data.as_ref()?.get("retry_ms")?.as_u64()
    }

    /// `data.code` of a hardware fault, if present.
    pub fn fault_code(&self) -> Option<&str> {
        self.data.as_ref()?.get("code")?.as_str()
    }
}

/// Anything the device sends that is a protocol message.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// An answer to the request with this id.
    Response {
        /// The id it answers.
        id: u32,
        /// `result` or `error`.
        outcome: Result<Value, RpcError>,
    },
    /// An error with `"id":null`: the device could not read one of our lines.
    Unaddressed(RpcError),
    /// An unsolicited event.
    Event {
        /// Event name, e.g. `heartbeat`.
        name: String,
        /// Its data object (`null` when absent).
        data: Value,
    },
}

/// Why a JSON text is not a message we understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// Not valid JSON.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// Valid JSON, but not an object.
    #[error("not a JSON object")]
    NotObject,
    /// An object that is neither a response nor an event.
    #[error("neither a response nor an event")]
    Unrecognised,
    /// A request without an id or method.
    #[error("not a valid request")]
    BadRequest,
}

fn parse_object(json: &str) -> Result<Map<String, Value>, MessageError> {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(MessageError::NotObject),
        Err(e) => Err(MessageError::Json(e.to_string())),
    }
}

/// Reads a device-to-host message. Unknown fields are ignored.
pub fn parse_incoming(json: &str) -> Result<Incoming, MessageError> {
    let mut map = parse_object(json)?;
    if let Some(Value::String(name)) = map.get("event") {
        let name = name.clone();
        let data = map.remove("data").unwrap_or(Value::Null);
        return Ok(Incoming::Event { name, data });
    }
    let id = match map.get("id") {
        Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(MessageError::Unrecognised)?,
        ),
        None => return Err(MessageError::Unrecognised),
    };
    let outcome = if let Some(err) = map.remove("error") {
        let err: RpcError =
            serde_json::from_value(err).map_err(|e| MessageError::Json(e.to_string()))?;
        Err(err)
    } else if let Some(result) = map.remove("result") {
        Ok(result)
    } else {
        return Err(MessageError::Unrecognised);
    };
    match (id, outcome) {
        (Some(id), outcome) => Ok(Incoming::Response { id, outcome }),
        (None, Err(err)) => Ok(Incoming::Unaddressed(err)),
        (None, Ok(_)) => Err(MessageError::Unrecognised),
    }
}

/// Reads a host-to-device request (used by the simulator).
pub fn parse_request(json: &str) -> Result<Request, MessageError> {
    let map = parse_object(json)?;
    serde_json::from_value(Value::Object(map)).map_err(|_| MessageError::BadRequest)
}

/// JSON of a successful response.
pub fn response_json(id: u32, result: &Value) -> String {
    serde_json::json!({ "id": id, "result": result }).to_string()
}

/// JSON of an error response; `id` is `None` for a frame error.
pub fn error_json(id: Option<u32>, code: i64, message: &str, data: Option<Value>) -> String {
    let mut err = serde_json::json!({ "code": code, "message": message });
    if let (Some(data), Some(obj)) = (data, err.as_object_mut()) {
        obj.insert("data".into(), data);
    }
    serde_json::json!({ "id": id, "error": err }).to_string()
}

/// JSON of an event.
pub fn event_json(name: &str, data: &Value) -> String {
    serde_json::json!({ "event": name, "data": data }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_with_unknown_fields() {
        let msg = parse_incoming(r#"{"id":17,"result":{"a":1},"extra":true}"#).unwrap();
        assert_eq!(
            msg,
            Incoming::Response {
                id: 17,
                outcome: Ok(serde_json::json!({"a":1}))
            }
        );
    }

    #[test]
    fn busy_error_carries_retry() {
        let msg = parse_incoming(
            r#"{"id":3,"error":{"code":-32000,"message":"busy","data":{"retry_ms":50}}}"#,
        )
        .unwrap();
        match msg {
            Incoming::Response {
                outcome: Err(e), ..
            } => {
                assert_eq!(e.code, BUSY);
                assert_eq!(e.retry_ms(), Some(50));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn frame_error_has_null_id() {
        let msg = parse_incoming(&error_json(None, FRAME_ERROR, "frame error", None)).unwrap();
        assert!(matches!(msg, Incoming::Unaddressed(e) if e.code == FRAME_ERROR));
    }

    #[test]
    fn event_without_data() {
        let msg = parse_incoming(r#"{"event":"heartbeat"}"#).unwrap();
        assert_eq!(
            msg,
            Incoming::Event {
                name: "heartbeat".into(),
                data: Value::Null
            }
        );
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(parse_incoming("[1,2]").is_err());
        assert!(parse_incoming(r#"{"id":-1,"result":{}}"#).is_err());
        assert!(parse_incoming(r#"{"id":5000000000,"result":{}}"#).is_err());
        assert!(parse_incoming(r#"{"hello":1}"#).is_err());
        assert!(parse_incoming("{").is_err());
    }

    #[test]
    fn request_round_trip() {
        let req = Request {
            id: 9,
            method: "selftest.run".into(),
            params: Some(serde_json::json!({"components":["gps"]})),
        };
        assert_eq!(parse_request(&req.to_json()).unwrap(), req);
    }
}
