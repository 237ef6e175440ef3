use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::accounts::{auth_form, SignUp},
    components::{
        form::{Field, FieldError, FormMessage},
        language::use_locale,
    },
    i18n::td_string,
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(auth_form("sign_up".into()));
    view! {
        <Title text=td_string!(locale, accounts.sign_up.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.sign_up.title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    let organizer = !state.value("organizer").is_empty();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=SignUp::url() class="stack">
                            <Field state=state.clone() name="display_name" label=td_string!(locale, accounts.sign_up.your_name) required=true autocomplete="name"/>
                            <Field state=state.clone() name="email" label=td_string!(locale, accounts.fields.email) kind="email" required=true autocomplete="email"/>
                            <Field state=state.clone() name="password" label=td_string!(locale, accounts.fields.password) kind="password" required=true
                                hint=td_string!(locale, accounts.fields.password_hint) autocomplete="new-password"/>
                            <label class="check">
                                <input type="checkbox" name="organizer" value="on" checked=organizer/>
                                {td_string!(locale, accounts.sign_up.organizer)}
                            </label>
                            <FieldError id="field-role-error".into() message=state.error("role")/>
                            <button type="submit" class="button primary">{td_string!(locale, accounts.sign_up.submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
            <p>{td_string!(locale, accounts.sign_up.have_account)}<a href="/signin">{td_string!(locale, accounts.sign_up.sign_in)}</a></p>
        </section>
    }
}
