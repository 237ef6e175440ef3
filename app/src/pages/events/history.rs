use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::{
        curation::{load_event_history, AppealDecision, CancelEvent, RollbackEvent},
        events::SubmitEvent,
    },
    components::{language::use_locale, scores::ScoreList, status::ErrorView},
    i18n::td_string,
    model::curation::EventHistory,
    pages::events::show::id_param,
};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let history = OnceResource::new(async move {
        match id {
            Ok(id) => load_event_history(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(history) => view! { <History history/> }.into_any(),
                    Err(error) => view! { <Title text=td_string!(locale, events.history.title)/><ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(history: EventHistory) -> impl IntoView {
    let locale = use_locale();
    let EventHistory {
        id,
        title,
        status_label,
        hidden_reason,
        cancel_reason,
        pending_revision,
        timeline,
        revisions,
        appeal,
        can_cancel,
        can_resubmit,
        latest_scores,
    } = history;
    view! {
        <Title text=td_string!(locale, events.history.page_title, title = &title)/>
        <section class="panel wide">
            <p><a href=format!("/events/{id}")>"← "{title.clone()}</a></p>
            <h1>{td_string!(locale, events.review_and_history)}</h1>
            <p>{td_string!(locale, events.history.status)}" "<strong class="event-status">{status_label}</strong></p>
            {hidden_reason.map(|r| view! { <p class="status-banner">{r}</p> })}
            {cancel_reason.map(|r| view! { <p class="status-banner">{td_string!(locale, events.cancelled, reason = r)}</p> })}
            {pending_revision.map(|n| view! { <p class="status-banner">{td_string!(locale, events.history.revision_pending, number = n)}</p> })}
            {can_resubmit.then(|| view! {
                <form method="post" action=SubmitEvent::url() class="inline">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button primary">{td_string!(locale, events.history.resubmit)}</button>
                </form>
            })}
            {appeal.map(|a| view! {
                <form method="post" action=AppealDecision::url() class="appeal-form">
                    <h2>{td_string!(locale, events.history.appeal, about = a.about)}</h2>
                    <p class="muted">{td_string!(locale, events.history.appeal_hint)}</p>
                    <input type="hidden" name="submission_id" value=a.submission_id/>
                    <label for="appeal-text">{td_string!(locale, events.history.appeal_why)}</label>
                    <textarea id="appeal-text" name="text" rows="4" required minlength="5"></textarea>
                    <button type="submit" class="button">{td_string!(locale, events.history.send_appeal)}</button>
                </form>
            })}
            {(!latest_scores.is_empty()).then(|| view! {
                <section>
                    <h2>{td_string!(locale, events.history.prescreening)}</h2>
                    <ScoreList scores=latest_scores/>
                </section>
            })}
            <h2>{td_string!(locale, events.history.timeline)}</h2>
            <ol class="timeline">
                {timeline.into_iter().map(|t| view! {
                    <li>
                        <p><strong>{t.action}</strong>" — "{td_string!(locale, events.history.when_by, when = t.when, who = t.actor)}
                            {(t.from != t.to).then(|| view! { <span class="muted">" ("{t.from.clone()}" → "{t.to.clone()}")"</span> })}
                        </p>
                        {(!t.note.is_empty()).then(|| view! { <blockquote>{t.note}</blockquote> })}
                    </li>
                }).collect_view()}
            </ol>
            <h2>{td_string!(locale, events.history.revisions)}</h2>
            <ol class="revisions" reversed>
                {revisions.into_iter().map(|r| view! {
                    <li>
                        <p>
                            <strong>{td_string!(locale, events.history.revision, number = r.number)}</strong>
                            " — "{td_string!(locale, events.history.when_by, when = r.when, who = r.editor)}
                            {r.live.then(|| view! { <span class="badge">{td_string!(locale, events.history.public_version)}</span> })}
                            {r.pending.then(|| view! { <span class="badge">{td_string!(locale, events.history.waiting_for_review)}</span> })}
                        </p>
                        {(!r.changes.is_empty()).then(|| view! {
                            <table class="table diff">
                                <thead><tr>
                                    <th>{td_string!(locale, events.history.field)}</th>
                                    <th>{td_string!(locale, events.history.before)}</th>
                                    <th>{td_string!(locale, events.history.after)}</th>
                                </tr></thead>
                                <tbody>{r.changes.into_iter().map(|c| view! { <tr><th>{c.label}</th><td><del>{c.before}</del></td><td><ins>{c.after}</ins></td></tr> }).collect_view()}</tbody>
                            </table>
                        })}
                        {r.can_roll_back.then(|| view! {
                            <form method="post" action=RollbackEvent::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="revision" value=r.number/>
                                <button type="submit" class="link">{td_string!(locale, events.history.roll_back, number = r.number)}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}
            </ol>
            {can_cancel.then(|| view! {
                <form method="post" action=CancelEvent::url() class="cancel-form">
                    <h2>{td_string!(locale, events.history.cancel_heading)}</h2>
                    <input type="hidden" name="id" value=id/>
                    <label for="cancel-reason">{td_string!(locale, events.history.cancel_reason)}</label>
                    <textarea id="cancel-reason" name="reason" rows="2" required minlength="5"></textarea>
                    <button type="submit" class="button danger">{td_string!(locale, events.history.cancel_event)}</button>
                </form>
            })}
        </section>
    }
}
