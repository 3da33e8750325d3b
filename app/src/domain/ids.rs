//! Typed identifiers. Every record is identified by a UUID; the newtypes make
//! it impossible to pass a group id where a story id is expected.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random (v4) identifier.
            pub fn new() -> Self {
                $name(Uuid::new_v4())
            }

            /// Parses the canonical hyphenated text form.
            pub fn parse(s: &str) -> Option<Self> {
                Uuid::parse_str(s.trim()).ok().map($name)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim()).map($name)
            }
        }
    )*};
}

id_type! {
    /// An organisation (a werkplaats, e.g. Zuyd).
    OrganisationId;
    /// A municipality of an organisation.
    MunicipalityId;
    /// A neighbourhood (wijk or buurt) of a municipality.
    NeighbourhoodId;
    /// A yearly edition of an organisation.
    EditionId;
    /// A question of an edition's interview guide.
    QuestionId;
    /// A group of students and lecturers within an edition.
    GroupId;
    /// A user account.
    UserId;
    /// A resident who was interviewed.
    ResidentId;
    /// A consent record of a resident.
    ConsentId;
    /// A story (one interview).
    StoryId;
    /// A saved revision of a story.
    RevisionId;
    /// A comment on a story.
    CommentId;
    /// A booklet selection (edition × municipality).
    SelectionId;
    /// A booklet build.
    BuildId;
    /// A photo, recording or signature.
    MediaId;
    /// A theme of an edition's codebook.
    ThemeId;
    /// A quote taken from a story's answer.
    QuoteId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let id = StoryId::new();
        assert_eq!(StoryId::parse(&id.to_string()), Some(id));
        assert_eq!(id.to_string().parse::<StoryId>().ok(), Some(id));
        assert_eq!(StoryId::parse("not-a-uuid"), None);
    }

    #[test]
    fn serialises_as_plain_string() {
        let id = GroupId::new();
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{}\"", id));
    }
}
