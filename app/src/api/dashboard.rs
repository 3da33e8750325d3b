//! What needs doing now, per role: the start page's list.

use crate::error::AppError;
use crate::model::Todo;
use leptos::prelude::*;

/// The signed-in user's to-do list, across their roles (only non-zero items).
#[server(endpoint = "dashboard")]
pub async fn dashboard() -> Result<Vec<Todo>, AppError> {
    use super::server::*;
    use crate::db::stories::{list, ListScope};
    use crate::domain::lifecycle::StoryStatus;
    use crate::domain::role::{GroupRole, Role};
    use crate::domain::Message;
    respond(async {
        let actor = actor().await?;
        let db = db()?;
        let mut todo = Vec::new();
        let mut push = |count: usize, nl: (&str, &str), en: (&str, &str), href: &str| {
            if count > 0 {
                let (nl, en) = if count == 1 {
                    (nl.0.to_string(), en.0.to_string())
                } else {
                    (format!("{count} {}", nl.1), format!("{count} {}", en.1))
                };
                todo.push(Todo {
                    count: count as i64,
                    message: Message::new(nl, en),
                    href: href.to_string(),
                });
            }
        };
        let student = actor.groups_as(GroupRole::Student);
        if !student.is_empty() {
            let scope = ListScope::Groups(student);
            let returned = list(&db, &scope, &[StoryStatus::ChangesRequested], false).await?;
            push(
                returned.len(),
                (
                    "1 verhaal waarbij je docent om aanpassingen vraagt",
                    "verhalen waarbij je docent om aanpassingen vraagt",
                ),
                (
                    "1 story your lecturer asked changes for",
                    "stories your lecturer asked changes for",
                ),
                crate::routes::STORIES,
            );
            let drafts = list(&db, &scope, &[StoryStatus::Draft], false).await?;
            push(
                drafts.len(),
                (
                    "1 concept om af te maken en in te dienen",
                    "concepten om af te maken en in te dienen",
                ),
                (
                    "1 draft to finish and submit",
                    "drafts to finish and submit",
                ),
                crate::routes::STORIES,
            );
        }
        let lecturer = actor.groups_as(GroupRole::Lecturer);
        if !lecturer.is_empty() {
            let waiting = list(
                &db,
                &ListScope::Groups(lecturer),
                &[StoryStatus::Submitted],
                true,
            )
            .await?;
            push(
                waiting.len(),
                ("1 verhaal wacht op review", "verhalen wachten op review"),
                (
                    "1 story is waiting for review",
                    "stories are waiting for review",
                ),
                crate::routes::REVIEW,
            );
        }
        let research = actor.organisations_with(Role::Researcher);
        if !research.is_empty() {
            let approved = list(
                &db,
                &ListScope::Organisations(research, None),
                &[StoryStatus::Approved],
                false,
            )
            .await?;
            push(
                approved.len(),
                (
                    "1 goedgekeurd verhaal is nog niet voor een boekje gekozen",
                    "goedgekeurde verhalen zijn nog niet voor een boekje gekozen",
                ),
                (
                    "1 approved story is not yet chosen for a booklet",
                    "approved stories are not yet chosen for a booklet",
                ),
                crate::routes::CURATE,
            );
        }
        // Groups of open editions that cannot work yet: no lecturer to
        // review, or no neighbourhood to interview in.
        let mut incomplete = 0;
        let managed = crate::domain::groups::managed_organisations(&actor);
        for e in crate::db::guide::editions(&db, &managed).await? {
            if e.status.guide_editable().is_err() {
                continue;
            }
            incomplete += crate::db::groups::list(&db, e.id)
                .await?
                .iter()
                .filter(|g| g.lecturers.is_empty() || g.neighbourhoods.is_empty())
                .count();
        }
        push(
            incomplete,
            (
                "1 groep zonder docent of zonder wijk",
                "groepen zonder docent of zonder wijk",
            ),
            (
                "1 group without a lecturer or a neighbourhood",
                "groups without a lecturer or a neighbourhood",
            ),
            crate::routes::GROUPS,
        );
        let mut booklets = 0;
        for (org, muni) in actor.municipalities() {
            booklets += crate::db::booklets::list_builds(
                &db,
                crate::db::booklets::BuildFilter::PublishedFor(org, muni),
            )
            .await?
            .len();
        }
        push(
            booklets,
            (
                "1 gepubliceerd boekje om te lezen of te downloaden",
                "gepubliceerde boekjes om te lezen of te downloaden",
            ),
            (
                "1 published booklet to read or download",
                "published booklets to read or download",
            ),
            crate::routes::BOOKLETS,
        );
        let mut conn = db.pool.acquire().await?;
        let unread = crate::db::notifications::unread(&mut conn, actor.user).await? as usize;
        push(
            unread,
            ("1 ongelezen melding", "ongelezen meldingen"),
            ("1 unread notification", "unread notifications"),
            crate::routes::NOTIFICATIONS,
        );
        Ok(todo)
    })
    .await
}
