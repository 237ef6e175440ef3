//! The search page and the home page's search box. Both are plain GET forms that work without
//! JavaScript; hydrated, the page searches as you type, keeps its state in the URL (the back
//! button works) and offers autocomplete suggestions.
use std::time::Duration;

use leptos::prelude::*;

use crate::{
    api::discovery::{search_events, search_suggestions},
    components::{event_card::CARD_SIZES, language::use_locale, picture::PictureView},
    i18n::td_string,
    model::{
        discovery::{
            DatePreset, Format, NearPoint, PriceFilter, SearchHit, SearchPage, SearchParams,
            Segment, SortOrder, Suggestion, SuggestionKind, DEFAULT_RADIUS_KM, MAX_QUERY_CHARS,
            MAX_RADIUS_KM, MIN_RADIUS_KM,
        },
        language::Locale,
        taxonomy::Category,
    },
};

const TYPING_PAUSE: Duration = Duration::from_millis(200);

/// The search box's words in the page's language. The server gives them (and [`SearchText`]) to
/// the islands, so no translations ship in the WebAssembly.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SearchFieldText {
    pub label: String,
    pub placeholder: String,
    pub submit: String,
    /// What each kind of suggestion is called, in `SuggestionKind::ALL` order.
    pub kinds: Vec<String>,
}

/// Names for a closed set's values, in its `ALL` order (islands get them from the server).
fn labels<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| name(*v).to_owned()).collect()
}

/// The name at `index` of what [`labels`] made.
fn name_of(names: &[String], index: Option<usize>) -> String {
    index
        .and_then(|i| names.get(i))
        .cloned()
        .unwrap_or_default()
}

impl SearchFieldText {
    pub fn new(locale: Locale) -> Self {
        Self {
            label: td_string!(locale, search.field.label).to_owned(),
            placeholder: td_string!(locale, search.field.placeholder).to_owned(),
            submit: td_string!(locale, search.field.submit).to_owned(),
            kinds: labels(SuggestionKind::ALL, |k| k.label_in(locale)),
        }
    }
}

/// The search page's words in the page's language.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SearchText {
    pub field: SearchFieldText,
    pub filters_label: String,
    pub apply_filters: String,
    pub filters: FilterText,
    pub results: ResultText,
}

/// The filters' words. They travel to the island as a list, not as a map of named fields: serde's
/// derived map form of these 24 fields alone cost 4.3 KB of the gzipped WebAssembly (measured).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(from = "FilterWords", into = "FilterWords")]
pub struct FilterText {
    /// Category names in `Category::ALL` order.
    pub categories: Vec<String>,
    /// Date presets' names in `DatePreset::ALL` order.
    pub presets: Vec<String>,
    pub category: String,
    pub when: String,
    pub any_date: String,
    pub from: String,
    pub to: String,
    pub price: String,
    pub any_price: String,
    pub free: String,
    pub paid: String,
    pub format: String,
    pub any_format: String,
    pub in_person: String,
    pub online: String,
    pub distance: String,
    pub near: String,
    pub anywhere: String,
    pub my_location: String,
    pub my_home_city: String,
    pub use_my_location: String,
    /// `{km}` stands for the radius.
    pub within: String,
    /// `{place}` stands for where distances are measured from.
    pub measured_from: String,
    pub location: LocationText,
}

/// `FilterText` as sent: the category and preset names, then the other words in field order and
/// the location's.
#[derive(serde::Serialize, serde::Deserialize)]
struct FilterWords(Vec<String>, Vec<String>, Vec<String>);

impl From<FilterText> for FilterWords {
    fn from(t: FilterText) -> Self {
        let words = vec![
            t.category,
            t.when,
            t.any_date,
            t.from,
            t.to,
            t.price,
            t.any_price,
            t.free,
            t.paid,
            t.format,
            t.any_format,
            t.in_person,
            t.online,
            t.distance,
            t.near,
            t.anywhere,
            t.my_location,
            t.my_home_city,
            t.use_my_location,
            t.within,
            t.measured_from,
            t.location.finding,
            t.location.unsupported,
            t.location.denied,
            t.location.failed,
        ];
        FilterWords(t.categories, t.presets, words)
    }
}

