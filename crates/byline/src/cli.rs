//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "byline",
    version,
    about = "Byline: a multilingual news publishing platform"
)]
pub struct Cli {
    /// Folder with the outlet's data (SQLite file, media). Env: BYLINE_DATA_DIR.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database: empty for the SQLite file in the data dir, or postgres://user@host/db.
    /// Env: BYLINE_DATABASE_URL.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// Configuration file. Env: BYLINE_CONFIG.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "BYLINE_CONFIG",
        default_value = "byline.toml"
    )]
    pub config: PathBuf,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the outlet (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo outlet into an empty store.
    Demo,
    /// Rebuild the search index from the store (stop the server first).
    Reindex,
    /// Copy the whole outlet (database, media, keys) into a new folder, while it serves.
    Backup {
        /// The folder to write (must not exist or be empty).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Bring an outlet back from a `byline backup` folder (stop the server first).
    Restore {
        /// The backup folder.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Replace an outlet that already holds content.
        #[arg(long)]
        force: bool,
    },
    /// Move the outlet from SQLite into an empty PostgreSQL database, verified by counts
    /// and checksums (safe to re-run).
    #[command(name = "migrate-store")]
    MigrateStore {
        /// The SQLite outlet (`sqlite://PATH` or a path; default: the data folder's).
        #[arg(long)]
        from: Option<String>,
        /// The PostgreSQL database (`postgres://…`).
        #[arg(long)]
        to: String,
    },
    /// Manage newsroom accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage Content API keys (read-only, for apps).
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Manage Admin API tokens (write, acting as a newsroom user).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import an archive from another CMS (safe while the outlet serves; a second run
    /// of the same file adds nothing).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Old addresses that answer 301 to their new home.
    #[command(subcommand)]
    Redirects(RedirectsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (WXR, Tools → Export).
    Wordpress(ImportArgs),
    /// A Ghost export (JSON, Settings → Labs → Export).
    Ghost(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The export file.
    pub file: std::path::PathBuf,
    /// The edition of items without a language of their own (default: the outlet's
    /// first edition).
    #[arg(long)]
    pub edition: Option<String>,
    /// Where the old site's uploads are (WordPress's `wp-content/uploads`, Ghost's
    /// `content/images`): pictures are taken from here by their URL path.
    #[arg(long)]
    pub media_dir: Option<std::path::PathBuf>,
    /// Old category slug → section slug, as `old=new,old2=new2`.
    #[arg(long, value_delimiter = ',')]
    pub section_map: Vec<String>,
    /// Read the whole export and report what it holds; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum RedirectsCommand {
    /// Print every redirect as CSV (old path, new path, origin).
    Export,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key; prints it (once) as the last word.
    Create {
        /// What the key is for, e.g. "iOS app".
        #[arg(long)]
        name: String,
    },
    /// Revoke a key by its id (see `list`) or its text; it stops working at once.
    Revoke {
        /// The key's id or the key itself.
        key: String,
    },
    /// List keys (ids, names, whether revoked).
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for the account with this e-mail; prints it (once) as the last word.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        name: String,
    },
    /// Revoke a token by its id; it stops working at once.
    Revoke { id: i64 },
    /// List tokens (ids, owners, names, whether revoked).
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a newsroom account (prints a one-time password when none is given).
    Add(UserAddArgs),
}

#[derive(Debug, clap::Args)]
pub struct UserAddArgs {
    /// The account's e-mail (its login; unique ignoring case).
    #[arg(long)]
    pub email: String,
    /// contributor, author, editor or admin.
    #[arg(long)]
    pub role: byline_core::Role,
    /// The password (at least 10 characters). Without it a one-time password is
    /// generated and printed; change it after the first login.
    #[arg(long)]
    pub password: Option<String>,
    /// The name shown in the newsroom (default: the part of the e-mail before @).
    #[arg(long, default_value = "")]
    pub name: String,
}

#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080. Env: BYLINE_LISTEN.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Start with an empty outlet instead of the demo.
    #[arg(long)]
    pub empty: bool,
}
