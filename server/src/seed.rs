//! Demo data: the Zuyd werkplaats with Sittard-Geleen and Stein, the 2026
//! edition with its interview guide and consent text, two groups and one
//! account per role. Used by `--demo` and by the tests.

use app::db::{org, users, Db};
use app::domain::ids::{GroupId, OrganisationId};
use app::domain::role::{GroupRole, Role};
use app::error::AppError;

/// Slug of the demo organisation.
pub const ORG_SLUG: &str = "zuyd";

/// One demo account.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// What the account is for, e.g. "student (groep Sittard)".
    pub label: &'static str,
    /// Sign-in e-mail address.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
}

/// The demo accounts (all share one password).
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        label: "student (groep Sittard-Geleen)",
        email: "student@zuyd.example",
        name: "Sanne Hermans",
    },
    DemoAccount {
        label: "student (groep Stein)",
        email: "student2@zuyd.example",
        name: "Bram Pluijmen",
    },
    DemoAccount {
        label: "docent (groep Sittard-Geleen)",
        email: "docent@zuyd.example",
        name: "Lotte Vranken",
    },
    DemoAccount {
        label: "docent (groep Stein)",
        email: "docent2@zuyd.example",
        name: "Peter Ramakers",
    },
    DemoAccount {
        label: "onderzoeker",
        email: "onderzoeker@zuyd.example",
        name: "Dr. Ingrid Schols",
    },
    DemoAccount {
        label: "gemeente Sittard-Geleen",
        email: "gemeente@sittard-geleen.example",
        name: "Marco Geurts",
    },
    DemoAccount {
        label: "gemeente Stein",
        email: "gemeente@stein.example",
        name: "Yvonne Dassen",
    },
    DemoAccount {
        label: "beheerder",
        email: "beheer@zuyd.example",
        name: "Anouk Janssen",
    },
];

const SITTARD_GELEEN: &[&str] = &[
    "Sittard-Centrum",
    "Limbricht",
    "Ophoven",
    "Kollenberg",
    "Broeksittard",
    "Munstergeleen",
    "Lindenheuvel",
    "Geleen-Zuid",
    "Born",
    "Grevenbicht",
];
const STEIN: &[&str] = &[
    "Stein-Centrum",
    "Elsloo",
    "Kerensheide",
    "Urmond",
    "Berg aan de Maas",
    "Meers",
];

/// The interview guide of the 2026 edition: (question, help, required).
pub const GUIDE_2026: &[(&str, &str, bool)] = &[
    (
        "Hoe lang woont u al in deze wijk, en hoe bent u hier terechtgekomen?",
        "Laat de bewoner vertellen; vraag door naar de eerste indruk van de buurt.",
        true,
    ),
    (
        "Waar komt u mensen uit de buurt tegen?",
        "Denk aan de straat, het buurthuis, de supermarkt, de kerk, de sportclub, het schoolplein.",
        true,
    ),
    (
        "Kunt u een moment vertellen waarop iemand uit de buurt u hielp, of waarop u iemand hielp?",
        "Vraag naar een concreet voorbeeld: wie, wat, wanneer.",
        true,
    ),
    (
        "Voelt u zich thuis in de wijk? Wanneer wel, en wanneer niet?",
        "",
        false,
    ),
    (
        "Voelt u zich weleens alleen? Wat helpt u dan?",
        "Vraag dit voorzichtig. De bewoner hoeft hier niets over te zeggen; noteer dan ‘wil ik liever niet over praten’.",
        false,
    ),
    (
        "Wat zou de mensen in deze buurt meer met elkaar verbinden?",
        "Ideeën mogen groot en klein zijn: een bankje, een buurtfeest, een appgroep.",
        false,
    ),
];

/// The consent text (version 1) of the 2026 edition, in plain Dutch.
pub const CONSENT_2026: &str = "Wij zijn studenten Social Work van Zuyd Hogeschool. Samen met de gemeente willen we weten hoe mensen in uw buurt elkaar ontmoeten en helpen. Daarom vragen we u naar uw verhaal.

Uw verhaal komt niet onder uw eigen naam. U kiest samen met ons een schuilnaam. We schrijven geen adres, telefoonnummer of e-mailadres bij uw verhaal.

Hieronder kiest u wat wij met uw verhaal mogen doen. U mag ‘nee’ zeggen tegen alles wat u niet wilt. Dat heeft geen gevolgen voor u.

U mag later altijd van gedachten veranderen. Dan halen wij uw verhaal weg. Bel of mail dan de werkplaats van Zuyd; de student laat u zien hoe.";

