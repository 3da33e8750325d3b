//! Start page: what each of the user's roles can do now.

use super::CurrentUser;
use crate::domain::role::Role;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

/// The start page.
#[component]
pub fn Home() -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let lang = use_lang();
    view! {
        <Title text=tr("Start", "Home")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(me) = user.await.ok().flatten() else {
                    return ().into_any();
                };
                let cards: Vec<(&'static str, &'static str, &'static str, &'static str, &'static str)> = me
                    .roles
                    .iter()
                    .filter_map(|r| match r {
                        Role::Student => Some((
                            crate::routes::STORIES,
                            "Mijn verhalen",
                            "My stories",
                            "Interviews vastleggen, bewerken en indienen.",
                            "Record, edit and submit interviews.",
                        )),
                        Role::Lecturer => Some((
                            crate::routes::REVIEW,
                            "Beoordelen",
                            "Review",
                            "Ingediende verhalen van uw groepen lezen, becommentariëren en goedkeuren.",
                            "Read, comment on and approve your groups' submitted stories.",
                        )),
                        Role::Researcher => Some((
                            crate::routes::CURATE,
                            "Boekje samenstellen",
                            "Compose booklet",
                            "Goedgekeurde verhalen kiezen en het boekje bouwen en publiceren.",
                            "Select approved stories, build and publish the booklet.",
                        )),
                        Role::Municipality => Some((
                            crate::routes::BOOKLETS,
                            "Boekjes",
                            "Booklets",
                            "De gepubliceerde boekjes van uw gemeente downloaden.",
                            "Download your municipality's published booklets.",
                        )),
                        Role::Admin => None,
                    })
                    .collect();
                view! {
                    <h1>{format!("{} {}", lang.pick("Welkom,", "Welcome,"), me.name)}</h1>
                    {cards.is_empty().then(|| view! {
                        <p class="note">{tr(
                            "Uw account heeft nog geen rol waarmee u verhalen kunt zien. Vraag de coördinator van de werkplaats om toegang.",
                            "Your account has no role that shows stories yet. Ask the werkplaats coordinator for access.",
                        )}</p>
                    })}
                    <ul class="cards" role="list">
                        {cards
                            .into_iter()
                            .map(|(href, nl, en, dnl, den)| view! {
                                <li class="card">
                                    <a href=href>
                                        <span class="card-title">{lang.pick(nl, en)}</span>
                                        <span class="card-text">{lang.pick(dnl, den)}</span>
                                    </a>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </Suspense>
    }
}
