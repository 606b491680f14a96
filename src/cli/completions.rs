//! `tizilim completions bash|zsh|fish` and `tizilim man`: the shell
//! completion scripts and the manual page, generated from the very clap
//! definition the program parses (so they never drift from it). Neither opens
//! the register. The Debian package ships both (`scripts/gen-man-completions.sh`).

use std::io::Write;

use clap::{CommandFactory, ValueEnum};

use super::{Cli, Outcome};

/// The shells a completion script is made for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// The completion script for `shell`, on `out`.
pub fn completions(shell: Shell, out: &mut impl Write) -> Outcome {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    // Made in memory first: clap_complete panics on a failed write, and a
    // closed pipe is an output error to report, not a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "tizilim", &mut script);
    out.write_all(&script)?;
    Ok(0)
}

/// The manual page `tizilim.1` (roff), on `out`: `tizilim man | man -l -`.
pub fn man(out: &mut impl Write) -> Outcome {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    out.write_all(&page)?;
    Ok(0)
}
