//! Where the server may send requests of its own (webhooks): never to itself, to link-local
//! addresses or to a cloud's metadata service — a registered URL must not become a way to
//! reach what only the server can reach (SSRF) — and over https, unless the operator lists
//! the host in `GRIDGOV_WEBHOOK_ALLOW` (an intranet receiver on plain http, a test double).
//! Private ranges (10/8, 172.16/12, 192.168/16) stay allowed: districts run on intranets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetRefusal {
    /// Not https, and the host is not on the allow list.
    NotHttps,
    /// The host is (or resolves to) a loopback, link-local, unspecified or metadata address.
    ForbiddenAddress,
}

/// Whether the server must not connect to this address on a stranger's behalf.
pub fn forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => forbidden_v4(v4),
            None => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (v6.segments()[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                    || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) // AWS metadata
            }
        },
    }
}

fn forbidden_v4(v4: Ipv4Addr) -> bool {
    // 169.254/16 holds the metadata services (169.254.169.254) of most clouds.
    v4.is_loopback()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.octets()[0] == 0
        || v4 == Ipv4Addr::new(100, 100, 100, 200) // Alibaba Cloud metadata
}

/// Whether `host[:port]` is on the operator's allow list (entries `host`, `host:port`,
/// `[v6]` or `[v6]:port`).
pub fn allowed(allow: &[String], host: &str, port: Option<u16>) -> bool {
    let host = bare(host).to_ascii_lowercase();
    allow.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        let (h, p) = split_entry(&entry);
        bare(h) == host && p.is_none_or(|p| Some(p) == port)
    })
}

/// `host`, `host:port`, `[v6]`, `[v6]:port` → (host, port).
fn split_entry(entry: &str) -> (&str, Option<u16>) {
    let port_after = |i: usize| entry[i + 1..].parse::<u16>().ok();
    if let Some(end) = entry.find(']') {
        let port = entry[end + 1..]
            .strip_prefix(':')
            .and_then(|p| p.parse().ok());
        return (&entry[..=end], port);
    }
    match (entry.find(':'), entry.rfind(':')) {
        (Some(i), Some(j)) if i == j => (&entry[..i], port_after(i)),
        _ => (entry, None),
    }
}

fn bare(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

/// Checks a target: its scheme, and every address its host has (literal or resolved).
pub fn check(
    scheme: &str,
    host: &str,
    port: Option<u16>,
    addresses: &[IpAddr],
    allow: &[String],
) -> Result<(), TargetRefusal> {
    if allowed(allow, host, port) {
        return Ok(());
    }
    let literal = bare(host).parse::<IpAddr>().ok();
    let metadata_name = matches!(host, "metadata.google.internal" | "metadata" | "localhost")
        || host.ends_with(".localhost");
    if metadata_name
        || literal
            .into_iter()
            .chain(addresses.iter().copied())
            .any(forbidden_ip)
    {
        return Err(TargetRefusal::ForbiddenAddress);
    }
    if scheme != "https" {
        return Err(TargetRefusal::NotHttps);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn loopback_link_local_and_metadata_are_refused_private_ranges_are_not() {
        for bad in [
            "127.0.0.1",
            "127.8.8.8",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "fd00:ec2::254",
            "100.100.100.200",
        ] {
            assert!(forbidden_ip(ip(bad)), "{bad}");
        }
        for good in [
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.20",
            "202.96.128.86",
            "2408:8000::1",
        ] {
            assert!(!forbidden_ip(ip(good)), "{good}");
        }
    }

    #[test]
    fn https_is_required_unless_the_host_is_allowed() {
        let none: Vec<String> = vec![];
        let allow = vec![
            "127.0.0.1".to_owned(),
            "hooks.intranet:8080".to_owned(),
            "[::1]:9000".to_owned(),
        ];
        let public = [ip("202.96.128.86")];
        assert_eq!(
            check("https", "hooks.example.cn", None, &public, &none),
            Ok(())
        );
        assert_eq!(
            check("http", "hooks.example.cn", None, &public, &none),
            Err(TargetRefusal::NotHttps)
        );
        assert_eq!(
            check("https", "127.0.0.1", Some(9), &[], &none),
            Err(TargetRefusal::ForbiddenAddress)
        );
        assert_eq!(
            check("https", "[::1]", None, &[], &none),
            Err(TargetRefusal::ForbiddenAddress)
        );
        assert_eq!(
            check("https", "localhost", None, &[], &none),
            Err(TargetRefusal::ForbiddenAddress)
        );
        assert_eq!(
            check(
                "https",
                "evil.example",
                None,
                &[ip("169.254.169.254")],
                &none
            ),
            Err(TargetRefusal::ForbiddenAddress)
        );
        assert_eq!(check("http", "127.0.0.1", Some(9), &[], &allow), Ok(()));
        assert_eq!(
            check(
                "http",
                "hooks.intranet",
                Some(8080),
                &[ip("10.0.0.5")],
                &allow
            ),
            Ok(())
        );
        assert_eq!(
            check(
                "http",
                "hooks.intranet",
                Some(80),
                &[ip("10.0.0.5")],
                &allow
            ),
            Err(TargetRefusal::NotHttps)
        );
        assert_eq!(check("http", "[::1]", Some(9000), &[], &allow), Ok(()));
        assert_eq!(
            check("http", "[::1]", Some(9001), &[], &allow),
            Err(TargetRefusal::ForbiddenAddress)
        );
    }
}
