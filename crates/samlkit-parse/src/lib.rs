//! samlkit-parse: the first two steps of samlkit's flow (**decode** → **parse** → verify → lint →
//! render).
//!
//! Entry points: [`decode::decode_input`] (captured bytes → the XML text of each message),
//! [`parse_xml`] (text → tree) and [`read_message`] (tree → typed message).
//!
//! *Decode* turns whatever the user captured — raw XML, base64 from browser dev tools, a form
//! body, an HTTP-Redirect URL, an HTML auto-submit page, a HAR file or a SAML-tracer export —
//! into one or more messages, each with the exact XML text and where it came from ([`decode`]).
//! [`decode::decode_base64_lenient`] is the one reader for base64 inside XML text and PEM
//! bodies that the other crates use.
//!
//! *Parse* reads that text once, securely (no DTD, bounded size, node count and depth), into a
//! `roxmltree` tree ([`xml`]). Typed views ([`model`]) borrow that tree: Response, Assertion,
//! requests, logout messages and federation metadata, with every value keeping its byte span so
//! later steps can point at line and column. Elements are matched by namespace URI and local
//! name, never by prefix; text values are whole text content, never the first text node. Time
//! values are parsed here ([`time`]) but "now" is always an input, never read from the clock.
//!
//! No cryptography happens here: `samlkit-verify` works over the same tree, and
//! `samlkit_lint::explain` runs the whole flow.

pub mod decode;
pub mod error;
pub mod model;
pub mod time;
pub mod xml;

pub use error::InputError;
pub use model::{read_message, SamlMessage};
pub use xml::{parse_xml, Limits};
