//! `interdict lists …` (in progress)
use clap::Subcommand;
#[derive(Subcommand)]
pub enum ListsCommand {}
pub fn run(cmd: ListsCommand) -> anyhow::Result<std::process::ExitCode> {
    match cmd {}
}
