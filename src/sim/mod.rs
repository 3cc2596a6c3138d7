//! The simulated firmware of the three products and its faults, served
//! in-process (`sim:` addresses), on a pseudo-terminal and to the fake BlueZ.
//!
//! [`firmware::Firmware`] is the device as pure logic (bytes and instants
//! in, lines out); [`inproc::SimTransport`] and [`pty::PtyServer`] drive it.

pub mod faults;
pub mod firmware;
pub mod inproc;
pub mod linkfault;
pub mod models;
#[cfg(unix)]
pub mod pty;
pub mod spec;

pub use firmware::{Advert, Firmware, Output};
pub use inproc::SimTransport;
#[cfg(unix)]
pub use pty::PtyServer;
pub use spec::{SimSpec, SimSpecError};
#[cfg(target_os = "linux")]
pub mod bluez;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_faults;
#[cfg(test)]
mod tests_links;
#[cfg(test)]
mod tests_protocol;
#[cfg(test)]
mod tests_states;
