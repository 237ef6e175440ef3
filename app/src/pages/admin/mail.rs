use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::notifications::load_mail, components::status::ErrorView, model::notifications::MailView,
};

/// `/admin/mail`: the mail Lineup would have sent, when no SMTP server is configured.
#[component]
pub fn MailPage() -> impl IntoView {
    let open = use_query_map().with_untracked(|q| q.get("open"));
    let page = OnceResource::new(load_mail(open));
    view! {
        <Title text="Mail"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => match page.directory {
                        None => view! {
                            <section class="panel narrow">
                                <h1>"Mail"</h1>
                                <p>"Mail goes out through the SMTP server (SMTP_URL); nothing is kept here."</p>
                            </section>
                        }.into_any(),
                        Some(directory) => view! {
                            <section class="panel mail">
                                <h1>"Mail"</h1>
                                <p class="meta">{format!("Without SMTP_URL, mail is written to {directory}. The newest first:")}</p>
                                {page.open.map(|mail| view! { <OpenMail mail/> })}
                                {if page.mails.is_empty() {
                                    view! { <p class="empty">"No mail yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="mails">
                                            <thead><tr><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Date"</th></tr></thead>
                                            <tbody>
                                                {page.mails.into_iter().map(|m| view! {
                                                    <tr>
                                                        <td>{m.to}</td>
                                                        <td><a href=format!("/admin/mail?open={}", m.name)>{m.subject}</a></td>
                                                        <td>{m.date}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpenMail(mail: MailView) -> impl IntoView {
    view! {
        <article class="open-mail" aria-label="Open mail">
            <h2>{mail.summary.subject}</h2>
            <dl class="headers">
                {mail.headers.into_iter().map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <h3>"Text"</h3>
            <pre class="mail-text">{mail.text}</pre>
            {mail.html.map(|html| view! {
                <h3>"HTML"</h3>
                <iframe class="mail-html" title="The HTML part" sandbox="" srcdoc=html></iframe>
            })}
            {(!mail.attachments.is_empty()).then(|| view! {
                <p>"Attached: "{mail.attachments.join(", ")}</p>
            })}
        </article>
    }
}
