//! What search engines and link previews read: the event page's schema.org `Event` (checked
//! against the schema.org vocabulary, release 30.0: every type, property, enumeration member and
//! nested type), canonical links and Open Graph, `sitemap.xml` kept through the outbox (listed
//! events and organizations only, split above 50,000 addresses) and `robots.txt`.
use std::collections::BTreeSet;

use sea_orm::EntityTrait;
use serde_json::Value;

use crate::{
    helpers::*,
    storage_test,
    visibility::{three_events, Events},
};

/// The part of the schema.org vocabulary Lineup writes (see the file's `source`).
struct Vocabulary(Value);

impl Vocabulary {
    fn load() -> Vocabulary {
        Vocabulary(
            serde_json::from_str(include_str!("fixtures/schema_org_vocabulary.json"))
                .expect("the vocabulary"),
        )
    }

    /// A type and its supertypes.
    fn lineage(&self, t: &str) -> Vec<String> {
        let mut out = vec![t.to_owned()];
        if let Some(up) = self.0["types"][t].as_array() {
            out.extend(up.iter().filter_map(|u| u.as_str().map(str::to_owned)));
        }
        out
    }

    /// Checks `value`, an object of one of `allowed` types, recursively; returns what is wrong.
    fn check(&self, value: &Value, allowed: &[String], at: &str, wrong: &mut Vec<String>) {
        let Some(object) = value.as_object() else {
            wrong.push(format!("{at}: not an object"));
            return;
        };
        let Some(t) = object.get("@type").and_then(Value::as_str) else {
            wrong.push(format!("{at}: no @type"));
            return;
        };
        if self.0["types"].get(t).is_none() {
            wrong.push(format!("{at}: {t} is not a type Lineup checks"));
            return;
        }
        let lineage = self.lineage(t);
        if !allowed.is_empty() && !lineage.iter().any(|l| allowed.contains(l)) {
            wrong.push(format!("{at}: {t} is not one of {allowed:?}"));
        }
        for (key, v) in object {
            if key.starts_with('@') {
                continue;
            }
            let property = &self.0["properties"][key];
            let domain: Vec<String> = property["domain"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if !domain.iter().any(|d| lineage.contains(d)) {
                wrong.push(format!("{at}.{key}: not a property of {t}"));
                continue;
            }
            let range: Vec<String> = property["range"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let values = match v {
                Value::Array(items) => items.clone(),
                one => vec![one.clone()],
            };
            for item in values {
                self.check_value(&item, &range, &format!("{at}.{key}"), wrong);
            }
        }
    }

    fn check_value(&self, v: &Value, range: &[String], at: &str, wrong: &mut Vec<String>) {
        let has = |t: &str| range.iter().any(|r| r == t);
        match v {
            Value::Object(_) => self.check(v, range, at, wrong),
            Value::Number(_) if has("Number") || has("Text") => {}
            Value::String(s) => {
                if let Some(member) = s.strip_prefix("https://schema.org/") {
                    match self.0["enumeration_members"][member].as_str() {
                        Some(e) if has(e) => return,
                        _ if has("URL") => return,
                        _ => {}
                    }
                    wrong.push(format!("{at}: {member} is not a member of {range:?}"));
                    return;
                }
                let ok = has("Text")
                    || has("URL")
                    || (has("DateTime") || has("Date"))
                        && chrono::DateTime::parse_from_rfc3339(s).is_ok();
                if !ok {
                    wrong.push(format!("{at}: {s:?} does not fit {range:?}"));
                }
            }
            other => wrong.push(format!("{at}: {other} does not fit {range:?}")),
        }
    }
}

/// The JSON-LD blocks of a page.
fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.split(open)
        .skip(1)
        .filter_map(|rest| rest.split("</script>").next())
        .map(|text| serde_json::from_str(text).expect("valid JSON"))
        .collect()
}

/// An address on the site as pages and the sitemap write it (the configured public address).
fn site(app: &TestApp, path: &str) -> String {
    format!(
        "{}{path}",
        app.state.settings.public_url.trim_end_matches('/')
    )
}

fn meta<'a>(html: &'a str, attribute: &str) -> Option<&'a str> {
    let start = html.find(attribute)?;
    let tail = &html[start..];
    let content = tail.find("content=\"")? + "content=\"".len();
    let end = tail[content..].find('"')?;
    Some(&tail[content..content + end])
}

