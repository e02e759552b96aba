//! The routes of `samlkit serve`: the page and its two assets, the settings the page starts
//! from, and the two calls the page makes (explain one input, compare two). Every answer
//! carries a strict Content-Security-Policy and is never cached.

use samlkit_lint::explain::{ReplayTracker, Setup};
use samlkit_parse::decode::decode_input;
use samlkit_verify::trust::TrustStore;
use serde::Deserialize;
use serde_json::{json, Value};
use tiny_http::{Header, Request, Response};

use super::security::{self, Refusal};
use super::ServerState;
use crate::explain::{explain_one, json_value, setup_from, Outcome, SetupFlags};
use crate::flag_hints::HintStyle;
use crate::input::{message_label, LoadedMessage};

const PAGE_HTML: &str = include_str!("page.html");
const PAGE_CSS: &str = include_str!("page.css");
const PAGE_JS: &str = include_str!("page.js");

/// Nothing but this server's own script and style; no frames, no forms posting elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
form-action 'none'; frame-ancestors 'none'";

/// The settings the page may change; an empty field keeps the command line's or samlkit.toml's.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageSettings {
    idp_metadata: String,
    idp_cert: String,
    idp_fingerprint: String,
    sp_entity_id: String,
    acs_url: String,
    request_id: String,
    profile: String,
    user_id_attribute: String,
    now: String,
    clock_skew: String,
}

#[derive(Deserialize)]
struct ExplainRequest {
    input: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    settings: PageSettings,
}

#[derive(Deserialize)]
struct DiffRequest {
    a: String,
    b: String,
    #[serde(default)]
    settings: PageSettings,
}

pub fn handle(mut request: Request, state: &ServerState<'_>) {
    if let Err(refusal) = security::check(&request, state.port, &state.token) {
        return respond(
            request,
            refusal.status,
            "text/plain; charset=utf-8",
            refusal.reason,
        );
    }
    let path = request.url().split('?').next().unwrap_or("/").to_string();
    let post = *request.method() == tiny_http::Method::Post;
    match (post, path.as_str()) {
        (false, "/") => {
            let page = PAGE_HTML.replace("{{TOKEN}}", &state.token);
            respond(request, 200, "text/html; charset=utf-8", &page)
        }
        (false, "/page.css") => respond(request, 200, "text/css; charset=utf-8", PAGE_CSS),
        (false, "/page.js") => respond(request, 200, "text/javascript; charset=utf-8", PAGE_JS),
        (false, "/api/settings") => respond_json(request, 200, &settings_value(state)),
        (true, "/api/explain") | (true, "/api/diff") => {
            let answer = security::read_body(&mut request).and_then(|body| {
                if path == "/api/explain" {
                    explain_call(&body, state)
                } else {
                    diff_call(&body, state)
                }
            });
            match answer {
                Ok(value) => respond_json(request, 200, &value),
                Err(refusal) => {
                    respond_json(request, refusal.status, &json!({ "error": refusal.reason }))
                }
            }
        }
        _ => respond(request, 404, "text/plain; charset=utf-8", "not found"),
    }
}

/// A request the page sent that cannot be answered, with the reason shown on the page.
struct BadCall(String);

impl From<BadCall> for Value {
    fn from(bad: BadCall) -> Value {
        json!({ "error": bad.0 })
    }
}

fn explain_call(body: &[u8], state: &ServerState<'_>) -> Result<Value, Refusal> {
    let request: ExplainRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(err) => return Ok(BadCall(format!("the request is not valid: {err}")).into()),
    };
    let setup = match setup_for(&request.settings, state) {
        Ok(setup) => setup,
        Err(message) => return Ok(BadCall(message).into()),
    };
    let name = if request.name.trim().is_empty() {
        "pasted"
    } else {
        request.name.trim()
    };
    Ok(json!({ "messages": explain_text(name, request.input.as_bytes(), &setup) }))
}

/// Explains every message in one pasted or dropped input, in order, judging replay across
/// them as `explain` does across its inputs.
pub fn explain_text(name: &str, bytes: &[u8], setup: &Setup) -> Vec<Value> {
    let messages = match decode_input(bytes, None, &setup.limits) {
        Ok(messages) => messages,
        Err(err) => {
            return vec![
                json!({ "report": crate::json_lines::error_value(name, &err.to_string()) }),
            ]
        }
    };
    let several = messages.len() > 1;
    let mut replay = ReplayTracker::new();
    messages
        .into_iter()
        .map(|decoded| {
            let label = message_label(name, &decoded, several);
            let summary = samlkit_lint::summary::summarise(
                &decoded,
                &label,
                setup.options.now,
                Some(&setup.keys),
                setup.expect,
                &setup.limits,
            )
            .ok();
            let mut outcome = explain_one(
                LoadedMessage { label, decoded },
                setup,
                HintStyle::Flags,
                several,
            );
            crate::explain::judge_replay(&mut replay, &mut outcome);
            let (xml, redacted) = match &outcome {
                Outcome::Report(explained) => {
                    let redactor = crate::explain::redactor_for(std::slice::from_ref(&outcome));
                    let text = crate::explain::render_text(explained, Some(&redactor));
                    (Some(explained.xml.clone()), Some(text))
                }
                Outcome::Error { .. } => (None, None),
            };
            json!({
                "report": json_value(&outcome),
                "xml": xml,
                "summary": summary,
                "redacted": redacted,
            })
        })
        .collect()
}