impl From<FilterWords> for FilterText {
    fn from(FilterWords(categories, presets, words): FilterWords) -> Self {
        let mut words = words.into_iter();
        let mut next = || words.next().unwrap_or_default();
        FilterText {
            categories,
            presets,
            category: next(),
            when: next(),
            any_date: next(),
            from: next(),
            to: next(),
            price: next(),
            any_price: next(),
            free: next(),
            paid: next(),
            format: next(),
            any_format: next(),
            in_person: next(),
            online: next(),
            distance: next(),
            near: next(),
            anywhere: next(),
            my_location: next(),
            my_home_city: next(),
            use_my_location: next(),
            within: next(),
            measured_from: next(),
            location: LocationText {
                finding: next(),
                unsupported: next(),
                denied: next(),
                failed: next(),
            },
        }
    }
}

/// What finding the browser's position tells the person.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LocationText {
    pub finding: String,
    pub unsupported: String,
    pub denied: String,
    pub failed: String,
}

/// The results' words, sent as a list for the same reason as [`FilterText`].
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(from = "ResultWords", into = "ResultWords")]
pub struct ResultText {
    /// Sort orders' names in `SortOrder::ALL` order.
    pub sorts: Vec<String>,
    pub nothing_found: String,
    pub single_event: String,
    /// `{count}` stands for the number of events (more than one).
    pub event_count: String,
    pub sort_by: String,
    pub no_results: String,
    pub pager: PagerText,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct PagerText {
    pub label: String,
    pub previous: String,
    pub next: String,
    /// `{page}` and `{pages}` stand for the page shown and the number of pages.
    pub page_of: String,
}

/// `ResultText` as sent: the sort orders' names, then the other words in field order and the
/// pager's.
#[derive(serde::Serialize, serde::Deserialize)]
struct ResultWords(Vec<String>, Vec<String>);

impl From<ResultText> for ResultWords {
    fn from(t: ResultText) -> Self {
        let words = vec![
            t.nothing_found,
            t.single_event,
            t.event_count,
            t.sort_by,
            t.no_results,
            t.pager.label,
            t.pager.previous,
            t.pager.next,
            t.pager.page_of,
        ];
        ResultWords(t.sorts, words)
    }
}

impl From<ResultWords> for ResultText {
    fn from(ResultWords(sorts, words): ResultWords) -> Self {
        let mut words = words.into_iter();
        let mut next = || words.next().unwrap_or_default();
        ResultText {
            sorts,
            nothing_found: next(),
            single_event: next(),
            event_count: next(),
            sort_by: next(),
            no_results: next(),
            pager: PagerText {
                label: next(),
                previous: next(),
                next: next(),
                page_of: next(),
            },
        }
    }
}

impl SearchText {
    pub fn new(locale: Locale) -> Self {
        Self {
            field: SearchFieldText::new(locale),
            filters_label: td_string!(locale, search.filters.label).to_owned(),
            apply_filters: td_string!(locale, search.filters.apply).to_owned(),
            filters: FilterText {
                categories: labels(&Category::ALL, |c| c.label_in(locale)),
                presets: labels(DatePreset::ALL, |d| d.label_in(locale)),
                category: td_string!(locale, search.filters.category).to_owned(),
                when: td_string!(locale, search.filters.when).to_owned(),
                any_date: td_string!(locale, search.filters.any_date).to_owned(),
                from: td_string!(locale, search.filters.from).to_owned(),
                to: td_string!(locale, search.filters.to).to_owned(),
                price: td_string!(locale, search.filters.price).to_owned(),
                any_price: td_string!(locale, search.filters.any_price).to_owned(),
                free: td_string!(locale, search.filters.free).to_owned(),
                paid: td_string!(locale, search.filters.paid).to_owned(),
                format: td_string!(locale, search.filters.format).to_owned(),
                any_format: td_string!(locale, search.filters.any_format).to_owned(),
                in_person: td_string!(locale, search.filters.in_person).to_owned(),
                online: td_string!(locale, search.filters.online).to_owned(),
                distance: td_string!(locale, search.filters.distance).to_owned(),
                near: td_string!(locale, search.filters.near).to_owned(),
                anywhere: td_string!(locale, search.filters.anywhere).to_owned(),
                my_location: td_string!(locale, search.filters.my_location).to_owned(),
                my_home_city: td_string!(locale, search.filters.my_home_city).to_owned(),
                use_my_location: td_string!(locale, search.filters.use_my_location).to_owned(),
                within: td_string!(locale, search.filters.within, km = "{km}"),
                measured_from: td_string!(locale, search.filters.measured_from, place = "{place}"),
                location: LocationText {
                    finding: td_string!(locale, search.location.finding).to_owned(),
                    unsupported: td_string!(locale, search.location.unsupported).to_owned(),
                    denied: td_string!(locale, search.location.denied).to_owned(),
                    failed: td_string!(locale, search.location.failed).to_owned(),
                },
            },
            results: ResultText {
                sorts: labels(SortOrder::ALL, |s| s.label_in(locale)),
                nothing_found: td_string!(locale, search.results.nothing_found).to_owned(),
                single_event: td_string!(locale, search.results.single_event).to_owned(),
                event_count: td_string!(locale, search.results.event_count, count = "{count}"),
                sort_by: td_string!(locale, search.results.sort_by).to_owned(),
                no_results: td_string!(locale, search.results.no_results).to_owned(),
                pager: PagerText {
                    label: td_string!(locale, search.pager.label).to_owned(),
                    previous: td_string!(locale, search.pager.previous).to_owned(),
                    next: td_string!(locale, search.pager.next).to_owned(),
                    page_of: td_string!(
                        locale,
                        search.pager.page_of,
                        page = "{page}",
                        pages = "{pages}"
                    ),
                },
            },
        }
    }
}

/// The whole search page: box, filters with counts, results, pages.
#[island]
pub fn SearchApp(initial: SearchPage, text: SearchText) -> impl IntoView {
    let SearchText {
        field,
        filters_label,
        apply_filters,
        filters,
        results,
    } = text;
    let params = RwSignal::new(initial.params.clone());
    let page = RwSignal::new(initial);
    let loading = RwSignal::new(false);
    let sequence = StoredValue::new(0u64);

    // Runs the search for the current params; later answers win, earlier ones are dropped.
    let run = move |push: bool| {
        let p = params.get_untracked();
        set_url(&p.href(), push);
        let n = sequence.get_value() + 1;
        sequence.set_value(n);
        loading.set(true);
        leptos::task::spawn_local(async move {
            let result = search_events(p.to_query()).await;
            if sequence.get_value() == n {
                loading.set(false);
                if let Ok(next) = result {
                    page.set(next);
                }
            }
        });
    };
    let change = move |edit: Box<dyn FnOnce(&mut SearchParams)>| {
        params.update(|p| {
            edit(p);
            p.page = 0;
        });
        run(true);
    };

    Effect::new(move |_| {
        // the browser's time zone, which "today" and "this weekend" mean
        if let Some(tz) = browser_time_zone() {
            params.update_untracked(|p| p.tz = Some(tz));
        }
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let query = window().location().search().unwrap_or_default();
        let pairs = crate::model::discovery::url_pairs(&query);
        let (next, _) = SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        params.set(next);
        run(false);
    });

    let on_typed = Callback::new(move |text: String| {
        params.update_untracked(|p| {
            p.q = text;
            p.page = 0;
        });
        run(false);
    });
    let q = params.get_untracked().q;
    // attributes render on the server (and without JavaScript); properties follow changes
    let tz = move || params.with(|p| p.tz.clone().unwrap_or_default());

    view! {
        <form class="search" method="get" action="/search" role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                let typed = typed_query();
                params.update(|p| { p.q = typed; p.page = 0; });
                run(true);
            }>
            <SearchField value=q on_typed=Some(on_typed) text=field/>
            <input type="hidden" name="tz" value=tz prop:value=tz/>
            <div class="search-layout">
                <aside class="filters" aria-label=filters_label>
                    <Filters params page change text=filters/>
                    <noscript><button type="submit">{apply_filters}</button></noscript>
                </aside>
                // only the count is announced as results change, not the whole list
                <section class="results" class:loading=move || loading.get()>
                    <Results page params change text=results/>
                </section>
            </div>
        </form>
    }
}

