//! Getting back in and keeping the address true: the pages the mailed links open.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::accounts::{
        auth_form, ConfirmEmailChange, RequestPasswordReset, ResetPassword, VerifyEmail,
    },
    components::{
        form::{Field, FormMessage},
        language::use_locale,
    },
    i18n::td_string,
};

fn token() -> String {
    use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_default()
}

/// `/password/forgot`: asks for the address a reset link goes to.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(auth_form("forgot".into()));
    view! {
        <Title text=td_string!(locale, accounts.forgot.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.forgot.title)}</h1>
            <p>{td_string!(locale, accounts.forgot.intro)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=RequestPasswordReset::url() class="stack">
                            <Field state name="email" label=td_string!(locale, accounts.fields.email) kind="email" required=true autocomplete="email"/>
                            <button type="submit" class="button primary">{td_string!(locale, accounts.forgot.submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/password/reset?token=…`: the mailed link; chooses the new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let token = token();
    let form = OnceResource::new(auth_form("reset".into()));
    view! {
        <Title text=td_string!(locale, accounts.reset.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.reset.title)}</h1>
            <p>{td_string!(locale, accounts.reset.intro)}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let state = form.await.unwrap_or_default();
                        view! {
                            <FormMessage state=state.clone()/>
                            <form method="post" action=ResetPassword::url() class="stack">
                                <input type="hidden" name="token" value=token/>
                                <Field state name="password" label=td_string!(locale, accounts.reset.new_password) kind="password" required=true
                                    autocomplete="new-password" hint=td_string!(locale, accounts.fields.password_hint)/>
                                <button type="submit" class="button primary">{td_string!(locale, accounts.reset.submit)}</button>
                            </form>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// `/email/verify?token=…`: a button, not the link itself, confirms: mail scanners open links.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, accounts.verify.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.verify.title)}</h1>
            <form method="post" action=VerifyEmail::url() class="stack">
                <input type="hidden" name="token" value=token()/>
                <button type="submit" class="button primary">{td_string!(locale, accounts.verify.submit)}</button>
            </form>
        </section>
    }
}

/// `/email/change?token=…`: moves the account to the address the link was sent to.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, accounts.change.title)/>
        <section class="panel narrow">
            <h1>{td_string!(locale, accounts.change.title)}</h1>
            <p>{td_string!(locale, accounts.change.intro)}</p>
            <form method="post" action=ConfirmEmailChange::url() class="stack">
                <input type="hidden" name="token" value=token()/>
                <button type="submit" class="button primary">{td_string!(locale, accounts.change.submit)}</button>
            </form>
        </section>
    }
}
