//! `sqlx::migrate!` embeds the migration directories when the crate compiles; without
//! this, a new migration file would not rebuild it, and a server built incrementally would
//! start without the migration.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
