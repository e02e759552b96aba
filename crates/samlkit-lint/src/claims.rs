//! Attribute-name near misses: the claim the service provider wants is absent, but something
//! close is there ("email" for "Email", the emailaddress URI for a short name, a namespace that
//! Entra ID prefixed). These turn "claim missing" into "did you mean".

/// Why a present attribute looks like the one wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NearMiss {
    /// Same name, other letter case.
    Case,
    /// The wanted name with a namespace (URI) in front, e.g. Entra ID's default claim namespace.
    NamespacePrefixed,
    /// The FriendlyName matches; service providers match on Name.
    FriendlyName,
    /// A standard e-mail claim under another name (the emailaddress URI, `mail`, the OID).
    EmailUnderOtherName,
    /// The last part of the name differs by a letter or two.
    Similar,
}

impl NearMiss {
    /// How likely this kind of near miss is the intended attribute (lower is likelier).
    pub fn rank(&self) -> u8 {
        match self {
            NearMiss::NamespacePrefixed => 0,
            NearMiss::Case => 1,
            NearMiss::FriendlyName => 2,
            NearMiss::EmailUnderOtherName => 3,
            NearMiss::Similar => 4,
        }
    }

    pub fn explain(&self) -> &'static str {
        match self {
            NearMiss::Case => {
                "the name differs only in letter case, and names are compared exactly"
            }
            NearMiss::NamespacePrefixed => {
                "the same name with a namespace in front (Entra ID prefixes \
                 http://schemas.xmlsoap.org/ws/2005/05/identity/claims/ unless the claim's \
                 Namespace field is cleared)"
            }
            NearMiss::FriendlyName => {
                "its FriendlyName matches, but service providers match the Name attribute"
            }
            NearMiss::EmailUnderOtherName => "it carries the e-mail address under another name",
            NearMiss::Similar => "the name is spelled almost the same",
        }
    }
}

const EMAIL_CLAIMS: &[&str] = &[
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "mail",
    "email",
    "emailaddress",
    "user.email",
    "user.mail",
];

/// How `present` (with its FriendlyName) resembles `wanted`, if it does.
pub fn near_miss(wanted: &str, present: &str, friendly_name: Option<&str>) -> Option<NearMiss> {
    if present == wanted {
        return None;
    }
    if present.eq_ignore_ascii_case(wanted) {
        return Some(NearMiss::Case);
    }
    let last_segment = present.rsplit(['/', ':', '#']).next().unwrap_or(present);
    if present.len() > wanted.len()
        && last_segment.eq_ignore_ascii_case(wanted)
        && present.contains(['/', ':'])
    {
        return Some(NearMiss::NamespacePrefixed);
    }
    if friendly_name.is_some_and(|f| f.eq_ignore_ascii_case(wanted)) {
        return Some(NearMiss::FriendlyName);
    }
    let wants_email = wanted.to_ascii_lowercase().contains("mail");
    if wants_email && EMAIL_CLAIMS.iter().any(|e| e.eq_ignore_ascii_case(present)) {
        return Some(NearMiss::EmailUnderOtherName);
    }
    let wanted_last = wanted.rsplit(['/', ':', '#']).next().unwrap_or(wanted);
    if wanted_last.len() >= 4
        && edit_distance(
            &last_segment.to_ascii_lowercase(),
            &wanted_last.to_ascii_lowercase(),
        ) <= 2
    {
        return Some(NearMiss::Similar);
    }
    None
}

