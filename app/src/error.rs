use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{i18n::td_string, model::language::Locale};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// Validation messages keyed by form field name, rendered next to the field.
pub type FieldErrors = BTreeMap<String, String>;

/// The error every server function returns. The fixed messages below are English, for logs;
/// people read them in their language ([`AppError::message_in`]). The text a variant carries is
/// written in the reader's language where it is made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    #[error("{0}")]
    Refused(String),
    #[error("Too many failed sign-in attempts. Try again in {0} seconds.")]
    Throttled(u64),
    /// Asked for too often (links by mail, say); the message says what to do instead.
    #[error("{0}")]
    TooMany(String),
    /// The request itself could not be read (a malformed body, a wrong content type).
    #[error("{0}")]
    BadRequest(String),
    #[error("That is more than we accept in one request.")]
    TooLarge,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        AppError::Validation(FieldErrors::from([(name.to_string(), message.into())]))
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) | AppError::Refused(_) => 422,
            AppError::Throttled(_) | AppError::TooMany(_) => 429,
            AppError::BadRequest(_) => 400,
            AppError::TooLarge => 413,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// What the error says to the person reading the page, in their language (its `Display`
    /// stays English, for logs). Refusals and the like carry text written in that language already.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            AppError::Unauthorized => td_string!(locale, accounts.error.unauthorized).to_owned(),
            AppError::Forbidden => td_string!(locale, accounts.error.forbidden).to_owned(),
            AppError::NotFound => td_string!(locale, accounts.error.not_found).to_owned(),
            AppError::Validation(_) => td_string!(locale, accounts.error.validation).to_owned(),
            AppError::Throttled(seconds) => {
                td_string!(locale, accounts.error.throttled, seconds = seconds)
            }
            AppError::TooLarge => td_string!(locale, accounts.error.too_large).to_owned(),
            AppError::Internal => td_string!(locale, accounts.error.internal).to_owned(),
            AppError::Refused(message)
            | AppError::TooMany(message)
            | AppError::BadRequest(message)
            | AppError::Transport(message) => message.clone(),
        }
    }

    pub fn field_errors(&self) -> FieldErrors {
        match self {
            AppError::Validation(errors) => errors.clone(),
            _ => FieldErrors::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // the body limit (`guard::limit_body`) ended the body, whichever step was reading it
        if value.to_string().contains("length limit exceeded") {
            return AppError::TooLarge;
        }
        // answered in the language of the request on the server; the browser's copy of this
        // conversion only meets transport failures, and stays in English so that the
        // WebAssembly carries no translations
        #[cfg(feature = "ssr")]
        let (malformed, unreadable, wrong_method) = {
            let locale = crate::domain::accounts::language::of_request();
            (
                move |detail: String| td_string!(locale, accounts.error.malformed_form, detail),
                move |detail: String| td_string!(locale, accounts.error.unreadable_request, detail),
                move |method: String| td_string!(locale, accounts.error.wrong_method, method),
            )
        };
        #[cfg(not(feature = "ssr"))]
        let (malformed, unreadable, wrong_method) = (
            |detail: String| format!("The form was incomplete or malformed ({detail})."),
            |detail: String| format!("The request could not be read ({detail})."),
            |method: String| format!("This address does not take {method} requests."),
        );
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                AppError::Refused(malformed(detail))
            }
            ServerFnErrorErr::Deserialization(detail) => AppError::BadRequest(unreadable(detail)),
            ServerFnErrorErr::UnsupportedRequestMethod(method) => {
                AppError::BadRequest(wrong_method(method))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