type Change = Box<dyn FnOnce(&mut SearchParams)>;

#[component]
fn Filters(
    params: RwSignal<SearchParams>,
    page: RwSignal<SearchPage>,
    change: impl Fn(Change) + Copy + Send + Sync + 'static,
    text: FilterText,
) -> impl IntoView {
    let FilterText {
        categories: category_names,
        presets: presets_text,
        category,
        when,
        any_date: any_date_label,
        from,
        to,
        price,
        any_price,
        free,
        paid,
        format,
        any_format,
        in_person,
        online,
        distance,
        near,
        anywhere,
        my_location,
        my_home_city,
        use_my_location,
        within,
        measured_from,
        location,
    } = text;
    let count = move |n: u64| format!("{n}");
    let categories = Category::ALL
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let slug = c.slug();
            let checked = move || params.with(|p| p.categories.iter().any(|s| s == slug));
            let n = move || page.with(|p| p.facets.categories.get(i).map_or(0, |f| f.2));
            view! {
                <label class="facet" data-value=slug>
                    <input type="checkbox" name="cat" value=slug checked=checked prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            change(Box::new(move |p| {
                                p.categories.retain(|s| s != slug);
                                if on { p.categories.push(slug.to_owned()); }
                            }));
                        }/>
                    <span>{name_of(&category_names, Category::ALL.iter().position(|x| *x == c))}</span>
                    <span class="count">{move || count(n())}</span>
                </label>
            }
        })
        .collect_view();

    let presets = [
        DatePreset::Today,
        DatePreset::Tomorrow,
        DatePreset::Weekend,
        DatePreset::Week,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, preset)| {
        let n = move || page.with(|p| p.facets.dates.get(i).map_or(0, |d| d.1));
        let chosen = move || params.with(|p| p.when == Some(preset));
        view! {
            <label class="facet" data-value=preset.as_str()>
                <input type="radio" name="when" value=preset.as_str()
                    checked=chosen prop:checked=chosen
                    on:change=move |_| change(Box::new(move |p| { p.when = Some(preset); p.from = None; p.to = None; }))/>
                <span>{name_of(&presets_text, DatePreset::ALL.iter().position(|x| *x == preset))}</span>
                <span class="count">{move || count(n())}</span>
            </label>
        }
    })
    .collect_view();

    let date_input = move |name: &'static str| {
        let date = move || {
            params.with(|p| {
                if name == "from" {
                    p.from.clone()
                } else {
                    p.to.clone()
                }
                .unwrap_or_default()
            })
        };
        view! {
            <input type="date" name=name
                value=date prop:value=date
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    let v = (!v.is_empty()).then_some(v);
                    change(Box::new(move |p| {
                        p.when = Some(DatePreset::Custom);
                        if name == "from" { p.from = v } else { p.to = v }
                    }));
                }/>
        }
    };

    let price_choice = move |value: Option<PriceFilter>, label: String| {
        let n = move || {
            page.with(|p| match value {
                Some(PriceFilter::Free) => Some(p.facets.free),
                Some(PriceFilter::Paid) => Some(p.facets.paid),
                None => None,
            })
        };
        let chosen = move || params.with(|p| p.price == value);
        view! {
            <label class="facet" data-value=value.map_or("any", |v| v.as_str())>
                <input type="radio" name="price" value=value.map_or("", |v| v.as_str())
                    checked=chosen prop:checked=chosen
                    on:change=move |_| change(Box::new(move |p| p.price = value))/>
                <span>{label}</span>
                <span class="count">{move || n().map(count)}</span>
            </label>
        }
    };
    let price_bound = move |name: &'static str, label: String| {
        let bound = move || {
            params.with(|p| {
                if name == "min" {
                    p.min_price
                } else {
                    p.max_price
                }
                .map(|v| v.to_string())
                .unwrap_or_default()
            })
        };
        view! {
            <label class="bound">{label}
                <input type="number" name=name min="0" step="1" inputmode="decimal"
                    value=bound prop:value=bound
                    on:change=move |ev| {
                        let v = event_target_value(&ev).replace(',', ".").parse::<f64>().ok().filter(|v| *v >= 0.0);
                        change(Box::new(move |p| if name == "min" { p.min_price = v } else { p.max_price = v }));
                    }/>
            </label>
        }
    };

    let format_choice = move |value: Option<Format>, label: String| {
        let n = move || {
            page.with(|p| match value {
                Some(Format::Online) => Some(p.facets.online),
                Some(Format::InPerson) => Some(p.facets.in_person),
                None => None,
            })
        };
        let chosen = move || params.with(|p| p.format == value);
        view! {
            <label class="facet" data-value=value.map_or("any", |v| v.as_str())>
                <input type="radio" name="format" value=value.map_or("", |v| v.as_str())
                    checked=chosen prop:checked=chosen
                    on:change=move |_| change(Box::new(move |p| p.format = value))/>
                <span>{label}</span>
                <span class="count">{move || n().map(count)}</span>
            </label>
        }
    };

    let locating = RwSignal::new(None::<String>);
    let locate = move |_| {
        locating.set(Some(location.finding.clone()));
        locate_browser(
            location.clone(),
            move |lat, lng| {
                locating.set(None);
                change(Box::new(move |p| {
                    p.near = Some(NearPoint::Here);
                    p.lat = Some(lat);
                    p.lng = Some(lng);
                    if p.radius_km.is_none() {
                        p.radius_km = Some(DEFAULT_RADIUS_KM);
                    }
                }))
            },
            move |message| locating.set(Some(message)),
        )
    };
    let near_value = move || params.with(|p| p.near.map_or("", |n| n.as_str()).to_owned());
    let any_date = move || params.with(|p| p.when.is_none());
    let coordinate = move |pick: fn(&SearchParams) -> Option<f64>| {
        move || params.with(|p| pick(p).map(|v| format!("{v:.4}")).unwrap_or_default())
    };
    let (lat, lng) = (coordinate(|p| p.lat), coordinate(|p| p.lng));
    let radius = move || {
        params
            .with(|p| p.radius_km.unwrap_or(DEFAULT_RADIUS_KM))
            .to_string()
    };

    view! {
        <fieldset class="facet-group facet-category">
            <legend>{category}</legend>
            {categories}
        </fieldset>
        <fieldset class="facet-group facet-when">
            <legend>{when}</legend>
            <label class="facet" data-value="any">
                <input type="radio" name="when" value="" checked=any_date prop:checked=any_date
                    on:change=move |_| change(Box::new(|p| { p.when = None; p.from = None; p.to = None; }))/>
                <span>{any_date_label}</span>
            </label>
            {presets}
            <div class="dates">
                <label>{from.clone()} {date_input("from")}</label>
                <label>{to.clone()} {date_input("to")}</label>
            </div>
        </fieldset>
        <fieldset class="facet-group facet-price">
            <legend>{price}</legend>
            {price_choice(None, any_price)}
            {price_choice(Some(PriceFilter::Free), free)}
            {price_choice(Some(PriceFilter::Paid), paid)}
            <div class="bounds">{price_bound("min", from)}{price_bound("max", to)}</div>
        </fieldset>
        <fieldset class="facet-group facet-format">
            <legend>{format}</legend>
            {format_choice(None, any_format)}
            {format_choice(Some(Format::InPerson), in_person)}
            {format_choice(Some(Format::Online), online)}
        </fieldset>
        <fieldset class="facet-group facet-near">
            <legend>{distance}</legend>
            <label>{near}
                <select name="near" prop:value=near_value
                    on:change=move |ev| {
                        let v = NearPoint::parse(&event_target_value(&ev));
                        change(Box::new(move |p| p.near = v));
                    }>
                    <option value="" selected=move || near_value().is_empty()>{anywhere}</option>
                    <option value="here" disabled=move || params.with(|p| p.lat.is_none()) selected=move || near_value() == "here">{my_location}</option>
                    <option value="home" disabled=move || !page.with(|p| p.has_home) selected=move || near_value() == "home">{my_home_city}</option>
                </select>
            </label>
            <input type="hidden" name="lat" value=lat prop:value=lat/>
            <input type="hidden" name="lng" value=lng prop:value=lng/>
            <button type="button" class="link locate" on:click=locate>{use_my_location}</button>
            {move || locating.get().map(|m| view! { <p class="hint locating" role="status">{m}</p> })}
            <label>{move || within.replace("{km}", &params.with(|p| p.radius_km.unwrap_or(DEFAULT_RADIUS_KM)).to_string())}
                <input type="range" name="radius" min=MIN_RADIUS_KM max=MAX_RADIUS_KM
                    value=radius prop:value=radius
                    on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<u32>().ok();
                        change(Box::new(move |p| p.radius_km = v));
                    }/>
            </label>
            {move || page.with(|p| p.point_label.clone()).map(|l| view! { <p class="hint">{measured_from.replace("{place}", &l)}</p> })}
        </fieldset>
    }
}

