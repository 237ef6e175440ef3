use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::{
        curation::{load_event_history, AppealDecision, CancelEvent, RollbackEvent},
        events::SubmitEvent,
    },
    components::{scores::ScoreList, status::ErrorView},
    model::curation::EventHistory,
    pages::events::show::id_param,
};

#[component]
pub fn HistoryPage() -> impl IntoView {
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
                    Err(error) => view! { <Title text="History"/><ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn History(history: EventHistory) -> impl IntoView {
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
        <Title text=format!("History: {title}")/>
        <section class="panel wide">
            <p><a href=format!("/events/{id}")>"← "{title.clone()}</a></p>
            <h1>"Review and history"</h1>
            <p>"Status: "<strong class="event-status">{status_label}</strong></p>
            {hidden_reason.map(|r| view! { <p class="status-banner">{r}</p> })}
            {cancel_reason.map(|r| view! { <p class="status-banner">{format!("Cancelled: {r}")}</p> })}
            {pending_revision.map(|n| view! { <p class="status-banner">"Revision "{n}" waits for review; the approved version stays public until a curator decides."</p> })}
            {can_resubmit.then(|| view! {
                <form method="post" action=SubmitEvent::url() class="inline">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button primary">"Resubmit for review"</button>
                </form>
            })}
            {appeal.map(|a| view! {
                <form method="post" action=AppealDecision::url() class="appeal-form">
                    <h2>{format!("Appeal {}", a.about)}</h2>
                    <p class="muted">"You can appeal each decision once. A different curator will look at it."</p>
                    <input type="hidden" name="submission_id" value=a.submission_id/>
                    <label for="appeal-text">"Why should the decision change?"</label>
                    <textarea id="appeal-text" name="text" rows="4" required minlength="5"></textarea>
                    <button type="submit" class="button">"Send appeal"</button>
                </form>
            })}
            {(!latest_scores.is_empty()).then(|| view! {
                <section>
                    <h2>"Pre-screening of the latest submission"</h2>
                    <ScoreList scores=latest_scores/>
                </section>
            })}
            <h2>"Timeline"</h2>
            <ol class="timeline">
                {timeline.into_iter().map(|t| view! {
                    <li>
                        <p><strong>{t.action}</strong>" — "{t.when}" by "{t.actor}
                            {(t.from != t.to).then(|| view! { <span class="muted">" ("{t.from.clone()}" → "{t.to.clone()}")"</span> })}
                        </p>
                        {(!t.note.is_empty()).then(|| view! { <blockquote>{t.note}</blockquote> })}
                    </li>
                }).collect_view()}
            </ol>
            <h2>"Revisions"</h2>
            <ol class="revisions" reversed>
                {revisions.into_iter().map(|r| view! {
                    <li>
                        <p>
                            <strong>"Revision "{r.number}</strong>" — "{r.when}" by "{r.editor}
                            {r.live.then(|| view! { <span class="badge">"public version"</span> })}
                            {r.pending.then(|| view! { <span class="badge">"waiting for review"</span> })}
                        </p>
                        {(!r.changes.is_empty()).then(|| view! {
                            <table class="table diff">
                                <thead><tr><th>"Field"</th><th>"Before"</th><th>"After"</th></tr></thead>
                                <tbody>{r.changes.into_iter().map(|c| view! { <tr><th>{c.label}</th><td><del>{c.before}</del></td><td><ins>{c.after}</ins></td></tr> }).collect_view()}</tbody>
                            </table>
                        })}
                        {r.can_roll_back.then(|| view! {
                            <form method="post" action=RollbackEvent::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="revision" value=r.number/>
                                <button type="submit" class="link">{format!("Roll back to revision {}", r.number)}</button>
                            </form>
                        })}
                    </li>
                }).collect_view()}
            </ol>
            {can_cancel.then(|| view! {
                <form method="post" action=CancelEvent::url() class="cancel-form">
                    <h2>"Cancel the event"</h2>
                    <input type="hidden" name="id" value=id/>
                    <label for="cancel-reason">"Reason, shown on the event page"</label>
                    <textarea id="cancel-reason" name="reason" rows="2" required minlength="5"></textarea>
                    <button type="submit" class="button danger">"Cancel event"</button>
                </form>
            })}
        </section>
    }
}