/// Levenshtein distance, bounded to short names (longer inputs are compared by prefix).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// A light check that a value is an e-mail address (what SAML service providers accept).
pub fn looks_like_email(value: &str) -> bool {
    let value = value.trim();
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// False when `bytes` holds no bracket and no two letters that begin a marker (`YO`, `RE`,
/// `CH`, `PL` in any case). Judged without a branch per byte, so that it runs as vector code:
/// it sees every attribute value of every message, and nearly all of them (group IDs, names,
/// addresses) hold no placeholder.
fn may_hold_placeholder(bytes: &[u8]) -> bool {
    let bracket = bytes.iter().fold(false, |seen, &b| {
        seen | matches!(b, b'{' | b'<' | b'[' | b'%')
    });
    // `& 0xDF` upper-cases ASCII letters; no other byte turns into a letter.
    let next = bytes.get(1..).unwrap_or_default();
    let marker_start = bytes
        .iter()
        .zip(next)
        .fold(false, |seen, (&first, &second)| {
            let (first, second) = (first & 0xDF, second & 0xDF);
            seen | ((first == b'Y') & (second == b'O'))
                | ((first == b'R') & (second == b'E'))
                | ((first == b'C') & (second == b'H'))
                | ((first == b'P') & (second == b'L'))
        });
    bracket | marker_start
}

/// A value that still holds a documentation placeholder: `{audience}`, `<ACS URL>`,
/// `[tenant-id]`, `%TENANT%`, `YOUR_…`.
pub fn placeholder_in(value: &str) -> Option<&str> {
    const MARKERS: [&[u8]; 5] = [
        b"YOUR_",
        b"YOUR-",
        b"REPLACE_ME",
        b"CHANGEME",
        b"PLACEHOLDER",
    ];
    let bytes = value.as_bytes();
    if !may_hold_placeholder(bytes) {
        return None;
    }
    // One pass over the value: most hold no bracket, and the markers are looked for only
    // where a byte could start one.
    let mut bracketed = false;
    let mut marker_at = None;
    for (at, byte) in bytes.iter().enumerate() {
        match byte.to_ascii_uppercase() {
            b'{' | b'<' | b'[' | b'%' => bracketed = true,
            // The second letter rules out nearly every other place (GUIDs are full of `c`).
            b'Y' | b'R' | b'C' | b'P'
                if marker_at.is_none()
                    && matches!(
                        bytes.get(at + 1).map(u8::to_ascii_uppercase),
                        Some(b'O' | b'E' | b'H' | b'L')
                    ) =>
            {
                let rest = &bytes[at..];
                if MARKERS.iter().any(|marker| {
                    rest.len() >= marker.len() && rest[..marker.len()].eq_ignore_ascii_case(marker)
                }) {
                    marker_at = Some(at);
                }
            }
            _ => {}
        }
    }
    let pairs: &[(char, char)] = if bracketed {
        &[('{', '}'), ('<', '>'), ('[', ']'), ('%', '%')]
    } else {
        &[]
    };
    for &(open, close) in pairs {
        if let Some(start) = value.find(open) {
            if let Some(len) = value[start + 1..].find(close) {
                let inner = &value[start + 1..start + 1 + len];
                let wordy = !inner.is_empty()
                    && inner.len() <= 40
                    && inner
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'))
                    && inner.chars().any(|c| c.is_alphabetic());
                // `<claim>` closed by `</claim>` further on is XML carried as text (a claim
                // whose value is a small document), not a placeholder.
                let markup = open == '<' && value.contains(&format!("</{inner}>"));
                if wordy && !markup {
                    return Some(&value[start..start + len + 2]);
                }
            }
        }
    }
    let at = marker_at?;
    let end = value[at..]
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(value.len(), |e| at + e);
    Some(&value[at..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_recognised() {
        assert_eq!(near_miss("Email", "email", None), Some(NearMiss::Case));
        assert_eq!(
            near_miss(
                "Email",
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/Email",
                None
            ),
            Some(NearMiss::NamespacePrefixed)
        );
        assert_eq!(
            near_miss(
                "Email",
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                None
            ),
            Some(NearMiss::EmailUnderOtherName)
        );
        assert_eq!(
            near_miss("Email", "urn:oid:x", Some("email")),
            Some(NearMiss::FriendlyName)
        );
        assert_eq!(
            near_miss("RoleSessionName", "RoleSesionName", None),
            Some(NearMiss::Similar)
        );
        assert_eq!(near_miss("Email", "Email", None), None);
        assert_eq!(near_miss("Email", "givenname", None), None);
    }

    #[test]
    fn the_quick_test_lets_every_placeholder_through() {
        let markers = [
            "YOUR_",
            "your-",
            "Replace_Me",
            "changeme",
            "PlaceHolder",
            "{x}",
            "<a b>",
            "[t]",
            "%T%",
        ];
        for marker in markers {
            for text in [
                marker.to_string(),
                format!("7c4e2f1a-{marker}-1d2e"),
                format!("{marker}tail"),
            ] {
                assert!(placeholder_in(&text).is_some(), "{text}");
            }
        }
        // A marker after another pair that begins one (`ch`, then `YO`): the test keeps what
        // it has seen.
        assert!(placeholder_in("chez YOUR_TENANT").is_some());
        // Group IDs, the most common values, are decided by the quick test alone.
        assert!(!may_hold_placeholder(
            b"7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c"
        ));
        assert!(may_hold_placeholder(b"rebecca@contoso.example"));
    }

    #[test]
    fn emails_and_placeholders() {
        assert!(looks_like_email("alice@contoso.example"));
        assert!(!looks_like_email("alice"));
        assert!(!looks_like_email("Alice Example"));
        assert!(!looks_like_email("a@b"));
        assert_eq!(
            placeholder_in("https://{tenant}.example/saml"),
            Some("{tenant}")
        );
        assert_eq!(placeholder_in("<ACS URL>"), Some("<ACS URL>"));
        // XML carried in a value (AD FS custom claims) is markup, not a placeholder.
        assert_eq!(
            placeholder_in("<claim><key>country</key><value>United States</value></claim>"),
            None
        );
        assert_eq!(placeholder_in("<tenant> or </other>"), Some("<tenant>"));
        assert_eq!(
            placeholder_in("https://YOUR_DOMAIN.example"),
            Some("YOUR_DOMAIN")
        );
        assert_eq!(placeholder_in("https://sp.example/saml"), None);
        assert_eq!(placeholder_in("[1,2]"), None);
    }
}
