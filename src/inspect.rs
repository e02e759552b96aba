//! `samlkit inspect`: a readable summary of each message, or the same as JSON Lines.
//!
//! The JSON field names are documented in the README and kept stable.

use std::fmt::Write as _;

use colored::Colorize;
use samlkit_lint::summary::*;
use samlkit_lint::uri::short_uri;
use samlkit_parse::decode::Binding;
use samlkit_parse::time::Instant;
use samlkit_parse::Limits;

use crate::cli::{InspectArgs, OutputFormat};
use crate::exit;
use crate::input;
use crate::style::print_error;

pub fn run(args: &InspectArgs) -> u8 {
    let limits = Limits::default();
    let now = args.now.unwrap_or_else(system_now);
    let keys = match crate::input::load_keys(&args.input.sp_key) {
        Ok(keys) => keys,
        Err(message) => {
            print_error("--sp-key", &message);
            return exit::BAD_INPUT;
        }
    };
    let mut code = exit::OK;
    let mut first = true;
    for loaded in input::load_all(&args.input, &limits) {
        let result = loaded.map_err(|f| (f.label, f.message)).and_then(|loaded| {
            let keys = (!keys.is_empty()).then_some(&keys);
            let expect = args.input.expect.map(Into::into);
            summarise(&loaded.decoded, &loaded.label, now, keys, expect, &limits)
                .map(with_flag_hints)
                .map_err(|err| (loaded.label.clone(), err.to_string()))
        });
        match result {
            Ok(summary) => match args.format {
                OutputFormat::Json => println!("{}", to_json_line(&summary)),
                OutputFormat::Text => {
                    if !first {
                        println!();
                    }
                    print!("{}", render_text(&summary));
                }
            },
            Err((label, message)) => {
                if args.format == OutputFormat::Json {
                    let line = serde_json::json!({ "source": label, "error": message });
                    println!("{line}");
                }
                print_error(&label, &message);
                code = code.max(exit::BAD_INPUT);
            }
        }
        first = false;
    }
    code
}

pub fn system_now() -> Instant {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Instant::from_unix(since_epoch.as_secs() as i64, since_epoch.subsec_nanos())
}

/// Says which flag gives what kept an element encrypted.
fn with_flag_hints(mut summary: MessageSummary) -> MessageSummary {
    for item in &mut summary.decryption {
        if let Some(message) = &mut item.message {
            *message = crate::flag_hints::with_flag_hint(message, item.missing);
        }
    }
    summary
}

fn to_json_line(summary: &MessageSummary) -> String {
    serde_json::to_string(summary).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

// ---------------------------------------------------------------- text rendering

struct Text {
    out: String,
}

impl Text {
    fn heading(&mut self, title: &str, detail: &str) {
        let _ = writeln!(self.out, "{} {}", title.bold(), detail);
    }

    fn field(&mut self, indent: usize, name: &str, value: &str) {
        let _ = writeln!(
            self.out,
            "{:indent$}{:<14} {}",
            "",
            name.dimmed(),
            value,
            indent = indent
        );
    }

    fn opt(&mut self, indent: usize, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.field(indent, name, value);
        }
    }

    /// A value read from the XML with its place, when present.
    fn located(&mut self, indent: usize, name: &str, value: &Option<Located<String>>) {
        self.opt(indent, name, value.as_ref().map(|v| v.value.as_str()));
    }
}

fn time_text(time: &TimeSummary) -> String {
    let mut text = time.value.clone();
    if let Some(relative) = &time.relative {
        let _ = write!(text, " ({relative})");
    }
    if let Some(note) = &time.note {
        let _ = write!(text, " — {note}");
    }
    text
}

