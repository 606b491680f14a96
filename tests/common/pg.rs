//! PostgreSQL for the tests (issue 22): a fresh database per test on the
//! server `TIZILIM_TEST_PG` names (a libpq URL, e.g. the one
//! `scripts/pg-cluster.sh start` prints; its role may CREATE DATABASE),
//! dropped when the test ends. Without `TIZILIM_TEST_PG` a test prints
//! "skipped: TIZILIM_TEST_PG not set" and passes: `cargo test` needs no
//! server; `.ci/run` starts one and sets it.
//!
//! ```ignore
//! let Some(db) = common::pg::PgDb::fresh() else { return };
//! let mut client = db.client();          // postgres::Client
//! // db.url: the database's URL, for `tizilim --db URL …`
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

/// The server's URL from `TIZILIM_TEST_PG`, if set (and not empty).
pub fn server() -> Option<String> {
    std::env::var("TIZILIM_TEST_PG")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// A database of its own for one test, dropped (`WITH (FORCE)`) on Drop.
pub struct PgDb {
    /// `tizilim_t_<pid>_<n>`
    pub name: String,
    /// The URL of this database (the server's URL with its name).
    pub url: String,
    server: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl PgDb {
    /// A new, empty database; `None` (and the skip said on stdout) when
    /// `TIZILIM_TEST_PG` is not set. Panics if the server refuses.
    pub fn fresh() -> Option<PgDb> {
        let Some(server) = server() else {
            println!("skipped: TIZILIM_TEST_PG not set");
            return None;
        };
        let name = format!(
            "tizilim_t_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = connect(&server);
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"
            ))
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name} on TIZILIM_TEST_PG: {e}"));
        let url = with_dbname(&server, &name);
        Some(PgDb { name, url, server })
    }

    /// A new connection to this database.
    pub fn client(&self) -> Client {
        connect(&self.url)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // The witness the test's acts through the library left in the
        // login's state folder, named after this database alone.
        if let Ok(url) = tizilim::store::sql::locator::PgUrl::parse(&self.url) {
            let _ = std::fs::remove_file(tizilim::store::witness::default_for_url(&url));
        }
        let dropped = Client::connect(&self.server, NoTls).and_then(|mut admin| {
            admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
        });
        if let Err(e) = dropped {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// Connects without TLS (a loopback test server; `sslmode=prefer` falls
/// back to plain).
pub fn connect(url: &str) -> Client {
    Client::connect(url, NoTls).unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// `url` naming the database `name`: a `postgres[ql]://` URL gets it as
/// its path (a `dbname=` in its query is dropped); a `key=value` string
/// gets `dbname=name` appended (the last one counts).
pub fn with_dbname(url: &str, name: &str) -> String {
    let Some(scheme_end) = ["postgresql://", "postgres://"]
        .iter()
        .find(|s| url.starts_with(*s))
        .map(|s| s.len())
    else {
        return format!("{url} dbname={name}");
    };
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], Some(&url[q + 1..])),
        None => (url, None),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| !kv.starts_with("dbname=") && !kv.is_empty())
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}
