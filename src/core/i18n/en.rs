//! English words.

use super::Text;

/// The English words for `key`.
pub(super) fn text(key: Text) -> &'static str {
    match key {
        Text::FormTitle => "Recognize our staff",
        Text::FormIntro => {
            "Did someone on our team make your day a little better? Tell us who and what they did. \
             We make sure they hear it."
        }
        Text::StaffNameLabel => "Who would you like to thank?",
        Text::StaffNameHint => "Their name, as on their name tag.",
        Text::StoryLabel => "What did they do?",
        Text::StoryHint => {
            "Small things count. For example: \u{201c}He saw my hands were full and carried my \
             order to the car.\u{201d}"
        }
        Text::AboutYouLegend => "About you",
        Text::VisitorNameLabel => "Your name",
        Text::VisitorEmailLabel => "Your email",
        Text::VisitorEmailHint => "Only used if we need to ask you about this.",
        Text::PublishConsentLabel => {
            "You may publish this praise on this website (your name and email are never shown)."
        }
        Text::Optional => "optional",
        Text::SubmitButton => "Send my thanks",
        Text::Submitting => "Sending your thanks\u{2026}",
        Text::ErrorSummaryTitle => "Please check these before sending:",
        Text::ErrorRequired => "Please fill this in.",
        Text::ErrorTooShort => "Please write at least {min} characters.",
        Text::ErrorTooLong => "Please keep it to {max} characters or fewer.",
        Text::ErrorInvalidEmail => "This doesn't look like an email address (name@example.com).",
        Text::ErrorCouldNotSend => {
            "We couldn't send your thanks just now. Everything you wrote is still here; please \
             try again."
        }
        Text::ErrorRefused => {
            "Your thanks could not be accepted. Everything you wrote is still here, so you can \
             copy it."
        }
        Text::ThanksTitle => "Thank you!",
        Text::ThanksBody => {
            "Your words are on their way to the team. A few kind lines like these can make \
             someone's whole week."
        }
        Text::PraiseSomeoneElse => "Praise someone else",
        Text::WallTitle => "Little BIG things our team did",
        Text::WallEmpty => "No published praise yet. Be the first to thank someone.",
        Text::WallLoading => "Loading praise\u{2026}",
        Text::WallUnavailable => "The praise wall can't be shown right now.",
        Text::DemoNotice => "Demo mode: what you send stays in this browser.",
    }
}
