//! With private networks refused (the default), loopback is refused whether named by address or
//! by a hostname that resolves to it, before anything is sent; `allow_networks` opens the
//! networks it lists and only those; link-local stays refused even with the switch on.

mod common;

use common::{test_settings, Reply, TestServer};
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request, RequestKind};

fn guarded() -> Fetcher {
    with_networks(&[])
}

/// Private networks refused, except the listed ones.
fn with_networks(networks: &[&str]) -> Fetcher {
    Fetcher::new(FetchSettings {
        allow_private_networks: false,
        allow_networks: networks.iter().map(|n| n.to_string()).collect(),
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
        msg.contains(&url)
            && msg.contains("loopback")
            && msg.contains("allow_private_networks")
            && msg.contains("allow_networks")
            && msg.contains("\"127.0.0.1/32\""),
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

#[tokio::test]
async fn a_listed_network_is_allowed_with_the_switch_off() {
    let server = TestServer::start(|_, _| Reply::ok("text/html", "test page")).await;
    let f = with_networks(&["127.0.0.0/8"]);
    let by_address = f
        .fetch(&Request::page(server.url("/page")))
        .await
        .expect("listed address");
    assert_eq!(by_address.body, b"test page");
    // `localhost` may also resolve to ::1, which is not listed: the IPv4 address is the one used.
    let by_name = format!("http://localhost:{}/page", server.addr.port());
    let resp = f.fetch(&Request::page(by_name)).await.expect("listed by name");
    assert_eq!(resp.body, b"test page");
    // robots.txt is fetched through the same guard (respect_robots is on here), once per origin.
    assert_eq!(server.hits_on("/robots.txt").len(), 2);
    assert_eq!(server.hits_on("/page").len(), 2);
}

#[tokio::test]
async fn an_unlisted_private_network_stays_refused() {
    let server = TestServer::start(|_, _| Reply::ok("text/html", "secret")).await;
    let f = with_networks(&["10.1.0.0/16", "::1/128"]);
    let err = f.fetch(&Request::page(server.url("/x"))).await.expect_err("refused");
    assert!(matches!(err, FetchError::PrivateAddress { .. }), "{err:?}");
    for url in ["http://10.2.0.1/x", "http://192.168.1.1/", "http://[fd00::1]/"] {
        let err = f.fetch(&Request::page(url)).await.expect_err("refused");
        assert!(matches!(err, FetchError::PrivateAddress { .. }), "{url}: {err:?}");
    }
    assert!(server.hits().is_empty());
}

#[tokio::test]
async fn link_local_and_metadata_stay_refused_with_private_networks_allowed() {
    let f = Fetcher::new(test_settings()).expect("fetcher");
    assert!(f.settings().allow_private_networks);
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.1.1/",
        "http://[fe80::1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/latest/meta-data/",
    ] {
        let err = f.fetch(&Request::page(url)).await.expect_err("refused");
        match &err {
            FetchError::PrivateAddress { kind, .. } => {
                assert!(matches!(*kind, "link-local" | "cloud metadata"), "{url}: {kind}")
            }
            other => panic!("{url}: expected PrivateAddress, got {other:?}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("allow_networks") && msg.contains("does not open link-local"),
            "{msg}"
        );
    }
}

#[tokio::test]
async fn ipv6_loopback_follows_its_own_network() {
    let Some(server) = TestServer::start_ipv6(|_, _| Reply::ok("text/html", "v6 page")).await else {
        eprintln!("no IPv6 loopback on this machine: skipped");
        return;
    };
    let url = server.url("/page");
    assert!(url.starts_with("http://[::1]:"), "{url}");
    let resp = with_networks(&["::1/128"])
        .fetch(&Request::page(&url))
        .await
        .expect("listed");
    assert_eq!(resp.body, b"v6 page");
    let err = with_networks(&["127.0.0.0/8"])
        .fetch(&Request::page(&url))
        .await
        .expect_err("IPv4 loopback does not cover ::1");
    assert!(err.to_string().contains("\"::1/128\""), "{err}");
    assert_eq!(server.hits_on("/page").len(), 1);
}

#[test]
fn a_bad_network_is_refused_by_validate_and_by_the_fetcher() {
    for bad in ["127.0.0.0/33", "10.1.0.0/8", "::1/129", "intranet", "10.0.0.0/"] {
        let settings = FetchSettings {
            allow_networks: vec!["127.0.0.0/8".into(), bad.into()],
            ..FetchSettings::default()
        };
        let err = settings.validate().expect_err("validate refuses").to_string();
        assert!(
            err.contains("allow_networks") && err.contains(&format!("`{bad}`")),
            "{err}"
        );
        let err = Fetcher::new(settings).err().expect("the fetcher refuses").to_string();
        assert!(err.contains("allow_networks"), "{err}");
    }
}
