//! The store's and the workflow's tests on both engines (issue 22): every
//! test made with [`each`] runs on a fresh SQLite register and, when
//! `TIZILIM_TEST_PG` names a server, again on a fresh PostgreSQL database
//! with the same code (`store::engine::Register`). Without the variable
//! the PostgreSQL round says "skipped" and the SQLite one still runs.
//!
//! ```ignore
//! common::engines::each(|fresh| {
//!     let mut reg = fresh.register("amina");   // a register whose admin is amina
//!     reg.write(|db| …)                          // an act on either engine
//! });
//! ```

use chrono::Utc;
use tizilim::rules::Login;
use tizilim::store::Store;
use tizilim::store::engine::{PgRegister, Register};
use tizilim::store::services;
use tizilim::store::sql::locator::PgUrl;

use super::pg::PgDb;

/// One engine's fresh database for one test round.
pub struct Fresh {
    /// "sqlite" or "postgresql", for the test's messages.
    pub engine: &'static str,
    pg: Option<PgDb>,
}

impl Fresh {
    /// A new register on this round's engine, `admin` its admin.
    pub fn register(&self, admin: &str) -> Register {
        let now = Utc::now();
        let admin = Login::new(admin);
        let mut reg = match &self.pg {
            None => Register::File(Store::in_memory().unwrap()),
            Some(db) => {
                let mut client = db.client();
                tizilim::store::pg::migrate(&mut client).unwrap();
                let url = PgUrl::parse(&db.url).unwrap();
                Register::Postgres(Box::new(PgRegister::open(&url, admin.as_str()).unwrap()))
            }
        };
        reg.write(|db| services::create_register(db, &admin, now))
            .unwrap_or_else(|e| panic!("{}: create the register: {e}", self.engine));
        reg
    }

    /// The PostgreSQL database's URL (None on SQLite).
    pub fn url(&self) -> Option<&str> {
        self.pg.as_ref().map(|d| d.url.as_str())
    }
}

/// Runs `body` on SQLite, then on PostgreSQL when `TIZILIM_TEST_PG` is set.
pub fn each(mut body: impl FnMut(&Fresh)) {
    body(&Fresh {
        engine: "sqlite",
        pg: None,
    });
    if let Some(db) = PgDb::fresh() {
        body(&Fresh {
            engine: "postgresql",
            pg: Some(db),
        });
    }
}
