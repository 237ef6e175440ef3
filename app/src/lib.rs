//! Lineup's user interface and the server functions it calls.
//!
//! Pages render on the server and work as plain HTML forms; `#[island]` components add the
//! interactive parts and are the only code shipped to the browser as WebAssembly.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod domain;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod security;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    components::layout::Layout,
    pages::{
        accounts::{
            profile::ProfilePage,
            recovery::{
                ConfirmEmailChangePage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage,
            },
            sign_in::SignInPage,
            sign_up::SignUpPage,
        },
        admin::{
            audit::AuditLogPage,
            experiment::ExperimentPage,
            mail::MailPage,
            organizations::AdminOrganizationsPage,
            people::{AdminPage, AdminPeoplePageView},
            reports::ReportsPage,
            status::StatusPage,
        },
        curation::{queue::QueuePage, submission::SubmissionPage},
        events::{
            edit::EditEventPage, history::HistoryPage, mine::MyEventsPage, new::NewEventPage,
            show::EventPage,
        },
        home::HomePage,
        not_found::NotFound,
        notifications::{list::NotificationsPage, preferences::PreferencesPage},
        organizations::{
            dashboard::DashboardPage, finance::FinancePageView, invitation::InvitationPage,
            mine::MyOrganizationsPageView, show::OrganizationPage, team::TeamPageView,
        },
        recs::{for_you::ForYouPage, saved::SavedPage},
        search::SearchPage,
        social::{
            feed::FeedPage, group::GroupPageView, groups::GroupsPage, people::PeoplePage,
            person::PersonPage,
        },
        ticketing::{
            check_in::CheckInScreen,
            guest_tickets::GuestTicketsPage,
            guests::GuestsPage,
            my_tickets::MyTicketsPage,
            registration::{RegistrationPage, TicketByCodePage},
            ticket_types::TicketTypesPage,
        },
    },
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_nonce_and_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/lineup.css"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icons/icon-192.png"/>
        <Link rel="apple-touch-icon" href="/icons/icon-192.png"/>
        <Meta name="theme-color" content="#3b2bb5"/>
        <Meta property="og:site_name" content="Lineup"/>
        <Title formatter=|page: String| if page.is_empty() { "Lineup".to_owned() } else { format!("{page} · Lineup") }/>
        <script src="/sw-register.js" defer></script>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/signup") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/password/forgot") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/password/reset") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/email/verify") view=VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/email/change") view=ConfirmEmailChangePage ssr=SsrMode::Async/>
                    <Route path=path!("/events/new") view=NewEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id") view=EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/edit") view=EditEventPage ssr=SsrMode::Async/>
                    <Route path=path!("/my/events") view=MyEventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/history") view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/tickets") view=TicketTypesPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/guests") view=GuestsPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/check-in") view=CheckInScreen ssr=SsrMode::Async/>
                    <Route path=path!("/my/tickets") view=MyTicketsPage ssr=SsrMode::Async/>
                    <Route path=path!("/my/tickets/:id") view=RegistrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/tickets/:code") view=TicketByCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/guest/tickets") view=GuestTicketsPage ssr=SsrMode::Async/>
                    <Route path=path!("/feed") view=FeedPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications/preferences") view=PreferencesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/people") view=AdminPeoplePageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view=MailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/status") view=StatusPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/reports") view=ReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/organizations") view=AdminOrganizationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/recs") view=ExperimentPage ssr=SsrMode::Async/>
                    <Route path=path!("/saved") view=SavedPage ssr=SsrMode::Async/>
                    <Route path=path!("/for-you") view=ForYouPage ssr=SsrMode::Async/>
                    <Route path=path!("/people") view=PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=PersonPage ssr=SsrMode::Async/>
                    <Route path=path!("/groups") view=GroupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/groups/:key") view=GroupPageView ssr=SsrMode::Async/>
                    <Route path=path!("/o/mine") view=MyOrganizationsPageView ssr=SsrMode::Async/>
                    <Route path=path!("/o/invitations/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/o/:slug") view=OrganizationPage ssr=SsrMode::Async/>
                    <Route path=path!("/o/:slug/team") view=TeamPageView ssr=SsrMode::Async/>
                    <Route path=path!("/o/:slug/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/o/:slug/finance") view=FinancePageView ssr=SsrMode::Async/>
                    <Route path=path!("/curation") view=QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/curation/submissions/:id") view=SubmissionPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
