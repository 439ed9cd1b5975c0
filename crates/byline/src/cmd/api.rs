//! `byline api-key` and `byline token`: API credentials from the command line.
//!
//! Like `byline user`, opens only the store (a server may be running on the same data).
//! A made key or token is printed once, as the last word of the output.

use crate::cli::{ApiKeyCommand, TokenCommand};
use crate::config::Config;
use crate::outlet;
use anyhow::{Result, bail};
use byline_content::ContentError;
use byline_content::api_access;
use byline_store::Store;

pub async fn keys(config: Config, command: ApiKeyCommand) -> Result<()> {
    let backend = outlet::open_store(&config).await?;
    let result = run_keys(backend.store().as_ref(), command).await;
    backend.close().await;
    result
}

async fn run_keys(store: &dyn Store, command: ApiKeyCommand) -> Result<()> {
    match command {
        ApiKeyCommand::Create { name } => {
            let made = api_access::create_api_key(store, None, &name)
                .await
                .map_err(explain)?;
            println!("API key {} for {:?}: {}", made.id, name.trim(), made.text);
        }
        ApiKeyCommand::Revoke { key } => {
            let id = match key.parse::<i64>() {
                Ok(id) => id,
                Err(_) => match store
                    .api_key(&byline_content::accounts::token_hash(&key))
                    .await
                {
                    Ok(found) => found.id,
                    Err(_) => bail!("no live API key {key:?}"),
                },
            };
            api_access::revoke_api_key(store, None, id)
                .await
                .map_err(|e| match e {
                    ContentError::NotFound => anyhow::anyhow!("no live API key with id {id}"),
                    other => other.into(),
                })?;
            println!("API key {id} revoked");
        }
        ApiKeyCommand::List => {
            for key in store.api_keys().await? {
                let state = if key.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                println!("{}\t{state}\t{}\t{}", key.id, key.created_at, key.name);
            }
        }
    }
    Ok(())
}

pub async fn tokens(config: Config, command: TokenCommand) -> Result<()> {
    let backend = outlet::open_store(&config).await?;
    let result = run_tokens(backend.store().as_ref(), command).await;
    backend.close().await;
    result
}

async fn run_tokens(store: &dyn Store, command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create { email, name } => {
            let user = match store.credentials(&email).await {
                Ok(found) => found.user,
                Err(byline_store::StoreError::NotFound) => {
                    bail!("no account with the e-mail {:?}", email.trim())
                }
                Err(e) => return Err(e.into()),
            };
            if user.disabled {
                bail!("the account {} is disabled", user.email);
            }
            let made = api_access::create_api_token(store, None, user.id, &name)
                .await
                .map_err(explain)?;
            println!(
                "Admin API token {} for {} ({}): {}",
                made.id, user.email, user.role, made.text
            );
        }
        TokenCommand::Revoke { id } => {
            api_access::revoke_api_token(store, None, id)
                .await
                .map_err(|e| match e {
                    ContentError::NotFound => anyhow::anyhow!("no live token with id {id}"),
                    other => other.into(),
                })?;
            println!("token {id} revoked");
        }
        TokenCommand::List => {
            for token in store.api_tokens(None).await? {
                let state = if token.revoked_at.is_some() {
                    "revoked"
                } else {
                    "live"
                };
                println!(
                    "{}\t{state}\tuser {}\t{}",
                    token.id, token.user.0, token.name
                );
            }
        }
    }
    Ok(())
}

fn explain(e: ContentError) -> anyhow::Error {
    match e {
        ContentError::Invalid { message, .. } => anyhow::anyhow!(message),
        other => other.into(),
    }
}
