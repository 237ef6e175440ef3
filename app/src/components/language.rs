//! The language a page is in, and the switch between languages.
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use server_fn::ServerFn;

use crate::{
    api::accounts::SetLanguage,
    i18n::td_string,
    model::language::{native_name, Locale, LANGUAGES},
};

/// The language of the page being rendered (the shell provides it from the request).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// One button per language; a plain form, so it works without JavaScript. `back` is where the
/// page returns to, in the chosen language.
#[component]
pub fn LanguageSwitch(back: String, #[prop(optional)] id: &'static str) -> impl IntoView {
    let locale = use_locale();
    let label_id = format!("language-{}", if id.is_empty() { "switch" } else { id });
    let labelled_by = label_id.clone();
    view! {
        <form method="post" action=SetLanguage::url() class="language-switch" role="group"
            aria-labelledby=labelled_by>
            <input type="hidden" name="back" value=back/>
            <span id=label_id>{td_string!(locale, common.language.label)}</span>
            {LANGUAGES
                .into_iter()
                .map(|l| {
                    let current = l == locale;
                    view! {
                        <button type="submit" name="lang" value=l.as_str() lang=l.as_str() class="link"
                            aria-pressed=if current { "true" } else { "false" }>
                            {native_name(l)}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