fn render_text(summary: &MessageSummary) -> String {
    let mut t = Text { out: String::new() };
    let mut how = vec![summary.form.name().to_string()];
    if let Some(binding) = summary.binding {
        how.push(match binding {
            Binding::HttpPost => "HTTP-POST".into(),
            Binding::HttpRedirect => "HTTP-Redirect".into(),
            Binding::HttpPostSimpleSign => "HTTP-POST-SimpleSign".into(),
        });
    }
    if let Some(parameter) = &summary.parameter {
        how.push(parameter.clone());
    }
    let _ = writeln!(
        t.out,
        "{} {}  ({})",
        "==>".cyan().bold(),
        summary.source.bold(),
        how.join(", ")
    );
    t.opt(2, "Captured", summary.captured_at.as_deref());
    t.opt(2, "RelayState", summary.relay_state.as_deref());
    t.opt(2, "Encoding", summary.encoding_note.as_deref());
    for item in &summary.decryption {
        if item.decrypted {
            t.field(
                2,
                "Decrypted",
                &format!(
                    "{} ({}) with {}",
                    item.element,
                    item.algorithms.as_deref().unwrap_or("?"),
                    item.key.as_deref().unwrap_or("?")
                ),
            );
        } else {
            t.field(
                2,
                "Not decrypted",
                &format!(
                    "{}: {}",
                    item.element,
                    item.message.as_deref().unwrap_or("")
                )
                .red()
                .to_string(),
            );
        }
    }
    if let Some(sig) = &summary.redirect_signature {
        let (label, place) = match summary.binding {
            Some(Binding::HttpPostSimpleSign) => ("Form signed", "SigAlg in the form"),
            _ => ("Query signed", "SigAlg in the URL"),
        };
        t.field(2, label, &format!("{} ({place})", sig.algorithm));
    }
    render_wrappers(&mut t, &summary.wrappers);
    if let Some(response) = &summary.response {
        render_response(&mut t, response);
    }
    if let Some(assertion) = &summary.assertion {
        render_assertion(&mut t, assertion);
    }
    if let Some(request) = &summary.authn_request {
        t.heading("AuthnRequest", request.id.as_deref().unwrap_or("(no ID)"));
        t.located(2, "Issuer", &request.issuer);
        t.located(2, "Destination", &request.destination);
        t.opt(
            2,
            "ACS URL",
            request
                .assertion_consumer_service_url
                .as_ref()
                .map(|v| v.value.as_str()),
        );
        t.opt(
            2,
            "Binding",
            request
                .protocol_binding
                .as_deref()
                .filter(|b| !b.is_empty()),
        );
        t.opt(2, "NameID policy", request.name_id_policy_format.as_deref());
        if let Some(time) = &request.issue_instant {
            t.field(2, "Issued", &time_text(time));
        }
        if !request.requested_authn_context.is_empty() {
            t.field(
                2,
                "AuthnContext",
                &request.requested_authn_context.join(", "),
            );
        }
        render_signatures(&mut t, 2, &request.signatures);
    }
    if let Some(request) = &summary.logout_request {
        t.heading("LogoutRequest", request.id.as_deref().unwrap_or("(no ID)"));
        t.located(2, "Issuer", &request.issuer);
        t.located(2, "Destination", &request.destination);
        t.opt(2, "NameID", request.name_id.as_deref());
        if !request.session_indexes.is_empty() {
            t.field(2, "SessionIndex", &request.session_indexes.join(", "));
        }
        render_signatures(&mut t, 2, &request.signatures);
    }
    if let Some(response) = &summary.logout_response {
        t.heading(
            "LogoutResponse",
            response.id.as_deref().unwrap_or("(no ID)"),
        );
        t.located(2, "Issuer", &response.issuer);
        t.located(2, "Destination", &response.destination);
        t.opt(2, "InResponseTo", response.in_response_to.as_deref());
        render_status(&mut t, &response.status);
        render_signatures(&mut t, 2, &response.signatures);
    }
    if let Some(metadata) = &summary.metadata {
        render_metadata(&mut t, metadata);
    }
    render_signature_places(&mut t, &summary.signature_places);
    t.out
}

/// The messages around the one shown, outermost first, each with its own ID.
fn render_wrappers(t: &mut Text, wrappers: &[WrapperSummary]) {
    for (index, wrapper) in wrappers.iter().enumerate() {
        let mut text = wrapper.element.clone();
        if let Some(id) = &wrapper.id {
            text.push_str(&format!(" {id}"));
        }
        if let Some(issuer) = &wrapper.issuer {
            text.push_str(&format!(", Issuer {issuer}"));
        }
        if let Some(in_response_to) = &wrapper.in_response_to {
            text.push_str(&format!(", InResponseTo {in_response_to}"));
        }
        text.push_str(&format!(
            " (line {}, column {})",
            wrapper.line, wrapper.column
        ));
        let label = if index == 0 { "Wrapped in" } else { "" };
        t.field(2, label, &text);
    }
}

