//! Identity values as signed: the NameID and attribute values of the assertion the claims are
//! read from, judged character by character (whitespace around them, invisible characters,
//! NFKC, mixed scripts) and for markup that splits them (comments, CDATA sections).
//!
//! Errors for the NameID and the attribute the service provider reads the user from; warnings
//! for other attributes, which rarely decide who signs in.

use roxmltree::Node;
use samlkit_parse::model::TextValue;

use crate::values::{
    invisible_characters, latin_look_alike, mixed_script_word, nfkc_if_different, quoted,
    surrounding_whitespace,
};

use super::*;

/// Most findings of one rule this check reports about one message: a hostile document could
/// otherwise produce one per attribute value.
const MAX_FINDINGS_PER_RULE: usize = 20;

/// What a judged value is, as findings name it: "the NameID", "the value of `Email`". Written
/// out only when a finding needs it: most values have none.
#[derive(Clone, Copy, PartialEq)]
enum What<'v> {
    NameId,
    ValueOf(&'v str),
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::NameId => f.write_str("the NameID"),
            What::ValueOf(name) => write!(f, "the value of `{name}`"),
        }
    }
}

/// One value under judgement: what to call it, how strictly to judge it, where it is.
struct Judged<'v, 'a, 'i> {
    what: What<'v>,
    severity: Severity,
    value: &'v TextValue<'a>,
    node: Node<'a, 'i>,
    /// A value made of elements (a NameID inside an AttributeValue): its characters are judged
    /// where they are, not here.
    structured: bool,
}

pub(super) fn check_identity_values(checker: &mut Checker<'_>, assertion: &Assertion<'_, '_>) {
    let mut judged: Vec<Judged<'_, '_, '_>> = Vec::new();
    if let Some(name_id) = assertion.subject.as_ref().and_then(|s| s.name_id.as_ref()) {
        judged.push(Judged {
            what: What::NameId,
            severity: Severity::Error,
            value: &name_id.value,
            node: name_id.node,
            structured: false,
        });
    }
    let user_id = checker.options.user_id_attribute();
    for attribute in &assertion.attributes {
        let name = attribute.name_str();
        let severity = if Some(name) == user_id {
            Severity::Error
        } else {
            Severity::Warning
        };
        for value in &attribute.values {
            judged.push(Judged {
                what: What::ValueOf(name),
                severity,
                value: &value.text,
                node: value.node,
                structured: value.has_child_elements,
            });
        }
    }
    let mut counts: std::collections::HashMap<Rule, usize> = std::collections::HashMap::new();
    for value in &judged {
        for finding in judge(checker.text, value) {
            let crate::code::Code::Rule(rule) = finding.code else {
                continue;
            };
            let count = counts.entry(rule).or_default();
            *count += 1;
            if *count <= MAX_FINDINGS_PER_RULE {
                checker.push(finding);
            }
        }
    }
    for (rule, count) in counts {
        if count > MAX_FINDINGS_PER_RULE {
            checker.push(
                Finding::new(
                    rule,
                    format!(
                        "… and {} more values like the ones above",
                        count - MAX_FINDINGS_PER_RULE
                    ),
                )
                .severity(Severity::Warning),
            );
        }
    }
}

/// The findings about one value.
fn judge(source: &str, judged: &Judged<'_, '_, '_>) -> Vec<Finding> {
    let Judged {
        what,
        severity,
        value,
        node,
        structured,
    } = judged;
    let text = value.as_str();
    let markup = splitting_markup(*node, source);
    if markup.is_none() && is_plain(text) {
        // Printable ASCII, nothing around it: no rule below can find anything in it.
        return Vec::new();
    }
    let shown = quoted(text);
    let is_name_id = *what == What::NameId;
    let mut findings = Vec::new();
    if let Some(markup) = markup {
        let rule = if is_name_id {
            Rule::NameIdMarkup
        } else {
            Rule::ClaimValueMarkup
        };
        findings.push(
            Finding::new(
                rule,
                format!(
                    "{markup} splits the text of {what}; read whole it is {shown} — a library \
                     that reads only the first text node sees someone else"
                ),
            )
            .expected("plain text")
            .actual(shown.clone()),
        );
    }
    if text.trim().is_empty() || *structured {
        // Emptiness is its own finding (nameid/empty, claims/empty-value).
        return finish(findings, *severity, value);
    }
    if surrounding_whitespace(text) {
        findings.push(
            Finding::new(
                Rule::ValueWhitespace,
                format!(
                    "{what} is {shown}, with whitespace around it, exactly as the IdP signed \
                     it; a service provider that compares exactly sees another user than one \
                     that trims it to \"{}\"",
                    text.trim()
                ),
            )
            .expected(format!("\"{}\"", text.trim()))
            .actual(shown.clone())
            .fix("remove the whitespace from the user's source attribute at the IdP"),
        );
    }
    let invisible = invisible_characters(text);
    if !invisible.is_empty() {
        findings.push(
            Finding::new(
                Rule::ValueInvisibleCharacter,
                format!(
                    "{what} is {shown}, which holds {}; it prints like a plain value but is \
                     another string",
                    invisible.join(", ")
                ),
            )
            .expected("visible characters only")
            .actual(shown.clone())
            .fix("correct the user's source attribute at the IdP"),
        );
    }
    if let Some(normalised) = nfkc_if_different(text) {
        findings.push(
            Finding::new(
                Rule::ValueChangesUnderNfkc,
                format!(
                    "{what} is {shown}, which NFKC normalisation turns into {}; a system that \
                     normalises matches it to another account",
                    quoted(&normalised)
                ),
            )
            .expected(quoted(&normalised))
            .actual(shown.clone())
            .fix("correct the user's source attribute at the IdP"),
        );
    }
    if let Some((word, scripts)) = mixed_script_word(text) {
        findings.push(
            Finding::new(
                Rule::ValueMixedScripts,
                format!(
                    "{what} is {shown}; its word {} mixes {} letters, a look-alike of another \
                     identifier",
                    quoted(&word),
                    scripts.join(" and ")
                ),
            )
            .expected("letters of one script per word")
            .actual(shown.clone())
            .fix("correct the user's source attribute at the IdP"),
        );
    }
    if let Some((word, latin)) = latin_look_alike(text) {
        findings.push(
            Finding::new(
                Rule::ValueMixedScripts,
                format!(
                    "{what} is {shown}; its word {} is written in Cyrillic or Greek letters that \
                     look like the Latin {}, a look-alike of another identifier",
                    quoted(&word),
                    quoted(&latin)
                ),
            )
            .expected("an identifier that does not imitate a Latin one")
            .actual(shown.clone())
            .fix("correct the user's source attribute at the IdP"),
        );
    }
    finish(findings, *severity, value)
}

