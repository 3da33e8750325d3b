//! The portal: published booklets per municipality and year, and their
//! stories as web pages.
//!
//! These server functions also answer visitors who are not signed in: the
//! rules ([`portal::may_read`]) let anyone read a booklet of a public
//! edition, and otherwise only the organisation and the municipality's
//! staff. The stories' text comes from the document the published build
//! was typeset from, so the web shows exactly what was printed; whether a
//! story is shown is decided at every request from the resident's current
//! consent ([`portal::on_web`]), so a withdrawal takes effect at once.
//!
//! [`portal::may_read`]: crate::domain::portal::may_read
//! [`portal::on_web`]: crate::domain::portal::on_web

use crate::domain::ids::{EditionId, MunicipalityId, StoryId};
use crate::error::AppError;
use crate::model::{PortalBooklet, PortalEntry, PortalStory};
use leptos::prelude::*;

/// The booklets in force that the caller may read (anyone: the public ones).
#[server(endpoint = "portal")]
pub async fn portal_index() -> Result<Vec<PortalEntry>, AppError> {
    use super::server::*;
    respond(async {
        let reader = signed_in().await?;
        imp::index(&db()?, reader.as_ref()).await
    })
    .await
}

/// A municipality's published booklet of `year`.
#[server(endpoint = "portal_booklet")]
pub async fn published_booklet(
    municipality: MunicipalityId,
    year: i64,
) -> Result<PortalBooklet, AppError> {
    use super::server::*;
    respond(async move {
        let reader = signed_in().await?;
        imp::booklet(&db()?, reader.as_ref(), municipality, year).await
    })
    .await
}

/// One story of a municipality's published booklet of `year`.
#[server(endpoint = "portal_story")]
pub async fn published_story(
    municipality: MunicipalityId,
    year: i64,
    story: StoryId,
) -> Result<PortalStory, AppError> {
    use super::server::*;
    respond(async move {
        let reader = signed_in().await?;
        imp::story(&db()?, reader.as_ref(), municipality, year, story).await
    })
    .await
}