storage_test!(
    a_listed_event_page_describes_the_event_in_schema_org_terms,
    |app: TestApp| async move {
        let organizer = app.browser_as("org@example.com", "organizer").await;
        let curator = app.browser_as("curator@example.com", "curator").await;
        let id = app.published_event(&organizer, &curator, &[]).await;
        let html = app
            .page(&format!("/events/{id}?utm_source=newsletter"))
            .await;
        let blocks = json_ld(&html);
        assert_eq!(blocks.len(), 1, "one Event block");
        let event = &blocks[0];
        let vocabulary = Vocabulary::load();
        let mut wrong = Vec::new();
        vocabulary.check(event, &["Event".to_owned()], "Event", &mut wrong);
        assert!(wrong.is_empty(), "{wrong:#?}\n{event:#}");
        // the check itself refuses what schema.org does not define
        let mut bad = event.clone();
        bad["ticketPrice"] = Value::from("12");
        bad["eventStatus"] = Value::from("https://schema.org/InStock");
        bad["location"]["@type"] = Value::from("Offer");
        let mut wrong = Vec::new();
        vocabulary.check(&bad, &["Event".to_owned()], "Event", &mut wrong);
        assert_eq!(wrong.len(), 5, "{wrong:#?}");

        // what Google's event results need, with the event's own offset (Berlin, summer)
        assert_eq!(event["@type"], "Event");
        assert_eq!(event["name"], "Jazz by the Water");
        assert_eq!(event["startDate"], "2031-06-01T19:00:00+02:00");
        assert_eq!(event["endDate"], "2031-06-01T22:00:00+02:00");
        assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
        assert_eq!(
            event["eventAttendanceMode"],
            "https://schema.org/OfflineEventAttendanceMode"
        );
        let place = &event["location"];
        assert_eq!(place["name"], "Kesselhaus");
        assert_eq!(place["address"]["streetAddress"], "Schönhauser Allee 36");
        assert_eq!(place["address"]["addressLocality"], "Berlin");
        assert_eq!(place["geo"]["latitude"], 52.539);
        let page = site(&app, &format!("/events/{id}"));
        assert_eq!(event["url"], page.as_str());
        let offers = event["offers"].as_array().expect("offers");
        assert!(!offers.is_empty());
        assert_eq!(offers[0]["price"], "0.00");
        assert_eq!(offers[0]["availability"], "https://schema.org/InStock");
        assert_eq!(event["organizer"]["@type"], "Organization");
        assert!(event["organizer"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&site(&app, "/o/"))));

        // the canonical address drops the campaign; previews get the site and a card
        assert!(
            html.contains(&format!("<link href=\"{page}\" rel=\"canonical\">")),
            "canonical"
        );
        assert_eq!(meta(&html, "property=\"og:site_name\""), Some("Lineup"));
        assert_eq!(meta(&html, "name=\"twitter:card\""), Some("summary"));
        assert!(!html.contains("name=\"robots\""), "indexable");
        // a cancelled event says so
        let cancel = app
            .post_form(
                &organizer,
                "/api/events/cancel",
                &[("id", &id.to_string()), ("reason", "The canal froze.")],
            )
            .await;
        assert!(!refused(&cancel), "cancelled");
        let html = app.page(&format!("/events/{id}")).await;
        assert_eq!(
            json_ld(&html)[0]["eventStatus"],
            "https://schema.org/EventCancelled"
        );

        // the home page: canonical, Open Graph with an absolute 1200×630 image
        let home = app.page("/").await;
        assert_eq!(
            meta(&home, "property=\"og:image\""),
            Some(site(&app, "/og-home.jpg").as_str())
        );
        assert_eq!(meta(&home, "property=\"og:image:width\""), Some("1200"));
        assert_eq!(
            meta(&home, "name=\"twitter:card\""),
            Some("summary_large_image")
        );
        assert!(home.contains(&format!(
            "<link href=\"{}\" rel=\"canonical\">",
            site(&app, "/")
        )));
    }
);

