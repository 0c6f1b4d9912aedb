//! The yew components, and the context they share.
//!
//! Components get everything from [`WidgetContext`]: the validated config, the transport and the
//! words. They never touch storage or the network themselves.

mod app;
pub mod delivery;
mod field;
mod newsletter_form;
mod praise_form;
mod staff_picker;
mod wall;

use std::rc::Rc;

pub use app::{App, AppProps};
pub use praise_form::Prefill;

use crate::core::config::{Config, TagChoice, DEFAULT_TAGS};
use crate::core::i18n::Strings;
use crate::core::praise::PraiseRules;
use crate::shell::events::Events;
use crate::shell::storage::Store;
use crate::shell::transport::Transport;

/// What every component of one widget shares.
#[derive(Clone)]
pub struct WidgetContext {
    /// The owner's validated settings.
    pub config: Rc<Config>,
    /// Where submissions go.
    pub transport: Rc<dyn Transport>,
    /// Where the outbox and draft autosave keep what is not delivered yet (only the delivery
    /// hooks in `delivery.rs` touch it).
    pub store: Rc<dyn Store>,
    /// The words, in the negotiated language.
    pub strings: Strings,
    /// The praise form's rules as mounted (the roster may still arrive from `data-staff-url`).
    pub praise_rules: Rc<PraiseRules>,
    /// The DOM events of this widget's host element (`kudos:submit`, `kudos:success`, …).
    pub events: Events,
}

impl PartialEq for WidgetContext {
    fn eq(&self, other: &Self) -> bool {
        // The transport has no meaningful equality: the same one is the same context.
        Rc::ptr_eq(&self.config, &other.config)
            && Rc::ptr_eq(&self.transport, &other.transport)
            && Rc::ptr_eq(&self.store, &other.store)
            && self.strings == other.strings
            && Rc::ptr_eq(&self.praise_rules, &other.praise_rules)
            && self.events == other.events
    }
}

/// The tags a visitor can choose: the owner's, or the default set in the visitor's language.
fn tag_choices(config: &Config, strings: &Strings) -> Vec<TagChoice> {
    match &config.tags {
        Some(tags) => tags.clone(),
        None => DEFAULT_TAGS
            .iter()
            .map(|(id, text)| TagChoice {
                id: (*id).to_owned(),
                label: strings.get(*text).to_owned(),
            })
            .collect(),
    }
}

/// The context of the widget being rendered. Every component lives under [`App`], which provides
/// it, so its absence is a programming error.
#[yew::hook]
fn use_widget_context() -> WidgetContext {
    yew::use_context::<WidgetContext>()
        .expect("kudos-widget components are rendered inside App's context provider")
}

/// Lets a component drive any form with `use_reducer`: the core reducer, wrapped for yew.
impl<D: crate::core::form::Draft> yew::Reducible for crate::core::form::FormState<D> {
    type Action = crate::core::form::FormAction<D>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        Rc::new(crate::core::form::FormState::reduce(&self, action))
    }
}