/// Demo data ids the tests use.
#[derive(Debug, Clone)]
pub struct Demo {
    /// The organisation.
    pub organisation: OrganisationId,
    /// Group of the Sittard-Geleen neighbourhoods.
    pub group_sittard: GroupId,
    /// Group of the Stein neighbourhoods.
    pub group_stein: GroupId,
}

/// Creates the demo data if it is not there yet, and (re)sets every demo
/// account's password to `password`.
pub async fn demo(db: &Db, password: &str) -> Result<Demo, AppError> {
    let hash = app::api::auth::password::hash(password.to_string()).await?;
    if let Some(existing) = org::organisation_by_slug(db, ORG_SLUG).await? {
        for a in ACCOUNTS {
            if let Some(c) = users::credentials(db, a.email).await? {
                users::set_password_hash(db, c.user, &hash).await?;
            }
        }
        let groups = group_ids(db, existing).await?;
        return Ok(Demo {
            organisation: existing,
            group_sittard: groups.0,
            group_stein: groups.1,
        });
    }
    let zuyd =
        org::create_organisation(&db.pool, ORG_SLUG, "Werkplaats Sociaal Domein Zuyd").await?;
    let sg = org::create_municipality(db, zuyd, "Sittard-Geleen", Some("GM1883")).await?;
    let stein = org::create_municipality(db, zuyd, "Stein", Some("GM0971")).await?;
    let mut sg_n = Vec::new();
    for n in SITTARD_GELEEN {
        sg_n.push(org::create_neighbourhood(db, sg, n, None).await?);
    }
    let mut st_n = Vec::new();
    for n in STEIN {
        st_n.push(org::create_neighbourhood(db, stein, n, None).await?);
    }
    let edition =
        org::create_edition(db, zuyd, 2026, "Wijkverhalen 2026 — Verbinding in de buurt").await?;
    for (i, (q, help, required)) in GUIDE_2026.iter().enumerate() {
        org::add_question(db, edition, i as i64 + 1, q, help, *required).await?;
    }
    org::add_consent_text(db, edition, 1, CONSENT_2026).await?;
    let group_sittard = org::create_group(db, edition, "Groep Sittard-Geleen").await?;
    let group_stein = org::create_group(db, edition, "Groep Stein").await?;
    for n in &sg_n[..4] {
        org::assign_neighbourhood(db, group_sittard, *n).await?;
    }
    for n in &st_n[..3] {
        org::assign_neighbourhood(db, group_stein, *n).await?;
    }
    let mut ids = Vec::new();
    for a in ACCOUNTS {
        ids.push(users::create(&db.pool, a.email, a.name, &hash).await?);
    }
    let [student, student2, docent, docent2, researcher, muni_sg, muni_stein, admin] = ids[..]
    else {
        return Err(AppError::internal("demo accounts out of step"));
    };
    users::grant_role(&db.pool, student, zuyd, Role::Student, None).await?;
    users::grant_role(&db.pool, student2, zuyd, Role::Student, None).await?;
    users::grant_role(&db.pool, docent, zuyd, Role::Lecturer, None).await?;
    users::grant_role(&db.pool, docent2, zuyd, Role::Lecturer, None).await?;
    users::grant_role(&db.pool, researcher, zuyd, Role::Researcher, None).await?;
    users::grant_role(&db.pool, muni_sg, zuyd, Role::Municipality, Some(sg)).await?;
    users::grant_role(&db.pool, muni_stein, zuyd, Role::Municipality, Some(stein)).await?;
    users::grant_role(&db.pool, admin, zuyd, Role::Admin, None).await?;
    users::add_to_group(&db.pool, group_sittard, student, GroupRole::Student).await?;
    users::add_to_group(&db.pool, group_stein, student2, GroupRole::Student).await?;
    users::add_to_group(&db.pool, group_sittard, docent, GroupRole::Lecturer).await?;
    users::add_to_group(&db.pool, group_stein, docent2, GroupRole::Lecturer).await?;
    Ok(Demo {
        organisation: zuyd,
        group_sittard,
        group_stein,
    })
}

async fn group_ids(db: &Db, organisation: OrganisationId) -> Result<(GroupId, GroupId), AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT g.id, g.name FROM study_group g JOIN edition e ON e.id = g.edition_id
          WHERE e.organisation_id = $1 AND e.year = 2026",
    )
    .bind(organisation.to_string())
    .fetch_all(&db.pool)
    .await?;
    let find = |name: &str| {
        rows.iter()
            .find(|(_, n)| n == name)
            .and_then(|(id, _)| GroupId::parse(id))
            .ok_or_else(|| AppError::internal(format!("demo group {name} missing")))
    };
    Ok((find("Groep Sittard-Geleen")?, find("Groep Stein")?))
}
