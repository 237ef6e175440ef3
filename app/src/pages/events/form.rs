use leptos::prelude::*;
use server_fn::ServerFn;

use crate::{
    api::events::SaveEvent,
    components::{
        form::{Field, FieldError, FormMessage},
        islands::CountedField,
        language::use_locale,
    },
    i18n::td_string,
    model::{
        events::{EventForm, EventStatus, Visibility},
        taxonomy::Category,
    },
};

const TIME_ZONES: &[&str] = &[
    "Europe/Berlin",
    "Europe/Lisbon",
    "Europe/London",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Stockholm",
    "Europe/Athens",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Africa/Lagos",
    "UTC",
];

/// The create/edit form. It posts as `multipart/form-data` so the cover image travels with the
/// fields, and works the same with or without JavaScript.
#[component]
pub fn EventFormView(form: EventForm) -> impl IntoView {
    let locale = use_locale();
    let state = form.state;
    let heading = if form.id.is_some() {
        td_string!(locale, events.edit_event)
    } else {
        td_string!(locale, events.new_event)
    };
    let online = state.value("location_kind") == "online";
    let is_free = !state.value("is_free").is_empty();
    let category = state.value("category");
    let published = form.status == Some(EventStatus::Published);
    let is_draft = matches!(
        form.status,
        None | Some(EventStatus::Draft) | Some(EventStatus::NeedsRevision)
    );
    let save_label = if form.status == Some(EventStatus::NeedsRevision) {
        td_string!(locale, events.form.save_without_resubmitting)
    } else {
        td_string!(locale, events.form.save_draft)
    };
    view! {
        <section class="panel">
            <h1>{heading}</h1>
            {form.status.map(|s| view! { <p class="muted">{td_string!(locale, events.form.status, status = s.label_in(locale))}</p> })}
            <FormMessage state=state.clone()/>
            <form method="post" action=SaveEvent::url() enctype="multipart/form-data" class="stack event-form">
                {form.id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
                {(form.organizations.len() > 1).then(|| {
                    let chosen = state.value("organization");
                    view! {
                        <div class="field" class:has-error=state.error("organization").is_some()>
                            <label for="field-organization">{td_string!(locale, events.form.organization)}</label>
                            <select id="field-organization" name="organization">
                                {form.organizations.iter().map(|(id, name)| view! {
                                    <option value=*id selected=chosen == id.to_string()>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <FieldError id="field-organization-error".into() message=state.error("organization")/>
                        </div>
                    }
                })}
                <CountedField name="title".into() label=td_string!(locale, events.form.title).into() value=state.value("title") max=120
                    error=state.error("title") multiline=false required=true/>
                <CountedField name="summary".into() label=td_string!(locale, events.form.summary).into()
                    value=state.value("summary") max=200 error=state.error("summary") multiline=false required=true/>
                <CountedField name="description".into() label=td_string!(locale, events.form.description).into()
                    value=state.value("description") max=20000 error=state.error("description") multiline=true required=false/>
                <div class="row">
                    <div class="field" class:has-error=state.error("category").is_some()>
                        <label for="field-category">{td_string!(locale, events.form.category)}</label>
                        <select id="field-category" name="category" required>
                            <option value="" selected=category.is_empty()>{td_string!(locale, events.form.choose)}</option>
                            {Category::ALL.into_iter().map(|c| view! {
                                <option value=c.slug() selected=category == c.slug()>{c.label_in(locale)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id="field-category-error".into() message=state.error("category")/>
                    </div>
                    <Field state=state.clone() name="tags" label=td_string!(locale, events.form.tags)
                        hint=td_string!(locale, events.form.tags_hint)/>
                </div>
                <div class="row">
                    <Field state=state.clone() name="starts_at" label=td_string!(locale, events.form.starts) kind="datetime-local" required=true/>
                    <Field state=state.clone() name="ends_at" label=td_string!(locale, events.form.ends) kind="datetime-local" required=true/>
                    <Field state=state.clone() name="timezone" label=td_string!(locale, events.form.time_zone) list="time-zones" required=true/>
                </div>
                <datalist id="time-zones">
                    {TIME_ZONES.iter().map(|tz| view! { <option value=*tz></option> }).collect_view()}
                </datalist>
                <fieldset class="location">
                    <legend>{td_string!(locale, events.where_label)}</legend>
                    <label class="check"><input type="radio" name="location_kind" value="venue" checked=!online/>" "{td_string!(locale, events.form.at_venue)}</label>
                    <label class="check"><input type="radio" name="location_kind" value="online" checked=online/>" "{td_string!(locale, events.form.online)}</label>
                    <div class="venue-fields">
                        <div class="row">
                            <Field state=state.clone() name="venue_name" label=td_string!(locale, events.form.venue)/>
                            <Field state=state.clone() name="city" label=td_string!(locale, events.form.city)/>
                        </div>
                        <Field state=state.clone() name="venue_address" label=td_string!(locale, events.form.address)/>
                        <div class="row">
                            <Field state=state.clone() name="latitude" label=td_string!(locale, events.form.latitude) kind="number" attrs_step="any"/>
                            <Field state=state.clone() name="longitude" label=td_string!(locale, events.form.longitude) kind="number" attrs_step="any"/>
                        </div>
                    </div>
                    <div class="online-fields">
                        <Field state=state.clone() name="online_url" label=td_string!(locale, events.form.online_link) kind="url"/>
                    </div>
                </fieldset>
                <div class="row">
                    <Field state=state.clone() name="capacity" label=td_string!(locale, events.capacity) kind="number" required=true/>
                    <div class="field">
                        <span class="label">{td_string!(locale, events.price)}</span>
                        <label class="check"><input type="checkbox" name="is_free" value="on" checked=is_free/>" "{td_string!(locale, events.form.free)}</label>
                    </div>
                    <Field state=state.clone() name="price_text" label=td_string!(locale, events.form.price_as_shown)
                        hint=td_string!(locale, events.form.price_hint)/>
                </div>
                {
                    let chosen = state.value("visibility");
                    view! {
                        <fieldset class="field visibility" class:has-error=state.error("visibility").is_some()
                            aria-describedby="field-visibility-error">
                            <legend>{td_string!(locale, events.form.visibility)}</legend>
                            {Visibility::ALL.into_iter().map(|v| view! {
                                <label class="check">
                                    <input type="radio" name="visibility" value=v.as_str() checked=chosen == v.as_str()/>
                                    " "{v.label_in(locale)}
                                </label>
                            }).collect_view()}
                            <FieldError id="field-visibility-error".into() message=state.error("visibility")/>
                        </fieldset>
                    }
                }
                <div class="field" class:has-error=state.error("cover").is_some()>
                    <label for="field-cover">{td_string!(locale, events.form.cover)}</label>
                    {form.cover_url.map(|url| view! { <img class="cover-preview" src=url alt=td_string!(locale, events.form.current_cover)/> })}
                    <input id="field-cover" type="file" name="cover" accept="image/png,image/jpeg,image/webp,image/gif"/>
                    <small class="hint">{td_string!(locale, events.form.cover_hint)}</small>
                    <FieldError id="field-cover-error".into() message=state.error("cover")/>
                </div>
                <div class="actions">
                    {if published {
                        view! {
                            <button type="submit" name="intent" value="save" class="button primary">{td_string!(locale, events.form.save_changes)}</button>
                            <small class="hint">{td_string!(locale, events.form.published_hint)}</small>
                        }.into_any()
                    } else if is_draft {
                        view! {
                            <button type="submit" name="intent" value="draft" class="button">{save_label}</button>
                            <button type="submit" name="intent" value="submit" class="button primary">{td_string!(locale, events.submit_for_review)}</button>
                        }.into_any()
                    } else {
                        view! { <button type="submit" name="intent" value="save" class="button primary">{td_string!(locale, events.form.save_changes)}</button> }.into_any()
                    }}
                </div>
            </form>
        </section>
    }
}
