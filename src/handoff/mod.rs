//! Support as a relay: the customer starts at home, Tier 2 picks it up at
//! the bench, Tier 3 reproduces it. This module holds what passes between
//! them:
//!
//! - [`source`]: a recording (`--record FILE`) or a report, read back as
//!   something a device can be replayed from (`replay:FILE`), with the
//!   session's flow, replies and verdict;
//! - [`prior`]: replies from an earlier session reused instead of asked
//!   again (replays and `diagnose --continue`);
//! - [`retest`]: the flows run against a directory of recordings, with
//!   every verdict that changed (`flows test --recordings DIR`).

pub mod journal;
pub mod prior;
pub mod retest;
pub mod source;
