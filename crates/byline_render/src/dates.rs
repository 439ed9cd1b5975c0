//! Reader-facing formatting of article publish times.
//!
//! Byline shows the same shape of timestamp in every language:
//! `dd MMMM y HH:mm`, e.g. "01 November 2022 15:20", "01 ноября 2022 15:20",
//! "01 նոյեմբերի 2022 15:20".
//!
//! # Why it is built this way
//!
//! * **Month names come from ICU4X (CLDR) data, never from a table in this file.**
//!   Russian and Armenian inflect the month inside a date ("1 ноября", not
//!   "1 ноябрь"). CLDR calls the inflected form the *format* context (pattern
//!   letter `M`) and the nominative form the *stand-alone* context (`L`). The
//!   pattern below uses `MMMM`, so ICU4X picks the genitive form for us.
//! * **A fixed custom pattern, not ICU's semantic field sets.** ICU4X's normal
//!   API (`DateTimeFormatter` + `YMD::long()` etc.) picks each locale's own
//!   preferred layout ("November 1, 2022 at 3:20 PM", "1 ноября 2022 г.,
//!   15:20"). Byline wants one house style for all languages, so we use the
//!   lower-level `icu::datetime::pattern` API: a [`DateTimePattern`] parsed from
//!   a UTS #35 pattern string, formatted with [`FixedCalendarDateTimeNames`]
//!   loaded for the reader's locale. Digits still come from the locale's
//!   numbering system (e.g. Persian digits for `fa`).
//! * **Time zones come from `jiff`.** The instant is converted to the reader's
//!   wall-clock time with jiff's bundled tzdb, and only the resulting civil
//!   fields are handed to ICU as a Gregorian date and time. ICU never sees the
//!   zone, so there is no second tz database to keep in sync.
//! * **Prepared once, used from many threads.** All ICU data is loaded and the
//!   patterns are validated in [`DateFormatter::new`]; the per-call work is a
//!   zone lookup plus string building. The type is `Send + Sync` (checked at
//!   compile time below) so it can live in an `Arc` shared by request handlers.
//!
//! # Cargo requirements
//!
//! ```toml
//! icu = { version = "2", features = ["compiled_data", "sync"] }
//! jiff = { version = "0.2", features = ["tzdb-bundle-always"] }
//! thiserror = "2"
//! writeable = "0.6"
//! ```
//!
//! * `sync`: without it ICU4X data payloads use `Rc` internally and
//!   [`DateFormatter`] would be neither `Send` nor `Sync`. The compile-time
//!   assertion in this file fails if the feature goes missing.
//! * `writeable`: custom-pattern output ([`FormattedDateTimePattern`]) only
//!   implements `writeable::TryWriteable` (not `Display`), and `icu` does not
//!   re-export that trait. It is the same crate `icu_datetime` already depends
//!   on, so it adds nothing to the build.
//!
//! [`FormattedDateTimePattern`]: icu::datetime::pattern::FormattedDateTimePattern

use icu::calendar::Gregorian;
use icu::datetime::input::{Date, DateTime, Time};
use icu::datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames, PatternLoadError};
use icu::locale::Locale;
use writeable::TryWriteable;

/// Two-digit day, wide month name in *format* (genitive) context, year,
/// 24-hour `HH:mm`. `H` is always 0–23 regardless of the locale's hour-cycle
/// preference: the house style is a 24-hour clock.
const DATE_TIME_PATTERN: &str = "dd MMMM y HH:mm";
/// [`DATE_TIME_PATTERN`] without the time of day.
const DATE_PATTERN: &str = "dd MMMM y";
/// Month name alone; used only in [`DateFormatter::new`] to detect locales
/// for which ICU4X has no month names.
const MONTH_PATTERN: &str = "MMMM";

