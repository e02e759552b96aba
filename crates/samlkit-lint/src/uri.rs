//! Short names for the URIs SAML is full of, as people read them: `HTTP-POST` for a binding,
//! `emailAddress` for a NameID format, `rsa-sha256` for an algorithm.

/// The last non-empty segment of a URI or URN (after `:`, `/` or `#`), or the URI itself.
pub fn short_uri(uri: &str) -> &str {
    let uri = uri.trim();
    uri.rsplit([':', '/', '#'])
        .find(|segment| !segment.is_empty())
        .unwrap_or(uri)
}

/// A short name for an algorithm URI: `rsa-sha256`, `exc-c14n`, `sha256`.
pub fn short_algorithm(uri: &str) -> String {
    let uri = uri.trim();
    let known = match uri {
        "http://www.w3.org/2001/10/xml-exc-c14n#" => Some("exc-c14n"),
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments" => Some("exc-c14n-with-comments"),
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" => Some("c14n"),
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments" => {
            Some("c14n-with-comments")
        }
        "http://www.w3.org/2006/12/xml-c14n11" => Some("c14n11"),
        "http://www.w3.org/2006/12/xml-c14n11#WithComments" => Some("c14n11-with-comments"),
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature" => Some("enveloped-signature"),
        _ => None,
    };
    if let Some(name) = known {
        return name.to_string();
    }
    short_uri(uri).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_bindings_formats_and_algorithms() {
        assert_eq!(
            short_uri("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"),
            "HTTP-POST"
        );
        assert_eq!(
            short_uri("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
            "emailAddress"
        );
        assert_eq!(
            short_algorithm("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
            "rsa-sha256"
        );
        assert_eq!(
            short_algorithm("http://www.w3.org/2001/10/xml-exc-c14n#"),
            "exc-c14n"
        );
        assert_eq!(short_uri("plain"), "plain");
    }
}
