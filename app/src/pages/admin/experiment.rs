use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::recs::load_experiment,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::recs::ExperimentReport,
};

/// `/admin/recs`: the two rankers of the running experiment side by side.
#[component]
pub fn ExperimentPage() -> impl IntoView {
    let locale = use_locale();
    let days = use_query_map().with_untracked(|q| q.get("days").and_then(|d| d.parse().ok()));
    let report = OnceResource::new(load_experiment(days));
    view! {
        <Title text=td_string!(locale, admin.experiment.page_title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(report) => view! { <Report report/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: ExperimentReport) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel experiment">
            <h1>{td_string!(locale, admin.experiment.title, experiment = report.experiment.clone())}</h1>
            <p class="meta">
                {td_string!(locale, admin.experiment.intro, days = report.days)}
            </p>
            <p class="meta">{report.model.clone().unwrap_or_else(|| td_string!(locale, admin.experiment.no_model).to_owned())}</p>
            <table class="experiment-table">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, admin.experiment.ranker)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.people)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.impressions)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.clicks)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.click_rate)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.saves)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.registrations)}</th>
                        <th scope="col">{td_string!(locale, admin.experiment.conversions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {report.variants.into_iter().map(|v| view! {
                        <tr>
                            <th scope="row">{v.variant.clone()}<br/><small class="muted">{v.description.clone()}</small></th>
                            <td>{v.people}</td>
                            <td>{v.impressions}</td>
                            <td>{v.clicks}</td>
                            <td>{format!("{:.1}%", v.click_rate())}</td>
                            <td>{v.saves}</td>
                            <td>{v.registrations}</td>
                            <td>{format!("{:.1}%", v.conversion_rate())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
