//! The lecturer's review queue: the stories of their groups, waiting ones
//! first (oldest on top), with counts per state and filters by group,
//! neighbourhood and state. The filters are a plain GET form, so the queue
//! works (and can be bookmarked) without JavaScript.

use crate::api::stories::review_queue;
use crate::components::{error_view, Loading, StoryList};
use crate::domain::lifecycle::StoryStatus;
use crate::i18n::{tr, use_lang};
use crate::model::StoryListItem;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeSet;

/// The states a lecturer's queue shows, in the order of its sections.
const SECTIONS: [(StoryStatus, (&str, &str)); 3] = [
    (
        StoryStatus::Submitted,
        ("Wacht op beoordeling", "Waiting for review"),
    ),
    (
        StoryStatus::ChangesRequested,
        ("Aanpassingen gevraagd", "Changes requested"),
    ),
    (StoryStatus::Approved, ("Goedgekeurd", "Approved")),
];

/// The section a story belongs in (approved covers everything after it).
fn section(status: StoryStatus) -> StoryStatus {
    match status {
        StoryStatus::Selected | StoryStatus::Published => StoryStatus::Approved,
        s => s,
    }
}

/// Stories of the lecturer's groups, filtered by the address's `groep`,
/// `wijk` and `status`.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let stories = Resource::new(|| (), |_| review_queue());
    let lang = use_lang();
    let query = use_query_map();
    view! {
        <Title text=tr("Beoordelen", "Review")/>
        <h1>{tr("Beoordelen", "Review")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                let list = match stories.await {
                    Ok(list) => list,
                    Err(e) => return error_view(e),
                };
                let q = query.read();
                let want = |k: &str| q.get(k).filter(|v| !v.is_empty());
                let (group, wijk, status) = (want("groep"), want("wijk"), want("status").and_then(|s| StoryStatus::parse(&s)));
                let groups: BTreeSet<String> = list.iter().map(|s| s.group.clone()).collect();
                let wijken: BTreeSet<String> = list.iter().map(|s| s.neighbourhood.clone()).collect();
                let shown: Vec<StoryListItem> = list
                    .iter()
                    .filter(|s| group.as_ref().is_none_or(|g| &s.group == g))
                    .filter(|s| wijk.as_ref().is_none_or(|w| &s.neighbourhood == w))
                    .cloned()
                    .collect();
                let count = |st: StoryStatus| shown.iter().filter(|s| section(s.status) == st).count();
                let waiting = count(StoryStatus::Submitted);
                let summary = match waiting {
                    0 => lang.pick("Er wachten geen verhalen op beoordeling.", "No stories are waiting for review.").to_string(),
                    1 => lang.pick("1 verhaal wacht op beoordeling.", "1 story is waiting for review.").to_string(),
                    n => format!("{n} {}", lang.pick("verhalen wachten op beoordeling.", "stories are waiting for review.")),
                };
                let counts = SECTIONS
                    .iter()
                    .map(|(st, (nl, en))| format!("{}: {}", lang.pick(nl, en), count(*st)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let option = |value: String, label: String, selected: bool| view! { <option value=value selected=selected>{label}</option> };
                view! {
                    <p class="lead">{summary}</p>
                    <p class="hint queue-counts">{counts}</p>
                    <form method="get" class="form queue-filters" role="search" aria-label=tr("Verhalen filteren", "Filter stories")>
                        <div class="field-row">
                            <div class="field">
                                <label class="label" for="filter-groep">{tr("Groep", "Group")}</label>
                                <select id="filter-groep" name="groep">
                                    {option(String::new(), lang.pick("Alle groepen", "All groups").into(), group.is_none())}
                                    {groups.into_iter().map(|g| option(g.clone(), g.clone(), group.as_deref() == Some(g.as_str()))).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label class="label" for="filter-wijk">{tr("Wijk", "Neighbourhood")}</label>
                                <select id="filter-wijk" name="wijk">
                                    {option(String::new(), lang.pick("Alle wijken", "All neighbourhoods").into(), wijk.is_none())}
                                    {wijken.into_iter().map(|w| option(w.clone(), w.clone(), wijk.as_deref() == Some(w.as_str()))).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label class="label" for="filter-status">{tr("Status", "Status")}</label>
                                <select id="filter-status" name="status">
                                    {option(String::new(), lang.pick("Alle", "All").into(), status.is_none())}
                                    {SECTIONS.iter().map(|(st, (nl, en))| option(st.as_str().into(), lang.pick(nl, en).into(), status == Some(*st))).collect_view()}
                                </select>
                            </div>
                        </div>
                        <button type="submit" class="button">{tr("Filteren", "Filter")}</button>
                    </form>
                    {SECTIONS.iter().filter(|(st, _)| status.is_none_or(|s| s == *st)).map(|(st, (nl, en))| {
                        let items: Vec<StoryListItem> = shown.iter().filter(|s| section(s.status) == *st).cloned().collect();
                        let heading = format!("sectie-{}", st.as_str());
                        let labelled_by = heading.clone();
                        view! {
                            <section aria-labelledby=labelled_by>
                                <h2 id=heading>{format!("{} ({})", lang.pick(nl, en), items.len())}</h2>
                                <StoryList stories=items empty=tr("Geen.", "None.")/>
                            </section>
                        }
                    }).collect_view()}
                }
                .into_any()
            })}
        </Suspense>
    }
}
