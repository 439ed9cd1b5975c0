//! `byline_search_bench gen` makes a corpus in a data folder; `byline_search_bench
//! measure` runs the query set against a running Byline and the LIKE reference.
//! `bench/search/run` drives both (see bench/search/README.md).

mod corpus;
mod http;
mod measure;
mod rng;
mod words;

use byline_store::SqliteStore;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates N articles into the store in DATA_DIR (which must be empty).
    Gen {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        articles: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Runs the query set against a running server and the LIKE reference; prints a
    /// Markdown table.
    Measure {
        /// host:port of the running Byline.
        #[arg(long)]
        addr: String,
        #[arg(long)]
        data_dir: PathBuf,
        /// Distinct queries per class.
        #[arg(long, default_value_t = 50)]
        queries: usize,
        /// Timed passes over them.
        #[arg(long, default_value_t = 4)]
        rounds: usize,
        /// Queries per class for the (slow) LIKE reference.
        #[arg(long, default_value_t = 10)]
        like_samples: usize,
    },
}

fn ms(d: std::time::Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Gen {
            data_dir,
            articles,
            seed,
        } => {
            std::fs::create_dir_all(&data_dir)?;
            let store = SqliteStore::open(&data_dir.join("byline.db")).await?;
            store.migrate().await?;
            anyhow::ensure!(
                byline_store::TaxonomyStore::is_empty(&store).await?,
                "{} already holds an outlet",
                data_dir.display()
            );
            corpus::generate(&store, articles, seed).await?;
            store.close().await;
        }
        Command::Measure {
            addr,
            data_dir,
            queries,
            rounds,
            like_samples,
        } => {
            let set = measure::query_set(queries, 7);
            println!(
                "| query class | requests | p50 ms | p95 ms | p99 ms | LIKE queries | LIKE p50 ms | LIKE p95 ms | LIKE ÷ Byline (p50) |"
            );
            println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (class, qs) in &set {
                let addr = addr.clone();
                let owned = qs.clone();
                let ours =
                    tokio::task::spawn_blocking(move || measure::http(&addr, &owned, rounds))
                        .await??;
                let sample: Vec<_> = qs.iter().take(like_samples).cloned().collect();
                let naive = measure::like(&data_dir.join("byline.db"), &sample).await?;
                let ratio = naive.p50.as_secs_f64() / ours.p50.as_secs_f64().max(1e-9);
                println!(
                    "| {class} | {} | {} | {} | {} | {} | {} | {} | {:.0}× |",
                    ours.n,
                    ms(ours.p50),
                    ms(ours.p95),
                    ms(ours.p99),
                    naive.n,
                    ms(naive.p50),
                    ms(naive.p95),
                    ratio
                );
            }
        }
    }
    Ok(())
}
