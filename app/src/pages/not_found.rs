use leptos::prelude::*;
use leptos_meta::Title;

use crate::{components::status::ErrorView, error::AppError};

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found"/>
        <ErrorView error=AppError::NotFound/>
    }
}
