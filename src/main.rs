use clap::Parser;

fn main() {
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
    let cli = tizilim::cli::Cli::parse();
    let code = match tizilim::cli::run(cli) {
        Ok(code) => code,
        Err(tizilim::cli::Failure(message)) => {
            eprintln!("tizilim: {message}");
            1
        }
    };
    std::process::exit(code);
}
