//! The wall: published praise, newest first.

use std::rc::Rc;

use yew::prelude::*;

use super::use_widget_context;
use crate::core::i18n::Text;
use crate::core::praise::{newest_first, PublishedPraise};
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
    /// The transport has no wall (live mode without a wall source): render nothing.
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
    let strings = context.strings;
    let view = use_state(|| WallView::Loading);
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

    let lang = strings.lang().tag();
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
        WallView::Ready(items) => html! {
            <ul class="kudos-wall-list" role="list">
                { for items.iter().map(|item| html! {
                    <li key={item.id.clone()} class="kudos-card" part="card">
                        <p class="kudos-card-staff">{ item.staff_name.clone() }</p>
                        <p class="kudos-card-story">{ item.story.clone() }</p>
                        <p class="kudos-card-date">
                            <time datetime={item.created_at.clone()}>
                                { platform::format_date(&item.created_at, lang) }
                            </time>
                        </p>
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <section class="kudos-wall" part="wall" aria-labelledby="kudos-wall-title"
            aria-busy={(*view == WallView::Loading).then_some("true")}>
            <h2 id="kudos-wall-title" class="kudos-title">{ strings.get(Text::WallTitle) }</h2>
            { content }
        </section>
    }
}
