use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{
        load_registration, load_ticket_by_code, AcceptOffer, CancelRegistration, DeclineOffer,
        ResumePayment,
    },
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::td_string,
    model::{
        labels_ticketing::ticket_status_in,
        ticketing::{RegistrationStatus, RegistrationView},
    },
    pages::events::show::id_param,
};

/// `/my/tickets/:id`: one registration of the signed-in person.
#[component]
pub fn RegistrationPage() -> impl IntoView {
    let id = id_param();
    let data = OnceResource::new(async move {
        match id {
            Ok(id) => load_registration(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(reg) => view! { <RegistrationDetails reg actions=true/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/tickets/:code`: a guest's tickets, reached through the secret code of one of them.
#[component]
pub fn TicketByCodePage() -> impl IntoView {
    let code = use_params_map()
        .with_untracked(|p| p.get("code"))
        .ok_or(AppError::NotFound);
    let data = OnceResource::new(async move {
        match code {
            Ok(code) => load_ticket_by_code(code).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(reg) => view! { <RegistrationDetails reg actions=false/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationDetails(reg: RegistrationView, actions: bool) -> impl IntoView {
    let locale = use_locale();
    let id = reg.id;
    let status = reg.status;
    view! {
        <Title text=td_string!(locale, tickets.registration.title, event = &reg.event_title)/>
        <section class="panel registration">
            <p class="muted"><a href=format!("/events/{}", reg.event_id)>{reg.event_title.clone()}</a></p>
            <h1>{reg.quantity}" × "{reg.ticket_type.clone()}</h1>
            <p>{reg.event_when.clone()}" · "{reg.place.clone()}</p>
            <p><span class=format!("status status-{}", status.as_str()) data-testid="registration-status">{status.label_in(locale)}</span>
                {(!reg.is_free).then(|| view! { " · "{reg.amount.clone()} })}
            </p>
            {(status == RegistrationStatus::Offered).then(|| view! {
                <p class="notice">{td_string!(locale, tickets.registration.offered, expires = reg.expires_at.clone().unwrap_or_default())}</p>
            })}
            {(status == RegistrationStatus::Reserved).then(|| view! {
                <p class="notice">{td_string!(locale, tickets.registration.reserved, expires = reg.expires_at.clone().unwrap_or_default())}</p>
            })}
            {actions.then(|| view! {
                <div class="owner-actions">
                    {(status == RegistrationStatus::Offered).then(|| view! {
                        <form method="post" action=AcceptOffer::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button primary">{td_string!(locale, tickets.registration.accept)}</button>
                        </form>
                        <form method="post" action=DeclineOffer::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button">{td_string!(locale, tickets.registration.pass)}</button>
                        </form>
                    })}
                    {(status == RegistrationStatus::Reserved && reg.checkout_url.is_some()).then(|| view! {
                        <form method="post" action=ResumePayment::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button primary">{td_string!(locale, tickets.registration.pay)}</button>
                        </form>
                    })}
                    {reg.can_cancel.then(|| view! {
                        <form method="post" action=CancelRegistration::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button danger">{td_string!(locale, tickets.registration.cancel)}</button>
                        </form>
                    })}
                </div>
            })}
            {status.is_going().then(|| view! {
                <p><a class="button" href=format!("/events/{}/calendar.ics", reg.event_id)>{td_string!(locale, tickets.registration.add_to_calendar)}</a></p>
            })}
            <div class="tickets-grid">
                {reg.tickets.into_iter().map(|t| { let used = t.checked_in_at.is_some(); view! {
                    <figure class="ticket" data-testid="ticket" class:used=used>
                        <div class="qr" role="img" aria-label=td_string!(locale, tickets.registration.qr, number = t.number) inner_html=t.qr_svg></div>
                        <figcaption>
                            <strong>{td_string!(locale, tickets.registration.ticket, number = t.number)}</strong><br/>
                            <code class="ticket-code">{t.code}</code><br/>
                            {match (t.status.as_str(), t.checked_in_at) {
                                ("valid", Some(at)) => td_string!(locale, tickets.registration.checked_in, at = at),
                                ("valid", None) => td_string!(locale, tickets.registration.show_at_door).to_owned(),
                                (other, _) => td_string!(locale, tickets.registration.ticket_was, status = ticket_status_in(locale, other)),
                            }}
                        </figcaption>
                    </figure>
                }}).collect_view()}
            </div>
            <details class="history">
                <summary>{td_string!(locale, tickets.registration.history)}</summary>
                <ol>
                    {reg.history.into_iter().map(|c| view! {
                        <li>{c.when}": "{c.from.map(|f| format!("{f} → ")).unwrap_or_default()}{c.to}{(!c.note.is_empty()).then(|| format!(" — {}", c.note))}</li>
                    }).collect_view()}
                </ol>
            </details>
        </section>
    }
}
