use std::{net::SocketAddr, path::PathBuf};

/// Start-up configuration, read once from the environment. Every problem names its variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub data_dir: PathBuf,
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub surreal_url: String,
    pub surreal_root: Option<(String, String)>,
    pub meili: Option<MeiliConfig>,
    pub stripe: Option<StripeConfig>,
    /// The platform's share of paid tickets sold through organizers' connected accounts, in
    /// hundredths of a percent (`LINEUP_PLATFORM_FEE_PERCENT`).
    pub platform_fee_bps: u32,
    pub public_url: String,
    /// Reputation from which low-risk submissions are published without waiting for a curator;
    /// `None` (LINEUP_FAST_TRACK=off) turns the fast track off.
    pub fast_track_reputation: Option<i32>,
    /// Where "today" and "this weekend" are counted when the browser does not say.
    pub time_zone: chrono_tz::Tz,
    /// `SMTP_URL`; without it mail is written to `$LINEUP_DATA_DIR/mail` (read at `/admin/mail`).
    pub smtp_url: Option<String>,
    /// `LINEUP_MAIL_FROM`, e.g. `Lineup <events@lineup.example>`.
    pub mail_from: String,
    /// `LINEUP_TRUSTED_PROXIES`: reverse proxies (addresses or CIDR ranges, comma separated)
    /// whose `Forwarded`/`X-Forwarded-For` name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `LINEUP_RATE_LIMITS`: every request limit multiplied by this (default 1); `off` is 0.
    pub rate_limit_scale: u32,
    pub metrics: MetricsConfig,
}

/// Where Prometheus reads `/metrics`: on a listener of its own (`LINEUP_METRICS_ADDR`, e.g. a
/// private interface), and/or on the site with `Authorization: Bearer $LINEUP_METRICS_TOKEN`.
/// With neither, the site answers 404 for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricsConfig {
    pub addr: Option<SocketAddr>,
    pub token: Option<String>,
}

pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Berlin;

/// Five approvals and no rejections, by the reputation rules.
pub const DEFAULT_FAST_TRACK_REPUTATION: i32 = 25;

#[derive(Debug, Clone, PartialEq)]
pub struct MeiliConfig {
    pub url: String,
    pub master_key: Option<String>,
    /// The index uid (`MEILI_INDEX`, default `events`): lets environments share one server.
    pub index: String,
}

pub const DEFAULT_MEILI_INDEX: &str = "events";

#[derive(Debug, Clone, PartialEq)]
pub struct StripeConfig {
    pub secret_key: String,
    pub webhook_secret: String,
    /// `STRIPE_API_BASE`: Stripe's API unless tests point it at a local stub.
    pub api_base: String,
}

pub const DEFAULT_STRIPE_API_BASE: &str = "https://api.stripe.com";
pub const STRIPE_CHECKOUT_ORIGIN: &str = "https://checkout.stripe.com";

impl StripeConfig {
    /// Where Checkout pages live: Stripe's, or the stub's own origin when `STRIPE_API_BASE`
    /// points at one (it serves its checkout pages itself).
    pub fn checkout_origin(&self) -> String {
        if self.api_base == DEFAULT_STRIPE_API_BASE {
            return STRIPE_CHECKOUT_ORIGIN.to_owned();
        }
        url::Url::parse(&self.api_base)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| STRIPE_CHECKOUT_ORIGIN.to_owned())
    }
}
pub const DEFAULT_PLATFORM_FEE_BPS: u32 = 500;

