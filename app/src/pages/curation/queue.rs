use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::curation::{curation_queue, BatchDecide},
    components::status::ErrorView,
    model::{
        curation::{QueueMetrics, QueuePage, Recommendation, RejectReason, SubmissionKind},
        taxonomy::Category,
    },
};

#[component]
pub fn QueuePage() -> impl IntoView {
    let (kind, recommendation, category, number) = use_query_map().with_untracked(|q| {
        (
            q.get("kind"),
            q.get("recommendation"),
            q.get("category"),
            q.get("page").and_then(|p| p.parse::<u32>().ok()),
        )
    });
    let page = OnceResource::new(curation_queue(kind, recommendation, category, number));
    view! {
        <Title text="Review queue"/>
        <section class="panel wide">
            <h1>"Review queue"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Queue page/> }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Metrics(metrics: QueueMetrics) -> impl IntoView {
    view! {
        <dl class="metrics">
            <div><dt>"Waiting"</dt><dd>{metrics.waiting}</dd></div>
            <div><dt>"In review"</dt><dd>{metrics.in_review}</dd></div>
            <div><dt>"Decided (30 days)"</dt><dd>{metrics.decided_30_days}</dd></div>
            <div><dt>"Median time to decision"</dt><dd>{metrics.median_hours_to_decision.map(|h| format!("{h:.1} h")).unwrap_or_else(|| "—".into())}</dd></div>
            <div><dt>"Approval rate"</dt><dd>{metrics.approval_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())}</dd></div>
        </dl>
    }
}

fn options<T: Copy + 'static>(
    all: &'static [T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: Option<String>,
) -> impl IntoView {
    all.iter()
        .map(move |v| {
            let s = slug(*v);
            view! { <option value=s selected=selected.as_deref() == Some(s)>{label(*v)}</option> }
        })
        .collect_view()
}

#[component]
fn Queue(page: QueuePage) -> impl IntoView {
    let QueuePage {
        rows,
        page,
        more,
        metrics,
        kind,
        recommendation,
        category,
    } = page;
    let next = more.then(|| {
        let mut query = vec![format!("page={}", page + 1)];
        for (name, value) in [
            ("kind", &kind),
            ("recommendation", &recommendation),
            ("category", &category),
        ] {
            if let Some(v) = value {
                query.push(format!("{name}={}", crate::model::urlencode(v)));
            }
        }
        format!("/curation?{}", query.join("&"))
    });
    view! {
        <Metrics metrics/>
        <form method="get" action="/curation" class="filters">
            <label for="filter-kind">"Kind"</label>
            <select id="filter-kind" name="kind"><option value="">"All"</option>{options(SubmissionKind::ALL, SubmissionKind::as_str, SubmissionKind::label, kind)}</select>
            <label for="filter-recommendation">"Recommendation"</label>
            <select id="filter-recommendation" name="recommendation"><option value="">"All"</option>{options(Recommendation::ALL, Recommendation::as_str, Recommendation::label, recommendation)}</select>
            <label for="filter-category">"Category"</label>
            <select id="filter-category" name="category"><option value="">"All"</option>{options(&Category::ALL, Category::slug, Category::label, category)}</select>
            <button type="submit" class="button">"Filter"</button>
        </form>
        {if rows.is_empty() {
            view! { <p class="empty">"Nothing is waiting for review."</p> }.into_any()
        } else {
            view! {
                <form method="post" action=BatchDecide::url() enctype="multipart/form-data" class="batch">
                    <table class="table queue">
                        <thead><tr><th><span class="visually-hidden">"Select"</span></th><th>"Priority"</th><th>"Event"</th><th>"Kind"</th><th>"Scores"</th><th>"Recommendation"</th><th>"Organizer"</th><th>"When"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>
                                    <td><input type="checkbox" name="items" value=format!("{}:{}", row.submission_id, row.version) aria-label=format!("Select {}", row.title)/></td>
                                    <td>{row.priority}</td>
                                    <td>
                                        <a href=format!("/curation/submissions/{}", row.submission_id)>{row.title.clone()}</a>
                                        <br/><small class="muted">{row.category_label}</small>
                                        {row.assignee.map(|a| view! { <br/><small class="muted">"In review by "{a}</small> })}
                                    </td>
                                    <td>{row.kind.label()}</td>
                                    <td class="nowrap">"Overall "{row.overall}"% · spam "{row.spam}"% · duplicate "{row.duplicate}"%"</td>
                                    <td><span class=format!("rec rec-{}", row.recommendation.as_str())>{row.recommendation.label()}</span></td>
                                    <td>{row.organizer_name}<br/><small class="muted">"reputation "{row.organizer_reputation}</small></td>
                                    <td>{row.when}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <fieldset class="batch-actions">
                        <legend>"Decide the selected submissions"</legend>
                        <label><input type="radio" name="decision" value="approve" checked/>" Approve"</label>
                        <label><input type="radio" name="decision" value="reject"/>" Reject as "
                            <select name="reason">{RejectReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}</select>
                        </label>
                        <label class="block">"Note to the organizers "<textarea name="note" rows="2" required minlength="5"></textarea></label>
                        <button type="submit" class="button primary">"Apply to selected"</button>
                    </fieldset>
                </form>
            }.into_any()
        }}
        {next.map(|href| view! { <p><a class="button" href=href>"More submissions"</a></p> })}
    }
}
