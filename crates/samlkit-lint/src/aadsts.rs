//! Microsoft Entra ID error codes (AADSTS…) that SAML administrators meet most, decoded into a
//! cause and a fix. Entra puts them in the StatusMessage of an error Response.

use crate::idp::Fix;

/// What an AADSTS code means and what to change.
pub struct AadstsCode {
    pub code: u32,
    pub meaning: &'static str,
    pub fix: Fix<'static>,
}

fn text(s: &'static str) -> Fix<'static> {
    Fix::Text(s.to_string())
}

/// Looks up a code; `None` for codes samlkit has no specific advice for.
pub fn lookup(code: u32) -> Option<AadstsCode> {
    let (meaning, fix) = match code {
        50011 => (
            "the reply address (ACS URL) in the request does not match a Reply URL configured for \
             the application",
            Fix::ReplyUrl { url: "<the ACS URL the service provider sends>" },
        ),
        700016 => (
            "no application with that identifier in this tenant: the AuthnRequest's Issuer differs \
             from the configured Identifier, or the request went to the wrong tenant",
            Fix::Identifier { entity_id: "<the service provider's entity ID>" },
        ),
        50105 => (
            "the signed-in user is not assigned to the application",
            Fix::AssignUser,
        ),
        75011 => (
            "the user authenticated with a method other than the AuthnContextClassRef the \
             service provider requested",
            text("have the service provider stop requesting a specific AuthnContextClassRef \
                  (Slack: set AuthnContextClassRef to \"Don't send\")"),
        ),
        750054 => (
            "the HTTP-Redirect request carries no SAMLRequest or SAMLResponse parameter",
            text("fix the service provider's sign-in URL so it sends SAMLRequest"),
        ),
        900236 => (
            "the request sets a property Entra ID does not support (a Subject, Scoping extras)",
            text("remove Subject and unsupported Scoping elements from the AuthnRequest"),
        ),
        650056 | 65005 => (
            "the application is misconfigured, usually a wrong Identifier",
            Fix::Identifier { entity_id: "<the service provider's entity ID>" },
        ),
        75005 | 7_500_514 => (
            "the SAML request is invalid or of an unsupported message type",
            text("check the AuthnRequest with `samlkit inspect` (binding, encoding, element names)"),
        ),
        75008 => (
            "unexpected Destination in the request",
            text("send the request to the tenant's SAML endpoint \
                  https://login.microsoftonline.com/<tenant>/saml2"),
        ),
        75016 => (
            "the request's NameIDPolicy format is invalid",
            text("request a NameID format Entra ID supports (unspecified, emailAddress, \
                  persistent, transient) or omit NameIDPolicy"),
        ),
        76021 => (
            "the application requires signed requests and the request was not signed",
            text("have the service provider sign its AuthnRequests, or turn off the requirement \
                  for verified signed requests in Entra ID"),
        ),
        76026 => (
            "the AuthnRequest's IssueInstant has expired: the service provider's clock is off",
            Fix::Clock,
        ),
        7_500_529 => (
            "the request ID is not a valid SAML ID (it starts with a digit)",
            text("have the service provider generate IDs that start with a letter or underscore"),
        ),
        501241 => (
            "the source attribute of the NameID is empty for this user",
            text("fill in the user's attribute used as Unique User Identifier, or choose another \
                  source attribute in Attributes & Claims"),
        ),
        50003 => (
            "no signing key is configured for the application",
            text("Entra ID › Enterprise applications › (your app) › Single sign-on › SAML \
                  Certificates: create or activate a signing certificate"),
        ),
        53003 => (
            "a Conditional Access policy blocked the sign-in",
            text("review the Conditional Access sign-in logs for the policy that blocked it"),
        ),
        50076 | 50079 => (
            "multi-factor authentication is required (or must be enrolled)",
            text("the user must complete or register MFA; this is not a SAML setting"),
        ),
        _ => return None,
    };
    Some(AadstsCode { code, meaning, fix })
}

/// Every `AADSTS<digits>` code in a text, in order of appearance.
pub fn codes_in(text: &str) -> Vec<u32> {
    let mut codes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("AADSTS") {
        let digits: String = rest[at + 6..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let Ok(code) = digits.parse::<u32>() {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        rest = &rest[at + 6..];
    }
    codes
}

/// What the AADSTS codes in a text that is not a SAML message mean: an admin often has only
/// the Entra ID error page, or pastes it by mistake. `None` when the text names no code.
pub fn hint_for_text(text: &str) -> Option<String> {
    let codes = codes_in(text);
    if codes.is_empty() {
        return None;
    }
    let lines: Vec<String> = codes
        .iter()
        .take(3)
        .map(|&code| match lookup(code) {
            Some(known) => format!(
                "AADSTS{code}: {} — fix: {}",
                known.meaning,
                known.fix.text(crate::idp::Idp::ENTRA_ID)
            ),
            None => format!(
                "AADSTS{code}: samlkit has no advice for this code; Microsoft explains it at \
                 https://login.microsoftonline.com/error?code={code}"
            ),
        })
        .collect();
    Some(format!(
        "the text names a Microsoft Entra ID error, so sign-in stopped at Entra ID before any \
         SAMLResponse was sent: {}",
        lines.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_in_status_messages() {
        assert_eq!(
            codes_in("AADSTS50105: The signed in user 'a@b' is not assigned. Trace ID: x"),
            [50105]
        );
        assert_eq!(codes_in("nothing here"), Vec::<u32>::new());
        assert!(lookup(50011).is_some() && lookup(1).is_none());
    }

    #[test]
    fn an_error_page_is_explained_by_its_codes() {
        let page = "Sorry, but we're having trouble signing you in.\n\
                    AADSTS50105: Your administrator has configured the application to block users";
        let hint = hint_for_text(page).expect("a hint");
        assert!(
            hint.contains("AADSTS50105: the signed-in user is not assigned"),
            "{hint}"
        );
        assert!(
            hint.contains("Users and groups"),
            "the Entra fix names the console: {hint}"
        );
        let unknown = hint_for_text("AADSTS90099").expect("a hint");
        assert!(unknown.contains("error?code=90099"), "{unknown}");
        assert_eq!(hint_for_text("<samlp:Response/>"), None);
    }
}