/// Printable ASCII without whitespace at either end.
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes[0] != b' '
        && bytes[bytes.len() - 1] != b' '
        && bytes.iter().all(|b| (0x20..0x7f).contains(b))
}

fn finish(findings: Vec<Finding>, severity: Severity, value: &TextValue<'_>) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|f| f.severity(severity).at(value.span.clone()))
        .collect()
}

/// What splits the element's text, if anything: a comment, a processing instruction, an
/// element beside text, or a CDATA section beside other text (the parser merges CDATA into
/// the text, so it is found in the source).
fn splitting_markup(node: Node<'_, '_>, source: &str) -> Option<&'static str> {
    let has_text = node
        .children()
        .any(|n| n.is_text() && n.text().is_some_and(|t| !t.trim().is_empty()));
    for descendant in node.descendants().skip(1) {
        if descendant.is_comment() {
            return Some("a comment");
        }
        if descendant.is_pi() {
            return Some("a processing instruction");
        }
        if descendant.is_element() && has_text {
            return Some("an element");
        }
    }
    let raw = element_content(node, source)?;
    if !raw.as_bytes().contains(&b'<') {
        // Plain text (nearly every value): no CDATA section, and no substring search.
        return None;
    }
    const OPEN: &str = "<![CDATA[";
    let sections = raw.matches(OPEN).count();
    if sections == 0 {
        return None;
    }
    let whole_value_in_one_section = sections == 1 && raw.starts_with(OPEN) && raw.ends_with("]]>");
    (!whole_value_in_one_section).then_some("a CDATA section")
}

/// Just past the `>` that ends the start tag at the beginning of `tag`: the first `>` outside a
/// quoted attribute value. Every attribute value of every message comes here, so the bytes
/// are skipped to the next quote or `>` rather than looked at one by one.
fn start_tag_end(tag: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let found = at + memchr::memchr3(b'>', b'"', b'\'', &tag[at..])?;
        let byte = tag[found];
        if byte == b'>' {
            return Some(found + 1);
        }
        // A quoted value: resume after its closing quote.
        at = found + 1 + memchr::memchr(byte, &tag[found + 1..])? + 1;
    }
}

/// The source text between an element's start tag and its end tag (`None` for `<x/>`).
fn element_content<'s>(node: Node<'_, '_>, source: &'s str) -> Option<&'s str> {
    let range = node.range();
    let tag = source.get(range.clone())?;
    let start_tag_end = start_tag_end(tag.as_bytes())?;
    if tag.as_bytes().get(start_tag_end.checked_sub(2)?) == Some(&b'/') {
        return None;
    }
    let end_tag_start = tag.rfind("</")?;
    tag.get(start_tag_end..end_tag_start)
}

#[cfg(test)]
mod tests {
    use super::start_tag_end;

    // A `>` or the other quote inside a quoted value does not end the tag; an unterminated
    // value or a tag with no `>` has no end.
    #[test]
    fn the_start_tag_ends_at_the_first_unquoted_close() {
        let cases: [(&str, Option<usize>); 9] = [
            ("<v>text</v>", Some(3)),
            ("<v/>", Some(4)),
            ("<v a=\"1\">x</v>", Some(9)),
            ("<v a=\"x>y\" b='>'>z</v>", Some(17)),
            ("<v a='say \"hi\" >' >z</v>", Some(19)),
            ("<v a=\"it's\">z</v>", Some(12)),
            ("<v a=\"never closed>z</v>", None),
            ("<v a='x'", None),
            ("", None),
        ];
        for (tag, expected) in cases {
            assert_eq!(start_tag_end(tag.as_bytes()), expected, "{tag}");
        }
    }
}
