//! pawdiag: diagnoses PawCore PetTrackers, HealthMonitors and SmartCollars
//! over USB serial or Bluetooth LE, walks the support playbook's
//! troubleshooting trees and writes reports to attach to a ticket.
//!
//! The library never prints; the binary in `main.rs` is the only place that
//! talks to a terminal.

pub mod address;
pub mod batch;
pub mod cancel;
pub mod client;
pub mod config;
pub mod connect;
pub mod diagnose;
pub mod doctor;
pub mod exit;
pub mod failure;
pub mod flow;
pub mod handoff;
pub mod helpdesk;
pub mod interface;
pub mod last_device;
pub mod link;
pub mod manifest;
pub mod platform;
pub mod privacy;
pub mod probe;
pub mod readings;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod snapshot;
pub mod sweep;
pub mod table;
pub mod transcript;

#[cfg(test)]
mod architecture_tests;
