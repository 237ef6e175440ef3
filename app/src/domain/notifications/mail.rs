//! Outgoing mail: the message (multipart text and HTML, an optional calendar file) and the two
//! ways it leaves, behind `Mailer`: SMTP (lettre) when `SMTP_URL` is set, else `.eml` files in a
//! directory that admins read at `/admin/mail`.
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use lettre::{
    message::{
        header::{ContentType, HeaderName, HeaderValue},
        Attachment, Mailbox, MultiPart,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

/// One mail, before it is turned into MIME.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A stable id (`<notification-12@lineup.example>`), so a mail sent twice is recognisably the
    /// same one.
    pub message_id: String,
    /// An iCalendar file, attached as `event.ics`.
    pub calendar: Option<String>,
    /// The one-click unsubscribe link of mail people did not have to get (RFC 8058).
    pub unsubscribe: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The address or a header cannot be written: retrying will not help.
    #[error("cannot build the message: {0}")]
    Invalid(String),
    /// The server or the disk did not take it: worth another try later.
    #[error("{0}")]
    Transport(String),
}

impl MailError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Invalid(_))
    }
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Hands the message over; `Ok` once the server (or the disk) has accepted it.
    async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), MailError>;
    fn backend(&self) -> &'static str;
}

/// A sender or recipient such as `Lineup <events@lineup.example>`.
pub fn mailbox(text: &str) -> Result<Mailbox, String> {
    text.parse::<Mailbox>().map_err(|e| e.to_string())
}

/// `Lineup <no-reply@host>` for the site's host; `localhost` when the site is addressed by IP.
pub fn default_from(public_url: &str) -> String {
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| match u.host() {
            Some(url::Host::Domain(d)) => Some(d.to_owned()),
            _ => None,
        })
        .unwrap_or_else(|| "localhost".to_owned());
    format!("Lineup <no-reply@{host}>")
}

/// The MIME message: `multipart/mixed` of `multipart/alternative` (text, HTML) and the calendar
/// file when there is one.
pub fn message(from: &Mailbox, mail: &Mail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| MailError::Invalid(format!("recipient {:?}: {e}", mail.to)))?;
    let body = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()));
    let builder = match &mail.unsubscribe {
        Some(link) => builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{link}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            )),
        None => builder,
    };
    let built = match &mail.calendar {
        Some(ics) => builder.multipart(
            MultiPart::mixed().multipart(body).singlepart(
                Attachment::new("event.ics".to_owned()).body(
                    ics.clone(),
                    ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                        .map_err(|e| MailError::Invalid(e.to_string()))?,
                ),
            ),
        ),
        None => builder.multipart(body),
    };
    built.map_err(|e| MailError::Invalid(e.to_string()))
}

/// SMTP through lettre, with a pool of as many connections as the mail worker sends at once.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    /// `smtp://user:pass@host:587` (STARTTLS, required), `smtps://user:pass@host:465` (TLS from
    /// the first byte), or `smtp://host:25?tls=none` (no TLS: a relay on this machine, tests).
    pub fn from_url(url: &str) -> Result<SmtpMailer, String> {
        let url = transport_url(url)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| e.to_string())?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .pool_config(
                lettre::transport::smtp::PoolConfig::new()
                    .max_size(super::deliver::CONCURRENT_SENDS as u32),
            )
            .build();
        Ok(SmtpMailer { transport })
    }
}

/// `SMTP_URL` in lettre's terms: plain `smtp://` means STARTTLS, which lettre spells `tls=required`;
/// our `tls=none` is lettre's `smtp://` without a `tls` parameter.
fn transport_url(url: &str) -> Result<String, String> {
    let mut parsed = url::Url::parse(url).map_err(|e| format!("{e}"))?;
    let tls = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    match (parsed.scheme(), tls.as_deref()) {
        ("smtps", _) => {}
        ("smtp", None) => {
            parsed.query_pairs_mut().append_pair("tls", "required");
        }
        ("smtp", Some("none")) => {
            let rest: Vec<(String, String)> = parsed
                .query_pairs()
                .filter(|(k, _)| k != "tls")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            parsed.set_query(None);
            if !rest.is_empty() {
                parsed.query_pairs_mut().extend_pairs(rest);
            }
        }
        ("smtp", Some("required" | "opportunistic")) => {}
        (scheme, tls) => {
            return Err(format!(
                "use smtp:// (STARTTLS), smtps:// or smtp://…?tls=none, not {scheme}:// with tls={tls:?}"
            ))
        }
    }
    Ok(parsed.to_string())
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), MailError> {
        let message = message(from, mail)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Transport(format!("SMTP: {e}")))
    }

    fn backend(&self) -> &'static str {
        "smtp"
    }
}

