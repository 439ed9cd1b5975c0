//! `byline user add`: newsroom accounts from the command line (the first admin).
//!
//! Opens only the store, not the content service: a server may be running on the same
//! data folder and holds the search index.

use crate::cli::UserCommand;
use crate::config::Config;
use crate::outlet;
use anyhow::{Result, bail};
use byline_content::ContentError;
use byline_content::accounts::{self, UserInput};

pub async fn run(config: Config, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add(args) => {
            let backend = outlet::open_store(&config).await?;
            let store = backend.store();
            let created = accounts::create_user(
                store.as_ref(),
                UserInput {
                    email: args.email.clone(),
                    display_name: args.name,
                    role: args.role,
                    password: args.password,
                },
            )
            .await;
            let created = match created {
                Ok(c) => c,
                Err(ContentError::Invalid { message, .. }) => {
                    backend.close().await;
                    bail!("cannot add {}: {message}", args.email.trim())
                }
                Err(e) => {
                    backend.close().await;
                    return Err(e.into());
                }
            };
            accounts::audit(
                store.as_ref(),
                None,
                "user_created",
                "user",
                created.id.0,
                format!("{} as {} (command line)", args.email.trim(), args.role),
            )
            .await?;
            backend.close().await;
            println!("added {} ({})", args.email.trim(), args.role);
            if let Some(password) = created.generated_password {
                println!("one-time password: {password}");
                println!("log in at /newsroom/login and change it under \"Password\".");
            }
            Ok(())
        }
    }
}
