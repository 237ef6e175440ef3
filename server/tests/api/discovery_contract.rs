//! The search index contract: every adapter must pass these. They run against the embedded
//! index always, and against Meilisearch when `MEILI_URL` is set (each test in its own index).
use std::sync::Arc;

use app::domain::discovery::{
    geo::GeoPoint,
    query::{FacetRequest, Filters, Radius, Sort, Window},
    EmbeddedIndex, MeiliIndex, SearchDocument, SearchError, SearchIndex, SearchQuery,
};

const NOW: i64 = 1_900_000_000;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const BERLIN: GeoPoint = GeoPoint {
    lat: 52.52,
    lng: 13.405,
};
const POTSDAM: GeoPoint = GeoPoint {
    lat: 52.3906,
    lng: 13.0645,
};
const LISBON: GeoPoint = GeoPoint {
    lat: 38.7223,
    lng: -9.1393,
};

/// Runs a contract check against every configured adapter.
macro_rules! contract {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                let index = Arc::new(EmbeddedIndex::in_memory().expect("index"));
                ($body)(fixture(index).await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn meilisearch() {
                let Ok(url) = std::env::var("MEILI_URL") else {
                    eprintln!("MEILI_URL not set: Meilisearch variant skipped");
                    return;
                };
                let key = std::env::var("MEILI_MASTER_KEY").ok();
                let uid = format!(
                    "contract_{}_{}",
                    stringify!($name),
                    uuid::Uuid::new_v4().simple()
                );
                let index = Arc::new(MeiliIndex::new(&url, key.as_deref(), &uid).expect("client"));
                assert!(index.prepare().await.expect("prepare"), "a new index");
                ($body)(fixture(index.clone()).await).await;
                index.delete().await.expect("delete the test index");
            }
        }
    };
}

fn doc(id: i32, title: &str) -> SearchDocument {
    SearchDocument {
        id,
        title: title.into(),
        summary: String::new(),
        description: String::new(),
        tags: Vec::new(),
        category: "community".into(),
        venue: Some("Hall".into()),
        city: Some("Berlin".into()),
        organizer: 1,
        start: NOW + DAY * i64::from(id),
        ends: NOW + DAY * i64::from(id) + 3 * HOUR,
        is_free: true,
        price: Some(0.0),
        is_online: false,
        quality: 0.5,
        geo: Some(BERLIN),
    }
}

/// A small, hand-made set of events whose every property some check relies on.
fn documents() -> Vec<SearchDocument> {
    vec![
        SearchDocument {
            summary: "Live jazz on the canal".into(),
            description: "A quartet plays standards by the water. Drinks at the bar.".into(),
            tags: vec!["jazz".into(), "live".into()],
            category: "music".into(),
            venue: Some("Kesselhaus".into()),
            is_free: false,
            price: Some(15.0),
            quality: 0.9,
            ..doc(1, "Jazz Concert by the Water")
        },
        SearchDocument {
            summary: "Learn to photograph the city at night".into(),
            description: "Bring a camera; we walk through Mitte for two hours.".into(),
            tags: vec!["photography".into()],
            category: "arts".into(),
            is_free: false,
            price: Some(40.0),
            geo: Some(POTSDAM),
            city: Some("Potsdam".into()),
            ..doc(2, "Photography Workshop")
        },
        SearchDocument {
            summary: "Coffee and cake".into(),
            description: "Meet neighbours over coffee.".into(),
            category: "food-drink".into(),
            venue: Some("Café Müller".into()),
            city: Some("Zürich".into()),
            ..doc(3, "Morning at Café Müller")
        },
        SearchDocument {
            summary: "A talk streamed for everyone".into(),
            description: "Our speaker explains how search engines forgive typos.".into(),
            category: "tech".into(),
            is_online: true,
            venue: None,
            city: None,
            geo: None,
            ..doc(4, "Online Talk about Search")
        },
        SearchDocument {
            summary: "Fado night".into(),
            description: "Traditional music in Alfama with a jazz guest.".into(),
            category: "music".into(),
            city: Some("Lisbon".into()),
            geo: Some(LISBON),
            quality: 0.4,
            ..doc(5, "Fado in Alfama")
        },
        SearchDocument {
            summary: "Концерт в парке".into(),
            category: "music".into(),
            ..doc(6, "Летний концерт")
        },
        // twins but for quality: the better one must rank first
        SearchDocument {
            quality: 0.3,
            ..doc(7, "Pottery Evening")
        },
        SearchDocument {
            quality: 0.8,
            ..doc(8, "Pottery Evening")
        },
        // ended: never found by an "upcoming" search
        SearchDocument {
            start: NOW - 3 * DAY,
            ends: NOW - 2 * DAY,
            ..doc(9, "Jazz Brunch That Already Happened")
        },
        SearchDocument {
            description: "An evening about jazz history, with records.".into(),
            category: "education".into(),
            organizer: 2,
            ..doc(10, "Listening Session")
        },
    ]
}

