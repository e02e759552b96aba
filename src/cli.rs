//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "samlkit",
    version,
    about = "Explains, in plain words, why a SAML sign-in fails — offline",
    long_about = "samlkit reads captured SAML messages (raw XML, base64, form bodies, HTTP-Redirect \
URLs, HAR captures, SAML-tracer exports) and federation metadata, verifies signatures against the \
keys you trust, and says what is wrong, where, and what to change.\n\nExit codes: 0 = fine, \
1 = problems found (or not verified), 2 = an input could not be read or a usage error."
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the decoded XML of each message, pretty-printed (or exactly as decoded with --raw).
    Decode(DecodeArgs),
    /// Summarise each message: who, for whom, until when, which claims, signed where.
    Inspect(InspectArgs),
}

#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Files to read; `-` or nothing reads standard input. Each may hold raw XML, base64,
    /// a form body, a URL or query string, a HAR capture or a SAML-tracer export.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Read every input as this form instead of detecting it.
    #[arg(long, value_name = "FORM", value_parser = parse_input_form)]
    pub input_format: Option<samlkit_parse::decode::InputForm>,
    /// Refuse messages of any other kind (exit 2), e.g. `--expect response`.
    #[arg(long, value_enum, value_name = "KIND")]
    pub expect: Option<ExpectedKind>,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the decoded bytes exactly as they were, without pretty-printing.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format: readable text, or JSON Lines (one object per message).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Judge validity windows at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub now: Option<samlkit_parse::time::Instant>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedKind {
    Response,
    Request,
    Logout,
    Metadata,
}

fn parse_input_form(text: &str) -> Result<samlkit_parse::decode::InputForm, String> {
    samlkit_parse::decode::InputForm::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = samlkit_parse::decode::InputForm::ALL
            .iter()
            .map(|f| f.name())
            .collect();
        format!("unknown input form '{text}'; one of: {}", names.join(", "))
    })
}

pub fn parse_instant(text: &str) -> Result<samlkit_parse::time::Instant, String> {
    samlkit_parse::time::Instant::parse(text).map_err(|e| e.to_string())
}
