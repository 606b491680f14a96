//! Where the register is: `--db` / `TIZILIM_DB` names an SQLite file (as
//! always) or a PostgreSQL database by a `postgresql://` URL in libpq's
//! syntax, several hosts allowed, so that with `target_session_attrs=read-write`
//! a promoted standby is found. Anything that looks like another URL is
//! refused: `postgresql:` alone once silently made a folder of that name.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use super::super::reason::Problem;
use super::super::{Error, Result};

/// A register's place.
#[derive(Debug, Clone)]
pub enum Locator {
    File(PathBuf),
    Postgres(Box<PgUrl>),
}

/// A parsed `postgresql://` URL. Shown without its password.
#[derive(Debug, Clone)]
pub struct PgUrl {
    config: postgres::Config,
    shown: String,
}

/// How long a connection attempt to one host waits, unless the URL says
/// (`connect_timeout`): a clerk is told, not left hanging.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Every statement planned for its arguments (PostgreSQL 12 and later).
const CUSTOM_PLANS: &str = "-c plan_cache_mode=force_custom_plan";
/// How long sent data may go unacknowledged before the connection is
/// given up (`tcp_user_timeout`).
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(15);
/// The client library's own default idle time before a keepalive (two
/// hours): a URL that leaves it gets [`KEEPALIVES_IDLE`].
const DEFAULT_KEEPALIVES_IDLE: Duration = Duration::from_secs(2 * 60 * 60);
/// Keepalives: first after 10 s idle, then every 3 s, 3 unanswered close
/// the connection (about 19 s after the server is gone).
const KEEPALIVES_IDLE: Duration = Duration::from_secs(10);
const KEEPALIVES_INTERVAL: Duration = Duration::from_secs(3);
const KEEPALIVES_RETRIES: u32 = 3;

impl Locator {
    /// `--db`'s value as given.
    pub fn parse(given: &OsStr) -> Result<Locator> {
        let Some(s) = given.to_str() else {
            // Not UTF-8: only a file name can be that.
            return Ok(Locator::File(PathBuf::from(given)));
        };
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("postgresql://") || lower.starts_with("postgres://") {
            return PgUrl::parse(s).map(|u| Locator::Postgres(Box::new(u)));
        }
        if scheme_of(s).is_some() {
            return Err(Error::invalid(
                "--db",
                Problem::NotALocator {
                    given: crate::rules::text::for_terminal(s, 120),
                },
            ));
        }
        Ok(Locator::File(PathBuf::from(given)))
    }

    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Locator::File(p) => Some(p),
            Locator::Postgres(_) => None,
        }
    }
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Locator::File(p) => write!(f, "{}", p.display()),
            Locator::Postgres(u) => write!(f, "{u}"),
        }
    }
}

impl std::fmt::Display for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// `mysql://…`, `sqlite:x`, `postgresql:` — a URL scheme at the start (letters,
/// digits, `+ . -`, then `:`), which no register file name has.
fn scheme_of(s: &str) -> Option<String> {
    let (head, _) = s.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && head.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
    .then(|| head.to_ascii_lowercase())
}

