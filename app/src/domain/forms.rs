use std::collections::BTreeMap;

use server_fn::codec::MultipartData;

use crate::{
    error::AppError,
    i18n::td_string,
    model::{forms::FormState, language::Locale},
};

/// Longest text field read from a form. Longer values are cut here (and so fail the field's own
/// length rule) instead of being held in memory whole.
pub const MAX_TEXT_FIELD: usize = 64 * 1024;
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;
/// More parts than any of our forms has means the post was not made by one of them.
pub const MAX_PARTS: usize = 100;
pub const MAX_FILES: usize = 2;

#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// More bytes were sent than `MAX_UPLOAD`.
    pub too_large: bool,
}

/// The fields of a posted `multipart/form-data` form, read with size limits.
#[derive(Debug, Default, Clone)]
pub struct FormFields {
    fields: BTreeMap<String, Vec<String>>,
    pub files: Vec<UploadedFile>,
}

impl FormFields {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> FormFields {
        let mut form = FormFields::default();
        for (k, v) in pairs {
            form.fields.entry(k.into()).or_default().push(v.into());
        }
        form
    }

    pub async fn read(data: MultipartData) -> Result<FormFields, AppError> {
        let locale = crate::domain::accounts::language::of_request();
        let unreadable = || td_string!(locale, accounts.error.unreadable_form).to_owned();
        let mut multipart = data
            .into_inner()
            .ok_or_else(|| AppError::Refused(unreadable()))?;
        let mut form = FormFields::default();
        let malformed = |e: multer::Error| {
            tracing::debug!(error = %e, "multipart form could not be read");
            AppError::Refused(unreadable())
        };
        let mut parts = 0;
        while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
            parts += 1;
            if parts > MAX_PARTS || form.files.len() > MAX_FILES {
                return Err(AppError::Refused(
                    td_string!(locale, accounts.error.too_many_fields).to_owned(),
                ));
            }
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let limit = if file_name.is_some() {
                MAX_UPLOAD
            } else {
                MAX_TEXT_FIELD
            };
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                if bytes.len() + chunk.len() > limit {
                    too_large = true;
                    bytes.extend_from_slice(&chunk[..limit.saturating_sub(bytes.len())]);
                    // drain the rest without keeping it
                    while field.chunk().await.map_err(malformed)?.is_some() {}
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            match file_name {
                Some(file_name) if !file_name.is_empty() || !bytes.is_empty() => {
                    form.files.push(UploadedFile {
                        field: name,
                        file_name,
                        bytes,
                        too_large,
                    })
                }
                Some(_) => {}
                None => {
                    let mut text = String::from_utf8_lossy(&bytes).into_owned();
                    if too_large {
                        // keep it over every field limit so validation reports it
                        text.push('…');
                    }
                    form.fields.entry(name).or_default().push(text);
                }
            }
        }
        Ok(form)
    }

    /// The first value of a field, or "" when absent.
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.fields
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.text(name), "on" | "true" | "1" | "yes")
    }

    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.field == name)
    }

    /// What to show in the form again after a failure, in the reader's language: values cut to a
    /// sensible length, and never secrets.
    pub fn to_state(&self, error: &AppError, locale: Locale) -> FormState {
        let values = self
            .fields
            .iter()
            .filter(|(k, _)| !k.contains("password"))
            .map(|(k, v)| {
                let joined = v.join(",");
                (k.clone(), joined.chars().take(20_000).collect())
            })
            .collect();
        FormState {
            values,
            errors: error.field_errors(),
            message: Some(error.message_in(locale)),
        }
    }
}
