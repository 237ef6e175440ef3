use crate::api::events::EventStatus;

impl EventStatus {
    pub fn parse(value: &str) -> Option<EventStatus> {
        match value {
            "draft" => Some(EventStatus::Draft),
            "submitted" => Some(EventStatus::Submitted),
            "published" => Some(EventStatus::Published),
            _ => None,
        }
    }
}

/// The transitions this foundation knows. Curation replaces `submitted → published` with its
/// review lifecycle.
pub fn can_transition(from: EventStatus, to: EventStatus) -> bool {
    use EventStatus::*;
    matches!(
        (from, to),
        (Draft, Submitted) | (Submitted, Draft) | (Submitted, Published)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventStatus::*;

    #[test]
    fn only_submitted_events_can_be_published() {
        assert!(can_transition(Draft, Submitted));
        assert!(can_transition(Submitted, Published));
        assert!(!can_transition(Draft, Published));
        assert!(!can_transition(Published, Draft));
        assert!(!can_transition(Published, Submitted));
    }
}
