//! Rebuilds the binary when a migration changes: `sqlx::migrate!` embeds `migrations/` at compile
//! time, and cargo does not watch that folder by itself, so without this an incremental build
//! keeps serving the old schema (a new index silently missing).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
