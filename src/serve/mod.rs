//! `samlkit serve`: a private page in the browser to paste a captured message into and read
//! explain's answer beside the decoded XML. The page calls the same library pipeline as
//! `samlkit explain` and receives the same JSON report, so it holds no SAML logic itself.
//! Only loopback addresses are bound; see `security` for what every request must pass.

mod routes;
mod security;

use std::io::Write as _;

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::exit;
use crate::style::print_error;

/// What every request shares: the settings from the command line and samlkit.toml, the port
/// (for the Host check) and the per-run token.
pub struct ServerState<'a> {
    pub args: &'a ServeArgs,
    pub config: Config,
    pub port: u16,
    pub token: String,
}

/// A random token for this run: 128 bits from OpenSSL's generator, as hex.
fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    openssl::rand::rand_bytes(&mut bytes).map_err(|e| format!("no random token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn run(args: &ServeArgs) -> u8 {
    let config = match Config::load(args.sp.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            print_error("config", &message);
            return exit::BAD_INPUT;
        }
    };
    // Settings are checked once at start, so a wrong flag is an error now, not on the page.
    if let Err(message) = crate::explain::setup_from(&routes::flags_of(args, None), &config) {
        print_error("setup", &message);
        return exit::BAD_INPUT;
    }
    // Reports rendered as text for the page (the redacted copy) carry no terminal colours.
    colored::control::set_override(false);
    let token = match new_token() {
        Ok(token) => token,
        Err(message) => {
            print_error("serve", &message);
            return exit::BAD_INPUT;
        }
    };
    let v4 = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(server) => server,
        Err(err) => {
            print_error(
                "serve",
                &format!("cannot listen on 127.0.0.1:{}: {err}", args.port),
            );
            return exit::BAD_INPUT;
        }
    };
    let port = v4.server_addr().to_ip().map_or(args.port, |a| a.port());
    // IPv6 loopback on the same port when the machine has it; IPv4 alone is enough.
    let v6 = tiny_http::Server::http(("::1", port)).ok();
    let url = format!("http://127.0.0.1:{port}/?token={token}");
    let mut out = std::io::stdout();
    let _ = writeln!(out, "samlkit serve: open {url}");
    let _ = writeln!(
        out,
        "Only this machine can connect; the token in the URL is needed. Ctrl-C stops."
    );
    let _ = out.flush();
    if args.open {
        open_browser(&url);
    }
    let state = ServerState {
        args,
        config,
        port,
        token,
    };
    std::thread::scope(|scope| {
        if let Some(v6) = &v6 {
            scope.spawn(|| serve_requests(v6, &state));
        }
        serve_requests(&v4, &state);
    });
    exit::OK
}

fn serve_requests(server: &tiny_http::Server, state: &ServerState<'_>) {
    for request in server.incoming_requests() {
        routes::handle(request, state);
    }
}

/// Opens the page in the desktop's browser; the URL is printed either way.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(err) = spawned {
        eprintln!("warning: could not open a browser with {opener} ({err}); open the URL above");
    }
}
