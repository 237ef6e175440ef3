use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::td_string,
};

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, accounts.shared.not_found.title)/>
        <ErrorView error=AppError::NotFound/>
    }
}