/// Every signature of the document with the path to it; misplaced ones flagged.
fn render_signature_places(t: &mut Text, places: &[SignaturePlace]) {
    if places.is_empty() {
        return;
    }
    let misplaced = places.iter().filter(|p| p.misplaced.is_some()).count();
    let detail = match (places.len(), misplaced) {
        (1, 0) => "1 in the document".to_string(),
        (count, 0) => format!("{count} in the document"),
        (count, misplaced) => format!("{count} in the document, {misplaced} out of place")
            .red()
            .to_string(),
    };
    t.heading("Signatures", &detail);
    for (index, place) in places.iter().enumerate() {
        let on = match &place.on_id {
            Some(id) => format!("{} {id}", place.on),
            None => place.on.clone(),
        };
        t.field(
            2,
            &format!("{}.", index + 1),
            &format!(
                "on {on}, at {} (line {}, column {})",
                place.path, place.line, place.column
            ),
        );
        if let Some(why) = &place.misplaced {
            t.field(4, "misplaced", &why.red().to_string());
        }
    }
}

fn render_status(t: &mut Text, status: &Option<StatusSummary>) {
    let Some(status) = status else {
        t.field(2, "Status", &"missing".red().to_string());
        return;
    };
    let mut codes: Vec<String> = status
        .code
        .iter()
        .chain(status.sub_codes.iter())
        .map(|c| short_algorithm(c))
        .collect();
    if codes.is_empty() {
        codes.push("(no code)".into());
    }
    let codes = codes.join(" / ");
    let shown = if status.success {
        codes.green().to_string()
    } else {
        codes.red().bold().to_string()
    };
    t.field(2, "Status", &shown);
    t.opt(2, "  message", status.message.as_deref());
    t.opt(2, "  detail", status.detail.as_deref());
}

fn render_response(t: &mut Text, response: &ResponseSummary) {
    t.heading("Response", response.id.as_deref().unwrap_or("(no ID)"));
    t.located(2, "Issuer", &response.issuer);
    t.located(2, "Destination", &response.destination);
    match &response.in_response_to {
        Some(id) => t.field(2, "InResponseTo", id),
        None => t.field(2, "InResponseTo", "(none: IdP-initiated or unsolicited)"),
    }
    if let Some(time) = &response.issue_instant {
        t.field(2, "Issued", &time_text(time));
    }
    render_status(t, &response.status);
    render_signatures(t, 2, &response.signatures);
    for misplaced in &response.misplaced_assertions {
        t.field(
            2,
            "Warning",
            &format!(
                "{} at line {}, column {} (never read as claims)",
                misplaced.value, misplaced.line, misplaced.column
            )
            .yellow()
            .to_string(),
        );
    }
    for encrypted in &response.encrypted_assertions {
        let keys: Vec<String> = encrypted
            .key_algorithms
            .iter()
            .map(|a| short_algorithm(a))
            .collect();
        t.heading(
            "EncryptedAssertion",
            &format!(
                "{} (key transport {}) at line {}",
                encrypted
                    .data_algorithm
                    .as_deref()
                    .map_or("?".into(), short_algorithm),
                if keys.is_empty() {
                    "?".to_string()
                } else {
                    keys.join(", ")
                },
                encrypted.line
            ),
        );
        for cert in &encrypted.recipient_certificates {
            t.field(2, "For cert", &cert_line(cert));
        }
    }
    if response.assertions.is_empty() && response.encrypted_assertions.is_empty() {
        t.field(2, "Assertions", "none");
    }
    for assertion in &response.assertions {
        render_assertion(t, assertion);
    }
}

