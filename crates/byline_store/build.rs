// `sqlx::migrate!` embeds the migration files at compile time, but cargo does not
// know it reads them: without this, a new migration file is silently left out of an
// incremental build.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
