//! `interdict screen` (in progress)
#[derive(clap::Args)]
pub struct ScreenArgs {}
pub fn run(_args: ScreenArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("not implemented yet")
}
