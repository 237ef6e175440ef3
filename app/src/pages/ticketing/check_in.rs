use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::ticketing::{load_check_in, CheckIn},
    components::{
        language::use_locale,
        scanner::{ScannerText, TicketScanner},
        status::ErrorView,
    },
    i18n::td_string,
    model::{language::Locale, ticketing::CheckInPage},
    pages::events::show::id_param,
};

/// `/events/:id/check-in`: type a ticket's code, or scan its QR with the camera.
#[component]
pub fn CheckInScreen() -> impl IntoView {
    let locale = use_locale();
    let id = id_param();
    let data = OnceResource::new(async move {
        match id {
            Ok(id) => load_check_in(id).await,
            Err(e) => Err(e),
        }
    });
    view! {
        <Title text=td_string!(locale, tickets.check_in.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <CheckInView page/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CheckInView(page: CheckInPage) -> impl IntoView {
    let locale = use_locale();
    let event_id = page.event_id;
    view! {
        <section class="panel narrow check-in">
            <p class="muted"><a href=format!("/events/{event_id}/guests")>{page.event_title.clone()}</a></p>
            <h1>{td_string!(locale, tickets.check_in.title)}</h1>
            <p data-testid="checkin-count">{td_string!(locale, tickets.check_in.count, checked_in = page.checked_in, going = page.going)}</p>
            {page.last.map(|(ok, message)| view! {
                <p class=if ok { "checkin-result ok" } else { "checkin-result refused" } role="alert" data-testid="checkin-result">{message}</p>
            })}
            <form method="post" action=CheckIn::url() class="form" id="checkin-form">
                <input type="hidden" name="event_id" value=event_id/>
                <label for="checkin-code">{td_string!(locale, tickets.check_in.code)}</label>
                <input id="checkin-code" name="code" autocomplete="off" autocapitalize="characters" required autofocus/>
                <button type="submit" class="button primary">{td_string!(locale, tickets.check_in.submit)}</button>
            </form>
            <TicketScanner form_id="checkin-form".to_owned() text=scanner_text(locale)/>
        </section>
    }
}

fn scanner_text(locale: Locale) -> ScannerText {
    ScannerText {
        start: td_string!(locale, tickets.scanner.start).to_owned(),
        opening: td_string!(locale, tickets.scanner.opening).to_owned(),
        looking: td_string!(locale, tickets.scanner.looking).to_owned(),
        refused: td_string!(locale, tickets.scanner.refused).to_owned(),
        read: td_string!(locale, tickets.scanner.read, code = "{code}"),
    }
}
