//! The auto-submit page an identity provider sends the browser (HTTP-POST binding): an HTML
//! form whose hidden inputs carry `SAMLResponse` (or `SAMLRequest`) and `RelayState`, posted to
//! the service provider's ACS URL by a script. Admins save it from the browser ("Save page
//! as…") or copy it from a proxy. This reads the form's action and method and its inputs'
//! names and values; it is a scanner for that one shape, not an HTML parser.

/// What the page's form says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct HtmlForm {
    /// The `action` of the form holding the SAML input (where the browser posts it).
    pub action: Option<String>,
    /// The form's `method`, upper-cased (`POST` when absent: the binding's default).
    pub method: Option<String>,
    /// Every `<input>` (and `<textarea>`) with a name: (name, value), entities decoded.
    pub inputs: Vec<(String, String)>,
}

/// Whether the text starts like an HTML page rather than an XML message: a doctype or one of
/// the elements a saved page begins with, in any case. A SAML message never starts so.
pub(super) fn looks_like_html(text: &str) -> bool {
    const STARTS: [&str; 8] = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<form",
        "<meta",
        "<script",
        "<title",
    ];
    let head: String = text
        .trim_start()
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if STARTS.iter().any(|start| head.starts_with(start)) {
        return true;
    }
    // A comment (a saved-page marker) before the document: look a little further.
    head.starts_with("<!--") && {
        let window: String = text
            .chars()
            .take(2048)
            .collect::<String>()
            .to_ascii_lowercase();
        window.contains("<html") || window.contains("<!doctype html")
    }
}

/// Reads the form: the `action` and `method` of the `<form>` enclosing the first SAML input
/// (or of the first form), and every named input.
pub(super) fn read_form(text: &str) -> HtmlForm {
    let mut form = HtmlForm::default();
    let mut current_form: Option<(Option<String>, Option<String>)> = None;
    let mut chosen = false;
    let lower = text.to_ascii_lowercase();
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(lower.len(), |end| start + end + 3);
            continue;
        }
        let name_end = rest[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(rest.len(), |e| e + 1);
        let tag = &rest[1..name_end];
        let Some(tag_end) = tag_end(text, start + name_end) else {
            break;
        };
        let attributes = || attributes(&text[start + name_end..tag_end]);
        match tag {
            "form" => {
                let attrs = attributes();
                let action = attribute(&attrs, "action");
                let method = attribute(&attrs, "method").map(|m| m.to_ascii_uppercase());
                if form.action.is_none() && !chosen {
                    form.action = action.clone();
                    form.method = method.clone();
                }
                current_form = Some((action, method));
            }
            "input" => {
                let attrs = attributes();
                if let Some(name) = attribute(&attrs, "name") {
                    let value = attribute(&attrs, "value").unwrap_or_default();
                    if is_saml_parameter(&name) && !chosen {
                        chosen = true;
                        if let Some((action, method)) = &current_form {
                            form.action = action.clone();
                            form.method = method.clone();
                        }
                    }
                    form.inputs.push((name, value));
                }
            }
            "textarea" => {
                let attrs = attributes();
                let content_end = lower[tag_end..]
                    .find("</textarea")
                    .map_or(text.len(), |e| tag_end + e);
                if let Some(name) = attribute(&attrs, "name") {
                    let content = text.get(tag_end + 1..content_end).unwrap_or_default();
                    form.inputs.push((name, decode_entities(content)));
                }
                at = content_end;
                continue;
            }
            _ => {}
        }
        at = tag_end + 1;
    }
    if form.method.is_none() && (form.action.is_some() || chosen) {
        form.method = Some("POST".into());
    }
    form
}

fn is_saml_parameter(name: &str) -> bool {
    matches!(name, "SAMLResponse" | "SAMLRequest")
}

/// The `>` that ends the tag whose attributes start at `from`, skipping quoted values.
fn tag_end(text: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (index, &b) in text.as_bytes().iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(index),
            None => {}
        }
    }
    None
}

