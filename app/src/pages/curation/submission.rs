use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::curation::{load_submission, ClaimSubmission, DecideSubmission, ReleaseSubmission},
    components::{language::use_locale, scores::ScoreList, status::ErrorView},
    i18n::td_string,
    model::curation::{EventSide, OrganizerRecord, RejectReason, SubmissionView},
    pages::events::show::id_param,
};

#[component]
pub fn SubmissionPage() -> impl IntoView {
    let locale = use_locale();
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
                    Err(error) => view! { <Title text=td_string!(locale, curation.review.title)/><ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Side(side: EventSide, heading: &'static str) -> impl IntoView {
    let locale = use_locale();
    view! {
        <article class="side">
            <p class="muted">{heading}" · #"{side.id}" · "{side.status_label}</p>
            {side.cover_url.map(|url| view! { <img class="side-cover" src=url alt=""/> })}
            <h2><a href=format!("/events/{}", side.id)>{side.title}</a></h2>
            <p class="lead">{side.summary}</p>
            <p><strong>{td_string!(locale, curation.review.when)}" "</strong>{side.when}</p>
            <p><strong>{td_string!(locale, curation.review.place)}" "</strong>{side.place}</p>
            <p><strong>{td_string!(locale, curation.review.organizer)}" "</strong>{side.organizer_name}</p>
            <div class="event-description" inner_html=side.description_html></div>
        </article>
    }
}

#[component]
fn Organizer(record: OrganizerRecord) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="organizer-record">
            <h2>{td_string!(locale, curation.review.organizer_heading, name = record.name)}</h2>
            <dl class="metrics">
                <div><dt>{td_string!(locale, curation.review.reputation)}</dt><dd>{record.reputation}</dd></div>
                <div><dt>{td_string!(locale, curation.review.member_since)}</dt><dd>{record.member_since}</dd></div>
                <div><dt>{td_string!(locale, curation.review.events)}</dt><dd>{record.events}</dd></div>
                <div><dt>{td_string!(locale, curation.review.approved)}</dt><dd>{record.approved}</dd></div>
                <div><dt>{td_string!(locale, curation.review.revisions_requested)}</dt><dd>{record.revisions_requested}</dd></div>
                <div><dt>{td_string!(locale, curation.review.rejected)}</dt><dd>{record.rejected}</dd></div>
                <div><dt>{td_string!(locale, curation.review.attendee_rating)}</dt><dd>{record.rating.unwrap_or_else(|| td_string!(locale, curation.review.no_reviews).to_owned())}</dd></div>
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
    let locale = use_locale();
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
        <Title text=td_string!(locale, curation.review.title_event, title = &title)/>
        <section class="panel wide review">
            <p><a href="/curation">{td_string!(locale, curation.review.back)}</a></p>
            <h1>{td_string!(locale, curation.review.title_event, title)}</h1>
            <p class="muted">{kind.label_in(locale)}" · "{td_string!(locale, curation.review.recommendation)}" "<span class=format!("rec rec-{}", recommendation.as_str())>{recommendation.label_in(locale)}</span>
                {in_review_by.map(|name| view! { " · "{td_string!(locale, curation.review.in_review_by, name)} })}
            </p>
            {decided.map(|d| view! {
                <div class="status-banner">{td_string!(locale, curation.review.decided, decision = d.decision, by = d.by, when = d.when, note = d.note)}</div>
            })}
            <ScoreList scores/>
            {appeal_text.map(|text| view! { <section class="appeal"><h2>{td_string!(locale, curation.review.appeal)}</h2><blockquote>{text}</blockquote></section> })}
            {(!flags.is_empty()).then(|| view! {
                <section>
                    <h2>{td_string!(locale, curation.review.reports)}</h2>
                    <table class="table">
                        <thead><tr><th>{td_string!(locale, curation.review.reason)}</th><th>{td_string!(locale, curation.review.what_they_say)}</th><th>{td_string!(locale, curation.review.weight)}</th><th>{td_string!(locale, curation.review.state)}</th></tr></thead>
                        <tbody>{flags.into_iter().map(|f| view! { <tr><td>{f.reason}</td><td>{f.text}</td><td>{f.weight}</td><td>{f.state}</td></tr> }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {(!changes.is_empty()).then(|| view! {
                <section>
                    <h2>{td_string!(locale, curation.review.changes)}</h2>
                    <table class="table diff">
                        <thead><tr><th>{td_string!(locale, curation.review.field)}</th><th>{td_string!(locale, curation.review.published)}</th><th>{td_string!(locale, curation.review.proposed)}</th></tr></thead>
                        <tbody>{changes.into_iter().map(|c| view! { <tr><th>{c.label}</th><td><del>{c.before}</del></td><td><ins>{c.after}</ins></td></tr> }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            <div class=sides_class>
                <Side side=event heading=td_string!(locale, curation.review.this_submission)/>
                {twin.map(|t| view! { <Side side=t heading=td_string!(locale, curation.review.suspected_duplicate)/> })}
            </div>
            <Organizer record=organizer/>
            {match (open, blocked) {
                (false, _) => ().into_any(),
                (true, Some(why)) => view! { <p class="status-banner">{why}</p> }.into_any(),
                (true, None) => view! {
                    <section class="decide">
                        <h2>{td_string!(locale, curation.review.decision)}</h2>
                        {(!claimable).then(|| view! {
                            <form method="post" action=ReleaseSubmission::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="version" value=version/>
                                <button type="submit" class="button">{td_string!(locale, curation.review.release)}</button>
                            </form>
                        })}
                        {claimable.then(|| view! {
                            <form method="post" action=ClaimSubmission::url() class="inline">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="version" value=version/>
                                <button type="submit" class="button">{td_string!(locale, curation.review.start)}</button>
                            </form>
                        })}
                        <form method="post" action=DecideSubmission::url() class="decision-form">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <fieldset>
                                <legend>{td_string!(locale, curation.review.decision)}</legend>
                                <label><input type="radio" name="decision" value="approve" required/>" "{td_string!(locale, curation.review.approve)}</label>
                                <label><input type="radio" name="decision" value="needs_revision"/>" "{td_string!(locale, curation.review.request_revision)}</label>
                                <label><input type="radio" name="decision" value="reject"/>" "{td_string!(locale, curation.review.reject)}</label>
                            </fieldset>
                            <label class="block">{td_string!(locale, curation.review.reject_reason)}" "
                                <select name="reason">{RejectReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.label_in(locale)}</option> }).collect_view()}</select>
                            </label>
                            <label class="block" for="decision-note">{td_string!(locale, curation.review.note)}</label>
                            <textarea id="decision-note" name="note" rows="4" required minlength="5"></textarea>
                            <button type="submit" class="button primary">{td_string!(locale, curation.review.record)}</button>
                        </form>
                    </section>
                }.into_any(),
            }}
        </section>
    }
}
