use clap::Parser;

fn main() {
    // Die quietly when the reader of our output goes away (`tizilim register export | head`).
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        let _ = nix::sys::signal::signal(
            nix::sys::signal::Signal::SIGPIPE,
            nix::sys::signal::SigHandler::SigDfl,
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
