#![deny(unsafe_code)]

use clap::Parser;

use tizilim::privilege;

/// Gives the register account up for good (see `privilege::forgo`), or stops.
fn forgo() {
    if let Err(m) = privilege::forgo() {
        eprintln!("tizilim: {m}");
        std::process::exit(1);
    }
}

fn main() {
    // Installed set-ID (see `privilege`): act as the login from here on; the
    // register account is taken back only to open the register.
    if let Err(m) = privilege::start() {
        eprintln!("tizilim: {m}");
        std::process::exit(1);
    }
    // Over SSH the client's command arrives in SSH_ORIGINAL_COMMAND; it may
    // only be a tizilim command, split into words without any shell.
    let args = match privilege::command_line() {
        Ok(args) => args,
        Err(m) => {
            forgo();
            eprintln!("tizilim: {m}");
            std::process::exit(1);
        }
    };
    // SIGPIPE stays ignored (Rust's default): a closed pipe is a write error
    // the command reports as an output error — and intake, which reports each
    // file before committing it, then stores nothing more.
    // A file-size limit (`ulimit -f`) is a write error to handle — `init`
    // then removes its half-made file — not a signal that kills mid-write.
    privilege::ignore_sigxfsz();
    let cli = match tizilim::cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help`, `--version`, a usage error: nothing here opens the
            // register, so the account goes before clap prints a word.
            forgo();
            e.exit();
        }
    };
    // A command that never opens the register, or a wrong TIZILIM_LANG (a
    // usage error `run` reports), needs the account no more than `--help`.
    if !cli.opens_register() || tizilim::cli::checked_language(cli.lang).is_err() {
        forgo();
    }
    // Messages in the reader's language (--lang, TIZILIM_LANG, LANG); a wrong
    // TIZILIM_LANG is itself reported, in English.
    let lang = tizilim::cli::language(cli.lang);
    let code = match tizilim::cli::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            // Usage errors read as clap's own do.
            let prefix = match failure.exit {
                tizilim::cli::Exit::Usage => "error",
                _ => "tizilim",
            };
            eprintln!("{prefix}: {}", failure.render(lang));
            failure.code()
        }
    };
    std::process::exit(code);
}
