//! `xs:dateTime` values as SAML carries them, and the instants they denote.
//!
//! SAML requires UTC without an offset; other offsets are accepted (and converted) so that a
//! lint rule can point them out instead of the whole message being rejected.

use std::fmt;

/// An instant on the UTC time line, to the nanosecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    unix_seconds: i64,
    nanos: u32,
}

/// How the timezone of an `xs:dateTime` was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    /// `Z` (what SAML requires).
    Utc,
    /// `+hh:mm` / `-hh:mm`, in minutes east of UTC (`+00:00` is reported as an offset of 0).
    Offset(i32),
    /// No timezone at all: read as UTC.
    Missing,
}

/// A parsed `xs:dateTime`: the instant and how its zone was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub instant: Instant,
    pub zone: Zone,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not an xs:dateTime (expected like 2024-05-01T12:00:00Z): {reason}")]
pub struct TimeError {
    pub text: String,
    pub reason: &'static str,
}

impl Instant {
    pub const fn from_unix(unix_seconds: i64, nanos: u32) -> Instant {
        Instant {
            unix_seconds,
            nanos,
        }
    }

    pub fn unix_seconds(self) -> i64 {
        self.unix_seconds
    }

    pub fn subsec_nanos(self) -> u32 {
        self.nanos
    }

    /// Whole seconds from `self` to `later` (negative when `later` is earlier), rounded toward
    /// negative infinity on the nanosecond part.
    pub fn seconds_until(self, later: Instant) -> i64 {
        let mut secs = later.unix_seconds - self.unix_seconds;
        if later.nanos < self.nanos {
            secs -= 1;
        }
        secs
    }

    pub fn plus_seconds(self, seconds: i64) -> Instant {
        Instant {
            unix_seconds: self.unix_seconds.saturating_add(seconds),
            nanos: self.nanos,
        }
    }

    /// Parses an RFC 3339 / `xs:dateTime` text (such as a "now" the user gives). A missing zone means UTC.
    pub fn parse(text: &str) -> Result<Instant, TimeError> {
        DateTime::parse(text).map(|dt| dt.instant)
    }
}

