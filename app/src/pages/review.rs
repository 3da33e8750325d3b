//! The lecturer's review queue.

use crate::api::stories::review_queue;
use crate::components::{error_view, Loading, StoryList};
use crate::domain::lifecycle::StoryStatus;
use crate::i18n::{tr, use_lang};
use leptos::prelude::*;
use leptos_meta::Title;

/// Stories of the lecturer's groups: waiting for review first (oldest on
/// top), then those sent back, then the approved ones.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let stories = Resource::new(|| (), |_| review_queue());
    let lang = use_lang();
    view! {
        <Title text=tr("Beoordelen", "Review")/>
        <h1>{tr("Beoordelen", "Review")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match stories.await {
                    Ok(list) => {
                        let pick = |statuses: &[StoryStatus]| {
                            list.iter().filter(|s| statuses.contains(&s.status)).cloned().collect::<Vec<_>>()
                        };
                        let waiting = pick(&[StoryStatus::Submitted]);
                        let returned = pick(&[StoryStatus::ChangesRequested]);
                        let done = pick(&[StoryStatus::Approved, StoryStatus::Selected, StoryStatus::Published]);
                        let summary = match waiting.len() {
                            0 => lang.pick("Er wachten geen verhalen op beoordeling.", "No stories are waiting for review.").to_string(),
                            1 => lang.pick("1 verhaal wacht op beoordeling.", "1 story is waiting for review.").to_string(),
                            n => format!("{n} {}", lang.pick("verhalen wachten op beoordeling.", "stories are waiting for review.")),
                        };
                        view! {
                            <p class="lead">{summary}</p>
                            <section aria-labelledby="wacht-kop">
                                <h2 id="wacht-kop">{tr("Wacht op beoordeling", "Waiting for review")}</h2>
                                <StoryList stories=waiting empty=tr("Niets te doen.", "Nothing to do.")/>
                            </section>
                            <section aria-labelledby="terug-kop">
                                <h2 id="terug-kop">{tr("Aanpassingen gevraagd", "Changes requested")}</h2>
                                <StoryList stories=returned empty=tr("Geen.", "None.")/>
                            </section>
                            <section aria-labelledby="klaar-kop">
                                <h2 id="klaar-kop">{tr("Goedgekeurd", "Approved")}</h2>
                                <StoryList stories=done empty=tr("Nog geen.", "None yet.")/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Suspense>
    }
}
