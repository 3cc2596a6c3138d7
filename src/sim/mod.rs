//! The simulated firmware of the three products and its faults, served
//! in-process (`sim:` addresses), on a pseudo-terminal and to the fake BlueZ.

pub mod spec;

pub use spec::{SimSpec, SimSpecError};
#[cfg(target_os = "linux")]
pub mod bluez;
