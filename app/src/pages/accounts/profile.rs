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
        <Title text="Your profile"/>
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
                                <h1>"Your profile"</h1>
                                <p class="muted">{profile.email}" · "{profile.role.as_str()}</p>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=UpdateProfile::url() enctype="multipart/form-data" class="stack">
                                    <Field state=state.clone() name="display_name" label="Display name" required=true/>
                                    <Field state=state.clone() name="home_city" label="Home city"/>
                                    <div class="row">
                                        <Field state=state.clone() name="home_lat" label="Latitude" kind="number" attrs_step="any"/>
                                        <Field state=state.clone() name="home_lng" label="Longitude" kind="number" attrs_step="any"/>
                                    </div>
                                    <fieldset class="interests">
                                        <legend>"Interests"</legend>
                                        {Category::ALL.into_iter().map(|c| {
                                            let checked = chosen.iter().any(|s| s == c.slug());
                                            view! {
                                                <label class="check chip-check">
                                                    <input type="checkbox" name="interests" value=c.slug() checked=checked/>
                                                    " "{c.label()}
                                                </label>
                                            }
                                        }).collect_view()}
                                        <FieldError id="field-interests-error".into() message=state.error("interests")/>
                                    </fieldset>
                                    <button type="submit" class="button primary">"Save profile"</button>
                                </form>
                                <EmailSection email verified=profile.email_verified state=profile.email_change.clone()/>
                                <section class="stack separated" aria-labelledby="notify-heading">
                                    <h2 id="notify-heading">"Notifications"</h2>
                                    <p>
                                        <a href="/notifications/preferences">"Choose what we send you by email"</a>
                                        " · "
                                        <a href="/notifications/preferences#push">"Push notifications on this browser"</a>
                                    </p>
                                </section>
                                <section class="stack separated" aria-labelledby="language-profile">
                                    <LanguageSwitch back="/profile".to_owned() id="profile"/>
                                    <p class="muted">{td_string!(locale, common.language.profile_hint)}</p>
                                </section>
                                <PrivacySection/>
                                {(profile.role == Role::Attendee).then(|| view! {
                                    <form method="post" action=BecomeOrganizer::url() class="stack separated">
                                        <p>"Want to publish your own events?"</p>
                                        <button type="submit" class="button">"Become an organizer"</button>
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
    view! {
        <section class="stack separated" aria-labelledby="email-heading">
            <h2 id="email-heading">"Email and sign-in"</h2>
            {if verified {
                view! { <p class="muted">{email}" · confirmed"</p> }.into_any()
            } else {
                view! {
                    <p class="notice" role="status">
                        {format!("{email} is not confirmed yet. Until it is, you cannot publish events, and your reports and reviews do not count.")}
                    </p>
                    <form method="post" action=ResendVerification::url()>
                        <button type="submit" class="button">"Send the link again"</button>
                    </form>
                }.into_any()
            }}
            <FormMessage state=state.clone()/>
            <form method="post" action=ChangeEmail::url() class="stack">
                <Field state=state.clone() name="new_email" label="New email address" kind="email" required=true autocomplete="email" id_prefix="change-"/>
                <Field state=state name="password" label="Your current password" kind="password" required=true autocomplete="current-password" id_prefix="change-"/>
                <button type="submit" class="button">"Change my address"</button>
            </form>
            <form method="post" action=SignOutEverywhere::url()>
                <button type="submit" class="button">"Sign out everywhere"</button>
            </form>
        </section>
    }
}

/// Who may see what the person goes to, and their profile details.
#[component]
fn PrivacySection() -> impl IntoView {
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
                                <option value=v.as_str() selected=*v == current>{v.label()}</option>
                            }).collect_view()}
                        </select>
                        <FieldError id=format!("field-{name}-error") message=form.state.error(name)/>
                    </div>
                };
                view! {
                    <form method="post" action=SavePrivacy::url() class="stack separated" id="privacy">
                        <h2>"Privacy"</h2>
                        {choice("attendance", "Who sees the events you go to", form.settings.attendance)}
                        {choice("profile", "Who sees your city, interests and friends", form.settings.profile)}
                        <button type="submit" class="button">"Save privacy settings"</button>
                    </form>
                }
                .into_any()
            })}
        </Suspense>
    }
}
