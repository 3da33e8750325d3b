//! `/meldingen`: what happened to the stories one works on, newest first,
//! with the switch for e-mail.

use crate::api::notifications::{notifications, MarkAllRead, SetColophonOptOut, SetEmail};
use crate::components::{error_view, Loading};
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

/// The notifications page.
#[component]
pub fn Notifications() -> impl IntoView {
    let lang = use_lang();
    let read = ServerAction::<MarkAllRead>::new();
    let email = ServerAction::<SetEmail>::new();
    let colophon = ServerAction::<SetColophonOptOut>::new();
    let page = Resource::new(
        move || {
            (
                read.version().get(),
                email.version().get(),
                colophon.version().get(),
            )
        },
        |_| notifications(),
    );
    view! {
        <Title text=tr("Meldingen", "Notifications")/>
        <h1>{tr("Meldingen", "Notifications")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let summary = match p.unread {
                            0 => lang.pick("Geen ongelezen meldingen.", "No unread notifications.").to_string(),
                            1 => lang.pick("1 ongelezen melding.", "1 unread notification.").to_string(),
                            n => format!("{n} {}", lang.pick("ongelezen meldingen.", "unread notifications.")),
                        };
                        view! {
                            <p class="lead">{summary}</p>
                            {(p.unread > 0).then(|| view! {
                                <ActionForm action=read>
                                    <button type="submit" class="button">{tr("Alles als gelezen markeren", "Mark all as read")}</button>
                                </ActionForm>
                            })}
                            {if p.items.is_empty() {
                                view! { <p class="note">{tr("Nog geen meldingen.", "No notifications yet.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="notification-list" role="list">
                                        {p.items.into_iter().map(|n| {
                                            let text = n.message.get(lang).to_string();
                                            view! {
                                                <li class="notification" class:unread=!n.read>
                                                    {match n.story {
                                                        Some(s) => view! { <a href=crate::routes::story(s)>{text}</a> }.into_any(),
                                                        None => view! { <span>{text}</span> }.into_any(),
                                                    }}
                                                    <span class="notification-meta">
                                                        {(!n.read).then(|| view! { <strong>{tr("Nieuw · ", "New · ")}</strong> })}
                                                        {n.created_at.short(lang)}
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <section class="panel" aria-labelledby="email-kop">
                                <h2 id="email-kop">{tr("Per e-mail", "By e-mail")}</h2>
                                <p>{if p.email {
                                    tr("U krijgt meldingen ook per e-mail.", "You also get notifications by e-mail.")
                                } else {
                                    tr("U krijgt meldingen alleen hier, niet per e-mail.", "You get notifications only here, not by e-mail.")
                                }}</p>
                                <ActionForm action=email>
                                    <input type="hidden" name="on" value=(!p.email).to_string()/>
                                    <button type="submit" class="button">
                                        {if p.email { tr("E-mail uitzetten", "Turn e-mail off") } else { tr("E-mail aanzetten", "Turn e-mail on") }}
                                    </button>
                                </ActionForm>
                            </section>
                            {p.student.then(|| view! {
                                <section class="panel" aria-labelledby="colofon-kop">
                                    <h2 id="colofon-kop">{tr("Naam in het boekje", "Name in the booklet")}</h2>
                                    <p id="colofon-stand">{if p.colophon_opt_out {
                                        tr("Uw naam staat niet in het colofon van het boekje.", "Your name is not listed in the booklet's colophon.")
                                    } else {
                                        tr("Uw naam staat in het colofon van het boekje, bij de studenten die meewerkten.", "Your name is listed in the booklet's colophon with the contributing students.")
                                    }}</p>
                                    <ActionForm action=colophon>
                                        {(!p.colophon_opt_out).then(|| view! { <input type="hidden" name="out" value="true"/> })}
                                        <button type="submit" class="button">
                                            {if p.colophon_opt_out { tr("Mijn naam toch vermelden", "List my name after all") } else { tr("Mijn naam niet vermelden", "Do not list my name") }}
                                        </button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
