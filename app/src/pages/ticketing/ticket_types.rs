use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{load_ticket_admin, SaveTicketType},
    components::{
        form::{Field, FieldError, FormMessage},
        status::ErrorView,
    },
    model::{forms::FormState, ticketing::TicketAdmin},
    pages::events::show::id_param,
};

/// `/events/:id/tickets`: the organizer's ticket types.
#[component]
pub fn TicketTypesPage() -> impl IntoView {
    let id = id_param();
    let data = OnceResource::new(async move {
        match id {
            Ok(id) => load_ticket_admin(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Title text="Ticket types"/>
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
    let event_id = admin.event_id;
    view! {
        <section class="panel">
            <p class="muted"><a href=format!("/events/{event_id}")>{admin.event_title.clone()}</a></p>
            <h1>"Ticket types"</h1>
            <p>{admin.seats_taken}" of "{admin.capacity}" seats taken (the event's capacity caps all ticket types together)."</p>
            <p class="owner-actions">
                <a class="button" href=format!("/events/{event_id}/guests")>"Guest list"</a>
                <a class="button" href=format!("/events/{event_id}/check-in")>"Check-in"</a>
            </p>
            {(!admin.payments_enabled).then(|| view! {
                <p class="status-banner">"Paid tickets cannot go on sale: this Lineup has no payment provider configured (STRIPE_SECRET_KEY). Free tickets work; paid ones can be prepared and stay paused."</p>
            })}
            <table class="table">
                <thead><tr><th>"Ticket"</th><th>"Price"</th><th>"Taken"</th><th>"On sale"</th></tr></thead>
                <tbody>
                    {admin.types.iter().map(|t| view! {
                        <tr><td>{t.name.clone()}</td><td>{t.price.clone()}</td><td>{t.taken}" / "{t.quantity}</td><td>{if t.on_sale { "yes" } else { "paused" }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {admin.types.into_iter().map(|t| view! {
                <details class="edit-type">
                    <summary>"Edit “"{t.name.clone()}"”"</summary>
                    <TicketTypeForm event_id state=t.state/>
                </details>
            }).collect_view()}
            <h2>"New ticket type"</h2>
            <TicketTypeForm event_id state=admin.new_type/>
            <h2>"Payouts"</h2>
            <p class="muted">"Ticket revenue goes to the organization's Stripe account; Lineup keeps "{admin.platform_fee_percent}" %."</p>
            {admin.sales_blocked.clone().map(|why| view! { <p class="status-banner">{why}</p> })}
            <p><a class="button" href=admin.finance_url.clone()>"Payouts and finance"</a></p>
        </section>
    }
}

#[component]
fn TicketTypeForm(event_id: i32, state: FormState) -> impl IntoView {
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
            <Field id_prefix=prefix.clone() state=state.clone() name="name" label="Name" required=true/>
            <Field id_prefix=prefix.clone() state=state.clone() name="description" label="Description"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="price" label="Price" hint="Leave empty for free tickets, e.g. 12.50"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="currency" label="Currency" hint="EUR, USD, GBP, CHF, …"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="quantity" label="Quantity" kind="number" required=true/>
            <Field id_prefix=prefix.clone() state=state.clone() name="max_per_order" label="Most tickets per order" kind="number"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="sales_start" label="Sales open (optional)" kind="datetime-local"/>
            <Field id_prefix=prefix.clone() state=state.clone() name="sales_end" label="Sales close (optional)" kind="datetime-local"/>
            <div class="field">
                <label for=questions_id.clone()>"Questions for registrants (one per line, up to three)"</label>
                <textarea id=questions_id name="questions" rows="3">{state.value("questions")}</textarea>
                <FieldError id="questions-error".into() message=state.error("questions")/>
            </div>
            {check(&state, "requires_approval", "I approve each registration")}
            {check(&state, "guests_allowed", "People without an account may register with name and email")}
            {check(&state, "waitlist", "Waitlist when sold out")}
            {check(&state, "on_sale", "On sale")}
            <FieldError id="on_sale-error".into() message=state.error("on_sale")/>
            <button type="submit" class="button primary">"Save ticket type"</button>
        </form>
    }
}
