use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_invitation, AnswerInvitation},
    components::status::ErrorView,
    error::AppError,
};

/// `/o/invitations/:token`: the link in an invitation mail.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_params_map().with_untracked(|p| p.get("token"));
    let view_of = token.clone();
    let page = OnceResource::new(async move {
        match view_of {
            Some(token) => load_invitation(token).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Invitation"/>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone().unwrap_or_default();
                Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(inv) => view! {
                            <section class="panel invitation">
                                <h1>"Join "{inv.organization.name.clone()}</h1>
                                <p>{inv.invited_by}" invites "<strong>{inv.email.clone()}</strong>" to join as "<strong>{inv.role.label()}</strong>"."</p>
                                <p class="muted">{inv.role_summary}</p>
                                {if !inv.open {
                                    view! { <p class="notice">"This invitation was answered, withdrawn or has expired."</p> }.into_any()
                                } else if !inv.addressed_to_me {
                                    view! { <p class="notice">"Sign in (or sign up) as "{inv.email}" to answer. "<a href="/signin">"Sign in"</a></p> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=AnswerInvitation::url() class="inline">
                                            <input type="hidden" name="token" value=token.clone()/>
                                            <button type="submit" name="answer" value="accept" class="button primary">"Accept"</button>
                                            " "
                                            <button type="submit" name="answer" value="decline" class="button">"Decline"</button>
                                        </form>
                                    }.into_any()
                                }}
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
