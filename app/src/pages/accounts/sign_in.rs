use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::accounts::{auth_form, SignIn},
    components::{
        form::{Field, FormMessage},
        language::use_locale,
    },
    i18n::td_string,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let form = OnceResource::new(auth_form("sign_in".into()));
    view! {
        <Title text=td_string!(locale, accounts.sign_in.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.sign_in.title)}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        let state = form.await.unwrap_or_default();
                        view! {
                            <FormMessage state=state.clone()/>
                            <form method="post" action=SignIn::url() class="stack">
                                <input type="hidden" name="next" value=next/>
                                <Field state=state.clone() name="email" label=td_string!(locale, accounts.fields.email) kind="email" required=true autocomplete="email"/>
                                <Field state=state name="password" label=td_string!(locale, accounts.fields.password) kind="password" required=true autocomplete="current-password"/>
                                <button type="submit" class="button primary">{td_string!(locale, accounts.sign_in.submit)}</button>
                            </form>
                        }
                    })
                }}
            </Suspense>
            <p><a href="/password/forgot">{td_string!(locale, accounts.sign_in.forgot)}</a>" · "<a href="/guest/tickets">{td_string!(locale, accounts.sign_in.guest_tickets)}</a></p>
            <p>{td_string!(locale, accounts.sign_in.new_here)}<a href="/signup">{td_string!(locale, accounts.sign_in.create_account)}</a></p>
        </section>
    }
}
