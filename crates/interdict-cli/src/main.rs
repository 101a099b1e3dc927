//! `interdict`: a thin command-line front over the list readers and the matching engine.

mod eval;
mod lists;
mod load;
mod sample;
mod screen;
mod screen_file;
mod serve;
mod store_cmd;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "interdict",
    version,
    about = "Sanctions and restricted-party screening"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: store_cmd::StoreOpts,
}

#[derive(Subcommand)]
enum Command {
    /// Read, inspect, export and update official sanctions lists.
    #[command(subcommand)]
    Lists(lists::ListsCommand),
    /// Screen one name against lists (the bundled sample list by default).
    Screen(screen::ScreenArgs),
    /// Run a labelled effectiveness corpus and print a per-class scorecard.
    Eval(eval::EvalArgs),
    /// Screen a CSV or JSON-lines file of customers, writing one row per match.
    ScreenFile(screen_file::ScreenFileArgs),
    /// Serve the HTTP screening API (native /v1 routes and yente-compatible routes).
    Serve(serve::ServeArgs),
    /// Import the monitored customer base (subjects).
    #[command(subcommand)]
    Subjects(store_cmd::SubjectsCommand),
    /// Ongoing monitoring: rescreen customers when lists or customers change.
    #[command(subcommand)]
    Monitor(store_cmd::MonitorCommand),
    /// List alerts and record decisions on them.
    #[command(subcommand)]
    Alerts(store_cmd::AlertsCommand),
    /// Verify or export the tamper-evident audit log.
    #[command(subcommand)]
    Audit(store_cmd::AuditCommand),
    /// Stored list versions, and screening as of a past date.
    #[command(subcommand)]
    History(store_cmd::HistoryCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    store_cmd::set_options(cli.store.clone());
    let result = match cli.command {
        Command::Lists(cmd) => lists::run(cmd),
        Command::Screen(args) => screen::run(args),
        Command::Eval(args) => eval::run(args),
        Command::ScreenFile(args) => screen_file::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Subjects(cmd) => store_cmd::subjects(cmd),
        Command::Monitor(cmd) => store_cmd::monitor(cmd),
        Command::Alerts(cmd) => store_cmd::alerts(cmd),
        Command::Audit(cmd) => store_cmd::audit(cmd),
        Command::History(cmd) => store_cmd::history(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
