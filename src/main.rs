#![deny(unsafe_code)]

use clap::Parser;

use tizilim::privilege;

/// mimalloc for the program's allocations (issue 18): `audit verify`
/// allocates on one thread what another frees, millions of times, where
/// the system allocator spent a fifth of the replay's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives the register account up for good (see `privilege::forgo`), or stops.
fn forgo() {
    if let Err(m) = privilege::forgo() {
        refuse(&m);
    }
}

/// Stops with the privilege layer's refusal, before the command line is
/// read: in the language of `TIZILIM_LANG` or `LANG` (English by default).
fn refuse(m: &privilege::PrivilegeError) -> ! {
    let tr = tizilim::i18n::Tr::new(tizilim::cli::language(None));
    eprintln!(
        "tizilim: {}",
        tizilim::store::reason::privilege(m).render(&tr)
    );
    std::process::exit(1);
}

/// Ends with clap's answer. Help and the version are clap's own words and
/// print as clap prints them; a usage error quotes what was typed (`invalid
/// value '…'`, `unrecognized subcommand '…'`), so it is printed inert like
/// every other argument a failure names: the error is made again by the
/// command without colours (so the only escapes left are the typed ones),
/// and controls and invisible characters become U+FFFD, line by line.
fn usage(e: clap::Error, args: Vec<std::ffi::OsString>) -> ! {
    use clap::CommandFactory;
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let text = match tizilim::cli::Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches_from(args)
    {
        Err(plain) => plain.render().ansi().to_string(),
        Ok(_) => e.render().to_string(),
    };
    let inert: Vec<String> = text
        .split('\n')
        .map(|line| tizilim::rules::text::for_terminal(line, 1 << 16))
        .collect();
    eprint!("{}", inert.join("\n"));
    std::process::exit(e.exit_code());
}

fn main() {
    // Installed set-ID (see `privilege`): act as the login from here on; the
    // register account is taken back only to open the register.
    if let Err(m) = privilege::start() {
        refuse(&m);
    }
    // Over SSH the client's command arrives in SSH_ORIGINAL_COMMAND; it may
    // only be a tizilim command, split into words without any shell.
    let args = match privilege::command_line() {
        Ok(args) => args,
        Err(m) => {
            forgo();
            refuse(&m);
        }
    };
    // SIGPIPE stays ignored (Rust's default): a closed pipe is a write error
    // the command reports as an output error — and intake, which reports each
    // file before committing it, then stores nothing more.
    // A file-size limit (`ulimit -f`) is a write error to handle — `init`
    // then removes its half-made file — not a signal that kills mid-write.
    privilege::ignore_sigxfsz();
    let cli = match tizilim::cli::Cli::try_parse_from(args.clone()) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help`, `--version`, a usage error: nothing here opens the
            // register, so the account goes before clap prints a word.
            forgo();
            usage(e, args);
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
