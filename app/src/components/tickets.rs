//! The booking box on an event page.
use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::ticketing::Register,
    components::{
        form::{FieldError, FormMessage},
        language::use_locale,
    },
    i18n::td_string,
    model::{
        forms::FormState,
        ticketing::{RegistrationStatus, TicketSection, TicketTypeView},
    },
};

#[component]
pub fn TicketBox(section: TicketSection) -> impl IntoView {
    let locale = use_locale();
    let event_id = section.event_id;
    let going = section.going;
    let head = view! {
        <div class="panel-head">
            <h2>{td_string!(locale, tickets.booking.title)}</h2>
            <p class="going" data-testid="going-count">{td_string!(locale, tickets.booking.going, count = going)}</p>
        </div>
    };
    let manage = section.can_manage.then(|| {
        view! {
            <p class="owner-actions">
                <a class="button" href=format!("/events/{event_id}/tickets")>{td_string!(locale, tickets.types.title)}</a>
                <a class="button" href=format!("/events/{event_id}/guests")>{td_string!(locale, tickets.guests.title)}</a>
                <a class="button" href=format!("/events/{event_id}/check-in")>{td_string!(locale, tickets.check_in.title)}</a>
            </p>
        }
    });
    let body = if let Some(own) = section.own.clone() {
        let note = match own.status {
            RegistrationStatus::Offered => td_string!(
                locale,
                tickets.booking.offered,
                expires = own.expires_at.clone().unwrap_or_default()
            ),
            RegistrationStatus::Reserved => td_string!(locale, tickets.booking.reserved).to_owned(),
            other => format!(
                "{} · {} × {}",
                other.label_in(locale),
                own.quantity,
                own.ticket_type
            ),
        };
        view! {
            <div class="own-registration">
                <p><strong>{note}</strong></p>
                <a class="button primary" href=format!("/my/tickets/{}", own.id)>{td_string!(locale, tickets.booking.view)}</a>
            </div>
        }
        .into_any()
    } else if let Some(closed) = section.closed.clone() {
        view! { <p class="muted">{closed}</p> }.into_any()
    } else if section.types.is_empty() {
        view! { <p class="muted">{td_string!(locale, tickets.booking.not_open)}</p> }.into_any()
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
    let locale = use_locale();
    let this_form = form.value("ticket_type") == tt.id.to_string();
    let state = if this_form {
        form
    } else {
        FormState::default()
    };
    let remaining = if tt.sold_out {
        td_string!(locale, tickets.booking.sold_out).to_owned()
    } else {
        td_string!(locale, tickets.booking.left, count = tt.remaining)
    };
    let (action_label, sign_in_label) = if tt.sold_out && tt.waitlist {
        (
            td_string!(locale, tickets.booking.join_waitlist),
            td_string!(locale, tickets.booking.sign_in_join_waitlist),
        )
    } else if tt.requires_approval {
        (
            td_string!(locale, tickets.booking.request),
            td_string!(locale, tickets.booking.sign_in_request),
        )
    } else if tt.is_free {
        (
            td_string!(locale, tickets.booking.rsvp),
            td_string!(locale, tickets.booking.sign_in_rsvp),
        )
    } else {
        (
            td_string!(locale, tickets.booking.buy),
            td_string!(locale, tickets.booking.sign_in_buy),
        )
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
            <p class="muted">{remaining}{tt.requires_approval.then(|| format!(" · {}", td_string!(locale, tickets.booking.approval)))}</p>
            {this_form.then(|| view! { <FormMessage state=state.clone()/> })}
            {match (tt.unavailable.clone(), can_act, needs_sign_in) {
                (Some(why), _, _) => view! { <p class="unavailable">{why}</p> }.into_any(),
                (None, false, _) => view! { <p class="unavailable">{td_string!(locale, tickets.booking.sold_out_sentence)}</p> }.into_any(),
                (None, true, true) => view! {
                    <p><a class="button primary" href=sign_in.clone()>{sign_in_label}</a></p>
                }.into_any(),
                (None, true, false) => view! {
                    <form method="post" action=Register::url() class="register-form">
                        <input type="hidden" name="event_id" value=event_id/>
                        <input type="hidden" name="ticket_type" value=tt.id/>
                        {(tt.max_per_order > 1).then(|| view! {
                            <label for=format!("quantity-{}", tt.id)>{td_string!(locale, tickets.booking.quantity)}</label>
                            <input id=format!("quantity-{}", tt.id) type="number" name="quantity" min="1" max=tt.max_per_order value=quantity.clone()/>
                            <FieldError id=format!("quantity-{}-error", tt.id) message=state.error("quantity")/>
                        })}
                        {as_guest.then(|| view! {
                            <label for=format!("guest-name-{}", tt.id)>{td_string!(locale, tickets.booking.your_name)}</label>
                            <input id=format!("guest-name-{}", tt.id) name="name" required value=state.value("name")/>
                            <FieldError id=format!("guest-name-{}-error", tt.id) message=state.error("name")/>
                            <label for=format!("guest-email-{}", tt.id)>{td_string!(locale, tickets.booking.your_email)}</label>
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
