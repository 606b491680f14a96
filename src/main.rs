use clap::Parser;

fn main() {
    // Installed set-ID (see `privilege`): act as the login from here on; the
    // register account is taken back only to open the register.
    if let Err(m) = tizilim::privilege::start() {
        eprintln!("tizilim: {m}");
        std::process::exit(1);
    }
    // Over SSH the client's command arrives in SSH_ORIGINAL_COMMAND; it may
    // only be a tizilim command, split into words without any shell.
    let args = match tizilim::privilege::command_line() {
        Ok(args) => args,
        Err(m) => {
            eprintln!("tizilim: {m}");
            std::process::exit(1);
        }
    };
    // SIGPIPE stays ignored (Rust's default): a closed pipe is a write error
    // the command reports as an output error — and intake, which reports each
    // file before committing it, then stores nothing more.
    // A file-size limit (`ulimit -f`) is a write error to handle — `init`
    // then removes its half-made file — not a signal that kills mid-write.
    // SAFETY: ignoring SIGXFSZ before any thread starts.
    unsafe {
        let _ = nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGXFSZ,
            nix::sys::signal::SigHandler::SigIgn,
        );
    }
    let cli = tizilim::cli::Cli::parse_from(args);
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
