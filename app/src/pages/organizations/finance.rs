use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_finance, StartPayouts},
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::td_string,
    model::dashboard::{FinancePage, PayoutState},
    pages::organizations::dashboard::DataTable,
};

/// `/o/:slug/finance`: payouts through Stripe and the money from ticket sales.
#[component]
pub fn FinancePageView() -> impl IntoView {
    let locale = use_locale();
    let slug = use_params_map().with_untracked(|p| p.get("slug"));
    let returned = use_query_map().with_untracked(|q| q.get("returned").or(q.get("refresh")));
    let page = OnceResource::new(async move {
        match slug {
            Some(slug) => load_finance(slug, returned).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, organizations.finance.title)/><ErrorView error/> }.into_any(),
                    Ok(page) => view! { <Finance page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Finance(page: FinancePage) -> impl IntoView {
    let locale = use_locale();
    let org = page.organization.clone();
    let csv = {
        let slug = org.slug.clone();
        move |table: &str| format!("/o/{slug}/dashboard.csv?table={table}")
    };
    let (status, action) = match page.state {
        PayoutState::NotStarted => (
            td_string!(locale, organizations.finance.not_started),
            td_string!(locale, organizations.finance.set_up),
        ),
        PayoutState::Onboarding => (
            td_string!(locale, organizations.finance.onboarding),
            td_string!(locale, organizations.finance.continue_setup),
        ),
        PayoutState::Active if page.payouts_enabled => (
            td_string!(locale, organizations.finance.active),
            td_string!(locale, organizations.finance.update),
        ),
        PayoutState::Active => (
            td_string!(locale, organizations.finance.no_payouts_yet),
            td_string!(locale, organizations.finance.continue_setup),
        ),
    };
    view! {
        <Title text=td_string!(locale, organizations.finance.title_of, name = &org.name)/>
        <section class="panel finance">
            <h1>{td_string!(locale, organizations.finance.heading, name = &org.name)}</h1>
            <p>
                <a href=format!("/o/{}/dashboard", org.slug)>{td_string!(locale, organizations.nav.dashboard)}</a>" · "
                <a href=format!("/o/{}/team", org.slug)>{td_string!(locale, organizations.nav.team)}</a>
            </p>
            <h2>{td_string!(locale, organizations.finance.payouts)}</h2>
            {if page.payments_enabled {
                view! {
                    <p class="payout-state" data-testid="payout-state">{status}</p>
                    <p class="muted">{td_string!(locale, organizations.finance.fee, percent = &page.fee_percent)}</p>
                    {page.can_manage.then(|| view! {
                        <form method="post" action=StartPayouts::url()>
                            <input type="hidden" name="slug" value=org.slug.clone()/>
                            <button type="submit" class="button primary">{action}</button>
                        </form>
                    })}
                }.into_any()
            } else {
                view! { <p class="muted">{td_string!(locale, organizations.finance.no_provider)}</p> }.into_any()
            }}
            <h2>{td_string!(locale, organizations.finance.sales)}</h2>
            <DataTable table=page.totals.clone() csv=csv(&page.totals.id)/>
            <DataTable table=page.per_month.clone() csv=csv(&page.per_month.id)/>
            <DataTable table=page.per_event.clone() csv=csv(&page.per_event.id)/>
        </section>
    }
}
