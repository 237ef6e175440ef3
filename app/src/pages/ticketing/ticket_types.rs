use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{load_ticket_admin, SaveTicketType},
    components::{
        form::{Field, FieldError, FormMessage},
        language::use_locale,
        status::ErrorView,
    },
    i18n::td_string,
    model::{forms::FormState, ticketing::TicketAdmin},
    pages::events::show::id_param,
};

/// `/events/:id/tickets`: the organizer's ticket types.
#[component]
pub fn TicketTypesPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let data = OnceResource::new(async move {
        match id {
            Ok(id) => load_ticket_admin(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Title text=td_string!(locale, tickets.types.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(admin) => view! { <TicketAdminView admin/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TicketAdminView(admin: TicketAdmin) -> impl IntoView {
    let locale = use_locale();
    let event_id = admin.event_id;
    view! {
        <section class="panel">
            <p class="muted"><a href=format!("/events/{event_id}")>{admin.event_title.clone()}</a></p>
            <h1>{td_string!(locale, tickets.types.title)}</h1>
            <p>{td_string!(locale, tickets.types.seats, taken = admin.seats_taken, capacity = admin.capacity)}</p>
            <p class="owner-actions">
                <a class="button" href=format!("/events/{event_id}/guests")>{td_string!(locale, tickets.guests.title)}</a>
                <a class="button" href=format!("/events/{event_id}/check-in")>{td_string!(locale, tickets.check_in.title)}</a>
            </p>
            {(!admin.payments_enabled).then(|| view! {
                <p class="status-banner">{td_string!(locale, tickets.types.no_payments)}</p>
            })}
            <table class="table">
                <thead><tr>
                    <th>{td_string!(locale, tickets.types.ticket)}</th>
                    <th>{td_string!(locale, tickets.types.price)}</th>
                    <th>{td_string!(locale, tickets.types.taken)}</th>
                    <th>{td_string!(locale, tickets.types.on_sale)}</th>
                </tr></thead>
                <tbody>
                    {admin.types.iter().map(|t| view! {
                        <tr><td>{t.name.clone()}</td><td>{t.price.clone()}</td><td>{t.taken}" / "{t.quantity}</td><td>{if t.on_sale { td_string!(locale, tickets.types.yes) } else { td_string!(locale, tickets.types.paused) }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {admin.types.into_iter().map(|t| view! {
                <details class="edit-type">
                    <summary>{td_string!(locale, tickets.types.edit, name = &t.name)}</summary>
                    <TicketTypeForm event_id state=t.state/>
                </details>
            }).collect_view()}
            <h2>{td_string!(locale, tickets.types.create)}</h2>
            <TicketTypeForm event_id state=admin.new_type/>
            <h2>{td_string!(locale, tickets.types.payouts)}</h2>
            <p class="muted">{td_string!(locale, tickets.types.fee, percent = admin.platform_fee_percent)}</p>
            {admin.sales_blocked.clone().map(|why| view! { <p class="status-banner">{why}</p> })}
            <p><a class="button" href=admin.finance_url.clone()>{td_string!(locale, tickets.types.finance)}</a></p>
        </section>
    }
}

#[component]
fn TicketTypeForm(event_id: i32, state: FormState) -> impl IntoView {
    let locale = use_locale();
    let prefix = match state.value("id").as_str() {
        "" => "new-".to_owned(),
        id => format!("type{id}-"),
    };
    let questions_id = format!("{prefix}questions");
    let check = |state: &FormState, name: &'static str, label: &'static str| {
        let on = matches!(state.value(name).as_str(), "on" | "true");
        view! { <label class="check"><input type="checkbox" name=name checked=on/>" "{label}</label> }
    };
    view! {
        <form method="post" action=SaveTicketType::url() class="form ticket-type-form">
            <FormMessage state=state.clone()/>
            <input type="hidden" name="event_id" value=event_id/>
            <input type="hidden" name="id" value=state.value("id")/>
            <Field id_prefix=prefix.clone() state=state.clone() name="name" label=td_string!(locale, tickets.types.form.name) required=true/>
            <Field id_prefix=prefix.clone() state=state.clone() name="description" label=td_string!(locale, tickets.types.form.description)/>
            <Field id_prefix=prefix.clone() state=state.clone() name="price" label=td_string!(locale, tickets.types.form.price) hint=td_string!(locale, tickets.types.form.price_hint)/>
            <Field id_prefix=prefix.clone() state=state.clone() name="currency" label=td_string!(locale, tickets.types.form.currency) hint=td_string!(locale, tickets.types.form.currency_hint)/>
            <Field id_prefix=prefix.clone() state=state.clone() name="quantity" label=td_string!(locale, tickets.types.form.quantity) kind="number" required=true/>
            <Field id_prefix=prefix.clone() state=state.clone() name="max_per_order" label=td_string!(locale, tickets.types.form.max_per_order) kind="number"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="sales_start" label=td_string!(locale, tickets.types.form.sales_start) kind="datetime-local"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="sales_end" label=td_string!(locale, tickets.types.form.sales_end) kind="datetime-local"/>
            <div class="field">
                <label for=questions_id.clone()>{td_string!(locale, tickets.types.form.questions)}</label>
                <textarea id=questions_id name="questions" rows="3">{state.value("questions")}</textarea>
                <FieldError id="questions-error".into() message=state.error("questions")/>
            </div>
            {check(&state, "requires_approval", td_string!(locale, tickets.types.form.requires_approval))}
            {check(&state, "guests_allowed", td_string!(locale, tickets.types.form.guests_allowed))}
            {check(&state, "waitlist", td_string!(locale, tickets.types.form.waitlist))}
            {check(&state, "on_sale", td_string!(locale, tickets.types.form.on_sale))}
            <FieldError id="on_sale-error".into() message=state.error("on_sale")/>
            <button type="submit" class="button primary">{td_string!(locale, tickets.types.form.save)}</button>
        </form>
    }
}