#[component]
fn Results(
    page: RwSignal<SearchPage>,
    params: RwSignal<SearchParams>,
    change: impl Fn(Change) + Copy + Send + Sync + 'static,
    text: ResultText,
) -> impl IntoView {
    let ResultText {
        sorts: sort_names,
        nothing_found,
        single_event,
        event_count,
        sort_by,
        no_results,
        pager: pager_text,
    } = text;
    let sorts = SortOrder::ALL
        .iter()
        .zip(sort_names)
        .map(|(s, name)| {
            let selected = move || params.with(|p| p.sort_or_default() == *s);
            view! { <option value=s.as_str() selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <div class="results-bar">
            <p class="total" role="status" aria-live="polite">{move || page.with(|p| match p.total {
                0 => nothing_found.clone(),
                1 => single_event.clone(),
                n => event_count.replace("{count}", &n.to_string()),
            })}</p>
            <label>{sort_by}" "
                <select name="sort" on:change=move |ev| {
                    let v = SortOrder::parse(&event_target_value(&ev));
                    change(Box::new(move |p| p.sort = v));
                }>{sorts}</select>
            </label>
        </div>
        {move || page.with(|p| (!p.problems.is_empty()).then(|| view! {
            <ul class="problems" role="alert">{p.problems.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
        }))}
        {move || page.with(|p| (p.total == 0).then(|| view! {
            <div class="no-results">
                <p>{no_results.clone()}</p>
                <ul class="hints">{p.hints.iter().map(|h| view! { <li><a href=h.href.clone()>{h.label.clone()}</a></li> }).collect_view()}</ul>
            </div>
        }))}
        <ol class="hits">
            {move || page.with(|p| p.hits.clone()).into_iter().map(|hit| view! { <HitView hit/> }).collect_view()}
        </ol>
        {move || page.with(|p| pager(p, &pager_text))}
    }
}

fn pager(p: &SearchPage, text: &PagerText) -> Option<impl IntoView> {
    if p.pages <= 1 {
        return None;
    }
    let link = |n: u32, label: String| {
        let mut params = p.params.clone();
        params.page = n;
        view! { <a href=params.href() rel=if n < p.page { "prev" } else { "next" }>{label}</a> }
    };
    Some(view! {
        <nav class="pager" aria-label=text.label.clone()>
            {(p.page > 1).then(|| link(p.page - 1, text.previous.clone()))}
            <span>{text.page_of.replace("{page}", &p.page.to_string()).replace("{pages}", &p.pages.to_string())}</span>
            {(p.page < p.pages).then(|| link(p.page + 1, text.next.clone()))}
        </nav>
    })
}

fn marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.marked {
                view! { <mark>{s.text}</mark> }.into_any()
            } else {
                view! { <span>{s.text}</span> }.into_any()
            }
        })
        .collect_view()
}

