//! Getting back in and keeping the address true: the pages the mailed links open.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::accounts::{
        auth_form, ConfirmEmailChange, RequestPasswordReset, ResetPassword, VerifyEmail,
    },
    components::form::{Field, FormMessage},
};

fn token() -> String {
    use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_default()
}

/// `/password/forgot`: asks for the address a reset link goes to.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let form = OnceResource::new(auth_form("forgot".into()));
    view! {
        <Title text="Forgot your password?"/>
        <section class="panel narrow">
            <h1>"Forgot your password?"</h1>
            <p>"Tell us your account's email address and we will send you a link to choose a new password."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=RequestPasswordReset::url() class="stack">
                            <Field state name="email" label="Email" kind="email" required=true autocomplete="email"/>
                            <button type="submit" class="button primary">"Send me a link"</button>
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
    let token = token();
    let form = OnceResource::new(auth_form("reset".into()));
    view! {
        <Title text="Choose a new password"/>
        <section class="panel narrow">
            <h1>"Choose a new password"</h1>
            <p>"Every other device signed in to your account will be signed out."</p>
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let state = form.await.unwrap_or_default();
                        view! {
                            <FormMessage state=state.clone()/>
                            <form method="post" action=ResetPassword::url() class="stack">
                                <input type="hidden" name="token" value=token/>
                                <Field state name="password" label="New password" kind="password" required=true
                                    autocomplete="new-password" hint="At least 10 characters."/>
                                <button type="submit" class="button primary">"Save the new password"</button>
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
    view! {
        <Title text="Confirm your email address"/>
        <section class="panel narrow">
            <h1>"Confirm your email address"</h1>
            <form method="post" action=VerifyEmail::url() class="stack">
                <input type="hidden" name="token" value=token()/>
                <button type="submit" class="button primary">"Confirm my address"</button>
            </form>
        </section>
    }
}

/// `/email/change?token=…`: moves the account to the address the link was sent to.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    view! {
        <Title text="Use this email address"/>
        <section class="panel narrow">
            <h1>"Use this email address"</h1>
            <p>"Your Lineup account will use this address from now on; the old one is told."</p>
            <form method="post" action=ConfirmEmailChange::url() class="stack">
                <input type="hidden" name="token" value=token()/>
                <button type="submit" class="button primary">"Use this address"</button>
            </form>
        </section>
    }
}