/// "5", "2.5" (percent) → hundredths of a percent; at most 50 %.
fn platform_fee(value: Option<String>) -> Result<u32, ConfigError> {
    let Some(raw) = value else {
        return Ok(DEFAULT_PLATFORM_FEE_BPS);
    };
    match raw.trim().parse::<f64>() {
        Ok(p) if (0.0..=50.0).contains(&p) => Ok((p * 100.0).round() as u32),
        _ => Err(bad(
            "LINEUP_PLATFORM_FEE_PERCENT",
            format!("{raw:?} is not a percentage from 0 to 50"),
        )),
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

/// Meilisearch index uids are 1–400 ASCII letters, digits, `-` and `_`.
fn meili_index(value: Option<String>) -> Result<String, ConfigError> {
    let uid = value.unwrap_or_else(|| DEFAULT_MEILI_INDEX.into());
    if uid.is_empty()
        || uid.len() > 400
        || !uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(bad(
            "MEILI_INDEX",
            format!("{uid:?} is not an index name (letters, digits, - and _)"),
        ));
    }
    Ok(uid)
}

fn http_url(variable: &'static str, value: &str) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(value)
        .map_err(|e| bad(variable, format!("{value:?} is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(bad(
            variable,
            format!("{value:?} must be an http:// or https:// URL"),
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(get("LINEUP_DATA_DIR").unwrap_or_else(|| "./data".into()));
        if data_dir.is_file() {
            return Err(bad(
                "LINEUP_DATA_DIR",
                format!("{} is a file, not a directory", data_dir.display()),
            ));
        }

        let site_addr = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let site_addr: SocketAddr = site_addr.parse().map_err(|_| {
            bad(
                "LEPTOS_SITE_ADDR",
                format!("{site_addr:?} is not an address like 127.0.0.1:3000"),
            )
        })?;

        let database_url = match get("DATABASE_URL") {
            None => format!("sqlite://{}?mode=rwc", data_dir.join("lineup.db").display()),
            Some(url)
                if url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://") =>
            {
                url
            }
            Some(url) => {
                return Err(bad(
                    "DATABASE_URL",
                    format!("{url:?} must start with postgres:// or sqlite:"),
                ))
            }
        };

        let surreal_url = match get("SURREAL_URL") {
            None => format!("surrealkv://{}", data_dir.join("graph").display()),
            Some(url)
                if ["mem://", "memory", "surrealkv://", "ws://", "wss://"]
                    .iter()
                    .any(|p| url.starts_with(p)) =>
            {
                url
            }
            Some(url) => {
                return Err(bad(
                    "SURREAL_URL",
                    format!("{url:?} must start with surrealkv://, mem://, ws:// or wss://"),
                ))
            }
        };
        let surreal_root = match (get("SURREAL_USER"), get("SURREAL_PASS")) {
            (Some(user), Some(pass)) => Some((user, pass)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(bad("SURREAL_PASS", "is required when SURREAL_USER is set"))
            }
            (None, Some(_)) => {
                return Err(bad("SURREAL_USER", "is required when SURREAL_PASS is set"))
            }
        };

        let meili = match get("MEILI_URL") {
            Some(url) => Some(MeiliConfig {
                url: http_url("MEILI_URL", &url)?,
                master_key: get("MEILI_MASTER_KEY"),
                index: meili_index(get("MEILI_INDEX"))?,
            }),
            None if get("MEILI_MASTER_KEY").is_some() => {
                return Err(bad("MEILI_URL", "is required when MEILI_MASTER_KEY is set"))
            }
            None => None,
        };

        let stripe = match (get("STRIPE_SECRET_KEY"), get("STRIPE_WEBHOOK_SECRET")) {
            (None, None) => None,
            (Some(secret_key), Some(webhook_secret)) => {
                if !(secret_key.starts_with("sk_") || secret_key.starts_with("rk_")) {
                    return Err(bad(
                        "STRIPE_SECRET_KEY",
                        "must be a Stripe secret key (sk_… or rk_…)",
                    ));
                }
                if !webhook_secret.starts_with("whsec_") {
                    return Err(bad(
                        "STRIPE_WEBHOOK_SECRET",
                        "must be a webhook signing secret (whsec_…)",
                    ));
                }
                let api_base = match get("STRIPE_API_BASE") {
                    Some(url) => http_url("STRIPE_API_BASE", &url)?,
                    None => DEFAULT_STRIPE_API_BASE.to_owned(),
                };
                Some(StripeConfig {
                    secret_key,
                    webhook_secret,
                    api_base,
                })
            }
            (Some(_), None) => {
                return Err(bad(
                    "STRIPE_WEBHOOK_SECRET",
                    "is required when STRIPE_SECRET_KEY is set",
                ))
            }
            (None, Some(_)) => {
                return Err(bad(
                    "STRIPE_SECRET_KEY",
                    "is required when STRIPE_WEBHOOK_SECRET is set",
                ))
            }
        };

        let platform_fee_bps = platform_fee(get("LINEUP_PLATFORM_FEE_PERCENT"))?;

        let public_url = match get("LINEUP_PUBLIC_URL") {
            Some(url) => http_url("LINEUP_PUBLIC_URL", &url)?,
            None => format!("http://{site_addr}"),
        };

        let fast_track_reputation = match get("LINEUP_FAST_TRACK").as_deref() {
            None => Some(DEFAULT_FAST_TRACK_REPUTATION),
            Some("off") => None,
            Some(value) => Some(value.parse::<i32>().map_err(|_| {
                bad(
                    "LINEUP_FAST_TRACK",
                    format!("{value:?} must be a reputation (a whole number) or off"),
                )
            })?),
        };

        let time_zone = match get("LINEUP_TIME_ZONE") {
            None => DEFAULT_TIME_ZONE,
            Some(zone) => zone.parse().map_err(|_| {
                bad(
                    "LINEUP_TIME_ZONE",
                    format!("{zone:?} is not an IANA time zone like Europe/Lisbon"),
                )
            })?,
        };

        let trusted_proxies = match get("LINEUP_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| {
                    p.parse::<ipnet::IpNet>()
                        .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                        .map_err(|_| {
                            bad(
                                "LINEUP_TRUSTED_PROXIES",
                                format!("{p:?} is not an address or a range like 10.0.0.0/8"),
                            )
                        })
                })
                .collect::<Result<_, _>>()?,
        };

        let rate_limit_scale =
            match get("LINEUP_RATE_LIMITS").as_deref() {
                None => 1,
                Some("off") => 0,
                Some(value) => value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        bad(
                    "LINEUP_RATE_LIMITS",
                    format!("{value:?} must be off or a whole number of times the default limits"),
                )
                    })?,
            };

        let metrics = MetricsConfig {
            addr: match get("LINEUP_METRICS_ADDR") {
                None => None,
                Some(addr) => Some(addr.parse().map_err(|_| {
                    bad(
                        "LINEUP_METRICS_ADDR",
                        format!("{addr:?} is not an address like 127.0.0.1:9100"),
                    )
                })?),
            },
            token: match get("LINEUP_METRICS_TOKEN") {
                Some(token) if token.len() < 16 => {
                    return Err(bad(
                        "LINEUP_METRICS_TOKEN",
                        "use at least 16 characters (e.g. openssl rand -hex 16)",
                    ))
                }
                token => token,
            },
        };

        let smtp_url = match get("SMTP_URL") {
            Some(url) => {
                app::domain::notifications::mail::SmtpMailer::from_url(&url)
                    .map_err(|e| bad("SMTP_URL", e))?;
                Some(url)
            }
            None => None,
        };
        let mail_from = match get("LINEUP_MAIL_FROM") {
            Some(from) => from,
            None => app::domain::notifications::mail::default_from(&public_url),
        };
        app::domain::notifications::mail::mailbox(&mail_from)
            .map_err(|e| bad("LINEUP_MAIL_FROM", format!("{mail_from:?}: {e}")))?;

        Ok(Config {
            metrics,
            trusted_proxies,
            rate_limit_scale,
            smtp_url,
            mail_from,
            data_dir,
            site_addr,
            database_url,
            surreal_url,
            surreal_root,
            meili,
            stripe,
            platform_fee_bps,
            public_url,
            fast_track_reputation,
            time_zone,
        })
    }

    /// A server run inside another program on loopback (benchmarks, tests): `data_dir` and
    /// `database_url` as given, the graph in memory, the embedded index, no payment provider,
    /// mail written to the data directory, no fast track, and request limits off, since one
    /// client drives every request.
    pub fn in_process(data_dir: PathBuf, database_url: String) -> Config {
        Config {
            data_dir,
            site_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            surreal_url: "mem://".into(),
            surreal_root: None,
            meili: None,
            stripe: None,
            platform_fee_bps: DEFAULT_PLATFORM_FEE_BPS,
            public_url: "http://127.0.0.1".into(),
            fast_track_reputation: None,
            time_zone: DEFAULT_TIME_ZONE,
            smtp_url: None,
            mail_from: "Lineup <no-reply@localhost>".into(),
            trusted_proxies: Vec::new(),
            rate_limit_scale: 0,
            metrics: MetricsConfig::default(),
        }
    }

    /// Cookies get the `Secure` flag when the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_embedded_and_under_the_data_dir() {
        let config = with(&[("LINEUP_DATA_DIR", "/tmp/lineup-x")]).unwrap();
        assert_eq!(
            config.database_url,
            "sqlite:///tmp/lineup-x/lineup.db?mode=rwc"
        );
        assert_eq!(config.surreal_url, "surrealkv:///tmp/lineup-x/graph");
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert!(config.meili.is_none() && config.stripe.is_none());
        assert!(!config.secure_cookies());
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("LEPTOS_SITE_ADDR", "localhost")], "LEPTOS_SITE_ADDR"),
            (vec![("SURREAL_URL", "rocksdb://x")], "SURREAL_URL"),
            (vec![("MEILI_URL", "not a url")], "MEILI_URL"),
            (vec![("MEILI_MASTER_KEY", "k")], "MEILI_URL"),
            (
                vec![("MEILI_URL", "http://m:7700"), ("MEILI_INDEX", "no spaces")],
                "MEILI_INDEX",
            ),
            (
                vec![("STRIPE_SECRET_KEY", "sk_test_1")],
                "STRIPE_WEBHOOK_SECRET",
            ),
            (
                vec![
                    ("STRIPE_SECRET_KEY", "pk_test_1"),
                    ("STRIPE_WEBHOOK_SECRET", "whsec_1"),
                ],
                "STRIPE_SECRET_KEY",
            ),
            (vec![("LINEUP_PUBLIC_URL", "ftp://x")], "LINEUP_PUBLIC_URL"),
            (
                vec![("LINEUP_TIME_ZONE", "Mars/Olympus")],
                "LINEUP_TIME_ZONE",
            ),
        ];
        for (pairs, variable) in cases {
            let err = with(&pairs).unwrap_err();
            assert_eq!(err.variable, variable, "{pairs:?}");
            assert!(err.to_string().starts_with(variable));
        }
    }

    #[test]
    fn https_public_urls_make_cookies_secure() {
        let config = with(&[("LINEUP_PUBLIC_URL", "https://lineup.example/")]).unwrap();
        assert!(config.secure_cookies());
        assert_eq!(config.public_url, "https://lineup.example");
    }

    #[test]
    fn fast_track_is_on_by_default_and_can_be_turned_off_or_tuned() {
        assert_eq!(
            with(&[]).unwrap().fast_track_reputation,
            Some(DEFAULT_FAST_TRACK_REPUTATION)
        );
        assert_eq!(
            with(&[("LINEUP_FAST_TRACK", "off")])
                .unwrap()
                .fast_track_reputation,
            None
        );
        assert_eq!(
            with(&[("LINEUP_FAST_TRACK", "40")])
                .unwrap()
                .fast_track_reputation,
            Some(40)
        );
        let err = with(&[("LINEUP_FAST_TRACK", "lots")]).unwrap_err();
        assert_eq!(err.variable, "LINEUP_FAST_TRACK");
    }

    #[test]
    fn checkout_pages_are_stripes_unless_a_stub_serves_the_api() {
        let stripe = |api_base: &str| StripeConfig {
            secret_key: "sk_test".into(),
            webhook_secret: "whsec_test".into(),
            api_base: api_base.into(),
        };
        assert_eq!(
            stripe(DEFAULT_STRIPE_API_BASE).checkout_origin(),
            "https://checkout.stripe.com"
        );
        assert_eq!(
            stripe("http://127.0.0.1:3199").checkout_origin(),
            "http://127.0.0.1:3199"
        );
        assert!(app::security::policy(None, "https://checkout.stripe.com")
            .contains("form-action 'self' https://checkout.stripe.com;"));
    }

    #[test]
    fn the_platform_fee_is_a_percentage_up_to_fifty() {
        assert_eq!(platform_fee(None), Ok(DEFAULT_PLATFORM_FEE_BPS));
        assert_eq!(platform_fee(Some("2.5".into())), Ok(250));
        for bad in ["-1", "51", "lots"] {
            assert!(platform_fee(Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn proxies_limits_and_metrics_are_read_and_checked() {
        let config = with(&[
            ("LINEUP_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1 ,::1"),
            ("LINEUP_RATE_LIMITS", "3"),
            ("LINEUP_METRICS_ADDR", "127.0.0.1:9100"),
            ("LINEUP_METRICS_TOKEN", "0123456789abcdef0123"),
        ])
        .unwrap();
        assert_eq!(config.trusted_proxies.len(), 3);
        assert!(
            config.trusted_proxies[1].contains(&"192.0.2.1".parse::<std::net::IpAddr>().unwrap())
        );
        assert_eq!(config.rate_limit_scale, 3);
        assert_eq!(config.metrics.addr, Some("127.0.0.1:9100".parse().unwrap()));
        let defaults = with(&[]).unwrap();
        assert_eq!(defaults.rate_limit_scale, 1);
        assert!(defaults.trusted_proxies.is_empty());
        assert_eq!(defaults.metrics, MetricsConfig::default());
        assert_eq!(
            with(&[("LINEUP_RATE_LIMITS", "off")])
                .unwrap()
                .rate_limit_scale,
            0
        );
        for (variable, value) in [
            ("LINEUP_TRUSTED_PROXIES", "proxy.example"),
            ("LINEUP_RATE_LIMITS", "0"),
            ("LINEUP_METRICS_ADDR", "everywhere"),
            ("LINEUP_METRICS_TOKEN", "short"),
        ] {
            assert_eq!(with(&[(variable, value)]).unwrap_err().variable, variable);
        }
    }
}
