//! Reading the mail directory back (the embedded mailer's `.eml` files) for `/admin/mail`.
use std::path::Path;

use mail_parser::{Address, Message, MessageParser, MimeHeaders};

use crate::{
    domain::context::internal,
    error::AppError,
    model::notifications::{MailSummary, MailView},
};

/// Mails listed, newest first.
pub const LISTED: usize = 100;

pub async fn list(dir: &Path) -> Result<Vec<MailSummary>, AppError> {
    let mut names = eml_names(dir).await?;
    names.sort_unstable_by(|a, b| b.cmp(a));
    let mut out = Vec::new();
    for name in names.into_iter().take(LISTED) {
        if let Some(bytes) = read(dir, &name).await? {
            if let Some(message) = MessageParser::default().parse(&bytes) {
                out.push(summary(name, &message));
            }
        }
    }
    Ok(out)
}

/// One mail by its file name; `NotFound` for anything that is not a mail of the directory.
pub async fn open(dir: &Path, name: &str) -> Result<MailView, AppError> {
    let valid = name.ends_with(".eml")
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !valid {
        return Err(AppError::NotFound);
    }
    let bytes = read(dir, name).await?.ok_or(AppError::NotFound)?;
    let message = MessageParser::default()
        .parse(&bytes)
        .ok_or(AppError::NotFound)?;
    Ok(MailView {
        headers: message
            .headers()
            .iter()
            .filter_map(|h| {
                let raw = bytes.get(h.offset_start() as usize..h.offset_end() as usize)?;
                Some((
                    h.name().to_owned(),
                    String::from_utf8_lossy(raw).trim().to_owned(),
                ))
            })
            .collect(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message.body_html(0).map(|h| h.into_owned()),
        attachments: message
            .attachments()
            .filter_map(|a| a.attachment_name().map(str::to_owned))
            .collect(),
        summary: summary(name.to_owned(), &message),
    })
}

fn summary(name: String, message: &Message<'_>) -> MailSummary {
    MailSummary {
        to: message.to().map(addresses).unwrap_or_default(),
        subject: message.subject().unwrap_or("(no subject)").to_owned(),
        date: message.date().map(|d| d.to_rfc3339()).unwrap_or_default(),
        name,
    }
}

fn addresses(list: &Address<'_>) -> String {
    list.iter()
        .filter_map(|a| a.address())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn eml_names(dir: &Path) -> Result<Vec<String>, AppError> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(internal(e)),
    };
    let mut names = Vec::new();
    while let Some(entry) = entries.next_entry().await.map_err(internal)? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".eml") && !name.starts_with('.') {
            names.push(name);
        }
    }
    Ok(names)
}

async fn read(dir: &Path, name: &str) -> Result<Option<Vec<u8>>, AppError> {
    match tokio::fs::read(dir.join(name)).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(internal(e)),
    }
}
