//! The root component: provides the context and lays out what the owner asked to show.

use yew::prelude::*;

use super::newsletter_form::NewsletterForm;
use super::praise_form::{PraiseForm, Prefill};
use super::wall::Wall;
use super::WidgetContext;
use crate::core::config::{Mode, WidgetKind};
use crate::core::i18n::Text;

/// What the mount step hands the root component.
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// Config, transport and words for every component below.
    pub context: WidgetContext,
    /// Values to put in the praise form (`?kudos-staff=` at mount, `handle.prefill()` later).
    #[prop_or_default]
    pub prefill: Prefill,
}

/// The whole widget.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    // Bumped after each delivered praise, so the wall reads its source again.
    let wall_revision = use_state(|| 0u32);
    let on_delivered = {
        let wall_revision = wall_revision.clone();
        Callback::from(move |()| wall_revision.set(*wall_revision + 1))
    };
    let context = &props.context;
    let show = context.config.show;
    let demo_notice = (context.config.mode == Mode::Demo).then(|| {
        html! { <p class="kudos-demo-notice">{ context.strings.get(Text::DemoNotice) }</p> }
    });
    html! {
        <ContextProvider<WidgetContext> context={context.clone()}>
            <div class="kudos-widget" part="widget" lang={context.strings.lang().tag()}>
                if context.config.widget == WidgetKind::Newsletter {
                    <NewsletterForm />
                } else {
                    if show.form() {
                        <PraiseForm {on_delivered} prefill={props.prefill.clone()} />
                    }
                    if show.wall() {
                        <Wall revision={*wall_revision} />
                    }
                }
                { for demo_notice }
            </div>
        </ContextProvider<WidgetContext>>
    }
}
