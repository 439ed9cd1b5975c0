use byline_store::StoreError;
use thiserror::Error;

/// What can go wrong in the content service, in terms a web front can map to a status.
#[derive(Debug, Error)]
pub enum ContentError {
    #[error("not found")]
    NotFound,
    /// Input broke a rule; `field` names the form field, `message` says what to fix.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The acting account may not do this (403; the message names nothing it cannot see).
    #[error("not allowed")]
    Forbidden,
    /// A login with an unknown e-mail, a wrong password or a disabled account (one
    /// message for all three, so logins cannot probe which accounts exist).
    #[error("wrong e-mail or password")]
    WrongCredentials,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The article was deleted (by someone else, while the actor had it open): their
    /// text is shown back to them, and an admin can restore the article.
    #[error("the article was deleted; an admin can restore it")]
    Deleted,
    /// A reader asked for an article that was taken down (legal or safety reasons):
    /// 410 Gone, so search engines and apps drop it.
    #[error("this article was removed")]
    TakenDown,
    /// Too many attempts (sign-ins): try again after `retry_after`.
    #[error("too many attempts; try again in {} s", retry_after.as_secs())]
    Throttled { retry_after: std::time::Duration },
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ContentError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ContentError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(what) => Self::Conflict(what.to_owned()),
            StoreError::Unavailable(why) => Self::Unavailable(why),
            StoreError::Other(e) => Self::Internal(e),
        }
    }
}
