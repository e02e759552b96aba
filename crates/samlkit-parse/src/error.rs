//! Errors for input that cannot be read as a SAML message. Each names what was wrong and where.

use crate::xml::Limits;

/// Why a message's XML could not be turned into a tree and a typed SAML view.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputError {
    #[error("the {what} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
    #[error("elements nest deeper than {limit} levels (at line {line}, column {column}); refusing to go on")]
    TooDeep {
        limit: usize,
        line: u32,
        column: u32,
    },
    #[error("an element at line {line}, column {column} has more than {limit} attributes; refusing to go on")]
    TooManyAttributes {
        limit: usize,
        line: u32,
        column: u32,
    },
    #[error("an element at line {line}, column {column} carries {count} namespace declarations (xmlns), over the limit of {limit} attributes and declarations per element; refusing to go on")]
    TooManyNamespaceDeclarations {
        count: usize,
        limit: usize,
        line: u32,
        column: u32,
    },
    #[error("the attribute '{name}' is written twice on one element, at line {first_line}, column {first_column} and at line {line}, column {column}; parsers disagree about which value counts, so one can be signed while the other is read{id_note}")]
    DuplicateAttribute {
        name: String,
        first_line: u32,
        first_column: u32,
        line: u32,
        column: u32,
        /// Says that the attribute is an ID, the shape of a duplicate-ID wrapping attack.
        id_note: String,
    },
    #[error("the XML has more than {limit} nodes; refusing to go on")]
    TooManyNodes { limit: u32 },
    #[error("the XML contains a DOCTYPE declaration{at}; samlkit refuses DTDs and entities (they enable XXE and entity-expansion attacks), and SAML never needs them")]
    Doctype { at: String },
    #[error(
        "looks truncated: the XML ends inside <{element}> (opened at line {line}, column {column})"
    )]
    Truncated {
        element: String,
        line: u32,
        column: u32,
    },
    #[error("the XML is empty")]
    Empty,
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Malformed {
        message: String,
        line: u32,
        column: u32,
    },
    #[error("this XML is not a SAML message or metadata: its root element is <{root}>{namespace}")]
    NotSaml { root: String, namespace: String },
    #[error("this is {found}, not {expected}")]
    WrongKind {
        found: String,
        expected: &'static str,
    },
}

impl InputError {
    /// Translates a roxmltree error, recognising truncation so the user hears "the XML ends
    /// inside <Assertion>" rather than a bare end-of-stream message.
    pub(crate) fn from_xml_error(text: &str, err: roxmltree::Error, limits: &Limits) -> InputError {
        use roxmltree::Error as E;
        match err {
            E::DtdDetected => {
                let at = text
                    .find("<!DOCTYPE")
                    .map(|offset| {
                        let pos = crate::xml::line_column(text, offset);
                        format!(" at line {}, column {}", pos.line, pos.column)
                    })
                    .unwrap_or_default();
                InputError::Doctype { at }
            }
            E::NodesLimitReached => InputError::TooManyNodes {
                limit: limits.max_nodes,
            },
            E::NoRootNode if text.trim().is_empty() => InputError::Empty,
            E::DuplicatedAttribute(ref name, pos) => duplicate_attribute(text, name, pos),
            E::UnexpectedEndOfStream | E::UnclosedRootNode => match innermost_unclosed(text) {
                Some((element, offset)) => {
                    let pos = crate::xml::line_column(text, offset);
                    InputError::Truncated {
                        element,
                        line: pos.line,
                        column: pos.column,
                    }
                }
                None => malformed(err),
            },
            E::UnknownToken(pos) => {
                let offset = byte_offset(text, pos.row, pos.col);
                let (open, seen_element) = scan_open_elements(&text[..offset]);
                if open.is_empty() && seen_element {
                    InputError::Malformed {
                        message: "content after the root element (an XML document has exactly one \
                                  root element; this may be two messages pasted together)"
                            .into(),
                        line: pos.row,
                        column: pos.col,
                    }
                } else {
                    malformed(err)
                }
            }
            other => {
                // roxmltree reports end-of-input inside a tag as an ordinary error at the last
                // position; treat an error at the very end as truncation too.
                let pos = other.pos();
                let at_end = crate::xml::line_column(text, text.trim_end().len());
                if (pos.row, pos.col) >= (at_end.line, at_end.column) {
                    if let Some((element, offset)) = innermost_unclosed(text) {
                        let pos = crate::xml::line_column(text, offset);
                        return InputError::Truncated {
                            element,
                            line: pos.line,
                            column: pos.column,
                        };
                    }
                }
                malformed(other)
            }
        }
    }
}

