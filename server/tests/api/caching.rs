//! The read caches (`app::domain::cache`) seen from outside: what someone changes shows on their
//! next page view, a change made by someone else shows once it has landed, and what was read for
//! one person is never served to another.
use crate::{
    helpers::TestApp,
    social::{befriend, person},
    storage_test,
    ticketing::{free_event, rsvp},
};

storage_test!(
    a_change_shows_on_the_next_page_view,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        befriend(&app, (&ana, ana_id), (&ben, ben_id)).await;
        app.outbox_delivered().await;
        let event_page = format!("/events/{}", setup.event_id);
        // Ana's pages, each read twice so the second comes from the caches
        for _ in 0..2 {
            let page = app.page_as(&ana, &event_page).await;
            assert!(!page.contains("View your registration"));
            assert!(!page.contains("friend going"));
            let tickets = app.page_as(&ana, "/my/tickets").await;
            assert!(!tickets.contains("Jazz by the Water"));
        }

        // her own change, on the very next view
        let id = rsvp(&app, &ana, &setup, "1").await;
        let page = app.page_as(&ana, &event_page).await;
        assert!(
            page.contains(&format!("/my/tickets/{id}")),
            "her registration on the event page right after booking"
        );
        assert!(app
            .page_as(&ana, "/my/tickets")
            .await
            .contains("Jazz by the Water"));

        // a friend's change, once the graph has heard of it
        rsvp(&app, &ben, &setup, "1").await;
        app.outbox_delivered().await;
        let page = app.page_as(&ana, &event_page).await;
        assert!(page.contains("1 friend going") && page.contains("Ben Brito"));
        assert!(app.page_as(&ana, "/").await.contains("1 friend going"));
    }
);

storage_test!(
    no_one_is_served_what_was_read_for_someone_else,
    |app: TestApp| async move {
        let setup = free_event(&app, "50").await;
        let (ana, ana_id) = person(&app, "ana@example.com", "Ana Alves").await;
        let (ben, ben_id) = person(&app, "ben@example.com", "Ben Brito").await;
        let (cai, _) = person(&app, "cai@example.com", "Cai Costa").await;
        befriend(&app, (&ana, ana_id), (&ben, ben_id)).await;
        let ana_booking = rsvp(&app, &ana, &setup, "1").await;
        let ben_booking = rsvp(&app, &ben, &setup, "1").await;
        app.outbox_delivered().await;
        let event_page = format!("/events/{}", setup.event_id);
        let own = |id: i32| format!("/my/tickets/{id}");

        // Ana's reads first, so they are in the caches when the others ask
        let page = app.page_as(&ana, &event_page).await;
        assert!(page.contains(&own(ana_booking)) && page.contains("1 friend going"));
        assert!(page.contains("Ben Brito"));
        assert!(app
            .page_as(&ana, "/my/tickets")
            .await
            .contains("Jazz by the Water"));
        assert!(app.page_as(&ana, "/").await.contains("Ana Alves"));

        // Ben sees his own booking and his own friend
        let page = app.page_as(&ben, &event_page).await;
        assert!(page.contains(&own(ben_booking)) && !page.contains(&own(ana_booking)));
        assert!(page.contains("1 friend going") && page.contains("Ana Alves"));

        // Cai has neither bookings nor friends; the visitor without an account neither
        for (browser, who) in [(&cai, "Cai"), (&app.client, "a visitor")] {
            let page = app.page_as(browser, &event_page).await;
            for id in [ana_booking, ben_booking] {
                assert!(!page.contains(&own(id)), "{who} is shown someone's booking");
            }
            assert!(
                !page.contains("friend going"),
                "{who} is shown someone's friends"
            );
        }
        assert!(!app
            .page_as(&cai, "/my/tickets")
            .await
            .contains("Jazz by the Water"));
        let home = app.page_as(&cai, "/").await;
        assert!(home.contains("Cai Costa") && !home.contains("Ana Alves"));
        assert!(!home.contains("friend going"));
    }
);
