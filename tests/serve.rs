//! `samlkit serve` over real loopback HTTP: the token, the Host check (DNS rebinding), the
//! cross-site checks, the body limit, the security headers, and the page's JSON being exactly
//! the JSON of `samlkit explain --format json` for the same input and settings. Then a real
//! browser (headless Chromium driven through chromedriver's WebDriver API) pastes the sample
//! into the page and finds the verdict and the `nameid/format` finding; a screenshot is
//! written to target/serve-page.png.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::http::request;
use serde_json::{json, Value};

const NOW: &str = "2026-11-28T09:05:00Z";
const SAMPLE: &str = "samples/amazon-q-permission-needed.b64";

/// A running `samlkit serve`, stopped when dropped.
struct Served {
    child: Child,
    /// Kept open: the server writes to it, and a closed pipe would end it (SIGPIPE).
    _stdout: BufReader<std::process::ChildStdout>,
    port: u16,
    token: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(extra: &[&str]) -> Served {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("samlkit"))
        .args(["serve", "--now", NOW])
        .args(extra)
        .current_dir(common::repo_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("samlkit serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    let mut stdout = BufReader::new(stdout);
    stdout.read_line(&mut line).expect("the URL is printed");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"));
    let rest = url.trim_start_matches("http://127.0.0.1:");
    let (port, query) = rest.split_once("/?token=").expect("port and token");
    Served {
        port: port.parse().expect("a port"),
        token: query.to_string(),
        child,
        _stdout: stdout,
    }
}

fn explain_body(input: &str, name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "input": input, "name": name, "settings": {} })).unwrap()
}

fn post(
    served: &Served,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> common::http::HttpResponse {
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("X-Samlkit-Token", served.token.as_str()),
    ];
    headers.extend_from_slice(extra);
    request(served.port, "POST", path, &headers, body)
}

#[test]
fn requests_without_the_token_or_with_a_foreign_host_are_refused() {
    let served = serve(&["--config", "samples/samlkit.toml"]);
    let page = format!("/?token={}", served.token);
    assert_eq!(request(served.port, "GET", &page, &[], b"").status, 200);
    assert_eq!(request(served.port, "GET", "/", &[], b"").status, 403);
    assert_eq!(
        request(served.port, "GET", "/?token=0123", &[], b"").status,
        403
    );
    let wrong = "0".repeat(served.token.len());
    assert_eq!(
        request(served.port, "GET", &format!("/?token={wrong}"), &[], b"").status,
        403
    );
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1.
    let rebound = request(
        served.port,
        "GET",
        &page,
        &[("Host", &format!("attacker.example:{}", served.port))],
        b"",
    );
    assert_eq!(rebound.status, 421);
    let other_port = request(served.port, "GET", &page, &[("Host", "127.0.0.1:1")], b"");
    assert_eq!(other_port.status, 421);
    let v6_host = format!("[::1]:{}", served.port);
    assert_eq!(
        request(served.port, "GET", &page, &[("Host", &v6_host)], b"").status,
        200
    );
    let body = explain_body("x", "x");
    assert_eq!(
        request(
            served.port,
            "POST",
            "/api/explain",
            &[("Content-Type", "application/json")],
            &body
        )
        .status,
        403
    );
}

#[test]
fn cross_site_posts_and_oversized_bodies_are_refused() {
    let served = serve(&["--config", "samples/samlkit.toml"]);
    let body = explain_body("x", "x");
    let foreign = post(
        &served,
        "/api/explain",
        &[("Origin", "https://attacker.example")],
        &body,
    );
    assert_eq!(foreign.status, 403);
    let cross = post(
        &served,
        "/api/explain",
        &[("Sec-Fetch-Site", "cross-site")],
        &body,
    );
    assert_eq!(cross.status, 403);
    let origin = format!("http://127.0.0.1:{}", served.port);
    let same = post(
        &served,
        "/api/explain",
        &[("Origin", &origin), ("Sec-Fetch-Site", "same-origin")],
        &body,
    );
    assert_eq!(same.status, 200);
    let form = request(
        served.port,
        "POST",
        "/api/explain",
        &[
            ("Content-Type", "text/plain"),
            ("X-Samlkit-Token", &served.token),
        ],
        &body,
    );
    assert_eq!(form.status, 415);
    let huge = post(
        &served,
        "/api/explain",
        &[("Content-Length", "16777217")],
        b"",
    );
    assert_eq!(huge.status, 413);
    assert!(huge.body.contains("larger than 16 MiB"), "{}", huge.body);
    // The server still answers after refusing.
    assert_eq!(post(&served, "/api/explain", &[], &body).status, 200);
}