#[component]
fn HitView(hit: SearchHit) -> impl IntoView {
    let card = hit.card;
    let title = if hit.title.is_empty() {
        vec![Segment {
            text: card.title.clone(),
            marked: false,
        }]
    } else {
        hit.title
    };
    let snippet = if hit.snippet.is_empty() {
        vec![Segment {
            text: card.summary.clone(),
            marked: false,
        }]
    } else {
        hit.snippet
    };
    view! {
        <li class="hit card" data-id=card.id>
            <a class="card-link" href=format!("/events/{}", card.id)>
                {match card.cover {
                    Some(picture) => view! { <PictureView picture class="card-cover" sizes=CARD_SIZES/> }.into_any(),
                    None => view! { <div class=format!("card-cover placeholder cat-{}", card.category_slug)></div> }.into_any(),
                }}
                <div class="card-body">
                    <p class="card-meta">
                        <span class="chip small">{card.category_label}</span>
                        <span>{card.start_time}</span>
                    </p>
                    <h2>{marked(title)}</h2>
                    {(!card.badges.is_empty()).then(|| view! {
                        <p class="badges">{card.badges.into_iter().map(|b| view! { <span class="badge">{b}</span> }).collect_view()}</p>
                    })}
                    <p class="card-summary">{marked(snippet)}</p>
                    <p class="card-meta">
                        <span>{card.place}</span>
                        {hit.distance.map(|d| view! { <span class="distance">{d}</span> })}
                        <span class="price">{card.price}</span>
                    </p>
                </div>
            </a>
        </li>
    }
}

