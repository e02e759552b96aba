//! The checks every request to `samlkit serve` passes before anything is read from it: the
//! per-run token, a loopback Host header (against DNS rebinding), a same-origin POST (against
//! cross-site posts from other pages open in the browser) and a bounded body.

use std::io::Read;

use tiny_http::Request;

/// Largest request body accepted: a HAR capture of a sign-in, with headroom.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a request was refused, with its HTTP status.
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal { status, reason }
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The Host values a browser sends for this server: the loopback addresses and its port.
pub fn allowed_hosts(port: u16) -> [String; 3] {
    [
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("localhost:{port}"),
    ]
}

/// Constant-time comparison, so the token cannot be guessed a byte at a time.
fn same_secret(given: &str, token: &str) -> bool {
    given.len() == token.len() && openssl::memcmp::eq(given.as_bytes(), token.as_bytes())
}

/// The token from the `X-Samlkit-Token` header or the `token` query parameter.
fn given_token(request: &Request) -> Option<&str> {
    header(request, "X-Samlkit-Token").or_else(|| {
        let query = request.url().split_once('?')?.1;
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
    })
}

/// Host and token checks for every request; origin checks for POSTs.
pub fn check(request: &Request, port: u16, token: &str) -> Result<(), Refusal> {
    let host = header(request, "Host").unwrap_or_default();
    if !allowed_hosts(port).iter().any(|allowed| allowed == host) {
        return Err(refuse(
            421,
            "the Host header is not this server's loopback address",
        ));
    }
    if !given_token(request).is_some_and(|given| same_secret(given, token)) {
        return Err(refuse(
            403,
            "missing or wrong token: open the URL samlkit serve printed",
        ));
    }
    if *request.method() == tiny_http::Method::Post {
        if let Some(origin) = header(request, "Origin") {
            let same = allowed_hosts(port)
                .iter()
                .any(|host| origin == format!("http://{host}"));
            if !same {
                return Err(refuse(403, "cross-origin request refused"));
            }
        }
        if let Some(site) = header(request, "Sec-Fetch-Site") {
            if site != "same-origin" && site != "none" {
                return Err(refuse(403, "cross-site request refused"));
            }
        }
        let json = header(request, "Content-Type")
            .is_some_and(|t| t.trim().starts_with("application/json"));
        if !json {
            return Err(refuse(415, "POST bodies must be application/json"));
        }
    }
    Ok(())
}

/// Reads the body, refusing one larger than [`MAX_BODY_BYTES`] without holding it whole.
pub fn read_body(request: &mut Request) -> Result<Vec<u8>, Refusal> {
    if request.body_length().is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(refuse(413, "the request body is larger than 16 MiB"));
    }
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY_BYTES as u64 + 1)
        .read_to_end(&mut body);
    if read.is_err() {
        return Err(refuse(400, "the request body could not be read"));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(refuse(413, "the request body is larger than 16 MiB"));
    }
    Ok(body)
}