/// Opens `edition` to the public (`public = true`: its published booklets
/// and web stories can be read without signing in) or closes it again.
#[server(endpoint = "edition_public")]
pub async fn set_edition_public(
    edition: EditionId,
    #[server(default)] public: bool,
) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let actor = actor().await?;
        imp::set_public(&db()?, &actor, edition, public).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod imp {
    use crate::booklet::{BookletDocument, BookletStory};
    use crate::db::booklets::{list_builds, BuildFilter};
    use crate::db::portal::{self as store, PublishedBuild};
    use crate::db::{stories, Db};
    use crate::domain::access::Actor;
    use crate::domain::ids::{EditionId, MunicipalityId, StoryId};
    use crate::domain::portal::{may_read, may_set_public, on_web};
    use crate::domain::role::Role;
    use crate::domain::Message;
    use crate::error::AppError;
    use crate::model::{PortalBooklet, PortalChapter, PortalEntry, PortalStory, PortalStoryLink};
    use crate::routes;

    fn no_booklet() -> AppError {
        AppError::NotFound(Message::new(
            "Dit boekje bestaat niet of is (nog) niet voor u gepubliceerd.",
            "This booklet does not exist or has not been published for you (yet).",
        ))
    }

    pub async fn index(db: &Db, reader: Option<&Actor>) -> Result<Vec<PortalEntry>, AppError> {
        let mut entries = Vec::new();
        for b in store::current(db).await? {
            if may_read(reader, &b.scope).is_err() {
                continue;
            }
            let doc = document(db, &b).await?;
            entries.push(PortalEntry {
                municipality: b.scope.municipality,
                municipality_name: b.municipality_name,
                organisation_name: b.organisation_name,
                year: b.year,
                title: doc.title,
                published_at: b.published_at,
                public: b.scope.public,
                href: routes::portal_booklet(b.scope.municipality, b.year),
            });
        }
        Ok(entries)
    }

    async fn document(db: &Db, b: &PublishedBuild) -> Result<BookletDocument, AppError> {
        serde_json::from_str(&store::document(db, b.id).await?).map_err(AppError::internal)
    }

    /// The publication in force and the earlier ones, if `reader` may read
    /// them.
    async fn readable(
        db: &Db,
        reader: Option<&Actor>,
        municipality: MunicipalityId,
        year: i64,
    ) -> Result<(PublishedBuild, Vec<PublishedBuild>), AppError> {
        let mut all = store::of(db, municipality, year).await?.into_iter();
        let current = all
            .next()
            .filter(|b| !b.superseded)
            .ok_or_else(no_booklet)?;
        may_read(reader, &current.scope).map_err(|_| no_booklet())?;
        Ok((current, all.collect()))
    }

    /// The stories of `doc` that are on the web now, by chapter.
    async fn web_stories(
        db: &Db,
        doc: &BookletDocument,
    ) -> Result<Vec<Vec<(StoryId, BookletStory)>>, AppError> {
        let mut conn = db.pool.acquire().await?;
        let mut chapters = Vec::new();
        for chapter in &doc.chapters {
            let mut shown = Vec::new();
            for s in &chapter.stories {
                let Some(sid) = s.story_id else { continue };
                let Some(rec) = stories::record(&mut conn, sid).await? else {
                    continue;
                };
                if on_web(&rec.scope) {
                    shown.push((sid, s.clone()));
                }
            }
            chapters.push(shown);
        }
        Ok(chapters)
    }

    fn link(
        municipality: MunicipalityId,
        year: i64,
        id: StoryId,
        s: &BookletStory,
    ) -> PortalStoryLink {
        PortalStoryLink {
            title: s.title.clone(),
            resident: s.resident.clone(),
            pull_quote: s.pull_quote.clone(),
            href: routes::portal_story(municipality, year, id),
        }
    }

    pub async fn booklet(
        db: &Db,
        reader: Option<&Actor>,
        municipality: MunicipalityId,
        year: i64,
    ) -> Result<PortalBooklet, AppError> {
        let (current, earlier) = readable(db, reader, municipality, year).await?;
        let doc = document(db, &current).await?;
        let web = web_stories(db, &doc).await?;
        let total: usize = doc.chapters.iter().map(|c| c.stories.len()).sum();
        let shown: usize = web.iter().map(Vec::len).sum();
        // Researchers see every publication, earlier ones and those holding
        // a withdrawn story too (marked); everyone else only the one in
        // force, and not while it holds a withdrawn story.
        let org = current.scope.organisation;
        let filter = if reader.is_some_and(|a| a.has_role(org, Role::Researcher)) {
            BuildFilter::AllPublishedFor(org, municipality)
        } else {
            BuildFilter::PublishedFor(org, municipality)
        };
        let views = list_builds(db, filter).await?;
        let view_of = |b: &PublishedBuild| views.iter().find(|v| v.id == b.id).cloned();
        let current_view = view_of(&current);
        let chapters = doc
            .chapters
            .iter()
            .zip(web)
            .filter(|(_, stories)| !stories.is_empty())
            .map(|(c, stories)| PortalChapter {
                neighbourhood: c.neighbourhood.clone(),
                intro: c.intro.clone(),
                stories: stories
                    .iter()
                    .map(|(id, s)| link(municipality, year, *id, s))
                    .collect(),
            })
            .collect();
        Ok(PortalBooklet {
            title: doc.title,
            subtitle: doc.subtitle,
            municipality_name: current.municipality_name,
            organisation_name: current.organisation_name,
            year,
            foreword: doc.foreword,
            current: current_view,
            earlier: earlier.iter().filter_map(view_of).collect(),
            chapters,
            offline_stories: total - shown,
            edition: store::edition_of(db, current.id).await?,
            public: current.scope.public,
            may_change_public: reader
                .is_some_and(|a| may_set_public(a, current.scope.organisation).is_ok()),
        })
    }

    pub async fn set_public(
        db: &Db,
        actor: &Actor,
        edition: EditionId,
        public: bool,
    ) -> Result<(), AppError> {
        let mut tx = db.begin().await?;
        let rec = crate::db::guide::edition(&mut tx, edition)
            .await?
            .ok_or_else(AppError::not_found)?;
        may_set_public(actor, rec.organisation)?;
        if store::set_public(&mut tx, edition, public).await? {
            crate::db::audit(
                &mut *tx,
                Some(rec.organisation),
                Some(actor.user),
                "edition.public",
                "edition",
                &edition.to_string(),
                serde_json::json!({ "public": public }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn story(
        db: &Db,
        reader: Option<&Actor>,
        municipality: MunicipalityId,
        year: i64,
        story: StoryId,
    ) -> Result<PortalStory, AppError> {
        let (current, _) = readable(db, reader, municipality, year).await?;
        let doc = document(db, &current).await?;
        let web: Vec<(StoryId, BookletStory)> =
            web_stories(db, &doc).await?.into_iter().flatten().collect();
        let at = web.iter().position(|(id, _)| *id == story).ok_or_else(|| {
            AppError::NotFound(Message::new(
                "Dit verhaal staat niet (meer) online.",
                "This story is not online (any more).",
            ))
        })?;
        let around = |i: Option<usize>| {
            i.and_then(|i| web.get(i))
                .map(|(id, s)| link(municipality, year, *id, s))
        };
        Ok(PortalStory {
            booklet_title: doc.title.clone(),
            booklet_href: routes::portal_booklet(municipality, year),
            previous: around(at.checked_sub(1)),
            next: around(Some(at + 1)),
            story: web[at].1.clone(),
        })
    }
}
