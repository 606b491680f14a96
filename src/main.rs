use clap::Parser;

fn main() {
    // SIGPIPE stays ignored (Rust's default): a closed pipe is a write error
    // the command reports as an output error — and intake, which reports each
    // file before committing it, then stores nothing more.
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
