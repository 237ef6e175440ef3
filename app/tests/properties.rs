//! Property tests for the parsers of outside input (work in progress).
use proptest::prelude::*;

proptest! {
    #[test]
    fn placeholder(s in ".*") {
        prop_assert!(app::domain::ticketing::register::parse_quantity(&s, 10).is_ok() || true);
    }
}
