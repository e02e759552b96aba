//! Replay: the same assertion ID in two messages of one run. A service provider accepts an
//! assertion once, so a second message carrying the same ID fails.

use std::collections::HashMap;

use crate::report::{Finding, Report};
use crate::rules::Rule;

/// Remembers the assertion IDs of the messages judged so far. The caller passes one tracker
/// across all inputs of a run, in input order, so "first seen in" is well defined.
#[derive(Debug, Default)]
pub struct ReplayTracker {
    /// Assertion ID → the label of the message it was first seen in.
    first_seen: HashMap<String, String>,
}

impl ReplayTracker {
    pub fn new() -> ReplayTracker {
        ReplayTracker::default()
    }

    /// Notes the report's assertion ID under `label`; when the ID was seen before, adds the
    /// replay finding to the report and returns true.
    pub fn judge(&mut self, label: &str, report: &mut Report) -> bool {
        let Some(id) = report.facts.assertion_id.as_deref() else {
            return false;
        };
        match self.first_seen.get(id) {
            Some(first) => {
                let finding = replayed_assertion(id, first);
                report.add(finding);
                true
            }
            None => {
                self.first_seen.insert(id.to_string(), label.to_string());
                false
            }
        }
    }
}

fn replayed_assertion(assertion_id: &str, first_seen_in: &str) -> Finding {
    Finding::new(
        Rule::ReplayedAssertion,
        format!("the assertion ID `{assertion_id}` was already used by {first_seen_in}"),
    )
    .expected("a fresh assertion for each sign-in")
    .actual(assertion_id)
    .fix("start a new sign-in; never re-post a captured Response")
}
