//! The PawCore device interface as pure code: CRC and line framing, messages,
//! typed method results and product facts. No I/O, no async.

pub mod adv;
pub mod crc;
pub mod frame;
pub mod message;
pub mod methods;
pub mod model;
pub mod serial;

pub use frame::{LineBuffer, MAX_LINE, RawLine, decode_line, encode_line};
pub use message::{Incoming, Request, RpcError, parse_incoming};
pub use model::{FirmwareStatus, Model, firmware_status};
