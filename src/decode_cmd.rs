//! `samlkit decode`: the decoded XML, pretty-printed from the parsed tree, or the exact bytes.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesPI, BytesStart, BytesText, Event};
use quick_xml::Writer;
use roxmltree::{Node, NodeType};
use samlkit_lint::explain::open_message;
use samlkit_parse::{xml, Limits};
use samlkit_verify::xmlenc::DecryptionKeys;

use crate::cli::DecodeArgs;
use crate::exit;
use crate::input::{self, LoadedMessage};
use crate::style::print_error;

pub fn run(args: &DecodeArgs) -> u8 {
    let limits = Limits::default();
    if args.decrypt && args.input.sp_key.is_empty() {
        print_error(
            "--decrypt",
            "needs the service provider's private key: add --sp-key FILE",
        );
        return exit::BAD_INPUT;
    }
    let keys = match input::load_keys(&args.input.sp_key) {
        Ok(keys) => keys,
        Err(message) => {
            print_error("--sp-key", &message);
            return exit::BAD_INPUT;
        }
    };
    let mut code = exit::OK;
    let mut pretty_printed = false;
    let mut stdout = std::io::stdout().lock();
    for loaded in input::load_all(&args.input, &limits) {
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(failure) => {
                print_error(&failure.label, &failure.message);
                code = code.max(exit::BAD_INPUT);
                continue;
            }
        };
        match render(&loaded, args, &keys, &limits) {
            Ok(bytes) => {
                let _ = stdout.write_all(&bytes);
                if !bytes.ends_with(b"\n") {
                    let _ = stdout.write_all(b"\n");
                }
                pretty_printed = pretty_printed || !(args.raw || args.line_numbers);
            }
            Err(message) => {
                print_error(&loaded.label, &message);
                code = code.max(exit::BAD_INPUT);
            }
        }
    }
    if pretty_printed {
        // On stderr, so that stdout stays the XML alone and can be piped on.
        eprintln!("{PRETTY_VIEW_NOTE}");
    }
    code
}

/// Why the pretty view's line numbers are not those of findings, and where to find those.
const PRETTY_VIEW_NOTE: &str = "note: this view is re-indented; the line and column a \
    `samlkit explain` finding gives are those of the XML as it arrived, which \
    `samlkit decode --raw --line-numbers` prints with its lines numbered";

fn render(
    loaded: &LoadedMessage,
    args: &DecodeArgs,
    keys: &DecryptionKeys,
    limits: &Limits,
) -> Result<Vec<u8>, String> {
    let keys = args.decrypt.then_some(keys);
    let expect = args.input.expect.map(Into::into);
    open_message(&loaded.decoded.xml, limits, keys, expect, |opened| {
        if !args.decrypt {
            return match (args.line_numbers, args.raw) {
                (true, _) => Ok(with_line_numbers(opened.arrived.input_text())),
                (false, true) => Ok(loaded.decoded.bytes().to_vec()),
                (false, false) => pretty_print(opened.arrived),
            };
        }
        let Some(decryption) = opened.decryption else {
            return Err("nothing in this message is encrypted".into());
        };
        let failures: Vec<String> = decryption
            .elements
            .iter()
            .filter_map(|e| e.result.as_ref().err())
            .map(|f| crate::flag_hints::with_flag_hint(&f.message, f.missing))
            .collect();
        if !failures.is_empty() {
            return Err(format!("could not decrypt: {}", failures.join("; ")));
        }
        match (args.line_numbers, args.raw) {
            (true, _) => Ok(with_line_numbers(&decryption.text)),
            (false, true) => Ok(decryption.text.clone().into_bytes()),
            (false, false) => pretty_print(opened.document),
        }
    })
    .map_err(|err| err.to_string())?
}

/// The text with each line behind a right-aligned number and `| `, so that line L, column C
/// of a finding is line L here, C characters after the bar and its space. A line's `\r`
/// (CRLF endings) is left out, as it follows every column.
fn with_line_numbers(text: &str) -> Vec<u8> {
    use std::fmt::Write as _;
    let lines: Vec<&str> = text
        .strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect();
    let width = lines.len().to_string().len();
    let mut out = String::with_capacity(text.len() + lines.len() * (width + 3));
    for (index, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let _ = writeln!(out, "{:>width$} | {line}", index + 1);
    }
    out.into_bytes()
}

/// Re-serialises the tree with two-space indentation. Start tags are copied as written (so
/// prefixes, namespace declarations and attribute order stay as the IdP sent them);
/// whitespace-only text between elements is replaced by the indentation.
pub fn pretty_print(doc: &roxmltree::Document<'_>) -> Result<Vec<u8>, String> {
    write_pretty(doc).map_err(|e| format!("could not write the XML: {e}"))
}

fn write_pretty(doc: &roxmltree::Document<'_>) -> std::io::Result<Vec<u8>> {
    let source = doc.input_text();
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    if source.trim_start_matches('\u{feff}').starts_with("<?xml") {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    }
    for child in doc.root().children() {
        write_node(&mut writer, child, source)?;
    }
    let mut out = writer.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn write_node(
    writer: &mut Writer<Vec<u8>>,
    node: Node<'_, '_>,
    source: &str,
) -> std::io::Result<()> {
    // An explicit stack of (node, closing?) keeps deep documents from overflowing ours.
    let mut stack: Vec<(Node<'_, '_>, bool)> = vec![(node, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            writer.write_event(Event::End(BytesEnd::new(xml::element_qname(node, source))))?;
            continue;
        }
        match node.node_type() {
            NodeType::Element => {
                let start = node.range().start;
                let end = xml::start_tag_end(source, start).unwrap_or(node.range().end);
                let raw = &source[start + 1..end - 1];
                let self_closing = raw.ends_with('/');
                let inner = raw.strip_suffix('/').unwrap_or(raw).trim_end();
                let qname_len = xml::element_qname(node, source).len();
                let tag = BytesStart::from_content(inner, qname_len);
                let has_content = node
                    .children()
                    .any(|c| !(c.is_text() && c.text().is_some_and(|t| t.trim().is_empty())));
                if self_closing || !has_content {
                    writer.write_event(Event::Empty(tag))?;
                } else {
                    writer.write_event(Event::Start(tag))?;
                    stack.push((node, true));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push((child, false));
                    }
                }
            }
            NodeType::Text => {
                let text = node.text().unwrap_or("");
                if !text.trim().is_empty() {
                    writer.write_event(Event::Text(BytesText::new(text)))?;
                }
            }
            NodeType::Comment => {
                let comment = node.text().unwrap_or("");
                writer.write_event(Event::Comment(BytesText::from_escaped(comment)))?;
            }
            NodeType::PI => {
                if let Some(pi) = node.pi() {
                    let content = match pi.value {
                        Some(value) => format!("{} {value}", pi.target),
                        None => pi.target.to_string(),
                    };
                    writer.write_event(Event::PI(BytesPI::new(content)))?;
                }
            }
            NodeType::Root => {}
        }
    }
    Ok(())
}
