//! "Toestemming intrekken" on the story page: records that the resident
//! withdrew consent (see `api::withdrawal`). A plain form with a
//! confirmation box, so it also works without JavaScript.

use crate::api::withdrawal::WithdrawConsent;
use crate::components::ErrorNote;
use crate::domain::ids::StoryId;
use crate::i18n::tr;
use leptos::prelude::*;

/// The withdrawal form of one story at `version`; `published` adds that a
/// printed booklet keeps the story until a new version is published.
#[component]
pub fn WithdrawForm(story: StoryId, version: i64, published: bool) -> impl IntoView {
    let action = ServerAction::<WithdrawConsent>::new();
    let error = move || action.value().get().and_then(Result::err);
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            // Nobody reads a withdrawn story any more: back to the start page.
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href("/");
        }
    });
    view! {
        <details class="withdraw">
            <summary>{tr("Toestemming intrekken", "Withdraw consent")}</summary>
            <p>{tr(
                "Heeft de bewoner gevraagd het verhaal niet meer te gebruiken? Dan wordt het verhaal ingetrokken: het verdwijnt uit de boekjesselectie en van de website, en foto's en opnames zijn niet meer te zien voor docenten en onderzoekers.",
                "Did the resident ask not to use the story any more? Then the story is withdrawn: it leaves the booklet selection and the website, and photos and recordings are no longer shown to lecturers and researchers.",
            )}</p>
            {published.then(|| view! {
                <p class="note">{tr(
                    "Dit verhaal staat in een gepubliceerd boekje. Dat boekje blijft het bevatten tot de onderzoekers een nieuwe versie publiceren; zij krijgen het te zien bij het samenstellen.",
                    "This story is in a published booklet. That booklet keeps it until the researchers publish a new version; they see this when composing.",
                )}</p>
            })}
            <ActionForm action=action attr:class="form">
                <input type="hidden" name="id" value=story.to_string()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <label class="check">
                    <input type="checkbox" name="confirm" value="true" required/>
                    <span>{tr("De bewoner heeft zelf gevraagd de toestemming in te trekken.", "The resident asked to withdraw consent.")}</span>
                </label>
                {move || error().map(|e| view! { <ErrorNote error=e/> })}
                <div class="form-actions">
                    <button type="submit" class="button button-danger">{tr("Toestemming intrekken", "Withdraw consent")}</button>
                </div>
            </ActionForm>
        </details>
    }
}
