//! Sign-in page.

use crate::api::auth::Login as LoginFn;
use crate::components::ErrorNote;
use crate::i18n::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// E-mail address and password.
#[component]
pub fn Login() -> impl IntoView {
    let login = ServerAction::<LoginFn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_string());
    let error = move || login.value().get().and_then(Result::err);
    let epoch = expect_context::<super::AuthEpoch>();
    Effect::new(move |_| {
        if let Some(Ok(())) = login.value().get() {
            epoch.bump();
        }
    });
    view! {
        <Title text=tr("Inloggen", "Sign in")/>
        <section class="panel narrow">
            <h1>{tr("Inloggen", "Sign in")}</h1>
            <p class="lead">
                {tr(
                    "Log in met het e-mailadres en wachtwoord van uw account bij de werkplaats.",
                    "Sign in with the e-mail address and password of your werkplaats account.",
                )}
            </p>
            {move || error().map(|e| view! { <ErrorNote error=e/> })}
            <ActionForm action=login attr:class="form">
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label class="label" for="login-email">{tr("E-mailadres", "E-mail address")}</label>
                    <input id="login-email" type="email" name="email" autocomplete="username" required inputmode="email"/>
                </div>
                <div class="field">
                    <label class="label" for="login-wachtwoord">{tr("Wachtwoord", "Password")}</label>
                    <input id="login-wachtwoord" type="password" name="password" autocomplete="current-password" required/>
                </div>
                <button type="submit" class="button button-primary" disabled=move || login.pending().get()>
                    {tr("Inloggen", "Sign in")}
                </button>
            </ActionForm>
            <p><a href=crate::routes::PASSWORD_FORGOTTEN>{tr("Wachtwoord vergeten?", "Forgot your password?")}</a></p>
        </section>
    }
}
