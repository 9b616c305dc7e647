//! Refusing non-public addresses. The check runs on the addresses a name RESOLVES to (inside a
//! DNS resolver handed to reqwest, so the address checked is the address connected to) and on
//! IP-literal URLs, which never reach a resolver.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is not public, or None when it may be fetched.
pub fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    // Ranges from the IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates).
    let kind = match (a, b, c) {
        (0, _, _) => "unspecified (0.0.0.0/8)",
        (127, _, _) => "loopback",
        (10, _, _) => "private (10.0.0.0/8)",
        (172, 16..=31, _) => "private (172.16.0.0/12)",
        (192, 168, _) => "private (192.168.0.0/16)",
        (169, 254, _) => "link-local",
        (100, 64..=127, _) => "shared CGNAT (100.64.0.0/10)",
        (192, 0, 0) => "IETF protocol assignment (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking (198.18.0.0/15)",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved (240.0.0.0/4)",
        _ => return None,
    };
    Some(kind)
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = embedded_v4(ip) {
        return v4_kind(v4);
    }
    let seg = ip.segments();
    let kind = if ip.is_unspecified() {
        "unspecified"
    } else if ip.is_loopback() {
        "loopback"
    } else if seg[0] & 0xfe00 == 0xfc00 {
        "unique-local (fc00::/7)"
    } else if seg[0] & 0xffc0 == 0xfe80 {
        "link-local"
    } else if seg[0] & 0xffc0 == 0xfec0 {
        "site-local (fec0::/10)"
    } else if seg[0] & 0xff00 == 0xff00 {
        "multicast"
    } else if seg[0] == 0x2001 && seg[1] == 0x0db8 {
        "documentation"
    } else if seg[0] == 0x0100 && seg[1..4] == [0, 0, 0] {
        "discard-only (100::/64)"
    } else {
        return None;
    };
    Some(kind)
}

/// The IPv4 address carried inside IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
/// NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses, which reach that IPv4 host.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let seg = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if seg[..5] == [0, 0, 0, 0, 0] && (seg[5] == 0xffff || (seg[5] == 0 && seg[6] != 0)) {
        return Some(low(seg[6], seg[7]));
    }
    if seg[0] == 0x0064 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
        return Some(low(seg[6], seg[7]));
    }
    if seg[0] == 0x2002 {
        return Some(low(seg[1], seg[2]));
    }
    None
}

/// The resolver's refusal, carried through reqwest's error chain and recognised by the fetcher.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to non-public addresses ({addr} is {kind})")]
pub(crate) struct Refused {
    pub host: String,
    pub addr: IpAddr,
    pub kind: &'static str,
}

/// DNS through the system resolver, dropping non-public addresses unless allowed.
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup_host = host.clone();
            // getaddrinfo blocks: run it off the async threads, as reqwest's own resolver does.
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup_host.as_str(), 0).to_socket_addrs())
                    .await
                    .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)??
                    .collect();
            let (public, refused) = filter_public(addrs, allow_private);
            match (public.is_empty(), refused) {
                (true, Some((addr, kind))) => Err(Box::new(Refused { host, addr, kind }) as _),
                _ => Ok(Box::new(public.into_iter()) as Addrs),
            }
        })
    }
}

/// Splits resolved addresses into the usable ones and the first refused one (for the message).
fn filter_public(addrs: Vec<SocketAddr>, allow_private: bool) -> (Vec<SocketAddr>, Option<(IpAddr, &'static str)>) {
    if allow_private {
        return (addrs, None);
    }
    let mut refused = None;
    let public = addrs
        .into_iter()
        .filter(|a| match non_public_kind(a.ip()) {
            None => true,
            Some(kind) => {
                refused.get_or_insert((a.ip(), kind));
                false
            }
        })
        .collect();
    (public, refused)
}

pub(crate) fn resolver(allow_private: bool) -> Arc<GuardedResolver> {
    Arc::new(GuardedResolver { allow_private })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<&'static str> {
        non_public_kind(s.parse().expect("test address"))
    }

    #[test]
    fn ipv4_ranges() {
        for refused in [
            "127.0.0.1",
            "127.8.9.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.10",
        ] {
            assert!(kind(refused).is_some(), "{refused} should be refused");
        }
        for public in ["8.8.8.8", "172.32.0.1", "172.15.0.1", "100.128.0.1", "93.184.216.34"] {
            assert_eq!(kind(public), None, "{public} is public");
        }
    }

    #[test]
    fn ipv6_ranges() {
        for refused in [
            "::1",
            "::",
            "fd00::1",
            "fc12::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
        ] {
            assert!(kind(refused).is_some(), "{refused} should be refused");
        }
        for public in ["2606:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8"] {
            assert_eq!(kind(public), None, "{public} is public");
        }
    }

    #[test]
    fn filter_keeps_public_and_reports_first_refused() {
        let addrs: Vec<SocketAddr> = vec!["127.0.0.1:0".parse().expect("addr"), "8.8.8.8:0".parse().expect("addr")];
        let (public, refused) = filter_public(addrs.clone(), false);
        assert_eq!(public, vec!["8.8.8.8:0".parse::<SocketAddr>().expect("addr")]);
        assert_eq!(refused.map(|r| r.1), Some("loopback"));
        let (all, none) = filter_public(addrs, true);
        assert_eq!(all.len(), 2);
        assert!(none.is_none());
    }
}
