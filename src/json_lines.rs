//! The JSON Lines shape the commands share: one object per input, its `source` first and then
//! the report's own fields; `{"source", "verdict": "error", "error"}` for an input that could
//! not be read.

use serde::Serialize;

/// A report with the input it is about, serialised as one flat object.
#[derive(Serialize)]
pub struct Sourced<'r, T: Serialize> {
    pub source: &'r str,
    #[serde(flatten)]
    pub report: &'r T,
}

/// One JSON line (newline included), written straight from the report, without a JSON tree.
pub fn line<T: Serialize>(source: &str, report: &T) -> Vec<u8> {
    let mut line = Vec::with_capacity(4096);
    // Writing into a Vec cannot fail, and reports hold only strings, numbers, lists and maps
    // with string keys.
    let _ = serde_json::to_writer(&mut line, &Sourced { source, report });
    line.push(b'\n');
    line
}

/// The report as a JSON value (for redaction, or to embed in a larger document).
pub fn report_value<T: Serialize>(source: &str, report: &T) -> serde_json::Value {
    serde_json::to_value(Sourced { source, report }).unwrap_or_default()
}

/// The object for an input that could not be read.
pub fn error_value(source: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "source": source,
        "verdict": "error",
        "error": message,
    })
}