/// A duplicate attribute, with both places it is written. roxmltree reports the start tag's
/// position; the two occurrences are found by reading the tag's attribute names.
fn duplicate_attribute(text: &str, name: &str, pos: roxmltree::TextPos) -> InputError {
    let offset = byte_offset(text, pos.row, pos.col).min(text.len());
    let tag_start = text[..=offset.min(text.len().saturating_sub(1))]
        .rfind('<')
        .unwrap_or(0);
    let tag_end = crate::xml::start_tag_end(text, tag_start).unwrap_or(text.len());
    let places: Vec<usize> = crate::xml::attribute_names(&text[tag_start..tag_end])
        .filter(|(written, _)| written.rsplit(':').next() == Some(name))
        .map(|(_, at)| tag_start + at)
        .collect();
    let first = crate::xml::line_column(text, places.first().copied().unwrap_or(offset));
    let second = crate::xml::line_column(text, places.get(1).copied().unwrap_or(offset));
    let id_note = if ["ID", "Id", "AssertionID", "ResponseID", "RequestID"].contains(&name) {
        " (a duplicate ID: the shape of signature-wrapping attacks)".to_string()
    } else {
        String::new()
    };
    InputError::DuplicateAttribute {
        name: name.to_string(),
        first_line: first.line,
        first_column: first.column,
        line: second.line,
        column: second.column,
        id_note,
    }
}

fn malformed(err: roxmltree::Error) -> InputError {
    let pos = err.pos();
    let message = err.to_string();
    // roxmltree appends " at R:C"; the position is reported separately.
    let message = match message.rfind(" at ") {
        Some(cut) if message[cut + 4..].contains(':') => message[..cut].to_string(),
        _ => message,
    };
    InputError::Malformed {
        message,
        line: pos.row,
        column: pos.col,
    }
}

/// The innermost element still open at the end of `text`, by a light scan of tags (comments,
/// CDATA, PIs and quoted attribute values skipped), with the byte offset of its start tag.
fn innermost_unclosed(text: &str) -> Option<(String, usize)> {
    let (open, _) = scan_open_elements(text);
    let (start, name_end) = *open.last()?;
    let qname = &text[start + 1..name_end];
    let local = qname.rsplit(':').next().unwrap_or(qname);
    Some((local.to_string(), start))
}

/// The elements still open at the end of `text` as (start of `<`, end of the name), and
/// whether any element was seen at all.
fn scan_open_elements(text: &str) -> (Vec<(usize, usize)>, bool) {
    let bytes = text.as_bytes();
    let mut seen_element = false;
    let mut open: Vec<(usize, usize)> = Vec::new(); // (start of '<', end of qname)
    let mut i = 0;
    while let Some(lt) = memchr_from(bytes, b'<', i) {
        let rest = &text[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| lt + e + 3);
        } else if rest.starts_with("<![CDATA[") {
            i = rest.find("]]>").map_or(bytes.len(), |e| lt + e + 3);
        } else if rest.starts_with("<?") {
            i = rest.find("?>").map_or(bytes.len(), |e| lt + e + 2);
        } else if rest.starts_with("<!") {
            i = rest.find('>').map_or(bytes.len(), |e| lt + e + 1);
        } else if rest.starts_with("</") {
            open.pop();
            i = rest.find('>').map_or(bytes.len(), |e| lt + e + 1);
        } else {
            let name_end = rest[1..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(rest.len(), |e| e + 1);
            let Some(tag_end) = crate::xml::start_tag_end(text, lt) else {
                if name_end > 1 {
                    open.push((lt, lt + name_end));
                }
                break;
            };
            let self_closing = tag_end >= 2 && bytes[tag_end - 2] == b'/';
            seen_element = true;
            if name_end > 1 && !self_closing {
                open.push((lt, lt + name_end));
            }
            i = tag_end;
        }
    }
    (open, seen_element)
}

/// The byte offset of a one-based (line, column in characters) position.
fn byte_offset(text: &str, line: u32, column: u32) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line as usize - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| line_start + i)
}

fn memchr_from(haystack: &[u8], needle: u8, from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|p| p + from)
}