impl fmt::Display for Instant {
    /// RFC 3339 in UTC, with fractional seconds only when there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix_seconds.div_euclid(86_400);
        let secs_of_day = self.unix_seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        )?;
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl serde::Serialize for Instant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl DateTime {
    /// Parses `[-]YYYY-MM-DDThh:mm:ss[.fraction][Z|±hh:mm]`.
    pub fn parse(text: &str) -> Result<DateTime, TimeError> {
        let fail = |reason| TimeError {
            text: text.to_string(),
            reason,
        };
        let s = text.trim();
        // Everything below slices by byte position, which is only safe on ASCII.
        if !s.is_ascii() {
            return Err(fail("only ASCII digits and separators belong in a time"));
        }
        let bytes = s.as_bytes();
        let (negative, body) = match bytes.first() {
            Some(b'-') => (true, &s[1..]),
            _ => (false, s),
        };
        let dash = body.find('-').ok_or_else(|| fail("no date"))?;
        if dash < 4 {
            return Err(fail("the year needs at least four digits"));
        }
        let year: i64 = digits(&body[..dash]).ok_or_else(|| fail("the year is not a number"))?;
        let year = if negative { -year } else { year };
        let rest = &body[dash + 1..];
        let b = rest.as_bytes();
        if b.len() < 14 || b[2] != b'-' || b[5] != b'T' || b[8] != b':' || b[11] != b':' {
            return Err(fail("expected MM-DDThh:mm:ss after the year"));
        }
        let month: i64 = digits(&rest[0..2]).ok_or_else(|| fail("bad month"))?;
        let day: i64 = digits(&rest[3..5]).ok_or_else(|| fail("bad day"))?;
        let hour: i64 = digits(&rest[6..8]).ok_or_else(|| fail("bad hour"))?;
        let minute: i64 = digits(&rest[9..11]).ok_or_else(|| fail("bad minute"))?;
        let second: i64 = digits(&rest[12..14]).ok_or_else(|| fail("bad second"))?;
        if !(1..=12).contains(&month) {
            return Err(fail("month out of range"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(fail("day out of range for the month"));
        }
        let end_of_day = hour == 24 && minute == 0 && second == 0;
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return Err(fail("time of day out of range"));
        }
        let mut tail = &rest[14..];
        let mut nanos: u32 = 0;
        if let Some(fraction) = tail.strip_prefix('.') {
            let len = fraction.bytes().take_while(|c| c.is_ascii_digit()).count();
            if len == 0 {
                return Err(fail("a '.' must be followed by digits"));
            }
            for (i, c) in fraction.bytes().take(len).enumerate() {
                if i < 9 {
                    nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
                }
            }
            tail = &fraction[len..];
        }
        let zone = match tail {
            "" => Zone::Missing,
            "Z" => Zone::Utc,
            _ => {
                let tb = tail.as_bytes();
                if tb.len() != 6 || !(tb[0] == b'+' || tb[0] == b'-') || tb[3] != b':' {
                    return Err(fail("the timezone must be Z or ±hh:mm"));
                }
                let oh: i32 = digits(&tail[1..3]).ok_or_else(|| fail("bad zone hour"))? as i32;
                let om: i32 = digits(&tail[4..6]).ok_or_else(|| fail("bad zone minute"))? as i32;
                if oh > 14 || om > 59 {
                    return Err(fail("timezone out of range"));
                }
                let minutes = oh * 60 + om;
                Zone::Offset(if tb[0] == b'-' { -minutes } else { minutes })
            }
        };
        let offset_seconds = match zone {
            Zone::Offset(minutes) => i64::from(minutes) * 60,
            _ => 0,
        };
        if !(-9999..=9999).contains(&year) {
            return Err(fail("year out of range"));
        }
        let unix_seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
                - offset_seconds;
        Ok(DateTime {
            instant: Instant {
                unix_seconds,
                nanos,
            },
            zone,
        })
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || s.len() > 9 {
        return None;
    }
    s.parse().ok()
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A duration in words, as a person reads it: "52 min", "3 h 5 min", "2 days".
pub fn describe_duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => {
            let (h, m) = (s / 3600, s / 60 % 60);
            if m == 0 {
                format!("{h} h")
            } else {
                format!("{h} h {m} min")
            }
        }
        _ => {
            let days = s / 86_400;
            if days < 365 * 2 {
                format!("{days} day{}", if days == 1 { "" } else { "s" })
            } else {
                format!("{} years", days / 365)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_with_fraction() {
        let dt = DateTime::parse("2024-05-01T12:34:56.789Z").unwrap();
        assert_eq!(dt.zone, Zone::Utc);
        assert_eq!(dt.instant.unix_seconds(), 1_714_566_896);
        assert_eq!(dt.instant.subsec_nanos(), 789_000_000);
        assert_eq!(dt.instant.to_string(), "2024-05-01T12:34:56.789Z");
    }

    #[test]
    fn converts_offsets_and_notes_them() {
        let dt = DateTime::parse("2024-05-01T14:34:56+02:00").unwrap();
        assert_eq!(dt.zone, Zone::Offset(120));
        assert_eq!(dt.instant.to_string(), "2024-05-01T12:34:56Z");
        let missing = DateTime::parse("2024-05-01T12:34:56").unwrap();
        assert_eq!(missing.zone, Zone::Missing);
        assert_eq!(missing.instant, dt.instant);
    }

    #[test]
    fn long_fractions_are_truncated_to_nanoseconds() {
        let dt = DateTime::parse("2014-07-17T01:01:48.1234567891234Z").unwrap();
        assert_eq!(dt.instant.subsec_nanos(), 123_456_789);
    }

    #[test]
    fn rejects_nonsense_with_reason() {
        let err = DateTime::parse("2024-02-30T00:00:00Z").unwrap_err();
        assert_eq!(err.reason, "day out of range for the month");
        assert!(DateTime::parse("yesterday").is_err());
        assert!(DateTime::parse("2024-05-01 12:00:00Z").is_err());
        assert!(DateTime::parse("2024-05-01T12:00:00+2:00").is_err());
    }

    // Found by the parse_model fuzz target: a multi-byte character where a digit belongs
    // used to be sliced through.
    #[test]
    fn non_ascii_in_a_time_is_an_error_not_a_panic() {
        let err = DateTime::parse("2024-05-14T20:36:1ť").unwrap_err();
        assert_eq!(
            err.reason,
            "only ASCII digits and separators belong in a time"
        );
        assert!(DateTime::parse("２０２４-05-14T20:36:10Z").is_err());
    }

    #[test]
    fn civil_round_trip_over_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_duration(52 * 60), "52 min");
        assert_eq!(describe_duration(-3 * 3600), "3 h");
        assert_eq!(describe_duration(3 * 3600 + 5 * 60), "3 h 5 min");
        assert_eq!(describe_duration(86_400), "1 day");
        assert_eq!(describe_duration(800 * 86_400), "2 years");
    }
}