/// The embedded default: each mail as an `.eml` file, named so that a listing sorts newest last.
pub struct MailDir {
    dir: PathBuf,
}

impl MailDir {
    pub fn new(dir: PathBuf) -> MailDir {
        MailDir { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for MailDir {
    async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), MailError> {
        let bytes = message(from, mail)?.formatted();
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
            file_safe(&mail.message_id)
        );
        let io = |e: std::io::Error| MailError::Transport(format!("mail directory: {e}"));
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        // written aside and renamed, so a reader never sees half a mail
        let partial = self.dir.join(format!(".{name}.partial"));
        tokio::fs::write(&partial, bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, self.dir.join(name))
            .await
            .map_err(io)
    }

    fn backend(&self) -> &'static str {
        "maildir"
    }
}

fn file_safe(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '.' => Some(c),
            '@' => Some('_'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(calendar: Option<&str>) -> Mail {
        Mail {
            to: "Ana Alves <ana@example.com>".into(),
            subject: "You're going to Jazz by the Water".into(),
            text: "See you there.\n\nhttps://lineup.example/my/tickets/4".into(),
            html: "<p>See you there.</p>".into(),
            message_id: "<notification-4@lineup.example>".into(),
            calendar: calendar.map(str::to_owned),
            unsubscribe: None,
        }
    }

    #[test]
    fn a_mail_is_text_and_html_with_the_calendar_attached() {
        let from: Mailbox = "Lineup <no-reply@lineup.example>".parse().unwrap();
        let raw = String::from_utf8(
            message(&from, &mail(Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")))
                .unwrap()
                .formatted(),
        )
        .unwrap();
        for needle in [
            "Message-ID: <notification-4@lineup.example>",
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar",
            "filename=\"event.ics\"",
        ] {
            assert!(raw.contains(needle), "{needle} missing from\n{raw}");
        }
        let plain = String::from_utf8(message(&from, &mail(None)).unwrap().formatted()).unwrap();
        assert!(!plain.contains("text/calendar") && !plain.contains("multipart/mixed"));
    }

    #[test]
    fn the_default_sender_is_the_site_host() {
        assert_eq!(
            default_from("https://lineup.example"),
            "Lineup <no-reply@lineup.example>"
        );
        assert_eq!(
            default_from("http://127.0.0.1:3000"),
            "Lineup <no-reply@localhost>"
        );
        assert!(mailbox(&default_from("http://127.0.0.1:3000")).is_ok());
        assert!(mailbox("not an address").is_err());
    }

    #[test]
    fn a_bad_address_is_a_permanent_failure() {
        let from: Mailbox = "no-reply@lineup.example".parse().unwrap();
        let mut bad = mail(None);
        bad.to = "not an address".into();
        assert!(message(&from, &bad).unwrap_err().is_permanent());
    }

    #[test]
    fn smtp_urls_mean_starttls_unless_they_say_otherwise() {
        assert_eq!(
            transport_url("smtp://u:p@mail.example:587").unwrap(),
            "smtp://u:p@mail.example:587?tls=required"
        );
        assert_eq!(
            transport_url("smtps://u:p@mail.example").unwrap(),
            "smtps://u:p@mail.example"
        );
        assert_eq!(
            transport_url("smtp://127.0.0.1:2525?tls=none").unwrap(),
            "smtp://127.0.0.1:2525"
        );
        assert!(transport_url("http://mail.example").is_err());
        assert!(transport_url("smtp://mail.example?tls=maybe").is_err());
    }

    #[tokio::test]
    async fn the_mail_directory_keeps_whole_files_only() {
        let dir = std::env::temp_dir().join(format!("lineup-maildir-{}", std::process::id()));
        let mailer = MailDir::new(dir.clone());
        let from: Mailbox = "no-reply@lineup.example".parse().unwrap();
        mailer.send(&from, &mail(None)).await.unwrap();
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(
            names[0].ends_with("-notification-4_lineup.example.eml"),
            "{names:?}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
