//! Page numbers from query strings: garbage is refused with a message, huge
//! numbers are clamped, so `?page=10^12` can never turn into an overflowing offset.

use serde::{Deserialize, Serialize};

/// No list is ever paged further than this; past it the page is simply empty.
pub const MAX_PAGE: u32 = 100_000;

/// A 1-based page number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageNumber(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("page must be a whole number from 1 upwards, not {0:?}")]
pub struct PageNumberError(pub String);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(1);

    /// Parses the `page` query parameter. Absent means page 1.
    pub fn parse(raw: Option<&str>) -> Result<Self, PageNumberError> {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(Self::FIRST);
        };
        if !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PageNumberError(raw.chars().take(40).collect()));
        }
        // Digits only: anything too long for u64 is certainly past MAX_PAGE.
        let n = raw.parse::<u64>().unwrap_or(u64::MAX);
        if n == 0 {
            return Err(PageNumberError(raw.to_owned()));
        }
        Ok(Self(n.min(u64::from(MAX_PAGE)) as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn new(n: u32) -> Self {
        Self(n.clamp(1, MAX_PAGE))
    }
}

/// A page of a list: which page and how many per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: PageNumber,
    pub per_page: u32,
}

impl PageRequest {
    pub fn new(page: PageNumber, per_page: u32) -> Self {
        Self { page, per_page }
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page.get() - 1) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// Number of pages for `total` items (at least 1, so "page 1 of 1" reads right on an empty list).
    pub fn pages_for(self, total: u64) -> u32 {
        let per = u64::from(self.per_page.max(1));
        (total.div_ceil(per)).clamp(1, u64::from(MAX_PAGE)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_clamps() {
        assert_eq!(PageNumber::parse(None).unwrap().get(), 1);
        assert_eq!(PageNumber::parse(Some("3")).unwrap().get(), 3);
        assert_eq!(
            PageNumber::parse(Some("1000000000000")).unwrap().get(),
            MAX_PAGE
        );
        assert_eq!(
            PageNumber::parse(Some("99999999999999999999999"))
                .unwrap()
                .get(),
            MAX_PAGE
        );
        assert!(PageNumber::parse(Some("-1")).is_err());
        assert!(PageNumber::parse(Some("abc")).is_err());
        assert!(PageNumber::parse(Some("0")).is_err());
        assert!(PageNumber::parse(Some("1.5")).is_err());
    }

    #[test]
    fn offsets_and_pages() {
        let r = PageRequest::new(PageNumber::new(3), 10);
        assert_eq!(r.offset(), 20);
        assert_eq!(r.pages_for(0), 1);
        assert_eq!(r.pages_for(21), 3);
    }
}
