//! The graph's schema, defined in code and applied at every start-up (each statement is
//! `IF NOT EXISTS`, so applying it again changes nothing). Nodes mirror Postgres rows
//! (`user`, `event`) or live only here (`user_group`); every relation table has a unique index on
//! its two ends, so an edge cannot be doubled however many requests race.
pub const SCHEMA: &str = r#"
DEFINE TABLE IF NOT EXISTS user SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON user TYPE string;
DEFINE FIELD IF NOT EXISTS city ON user TYPE option<string>;
DEFINE FIELD IF NOT EXISTS interests ON user TYPE array<string>;
DEFINE FIELD IF NOT EXISTS organizer ON user TYPE bool;
DEFINE FIELD IF NOT EXISTS attendance ON user TYPE string ASSERT $value IN ['public', 'friends', 'private'];
DEFINE FIELD IF NOT EXISTS profile ON user TYPE string ASSERT $value IN ['public', 'friends', 'private'];
DEFINE INDEX IF NOT EXISTS user_city ON user FIELDS city;

-- who lists which interest in which city, keyed [city, interest, user key], so suggestions read
-- a bounded key range (an index scan reads every match before its LIMIT). Only public profiles
-- with a city are listed; an event on user keeps it, whoever writes the node.
DEFINE TABLE IF NOT EXISTS local_interest SCHEMAFULL;
DEFINE FUNCTION IF NOT EXISTS fn::local_interests($u: any) {
    RETURN IF $u.city AND $u.profile = 'public' THEN
        ($u.interests ?? []).map(|$i| type::record('local_interest', [$u.city, $i, record::id($u.id)]))
    ELSE [] END;
};
DEFINE EVENT IF NOT EXISTS list_local_interests ON user THEN {
    LET $old = fn::local_interests($before);
    LET $new = fn::local_interests($after);
    FOR $k IN array::complement($old, $new) { DELETE $k; };
    FOR $k IN array::complement($new, $old) { UPSERT $k RETURN NONE; };
};

DEFINE TABLE IF NOT EXISTS event SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS title ON event TYPE string;
DEFINE FIELD IF NOT EXISTS organizer ON event TYPE record<user>;
DEFINE FIELD IF NOT EXISTS starts_at ON event TYPE datetime;
DEFINE FIELD IF NOT EXISTS ends_at ON event TYPE datetime;
DEFINE FIELD IF NOT EXISTS listed ON event TYPE bool;
DEFINE FIELD IF NOT EXISTS published_at ON event TYPE option<datetime>;
DEFINE INDEX IF NOT EXISTS event_organizer ON event FIELDS organizer;

DEFINE TABLE IF NOT EXISTS user_group SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS name ON user_group TYPE string;
DEFINE FIELD IF NOT EXISTS about ON user_group TYPE string;
DEFINE FIELD IF NOT EXISTS visibility ON user_group TYPE string ASSERT $value IN ['public', 'private', 'invite_only'];
DEFINE FIELD IF NOT EXISTS created_by ON user_group TYPE record<user>;
DEFINE FIELD IF NOT EXISTS at ON user_group TYPE datetime;

-- an organization is only a key here (its rows live in the database): what people follow
DEFINE TABLE IF NOT EXISTS organization SCHEMAFULL;
DEFINE TABLE IF NOT EXISTS follows_org TYPE RELATION IN user OUT organization SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS at ON follows_org TYPE datetime;
DEFINE INDEX IF NOT EXISTS follows_org_pair ON follows_org FIELDS in, out UNIQUE;

DEFINE TABLE IF NOT EXISTS follows TYPE RELATION IN user OUT user SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS at ON follows TYPE datetime;
DEFINE INDEX IF NOT EXISTS follows_pair ON follows FIELDS in, out UNIQUE;

-- a request is one unaccepted edge from the asker; a friendship is an accepted edge each way
DEFINE TABLE IF NOT EXISTS friend_of TYPE RELATION IN user OUT user SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS accepted ON friend_of TYPE bool;
DEFINE FIELD IF NOT EXISTS at ON friend_of TYPE datetime;
DEFINE INDEX IF NOT EXISTS friend_of_pair ON friend_of FIELDS in, out UNIQUE;

DEFINE TABLE IF NOT EXISTS blocks TYPE RELATION IN user OUT user SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS at ON blocks TYPE datetime;
DEFINE INDEX IF NOT EXISTS blocks_pair ON blocks FIELDS in, out UNIQUE;

-- derived from registrations that hold a seat (confirmed, checked in)
DEFINE TABLE IF NOT EXISTS attends TYPE RELATION IN user OUT event SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS at ON attends TYPE datetime;
DEFINE INDEX IF NOT EXISTS attends_pair ON attends FIELDS in, out UNIQUE;

DEFINE TABLE IF NOT EXISTS interested_in TYPE RELATION IN user OUT event SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS at ON interested_in TYPE datetime;
DEFINE INDEX IF NOT EXISTS interested_in_pair ON interested_in FIELDS in, out UNIQUE;

-- derived from event reviews
DEFINE TABLE IF NOT EXISTS reviewed TYPE RELATION IN user OUT event SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS rating ON reviewed TYPE int;
DEFINE FIELD IF NOT EXISTS at ON reviewed TYPE datetime;
DEFINE INDEX IF NOT EXISTS reviewed_pair ON reviewed FIELDS in, out UNIQUE;

DEFINE TABLE IF NOT EXISTS member_of TYPE RELATION IN user OUT user_group SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS role ON member_of TYPE string ASSERT $value IN ['admin', 'member'];
DEFINE FIELD IF NOT EXISTS status ON member_of TYPE string ASSERT $value IN ['member', 'requested', 'invited'];
DEFINE FIELD IF NOT EXISTS at ON member_of TYPE datetime;
DEFINE INDEX IF NOT EXISTS member_of_pair ON member_of FIELDS in, out UNIQUE;

-- a group's planning shortlist: an event someone proposed, and who voted for it
DEFINE TABLE IF NOT EXISTS shortlists TYPE RELATION IN user_group OUT event SCHEMAFULL;
DEFINE FIELD IF NOT EXISTS by ON shortlists TYPE record<user>;
DEFINE FIELD IF NOT EXISTS voters ON shortlists TYPE array<record<user>>;
DEFINE FIELD IF NOT EXISTS at ON shortlists TYPE datetime;
DEFINE INDEX IF NOT EXISTS shortlists_pair ON shortlists FIELDS in, out UNIQUE;

-- a graph written before local_interest existed is listed once
IF !(SELECT VALUE id FROM local_interest LIMIT 1) {
    FOR $u IN (SELECT * FROM user WHERE profile = 'public' AND city != NONE) {
        FOR $k IN fn::local_interests($u) { UPSERT $k RETURN NONE; };
    };
};
"#;
