//! With private networks refused (the default), loopback is refused whether named by address or
//! by a hostname that resolves to it, before anything is sent.

mod common;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request, RequestKind};

fn guarded() -> Fetcher {
    Fetcher::new(FetchSettings {
        allow_private_networks: false,
        respect_robots: true,
        ..test_settings()
    })
    .expect("fetcher")
}

#[tokio::test]
async fn ip_literal_loopback_is_refused() {
    let server = TestServer::start(|_, _| Reply::ok("text/html", "secret")).await;
    let url = server.url("/admin");
    let err = guarded().fetch(&Request::page(&url)).await.expect_err("refused");
    assert!(matches!(err, FetchError::PrivateAddress { .. }), "{err:?}");
    assert!(err.is_permanent());
    let msg = err.to_string();
    assert!(
        msg.contains(&url) && msg.contains("loopback") && msg.contains("allow_private_networks"),
        "{msg}"
    );
    assert!(server.hits().is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused() {
    let server = TestServer::start(|_, _| Reply::ok("text/html", "secret")).await;
    let url = format!("http://localhost:{}/admin", server.addr.port());
    for kind in [RequestKind::Page, RequestKind::Feed] {
        let err = guarded().fetch(&Request::new(&url, kind)).await.expect_err("refused");
        match &err {
            FetchError::PrivateAddress { host, addr, .. } => {
                assert_eq!(host, "localhost");
                assert!(addr.is_loopback(), "{addr}");
            }
            other => panic!("expected PrivateAddress for {kind:?}, got {other:?}"),
        }
        assert!(err.to_string().contains("localhost"), "{err}");
    }
    assert!(server.hits().is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn ipv6_and_other_private_literals_are_refused() {
    let f = guarded();
    for url in [
        "http://[::1]:9/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[fd00::1]/",
    ] {
        let err = f.fetch(&Request::page(url)).await.expect_err("refused");
        assert!(matches!(err, FetchError::PrivateAddress { .. }), "{url}: {err:?}");
    }
}

#[tokio::test]
async fn the_switch_allows_them() {
    let server = TestServer::start(|_, _| Reply::ok("text/html", "intranet")).await;
    let f = Fetcher::new(test_settings()).expect("fetcher");
    let url = format!("http://localhost:{}/page", server.addr.port());
    let resp = f.fetch(&Request::page(url)).await.expect("allowed");
    assert_eq!(resp.body, b"intranet");
}
