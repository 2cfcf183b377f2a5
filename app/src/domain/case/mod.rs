//! Cases (事件): the closed loop (SPEC §4). `types` is the vocabulary, `machine` decides
//! which actions are allowed and what they change, `colour` is the three-colour rule.
//! All pure: the time is always an argument.

pub mod colour;
pub mod machine;
pub mod types;
pub mod view;

pub use machine::{Action, Actor, CaseState, Decision, DispatchState, DispatchTarget, Refusal};
pub use types::*;
