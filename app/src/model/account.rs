//! The signed-in user, the start page's to-dos and notifications.

use crate::domain::ids::{StoryId, UserId};
use crate::domain::role::Role;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The signed-in user as the interface needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    /// Account id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Roles held (any organisation).
    pub roles: Vec<Role>,
    /// Unread notifications (the badge in the navigation).
    #[serde(default)]
    pub unread: i64,
    /// Signed in with a start password: only choosing one's own is open.
    #[serde(default)]
    pub must_change_password: bool,
}

/// One thing to do now, on the start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// How many.
    pub count: i64,
    /// What, e.g. "3 verhalen wachten op review".
    pub message: crate::domain::Message,
    /// Where to do it.
    pub href: String,
}

/// A notification, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    /// Its id.
    pub id: String,
    /// What happened.
    pub kind: crate::domain::notify::NotificationKind,
    /// The story it is about.
    pub story: Option<StoryId>,
    /// What it says.
    pub message: crate::domain::Message,
    /// When.
    pub created_at: Timestamp,
    /// Whether the user has seen it.
    pub read: bool,
}

/// The notifications page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    /// The latest notifications, newest first.
    pub items: Vec<NotificationView>,
    /// How many are unread.
    pub unread: i64,
    /// Whether they also arrive by e-mail.
    pub email: bool,
    /// Whether the user is a student (and so may appear in a colophon).
    pub student: bool,
    /// Whether the user's name stays out of booklet colophons.
    pub colophon_opt_out: bool,
}
