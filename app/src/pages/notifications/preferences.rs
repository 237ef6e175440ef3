use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::notifications::{load_preferences, load_quiet_hours, SavePreferences, SaveQuietHours},
    components::status::ErrorView,
    model::notifications::{switch_name, Channel},
};

/// `/notifications/preferences`: which kinds reach the viewer by email and by push. The in-app
/// list always has everything. Push is turned on per browser by `public/push.js`, which asks for
/// permission only after a click.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let rows = OnceResource::new(load_preferences());
    view! {
        <Title text="Notification preferences"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(rows) => {
                        let channels: Vec<Channel> = Channel::ALL.iter().copied().filter(|c| c.can_switch_off()).collect();
                        view! {
                            <section class="panel">
                                <h1>"What we send you"</h1>
                                <p>"Everything shows in "<a href="/notifications">"your notifications"</a>". Choose what also reaches you elsewhere."</p>
                                <form method="post" action=SavePreferences::url() enctype="multipart/form-data">
                                    <table class="preferences">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Notification"</th>
                                                {channels.iter().map(|c| view! { <th scope="col">{c.label()}</th> }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows.into_iter().map(|row| {
                                                let kind = row.kind;
                                                view! {
                                                    <tr>
                                                        <th scope="row">{kind.label()}</th>
                                                        {row.channels.into_iter().map(|(channel, on)| view! {
                                                            <td>
                                                                <input type="checkbox" name="on" value=switch_name(kind, channel) checked=on
                                                                    aria-label=format!("{}: {}", kind.label(), channel.label())/>
                                                            </td>
                                                        }).collect_view()}
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <button type="submit" class="button">"Save preferences"</button>
                                </form>
                            </section>
                            <section class="panel push-setup" id="push">
                                <h2>"Push notifications"</h2>
                                <p>"Get the kinds ticked under Push on this device, even when Lineup is not open."</p>
                                <noscript><p>"Push notifications need JavaScript."</p></noscript>
                                <button type="button" class="button" id="push-on" hidden>"Turn on push for this browser"</button>
                                <button type="button" class="button secondary" id="push-off" hidden>"Turn off push for this browser"</button>
                                <p class="push-status" id="push-status" role="status" aria-live="polite"></p>
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
    let quiet = OnceResource::new(load_quiet_hours());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                quiet.await.ok().map(|q| view! {
                    <form method="post" action=SaveQuietHours::url() class="quiet-hours">
                        <h3>"Quiet hours"</h3>
                        <p>"Push waits during these hours and arrives when they end. Leave both times empty for none."</p>
                        <label>"From " <input type="time" name="quiet_from" value=q.from/></label>
                        <label>" until " <input type="time" name="quiet_until" value=q.until/></label>
                        <label>" in " <input type="text" name="quiet_zone" value=q.zone aria-label="Time zone" size="18"/></label>
                        <button type="submit" class="button secondary">"Save quiet hours"</button>
                    </form>
                })
            })}
        </Suspense>
    }
}