storage_test!(
    the_sitemap_lists_listed_events_and_their_organizations_only,
    |app: TestApp| async move {
        let Events {
            organizer,
            public,
            unlisted,
            private,
        } = three_events(&app).await;
        let draft = app
            .create_event(&organizer, &[("title", "Winter Market Draft")])
            .await;
        app.outbox_delivered().await;
        let slug = app.organization_slug(public).await;
        let response = app.get("/sitemap.xml").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml"));
        let xml = response.text().await.expect("body");
        let locs: BTreeSet<String> = xml
            .split("<loc>")
            .skip(1)
            .filter_map(|l| l.split("</loc>").next())
            .map(str::to_owned)
            .collect();
        let expected: BTreeSet<String> = [
            site(&app, "/"),
            site(&app, &format!("/events/{public}")),
            site(&app, &format!("/o/{slug}")),
        ]
        .into_iter()
        .collect();
        assert_eq!(locs, expected, "{xml}");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert!(xml.contains("<lastmod>"));
        for hidden in [unlisted, private, draft] {
            assert!(
                !xml.contains(&format!("/events/{hidden}<")),
                "{hidden} left out"
            );
        }
        // the unlisted page asks not to be indexed and carries no event data
        let html = app.page(&format!("/events/{unlisted}")).await;
        assert_eq!(app.event(unlisted).await.status, "published");
        assert_eq!(meta(&html, "name=\"robots\""), Some("noindex"));
        assert!(json_ld(&html).is_empty());

        // narrowing the public event takes it, and its organization, out
        let narrowed = app
            .post_multipart(
                &organizer,
                "/api/events/save",
                event_form(&[("id", &public.to_string()), ("visibility", "unlisted")]),
            )
            .await;
        assert!(!refused(&narrowed), "narrowed");
        assert_eq!(app.event(public).await.visibility, "unlisted");
        app.outbox_delivered().await;
        let xml = app.get("/sitemap.xml").await.text().await.expect("body");
        assert_eq!(xml.matches("<loc>").count(), 1, "only the home page: {xml}");

        // robots.txt keeps crawlers out of the private parts and points at the sitemap
        let robots = app.get("/robots.txt").await.text().await.expect("robots");
        assert!(robots.starts_with("User-agent: *\n"));
        assert!(robots.contains("Disallow: /api/\n"));
        assert!(robots.contains("Disallow: /my/\n"));
        assert!(robots.contains(&format!("Sitemap: {}", site(&app, "/sitemap.xml"))));
    }
);

storage_test!(
    a_sitemap_of_more_than_50000_addresses_is_split_into_files,
    |app: TestApp| async move {
        use sea_orm::ActiveValue::Set;
        let now = chrono::Utc::now();
        let rows: Vec<entity::sitemap_url::ActiveModel> = (1..=50_000)
            .map(|n| entity::sitemap_url::ActiveModel {
                kind: Set("event".into()),
                subject_id: Set(n),
                path: Set(format!("/events/{n}")),
                lastmod: Set(now),
                ..Default::default()
            })
            .collect();
        for chunk in rows.chunks(2_000) {
            entity::sitemap_url::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&app.db)
                .await
                .expect("rows");
        }
        // with the home page, 50,001 addresses: an index of two files
        let index = app.get("/sitemap.xml").await.text().await.expect("index");
        assert!(
            index.contains("<sitemapindex"),
            "{}",
            &index[..200.min(index.len())]
        );
        assert_eq!(index.matches("<sitemap>").count(), 2);
        assert!(index.contains(&format!("<loc>{}</loc>", site(&app, "/sitemaps/1.xml"))));
        let first = app
            .get("/sitemaps/0.xml")
            .await
            .text()
            .await
            .expect("first");
        assert_eq!(first.matches("<url>").count(), 50_000);
        assert!(first.contains(&format!("<loc>{}</loc>", site(&app, "/"))));
        let second = app
            .get("/sitemaps/1.xml")
            .await
            .text()
            .await
            .expect("second");
        assert_eq!(second.matches("<url>").count(), 1);
        assert!(second.contains(&format!("<loc>{}</loc>", site(&app, "/events/50000"))));
        for missing in ["/sitemaps/2.xml", "/sitemaps/x.xml", "/sitemaps/-1.xml"] {
            assert_eq!(app.get(missing).await.status(), 404, "{missing}");
        }
    }
);
