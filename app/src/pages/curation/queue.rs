use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::{
    api::curation::{curation_queue, BatchDecide},
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::{
        curation::{QueueMetrics, QueuePage, Recommendation, RejectReason, SubmissionKind},
        taxonomy::Category,
    },
};

#[component]
pub fn QueuePage() -> impl IntoView {
    let locale = use_locale();
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
        <Title text=td_string!(locale, curation.queue.title)/>
        <section class="panel wide">
            <h1>{td_string!(locale, curation.queue.title)}</h1>
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
    let locale = use_locale();
    view! {
        <dl class="metrics">
            <div><dt>{td_string!(locale, curation.queue.waiting)}</dt><dd>{metrics.waiting}</dd></div>
            <div><dt>{td_string!(locale, curation.queue.in_review)}</dt><dd>{metrics.in_review}</dd></div>
            <div><dt>{td_string!(locale, curation.queue.decided_30_days)}</dt><dd>{metrics.decided_30_days}</dd></div>
            <div><dt>{td_string!(locale, curation.queue.median_time)}</dt><dd>{metrics.median_hours_to_decision.map(|h| format!("{h:.1} h")).unwrap_or_else(|| "—".into())}</dd></div>
            <div><dt>{td_string!(locale, curation.queue.approval_rate)}</dt><dd>{metrics.approval_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())}</dd></div>
        </dl>
    }
}

fn options<T: Copy + 'static>(
    all: &'static [T],
    slug: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str + 'static,
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
    let locale = use_locale();
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
            <label for="filter-kind">{td_string!(locale, curation.queue.kind)}</label>
            <select id="filter-kind" name="kind"><option value="">{td_string!(locale, curation.queue.all)}</option>{options(SubmissionKind::ALL, SubmissionKind::as_str, move |k| k.label_in(locale), kind)}</select>
            <label for="filter-recommendation">{td_string!(locale, curation.queue.recommendation)}</label>
            <select id="filter-recommendation" name="recommendation"><option value="">{td_string!(locale, curation.queue.all)}</option>{options(Recommendation::ALL, Recommendation::as_str, move |r| r.label_in(locale), recommendation)}</select>
            <label for="filter-category">{td_string!(locale, curation.queue.category)}</label>
            <select id="filter-category" name="category"><option value="">{td_string!(locale, curation.queue.all)}</option>{options(&Category::ALL, Category::slug, move |c| c.label_in(locale), category)}</select>
            <button type="submit" class="button">{td_string!(locale, curation.queue.filter)}</button>
        </form>
        {if rows.is_empty() {
            view! { <p class="empty">{td_string!(locale, curation.queue.empty)}</p> }.into_any()
        } else {
            view! {
                <form method="post" action=BatchDecide::url() enctype="multipart/form-data" class="batch">
                    <table class="table queue">
                        <thead><tr>
                            <th><span class="visually-hidden">{td_string!(locale, curation.queue.select)}</span></th>
                            <th>{td_string!(locale, curation.queue.priority)}</th>
                            <th>{td_string!(locale, curation.queue.event)}</th>
                            <th>{td_string!(locale, curation.queue.kind)}</th>
                            <th>{td_string!(locale, curation.queue.scores)}</th>
                            <th>{td_string!(locale, curation.queue.recommendation)}</th>
                            <th>{td_string!(locale, curation.queue.organizer)}</th>
                            <th>{td_string!(locale, curation.queue.when)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>
                                    <td><input type="checkbox" name="items" value=format!("{}:{}", row.submission_id, row.version) aria-label=td_string!(locale, curation.queue.select_row, title = &row.title)/></td>
                                    <td>{row.priority}</td>
                                    <td>
                                        <a href=format!("/curation/submissions/{}", row.submission_id)>{row.title.clone()}</a>
                                        <br/><small class="muted">{row.category_label}</small>
                                        {row.assignee.map(|name| view! { <br/><small class="muted">{td_string!(locale, curation.queue.in_review_by, name)}</small> })}
                                    </td>
                                    <td>{row.kind.label_in(locale)}</td>
                                    <td class="nowrap">{td_string!(locale, curation.queue.row_scores, overall = row.overall, spam = row.spam, duplicate = row.duplicate)}</td>
                                    <td><span class=format!("rec rec-{}", row.recommendation.as_str())>{row.recommendation.label_in(locale)}</span></td>
                                    <td>{row.organizer_name}<br/><small class="muted">{td_string!(locale, curation.queue.reputation, reputation = row.organizer_reputation)}</small></td>
                                    <td>{row.when}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <fieldset class="batch-actions">
                        <legend>{td_string!(locale, curation.queue.decide_selected)}</legend>
                        <label><input type="radio" name="decision" value="approve" checked/>" "{td_string!(locale, curation.queue.approve)}</label>
                        <label><input type="radio" name="decision" value="reject"/>" "{td_string!(locale, curation.queue.reject_as)}" "
                            <select name="reason">{RejectReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label_in(locale)}</option> }).collect_view()}</select>
                        </label>
                        <label class="block">{td_string!(locale, curation.queue.note)}" "<textarea name="note" rows="2" required minlength="5"></textarea></label>
                        <button type="submit" class="button primary">{td_string!(locale, curation.queue.apply)}</button>
                    </fieldset>
                </form>
            }.into_any()
        }}
        {next.map(|href| view! { <p><a class="button" href=href>{td_string!(locale, curation.queue.more)}</a></p> })}
    }
}
