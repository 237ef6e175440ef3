//! The embedded index's fields. Changing them means a new `VERSION`, so an index written by an
//! older build is rebuilt rather than misread.
use tantivy::{
    schema::{
        Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
        STRING,
    },
    tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer},
    Index,
};

use crate::model::taxonomy::Category;

pub const VERSION: &str = "events-v1";
pub const TOKENIZER: &str = "lineup";

#[derive(Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// Searchable text, in ranking order, with their weights.
    pub text: [(Field, f32); 6],
    pub tag: Field,
    pub category: Field,
    pub organizer: Field,
    pub start: Field,
    pub ends: Field,
    pub is_free: Field,
    pub price: Field,
    pub is_online: Field,
    pub quality: Field,
    pub lat: Field,
    pub lng: Field,
    /// The whole document as JSON, for highlighting and `documents()`.
    pub doc: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        text: [
            (b.add_text_field("title", text.clone()), 8.0),
            (b.add_text_field("tags", text.clone()), 6.0),
            (b.add_text_field("summary", text.clone()), 4.0),
            (b.add_text_field("description", text.clone()), 2.0),
            (b.add_text_field("venue", text.clone()), 1.5),
            (b.add_text_field("city", text), 1.5),
        ],
        tag: b.add_text_field("tag", STRING),
        category: b.add_u64_field("category", FAST),
        organizer: b.add_i64_field("organizer", FAST),
        start: b.add_i64_field("start", FAST),
        ends: b.add_i64_field("ends", FAST),
        is_free: b.add_bool_field("is_free", FAST),
        price: b.add_f64_field("price", FAST),
        is_online: b.add_bool_field("is_online", FAST),
        quality: b.add_f64_field("quality", FAST),
        lat: b.add_f64_field("lat", FAST),
        lng: b.add_f64_field("lng", FAST),
        doc: b.add_text_field("doc", STORED),
    };
    (b.build(), fields)
}

/// Words are runs of letters and digits, lower-cased and with accents folded ("Café" = "cafe").
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn register_tokenizer(index: &Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
}

/// The words of `text` as the index sees them, with their byte ranges.
pub fn words(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.text.clone(), token.offset_from..token.offset_to));
    }
    out
}

/// Categories are stored as their position in the taxonomy; unknown ones as `UNKNOWN`.
pub const UNKNOWN_CATEGORY: u64 = 63;

pub fn category_ordinal(slug: &str) -> u64 {
    Category::ALL
        .iter()
        .position(|c| c.slug() == slug)
        .map_or(UNKNOWN_CATEGORY, |i| i as u64)
}
