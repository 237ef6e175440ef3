//! The interactive pieces. Each island hydrates on its own; everything else stays server HTML.
use leptos::prelude::*;

/// Marks the document once WebAssembly has run, so styles and tests can tell the page is live.
#[island]
pub fn Enhanced() -> impl IntoView {
    Effect::new(|| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-enhanced", "true");
        }
    });
}

/// A text input or textarea that shows how many characters are left as you type.
#[island]
pub fn CountedField(
    name: String,
    label: String,
    value: String,
    max: usize,
    error: Option<String>,
    multiline: bool,
    required: bool,
) -> impl IntoView {
    let (count, set_count) = signal(value.chars().count());
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let on_input =
        move |ev: leptos::ev::Event| set_count.set(event_target_value(&ev).chars().count());
    let has_error = error.is_some();
    let counter_class = move || {
        if count.get() > max {
            "counter over"
        } else {
            "counter"
        }
    };
    let described = has_error.then(|| error_id.clone());
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            {if multiline {
                view! {
                    <textarea id=id name=name rows="8" required=required on:input=on_input
                        aria-invalid=has_error.then_some("true") aria-describedby=described>{value}</textarea>
                }.into_any()
            } else {
                view! {
                    <input id=id name=name type="text" value=value required=required on:input=on_input
                        aria-invalid=has_error.then_some("true") aria-describedby=described/>
                }.into_any()
            }}
            <small class=counter_class data-counter="">
                {move || format!("{} / {max}", count.get())}
            </small>
            {error.map(|m| view! { <p class="field-error" id=error_id role="alert">{m}</p> })}
        </div>
    }
}

/// Keeps the navigation's unread count live and shows a short note when something new arrives,
/// from the server's event stream (`/notifications/live`). Without JavaScript the count is as of
/// the last page load.
#[island]
pub fn LiveNotifications(labels: NotificationLabels) -> impl IntoView {
    let (toast, set_toast) = signal(None::<(String, String)>);
    Effect::new(move || live::connect(set_toast, labels.clone()));
    view! {
        <div class="toast" role="status" aria-live="polite">
            {move || toast.get().map(|(title, link)| view! { <a href=link>{title}</a> })}
        </div>
    }
}

/// The notification link's accessible names in the page's language, given to the island by the
/// server (so no translations ship in the WebAssembly).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NotificationLabels {
    /// Nothing unread.
    pub none: String,
    /// Something unread: `{count}` stands for how much.
    pub unread: String,
}

impl NotificationLabels {
    pub fn for_count(&self, unread: u64) -> String {
        match unread {
            0 => self.none.clone(),
            n => self.unread.replace("{count}", &n.to_string()),
        }
    }
}

mod live {
    use leptos::prelude::*;

    use super::NotificationLabels;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};

    fn field(data: &JsValue, name: &str) -> JsValue {
        js_sys::Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::NULL)
    }

    /// The link in the navigation: its visible count and its accessible name.
    fn show_count(unread: u64, labels: &NotificationLabels) {
        let Some(link) = document().query_selector("a.notifications").ok().flatten() else {
            return;
        };
        let _ = link.set_attribute("aria-label", &labels.for_count(unread));
        let existing = link.query_selector(".count").ok().flatten();
        match (existing, unread) {
            (Some(badge), 0) => badge.remove(),
            (Some(badge), n) => badge.set_text_content(Some(&n.to_string())),
            (None, 0) => {}
            (None, n) => {
                if let Ok(badge) = document().create_element("span") {
                    badge.set_class_name("count");
                    let _ = badge.set_attribute("aria-hidden", "true");
                    badge.set_text_content(Some(&n.to_string()));
                    let _ = link.append_child(&badge);
                }
            }
        }
    }

    pub fn connect(set_toast: WriteSignal<Option<(String, String)>>, labels: NotificationLabels) {
        let Ok(source) = web_sys::EventSource::new("/notifications/live") else {
            return;
        };
        // the first message says where things stand; only later ones are news
        let mut seen: Option<f64> = None;
        let on_update = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                let Ok(data) = js_sys::JSON::parse(&text) else {
                    return;
                };
                let unread = field(&data, "unread").as_f64().unwrap_or(0.0) as u64;
                show_count(unread, &labels);
                let latest = field(&data, "latest_id").as_f64().unwrap_or(0.0);
                if seen.is_some_and(|before| latest > before) {
                    let title = field(&data, "latest_title").as_string().unwrap_or_default();
                    let link = field(&data, "latest_link").as_string().unwrap_or_default();
                    set_toast.set(Some((title, link)));
                    set_timeout(
                        move || set_toast.set(None),
                        std::time::Duration::from_secs(8),
                    );
                }
                seen = Some(seen.map_or(latest, |before| before.max(latest)));
            },
        );
        let _ = source
            .add_event_listener_with_callback("notification", on_update.as_ref().unchecked_ref());
        // both live as long as the page
        on_update.forget();
        std::mem::forget(source);
    }
}
