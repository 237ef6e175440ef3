use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::curation::{load_submission, ClaimSubmission, DecideSubmission, ReleaseSubmission},
    components::{scores::ScoreList, status::ErrorView},
    model::curation::{EventSide, OrganizerRecord, RejectReason, SubmissionView},
    pages::events::show::id_param,
};

#[component]
pub fn SubmissionPage() -> impl IntoView {
    let id = id_param();
    let view = OnceResource::new(async move {
        match id {
            Ok(id) => load_submission(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(submission) => view! { <Review submission/> }.into_any(),
                    Err(error) => view! { <Title text="Review"/><ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Side(side: EventSide, heading: &'static str) -> impl IntoView {
    view! {
        <article class="side">
            <p class="muted">{heading}" · #"{side.id}" · "{side.status_label}</p>
            {side.cover_url.map(|url| view! { <img class="side-cover" src=url alt=""/> })}
            <h2><a href=format!("/events/{}", side.id)>{side.title}</a></h2>
            <p class="lead">{side.summary}</p>
            <p><strong>"When: "</strong>{side.when}</p>
            <p><strong>"Where: "</strong>{side.place}</p>
            <p><strong>"Organizer: "</strong>{side.organizer_name}</p>
            <div class="event-description" inner_html=side.description_html></div>
        </article>
    }
}

#[component]
fn Organizer(record: OrganizerRecord) -> impl IntoView {
    view! {
        <section class="organizer-record">
            <h2>"Organizer: "{record.name}</h2>
            <dl class="metrics">
                <div><dt>"Reputation"</dt><dd>{record.reputation}</dd></div>
                <div><dt>"Member since"</dt><dd>{record.member_since}</dd></div>
                <div><dt>"Events"</dt><dd>{record.events}</dd></div>
                <div><dt>"Approved"</dt><dd>{record.approved}</dd></div>
                <div><dt>"Revisions requested"</dt><dd>{record.revisions_requested}</dd></div>
                <div><dt>"Rejected"</dt><dd>{record.rejected}</dd></div>
                <div><dt>"Attendee rating"</dt><dd>{record.rating.unwrap_or_else(|| "no reviews yet".into())}</dd></div>
            </dl>
            {(!record.recent.is_empty()).then(|| view! {
                <ul class="recent">
                    {record.recent.into_iter().map(|d| view! { <li>{d.when}": "{d.decision}" — "{d.event_title}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn Review(submission: SubmissionView) -> impl IntoView {
    let SubmissionView {
        id,
        version,
        kind,
        in_review_by,
        decided,
        blocked,
        event,
        twin,
        recommendation,
        scores,
        changes,
        flags,
        appeal_text,
        organizer,
    } = submission;
    let title = event.title.clone();
    let open = decided.is_none();
    let claimable = in_review_by.is_none();
    let sides_class = if twin.is_some() { "sides two" } else { "sides" };
    view! {
        <Title text=format!("Review: {title}")/>
        <section class="panel wide review">
            <p><a href="/curation">"← Review queue"</a></p>
            <h1>"Review: "{title.clone()}</h1>
            <p class="muted">{kind.label()}" · recommendation: "<span class=format!("rec rec-{}", recommendation.as_str())>{recommendation.label()}</span>
                {in_review_by.map(|who| view! { " · in review by "{who} })}
            </p>
            {decided.map(|d| view! {
                <div class="status-banner">{d.decision}" by "{d.by}" on "{d.when}": "{d.note}</div>
            })}
            <ScoreList scores/>
            {appeal_text.map(|text| view! { <section class="appeal"><h2>"The organizer's appeal"</h2><blockquote>{text}</blockquote></section> })}
            {(!flags.is_empty()).then(|| view! {
                <section>
                    <h2>"Community reports"</h2>
                    <table class="table">
                        <thead><tr><th>"Reason"</th><th>"What they say"</th><th>"Weight"</th><th>"State"</th></tr></thead>
                        <tbody>{flags.into_iter().map(|f| view! { <tr><td>{f.reason}</td><td>{f.text}</td><td>{f.weight}</td><td>{f.state}</td></tr> }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {(!changes.is_empty()).then(|| view! {
                <section>
                    <h2>"Changes to the published version"</h2>
                    <table class="table diff">
                        <thead><tr><th>"Field"</th><th>"Published"</th><th>"Proposed"</th></tr></thead>
                        <tbody>{changes.into_iter().map(|c| view! { <tr><th>{c.label}</th><td><del>{c.before}</del></td><td><ins>{c.after}</ins></td></tr> }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            <div class=sides_class>
                <Side side=event heading="This submission"/>
                {twin.map(|t| view! { <Side side=t heading="Suspected duplicate"/> })}
            </div>
            <Organizer record=organizer/>
            {match (open, blocked) {
                (false, _) => ().into_any(),
                (true, Some(why)) => view! { <p class="status-banner">{why}</p> }.into_any(),
                (true, None) => view! {
                    <section class="decide">
                        <h2>"Decision"</h2>
                        {(!claimable).then(|| view! {
                            <form method="post" action=ReleaseSubmission::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="version" value=version/>
                                <button type="submit" class="button">"Release to the queue"</button>
                            </form>
                        })}
                        {claimable.then(|| view! {
                            <form method="post" action=ClaimSubmission::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="version" value=version/>
                                <button type="submit" class="button">"Start review"</button>
                            </form>
                        })}
                        <form method="post" action=DecideSubmission::url() class="decision-form">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <fieldset>
                                <legend>"Decision"</legend>
                                <label><input type="radio" name="decision" value="approve" required/>" Approve"</label>
                                <label><input type="radio" name="decision" value="needs_revision"/>" Request revision"</label>
                                <label><input type="radio" name="decision" value="reject"/>" Reject"</label>
                            </fieldset>
                            <label class="block">"If rejecting, why "
                                <select name="reason">{RejectReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}</select>
                            </label>
                            <label class="block" for="decision-note">"Note to the organizer (required)"</label>
                            <textarea id="decision-note" name="note" rows="4" required minlength="5"></textarea>
                            <button type="submit" class="button primary">"Record decision"</button>
                        </form>
                    </section>
                }.into_any(),
            }}
        </section>
    }
}