fn render_assertion(t: &mut Text, assertion: &AssertionSummary) {
    t.heading("Assertion", assertion.id.as_deref().unwrap_or("(no ID)"));
    t.located(2, "Issuer", &assertion.issuer);
    match &assertion.subject {
        Some(subject) if subject.encrypted => t.field(2, "NameID", "(encrypted: EncryptedID)"),
        Some(subject) => {
            let value = subject.name_id.as_ref().map_or_else(
                || "(none)".to_string(),
                |v| samlkit_lint::values::visible(&v.value),
            );
            let format = subject
                .format
                .as_deref()
                .map_or("no Format".into(), short_algorithm);
            let mut line = format!("{} ({format})", value.bold());
            if subject.mixed_content {
                let _ = write!(
                    line,
                    " {}",
                    "— comments or markup inside the NameID".yellow()
                );
            }
            t.field(2, "NameID", &line);
            t.opt(2, "SPNameQualifier", subject.sp_name_qualifier.as_deref());
        }
        None => t.field(2, "Subject", "(none)"),
    }
    if let Some(conditions) = &assertion.conditions {
        if !conditions.audiences.is_empty() {
            t.field(2, "Audience", &conditions.audiences.join(", "));
        }
        if let Some(validity) = &conditions.validity {
            let shown = if validity.starts_with("valid") {
                validity.green().to_string()
            } else {
                validity.red().to_string()
            };
            t.field(2, "Validity", &shown);
        }
        if let Some(time) = &conditions.not_before {
            t.field(2, "  NotBefore", &time_text(time));
        }
        if let Some(time) = &conditions.not_on_or_after {
            t.field(2, "  NotOnOrAfter", &time_text(time));
        }
    }
    for confirmation in &assertion.confirmations {
        let method = confirmation
            .method
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let mut line = method;
        if let Some(recipient) = &confirmation.recipient {
            let _ = write!(line, ", Recipient {recipient}");
        }
        if let Some(time) = &confirmation.not_on_or_after {
            let _ = write!(line, ", NotOnOrAfter {}", time_text(time));
        }
        if let Some(id) = &confirmation.in_response_to {
            let _ = write!(line, ", InResponseTo {id}");
        }
        t.field(2, "Confirmation", &line);
    }
    for authn in &assertion.authn_statements {
        let mut line = authn
            .class_ref
            .as_deref()
            .map_or("(no class)".into(), short_algorithm);
        if let Some(time) = &authn.authn_instant {
            let _ = write!(line, " at {}", time_text(time));
        }
        t.field(2, "Authn", &line);
        t.opt(2, "  SessionIndex", authn.session_index.as_deref());
    }
    if assertion.attributes.is_empty() {
        t.field(2, "Attributes", "(none)");
    } else {
        t.field(2, "Attributes", "");
        let width = assertion
            .attributes
            .iter()
            .map(|a| a.name.as_deref().unwrap_or("").chars().count())
            .max()
            .unwrap_or(0)
            .min(70);
        for attribute in &assertion.attributes {
            let name = attribute.name.as_deref().unwrap_or("(no Name)");
            let friendly = attribute
                .friendly_name
                .as_deref()
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            let values = if attribute.values.is_empty() {
                "(no value)".to_string()
            } else {
                let shown: Vec<String> = attribute
                    .values
                    .iter()
                    .map(|v| samlkit_lint::values::visible(v))
                    .collect();
                shown.join(" | ")
            };
            let _ = writeln!(
                t.out,
                "    {:<width$}{} = {}",
                name,
                friendly.dimmed(),
                values,
                width = width
            );
        }
    }
    if assertion.encrypted_attributes > 0 {
        t.field(
            2,
            "Encrypted",
            &format!("{} EncryptedAttribute(s)", assertion.encrypted_attributes),
        );
    }
    render_signatures(t, 2, &assertion.signatures);
}

