//! The wall: published praise, newest first, a page at a time.

use std::rc::Rc;

use yew::prelude::*;

use super::{tag_choices, use_widget_context};
use crate::core::i18n::Text;
use crate::core::praise::{newest_first, PublishedPraise, WALL_PAGE_SIZE};
use crate::shell::platform;

/// Properties of [`Wall`].
#[derive(Properties, PartialEq)]
pub struct WallProps {
    /// Changes whenever new praise may have been published; the wall reads it again.
    pub revision: u32,
}

/// What the wall shows.
#[derive(Clone, PartialEq)]
enum WallView {
    /// The transport has no wall (live mode without `data-wall-url`): render nothing.
    Absent,
    /// Waiting for the first answer.
    Loading,
    /// The items, newest first.
    Ready(Rc<Vec<PublishedPraise>>),
    /// The source failed; the form still works.
    Unavailable,
}

/// The praise wall.
#[function_component]
pub fn Wall(props: &WallProps) -> Html {
    let context = use_widget_context();
    let strings = &context.strings;
    let view = use_state(|| WallView::Loading);
    let pages = use_state(|| 1usize);
    {
        let view = view.clone();
        let transport = Rc::clone(&context.transport);
        use_effect_with(props.revision, move |_| {
            match transport.published_praise() {
                None => view.set(WallView::Absent),
                Some(request) => wasm_bindgen_futures::spawn_local(async move {
                    match request.await {
                        Ok(mut items) => {
                            newest_first(&mut items);
                            view.set(WallView::Ready(Rc::new(items)));
                        }
                        Err(error) => {
                            platform::console_warn(&error.detail);
                            view.set(WallView::Unavailable);
                        }
                    }
                }),
            }
        });
    }

    let lang = strings.lang();
    let tags = tag_choices(&context.config, strings);
    let tag_label = |id: &str| {
        tags.iter()
            .find(|tag| tag.id == id)
            .map(|tag| tag.label.clone())
            .unwrap_or_else(|| id.replace('_', " "))
    };
    let content = match &*view {
        WallView::Absent => return Html::default(),
        WallView::Loading => {
            html! { <p class="kudos-muted">{ strings.get(Text::WallLoading) }</p> }
        }
        WallView::Unavailable => {
            html! { <p class="kudos-muted">{ strings.get(Text::WallUnavailable) }</p> }
        }
        WallView::Ready(items) if items.is_empty() => {
            html! { <p class="kudos-muted kudos-wall-empty">{ strings.get(Text::WallEmpty) }</p> }
        }
        WallView::Ready(items) => {
            let shown = (*pages * WALL_PAGE_SIZE).min(items.len());
            let show_more = {
                let pages = pages.clone();
                Callback::from(move |_: MouseEvent| pages.set(*pages + 1))
            };
            html! {
                <>
                    <ul class="kudos-wall-list" role="list">
                        { for items[..shown].iter().map(|item| {
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
                            ("shown", &shown.to_string()),
                            ("total", &items.len().to_string()),
                        ]) }
                    </p>
                    if shown < items.len() {
                        <button type="button" class="kudos-button kudos-button-secondary"
                            onclick={show_more}>
                            { strings.get(Text::WallShowMore) }
                        </button>
                    }
                </>
            }
        }
    };
    html! {
        <section class="kudos-wall" part="wall" aria-labelledby="kudos-wall-title"
            aria-busy={(*view == WallView::Loading).then_some("true")}>
            <h2 id="kudos-wall-title" class="kudos-title">{ strings.get(Text::WallTitle) }</h2>
            { content }
        </section>
    }
}