/// libpq's `sslmode=verify-full` and `verify-ca` as this client spells them:
/// `require`, which here checks the server's chain and its host name
/// (`connect`), so `verify-full` is met and `verify-ca` exceeded. A URL
/// written for psql works as it is. Only the `sslmode` setting is touched.
fn verified_as_required(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("sslmode=") {
        let (head, tail) = rest.split_at(at + "sslmode=".len());
        out.push_str(head);
        let end = tail
            .find(|c: char| c == '&' || c.is_whitespace())
            .unwrap_or(tail.len());
        match &tail[..end] {
            "verify-full" | "verify-ca" => out.push_str("require"),
            other => out.push_str(other),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

impl PgUrl {
    pub fn parse(s: &str) -> Result<PgUrl> {
        let s = verified_as_required(s);
        let mut config = postgres::Config::from_str(&s).map_err(|e| {
            Error::invalid(
                "--db",
                Problem::PgUrl {
                    detail: crate::rules::text::for_terminal(&e.to_string(), 200),
                },
            )
        })?;
        if config.get_hosts().is_empty() {
            return Err(Error::invalid(
                "--db",
                Problem::PgUrl {
                    detail: "the URL names no host".into(),
                },
            ));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        // A server that vanishes (a fail-over, a cut link) is noticed in
        // seconds, not after the system's two-hour keepalive or quarter-hour
        // of retransmissions: an idle console's connection by keepalives,
        // one waiting on an answer by the TCP user timeout (unless the URL
        // sets them).
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(TCP_USER_TIMEOUT);
        }
        if config.get_keepalives_idle() == DEFAULT_KEEPALIVES_IDLE {
            config.keepalives_idle(KEEPALIVES_IDLE);
            if config.get_keepalives_interval().is_none() {
                config.keepalives_interval(KEEPALIVES_INTERVAL);
            }
            if config.get_keepalives_retries().is_none() {
                config.keepalives_retries(KEEPALIVES_RETRIES);
            }
        }
        // Statements are prepared once a connection (`sql::Pg`); each is
        // still planned for its arguments every time, as an unprepared one
        // is: a generic plan cannot use a partial index whose condition the
        // arguments decide, and one made while a table was small (the
        // demo's first batch) keeps scanning it once it is large.
        let options = match config.get_options() {
            Some(o) if o.contains("plan_cache_mode") => o.to_owned(),
            Some(o) => format!("{o} {CUSTOM_PLANS}"),
            None => CUSTOM_PLANS.to_owned(),
        };
        config.options(&options);
        if config.get_application_name().is_none() {
            config.application_name("tizilim");
        }
        let shown = show(&config);
        Ok(PgUrl { config, shown })
    }

    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    /// Connects: TLS unless the URL says `sslmode=disable`, the server's
    /// certificate checked against the system's CAs or `PGSSLROOTCERT` (as
    /// libpq does).
    pub fn connect(&self) -> Result<postgres::Client> {
        use postgres::config::SslMode;
        let client = if self.config.get_ssl_mode() == SslMode::Disable {
            self.config.connect(postgres::NoTls)
        } else {
            self.config.connect(tls()?)
        };
        client.map_err(|e| Error::Postgres(format!("{}: {}", self.shown, super::describe(&e))))
    }
}

fn tls() -> Result<postgres_openssl::MakeTlsConnector> {
    use openssl::ssl::{SslConnector, SslMethod};
    let problem = |detail: String| {
        Error::invalid(
            "PGSSLROOTCERT",
            Problem::PgUrl {
                detail: crate::rules::text::for_terminal(&detail, 200),
            },
        )
    };
    let mut b = SslConnector::builder(SslMethod::tls()).map_err(|e| problem(e.to_string()))?;
    if let Some(ca) = std::env::var_os("PGSSLROOTCERT").filter(|v| !v.is_empty()) {
        b.set_ca_file(&ca)
            .map_err(|e| problem(format!("{}: {e}", PathBuf::from(&ca).display())))?;
    }
    Ok(postgres_openssl::MakeTlsConnector::new(b.build()))
}

/// The URL's hosts in its order, each with its port (a single port given
/// serves every host; none: the server's default).
pub fn hosts(c: &postgres::Config) -> Vec<(String, Option<u16>)> {
    let ports = c.get_ports();
    c.get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            let port = ports.get(i).or(if ports.len() == 1 {
                ports.first()
            } else {
                None
            });
            (host, port.copied())
        })
        .collect()
}

/// The URL as shown to people and logs: hosts, ports, user and database,
/// never the password.
fn show(c: &postgres::Config) -> String {
    let hosts: Vec<String> = hosts(c)
        .into_iter()
        .map(|(host, port)| match port {
            Some(p) => format!("{host}:{p}"),
            None => host,
        })
        .collect();
    let user = c.get_user().map(|u| format!("{u}@")).unwrap_or_default();
    let db = c.get_dbname().unwrap_or("");
    crate::rules::text::for_terminal(&format!("postgresql://{user}{}/{db}", hosts.join(",")), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Locator> {
        Locator::parse(OsStr::new(s))
    }

    #[test]
    fn a_file_name_is_a_file() {
        for s in [
            "register.sqlite",
            "/var/lib/tizilim/register.sqlite",
            "./a:b.sqlite",
            "C",
        ] {
            assert!(matches!(parse(s), Ok(Locator::File(_))), "{s}");
        }
    }

    #[test]
    fn libpq_verify_modes_are_required_tls() {
        use postgres::config::SslMode;
        for s in [
            "postgresql://t@db1/register?sslmode=verify-full",
            "postgresql://t@db1/register?target_session_attrs=read-write&sslmode=verify-ca&connect_timeout=3",
            "host=db1 dbname=register sslmode=verify-full",
        ] {
            let u = PgUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(u.config().get_ssl_mode(), SslMode::Require, "{s}");
        }
        let u = PgUrl::parse("postgresql://t@db1/register?sslmode=disable").unwrap();
        assert_eq!(u.config().get_ssl_mode(), SslMode::Disable);
        assert!(PgUrl::parse("postgresql://t@db1/register?sslmode=verify-fully").is_err());
    }

    #[test]
    fn statements_are_planned_for_their_arguments_and_dead_servers_noticed() {
        let u = PgUrl::parse("postgresql://t@db1/register").unwrap();
        let c = u.config();
        assert_eq!(c.get_options(), Some(CUSTOM_PLANS));
        assert_eq!(c.get_tcp_user_timeout(), Some(&TCP_USER_TIMEOUT));
        assert_eq!(c.get_keepalives_idle(), KEEPALIVES_IDLE);
        // What the URL says is kept.
        let u = PgUrl::parse(
            "postgresql://t@db1/register?options=-c%20statement_timeout%3D5s&keepalives_idle=60&tcp_user_timeout=30",
        )
        .unwrap();
        let c = u.config();
        assert_eq!(
            c.get_options(),
            Some("-c statement_timeout=5s -c plan_cache_mode=force_custom_plan")
        );
        assert_eq!(c.get_keepalives_idle(), Duration::from_secs(60));
        assert_eq!(c.get_tcp_user_timeout(), Some(&Duration::from_secs(30)));
        let u = PgUrl::parse("host=db1 options='-c plan_cache_mode=auto'").unwrap();
        assert_eq!(u.config().get_options(), Some("-c plan_cache_mode=auto"));
    }

    #[test]
    fn a_postgresql_url_is_parsed_and_shown_without_its_password() {
        let l = parse(
            "postgresql://tizilim:s3cret@db1:5432,db2:5433/register?target_session_attrs=read-write&sslmode=disable",
        )
        .unwrap();
        let Locator::Postgres(u) = &l else {
            panic!("not a URL: {l:?}")
        };
        assert_eq!(u.config().get_hosts().len(), 2);
        let shown = l.to_string();
        assert_eq!(shown, "postgresql://tizilim@db1:5432,db2:5433/register");
        assert!(!shown.contains("s3cret"));
    }

    #[test]
    fn another_scheme_is_refused_by_name() {
        for (s, scheme) in [
            ("postgresql:", "postgresql"),
            ("mysql://db/register", "mysql"),
            ("sqlite:register.sqlite", "sqlite"),
            ("file:///srv/r.sqlite", "file"),
        ] {
            assert_eq!(scheme_of(s).as_deref(), Some(scheme));
            match parse(s) {
                Err(Error::Invalid { field, problem }) => {
                    assert_eq!(field, "--db");
                    assert!(
                        matches!(&*problem, Problem::NotALocator { given } if given == s),
                        "{s}: {problem:?}"
                    );
                }
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_broken_url_says_what_is_wrong() {
        match parse("postgresql://db/register?nonsense=1") {
            Err(Error::Invalid { field, problem }) => {
                assert_eq!(field, "--db");
                assert!(matches!(&*problem, Problem::PgUrl { .. }), "{problem:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
