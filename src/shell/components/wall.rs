//! The wall: published praise, newest first, a page at a time.

use std::rc::Rc;

use yew::prelude::*;

use super::{tag_choices, use_widget_context};
use crate::core::i18n::Text;
use crate::core::wall::{MoreStep, WallAction, WallState, WallView};
use crate::shell::platform;
use crate::shell::ports::Transport;

/// Properties of [`Wall`].
#[derive(Properties, PartialEq)]
pub struct WallProps {
    /// Changes whenever new praise may have been published; the wall reads it again.
    pub revision: u32,
}

/// The wall's state machine is the core's; yew only drives it.
impl Reducible for WallState {
    type Action = WallAction;

    fn reduce(self: Rc<Self>, action: WallAction) -> Rc<Self> {
        Rc::new(WallState::reduce(&self, action))
    }
}

/// Fetches one page (the first, or the one at `cursor` for "show more") and dispatches it,
/// tagged with the `generation` it was asked in; a console warning says why a page could not be
/// read, or how many of its items were skipped. False when the transport has no wall.
///
/// Not generic over what to dispatch: the async block is compiled once for both uses.
fn fetch_page(
    transport: &Rc<dyn Transport>,
    cursor: Option<String>,
    generation: u32,
    dispatch: UseReducerDispatcher<WallState>,
) -> bool {
    let more = cursor.is_some();
    let Some(request) = transport.wall_page(cursor) else {
        return false;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let page = request.await.map_err(|error| {
            platform::console_warn(&error.to_string());
        });
        if let Ok(page) = &page {
            if page.skipped > 0 {
                platform::console_warn(&format!(
                    "{} wall item(s) could not be read and are not shown",
                    page.skipped
                ));
            }
        }
        dispatch.dispatch(if more {
            WallAction::MoreLoaded { generation, page }
        } else {
            WallAction::Loaded { generation, page }
        });
    });
    true
}

/// The praise wall.
#[function_component]
pub fn Wall(props: &WallProps) -> Html {
    let context = use_widget_context();
    let strings = &context.strings;
    let state = use_reducer(WallState::default);
    // The transport has no wall (live mode without `data-wall-url`): render nothing.
    let absent = use_state(|| false);
    // Every reload gets a larger generation, so an older request finishing late is ignored.
    let generations = use_mut_ref(|| 0u32);
    {
        let state = state.clone();
        let absent = absent.clone();
        let transport = Rc::clone(&context.transport);
        use_effect_with(props.revision, move |_| {
            let generation = {
                let mut last = generations.borrow_mut();
                *last += 1;
                *last
            };
            state.dispatch(WallAction::Reload { generation });
            absent.set(!fetch_page(
                &transport,
                None,
                generation,
                state.dispatcher(),
            ));
        });
    }
    if *absent {
        return Html::default();
    }

    let lang = strings.lang();
    let tags = tag_choices(&context.config, strings);
    let tag_label = |id: &str| {
        tags.iter()
            .find(|tag| tag.id == id)
            .map(|tag| tag.label.clone())
            .unwrap_or_else(|| id.replace('_', " "))
    };
    let content = match &state.view {
        WallView::Loading => {
            html! { <p class="kudos-muted">{ strings.get(Text::WallLoading) }</p> }
        }
        WallView::Unavailable => {
            html! { <p class="kudos-muted">{ strings.get(Text::WallUnavailable) }</p> }
        }
        WallView::Ready(feed) if feed.items().is_empty() => {
            html! { <p class="kudos-muted kudos-wall-empty">{ strings.get(Text::WallEmpty) }</p> }
        }
        WallView::Ready(feed) => {
            let more = feed.more();
            let show_more = {
                let state = state.clone();
                let transport = Rc::clone(&context.transport);
                let more = more.clone();
                Callback::from(move |_: MouseEvent| match &more {
                    MoreStep::Reveal => state.dispatch(WallAction::Reveal),
                    MoreStep::Fetch(cursor) if !state.fetching_more => {
                        state.dispatch(WallAction::FetchingMore);
                        let cursor = Some(cursor.clone());
                        fetch_page(&transport, cursor, state.generation, state.dispatcher());
                    }
                    _ => {}
                })
            };
            let shown = feed.shown();
            html! {
                <>
                    <ul class="kudos-wall-list" role="list">
                        { for shown.iter().map(|item| {
                            let meta = crate::core::text::join(
                                &[item.staff_role.clone(), item.location.clone()]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>(),
                                " \u{b7} ",
                            );
                            let day = item.occurred_on.clone().unwrap_or_else(|| item.created_at.clone());
                            html! {
                                <li key={item.id.clone()} class="kudos-card" part="card">
                                    <p class="kudos-card-staff">{ item.staff_name.clone() }</p>
                                    if !meta.is_empty() {
                                        <p class="kudos-card-meta">{ meta }</p>
                                    }
                                    <p class="kudos-card-story">{ item.story.clone() }</p>
                                    if !item.tags.is_empty() {
                                        <ul class="kudos-card-tags" role="list">
                                            { for item.tags.iter().map(|tag| html! {
                                                <li class="kudos-tag">{ tag_label(tag) }</li>
                                            }) }
                                        </ul>
                                    }
                                    <p class="kudos-card-date">
                                        <time datetime={day.clone()}>
                                            { platform::format_date(&day, lang) }
                                        </time>
                                    </p>
                                </li>
                            }
                        }) }
                    </ul>
                    <p class="kudos-muted kudos-wall-count">
                        { strings.format(Text::WallShowing, &[
                            ("shown", &shown.len().to_string()),
                            ("total", &feed.items().len().to_string()),
                        ]) }
                    </p>
                    if more != MoreStep::Nothing {
                        <button type="button" class="kudos-button kudos-button-secondary"
                            onclick={show_more} aria-busy={state.fetching_more.then_some("true")}>
                            { strings.get(if state.fetching_more {
                                Text::WallLoading
                            } else {
                                Text::WallShowMore
                            }) }
                        </button>
                    }
                </>
            }
        }
    };
    html! {
        <section class="kudos-wall" part="wall" aria-labelledby="kudos-wall-title"
            aria-busy={(state.view == WallView::Loading).then_some("true")}>
            <h2 id="kudos-wall-title" class="kudos-title">{ strings.get(Text::WallTitle) }</h2>
            { content }
        </section>
    }
}