async fn fixture(index: Arc<dyn SearchIndex>) -> Arc<dyn SearchIndex> {
    index.replace_all(&documents()).await.expect("load");
    index
}

fn upcoming(text: &str) -> SearchQuery {
    SearchQuery {
        filters: Filters {
            ends_after: Some(NOW),
            ..Default::default()
        },
        per_page: 50,
        ..SearchQuery::text(text)
    }
}

async fn ids(index: &Arc<dyn SearchIndex>, query: SearchQuery) -> Vec<i32> {
    index
        .search(&query)
        .await
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn sorted(mut v: Vec<i32>) -> Vec<i32> {
    v.sort();
    v
}

contract!(typos_are_forgiven_by_word_length, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    // one typo from 5 letters, two from 9
    assert!(ids(&index, upcoming("concret")).await.contains(&1));
    assert!(ids(&index, upcoming("photgraphy workshop"))
        .await
        .contains(&2));
    assert!(ids(&index, upcoming("photogarphy wrkshop"))
        .await
        .contains(&2));
    // short words must be exact (unless they are the last word, being typed)
    assert_eq!(
        ids(&index, upcoming("jass concert")).await,
        Vec::<i32>::new()
    );
    // every word must match
    assert_eq!(
        ids(&index, upcoming("jazz pottery")).await,
        Vec::<i32>::new()
    );
});

contract!(the_last_word_is_a_prefix, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    assert_eq!(ids(&index, upcoming("photo")).await, vec![2]);
    assert!(ids(&index, upcoming("jazz conc")).await.contains(&1));
    // only the last word
    assert_eq!(ids(&index, upcoming("conc jazz")).await, Vec::<i32>::new());
});

contract!(
    relevance_ranks_titles_first_then_quality,
    |index| async move {
        let index: Arc<dyn SearchIndex> = index;
        let jazz = ids(&index, upcoming("jazz")).await;
        assert_eq!(jazz.first(), Some(&1), "title match first: {jazz:?}");
        assert_eq!(sorted(jazz), vec![1, 5, 10], "ended event left out");
        assert_eq!(ids(&index, upcoming("pottery evening")).await, vec![8, 7]);
    }
);

contract!(accents_and_unicode_match, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    assert_eq!(ids(&index, upcoming("cafe muller")).await, vec![3]);
    assert_eq!(ids(&index, upcoming("Müller")).await, vec![3]);
    assert_eq!(ids(&index, upcoming("zurich")).await, vec![3]);
    assert_eq!(ids(&index, upcoming("концерт")).await, vec![6]);
    assert!(ids(&index, upcoming("🎷 jazz")).await.contains(&1));
});

contract!(
    absurd_queries_fail_clearly_or_find_nothing,
    |index| async move {
        let index: Arc<dyn SearchIndex> = index;
        let huge = "jazz ".repeat(2048);
        match index.search(&upcoming(&huge)).await {
            Err(SearchError::Invalid(message)) => assert!(message.contains("characters")),
            other => panic!("10 KB query: {other:?}"),
        }
        // quotes carry no meaning: unbalanced ones are harmless
        assert!(ids(&index, upcoming("\"jazz")).await.contains(&1));
        for odd in [
            "((",
            "\"",
            "*",
            "-",
            "AND OR NOT",
            "\\",
            "%00",
            "'; drop table events; --",
        ] {
            index
                .search(&upcoming(odd))
                .await
                .unwrap_or_else(|e| panic!("{odd:?}: {e}"));
        }
        // an empty query lists everything upcoming
        assert_eq!(
            sorted(ids(&index, upcoming("")).await),
            vec![1, 2, 3, 4, 5, 6, 7, 8, 10]
        );
        let bad_page = SearchQuery {
            page: 0,
            ..upcoming("")
        };
        assert!(matches!(
            index.search(&bad_page).await,
            Err(SearchError::Invalid(_))
        ));
    }
);

