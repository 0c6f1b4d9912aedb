//! The yew components, and the context they share.
//!
//! Components get everything from [`WidgetContext`]: the validated config, the delivery service,
//! the transport (to read the wall and the roster) and the words. They render state and call the
//! service; they never touch storage themselves.

mod app;
mod field;
mod form_kit;
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
use crate::shell::delivery::DeliveryService;
use crate::shell::ports::Transport;

/// What every component of one widget shares.
#[derive(Clone)]
pub struct WidgetContext {
    /// The owner's validated settings.
    pub config: Rc<Config>,
    /// Where the wall and the roster are read from (submissions go through `delivery`).
    pub transport: Rc<dyn Transport>,
    /// The widget's delivery service: drafts, outbox and courier.
    pub delivery: Rc<DeliveryService>,
    /// The words, in the negotiated language.
    pub strings: Strings,
    /// The praise form's rules as mounted (the roster may still arrive from `data-staff-url`).
    pub praise_rules: Rc<PraiseRules>,
}

impl PartialEq for WidgetContext {
    fn eq(&self, other: &Self) -> bool {
        // The transport and the service have no meaningful equality: the same ones are the same
        // context.
        Rc::ptr_eq(&self.config, &other.config)
            && Rc::ptr_eq(&self.transport, &other.transport)
            && Rc::ptr_eq(&self.delivery, &other.delivery)
            && self.strings == other.strings
            && Rc::ptr_eq(&self.praise_rules, &other.praise_rules)
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
