//! The pages, one module per area, and the application shell.
//!
//! Every route renders in [`SsrMode::Async`]: the server waits for the data
//! and sends complete HTML, so every page and every form works without
//! JavaScript; the wasm client then hydrates it for a smoother experience.

mod account;
mod accounts;
mod areas;
pub mod audio;
mod booklets;
mod comments;
mod curate;
mod editions;
mod groups;
mod guide;
pub mod history;
mod home;
mod login;
pub mod media;
mod notifications;
mod password;
mod portal;
mod review;
mod signature;
mod stories;
mod story_curation;
mod withdrawal;

use crate::api::auth::{current_user, Logout, SetLanguage};
use crate::domain::Lang;
use crate::i18n::{provide_lang, tr, use_lang};
use crate::model::Me;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The HTML document around the app (server only renders this).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = crate::i18n::detect_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f5c"/>
                <link rel="stylesheet" href="/pkg/wijkverhalen.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: routes inside a common layout (paths from
/// [`crate::routes`]).
#[component]
pub fn App() -> impl IntoView {
    use crate::routes::{param as p, segment as s};
    provide_meta_context();
    provide_lang();
    view! {
        <Title formatter=|t: String| {
            if t.is_empty() { "Wijkverhalen".to_string() } else { format!("{t} · Wijkverhalen") }
        }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <ParentRoute path=StaticSegment("") view=Layout ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view=home::Home/>
                    <Route path=StaticSegment(s::LOGIN) view=login::Login/>
                    <Route path=StaticSegment(s::STORIES) view=stories::MyStories/>
                    <Route path=(StaticSegment(s::STORIES), StaticSegment(s::NEW)) view=stories::NewStory/>
                    <Route path=(StaticSegment(s::STORIES), ParamSegment(p::STORY)) view=stories::StoryPage/>
                    <Route path=(StaticSegment(s::STORIES), ParamSegment(p::STORY), StaticSegment(s::EDIT)) view=stories::EditStory/>
                    <Route path=(StaticSegment(s::STORIES), ParamSegment(p::STORY), StaticSegment(s::HISTORY)) view=history::HistoryPage/>
                    <Route path=StaticSegment(s::REVIEW) view=review::ReviewQueue/>
                    <Route path=StaticSegment(s::CURATE) view=curate::Curate/>
                    <Route path=StaticSegment(s::BOOKLETS) view=booklets::Booklets/>
                    <Route path=StaticSegment(s::NOTIFICATIONS) view=notifications::Notifications/>
                    <Route path=StaticSegment(s::GUIDE) view=guide::Guide/>
                    <Route path=StaticSegment(s::GROUPS) view=groups::Groups/>
                    <Route path=StaticSegment(s::AREAS) view=areas::Areas/>
                    <Route path=StaticSegment(s::EDITIONS) view=editions::Editions/>
                    <Route path=StaticSegment(s::ACCOUNT) view=account::Account/>
                    <Route path=StaticSegment(s::ACCOUNTS) view=accounts::Accounts/>
                    <Route path=StaticSegment(s::PASSWORD_FORGOTTEN) view=password::ForgotPasswordPage/>
                    <Route path=StaticSegment(s::PASSWORD_RESET) view=password::ResetPasswordPage/>
                    <Route path=StaticSegment(s::PORTAL) view=portal::PortalIndex/>
                    <Route path=(StaticSegment(s::PORTAL), ParamSegment(p::MUNICIPALITY), ParamSegment(p::YEAR)) view=portal::PortalBookletPage/>
                    <Route path=(StaticSegment(s::PORTAL), ParamSegment(p::MUNICIPALITY), ParamSegment(p::YEAR), ParamSegment(p::PORTAL_STORY)) view=portal::PortalStoryPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The signed-in user, shared by the layout and the pages.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<Me>, crate::error::AppError>>);

/// Bumped after signing in or out, so the signed-in user is loaded again
/// (the browser navigates without reloading the page).
#[derive(Clone, Copy)]
pub struct AuthEpoch(pub RwSignal<usize>);

impl AuthEpoch {
    /// Marks that the signed-in user changed.
    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

/// Header, navigation and the page.
#[component]
fn Layout() -> impl IntoView {
    let epoch = AuthEpoch(RwSignal::new(0));
    provide_context(epoch);
    let location = use_location();
    // Reloaded on every page change too, so the notification badge follows.
    let user = Resource::new(
        move || (epoch.0.get(), location.pathname.get()),
        |_| current_user(),
    );
    provide_context(CurrentUser(user));
    view! {
        <a class="skip-link" href="#inhoud">{tr("Naar de inhoud", "Skip to content")}</a>
        <header class="site-header">
            <a href=crate::routes::HOME class="brand">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Wijkverhalen"
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = user.await.ok().flatten();
                    view! { <Nav me=me/> }
                })}
            </Suspense>
        </header>
        <main id="inhoud" class="content" tabindex="-1">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = user.await.ok().flatten();
                    let path = location.pathname.get_untracked();
                    // The login page and the portal are open to visitors.
                    let open = path == crate::routes::LOGIN
                        || path == crate::routes::PASSWORD_FORGOTTEN
                        || path == crate::routes::PASSWORD_RESET
                        || path == crate::routes::PORTAL
                        || path.starts_with(&format!("{}/", crate::routes::PORTAL));
                    match me {
                        None if !open => {
                            let next = urlencode(&path);
                            view! { <Redirect path=format!("{}?next={next}", crate::routes::LOGIN)/> }.into_any()
                        }
                        // A start password: choosing one's own comes first.
                        Some(m) if m.must_change_password && path != crate::routes::ACCOUNT => {
                            view! { <Redirect path=crate::routes::ACCOUNT/> }.into_any()
                        }
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
            <Outlet/>
        </main>
        <footer class="site-footer">
            <p>{tr("Wijkverhalen — verhalen over verbinding in de buurt", "Wijkverhalen — stories about connection in the neighbourhood")}</p>
        </footer>
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Navigation for the signed-in user's roles, language switch, sign-out.
#[component]
fn Nav(me: Option<Me>) -> impl IntoView {
    let lang = use_lang();
    let logout = ServerAction::<Logout>::new();
    let set_lang = ServerAction::<SetLanguage>::new();
    let epoch = expect_context::<AuthEpoch>();
    let user = me.as_ref().map(|m| m.id);
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            if let Some(user) = user {
                crate::client::autosave::forget_device_copies(user);
            }
            epoch.bump();
        }
    });
    Effect::new(move |_| {
        if set_lang.version().get() > 0 {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    let other = match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    let switch = view! {
        <ActionForm action=set_lang attr:class="lang-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <button type="submit" class="link-button" lang=other.tag()>
                {match other {
                    Lang::En => "English",
                    Lang::Nl => "Nederlands",
                }}
            </button>
        </ActionForm>
    };
    let Some(me) = me else {
        return view! {
            <nav class="site-nav" aria-label=tr("Hoofdmenu", "Main menu")>
                <ul>
                    <li><A href=crate::routes::PORTAL>{tr("Verhalen lezen", "Read the stories")}</A></li>
                    <li><A href=crate::routes::LOGIN>{tr("Inloggen", "Sign in")}</A></li>
                </ul>
                {switch}
            </nav>
        }.into_any();
    };
    // With a start password nothing but the account page is open.
    let links = if me.must_change_password {
        Vec::new()
    } else {
        crate::routes::pages_for(&me.roles)
    };
    view! {
        <nav class="site-nav" aria-label=tr("Hoofdmenu", "Main menu")>
            <ul>
                {links
                    .into_iter()
                    .map(|h| view! { <li><A href=h.href>{lang.pick(h.name.0, h.name.1)}</A></li> })
                    .collect_view()}
                <li><NotificationsLink unread=me.unread/></li>
            </ul>
            <A href=crate::routes::ACCOUNT attr:class="nav-user">
                <span class="visually-hidden">{tr("Mijn account: ", "My account: ")}</span>{me.name.clone()}
            </A>
            {switch}
            <ActionForm action=logout attr:class="logout">
                <button type="submit" class="button button-quiet">{tr("Uitloggen", "Sign out")}</button>
            </ActionForm>
        </nav>
    }
    .into_any()
}

/// "Meldingen" with the number of unread notifications; refreshed on every
/// page change, so a badge drops when a story is opened.
#[component]
fn NotificationsLink(unread: i64) -> impl IntoView {
    let lang = use_lang();
    let label = if unread == 1 {
        lang.pick("1 ongelezen melding", "1 unread notification")
            .to_string()
    } else {
        format!(
            "{unread} {}",
            lang.pick("ongelezen meldingen", "unread notifications")
        )
    };
    view! {
        <A href=crate::routes::NOTIFICATIONS>
            {tr("Meldingen", "Notifications")}
            {(unread > 0).then(|| view! {
                <span class="badge" data-unread=unread.to_string()>
                    <span aria-hidden="true">{unread.to_string()}</span>
                    <span class="visually-hidden">{label}</span>
                </span>
            })}
        </A>
    }
}

/// Page for unknown addresses.
#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(ro) = use_context::<leptos_axum::ResponseOptions>() {
        ro.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="content">
            <Title text=tr("Niet gevonden", "Not found")/>
            <h1>{tr("Deze pagina bestaat niet", "This page does not exist")}</h1>
            <p><a href=crate::routes::HOME>{tr("Naar de startpagina", "To the start page")}</a></p>
        </main>
    }
}
