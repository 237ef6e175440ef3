use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::accounts::{auth_form, SignUp},
    components::form::{Field, FieldError, FormMessage},
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let form = OnceResource::new(auth_form("sign_up".into()));
    view! {
        <Title text="Create an account"/>
        <section class="panel narrow">
            <h1>"Create an account"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let state = form.await.unwrap_or_default();
                    let organizer = !state.value("organizer").is_empty();
                    view! {
                        <FormMessage state=state.clone()/>
                        <form method="post" action=SignUp::url() class="stack">
                            <Field state=state.clone() name="display_name" label="Your name" required=true autocomplete="name"/>
                            <Field state=state.clone() name="email" label="Email" kind="email" required=true autocomplete="email"/>
                            <Field state=state.clone() name="password" label="Password" kind="password" required=true
                                hint="At least 10 characters." autocomplete="new-password"/>
                            <label class="check">
                                <input type="checkbox" name="organizer" value="on" checked=organizer/>
                                " I organize events and want to publish them"
                            </label>
                            <FieldError id="field-role-error".into() message=state.error("role")/>
                            <button type="submit" class="button primary">"Create account"</button>
                        </form>
                    }
                })}
            </Suspense>
            <p>"Already have an account? "<a href="/signin">"Sign in"</a></p>
        </section>
    }
}
