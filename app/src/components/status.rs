use leptos::prelude::*;

use crate::error::AppError;

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
    set_status(error.status());
    match error {
        AppError::Unauthorized => view! {
            <section class="panel narrow">
                <h1>"Sign in to continue"</h1>
                <p>"This page is for signed-in members."</p>
                <p><a class="button" href="/signin">"Sign in"</a>" or "<a href="/signup">"create an account"</a></p>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! {
            <section class="panel narrow">
                <h1>"Not found"</h1>
                <p>"There is nothing here. It may have been moved or is not public yet."</p>
                <p><a href="/">"Back to upcoming events"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="panel narrow">
                <h1>"Sorry"</h1>
                <p>{other.to_string()}</p>
            </section>
        }
        .into_any(),
    }
}
