//! Refusing non-public addresses. The check runs on the addresses a name RESOLVES to (inside a
//! DNS resolver handed to reqwest, so the address checked is the address connected to) and on
//! IP-literal URLs, which never reach a resolver.
//!
//! What is refused is decided by an [`AddressPolicy`]: `allow_private_networks` opens every
//! non-public range except link-local and the cloud metadata addresses, and `allow_networks`
//! opens the networks it lists, link-local included.

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

/// A network of `allow_networks`: an address with a prefix length, host bits all zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// Reads `a.b.c.d/n` or `x:y::z/n`; a bare address is a network of one host. Host bits set
    /// past the prefix are refused rather than masked: `10.1.0.0/8` is more likely a typo for
    /// `10.1.0.0/16` than a wish to open all of 10/8.
    pub fn parse(text: &str) -> Result<Network, String> {
        let text = text.trim();
        let (addr_text, prefix_text) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr_text
            .parse()
            .map_err(|_| format!("`{addr_text}` is not an IPv4 or IPv6 address"))?;
        let max = max_prefix(addr);
        let prefix = match prefix_text {
            None => max,
            Some(p) => match p.parse::<u8>() {
                // u8's parser takes a leading `+`; a prefix length is digits only.
                Ok(n) if p.bytes().all(|b| b.is_ascii_digit()) && n <= max => n,
                _ => return Err(format!("the prefix length `/{p}` is not a number from 0 to {max}")),
            },
        };
        let network = Network {
            addr: masked(addr, prefix),
            prefix,
        };
        if network.addr != addr {
            return Err(format!(
                "it has address bits set past the /{prefix} prefix (the network would be {})",
                network
            ));
        }
        Ok(network)
    }

    /// True when `ip` is inside this network (an IPv4 network never contains an IPv6 address:
    /// callers pass the IPv4 form of mapped addresses as well).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let same_family = matches!(
            (self.addr, ip),
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_))
        );
        same_family && masked(ip, self.prefix) == self.addr
    }
}

impl std::fmt::Display for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn max_prefix(ip: IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// `ip` with every bit past the first `prefix` bits cleared.
fn masked(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix.min(128))).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// Addresses that `allow_private_networks` does not open, only a listed network: link-local
/// (where cloud metadata services answer, 169.254.169.254 above all) and the metadata addresses
/// that live elsewhere. Returns the kind named in the refusal.
fn always_guarded(ip: IpAddr) -> Option<&'static str> {
    let v4 = match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => embedded_v4(v6),
    };
    if let Some(v4) = v4 {
        return match v4.octets() {
            [169, 254, ..] => Some("link-local"),
            // Alibaba Cloud's metadata service, inside the CGNAT range.
            [100, 100, 100, 200] => Some("cloud metadata"),
            _ => None,
        };
    }
    let IpAddr::V6(v6) = ip else { return None };
    if v6.segments()[0] & 0xffc0 == 0xfe80 {
        return Some("link-local");
    }
    // AWS's IPv6 metadata service, inside the unique-local range.
    if v6 == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
        return Some("cloud metadata");
    }
    None
}

/// Which addresses may be connected to: built once from `allow_private_networks` and
/// `allow_networks`.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddressPolicy {
    pub allow_private: bool,
    pub allow: Vec<Network>,
}

impl AddressPolicy {
    /// Why `ip` may not be connected to, or None when it may: public addresses and addresses
    /// inside a listed network always may; other non-public ones only with `allow_private`,
    /// and link-local and cloud metadata addresses never without a listed network.
    pub fn refusal(&self, ip: IpAddr) -> Option<&'static str> {
        // An IPv4-mapped IPv6 address reaches the IPv4 host, so an IPv4 network covers it.
        let canonical = ip.to_canonical();
        if self.allow.iter().any(|n| n.contains(ip) || n.contains(canonical)) {
            return None;
        }
        if let Some(kind) = always_guarded(ip) {
            return Some(kind);
        }
        if self.allow_private {
            return None;
        }
        non_public_kind(ip)
    }
}

/// The resolver's refusal, carried through reqwest's error chain and recognised by the fetcher.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to refused addresses ({addr} is {kind})")]
pub(crate) struct Refused {
    pub host: String,
    pub addr: IpAddr,
    pub kind: &'static str,
}

