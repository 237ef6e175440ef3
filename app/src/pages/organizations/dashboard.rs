use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::organizations::load_dashboard,
    components::{language::use_locale, status::ErrorView},
    error::AppError,
    i18n::td_string,
    model::dashboard::{Dashboard, DashboardQuery, Table},
};

/// `/o/:slug/dashboard`: the organization's figures over a range of days, for the whole
/// organization or one event. A plain GET form chooses the range, so it works without
/// JavaScript; the charts are SVG from the server.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let locale = use_locale();
    let slug = use_params_map().with_untracked(|p| p.get("slug"));
    let query = use_query_map().with_untracked(|q| DashboardQuery {
        from: q.get("from"),
        to: q.get("to"),
        event: q.get("event").and_then(|e| e.parse().ok()),
    });
    let page = OnceResource::new(async move {
        match slug {
            Some(slug) => load_dashboard(slug, query.from, query.to, query.event).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, organizations.dashboard.title)/><ErrorView error/> }.into_any(),
                    Ok(d) => view! { <DashboardView d/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A table of figures with its CSV link in the caption.
#[component]
pub fn DataTable(table: Table, csv: String) -> impl IntoView {
    view! {
        <table class="table figures" id=format!("table-{}", table.id)>
            <caption>{table.caption.clone()}" "<a href=csv class="csv" download>"CSV"</a></caption>
            <thead><tr>{table.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
            <tbody>
                {table.rows.into_iter().map(|row| view! {
                    <tr>{row.into_iter().enumerate().map(|(i, cell)| if i == 0 {
                        view! { <th scope="row">{cell}</th> }.into_any()
                    } else {
                        view! { <td>{cell}</td> }.into_any()
                    }).collect_view()}</tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let locale = use_locale();
    let org = d.organization.clone();
    let base = format!("/o/{}/dashboard", org.slug);
    let csv = {
        let (slug, query) = (org.slug.clone(), d.query.clone());
        move |table: &str| format!("/o/{slug}/dashboard.csv?table={table}&{query}")
    };
    let chosen = d.event.as_ref().map(|e| e.0);
    let heading = match &d.event {
        Some((_, title)) => format!("{} · {}", org.name, title),
        None => org.name.clone(),
    };
    view! {
        <Title text=td_string!(locale, organizations.dashboard.title_of, name = &org.name)/>
        <section class="panel dashboard">
            <h1>{heading}</h1>
            <p>
                <a href=format!("/o/{}", org.slug)>{td_string!(locale, organizations.nav.public_page)}</a>" · "
                <a href=format!("/o/{}/team", org.slug)>{td_string!(locale, organizations.nav.team)}</a>
            </p>
            <form method="get" action=base.clone() class="row dashboard-range">
                <div class="field">
                    <label for="dash-event">{td_string!(locale, organizations.dashboard.event)}</label>
                    <select id="dash-event" name="event">
                        <option value="" selected=chosen.is_none()>{td_string!(locale, organizations.dashboard.all_events)}</option>
                        {d.events.iter().map(|(id, title)| view! {
                            <option value=*id selected=chosen == Some(*id)>{title.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="dash-from">{td_string!(locale, organizations.dashboard.from)}</label>
                    <input id="dash-from" type="date" name="from" value=d.from.clone()/>
                </div>
                <div class="field">
                    <label for="dash-to">{td_string!(locale, organizations.dashboard.to)}</label>
                    <input id="dash-to" type="date" name="to" value=d.to.clone()/>
                </div>
                <div class="field"><button type="submit" class="button primary">{td_string!(locale, organizations.dashboard.show)}</button></div>
            </form>
            <p class="presets">
                {d.presets.iter().map(|(label, q)| view! {
                    <a class="chip" href=format!("{base}?{q}")>{label.clone()}</a>" "
                }).collect_view()}
            </p>
            <p class="muted">{td_string!(locale, organizations.dashboard.range, from = &d.from, to = &d.to)}</p>
            <dl class="totals">
                {d.totals.iter().map(|(label, value)| view! {
                    <div><dt>{label.clone()}</dt><dd>{value.clone()}</dd></div>
                }).collect_view()}
            </dl>
            {d.charts.into_iter().map(|chart| {
                let link = csv(&chart.table.id);
                view! {
                    <figure class="chart-figure">
                        <figcaption><h2>{chart.title.clone()}</h2><p class="muted">{chart.summary.clone()}</p></figcaption>
                        <div class="chart-svg" inner_html=chart.svg></div>
                        <details>
                            <summary>{td_string!(locale, organizations.dashboard.data_table)}</summary>
                            <DataTable table=chart.table csv=link/>
                        </details>
                    </figure>
                }
            }).collect_view()}
            <h2>{td_string!(locale, organizations.dashboard.top_referrers)}</h2>
            {if d.referrers.rows.is_empty() {
                view! { <p class="muted">{td_string!(locale, organizations.dashboard.no_referrers)}</p> }.into_any()
            } else {
                let link = csv("referrers");
                view! { <DataTable table=d.referrers csv=link/> }.into_any()
            }}
            <h2>{td_string!(locale, organizations.dashboard.per_event)}</h2>
            <p class="muted">{td_string!(locale, organizations.dashboard.per_event_note)}</p>
            <DataTable table=d.per_event csv=csv("events")/>
        </section>
    }
}
