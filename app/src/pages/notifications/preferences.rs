use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::notifications::{load_preferences, load_quiet_hours, SavePreferences, SaveQuietHours},
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::notifications::{switch_name, Channel},
};

/// `/notifications/preferences`: which kinds reach the viewer by email and by push. The in-app
/// list always has everything. Push is turned on per browser by `public/push.js`, which asks for
/// permission only after a click.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let locale = use_locale();
    let rows = OnceResource::new(load_preferences());
    view! {
        <Title text=td_string!(locale, notifications.preferences.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(rows) => {
                        let channels: Vec<Channel> = Channel::ALL.iter().copied().filter(|c| c.can_switch_off()).collect();
                        view! {
                            <section class="panel">
                                <h1>{td_string!(locale, notifications.preferences.heading)}</h1>
                                <p>{td_string!(locale, notifications.preferences.intro_before)}<a href="/notifications">{td_string!(locale, notifications.preferences.intro_link)}</a>{td_string!(locale, notifications.preferences.intro_after)}</p>
                                <form method="post" action=SavePreferences::url() enctype="multipart/form-data">
                                    <table class="preferences">
                                        <thead>
                                            <tr>
                                                <th scope="col">{td_string!(locale, notifications.preferences.notification)}</th>
                                                {channels.iter().map(|c| view! { <th scope="col">{c.label_in(locale)}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows.into_iter().map(|row| {
                                                let kind = row.kind;
                                                view! {
                                                    <tr>
                                                        <th scope="row">{kind.label_in(locale)}</th>
                                                        {row.channels.into_iter().map(|(channel, on)| view! {
                                                            <td>
                                                                <input type="checkbox" name="on" value=switch_name(kind, channel) checked=on
                                                                    aria-label=format!("{}: {}", kind.label_in(locale), channel.label_in(locale))/>
                                                            </td>
                                                        }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <button type="submit" class="button">{td_string!(locale, notifications.preferences.save)}</button>
                                </form>
                            </section>
                            <section class="panel push-setup" id="push">
                                <h2>{td_string!(locale, notifications.push.heading)}</h2>
                                <p>{td_string!(locale, notifications.push.intro)}</p>
                                <noscript><p>{td_string!(locale, notifications.push.needs_javascript)}</p></noscript>
                                <button type="button" class="button" id="push-on" hidden>{td_string!(locale, notifications.push.turn_on)}</button>
                                <button type="button" class="button secondary" id="push-off" hidden>{td_string!(locale, notifications.push.turn_off)}</button>
                                <p class="push-status" id="push-status" role="status" aria-live="polite"
                                    data-unsupported=td_string!(locale, notifications.push.unsupported)
                                    data-blocked=td_string!(locale, notifications.push.blocked)
                                    data-denied=td_string!(locale, notifications.push.denied)
                                    data-on=td_string!(locale, notifications.push.now_on)
                                    data-off=td_string!(locale, notifications.push.now_off)
                                    data-on-failed=td_string!(locale, notifications.push.on_failed, error = "{error}")
                                    data-off-failed=td_string!(locale, notifications.push.off_failed, error = "{error}")></p>
                                <QuietHoursForm/>
                            </section>
                            <script src="/push.js" defer></script>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Quiet hours for push: a window each day, in a time zone, when push waits.
#[component]
fn QuietHoursForm() -> impl IntoView {
    let locale = use_locale();
    let quiet = OnceResource::new(load_quiet_hours());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                quiet.await.ok().map(|q| view! {
                    <form method="post" action=SaveQuietHours::url() class="quiet-hours">
                        <h3>{td_string!(locale, notifications.quiet_hours.heading)}</h3>
                        <p>{td_string!(locale, notifications.quiet_hours.intro)}</p>
                        <label>{td_string!(locale, notifications.quiet_hours.from)}<input type="time" name="quiet_from" value=q.from/></label>
                        <label>{td_string!(locale, notifications.quiet_hours.until)}<input type="time" name="quiet_until" value=q.until/></label>
                        <label>{td_string!(locale, notifications.quiet_hours.in_zone)}<input type="text" name="quiet_zone" value=q.zone aria-label=td_string!(locale, notifications.quiet_hours.time_zone) size="18"/></label>
                        <button type="submit" class="button secondary">{td_string!(locale, notifications.quiet_hours.save)}</button>
                    </form>
                })
            })}
        </Suspense>
    }
}
