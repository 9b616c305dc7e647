//! The fetcher speaks HTTP/2 where the server offers it and HTTP/1.1 where it does not. HTTP/2 is
//! negotiated as browsers and publishers do: by ALPN during the TLS handshake. The server is a loopback
//! HTTPS server (hyper over rustls) with a certificate made by the test, trusted through the
//! `extra_root_certs` setting; nothing else in the client is changed for the test.

use std::convert::Infallible;
use std::io::Write;
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use newsdesk_fetch::{FetchError, FetchSettings, Fetcher, Request};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A loopback HTTPS server offering the `alpn` protocols; it answers every request with the protocol
/// version it saw and the path, and records the versions.
struct Server {
    port: u16,
    /// The server's certificate, PEM, in a file for `extra_root_certs`.
    cert_file: tempfile::NamedTempFile,
    versions: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(alpn: &[&[u8]]) -> Result<Server, Box<dyn std::error::Error>> {
        let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
        let mut cert_file = tempfile::NamedTempFile::new()?;
        cert_file.write_all(certified.cert.pem().as_bytes())?;
        cert_file.flush()?;
        let cert: CertificateDer<'static> = certified.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)?;
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let versions = Arc::new(Mutex::new(Vec::new()));
        let seen = versions.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let service = service_fn(move |req: hyper::Request<Incoming>| {
                        let seen = seen.clone();
                        async move {
                            let version = format!("{:?}", req.version());
                            seen.lock().unwrap_or_else(|p| p.into_inner()).push(version.clone());
                            let body = format!("{version} {}", req.uri().path());
                            let mut resp = hyper::Response::new(Full::new(Bytes::from(body)));
                            resp.headers_mut()
                                .insert("content-type", hyper::header::HeaderValue::from_static("text/plain"));
                            Ok::<_, Infallible>(resp)
                        }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        Ok(Server {
            port,
            cert_file,
            versions,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.port)
    }

    fn settings(&self) -> FetchSettings {
        FetchSettings {
            extra_root_certs: self.cert_file.path().display().to_string(),
            allow_private_networks: true,
            respect_robots: false,
            host_min_interval_secs: 0.0,
            max_attempts: 1,
            ..FetchSettings::default()
        }
    }

    fn versions(&self) -> Vec<String> {
        self.versions.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[tokio::test]
async fn fetches_over_http2_when_the_server_offers_it() -> TestResult {
    let server = Server::start(&[b"h2", b"http/1.1"]).await?;
    let fetcher = Fetcher::new(server.settings())?;
    for n in 0..3 {
        let resp = fetcher.fetch(&Request::page(server.url(&format!("/page/{n}")))).await?;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.http_version, "HTTP/2.0");
        assert_eq!(String::from_utf8(resp.body)?, format!("HTTP/2.0 /page/{n}"));
    }
    assert_eq!(server.versions(), vec!["HTTP/2.0"; 3]);
    Ok(())
}

#[tokio::test]
async fn falls_back_to_http1_when_the_server_offers_only_that() -> TestResult {
    let server = Server::start(&[b"http/1.1"]).await?;
    let fetcher = Fetcher::new(server.settings())?;
    let resp = fetcher.fetch(&Request::page(server.url("/a"))).await?;
    assert_eq!(resp.http_version, "HTTP/1.1");
    assert_eq!(String::from_utf8(resp.body)?, "HTTP/1.1 /a");
    assert_eq!(server.versions(), vec!["HTTP/1.1"]);
    Ok(())
}

#[tokio::test]
async fn an_unknown_certificate_authority_is_refused() -> TestResult {
    let server = Server::start(&[b"h2", b"http/1.1"]).await?;
    let settings = FetchSettings {
        extra_root_certs: String::new(),
        ..server.settings()
    };
    let fetcher = Fetcher::new(settings)?;
    let result = fetcher.fetch(&Request::page(server.url("/a"))).await;
    assert!(
        matches!(result, Err(FetchError::Network { .. })),
        "expected a TLS failure, got {result:?}"
    );
    assert!(server.versions().is_empty());
    Ok(())
}

#[test]
fn a_file_without_certificates_is_a_settings_error() -> TestResult {
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(b"not a certificate\n")?;
    let settings = FetchSettings {
        extra_root_certs: file.path().display().to_string(),
        ..FetchSettings::default()
    };
    let err = Fetcher::new(settings)
        .err()
        .ok_or("a file without certificates was accepted")?;
    assert!(err.to_string().contains("extra_root_certs"), "{err}");
    let settings = FetchSettings {
        extra_root_certs: "/nonexistent/ca.pem".into(),
        ..FetchSettings::default()
    };
    assert!(Fetcher::new(settings).is_err());
    Ok(())
}