/// The home page's search box, in the page's language.
#[component]
pub fn SearchBox() -> impl IntoView {
    let text = SearchFieldText::new(use_locale());
    view! { <HomeSearch text/> }
}

/// The home page's search box: suggestions as you type, Enter searches.
#[island]
pub fn HomeSearch(text: SearchFieldText) -> impl IntoView {
    view! {
        <form class="search home-search" method="get" action="/search" role="search">
            <SearchField value=String::new() on_typed=None text/>
        </form>
    }
}

/// The query input with its autocomplete list. `on_typed` hears each pause in typing. Up and
/// down move through the suggestions, Enter opens the chosen one (else searches), Escape closes.
#[component]
fn SearchField(
    value: String,
    on_typed: Option<Callback<String>>,
    text: SearchFieldText,
) -> impl IntoView {
    let kinds = text.kinds.clone();
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let active = RwSignal::new(None::<usize>);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let sequence = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if let Some(cb) = on_typed {
                    cb.run(text.clone());
                }
                let n = sequence.get_value() + 1;
                sequence.set_value(n);
                leptos::task::spawn_local(async move {
                    let found = if text.trim().is_empty() {
                        Ok(Vec::new())
                    } else {
                        search_suggestions(text).await
                    };
                    if sequence.get_value() == n {
                        active.set(None);
                        suggestions.set(found.unwrap_or_default());
                    }
                });
            },
            TYPING_PAUSE,
        )
        .ok();
        pending.set_value(handle);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let len = suggestions.with(Vec::len);
        match ev.key().as_str() {
            "Escape" => {
                active.set(None);
                suggestions.set(Vec::new());
            }
            "ArrowDown" if len > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1).min(len - 1))));
            }
            "ArrowUp" if len > 0 => {
                ev.prevent_default();
                active.update(|a| *a = a.and_then(|i| i.checked_sub(1)));
            }
            "Enter" => {
                let chosen = active
                    .get_untracked()
                    .and_then(|i| suggestions.with_untracked(|s| s.get(i).map(|s| s.href.clone())));
                if let Some(href) = chosen {
                    ev.prevent_default();
                    let _ = window().location().set_href(&href);
                }
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("search-suggestion-{i}");
    view! {
        <div class="search-field">
            <label for="search-q" class="visually-hidden">{text.label}</label>
            <input id="search-q" type="search" name="q" value=value maxlength=MAX_QUERY_CHARS
                placeholder=text.placeholder autocomplete="off"
                role="combobox" aria-autocomplete="list"
                aria-expanded=move || suggestions.with(|s| (!s.is_empty()).to_string())
                aria-controls="search-suggestions"
                aria-activedescendant=move || active.get().map(option_id)
                on:input=on_input on:keydown=on_keydown/>
            <button type="submit">{text.submit}</button>
            <ul id="search-suggestions" class="suggestions" role="listbox"
                hidden=move || suggestions.with(Vec::is_empty)>
                {move || suggestions.get().into_iter().enumerate().map(|(i, s)| {
                    let is_active = move || active.get() == Some(i);
                    view! {
                        <li role="option" id=option_id(i) data-kind=s.kind.as_str()
                            class:active=is_active aria-selected=move || is_active().to_string()>
                            <a href=s.href><span class="kind">{name_of(&kinds, SuggestionKind::ALL.iter().position(|x| *x == s.kind))}</span>{s.label}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// What the search box holds right now (typing may not have paused yet).
fn typed_query() -> String {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id("search-q")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}

fn set_url(href: &str, push: bool) {
    if let Ok(history) = window().history() {
        let _ = if push {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
    }
}

fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    let options = format.resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// Asks the browser for its position (the browser asks the person) and calls `found` with it,
/// or `failed` with what to tell the person (from `text`).
fn locate_browser(
    text: LocationText,
    found: impl Fn(f64, f64) + 'static,
    failed: impl Fn(String) + 'static,
) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Ok(geolocation) = window().navigator().geolocation() else {
        failed(text.unsupported);
        return;
    };
    let success = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        found(coords.latitude(), coords.longitude());
    });
    let error = Closure::once_into_js(move |error: web_sys::PositionError| {
        failed(
            if error.code() == web_sys::PositionError::PERMISSION_DENIED {
                text.denied
            } else {
                text.failed
            },
        );
    });
    let _ = geolocation.get_current_position_with_error_callback(
        success.unchecked_ref(),
        Some(error.unchecked_ref()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_islands_words_arrive_as_they_were_sent() {
        let sent = SearchText::new(Locale::de).filters;
        let json = serde_json::to_string(&sent).expect("serialized");
        let got: FilterText = serde_json::from_str(&json).expect("deserialized");
        assert_eq!(format!("{got:?}"), format!("{sent:?}"));
        assert_eq!(got.measured_from, sent.measured_from);
        assert_eq!(got.location.denied, sent.location.denied);
        assert!(json.starts_with("[["), "a list, not a map: {json}");
        let sent = SearchText::new(Locale::pt_PT).results;
        let json = serde_json::to_string(&sent).expect("serialized");
        let got: ResultText = serde_json::from_str(&json).expect("deserialized");
        assert_eq!(format!("{got:?}"), format!("{sent:?}"));
        assert_eq!(got.pager.page_of, sent.pager.page_of);
    }
}
