use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// Validation messages keyed by form field name, rendered next to the field.
pub type FieldErrors = BTreeMap<String, String>;

/// The error every server function returns. The fixed messages below are English, for logs;
/// pages show them in the reader's language (`components::status::error_message`). The text a
/// variant carries is written in the reader's language where it is made.
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
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::Refused(format!("The form was incomplete or malformed ({msg})."))
            }
            ServerFnErrorErr::Deserialization(msg) => {
                AppError::BadRequest(format!("The request could not be read ({msg})."))
            }
            ServerFnErrorErr::UnsupportedRequestMethod(method) => {
                AppError::BadRequest(format!("This address does not take {method} requests."))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
