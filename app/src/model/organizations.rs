//! Organizations: the roles people hold in them, what each role may do, and what the pages
//! show of them.
use serde::{Deserialize, Serialize};

use crate::model::forms::FormState;

slug_enum! {
    /// A member's role in an organization.
    OrgRole {
        Owner = "owner", "Owner";
        Manager = "manager", "Manager";
        Editor = "editor", "Editor";
        Door = "door", "Door";
        Finance = "finance", "Finance";
    }
}

slug_enum! {
    /// Everything the server asks permission for within an organization:
    /// - `SeeEvents`: See the organization's events, drafts included, and its team.
    /// - `EditEvents`: Create and edit events, duplicate them, make series.
    /// - `ManageTickets`: Ticket types, capacity, the guest list's approvals and cancellations.
    /// - `CheckIn`: Scan and check people in at the door.
    /// - `SeeFigures`: Views, saves, registrations and check-in figures (not money).
    /// - `SeeMoney`: Sales, fees, refunds, payouts and their exports.
    /// - `Refund`: Refund payments.
    /// - `ManagePayouts`: The Stripe account that takes payments.
    /// - `EditProfile`: Name, description, logo, city, submissions.
    /// - `ManageTeam`: Invite, remove and change the roles of members other than owners.
    /// - `ReviewSubmissions`: Approve events others submit to the calendar.
    /// - `Own`: Appoint and remove owners, transfer and delete the organization.
    OrgAction {
        SeeEvents = "see_events", "See events and team";
        EditEvents = "edit_events", "Create and edit events";
        ManageTickets = "manage_tickets", "Manage tickets and guests";
        CheckIn = "check_in", "Check people in";
        SeeFigures = "see_figures", "See figures";
        SeeMoney = "see_money", "See money";
        Refund = "refund", "Refund payments";
        ManagePayouts = "manage_payouts", "Manage payouts";
        EditProfile = "edit_profile", "Edit the organization";
        ManageTeam = "manage_team", "Manage the team";
        ReviewSubmissions = "review_submissions", "Review submissions";
        Own = "own", "Own the organization";
    }
}

impl OrgRole {
    /// The one table of who may do what; every check on the server goes through it.
    pub fn permits(self, action: OrgAction) -> bool {
        use OrgAction::*;
        match self {
            OrgRole::Owner => true,
            OrgRole::Manager => matches!(
                action,
                SeeEvents
                    | EditEvents
                    | ManageTickets
                    | CheckIn
                    | SeeFigures
                    | EditProfile
                    | ManageTeam
                    | ReviewSubmissions
            ),
            OrgRole::Editor => matches!(action, SeeEvents | EditEvents | SeeFigures),
            OrgRole::Door => matches!(action, CheckIn),
            OrgRole::Finance => matches!(
                action,
                SeeEvents | SeeFigures | SeeMoney | Refund | ManagePayouts
            ),
        }
    }
}

/// An organization as its public page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub city: Option<String>,
    pub logo_url: Option<String>,
    pub personal: bool,
    /// Takes events submitted by others to its calendar.
    pub accepts_submissions: bool,
}

/// The public page of an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgPage {
    pub organization: OrgSummary,
    pub followers: usize,
    /// Whether the viewer follows it (false when not signed in).
    pub following: bool,
    pub upcoming: Vec<crate::model::events::EventCard>,
    pub past: Vec<crate::model::events::EventCard>,
}

/// One member on the team page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: i32,
    pub name: String,
    pub email: String,
    pub role: OrgRole,
    pub is_me: bool,
}

/// An event submitted to the organization's calendar, waiting for its reviewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarSubmissionRow {
    pub id: i32,
    pub event_id: i32,
    pub title: String,
    /// The organization it comes from.
    pub from: String,
}

/// An invitation not answered yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: i32,
    pub email: String,
    pub role: OrgRole,
    pub expires: String,
}

/// The team page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPage {
    pub organization: OrgSummary,
    /// None for a platform admin who is not a member.
    pub my_role: Option<OrgRole>,
    pub can_manage: bool,
    pub can_own: bool,
    /// May change the name, description, city and logo.
    pub can_edit_profile: bool,
    pub members: Vec<MemberRow>,
    pub invitations: Vec<InvitationRow>,
    /// The invitation form after a failed post.
    pub invite: FormState,
    /// The profile form after a failed post.
    pub profile: FormState,
    /// Events submitted to the calendar, for those who review them (empty for others).
    pub submissions: Vec<CalendarSubmissionRow>,
    pub can_review: bool,
}

/// `/o/mine`: the organizations the person belongs to, and the form for a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOrganizationsPage {
    pub mine: Vec<MyOrganization>,
    pub state: FormState,
}

/// An organization in the list of those the person belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOrganization {
    pub organization: OrgSummary,
    pub role: OrgRole,
}

/// An invitation as its recipient sees it before answering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub organization: OrgSummary,
    pub role: OrgRole,
    pub role_summary: String,
    pub invited_by: String,
    pub email: String,
    /// Signed in as the invited address (only they may accept).
    pub addressed_to_me: bool,
    pub open: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_gives_each_role_what_the_issue_says() {
        use OrgAction::*;
        for &action in OrgAction::ALL {
            assert!(OrgRole::Owner.permits(action), "owners may {action:?}");
        }
        assert!(!OrgRole::Manager.permits(Own));
        assert!(!OrgRole::Manager.permits(SeeMoney));
        assert!(OrgRole::Manager.permits(ManageTeam));
        assert!(OrgRole::Editor.permits(EditEvents));
        assert!(!OrgRole::Editor.permits(ManageTickets));
        let door: Vec<OrgAction> = OrgAction::ALL
            .iter()
            .copied()
            .filter(|&a| OrgRole::Door.permits(a))
            .collect();
        assert_eq!(door, vec![CheckIn], "door staff only check people in");
        assert!(OrgRole::Finance.permits(Refund));
        assert!(!OrgRole::Finance.permits(EditEvents));
        assert!(!OrgRole::Finance.permits(CheckIn));
    }
}
