use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{load_guests, ActOnGuest},
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::{
        labels_ticketing::ticket_status_in,
        ticketing::{GuestList, GuestRow, RegistrationStatus, WaitlistTier},
    },
    pages::events::show::id_param,
};

/// `/events/:id/guests?tab=…&q=…`: the guest list.
#[component]
pub fn GuestsPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let (tab, q) = use_query_map().with_untracked(|m| (m.get("tab"), m.get("q")));
    let data = OnceResource::new(async move {
        match id {
            Ok(id) => load_guests(id, tab, q).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Title text=td_string!(locale, tickets.guests.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <GuestListView list/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GuestListView(list: GuestList) -> impl IntoView {
    let locale = use_locale();
    let event_id = list.event_id;
    let here = format!("/events/{event_id}/guests?tab={}", list.tab.as_str());
    let f = list.figures.clone();
    view! {
        <section class="panel guests">
            <p class="muted"><a href=format!("/events/{event_id}")>{list.event_title.clone()}</a></p>
            <div class="panel-head">
                <h1>{td_string!(locale, tickets.guests.title)}</h1>
                <a class="button" href=format!("/events/{event_id}/guests.csv")>{td_string!(locale, tickets.guests.export_csv)}</a>
            </div>
            <dl class="figures">
                <div><dt>{td_string!(locale, tickets.guests.going)}</dt><dd data-testid="figure-going">{f.going}" / "{f.capacity}</dd></div>
                <div><dt>{td_string!(locale, tickets.guests.checked_in)}</dt><dd data-testid="figure-checked-in">{f.checked_in}</dd></div>
                <div><dt>{td_string!(locale, tickets.guests.waitlist)}</dt><dd>{f.waitlisted}</dd></div>
                <div><dt>{td_string!(locale, tickets.guests.pending)}</dt><dd>{f.pending}</dd></div>
                {list.sees_money.then(|| view! {
                    <div><dt>{td_string!(locale, tickets.guests.revenue)}</dt><dd data-testid="figure-revenue">{f.revenue}</dd></div>
                    <div><dt>{td_string!(locale, tickets.guests.refunded)}</dt><dd>{f.refunded}</dd></div>
                })}
            </dl>
            <nav class="tabs" aria-label=td_string!(locale, tickets.guests.tabs)>
                {list.counts.iter().map(|(tab, n)| view! {
                    <a href=format!("/events/{event_id}/guests?tab={}", tab.as_str()) class:active=*tab == list.tab aria-current=(*tab == list.tab).then_some("page")>
                        {tab.label_in(locale)}" ("{*n}")"
                    </a>
                }).collect_view()}
            </nav>
            <form method="get" class="inline search-guests">
                <input type="hidden" name="tab" value=list.tab.as_str()/>
                <label for="guest-search">{td_string!(locale, tickets.guests.search_label)}</label>
                <input id="guest-search" type="search" name="q" value=list.query.clone()/>
                <button type="submit" class="button">{td_string!(locale, tickets.guests.search)}</button>
            </form>
            {list.rows.is_empty().then(|| view! { <p class="empty">{td_string!(locale, tickets.guests.empty)}</p> })}
            <table class="table">
                <thead><tr>
                    <th>{td_string!(locale, tickets.guests.name)}</th>
                    <th>{td_string!(locale, tickets.guests.ticket)}</th>
                    <th>{td_string!(locale, tickets.guests.status)}</th>
                    <th>{td_string!(locale, tickets.guests.answers)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {list.rows.into_iter().map(|row| view! { <GuestLine row back=here.clone() can_refund=list.can_refund/> }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn GuestLine(row: GuestRow, back: String, can_refund: bool) -> impl IntoView {
    let locale = use_locale();
    let id = row.id;
    let status = row.status;
    let act = move |action: &'static str, label: &'static str, back: String| {
        view! {
            <form method="post" action=ActOnGuest::url() class="inline">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value=action/>
                <input type="hidden" name="back" value=back/>
                <button type="submit" class="link">{label}</button>
            </form>
        }
    };
    view! {
        <tr data-testid="guest-row">
            <td><strong>{row.name.clone()}</strong><br/><small class="muted">{row.email.clone()}</small></td>
            <td>{row.quantity}" × "{row.ticket_type.clone()}<br/><small class="muted">{row.amount.clone()}" · "{row.registered_at.clone()}</small></td>
            <td>
                <span class=format!("status status-{}", status.as_str())>{status.label_in(locale)}</span>
                {(status == RegistrationStatus::Waitlisted).then(|| view! { <br/><small>{td_string!(locale, tickets.guests.tier, tier = row.tier.label_in(locale))}</small> })}
                {row.tickets.iter().map(|t| view! {
                    <br/><small>"#"{t.number}" "{match (&t.checked_in_at, t.status.as_str()) {
                        (Some(at), _) => td_string!(locale, tickets.guests.ticket_checked_in, at = at),
                        (None, "valid") => td_string!(locale, tickets.guests.ticket_not_checked_in).to_owned(),
                        (None, other) => ticket_status_in(locale, other),
                    }}</small>
                }).collect_view()}
            </td>
            <td>{row.answers.iter().map(|(q, a)| view! { <small>{q.clone()}": "{a.clone()}</small><br/> }).collect_view()}</td>
            <td class="actions">
                {(status == RegistrationStatus::PendingApproval).then(|| view! {
                    {act("approve", td_string!(locale, tickets.guests.approve), back.clone())}
                    {act("decline", td_string!(locale, tickets.guests.decline), back.clone())}
                })}
                {(status == RegistrationStatus::Waitlisted).then(|| view! {
                    <form method="post" action=ActOnGuest::url() class="inline">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="action" value="tier"/>
                        <input type="hidden" name="back" value=back.clone()/>
                        <select name="tier" aria-label=td_string!(locale, tickets.guests.tier_label)>
                            {WaitlistTier::ALL.iter().map(|t| view! { <option value=t.as_str() selected=*t == row.tier>{t.label_in(locale)}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="link">{td_string!(locale, tickets.guests.set_tier)}</button>
                    </form>
                })}
                {(status.is_open() && !row.paid).then(|| act("cancel", td_string!(locale, tickets.guests.cancel), back.clone()))}
                {(can_refund && status.is_going() && row.paid).then(|| view! {
                    {act("refund", td_string!(locale, tickets.guests.refund_all), back.clone())}
                    {row.tickets.iter().filter(|t| t.status == "valid").map(|t| view! {
                        <form method="post" action=ActOnGuest::url() class="inline">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="action" value="refund"/>
                            <input type="hidden" name="ticket" value=t.id/>
                            <input type="hidden" name="back" value=back.clone()/>
                            <button type="submit" class="link">{td_string!(locale, tickets.guests.refund_ticket, number = t.number)}</button>
                        </form>
                    }).collect_view()}
                })}
            </td>
        </tr>
    }
}
