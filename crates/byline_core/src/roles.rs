//! Newsroom roles and the permission matrix.
//!
//! One pure function, [`allowed`], decides every newsroom permission; the web front and
//! the content service both ask it, and `docs/PERMISSIONS.md` is checked against it by a
//! unit test so the written matrix and the code cannot drift apart.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a newsroom account may do, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Writes drafts and submits them for review.
    Contributor,
    /// Also publishes and corrects own articles.
    Author,
    /// Edits, publishes, unpublishes and schedules anyone's; manages sections and tags.
    Editor,
    /// Also manages users and site settings and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Contributor, Role::Author, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected contributor, author, editor or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Everything the newsroom guards. Article actions depend on whether the acting user
/// owns the article; the others ignore ownership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    CreateDraft,
    SubmitForReview,
    /// Changing an article that is not live (draft, in review, scheduled, unpublished).
    Edit,
    /// Changing a published article: readers see "Updated …".
    Correct,
    Publish,
    Schedule,
    Unpublish,
    Delete,
    UndoDelete,
    /// Appending a public correction, update or clarification note to a published
    /// article.
    AddCorrection,
    /// Removing a published article from the site for legal or safety reasons.
    TakeDown,
    /// Putting a taken-down article back on the site.
    Reinstate,
    /// Raising and ending breaking-news alerts (the banner over every page).
    ManageAlerts,
    ManageSectionsAndTags,
    /// Writing, publishing and ordering the static pages (About, Contacts, …).
    ManagePages,
    /// Changing a library picture's words and focal point, and deleting it; "own" is
    /// a picture the user uploaded.
    ManageMedia,
    ManageUsers,
    ManageSettings,
    ReadAuditLog,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::CreateDraft,
        Action::SubmitForReview,
        Action::Edit,
        Action::Correct,
        Action::Publish,
        Action::Schedule,
        Action::Unpublish,
        Action::Delete,
        Action::UndoDelete,
        Action::AddCorrection,
        Action::TakeDown,
        Action::Reinstate,
        Action::ManageAlerts,
        Action::ManageSectionsAndTags,
        Action::ManagePages,
        Action::ManageMedia,
        Action::ManageUsers,
        Action::ManageSettings,
        Action::ReadAuditLog,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::CreateDraft => "create_draft",
            Action::SubmitForReview => "submit_for_review",
            Action::Edit => "edit",
            Action::Correct => "correct",
            Action::Publish => "publish",
            Action::Schedule => "schedule",
            Action::Unpublish => "unpublish",
            Action::Delete => "delete",
            Action::UndoDelete => "undo_delete",
            Action::AddCorrection => "add_correction",
            Action::TakeDown => "take_down",
            Action::Reinstate => "reinstate",
            Action::ManageAlerts => "manage_alerts",
            Action::ManageSectionsAndTags => "manage_sections_and_tags",
            Action::ManagePages => "manage_pages",
            Action::ManageMedia => "manage_media",
            Action::ManageUsers => "manage_users",
            Action::ManageSettings => "manage_settings",
            Action::ReadAuditLog => "read_audit_log",
        }
    }

    /// Whether the answer depends on owning what the action is about (an article; for
    /// `ManageMedia`, a picture).
    pub fn concerns_an_article(self) -> bool {
        matches!(
            self,
            Action::SubmitForReview
                | Action::Edit
                | Action::Correct
                | Action::Publish
                | Action::Schedule
                | Action::Unpublish
                | Action::Delete
                | Action::AddCorrection
                | Action::ManageMedia
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the acting user owns the article the action is about (ignored for actions
/// that are not about one article).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    Own,
    Others,
}

/// The permission matrix. `docs/PERMISSIONS.md` is the same table in words.
pub fn allowed(role: Role, action: Action, ownership: Ownership) -> bool {
    use Action::*;
    use Role::*;
    let own = ownership == Ownership::Own;
    match action {
        CreateDraft => true,
        // Anyone hands in their own work; editors move anyone's along.
        SubmitForReview | Edit | ManageMedia => own || role >= Editor,
        // Touching what readers see, or deciding when they see it, starts at author
        // (own articles) and editor (anyone's).
        // A public correction note is a correction: whoever may correct the article.
        Correct | Publish | Schedule | Delete | AddCorrection => {
            (own && role >= Author) || role >= Editor
        }
        // Taking a story off the site is an editorial decision, even for its author.
        // A takedown is a legal decision: editors make it; undoing it is an admin's.
        Unpublish | TakeDown | ManageAlerts | ManageSectionsAndTags | ManagePages => role >= Editor,
        UndoDelete | Reinstate | ManageUsers | ManageSettings | ReadAuditLog => role == Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doc's table, parsed: (action, ownership or None, [contributor, author, editor, admin]).
    fn doc_rows() -> Vec<(String, Option<Ownership>, [bool; 4])> {
        let doc = include_str!("../../../docs/PERMISSIONS.md");
        let mut rows = Vec::new();
        for line in doc.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 6, "matrix row with 6 cells: {line}");
            let action = cells[0].trim_matches('`').to_owned();
            let ownership = match cells[1] {
                "own" => Some(Ownership::Own),
                "others'" => Some(Ownership::Others),
                "—" => None,
                other => panic!("unknown ownership cell {other:?} in {line}"),
            };
            let mut answers = [false; 4];
            for (i, cell) in cells[2..].iter().enumerate() {
                answers[i] = match *cell {
                    "yes" => true,
                    "no" => false,
                    other => panic!("cell {other:?} is neither yes nor no in {line}"),
                };
            }
            rows.push((action, ownership, answers));
        }
        rows
    }

    #[test]
    fn the_written_matrix_is_the_code() {
        let rows = doc_rows();
        let mut expected = Vec::new();
        for action in Action::ALL {
            let ownerships: Vec<Option<Ownership>> = if action.concerns_an_article() {
                vec![Some(Ownership::Own), Some(Ownership::Others)]
            } else {
                vec![None]
            };
            for o in ownerships {
                let answers = Role::ALL.map(|r| allowed(r, action, o.unwrap_or(Ownership::Own)));
                expected.push((action.as_str().to_owned(), o, answers));
            }
        }
        assert_eq!(
            rows, expected,
            "docs/PERMISSIONS.md and roles::allowed disagree"
        );
    }

    #[test]
    fn ownership_matters_only_for_article_actions() {
        for action in Action::ALL.into_iter().filter(|a| !a.concerns_an_article()) {
            for role in Role::ALL {
                assert_eq!(
                    allowed(role, action, Ownership::Own),
                    allowed(role, action, Ownership::Others)
                );
            }
        }
    }

    #[test]
    fn roles_parse() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("owner".parse::<Role>().is_err());
    }
}
