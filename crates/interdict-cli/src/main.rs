//! `interdict`: a thin command-line front over the list readers and the matching engine.

mod eval;
mod lists;
mod load;
mod sample;
mod screen;
mod screen_file;
mod serve;

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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lists(cmd) => lists::run(cmd),
        Command::Screen(args) => screen::run(args),
        Command::Eval(args) => eval::run(args),
        Command::ScreenFile(args) => screen_file::run(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