contract!(each_filter_applies, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    let with = |f: Filters| SearchQuery {
        filters: Filters {
            ends_after: Some(NOW),
            ..f
        },
        per_page: 50,
        ..Default::default()
    };
    let cats = |c: &[&str]| Filters {
        categories: c.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    assert_eq!(
        sorted(ids(&index, with(cats(&["music"]))).await),
        vec![1, 5, 6]
    );
    assert_eq!(
        sorted(ids(&index, with(cats(&["music", "arts"]))).await),
        vec![1, 2, 5, 6]
    );
    let tags = Filters {
        tags: vec!["jazz".into()],
        ..Default::default()
    };
    assert_eq!(ids(&index, with(tags)).await, vec![1]);
    let paid = Filters {
        free: Some(false),
        ..Default::default()
    };
    assert_eq!(sorted(ids(&index, with(paid)).await), vec![1, 2]);
    let range = Filters {
        price_min: Some(10.0),
        price_max: Some(20.0),
        ..Default::default()
    };
    assert_eq!(ids(&index, with(range)).await, vec![1]);
    let online = Filters {
        online: Some(true),
        ..Default::default()
    };
    assert_eq!(ids(&index, with(online)).await, vec![4]);
    // events overlapping days 2..4 (each starts on day `id`)
    let window = Filters {
        window: Some(Window {
            from: NOW + 2 * DAY,
            to: NOW + 4 * DAY,
        }),
        ..Default::default()
    };
    assert_eq!(sorted(ids(&index, with(window)).await), vec![2, 3]);
    let organizer = Filters {
        organizer: Some(2),
        ..Default::default()
    };
    assert_eq!(ids(&index, with(organizer)).await, vec![10]);
    let near_potsdam = Filters {
        radius: Some(Radius {
            center: POTSDAM,
            metres: 5_000.0,
        }),
        ..Default::default()
    };
    assert_eq!(ids(&index, with(near_potsdam)).await, vec![2]);
    // no ends_after: the ended event is there too
    let all = SearchQuery {
        per_page: 50,
        ..Default::default()
    };
    assert!(ids(&index, all).await.contains(&9));
});

contract!(
    facets_count_each_group_without_its_own_filter,
    |index| async move {
        let index: Arc<dyn SearchIndex> = index;
        let query = SearchQuery {
            filters: Filters {
                ends_after: Some(NOW),
                categories: vec!["music".into()],
                ..Default::default()
            },
            facets: FacetRequest {
                values: true,
                windows: vec![
                    Window {
                        from: NOW,
                        to: NOW + 2 * DAY,
                    },
                    Window {
                        from: NOW + 4 * DAY,
                        to: NOW + 100 * DAY,
                    },
                ],
            },
            ..Default::default()
        };
        let results = index.search(&query).await.expect("search");
        assert_eq!(results.total, 3);
        let f = &results.facets;
        // the category group ignores the category filter
        assert_eq!(f.categories.get("music"), Some(&3));
        assert_eq!(f.categories.get("arts"), Some(&1));
        assert_eq!(f.categories.get("education"), Some(&1));
        assert_eq!(f.categories.get("sports").copied().unwrap_or(0), 0);
        // the other groups keep it: music is 1 paid (15), 2 free; none online
        assert_eq!((f.free, f.paid), (2, 1));
        assert_eq!((f.online, f.in_person), (0, 3));
        // music events overlapping days 0..2: #1; days 4..100: #5, #6
        assert_eq!(f.windows, vec![1, 2]);
    }
);

