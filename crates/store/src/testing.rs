//! For tests that need a real PostgreSQL server (this crate's contract suite and the application's
//! PostgreSQL tests): a fresh database on the server named by `NEWSDESK_TEST_POSTGRES`, dropped when the
//! value goes. Not part of the store's interface.

/// A database made for one test.
pub struct TestDatabase {
    admin: String,
    name: String,
    /// The URL to open it with.
    pub url: String,
}

impl TestDatabase {
    /// A new database named after `tag`, on the server of `NEWSDESK_TEST_POSTGRES` (a URL whose user may
    /// create databases, such as `postgres://postgres@127.0.0.1:5432/postgres`). `None`, with a note, when no
    /// server is named, unless `NEWSDESK_POSTGRES_TEST=require` says one must be (CI): then it panics, so the
    /// test fails instead of passing without having run.
    pub fn create(tag: &str) -> Option<TestDatabase> {
        let Ok(admin) = std::env::var("NEWSDESK_TEST_POSTGRES") else {
            if std::env::var("NEWSDESK_POSTGRES_TEST").as_deref() == Ok("require") {
                panic!("NEWSDESK_POSTGRES_TEST=require but NEWSDESK_TEST_POSTGRES names no server");
            }
            eprintln!("skipping: set NEWSDESK_TEST_POSTGRES to a PostgreSQL server URL to run this test");
            return None;
        };
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let name = format!(
            "newsdesk_test_{tag}_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let (base, _) = admin
            .rsplit_once('/')
            .expect("NEWSDESK_TEST_POSTGRES ends in /database");
        let url = format!("{base}/{name}");
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test server");
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("drop a leftover test database");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the test database");
        Some(TestDatabase { admin, name, url })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}
