//! Start page: what each of the user's roles can do now.

use super::CurrentUser;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

/// The start page.
#[component]
pub fn Home() -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let lang = use_lang();
    let todo = Resource::new(|| (), |_| crate::api::dashboard::dashboard());
    view! {
        <Title text=tr("Start", "Home")/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(me) = user.await.ok().flatten() else {
                    return ().into_any();
                };
                let cards = crate::routes::pages_for(&me.roles);
                let admin = me.roles.contains(&crate::domain::role::Role::Admin);
                view! {
                    <h1>{format!("{} {}", lang.pick("Welkom,", "Welcome,"), me.name)}</h1>
                    {admin.then(|| view! {
                        <p class="note">{tr(
                            "U bent beheerder: u maakt de groepen van een editie aan, voegt studenten en docenten toe (nieuwe accounts krijgen een startwachtwoord) en wijst wijken toe. Ook de vragenlijst beheert u.",
                            "You are an administrator: you create an edition's groups, add students and lecturers (new accounts get a start password) and assign neighbourhoods. You also manage the interview guide.",
                        )}</p>
                    })}
                    {(cards.is_empty() && !admin).then(|| view! {
                        <p class="note">{tr(
                            "Uw account heeft nog geen rol waarmee u verhalen kunt zien. Vraag de coördinator van de werkplaats om toegang.",
                            "Your account has no role that shows stories yet. Ask the werkplaats coordinator for access.",
                        )}</p>
                    })}
                    <section class="panel todo" aria-labelledby="todo-kop">
                        <h2 id="todo-kop">{tr("Nu te doen", "To do now")}</h2>
                        {match todo.await {
                            Ok(items) if items.is_empty() => view! {
                                <p>{tr("Er wacht nu niets op u.", "Nothing is waiting for you right now.")}</p>
                            }.into_any(),
                            Ok(items) => view! {
                                <ul class="todo-list" role="list">
                                    {items.into_iter().map(|t| view! {
                                        <li><a href=t.href>{t.message.get(lang).to_string()}</a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(_) => ().into_any(),
                        }}
                    </section>
                    <ul class="cards" role="list">
                        {cards
                            .into_iter()
                            .map(|h| view! {
                                <li class="card">
                                    <a href=h.href>
                                        <span class="card-title">{lang.pick(h.name.0, h.name.1)}</span>
                                        <span class="card-text">{lang.pick(h.text.0, h.text.1)}</span>
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