contract!(
    geo_radius_reports_and_orders_by_distance,
    |index| async move {
        let index: Arc<dyn SearchIndex> = index;
        let query = SearchQuery {
            filters: Filters {
                ends_after: Some(NOW),
                radius: Some(Radius {
                    center: BERLIN,
                    metres: 50_000.0,
                }),
                ..Default::default()
            },
            sort: Sort::Distance(POTSDAM),
            per_page: 50,
            ..Default::default()
        };
        let results = index.search(&query).await.expect("search");
        // Lisbon and the online talk are outside; Potsdam is nearest to Potsdam
        assert_eq!(results.total, 7);
        assert_eq!(results.hits[0].id, 2);
        let distances: Vec<f64> = results
            .hits
            .iter()
            .map(|h| h.distance_m.expect("a distance"))
            .collect();
        assert!(distances[0] < 100.0, "{distances:?}");
        assert!(
            distances.windows(2).all(|w| w[0] <= w[1] + 1.0),
            "{distances:?}"
        );
        assert!((distances[1] - BERLIN.distance_m(POTSDAM)).abs() < 500.0);
        // sorting by distance puts events without a place last
        let everything = SearchQuery {
            filters: Filters {
                ends_after: Some(NOW),
                ..Default::default()
            },
            sort: Sort::Distance(LISBON),
            per_page: 50,
            ..Default::default()
        };
        let order = ids(&index, everything).await;
        assert_eq!(order.first(), Some(&5));
        assert_eq!(order.last(), Some(&4));
    }
);

contract!(sorts_by_start_and_quality, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    let by = |sort| SearchQuery {
        sort,
        per_page: 50,
        ..upcoming("")
    };
    assert_eq!(
        ids(&index, by(Sort::StartAsc)).await,
        vec![1, 2, 3, 4, 5, 6, 7, 8, 10]
    );
    let quality = ids(&index, by(Sort::QualityDesc)).await;
    assert_eq!(quality[0], 1);
    assert_eq!(quality[1], 8);
    assert_eq!(quality.last(), Some(&7));
    // an explicit sort is strict, even with text
    let jazz_soonest = SearchQuery {
        sort: Sort::StartAsc,
        ..upcoming("jazz")
    };
    assert_eq!(ids(&index, jazz_soonest).await, vec![1, 5, 10]);
});

contract!(pages_split_the_results, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    let page = |n| SearchQuery {
        sort: Sort::StartAsc,
        page: n,
        per_page: 4,
        ..upcoming("")
    };
    let first = index.search(&page(1)).await.expect("page 1");
    let third = index.search(&page(3)).await.expect("page 3");
    assert_eq!(first.total, 9);
    assert_eq!(third.total, 9);
    assert_eq!(
        first.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(
        third.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![10]
    );
    assert!(index
        .search(&page(4))
        .await
        .expect("page 4")
        .hits
        .is_empty());
});

contract!(matches_are_highlighted, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    let query = SearchQuery {
        highlight: true,
        ..upcoming("jazz")
    };
    let results = index.search(&query).await.expect("search");
    let hit = results.hits.iter().find(|h| h.id == 1).expect("hit");
    let marked: Vec<&str> = hit
        .title
        .iter()
        .filter(|s| s.marked)
        .map(|s| s.text.as_str())
        .collect();
    assert_eq!(marked, vec!["Jazz"]);
    let title: String = hit.title.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(title, "Jazz Concert by the Water");
    let listening = results.hits.iter().find(|h| h.id == 10).expect("hit");
    assert!(
        listening
            .snippet
            .iter()
            .any(|s| s.marked && s.text == "jazz"),
        "{:?}",
        listening.snippet
    );
});

contract!(writes_replace_remove_and_list, |index| async move {
    let index: Arc<dyn SearchIndex> = index;
    index
        .upsert(&[SearchDocument {
            title: "Jazz Concert moved indoors".into(),
            summary: "Because of rain".into(),
            description: "The quartet plays in the hall.".into(),
            ..documents()[0].clone()
        }])
        .await
        .expect("upsert");
    let found = index.search(&upcoming("indoors")).await.expect("search");
    assert_eq!(found.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
    assert!(index
        .search(&upcoming("water"))
        .await
        .expect("search")
        .hits
        .iter()
        .all(|h| h.id != 1));
    index.remove(&[1, 999]).await.expect("remove");
    assert!(!ids(&index, upcoming("")).await.contains(&1));
    let docs = index.documents().await.expect("documents");
    assert_eq!(
        docs.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![2, 3, 4, 5, 6, 7, 8, 9, 10]
    );
    assert_eq!(docs[0], documents()[1]);
    index.replace_all(&documents()[..2]).await.expect("replace");
    assert_eq!(index.documents().await.expect("documents").len(), 2);
});
