//! The time the content service goes by. Real time in production; tests inject a
//! clock they move by hand, so scheduled publishing is tested without sleeping until
//! a real moment arrives.

use jiff::{SignedDuration, Timestamp};
use std::fmt;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Mutex<Timestamp>>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands at `start` until moved with [`set`](Self::set) or
    /// [`advance`](Self::advance). Clones share the time.
    pub fn manual(start: Timestamp) -> Self {
        Self(Some(Arc::new(Mutex::new(start))))
    }

    pub fn now(&self) -> Timestamp {
        match &self.0 {
            None => Timestamp::now(),
            Some(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a manual clock (no effect on the system clock).
    pub fn set(&self, to: Timestamp) {
        if let Some(t) = &self.0 {
            *t.lock().unwrap_or_else(|p| p.into_inner()) = to;
        }
    }

    pub fn advance(&self, by: SignedDuration) {
        if let Some(t) = &self.0 {
            let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
            *t = t.checked_add(by).unwrap_or(*t);
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Clock::system"),
            Some(_) => write!(f, "Clock::manual({})", self.now()),
        }
    }
}
