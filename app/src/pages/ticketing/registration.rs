use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{
        load_registration, load_ticket_by_code, AcceptOffer, CancelRegistration, DeclineOffer,
        ResumePayment,
    },
    components::status::ErrorView,
    error::AppError,
    model::ticketing::{RegistrationStatus, RegistrationView},
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
    let id = reg.id;
    let status = reg.status;
    view! {
        <Title text=format!("Tickets · {}", reg.event_title)/>
        <section class="panel registration">
            <p class="muted"><a href=format!("/events/{}", reg.event_id)>{reg.event_title.clone()}</a></p>
            <h1>{reg.quantity}" × "{reg.ticket_type.clone()}</h1>
            <p>{reg.event_when.clone()}" · "{reg.place.clone()}</p>
            <p><span class=format!("status status-{}", status.as_str()) data-testid="registration-status">{status.label()}</span>
                {(reg.amount != "Free").then(|| view! { " · "{reg.amount.clone()} })}
            </p>
            {(status == RegistrationStatus::Offered).then(|| view! {
                <p class="notice">"A seat freed up for you. It is yours if you accept before "{reg.expires_at.clone().unwrap_or_default()}"."</p>
            })}
            {(status == RegistrationStatus::Reserved).then(|| view! {
                <p class="notice">"Your seats are held until "{reg.expires_at.clone().unwrap_or_default()}". Your tickets appear here once the payment is confirmed."</p>
            })}
            {actions.then(|| view! {
                <div class="owner-actions">
                    {(status == RegistrationStatus::Offered).then(|| view! {
                        <form method="post" action=AcceptOffer::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button primary">"Accept the seat"</button>
                        </form>
                        <form method="post" action=DeclineOffer::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button">"Pass it on"</button>
                        </form>
                    })}
                    {(status == RegistrationStatus::Reserved && reg.checkout_url.is_some()).then(|| view! {
                        <form method="post" action=ResumePayment::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button primary">"Pay now"</button>
                        </form>
                    })}
                    {reg.can_cancel.then(|| view! {
                        <form method="post" action=CancelRegistration::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="button danger">"Cancel my registration"</button>
                        </form>
                    })}
                </div>
            })}
            {status.is_going().then(|| view! {
                <p><a class="button" href=format!("/events/{}/calendar.ics", reg.event_id)>"Add to calendar"</a></p>
            })}
            <div class="tickets-grid">
                {reg.tickets.into_iter().map(|t| { let used = t.checked_in_at.is_some(); view! {
                    <figure class="ticket" data-testid="ticket" class:used=used>
                        <div class="qr" role="img" aria-label=format!("QR code of ticket {}", t.number) inner_html=t.qr_svg></div>
                        <figcaption>
                            <strong>"Ticket "{t.number}</strong><br/>
                            <code class="ticket-code">{t.code}</code><br/>
                            {match (t.status.as_str(), t.checked_in_at) {
                                ("valid", Some(at)) => format!("Checked in {at}"),
                                ("valid", None) => "Show this at the door".to_owned(),
                                (other, _) => format!("This ticket was {other}"),
                            }}
                        </figcaption>
                    </figure>
                }}).collect_view()}
            </div>
            <details class="history">
                <summary>"History"</summary>
                <ol>
                    {reg.history.into_iter().map(|c| view! {
                        <li>{c.when}": "{c.from.map(|f| format!("{f} → ")).unwrap_or_default()}{c.to}{(!c.note.is_empty()).then(|| format!(" — {}", c.note))}</li>
                    }).collect_view()}
                </ol>
            </details>
        </section>
    }
}
