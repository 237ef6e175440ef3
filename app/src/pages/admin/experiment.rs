use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::recs::load_experiment, components::status::ErrorView, model::recs::ExperimentReport,
};

/// `/admin/recs`: the two rankers of the running experiment side by side.
#[component]
pub fn ExperimentPage() -> impl IntoView {
    let days = use_query_map().with_untracked(|q| q.get("days").and_then(|d| d.parse().ok()));
    let report = OnceResource::new(load_experiment(days));
    view! {
        <Title text="Recommendations experiment"/>
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
    view! {
        <section class="panel experiment">
            <h1>"Recommendations: " {report.experiment.clone()}</h1>
            <p class="meta">
                {format!("The last {} days. Each person sees one ranker, chosen by a stable hash of their id; saves and registrations count when they follow a recommendation of the same event.", report.days)}
            </p>
            <p class="meta">{report.model.clone().unwrap_or_else(|| "No factor model trained yet (lineup recs train).".into())}</p>
            <table class="experiment-table">
                <thead>
                    <tr>
                        <th scope="col">"Ranker"</th>
                        <th scope="col">"People"</th>
                        <th scope="col">"Impressions"</th>
                        <th scope="col">"Clicks"</th>
                        <th scope="col">"Click rate"</th>
                        <th scope="col">"Saves"</th>
                        <th scope="col">"Registrations"</th>
                        <th scope="col">"Conversions per impression"</th>
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
