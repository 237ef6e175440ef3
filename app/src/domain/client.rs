//! Who is asking: the client's address as seen through the reverse proxies this deployment
//! trusts (`LINEUP_TRUSTED_PROXIES`). `X-Forwarded-For` (or, without it, `Forwarded`, RFC 7239)
//! is read only when the connection comes from a trusted proxy, and only as far back as the chain
//! of trusted proxies goes, so nobody can pick their own address by sending the header
//! themselves. The proxy must append to `X-Forwarded-For` (nginx's
//! `$proxy_add_x_forwarded_for`, Caddy and Traefik do).
use std::net::{IpAddr, Ipv6Addr};

use http::HeaderMap;
use ipnet::IpNet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// The address from the connection's peer and the forwarding headers.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> ClientAddress {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        let peer = canonical(peer);
        if !is_trusted(&peer) {
            return ClientAddress(peer);
        }
        let Some(chain) = forwarded_chain(headers) else {
            return ClientAddress(peer);
        };
        // from the nearest hop back: the first address no trusted proxy stands for is the client
        let mut client = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(ip) => {
                    client = *ip;
                    if !is_trusted(ip) {
                        break;
                    }
                }
                // "unknown" or an obfuscated name: the last proxy we trust is as far as we see
                None => break,
            }
        }
        ClientAddress(client)
    }

    /// The key limits count against: an IPv4 address, or an IPv6 /64, which one household or
    /// host usually holds whole.
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        }
    }
}

/// IPv4 addresses written as IPv6 (`::ffff:192.0.2.1`) count as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The addresses of `X-Forwarded-For`, else the `for` addresses of `Forwarded`, oldest first;
/// `None` for a hop that names no address. `None` altogether when neither header is there.
/// `X-Forwarded-For` comes first because it is the header proxies append to: one that appends
/// only to it would pass on a `Forwarded` the client wrote itself.
fn forwarded_chain(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    // bytes that are not text still count as a hop (one that names no address), so a client
    // cannot make its whole header unreadable and hide behind the proxy's address
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    };
    let forwarded_for = values("x-forwarded-for");
    if !forwarded_for.is_empty() {
        return Some(
            forwarded_for
                .iter()
                .flat_map(|v| v.split(','))
                .map(node)
                .collect(),
        );
    }
    let forwarded = values("forwarded");
    (!forwarded.is_empty()).then(|| {
        forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| node(value))
            })
            .collect()
    })
}

/// One node: `192.0.2.1`, `192.0.2.1:8080`, `"[2001:db8::1]:443"`, `2001:db8::1`.
fn node(raw: &str) -> Option<IpAddr> {
    let value = raw.trim().trim_matches('"');
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = value.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip.parse::<IpAddr>().ok().map(canonical);
    }
    let (ip, port) = value.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<IpAddr>().ok().map(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn proxies() -> Vec<IpNet> {
        vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()]
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            ClientAddress::resolve(ip("198.51.100.7"), &h, &proxies()).0,
            ip("198.51.100.7")
        );
        assert_eq!(
            ClientAddress::resolve(ip("198.51.100.7"), &h, &[]).0,
            ip("198.51.100.7")
        );
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_proxy_back() {
        // the client claims 6.6.6.6; its real address is what our proxies saw
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.1.1")]);
        assert_eq!(
            ClientAddress::resolve(ip("10.0.0.2"), &h, &proxies()).0,
            ip("203.0.113.9")
        );
        let h = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=10.1.1.1"#,
        )]);
        assert_eq!(
            ClientAddress::resolve(ip("10.0.0.2"), &h, &proxies()).0,
            ip("2001:db8:cafe::17")
        );
        // a trusted peer without headers is the client (a health check, say)
        assert_eq!(
            ClientAddress::resolve(ip("10.0.0.2"), &HeaderMap::new(), &proxies()).0,
            ip("10.0.0.2")
        );
        // "unknown" stops the walk at the last trusted hop
        let h = headers(&[("forwarded", "for=unknown, for=10.1.1.1")]);
        assert_eq!(
            ClientAddress::resolve(ip("10.0.0.2"), &h, &proxies()).0,
            ip("10.1.1.1")
        );
        let h = headers(&[("x-forwarded-for", "192.0.2.1:5555")]);
        assert_eq!(
            ClientAddress::resolve(ip("::1"), &h, &proxies()).0,
            ip("192.0.2.1")
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        let a = ClientAddress(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientAddress(ip("2001:db8:1:2:bbbb::9"));
        let c = ClientAddress(ip("2001:db8:1:3::1"));
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert_eq!(a.key(), "2001:db8:1:2::/64");
        assert_eq!(ClientAddress(ip("192.0.2.1")).key(), "192.0.2.1");
        assert_eq!(canonical(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
