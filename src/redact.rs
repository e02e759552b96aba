//! `--redact`: personal values (NameID, e-mail addresses, attribute values) replaced by stable
//! short hashes, so a report can be pasted into a ticket. The same value always gets the same
//! token, so a reader can still see that two places hold the same thing.

pub struct Redactor {
    /// (value, token), longest value first so that a value inside another is replaced last.
    replacements: Vec<(String, String)>,
}

impl Redactor {
    pub fn new(values: impl IntoIterator<Item = String>) -> Redactor {
        let mut replacements: Vec<(String, String)> = values
            .into_iter()
            .map(|v| v.trim().to_string())
            .filter(|v| v.chars().count() >= 2)
            // Addresses (an IdP's entity ID repeated in a claim, say) are configuration, not
            // personal data; redacting them would hide what the report is about.
            .filter(|v| {
                !["http://", "https://", "urn:"]
                    .iter()
                    .any(|p| v.starts_with(p))
            })
            .map(|v| {
                let token = token_for(&v);
                (v, token)
            })
            .collect();
        replacements.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        replacements.dedup_by(|a, b| a.0 == b.0);
        Redactor { replacements }
    }

    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (value, token) in &self.replacements {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), token);
            }
        }
        out
    }
}

/// `redacted:` and the first 8 hex digits of the value's SHA-256.
pub fn token_for(value: &str) -> String {
    let digest = openssl::sha::sha256(value.as_bytes());
    let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("redacted:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_stable_tokens() {
        let redactor = Redactor::new(["alice@contoso.example".to_string(), "Alice".to_string()]);
        let out = redactor.apply("NameID alice@contoso.example, given name Alice");
        assert!(!out.contains("alice@contoso.example") && !out.contains("Alice"));
        assert_eq!(out.matches("redacted:").count(), 2);
        assert_eq!(token_for("Alice"), token_for("Alice"));
        assert_ne!(token_for("Alice"), token_for("alice"));
    }
}
