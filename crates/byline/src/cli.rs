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