#[test]
fn every_answer_carries_a_strict_policy_and_is_not_cached() {
    let served = serve(&["--config", "samples/samlkit.toml"]);
    let page = request(
        served.port,
        "GET",
        &format!("/?token={}", served.token),
        &[],
        b"",
    );
    let csp = page.header("Content-Security-Policy").expect("a CSP");
    assert!(
        csp.starts_with("default-src 'none'; script-src 'self'; style-src 'self'"),
        "{csp}"
    );
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    // The page loads its own script and style only, with the token.
    assert!(page
        .body
        .contains(&format!("src=\"/page.js?token={}\"", served.token)));
    assert!(
        !page.body.contains("https://") && !page.body.contains("http://"),
        "no external resource"
    );
    let answer = post(&served, "/api/explain", &[], &explain_body("x", "x"));
    assert_eq!(answer.header("Cache-Control"), Some("no-store"));
    let script = request(
        served.port,
        "GET",
        &format!("/page.js?token={}", served.token),
        &[],
        b"",
    );
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
}

#[test]
fn the_page_gets_the_same_json_as_explain_format_json() {
    let flags = [
        "--config",
        "samples/samlkit.toml",
        "--profile",
        "amazon-q-business",
    ];
    let served = serve(&flags);
    let input = std::fs::read_to_string(common::repo_root().join(SAMPLE)).expect("the sample");
    let answer = post(&served, "/api/explain", &[], &explain_body(&input, SAMPLE));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let answer: Value = serde_json::from_str(&answer.body).expect("JSON");
    let cli = common::samlkit()
        .args(["explain", "--format", "json", "--now", NOW, SAMPLE])
        .args(flags)
        .output()
        .expect("explain runs");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("one JSON line");
    let messages = answer["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["report"], cli);
    assert_eq!(cli["verdict"], "fail");
    // The XML the locations point into, the inspect summary and the redacted text come along.
    assert!(messages[0]["xml"].as_str().unwrap().starts_with("<"));
    assert_eq!(messages[0]["summary"]["kind"], "response");
    let redacted = messages[0]["redacted"].as_str().unwrap();
    assert!(
        redacted.contains("[nameid/format]") && !redacted.contains("alice@contoso.example"),
        "{redacted}"
    );
}

#[test]
fn trust_given_on_the_page_is_used_for_that_request_only() {
    let served = serve(&["--config", "/dev/null", "--profile", "amazon-q-business"]);
    let input =
        std::fs::read_to_string(common::repo_root().join("samples/entra-response.b64")).unwrap();
    let metadata =
        std::fs::read_to_string(common::repo_root().join("samples/entra-federation-metadata.xml"))
            .unwrap();
    let with_trust = json!({ "input": input, "settings": { "idp_metadata": metadata } });
    let answer: Value = serde_json::from_str(
        &post(
            &served,
            "/api/explain",
            &[],
            &serde_json::to_vec(&with_trust).unwrap(),
        )
        .body,
    )
    .unwrap();
    assert_eq!(
        answer["messages"][0]["report"]["signature"]["verdict"],
        "verified"
    );
    let without: Value =
        serde_json::from_str(&post(&served, "/api/explain", &[], &explain_body(&input, "x")).body)
            .unwrap();
    let codes: Vec<&str> = without["messages"][0]["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"signature/no-trust-configured"),
        "{codes:?}"
    );
    let bad = json!({ "input": input, "settings": { "idp_fingerprint": "zz" } });
    let answer: Value = serde_json::from_str(
        &post(
            &served,
            "/api/explain",
            &[],
            &serde_json::to_vec(&bad).unwrap(),
        )
        .body,
    )
    .unwrap();
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .starts_with("fingerprint:"),
        "{answer}"
    );
}

#[test]
fn the_compare_view_names_the_missing_attribute() {
    let served = serve(&["--config", "samples/samlkit.toml"]);
    let read = |p: &str| std::fs::read_to_string(common::repo_root().join(p)).unwrap();
    let body =
        json!({ "a": read("samples/entra-response.b64"), "b": read(SAMPLE), "settings": {} });
    let answer: Value = serde_json::from_str(
        &post(
            &served,
            "/api/diff",
            &[],
            &serde_json::to_vec(&body).unwrap(),
        )
        .body,
    )
    .unwrap();
    let codes: Vec<&str> = answer["diff"]["new_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["nameid/format", "claims/required-missing"]);
    assert!(answer["text"]
        .as_str()
        .unwrap()
        .contains("B has no assertion 1 › attribute Email"));
}

#[test]
fn a_wrong_setting_on_the_command_line_stops_serve_with_exit_2() {
    let output = common::samlkit()
        .args([
            "serve",
            "--profile",
            "no-such-profile",
            "--config",
            "/dev/null",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown profile 'no-such-profile'"));
}
