use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::accounts::{auth_form, SignIn},
    components::form::{Field, FormMessage},
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let form = OnceResource::new(auth_form("sign_in".into()));
    view! {
        <Title text="Sign in"/>
        <section class="panel narrow">
            <h1>"Sign in"</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let next = next.clone();
                    Suspend::new(async move {
                        let state = form.await.unwrap_or_default();
                        view! {
                            <FormMessage state=state.clone()/>
                            <form method="post" action=SignIn::url() class="stack">
                                <input type="hidden" name="next" value=next/>
                                <Field state=state.clone() name="email" label="Email" kind="email" required=true autocomplete="email"/>
                                <Field state=state name="password" label="Password" kind="password" required=true autocomplete="current-password"/>
                                <button type="submit" class="button primary">"Sign in"</button>
                            </form>
                        }
                    })
                }}
            </Suspense>
            <p><a href="/password/forgot">"Forgot your password?"</a>" · "<a href="/guest/tickets">"Booked without an account? Get your tickets again"</a></p>
            <p>"New here? "<a href="/signup">"Create an account"</a></p>
        </section>
    }
}