fn diff_call(body: &[u8], state: &ServerState<'_>) -> Result<Value, Refusal> {
    let request: DiffRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(err) => return Ok(BadCall(format!("the request is not valid: {err}")).into()),
    };
    let setup = match setup_for(&request.settings, state) {
        Ok(setup) => setup,
        Err(message) => return Ok(BadCall(message).into()),
    };
    let answer = crate::diff::compare_texts(
        ("A", request.a.as_bytes()),
        ("B", request.b.as_bytes()),
        &setup,
    );
    Ok(match answer {
        Ok(diff) => json!({ "diff": diff, "text": crate::diff::render_text(&diff, None) }),
        Err(message) => BadCall(message).into(),
    })
}

/// The command line's settings as explain's flags, with the page's non-empty fields winning.
pub fn flags_of<'a>(
    args: &'a crate::cli::ServeArgs,
    page: Option<&'a PageSettings>,
) -> SetupFlags<'a> {
    let pick = |page_value: Option<&'a String>, flag: &'a Option<String>| {
        page_value
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .or(flag.as_deref())
    };
    // What the page says wins over the flags.
    SetupFlags {
        sp_entity_id: pick(page.map(|p| &p.sp_entity_id), &args.sp.sp_entity_id),
        acs_url: pick(page.map(|p| &p.acs_url), &args.sp.acs_url),
        request_id: pick(page.map(|p| &p.request_id), &args.sp.request_id),
        profile: pick(page.map(|p| &p.profile), &args.sp.profile),
        user_id_attribute: pick(
            page.map(|p| &p.user_id_attribute),
            &args.sp.user_id_attribute,
        ),
        ..SetupFlags::from_sp(&args.trust, &args.sp_key, &args.sp)
    }
}

/// The setup for one request. Trust given on the page replaces the configured trust, and
/// lives only as long as this request.
fn setup_for(page: &PageSettings, state: &ServerState<'_>) -> Result<Setup, String> {
    let mut flags = flags_of(state.args, Some(page));
    if !page.now.trim().is_empty() {
        flags.now =
            Some(crate::cli::parse_instant(page.now.trim()).map_err(|e| format!("now: {e}"))?);
    }
    if !page.clock_skew.trim().is_empty() {
        let skew = page.clock_skew.trim().parse::<i64>();
        flags.clock_skew =
            Some(skew.map_err(|_| "clock skew: a whole number of seconds".to_string())?);
    }
    let mut setup = setup_from(&flags, &state.config)?;
    let page_trust = [&page.idp_metadata, &page.idp_cert, &page.idp_fingerprint];
    if page_trust.iter().any(|field| !field.trim().is_empty()) {
        let mut store = TrustStore::new();
        let mut metadata_idp = None;
        if !page.idp_metadata.trim().is_empty() {
            metadata_idp = Some(
                crate::trust::add_metadata(&mut store, page.idp_metadata.as_bytes())
                    .map_err(|e| format!("IdP metadata: {e}"))?,
            );
        }
        if !page.idp_cert.trim().is_empty() {
            store
                .add_certificates(page.idp_cert.as_bytes(), "certificate given on the page")
                .map_err(|e| format!("IdP certificate: {e}"))?;
        }
        for fingerprint in page.idp_fingerprint.split_whitespace() {
            store
                .add_fingerprint(fingerprint)
                .map_err(|e| format!("fingerprint: {e}"))?;
        }
        setup.trust = store;
        if let Some(idp) = metadata_idp {
            setup.options.idp_entity_id = idp.entity_id;
            setup.options.idp_endpoints = idp.sso_endpoints;
        }
    }
    Ok(setup)
}

/// What the page starts from: the profiles to choose from and the configured settings.
fn settings_value(state: &ServerState<'_>) -> Value {
    let flags = flags_of(state.args, None);
    let setup = setup_from(&flags, &state.config).ok();
    let options = setup.as_ref().map(|s| &s.options);
    let profiles: Vec<Value> = samlkit_lint::Profile::ALL
        .iter()
        .map(|p| json!({ "name": p.name(), "title": p.title() }))
        .collect();
    json!({
        "profiles": profiles,
        "profile": options.map(|o| o.profile.name()),
        "sp_entity_id": options.and_then(|o| o.sp_entity_id.clone()),
        "acs_url": options.and_then(|o| o.acs_url.clone()),
        "request_id": options.and_then(|o| o.request_id.clone()),
        "user_id_attribute": options.and_then(|o| o.user_id_attribute.clone()),
        "trust_configured": setup.as_ref().is_some_and(|s| !s.trust.is_empty()),
    })
}

fn respond_json(request: Request, status: u16, value: &Value) {
    respond(
        request,
        status,
        "application/json",
        &serde_json::to_string(value).unwrap_or_default(),
    )
}

fn respond(request: Request, status: u16, content_type: &str, body: &str) {
    let headers = [
        ("Content-Type", content_type),
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ];
    let mut response = Response::from_string(body).with_status_code(status);
    for (name, value) in headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The browser may have gone away; there is no one to tell.
    let _ = request.respond(response);
}
