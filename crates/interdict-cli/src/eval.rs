//! `interdict eval` (in progress)
#[derive(clap::Args)]
pub struct EvalArgs {}
pub fn run(_args: EvalArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("not implemented yet")
}
