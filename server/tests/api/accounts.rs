use sea_orm::{EntityTrait, PaginatorTrait};

use crate::{helpers::*, storage_test};

storage_test!(
    sign_up_signs_in_and_sign_out_ends_the_session,
    |app: TestApp| async move {
        let response = app.sign_up(&app.client, "Ana@Example.com", false).await;
        assert_eq!(response.status(), 302);
        assert_eq!(location(&response), "/");
        let profile = app.page("/profile").await;
        assert!(
            profile.contains("ana@example.com"),
            "signed in after sign-up"
        );

        let stored = entity::user::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(
            stored[0].password_hash.starts_with("$argon2id$"),
            "only the argon2id hash is stored"
        );

        let response = app
            .post_form(&app.client, "/api/accounts/sign_out", &[])
            .await;
        assert_eq!(response.status(), 302);
        let profile = app.get("/profile").await;
        assert_eq!(profile.status(), 401);
        assert!(profile
            .text()
            .await
            .unwrap()
            .contains("Sign in to continue"));

        let response = app
            .sign_in(&app.client, "ana@example.com", "a long password")
            .await;
        assert_eq!(location(&response), "/");
        assert!(app.page("/profile").await.contains("ana@example.com"));
    }
);

storage_test!(
    session_cookie_is_http_only_and_same_site_lax,
    |app: TestApp| async move {
        let response = app.sign_up(&app.client, "cookie@example.com", false).await;
        let cookie = response
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(cookie.starts_with("lineup_session="));
        assert!(cookie.contains("httponly"));
        assert!(cookie.contains("samesite=lax"));
        assert!(!cookie.contains("secure"), "plain http in tests");
    }
);

storage_test!(
    duplicate_and_invalid_sign_ups_are_refused_with_field_errors,
    |app: TestApp| async move {
        app.sign_up(&app.client, "dup@example.com", false).await;
        let other = app.other_browser();
        let response = app.sign_up(&other, "DUP@example.com", false).await;
        assert_eq!(location(&response), "/signup");
        let page = app.page_as(&other, "/signup").await;
        assert!(page.contains("already exists"), "{page}");

        let response = app
            .post_form(
                &other,
                "/api/accounts/sign_up",
                &[
                    ("email", "not-an-email"),
                    ("password", "short"),
                    ("display_name", ""),
                ],
            )
            .await;
        assert_eq!(location(&response), "/signup");
        let page = app.page_as(&other, "/signup").await;
        assert!(page.contains("Enter an email address"));
        assert!(page.contains("at least 10 characters"));
        assert!(page.contains("Tell us what to call you"));
        assert_eq!(
            entity::user::Entity::find().count(&app.db).await.unwrap(),
            1
        );
    }
);

storage_test!(
    wrong_passwords_are_refused_and_repeated_failures_throttled,
    |app: TestApp| async move {
        app.sign_up(&app.client, "victim@example.com", false).await;
        let attacker = app.other_browser();
        for _ in 0..5 {
            let response = app
                .sign_in(&attacker, "victim@example.com", "wrong password!")
                .await;
            assert_eq!(location(&response), "/signin");
        }
        let page = app.page_as(&attacker, "/signin").await;
        assert!(page.contains("do not match"));
        let response = app
            .sign_in(&attacker, "victim@example.com", "wrong password!")
            .await;
        assert_eq!(location(&response), "/signin");
        let page = app.page_as(&attacker, "/signin").await;
        assert!(page.contains("Too many failed sign-in attempts"), "{page}");
        // even the right password waits out the lock
        app.sign_in(&attacker, "victim@example.com", "a long password")
            .await;
        let profile = attacker.get(app.url("/profile")).send().await.unwrap();
        assert_eq!(profile.status(), 401);
    }
);

storage_test!(
    profile_edits_are_saved_and_bad_coordinates_refused,
    |app: TestApp| async move {
        app.sign_up(&app.client, "p@example.com", false).await;
        let form = reqwest::multipart::Form::new()
            .text("display_name", "Paula")
            .text("home_city", "Lisbon")
            .text("home_lat", "38.72")
            .text("home_lng", "-9.14")
            .text("interests", "music")
            .text("interests", "outdoors");
        let response = app
            .post_multipart(&app.client, "/api/accounts/update_profile", form)
            .await;
        assert_eq!(location(&response), "/profile");
        let user = entity::user::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (user.display_name.as_str(), user.home_city.as_deref()),
            ("Paula", Some("Lisbon"))
        );
        assert_eq!((user.home_lat, user.home_lng), (Some(38.72), Some(-9.14)));
        assert_eq!(user.interests, "music,outdoors");

        let form = reqwest::multipart::Form::new()
            .text("display_name", "Paula")
            .text("home_lat", "200")
            .text("home_lng", "0")
            .text("interests", "astrology");
        app.post_multipart(&app.client, "/api/accounts/update_profile", form)
            .await;
        let page = app.page("/profile").await;
        assert!(page.contains("Latitude is a number from -90 to 90"));
        assert!(page.contains("Unknown category"));
        let unchanged = entity::user::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unchanged, user);
    }
);

storage_test!(
    sessions_survive_a_server_restart,
    |app: TestApp| async move {
        app.sign_up(&app.client, "stay@example.com", false).await;
        assert!(app.page("/profile").await.contains("stay@example.com"));
        let app = app.restart().await;
        assert!(
            app.page("/profile").await.contains("stay@example.com"),
            "still signed in after restart"
        );
    }
);

storage_test!(
    admin_create_makes_new_and_existing_accounts_admins,
    |app: TestApp| async move {
        use app::domain::accounts::sign_up::ensure_admin;
        let (admin, created) = ensure_admin(&app.db, "Boss@Example.com", "a long password")
            .await
            .unwrap();
        assert!(created);
        assert_eq!(
            (admin.email.as_str(), admin.role.as_str()),
            ("boss@example.com", "admin")
        );
        app.sign_up(&app.client, "later@example.com", false).await;
        let (promoted, created) = ensure_admin(&app.db, "later@example.com", "")
            .await
            .unwrap();
        assert!(!created);
        assert_eq!(promoted.role, "admin");
        assert!(
            ensure_admin(&app.db, "new@example.com", "short")
                .await
                .is_err(),
            "weak passwords are refused"
        );
    }
);
