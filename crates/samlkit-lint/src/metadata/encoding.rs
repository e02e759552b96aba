//! Encoding and length: what the file's bytes say before any parsing.

use super::*;

/// Findings about the raw bytes of a metadata file: a UTF-8 byte-order mark, UTF-16, or an
/// encoding other than UTF-8 declared.
pub fn encoding_findings(raw: &[u8]) -> Vec<Finding> {
    let fix = "save the file as UTF-8 without BOM (e.g. `iconv -f <encoding> -t UTF-8`, or \
               \"UTF-8\" rather than \"UTF-8 with BOM\" in the editor), and keep the XML \
               declaration's encoding=\"UTF-8\"";
    let mut findings = Vec::new();
    if raw.starts_with(&[0xEF, 0xBB, 0xBF]) {
        findings.push(
            Finding::new(
                Rule::MetadataByteOrderMark,
                "the file starts with a UTF-8 byte-order mark; AWS IAM refuses such metadata",
            )
            .expected("the file to start with `<?xml` or `<`")
            .actual("bytes EF BB BF (UTF-8 BOM)")
            .fix(fix)
            .at(0..0),
        );
        return findings;
    }
    let utf16 = if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[b'<', 0]) {
        Some("UTF-16LE")
    } else if raw.starts_with(&[0xFE, 0xFF]) || raw.starts_with(&[0, b'<']) {
        Some("UTF-16BE")
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        findings.push(
            Finding::new(
                Rule::MetadataNotUtf8,
                format!("the file is {encoding}, not UTF-8"),
            )
            .expected("UTF-8 without BOM")
            .actual(encoding)
            .fix(fix)
            .at(0..0),
        );
        return findings;
    }
    if let Some(declared) = declared_encoding(raw) {
        let normalized = declared.trim().to_ascii_lowercase();
        if normalized != "utf-8" && normalized != "utf8" {
            let ascii_only = raw.is_ascii();
            let finding = Finding::new(
                Rule::MetadataNotUtf8,
                if ascii_only {
                    format!(
                        "the XML declaration says encoding=\"{declared}\"; the content is plain \
                         ASCII, so it reads the same as UTF-8, but consumers that insist on \
                         UTF-8 refuse the declaration"
                    )
                } else {
                    format!(
                        "the XML declaration says encoding=\"{declared}\" and the file holds \
                         characters outside ASCII in that encoding"
                    )
                },
            )
            .expected("encoding=\"UTF-8\"")
            .actual(format!("encoding=\"{declared}\""))
            .fix(fix)
            .at(0..0);
            findings.push(if ascii_only {
                finding.severity(Severity::Warning)
            } else {
                finding
            });
        }
    }
    findings
}

/// The `encoding` of the XML declaration at the start of `raw`, if any.
pub(super) fn declared_encoding(raw: &[u8]) -> Option<&str> {
    let start = raw.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = raw.get(start..)?;
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = rest.windows(2).take(512).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&rest[..end]).ok()?;
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// Amazon Q Business takes metadata as `metadataXML`, 1,000 to 10,000,000 characters.
pub fn length_finding(text: &str) -> Option<Finding> {
    // A character takes one to four bytes, so the byte length settles the question without
    // counting when it is at least four times the minimum and at most the maximum.
    if text.len() >= 4 * AMAZON_Q_METADATA_MIN_CHARS && text.len() <= AMAZON_Q_METADATA_MAX_CHARS {
        return None;
    }
    let characters = text.chars().count();
    if (AMAZON_Q_METADATA_MIN_CHARS..=AMAZON_Q_METADATA_MAX_CHARS).contains(&characters) {
        return None;
    }
    let (what, fix) = if characters < AMAZON_Q_METADATA_MIN_CHARS {
        (
            "too short for a complete IdP metadata document (was it cut off when copied?)",
            "download the complete metadata XML from the identity provider and paste it whole",
        )
    } else {
        (
            "too long: probably a whole federation aggregate rather than the one IdP",
            "give Amazon Q Business the metadata of the one identity provider, not an aggregate \
             of many entities",
        )
    };
    Some(
        Finding::new(
            Rule::MetadataLength,
            format!(
                "the metadata has {} characters; Amazon Q Business's metadataXML takes \
                 1,000–10,000,000: it is {what}",
                group_digits(characters)
            ),
        )
        .expected("1,000 to 10,000,000 characters")
        .actual(format!("{} characters", group_digits(characters)))
        .fix(fix)
        .at(0..0),
    )
}

pub(super) fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
