use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::notifications::load_mail,
    components::{language::use_locale, status::ErrorView},
    i18n::td_string,
    model::notifications::MailView,
};

/// `/admin/mail`: the mail Lineup would have sent, when no SMTP server is configured.
#[component]
pub fn MailPage() -> impl IntoView {
    let locale = use_locale();
    let open = use_query_map().with_untracked(|q| q.get("open"));
    let page = OnceResource::new(load_mail(open));
    view! {
        <Title text=td_string!(locale, admin.mail.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => match page.directory {
                        None => view! {
                            <section class="panel narrow">
                                <h1>{td_string!(locale, admin.mail.title)}</h1>
                                <p>{td_string!(locale, admin.mail.smtp)}</p>
                            </section>
                        }.into_any(),
                        Some(directory) => view! {
                            <section class="panel mail">
                                <h1>{td_string!(locale, admin.mail.title)}</h1>
                                <p class="meta">{td_string!(locale, admin.mail.directory, directory)}</p>
                                {page.open.map(|mail| view! { <OpenMail mail/> })}
                                {if page.mails.is_empty() {
                                    view! { <p class="empty">{td_string!(locale, admin.mail.empty)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="mails">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{td_string!(locale, admin.mail.to)}</th>
                                                    <th scope="col">{td_string!(locale, admin.mail.subject)}</th>
                                                    <th scope="col">{td_string!(locale, admin.mail.date)}</th>
                                                </tr>
                                            </thead>
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
    let locale = use_locale();
    view! {
        <article class="open-mail" aria-label=td_string!(locale, admin.mail.open_mail)>
            <h2>{mail.summary.subject}</h2>
            <dl class="headers">
                {mail.headers.into_iter().map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <h3>{td_string!(locale, admin.mail.text)}</h3>
            <pre class="mail-text">{mail.text}</pre>
            {mail.html.map(|html| view! {
                <h3>"HTML"</h3>
                <iframe class="mail-html" title=td_string!(locale, admin.mail.html_part) sandbox="" srcdoc=html></iframe>
            })}
            {(!mail.attachments.is_empty()).then(|| view! {
                <p>{td_string!(locale, admin.mail.attached, files = mail.attachments.join(", "))}</p>
            })}
        </article>
    }
}
