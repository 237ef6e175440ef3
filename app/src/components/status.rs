use leptos::prelude::*;

use crate::{components::language::use_locale, error::AppError, i18n::td_string};

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// What a page shows when its data could not be loaded, with the matching status code.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let locale = use_locale();
    set_status(error.status());
    match error {
        AppError::Unauthorized => view! {
            <section class="panel narrow">
                <h1>{td_string!(locale, accounts.shared.sign_in_needed.title)}</h1>
                <p>{td_string!(locale, accounts.shared.sign_in_needed.body)}</p>
                <p><a class="button" href="/signin">{td_string!(locale, accounts.shared.sign_in_needed.sign_in)}</a>{td_string!(locale, accounts.shared.sign_in_needed.or)}<a href="/signup">{td_string!(locale, accounts.shared.sign_in_needed.create_account)}</a></p>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! {
            <section class="panel narrow">
                <h1>{td_string!(locale, accounts.shared.not_found.title)}</h1>
                <p>{td_string!(locale, accounts.shared.not_found.body)}</p>
                <p><a href="/">{td_string!(locale, accounts.shared.not_found.back)}</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="panel narrow">
                <h1>{td_string!(locale, accounts.shared.error_title)}</h1>
                <p>{other.message_in(locale)}</p>
            </section>
        }
        .into_any(),
    }
}