/// DNS through the system resolver, dropping the addresses the policy refuses.
pub(crate) struct GuardedResolver {
    pub policy: Arc<AddressPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup_host = host.clone();
            // getaddrinfo blocks: run it off the async threads, as reqwest's own resolver does.
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup_host.as_str(), 0).to_socket_addrs())
                    .await
                    .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)??
                    .collect();
            let (allowed, refused) = filter_allowed(addrs, &policy);
            match (allowed.is_empty(), refused) {
                (true, Some((addr, kind))) => Err(Box::new(Refused { host, addr, kind }) as _),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

/// Splits resolved addresses into the usable ones and the first refused one (for the message).
fn filter_allowed(addrs: Vec<SocketAddr>, policy: &AddressPolicy) -> (Vec<SocketAddr>, Option<(IpAddr, &'static str)>) {
    let mut refused = None;
    let allowed = addrs
        .into_iter()
        .filter(|a| match policy.refusal(a.ip()) {
            None => true,
            Some(kind) => {
                refused.get_or_insert((a.ip(), kind));
                false
            }
        })
        .collect();
    (allowed, refused)
}

pub(crate) fn resolver(policy: Arc<AddressPolicy>) -> Arc<GuardedResolver> {
    Arc::new(GuardedResolver { policy })
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
        let (public, refused) = filter_allowed(addrs.clone(), &AddressPolicy::default());
        assert_eq!(public, vec!["8.8.8.8:0".parse::<SocketAddr>().expect("addr")]);
        assert_eq!(refused.map(|r| r.1), Some("loopback"));
        let open = AddressPolicy {
            allow_private: true,
            allow: Vec::new(),
        };
        let (all, none) = filter_allowed(addrs, &open);
        assert_eq!(all.len(), 2);
        assert!(none.is_none());
    }

    fn policy(allow_private: bool, networks: &[&str]) -> AddressPolicy {
        AddressPolicy {
            allow_private,
            allow: networks
                .iter()
                .map(|n| Network::parse(n).expect("test network"))
                .collect(),
        }
    }

    fn refusal(p: &AddressPolicy, ip: &str) -> Option<&'static str> {
        p.refusal(ip.parse().expect("test address"))
    }

    #[test]
    fn networks_parse_and_contain() {
        let n = Network::parse("10.1.0.0/16").expect("v4");
        assert!(n.contains("10.1.255.3".parse().expect("ip")));
        assert!(!n.contains("10.2.0.1".parse().expect("ip")));
        assert!(
            !n.contains("::ffff:10.1.0.1".parse().expect("ip")),
            "families are kept apart"
        );
        assert_eq!(Network::parse(" 127.0.0.1 ").expect("bare").to_string(), "127.0.0.1/32");
        assert_eq!(Network::parse("::1").expect("bare v6").to_string(), "::1/128");
        assert!(Network::parse("0.0.0.0/0")
            .expect("all v4")
            .contains("8.8.8.8".parse().expect("ip")));
        let v6 = Network::parse("fd12:3456::/32").expect("v6");
        assert!(v6.contains("fd12:3456:1::9".parse().expect("ip")));
        assert!(!v6.contains("fd12:3457::1".parse().expect("ip")));
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "10.1.0.0/8",
            "fe80::1/10",
            "localhost/8",
            "10.0.0/8",
            "fe80::1%eth0/64",
        ] {
            assert!(Network::parse(bad).is_err(), "{bad} should be refused");
        }
        let err = Network::parse("10.1.0.0/8").expect_err("host bits");
        assert!(err.contains("10.0.0.0/8"), "{err}");
    }

    #[test]
    fn listed_networks_open_only_themselves() {
        let p = policy(false, &["127.0.0.0/8", "10.1.0.0/16"]);
        assert_eq!(refusal(&p, "127.0.0.1"), None);
        assert_eq!(refusal(&p, "127.200.0.9"), None);
        assert_eq!(refusal(&p, "::ffff:127.0.0.1"), None, "mapped form of a listed address");
        assert_eq!(refusal(&p, "10.1.2.3"), None);
        assert!(refusal(&p, "10.2.0.1").is_some());
        assert!(refusal(&p, "192.168.1.1").is_some());
        assert_eq!(
            refusal(&p, "::1"),
            Some("loopback"),
            "IPv4 loopback does not open IPv6 loopback"
        );
        assert_eq!(refusal(&p, "169.254.169.254"), Some("link-local"));
        assert_eq!(refusal(&p, "8.8.8.8"), None);
    }

    #[test]
    fn ipv6_networks() {
        let p = policy(false, &["::1/128", "fd00:1::/32"]);
        assert_eq!(refusal(&p, "::1"), None);
        assert_eq!(refusal(&p, "fd00:1:2::3"), None);
        assert!(refusal(&p, "fd00:2::1").is_some());
        assert!(
            refusal(&p, "127.0.0.1").is_some(),
            "IPv6 loopback does not open IPv4 loopback"
        );
        assert_eq!(refusal(&p, "fe80::1"), Some("link-local"));
        let p = policy(false, &["fe80::/10"]);
        assert_eq!(refusal(&p, "fe80::1234"), None, "a listed link-local network is opened");
    }

    #[test]
    fn link_local_and_metadata_stay_refused_with_private_networks_allowed() {
        let open = policy(true, &[]);
        for ip in ["127.0.0.1", "10.0.0.1", "192.168.0.1", "fd00::1", "::1", "100.64.0.1"] {
            assert_eq!(refusal(&open, ip), None, "{ip} is opened by allow_private_networks");
        }
        for (ip, kind) in [
            ("169.254.169.254", "link-local"),
            ("169.254.0.1", "link-local"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("::ffff:169.254.169.254", "link-local"),
            ("2002:a9fe:a9fe::", "link-local"),
            ("fd00:ec2::254", "cloud metadata"),
            ("100.100.100.200", "cloud metadata"),
        ] {
            assert_eq!(refusal(&open, ip), Some(kind), "{ip}");
        }
        let named = policy(true, &["169.254.169.254/32"]);
        assert_eq!(refusal(&named, "169.254.169.254"), None, "named explicitly");
        assert_eq!(refusal(&named, "169.254.169.253"), Some("link-local"));
    }
}
