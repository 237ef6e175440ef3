//! The booking box on an event page.
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::ticketing::Register,
    components::form::{FieldError, FormMessage},
    model::{
        forms::FormState,
        ticketing::{RegistrationStatus, TicketSection, TicketTypeView},
    },
};

#[component]
pub fn TicketBox(section: TicketSection) -> impl IntoView {
    let event_id = section.event_id;
    let going = section.going;
    let head = view! {
        <div class="panel-head">
            <h2>"Tickets"</h2>
            <p class="going" data-testid="going-count">{format!("{going} going")}</p>
        </div>
    };
    let manage = section.can_manage.then(|| {
        view! {
            <p class="owner-actions">
                <a class="button" href=format!("/events/{event_id}/tickets")>"Ticket types"</a>
                <a class="button" href=format!("/events/{event_id}/guests")>"Guest list"</a>
                <a class="button" href=format!("/events/{event_id}/check-in")>"Check-in"</a>
            </p>
        }
    });
    let body = if let Some(own) = section.own.clone() {
        let note = match own.status {
            RegistrationStatus::Offered => format!(
                "A seat freed up for you! Accept it before {}.",
                own.expires_at.clone().unwrap_or_default()
            ),
            RegistrationStatus::Reserved => "Your seats are held while you pay.".to_owned(),
            other => format!("{} · {} × {}", other.label(), own.quantity, own.ticket_type),
        };
        view! {
            <div class="own-registration">
                <p><strong>{note}</strong></p>
                <a class="button primary" href=format!("/my/tickets/{}", own.id)>"View your registration"</a>
            </div>
        }
        .into_any()
    } else if let Some(closed) = section.closed.clone() {
        view! { <p class="muted">{closed}</p> }.into_any()
    } else if section.types.is_empty() {
        view! { <p class="muted">"Registration is not open yet."</p> }.into_any()
    } else {
        let signed_in = section.signed_in;
        let form = section.form.clone();
        let sign_in = format!(
            "/signin?next={}",
            crate::model::urlencode(&section.sign_in_next)
        );
        section
            .types
            .into_iter()
            .map(|tt| view! { <TicketTypeOffer event_id tt signed_in sign_in=sign_in.clone() form=form.clone()/> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="tickets panel" id="tickets">
            {head}
            {body}
            {manage}
        </section>
    }
}

#[component]
fn TicketTypeOffer(
    event_id: i32,
    /// Where "Sign in to register" goes.
    sign_in: String,
    tt: TicketTypeView,
    signed_in: bool,
    form: FormState,
) -> impl IntoView {
    let this_form = form.value("ticket_type") == tt.id.to_string();
    let state = if this_form {
        form
    } else {
        FormState::default()
    };
    let remaining = if tt.sold_out {
        "Sold out".to_owned()
    } else {
        format!("{} left", tt.remaining)
    };
    let action_label = if tt.sold_out && tt.waitlist {
        "Join the waitlist"
    } else if tt.requires_approval {
        "Request to join"
    } else if tt.is_free {
        "RSVP"
    } else {
        "Buy tickets"
    };
    let can_act = tt.unavailable.is_none() && (!tt.sold_out || tt.waitlist);
    let as_guest = !signed_in && tt.guests_allowed && !(tt.sold_out && tt.waitlist);
    let needs_sign_in = !signed_in && !as_guest;
    let quantity = {
        let v = state.value("quantity");
        if v.is_empty() {
            "1".to_owned()
        } else {
            v
        }
    };
    view! {
        <article class="ticket-type" data-ticket-type=tt.id>
            <header>
                <h3>{tt.name.clone()}</h3>
                <p class="price">{tt.price.clone()}</p>
            </header>
            {(!tt.description.is_empty()).then(|| view! { <p>{tt.description.clone()}</p> })}
            <p class="muted">{remaining}{tt.requires_approval.then_some(" · the organizer approves registrations")}</p>
            {this_form.then(|| view! { <FormMessage state=state.clone()/> })}
            {match (tt.unavailable.clone(), can_act, needs_sign_in) {
                (Some(why), _, _) => view! { <p class="unavailable">{why}</p> }.into_any(),
                (None, false, _) => view! { <p class="unavailable">"Sold out."</p> }.into_any(),
                (None, true, true) => view! {
                    <p><a class="button primary" href=sign_in.clone()>"Sign in to "{action_label.to_lowercase()}</a></p>
                }.into_any(),
                (None, true, false) => view! {
                    <form method="post" action=Register::url() class="register-form">
                        <input type="hidden" name="event_id" value=event_id/>
                        <input type="hidden" name="ticket_type" value=tt.id/>
                        {(tt.max_per_order > 1).then(|| view! {
                            <label for=format!("quantity-{}", tt.id)>"Tickets"</label>
                            <input id=format!("quantity-{}", tt.id) type="number" name="quantity" min="1" max=tt.max_per_order value=quantity.clone()/>
                            <FieldError id=format!("quantity-{}-error", tt.id) message=state.error("quantity")/>
                        })}
                        {as_guest.then(|| view! {
                            <label for=format!("guest-name-{}", tt.id)>"Your name"</label>
                            <input id=format!("guest-name-{}", tt.id) name="name" required value=state.value("name")/>
                            <FieldError id=format!("guest-name-{}-error", tt.id) message=state.error("name")/>
                            <label for=format!("guest-email-{}", tt.id)>"Your email"</label>
                            <input id=format!("guest-email-{}", tt.id) type="email" name="email" required value=state.value("email")/>
                            <FieldError id=format!("guest-email-{}-error", tt.id) message=state.error("email")/>
                        })}
                        {tt.questions.iter().enumerate().map(|(i, q)| {
                            let field = format!("answer{}", i + 1);
                            let id = format!("{field}-{}", tt.id);
                            view! {
                                <label for=id.clone()>{q.clone()}</label>
                                <input id=id.clone() name=field.clone() required maxlength="500" value=state.value(&field)/>
                                <FieldError id=format!("{id}-error") message=state.error(&field)/>
                            }
                        }).collect_view()}
                        <button type="submit" class="button primary">{action_label}</button>
                    </form>
                }.into_any(),
            }}
        </article>
    }
}
