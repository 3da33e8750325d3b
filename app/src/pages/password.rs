//! A forgotten password (`/wachtwoord-vergeten`): the user asks for a link
//! by e-mail; the link (`/wachtwoord-herstellen?sleutel=…`) lets them choose
//! a new password once, within the hour. Both pages are open to visitors.
//! The first page answers the same whether or not the address has an
//! account.

use crate::api::auth::{reset_link_usable, ForgotPassword, ResetPassword};
use crate::components::{error_view, ErrorNote, Loading};
use crate::domain::password::MIN_PASSWORD_CHARS;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Asking for a reset link.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ask = ServerAction::<ForgotPassword>::new();
    let sent = move || matches!(ask.value().get(), Some(Ok(())));
    view! {
        <Title text=tr("Wachtwoord vergeten", "Forgot password")/>
        <h1>{tr("Wachtwoord vergeten", "Forgot password")}</h1>
        <section class="panel">
            {move || if sent() {
                view! { <p class="note" role="status">{tr(
                    "Als dit adres bij Wijkverhalen bekend is, staat er binnen een paar minuten een e-mail met een link klaar. De link werkt een uur en één keer. Kijk ook bij ongewenste e-mail.",
                    "If this address is known to Wijkverhalen, an e-mail with a link arrives within a few minutes. The link works for an hour, once. Also check your spam folder.",
                )}</p> }.into_any()
            } else {
                ().into_any()
            }}
            <ActionForm action=ask attr:class="form">
                <div class="field">
                    <label class="label" for="vergeten-email">{tr("E-mailadres", "E-mail address")}</label>
                    <input id="vergeten-email" type="email" name="email" required autocomplete="email"/>
                </div>
                {move || ask.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{tr("Stuur mij een link", "Send me a link")}</button>
                </div>
            </ActionForm>
            <p><a href=crate::routes::LOGIN>{tr("Terug naar inloggen", "Back to sign in")}</a></p>
        </section>
    }
}

/// Choosing the new password with the link's secret.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let token = move || query.read().get("sleutel").unwrap_or_default();
    let usable = Resource::new(token, reset_link_usable);
    let reset = ServerAction::<ResetPassword>::new();
    let done = move || matches!(reset.value().get(), Some(Ok(())));
    let hint = format!(
        "{} {MIN_PASSWORD_CHARS} {}",
        lang.pick("Minstens", "At least"),
        lang.pick("tekens.", "characters."),
    );
    view! {
        <Title text=tr("Nieuw wachtwoord kiezen", "Choose a new password")/>
        <h1>{tr("Nieuw wachtwoord kiezen", "Choose a new password")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || {
                let hint = hint.clone();
                Suspend::new(async move {
                match usable.await {
                    Err(e) => error_view(e),
                    Ok(_) if done() => view! {
                        <section class="panel">
                            <p class="note" role="status">{tr(
                                "Uw nieuwe wachtwoord is opgeslagen. Op andere apparaten bent u uitgelogd.",
                                "Your new password is saved. You are signed out on other devices.",
                            )}</p>
                            <p><a class="button button-primary" href=crate::routes::LOGIN>{tr("Inloggen", "Sign in")}</a></p>
                        </section>
                    }.into_any(),
                    Ok(false) => view! {
                        <section class="panel">
                            <p class="note" role="alert">{tr(
                                "Deze link is verlopen of al gebruikt.",
                                "This link has expired or was used already.",
                            )}</p>
                            <p><a href=crate::routes::PASSWORD_FORGOTTEN>{tr("Vraag een nieuwe link aan", "Ask for a new link")}</a></p>
                        </section>
                    }.into_any(),
                    Ok(true) => view! {
                        <section class="panel">
                            <ActionForm action=reset attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <div class="field">
                                    <label class="label" for="herstel-nieuw">{tr("Nieuw wachtwoord", "New password")}</label>
                                    <p class="hint" id="herstel-hint">{hint}</p>
                                    <input id="herstel-nieuw" type="password" name="new" required autocomplete="new-password"
                                        minlength=MIN_PASSWORD_CHARS.to_string() aria-describedby="herstel-hint"/>
                                </div>
                                <div class="field">
                                    <label class="label" for="herstel-herhaal">{tr("Nieuw wachtwoord nog eens", "New password again")}</label>
                                    <input id="herstel-herhaal" type="password" name="repeat" required autocomplete="new-password"
                                        minlength=MIN_PASSWORD_CHARS.to_string()/>
                                </div>
                                {move || reset.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=e/> })}
                                <div class="form-actions">
                                    <button type="submit" class="button button-primary">{tr("Wachtwoord opslaan", "Save password")}</button>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}}
        </Suspense>
    }
}