/// Why a [`DateFormatter`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DateError {
    /// `lang` is not a syntactically valid BCP-47 language tag.
    #[error("invalid language tag {tag:?}: {source}")]
    InvalidLanguageTag {
        /// The tag as given.
        tag: String,
        /// The parser's reason.
        #[source]
        source: icu::locale::ParseError,
    },
    /// The tag is well-formed, but ICU4X has no month names for its language
    /// (e.g. "xx", or "und" itself). ICU4X would silently fall back to the
    /// root locale and print placeholders such as "M11"; we refuse instead so
    /// the caller can choose a real fallback language (usually "en").
    #[error("no ICU4X date data for language {tag:?}")]
    UnsupportedLanguage {
        /// The tag as given.
        tag: String,
    },
    /// One of this module's constant patterns failed to parse. This is a
    /// programming error in this file, reported instead of panicking.
    #[error("invalid date pattern {pattern:?}: {reason}")]
    InvalidPattern {
        /// The offending pattern string.
        pattern: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// ICU4X could not load the names or number-formatting data a pattern
    /// needs for this locale.
    #[error("could not load ICU4X data for a date pattern: {0}")]
    Load(#[from] PatternLoadError),
}

/// Formats instants for display in one language.
///
/// Holds the ICU4X month names and number formatter for one locale plus the
/// two parsed patterns. Build it once per language (it loads and validates all
/// data up front) and share it, e.g. in an `Arc`; it is `Send + Sync` and
/// formatting takes `&self`.
#[derive(Debug)]
pub struct DateFormatter {
    /// Localized names (wide format-context months) and the decimal formatter
    /// for the locale, with everything both patterns need already loaded.
    names: FixedCalendarDateTimeNames<Gregorian>,
    date_time: DateTimePattern,
    date: DateTimePattern,
}

// Compile-time guarantee that the formatter can be shared across threads.
// If this fails, the `icu` dependency is missing its `sync` feature.
const _: fn() = {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<DateFormatter>
};

impl DateFormatter {
    /// Prepares a formatter for `lang`.
    ///
    /// `lang` is "en", "ru" or "hy"; any BCP-47 tag ICU4X has data for works
    /// too ("en-GB", "sr-Latn", "fa", ...). Regions and scripts without data
    /// of their own fall back to their language (ICU4X locale fallback), and
    /// Unicode extensions such as `-u-nu-arab` (numbering system) are honored.
    /// An hour-cycle extension (`-u-hc-h12`) is ignored: the clock is 24-hour.
    ///
    /// # Errors
    ///
    /// * [`DateError::InvalidLanguageTag`] if `lang` does not parse (e.g. "",
    ///   "e n"); the tag is not trimmed.
    /// * [`DateError::UnsupportedLanguage`] if ICU4X has no month names for
    ///   the language and would fall back to the root locale (e.g. "xx",
    ///   "und"). There is no silent fallback to English: that choice is left
    ///   to the caller.
    pub fn new(lang: &str) -> Result<Self, DateError> {
        let locale: Locale = lang
            .parse()
            .map_err(|source| DateError::InvalidLanguageTag {
                tag: lang.to_owned(),
                source,
            })?;
        let date_time = parse_pattern(DATE_TIME_PATTERN)?;
        let date = parse_pattern(DATE_PATTERN)?;
        let month = parse_pattern(MONTH_PATTERN)?;

        // Start empty and let ICU load exactly what the patterns need (wide
        // format-context month names plus the locale's decimal formatter).
        // `include_for_pattern` also validates each pattern against the loaded
        // data, which is what makes `with_pattern_unchecked` safe later.
        let mut names = FixedCalendarDateTimeNames::<Gregorian>::new_without_number_formatting(
            (&locale).into(),
        );
        names.include_for_pattern(&date_time)?;
        names.include_for_pattern(&date)?;
        names.include_for_pattern(&month)?;

        // ICU4X's compiled data never fails for an unknown language: it falls
        // back to the root locale, whose month names are "M01".."M12". Detect
        // that by comparing against root so we can report it instead.
        let mut root = FixedCalendarDateTimeNames::<Gregorian>::new_without_number_formatting(
            (&Locale::UNKNOWN).into(),
        );
        root.include_for_pattern(&month)?;
        let has_own_month_names =
            (1..=12).any(|m| format_month(&names, &month, m) != format_month(&root, &month, m));
        if !has_own_month_names {
            return Err(DateError::UnsupportedLanguage {
                tag: lang.to_owned(),
            });
        }

        Ok(Self {
            names,
            date_time,
            date,
        })
    }

    /// Day, month name, year, hour:minute in `tz`.
    ///
    /// e.g. en "01 November 2022 15:20", ru "01 ноября 2022 15:20" (genitive
    /// month, as in a Russian date), hy "01 նոյեմբերի 2022 15:20" (genitive,
    /// the form an Armenian date uses). Two-digit day, 24-hour clock.
    ///
    /// The day, month and year are those of the wall clock in `tz`, so an
    /// instant near midnight UTC can land on a different calendar day.
    /// Seconds are truncated, not rounded. The year is the Gregorian era year
    /// with no era marker, so dates before 1 CE (only reachable with
    /// `Timestamp::MIN`-like values) print without "BC"; irrelevant for
    /// publish times, and never a panic.
    #[must_use]
    pub fn date_time(&self, at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
        self.format(&self.date_time, at, tz, "%Y-%m-%d %H:%M")
    }

    /// Same without the time: "01 November 2022".
    #[must_use]
    pub fn date(&self, at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
        self.format(&self.date, at, tz, "%Y-%m-%d")
    }

    /// Converts `at` to civil time in `tz` and formats it with `pattern`.
    ///
    /// `fallback` is a jiff strftime format used only if the civil date cannot
    /// be represented as an ICU Gregorian date (not expected for any jiff
    /// timestamp, but we return something readable rather than panic).
    fn format(
        &self,
        pattern: &DateTimePattern,
        at: jiff::Timestamp,
        tz: &jiff::tz::TimeZone,
        fallback: &str,
    ) -> String {
        // `to_datetime` applies the zone's offset at that instant (DST
        // included) without cloning the `TimeZone`.
        let civil = tz.to_datetime(at);
        let Some(input) = to_icu(civil) else {
            return civil.strftime(fallback).to_string();
        };
        write(&self.names, pattern, &input)
    }
}

/// Parses one of this module's constant patterns.
fn parse_pattern(pattern: &'static str) -> Result<DateTimePattern, DateError> {
    pattern.parse().map_err(|e| DateError::InvalidPattern {
        pattern,
        reason: format!("{e}"),
    })
}

/// Formats month `m` (1-based) of an arbitrary year with `pattern`.
fn format_month(
    names: &FixedCalendarDateTimeNames<Gregorian>,
    pattern: &DateTimePattern,
    m: u8,
) -> Option<String> {
    let input = DateTime {
        date: Date::try_new_gregorian(2000, m, 1).ok()?,
        time: Time::start_of_day(),
    };
    Some(write(names, pattern, &input))
}

/// Runs `pattern` over `input`. Unchecked is fine: every caller passes names
/// that `include_for_pattern` loaded for this pattern in
/// [`DateFormatter::new`]. On an (unexpected) error ICU still writes a
/// best-effort string, which we return rather than panic in a request handler.
fn write(
    names: &FixedCalendarDateTimeNames<Gregorian>,
    pattern: &DateTimePattern,
    input: &DateTime<Gregorian>,
) -> String {
    match names
        .with_pattern_unchecked(pattern)
        .format(input)
        .try_write_to_string()
    {
        Ok(s) | Err((_, s)) => s.into_owned(),
    }
}

/// jiff civil date-time → ICU Gregorian date and time (to the minute; the
/// patterns show no seconds). `None` only if ICU rejects the values.
fn to_icu(civil: jiff::civil::DateTime) -> Option<DateTime<Gregorian>> {
    let date = Date::try_new_gregorian(
        i32::from(civil.year()),
        u8::try_from(civil.month()).ok()?,
        u8::try_from(civil.day()).ok()?,
    )
    .ok()?;
    let time = Time::try_new(
        u8::try_from(civil.hour()).ok()?,
        u8::try_from(civil.minute()).ok()?,
        0,
        0,
    )
    .ok()?;
    Some(DateTime { date, time })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use std::sync::Arc;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn fmt(lang: &str) -> DateFormatter {
        DateFormatter::new(lang).unwrap()
    }

    /// 2022-11-01T11:20Z is 15:20 in Baku (UTC+4, no DST).
    const SAMPLE: &str = "2022-11-01T11:20:00Z";

    #[test]
    fn english_date_time() {
        let at = ts(SAMPLE);
        let baku = tz("Asia/Baku");
        assert_eq!(fmt("en").date_time(at, &baku), "01 November 2022 15:20");
        assert_eq!(fmt("en").date(at, &baku), "01 November 2022");
    }

    #[test]
    fn russian_date_time_uses_genitive_month() {
        let at = ts(SAMPLE);
        let baku = tz("Asia/Baku");
        assert_eq!(fmt("ru").date_time(at, &baku), "01 ноября 2022 15:20");
        assert_eq!(fmt("ru").date(at, &baku), "01 ноября 2022");
    }

    #[test]
    fn armenian_date_time_uses_genitive_month() {
        let at = ts(SAMPLE);
        let baku = tz("Asia/Baku");
        let s = fmt("hy").date_time(at, &baku);
        assert!(s.contains("նոյեմբերի"), "{s}");
        assert!(s.contains("2022"), "{s}");
        assert!(s.contains("15:20"), "{s}");
        // Genitive "նոյեմբերի" (of November), not nominative "նոյեմբեր".
        assert_eq!(s, "01 նոյեմբերի 2022 15:20");
        assert_eq!(fmt("hy").date(at, &baku), "01 նոյեմբերի 2022");
    }

    #[test]
    fn zone_moves_date_forward_across_midnight_and_new_year() {
        // 20:30 UTC on New Year's Eve is already 00:30 on 1 January in Baku.
        let at = ts("2022-12-31T20:30:00Z");
        let baku = tz("Asia/Baku");
        assert_eq!(fmt("en").date_time(at, &baku), "01 January 2023 00:30");
        assert_eq!(fmt("ru").date_time(at, &baku), "01 января 2023 00:30");
        assert_eq!(fmt("hy").date_time(at, &baku), "01 հունվարի 2023 00:30");
        assert_eq!(fmt("en").date(at, &baku), "01 January 2023");
        // The same instant in UTC is still the old year.
        assert_eq!(
            fmt("en").date_time(at, &TimeZone::UTC),
            "31 December 2022 20:30"
        );
    }

    #[test]
    fn zone_moves_date_backward_across_midnight() {
        // 02:00 UTC on 1 November is 22:00 on 31 October in New York (EDT, UTC-4).
        let at = ts("2022-11-01T02:00:00Z");
        let ny = tz("America/New_York");
        assert_eq!(fmt("en").date_time(at, &ny), "31 October 2022 22:00");
        assert_eq!(fmt("ru").date(at, &ny), "31 октября 2022");
    }

    #[test]
    fn daylight_saving_offset_is_applied() {
        let berlin = tz("Europe/Berlin");
        // CET (UTC+1) in winter, CEST (UTC+2) in summer.
        assert_eq!(
            fmt("en").date_time(ts("2022-01-15T12:00:00Z"), &berlin),
            "15 January 2022 13:00"
        );
        assert_eq!(
            fmt("en").date_time(ts("2022-07-15T12:00:00Z"), &berlin),
            "15 July 2022 14:00"
        );
    }

    #[test]
    fn midnight_is_00_not_24() {
        let at = ts("2022-11-01T20:00:00Z");
        assert_eq!(
            fmt("en").date_time(at, &tz("Asia/Baku")),
            "02 November 2022 00:00"
        );
    }

    /// 15th of every month of 2022, formatted as a date in UTC.
    fn all_months(lang: &str) -> Vec<String> {
        let f = fmt(lang);
        (1..=12)
            .map(|m| {
                let at = ts(&format!("2022-{m:02}-15T12:00:00Z"));
                f.date(at, &TimeZone::UTC)
            })
            .collect()
    }

    #[test]
    fn russian_months_are_all_genitive() {
        let expected = [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ];
        let got = all_months("ru");
        for (s, month) in got.iter().zip(expected) {
            assert_eq!(s, &format!("15 {month} 2022"));
        }
        // None of the nominative (stand-alone) forms slipped through.
        for nominative in ["январь", "март", "май", "август", "ноябрь"] {
            assert!(got.iter().all(|s| !s.contains(&format!(" {nominative} "))));
        }
    }

    #[test]
    fn armenian_months_are_all_genitive() {
        let expected = [
            "հունվարի",
            "փետրվարի",
            "մարտի",
            "ապրիլի",
            "մայիսի",
            "հունիսի",
            "հուլիսի",
            "օգոստոսի",
            "սեպտեմբերի",
            "հոկտեմբերի",
            "նոյեմբերի",
            "դեկտեմբերի",
        ];
        for (s, month) in all_months("hy").iter().zip(expected) {
            assert_eq!(s, &format!("15 {month} 2022"));
        }
    }

    #[test]
    fn english_months() {
        let expected = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        for (s, month) in all_months("en").iter().zip(expected) {
            assert_eq!(s, &format!("15 {month} 2022"));
        }
    }

    #[test]
    fn single_digit_day_and_hour_are_zero_padded() {
        let at = ts("2022-03-05T01:07:00Z");
        assert_eq!(
            fmt("ru").date_time(at, &TimeZone::UTC),
            "05 марта 2022 01:07"
        );
    }

    #[test]
    fn other_bcp47_tags_with_data_work() {
        let at = ts(SAMPLE);
        let utc = TimeZone::UTC;
        // Region/script subtags resolve through ICU4X locale fallback.
        assert_eq!(fmt("en-GB").date_time(at, &utc), "01 November 2022 11:20");
        assert_eq!(fmt("ru-RU").date_time(at, &utc), "01 ноября 2022 11:20");
        assert_eq!(fmt("hy-AM").date_time(at, &utc), "01 նոյեմբերի 2022 11:20");
        assert_eq!(fmt("sr-Latn").date(at, &utc), "01 novembar 2022");
        // Digits follow the locale's numbering system.
        assert_eq!(fmt("fa").date_time(at, &utc), "۰۱ نوامبر ۲۰۲۲ ۱۱:۲۰");
        // A -u-hc extension does not switch to a 12-hour clock.
        assert_eq!(
            fmt("en-US-u-hc-h12").date_time(at, &tz("Asia/Baku")),
            "01 November 2022 15:20"
        );
    }

    #[test]
    fn unknown_language_is_an_error() {
        for tag in ["xx", "und", "zz-ZZ"] {
            match DateFormatter::new(tag) {
                Err(DateError::UnsupportedLanguage { tag: t }) => assert_eq!(t, tag),
                other => panic!("{tag}: expected UnsupportedLanguage, got {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_tag_is_an_error() {
        for tag in ["", "e n", "english-language-tag-that-is-bad!", "1"] {
            match DateFormatter::new(tag) {
                Err(e @ DateError::InvalidLanguageTag { .. }) => {
                    assert!(e.to_string().contains("invalid language tag"));
                    assert!(std::error::Error::source(&e).is_some());
                }
                other => panic!("{tag:?}: expected InvalidLanguageTag, got {other:?}"),
            }
        }
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        for lang in ["en", "ru", "hy"] {
            let f = fmt(lang);
            for at in [Timestamp::MIN, Timestamp::MAX, Timestamp::UNIX_EPOCH] {
                for zone in [TimeZone::UTC, tz("Asia/Baku"), tz("Pacific/Kiritimati")] {
                    assert!(!f.date_time(at, &zone).is_empty());
                    assert!(!f.date(at, &zone).is_empty());
                }
            }
        }
        assert_eq!(
            fmt("en").date_time(Timestamp::UNIX_EPOCH, &TimeZone::UTC),
            "01 January 1970 00:00"
        );
    }

    #[test]
    fn shared_across_threads() {
        let f = Arc::new(fmt("ru"));
        let baku = tz("Asia/Baku");
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let f = Arc::clone(&f);
                let baku = baku.clone();
                std::thread::spawn(move || f.date_time(ts(SAMPLE), &baku))
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), "01 ноября 2022 15:20");
        }
    }
}
