//! `interdict`: a thin command-line front over the list readers and the matching engine.

mod eval;
mod lists;
mod load;
mod sample;
mod screen;

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
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lists(cmd) => lists::run(cmd),
        Command::Screen(args) => screen::run(args),
        Command::Eval(args) => eval::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