fn render_signatures(t: &mut Text, indent: usize, signatures: &[SignatureSummary]) {
    if signatures.is_empty() {
        t.field(
            indent,
            "Signed",
            &"no (no Signature on this element)".yellow().to_string(),
        );
        return;
    }
    for sig in signatures {
        let method = sig
            .signature_method
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let digests: Vec<String> = sig
            .references
            .iter()
            .filter_map(|r| r.digest_method.as_deref())
            .map(short_algorithm)
            .collect();
        let c14n = sig
            .canonicalization
            .as_deref()
            .map_or("?".into(), short_algorithm);
        let uris: Vec<String> = sig
            .references
            .iter()
            .map(|r| match r.uri.as_deref() {
                Some("") => "\"\" (the whole document)".to_string(),
                Some(uri) => uri.to_string(),
                None => "(no URI)".to_string(),
            })
            .collect();
        t.field(
            indent,
            "Signature",
            &format!(
                "{method} / {} / {c14n}, Reference {} (line {}, column {}; not verified by inspect)",
                if digests.is_empty() { "?".into() } else { digests.join(",") },
                if uris.is_empty() { "(none)".into() } else { uris.join(", ") },
                sig.line,
                sig.column
            ),
        );
        for cert in &sig.certificates {
            t.field(indent, "  KeyInfo cert", &cert_line(cert));
        }
    }
}

fn cert_line(cert: &CertificateSummary) -> String {
    match cert.error() {
        Some(error) => format!("unreadable: {error}"),
        None => format!(
            "{}, {}, SHA-256 {}",
            cert.subject().unwrap_or("?"),
            cert.validity.as_deref().unwrap_or("?"),
            cert.sha256().unwrap_or("?")
        ),
    }
}

fn render_metadata(t: &mut Text, metadata: &MetadataSummary) {
    let title = if metadata.group_name.is_some() || metadata.entity_count != 1 {
        "EntitiesDescriptor"
    } else {
        "EntityDescriptor"
    };
    t.heading(
        title,
        &format!(
            "{}{} entit{}",
            metadata
                .group_name
                .as_deref()
                .map(|n| format!("{n}: "))
                .unwrap_or_default(),
            metadata.entity_count,
            if metadata.entity_count == 1 {
                "y"
            } else {
                "ies"
            }
        ),
    );
    if let Some(time) = &metadata.valid_until {
        t.field(2, "validUntil", &time_text(time));
    }
    t.opt(2, "cacheDuration", metadata.cache_duration.as_deref());
    if title == "EntitiesDescriptor" {
        render_signatures(t, 2, &metadata.signatures);
    }
    for entity in &metadata.entities {
        t.heading(
            "Entity",
            entity
                .entity_id
                .as_ref()
                .map_or("(no entityID)", |e| e.value.as_str()),
        );
        t.opt(2, "Organization", entity.organization.as_deref());
        if let Some(time) = &entity.valid_until {
            t.field(2, "validUntil", &time_text(time));
        }
        if !entity.signatures.is_empty() || metadata.entity_count == 1 {
            render_signatures(t, 2, &entity.signatures);
        }
        for role in &entity.roles {
            t.field(2, "Role", &role.role.bold().to_string());
            for (name, list) in [
                ("  SSO", &role.single_sign_on),
                ("  ACS", &role.assertion_consumer_services),
                ("  SLO", &role.single_logout),
            ] {
                for endpoint in list {
                    let mut line = format!(
                        "{} {}",
                        endpoint
                            .binding
                            .as_deref()
                            .map_or("?".into(), short_binding),
                        endpoint.location.as_deref().unwrap_or("(no Location)")
                    );
                    if let Some(index) = &endpoint.index {
                        let _ = write!(line, " [index {index}]");
                    }
                    if endpoint.is_default == Some(true) {
                        line.push_str(" (default)");
                    }
                    t.field(2, name, &line);
                }
            }
            if !role.name_id_formats.is_empty() {
                let formats: Vec<String> = role
                    .name_id_formats
                    .iter()
                    .map(|f| short_algorithm(f))
                    .collect();
                t.field(2, "  NameIDFormat", &formats.join(", "));
            }
            for (name, value) in [
                ("  WantAssertionsSigned", role.want_assertions_signed),
                ("  AuthnRequestsSigned", role.authn_requests_signed),
                ("  WantAuthnRequestsSigned", role.want_authn_requests_signed),
            ] {
                if let Some(value) = value {
                    t.field(2, name, &value.to_string());
                }
            }
            for key in &role.keys {
                for cert in &key.certificates {
                    t.field(
                        2,
                        &format!("  Key ({})", key.key_use.as_deref().unwrap_or("any use")),
                        &cert_line(cert),
                    );
                }
            }
        }
    }
}

fn short_binding(uri: &str) -> String {
    short_uri(uri).to_string()
}
