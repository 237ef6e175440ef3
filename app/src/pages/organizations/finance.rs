use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_finance, StartPayouts},
    components::status::ErrorView,
    error::AppError,
    model::dashboard::{FinancePage, PayoutState},
    pages::organizations::dashboard::DataTable,
};

/// `/o/:slug/finance`: payouts through Stripe and the money from ticket sales.
#[component]
pub fn FinancePageView() -> impl IntoView {
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
                    Err(error) => view! { <Title text="Finance"/><ErrorView error/> }.into_any(),
                    Ok(page) => view! { <Finance page/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Finance(page: FinancePage) -> impl IntoView {
    let org = page.organization.clone();
    let csv = {
        let slug = org.slug.clone();
        move |table: &str| format!("/o/{slug}/dashboard.csv?table={table}")
    };
    let (status, action) = match page.state {
        PayoutState::NotStarted => ("Payouts are not set up: paid tickets cannot go on sale yet.", "Set up payouts with Stripe"),
        PayoutState::Onboarding => ("Stripe is waiting for details before this organization can take payments.", "Continue with Stripe"),
        PayoutState::Active if page.payouts_enabled => ("Payments and payouts are on: ticket revenue goes to the organization's Stripe account.", "Update details with Stripe"),
        PayoutState::Active => ("Payments are on; Stripe has not enabled payouts to the bank yet.", "Continue with Stripe"),
    };
    view! {
        <Title text=format!("Finance · {}", org.name)/>
        <section class="panel finance">
            <h1>{org.name.clone()}" · Finance"</h1>
            <p>
                <a href=format!("/o/{}/dashboard", org.slug)>"Dashboard"</a>" · "
                <a href=format!("/o/{}/team", org.slug)>"Team"</a>
            </p>
            <h2>"Payouts"</h2>
            {if page.payments_enabled {
                view! {
                    <p class="payout-state" data-testid="payout-state">{status}</p>
                    <p class="muted">"Lineup keeps "{page.fee_percent.clone()}" % of each paid ticket."</p>
                    {page.can_manage.then(|| view! {
                        <form method="post" action=StartPayouts::url()>
                            <input type="hidden" name="slug" value=org.slug.clone()/>
                            <button type="submit" class="button primary">{action}</button>
                        </form>
                    })}
                }.into_any()
            } else {
                view! { <p class="muted">"This Lineup has no payment provider configured: only free tickets can be offered."</p> }.into_any()
            }}
            <h2>"Sales"</h2>
            <DataTable table=page.totals.clone() csv=csv(&page.totals.id)/>
            <DataTable table=page.per_month.clone() csv=csv(&page.per_month.id)/>
            <DataTable table=page.per_event.clone() csv=csv(&page.per_event.id)/>
        </section>
    }
}
