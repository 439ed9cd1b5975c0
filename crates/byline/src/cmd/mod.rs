//! One module per subcommand.

mod api;
mod backup;
mod import;
mod migrate_store;
mod redirects;
mod reindex;
mod serve;
mod user;

use crate::cli::{Cli, Command, ImportCommand, ServeArgs};
use crate::config::{Config, Overrides};
use crate::outlet;
use anyhow::{Result, bail};

pub async fn run(cli: Cli) -> Result<()> {
    let serve_args = match &cli.command {
        Some(Command::Serve(args)) => Some(args),
        None => None,
        _ => None,
    };
    let overrides = Overrides {
        listen: serve_args.and_then(|a| a.listen.clone()),
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    let config = Config::load(&cli.config, &overrides)?;
    match cli.command {
        None => serve::run(config, ServeArgs::default()).await,
        Some(Command::Serve(args)) => serve::run(config, args).await,
        Some(Command::Migrate) => {
            let backend = outlet::open_store(&config).await?;
            backend.close().await;
            println!("migrations applied to {}", backend.describe(&config));
            Ok(())
        }
        Some(Command::Reindex) => reindex::run(config).await,
        Some(Command::MigrateStore { from, to }) => migrate_store::run(config, from, &to).await,
        Some(Command::Backup { to }) => backup::backup(config, &to).await,
        Some(Command::Restore { from, force }) => backup::restore(config, &from, force).await,
        Some(Command::User(command)) => user::run(config, command).await,
        Some(Command::ApiKey(command)) => api::keys(config, command).await,
        Some(Command::Token(command)) => api::tokens(config, command).await,
        Some(Command::Import(ImportCommand::Wordpress(args))) => {
            import::wordpress(config, args).await
        }
        Some(Command::Import(ImportCommand::Ghost(args))) => import::ghost(config, args).await,
        Some(Command::Redirects(command)) => redirects::run(config, command).await,
        Some(Command::Demo) => {
            let outlet = outlet::open(&config).await?;
            if !outlet::load_demo_if_empty(&config, &outlet).await? {
                bail!(
                    "{} already holds content; the demo outlet loads only into an empty store (use a fresh --data-dir)",
                    outlet.backend.describe(&config)
                );
            }
            outlet.backend.close().await;
            println!("demo outlet loaded into {}", config.data_dir.display());
            Ok(())
        }
    }
}