/// The attributes of one tag: (name lower-cased, value with entities decoded). Values may be
/// double-quoted, single-quoted or bare; an attribute without a value has an empty one.
fn attributes(source: &str) -> Vec<(String, String)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && !matches!(bytes[i], b'=' | b'/' | b'>')
        {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let name = source[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            found.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = source[start..]
                    .find(quote as char)
                    .map_or(source.len(), |e| start + e);
                i = end + 1;
                &source[start..end]
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                &source[start..i]
            }
        };
        found.push((name, decode_entities(value)));
    }
    found
}

fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Decodes the character references that appear in form values: `&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&apos;`, `&#NN;` and `&#xNN;` (IdPs write `+` as `&#x2b;` and `=` as `&#x3d;`).
/// Anything else is left as written.
pub(super) fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match name.strip_prefix('#') {
                    Some(number) => match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse::<u32>().ok(),
                    }
                    .and_then(char::from_u32),
                    None => None,
                },
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADFS_PAGE: &str = r#"<html><head><title>Working...</title></head><body>
<form method="POST" name="hiddenform" action="https://sp.example/saml/acs">
<input type="hidden" name="SAMLResponse" value="PHNhbWxwOlJlc3BvbnNlIC8&#x2b;" />
<input type=hidden name=RelayState value='/app?a=1&amp;b=2'>
<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript>
</form><script language="javascript">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>"#;

    #[test]
    fn the_form_action_method_and_inputs_are_read() {
        let form = read_form(ADFS_PAGE);
        assert_eq!(form.action.as_deref(), Some("https://sp.example/saml/acs"));
        assert_eq!(form.method.as_deref(), Some("POST"));
        assert_eq!(
            form.inputs,
            [
                ("SAMLResponse".into(), "PHNhbWxwOlJlc3BvbnNlIC8+".into()),
                ("RelayState".into(), "/app?a=1&b=2".into()),
            ]
        );
    }

    #[test]
    fn pages_are_told_from_xml() {
        assert!(looks_like_html(ADFS_PAGE));
        assert!(looks_like_html("\n  <!DOCTYPE html>\n<html>"));
        assert!(looks_like_html(
            "<!-- saved from url=(0014)about:internet -->\n<html>"
        ));
        assert!(!looks_like_html("<samlp:Response ID=\"_1\"/>"));
        assert!(!looks_like_html("<?xml version=\"1.0\"?><samlp:Response/>"));
        assert!(!looks_like_html("<!-- a comment --><samlp:Response/>"));
    }

    #[test]
    fn entities_are_decoded_and_unknown_ones_kept() {
        assert_eq!(decode_entities("a&#43;b&#x3D;&#X2f;"), "a+b=/");
        assert_eq!(decode_entities("&lt;&gt;&quot;&apos;&amp;"), "<>\"'&");
        assert_eq!(decode_entities("&nbsp; & &#xZZ; &"), "&nbsp; & &#xZZ; &");
        assert_eq!(decode_entities("&#x110000;"), "&#x110000;");
    }

    #[test]
    fn quoted_greater_than_signs_do_not_end_a_tag() {
        let form =
            read_form(r#"<form action="/acs?x=>"><input name="SAMLResponse" value="a>b"></form>"#);
        assert_eq!(form.action.as_deref(), Some("/acs?x=>"));
        assert_eq!(form.inputs, [("SAMLResponse".into(), "a>b".into())]);
    }

    #[test]
    fn truncated_pages_end_without_panicking() {
        for cut in 0..ADFS_PAGE.len() {
            if ADFS_PAGE.is_char_boundary(cut) {
                let _ = read_form(&ADFS_PAGE[..cut]);
            }
        }
        let _ = read_form("<input name='SAMLResponse' value='unterminated");
        let _ = read_form("<textarea name=SAMLResponse>abc");
        let _ = read_form("<");
        let _ = read_form("<<<>>>=\"'");
    }
}
