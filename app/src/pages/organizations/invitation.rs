use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_invitation, AnswerInvitation},
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::{td, td_string},
    model::language::Locale,
};

/// `/o/invitations/:token`: the link in an invitation mail.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let locale = use_locale();
    let token = use_params_map().with_untracked(|p| p.get("token"));
    let view_of = token.clone();
    let page = OnceResource::new(async move {
        match view_of {
            Some(token) => load_invitation(token).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text=td_string!(locale, organizations.invitation.title)/>
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone().unwrap_or_default();
                Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(inv) => view! {
                            <section class="panel invitation">
                                <h1>{td_string!(locale, organizations.invitation.join, name = &inv.organization.name)}</h1>
                                <p>{invites(locale, inv.invited_by, inv.email.clone(), inv.role.label_in(locale))}</p>
                                <p class="muted">{inv.role_summary}</p>
                                {if !inv.open {
                                    view! { <p class="notice">{td_string!(locale, organizations.invitation.closed)}</p> }.into_any()
                                } else if !inv.addressed_to_me {
                                    view! { <p class="notice">{td_string!(locale, organizations.invitation.sign_in_to_answer, email = inv.email)}" "<a href="/signin">{td_string!(locale, organizations.invitation.sign_in)}</a></p> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=AnswerInvitation::url() class="inline">
                                            <input type="hidden" name="token" value=token.clone()/>
                                            <button type="submit" name="answer" value="accept" class="button primary">{td_string!(locale, organizations.invitation.accept)}</button>
                                            " "
                                            <button type="submit" name="answer" value="decline" class="button">{td_string!(locale, organizations.invitation.decline)}</button>
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

/// "… invites <strong>email</strong> to join as <strong>role</strong>." The bold parts are views
/// passed as placeholders: leptos_i18n 0.6 reads the text before a translation's first tag as
/// plain text, so `{{ who }}` would stay unfilled in front of a `<strong>` tag.
fn invites(locale: Locale, who: String, email: String, role: &'static str) -> impl IntoView {
    let email = move || view! { <strong>{email.clone()}</strong> };
    let role = move || view! { <strong>{role}</strong> };
    td!(locale, organizations.invitation.invites, who, email, role)
}
