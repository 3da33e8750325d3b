//! One's own account (`/account`): a new password (which ends the
//! account's sessions on every other device) and the interface language
//! (kept with the account, so it follows the user to another tablet).
//!
//! Someone signed in with a start password — printed by the command line or
//! shown to a coordinator when the account was made — is sent here first and
//! sees nothing else until they have chosen their own.

use crate::api::auth::{ChangePassword, SetLanguage};
use crate::components::ErrorNote;
use crate::domain::password::MIN_PASSWORD_CHARS;
use crate::domain::Lang;
use crate::i18n::{tr, use_lang};
use crate::pages::{AuthEpoch, CurrentUser};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page.
#[component]
pub fn Account() -> impl IntoView {
    let lang = use_lang();
    let change = ServerAction::<ChangePassword>::new();
    let set_lang = ServerAction::<SetLanguage>::new();
    let epoch = expect_context::<AuthEpoch>();
    let user = expect_context::<CurrentUser>().0;
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    Effect::new(move |_| {
        if changed() {
            // The navigation opens up once the start password is gone.
            epoch.bump();
        }
    });
    Effect::new(move |_| {
        if set_lang.version().get() > 0 {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    let must_change = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|m| m.must_change_password)
    };
    let hint = format!(
        "{} {MIN_PASSWORD_CHARS} {}",
        lang.pick("Minstens", "At least"),
        lang.pick(
            "tekens. Een zin van een paar woorden is sterk en goed te onthouden.",
            "characters. A sentence of a few words is strong and easy to remember.",
        ),
    );
    view! {
        <Title text=tr("Mijn account", "My account")/>
        <h1>{tr("Mijn account", "My account")}</h1>
        <Suspense fallback=|| ()>
            {move || must_change().then(|| view! {
                <p class="note" role="alert">{tr(
                    "U bent ingelogd met een startwachtwoord. Kies eerst een eigen wachtwoord; daarna kunt u verder.",
                    "You signed in with a start password. Choose your own password first; then you can carry on.",
                )}</p>
            })}
        </Suspense>

        <section class="panel" aria-labelledby="wachtwoord-kop">
            <h2 id="wachtwoord-kop">{tr("Wachtwoord wijzigen", "Change password")}</h2>
            {move || changed().then(|| view! {
                <p class="note" role="status">{tr(
                    "Uw wachtwoord is gewijzigd. Op andere apparaten bent u nu uitgelogd.",
                    "Your password was changed. You are now signed out on other devices.",
                )}</p>
            })}
            <ActionForm action=change attr:class="form">
                <div class="field">
                    <label class="label" for="wachtwoord-huidig">{tr("Huidig wachtwoord", "Current password")}</label>
                    <input id="wachtwoord-huidig" type="password" name="current" required autocomplete="current-password"/>
                </div>
                <div class="field">
                    <label class="label" for="wachtwoord-nieuw">{tr("Nieuw wachtwoord", "New password")}</label>
                    <p class="hint" id="wachtwoord-hint">{hint}</p>
                    <input id="wachtwoord-nieuw" type="password" name="new" required autocomplete="new-password"
                        minlength=MIN_PASSWORD_CHARS.to_string() aria-describedby="wachtwoord-hint"/>
                </div>
                <div class="field">
                    <label class="label" for="wachtwoord-herhaal">{tr("Nieuw wachtwoord nog eens", "New password again")}</label>
                    <input id="wachtwoord-herhaal" type="password" name="repeat" required autocomplete="new-password"
                        minlength=MIN_PASSWORD_CHARS.to_string()/>
                </div>
                {move || change.value().get().and_then(Result::err).map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{tr("Wachtwoord opslaan", "Save password")}</button>
                </div>
            </ActionForm>
        </section>

        <section class="panel" aria-labelledby="taal-kop">
            <h2 id="taal-kop">{tr("Taal", "Language")}</h2>
            <p class="hint">{tr(
                "De taal van Wijkverhalen op elk apparaat waarop u inlogt.",
                "The language of Wijkverhalen on every device you sign in on.",
            )}</p>
            <div class="form-actions">
                {[Lang::Nl, Lang::En].into_iter().map(|l| view! {
                    <ActionForm action=set_lang attr:class="inline-form">
                        <input type="hidden" name="lang" value=l.tag()/>
                        <button type="submit" class="button" lang=l.tag()
                            aria-pressed=(l == lang).to_string()>
                            {match l { Lang::Nl => "Nederlands", Lang::En => "English" }}
                        </button>
                    </ActionForm>
                }).collect_view()}
            </div>
        </section>
    }
}
