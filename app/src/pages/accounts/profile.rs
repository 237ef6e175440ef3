use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::{
        accounts::{
            load_profile, BecomeOrganizer, ChangeEmail, ResendVerification, SignOutEverywhere,
            UpdateProfile,
        },
        social::{load_privacy, SavePrivacy},
    },
    components::{
        form::{Field, FieldError, FormMessage},
        language::{use_locale, LanguageSwitch},
        status::ErrorView,
    },
    i18n::td_string,
    model::{
        forms::FormState,
        social::Visibility,
        taxonomy::{Category, Role},
    },
};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = OnceResource::new(load_profile());
    let locale = use_locale();
    view! {
        <Title text=td_string!(locale, accounts.profile.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(profile) => {
                        let state = profile.state;
                        let email = profile.email.clone();
                        let chosen: Vec<String> = state.value("interests").split(',').map(str::to_owned).collect();
                        view! {
                            <section class="panel narrow">
                                <h1>{td_string!(locale, accounts.profile.title)}</h1>
                                <p class="muted">{profile.email}" · "{profile.role.label_in(locale)}</p>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=UpdateProfile::url() enctype="multipart/form-data" class="stack">
                                    <Field state=state.clone() name="display_name" label=td_string!(locale, accounts.profile.display_name) required=true/>
                                    <Field state=state.clone() name="home_city" label=td_string!(locale, accounts.profile.home_city)/>
                                    <div class="row">
                                        <Field state=state.clone() name="home_lat" label=td_string!(locale, accounts.profile.latitude) kind="number" attrs_step="any"/>
                                        <Field state=state.clone() name="home_lng" label=td_string!(locale, accounts.profile.longitude) kind="number" attrs_step="any"/>
                                    </div>
                                    <fieldset class="interests">
                                        <legend>{td_string!(locale, accounts.profile.interests)}</legend>
                                        {Category::ALL.into_iter().map(|c| {
                                            let checked = chosen.iter().any(|s| s == c.slug());
                                            view! {
                                                <label class="check chip-check">
                                                    <input type="checkbox" name="interests" value=c.slug() checked=checked/>
                                                    " "{c.label_in(locale)}
                                                </label>
                                            }
                                        }).collect_view()}
                                        <FieldError id="field-interests-error".into() message=state.error("interests")/>
                                    </fieldset>
                                    <button type="submit" class="button primary">{td_string!(locale, accounts.profile.save)}</button>
                                </form>
                                <EmailSection email verified=profile.email_verified state=profile.email_change.clone()/>
                                <section class="stack separated" aria-labelledby="notify-heading">
                                    <h2 id="notify-heading">{td_string!(locale, accounts.profile.notifications)}</h2>
                                    <p>
                                        <a href="/notifications/preferences">{td_string!(locale, accounts.profile.email_preferences)}</a>
                                        " · "
                                        <a href="/notifications/preferences#push">{td_string!(locale, accounts.profile.push)}</a>
                                    </p>
                                </section>
                                <section class="stack separated" aria-labelledby="language-profile">
                                    <LanguageSwitch back="/profile".to_owned() id="profile"/>
                                    <p class="muted">{td_string!(locale, common.language.profile_hint)}</p>
                                </section>
                                <PrivacySection/>
                                {(profile.role == Role::Attendee).then(|| view! {
                                    <form method="post" action=BecomeOrganizer::url() class="stack separated">
                                        <p>{td_string!(locale, accounts.profile.organizer_question)}</p>
                                        <button type="submit" class="button">{td_string!(locale, accounts.profile.become_organizer)}</button>
                                    </form>
                                })}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The address: whether it is confirmed, moving to another, signing out everywhere.
#[component]
fn EmailSection(email: String, verified: bool, state: FormState) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="stack separated" aria-labelledby="email-heading">
            <h2 id="email-heading">{td_string!(locale, accounts.email.heading)}</h2>
            {if verified {
                view! { <p class="muted">{td_string!(locale, accounts.email.confirmed, email)}</p> }.into_any()
            } else {
                view! {
                    <p class="notice" role="status">
                        {td_string!(locale, accounts.email.not_confirmed, email)}
                    </p>
                    <form method="post" action=ResendVerification::url()>
                        <button type="submit" class="button">{td_string!(locale, accounts.email.resend)}</button>
                    </form>
                }.into_any()
            }}
            <FormMessage state=state.clone()/>
            <form method="post" action=ChangeEmail::url() class="stack">
                <Field state=state.clone() name="new_email" label=td_string!(locale, accounts.email.new_email) kind="email" required=true autocomplete="email" id_prefix="change-"/>
                <Field state=state name="password" label=td_string!(locale, accounts.email.current_password) kind="password" required=true autocomplete="current-password" id_prefix="change-"/>
                <button type="submit" class="button">{td_string!(locale, accounts.email.change)}</button>
            </form>
            <form method="post" action=SignOutEverywhere::url()>
                <button type="submit" class="button">{td_string!(locale, accounts.email.sign_out_everywhere)}</button>
            </form>
        </section>
    }
}

/// Who may see what the person goes to, and their profile details.
#[component]
fn PrivacySection() -> impl IntoView {
    let locale = use_locale();
    let privacy = OnceResource::new(load_privacy());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(form) = privacy.await else { return ().into_any() };
                let choice = |name: &'static str, label: &'static str, current: Visibility| view! {
                    <div class="field">
                        <label for=format!("field-{name}")>{label}</label>
                        <select id=format!("field-{name}") name=name>
                            {Visibility::ALL.iter().map(|v| view! {
                                <option value=v.as_str() selected=*v == current>{v.label_in(locale)}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id=format!("field-{name}-error") message=form.state.error(name)/>
                    </div>
                };
                view! {
                    <form method="post" action=SavePrivacy::url() class="stack separated" id="privacy">
                        <h2>{td_string!(locale, accounts.privacy.heading)}</h2>
                        {choice("attendance", td_string!(locale, accounts.privacy.attendance), form.settings.attendance)}
                        {choice("profile", td_string!(locale, accounts.privacy.profile), form.settings.profile)}
                        <button type="submit" class="button">{td_string!(locale, accounts.privacy.save)}</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
