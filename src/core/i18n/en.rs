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
        Text::StaffNameHint => "Start typing their name, as on their name tag.",
        Text::SuggestionsAvailable => "{count} matching names. Use the arrow keys to choose.",
        Text::SuggestionsLabel => "Matching team members",
        Text::NameUnknownToggle => "I didn't catch their name",
        Text::StaffDescriptionLabel => "Describe them so we know who it was",
        Text::StaffDescriptionHint => "For example: tall, red scarf, at the bakery counter.",
        Text::LocationLabel => "Where did it happen?",
        Text::LocationChoose => "Choose a location",
        Text::DateLabel => "When?",
        Text::PartOfDayLabel => "Time of day",
        Text::PartOfDayAny => "Not sure",
        Text::Morning => "Morning",
        Text::Afternoon => "Afternoon",
        Text::Evening => "Evening",
        Text::StoryLabel => "What did they do?",
        Text::StoryHint => {
            "Small things count. For example: \u{201c}He saw my hands were full and carried my \
             order to the car.\u{201d}"
        }
        Text::StoryCounter => "{count} of {max} characters",
        Text::TagsLegend => "Little BIG things",
        Text::TagsHint => "Pick any that fit.",
        Text::TagTookInitiative => "Took initiative",
        Text::TagWentExtraMile => "Went the extra mile",
        Text::TagOwnedTheProblem => "Owned the problem",
        Text::TagGenuineWarmth => "Genuine warmth",
        Text::TagThoughtAhead => "Thought one step ahead",
        Text::AboutYouLegend => "About you",
        Text::VisitorNameLabel => "Your name",
        Text::VisitorEmailLabel => "Your email",
        Text::VisitorEmailHint => "Only used if we need to ask you about this.",
        Text::ContactConsentLabel => "You may contact me about this praise.",
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
        Text::ErrorInvalidDate => "Please enter a real date.",
        Text::ErrorFutureDate => "The date can't be in the future.",
        Text::ErrorCouldNotSend => {
            "We couldn't send your thanks just now. Everything you wrote is still here; please \
             try again."
        }
        Text::ErrorRefused => {
            "Your thanks could not be accepted. Everything you wrote is still here, so you can \
             copy it."
        }
        Text::ErrorNotAccepted => "The site could not accept this. Please check it and try again.",
        Text::Queued => {
            "Saved \u{2014} we'll send it when you're back online. You can close this page; it \
             will be sent next time you visit."
        }
        Text::QueuedNoAnswer => {
            "Saved \u{2014} the site didn't answer, so we'll keep trying. You can close this \
             page; we'll try again next time you visit."
        }
        Text::QueuedNotSaved => {
            "Not sent yet, and we couldn't save it in this browser: keep this page open while we \
             try again, or copy your text."
        }
        Text::CancelQueued => "Stop sending and edit",
        Text::ThanksTitle => "Thank you!",
        Text::ThanksBody => {
            "Your words are on their way to the team. A few kind lines like these can make \
             someone's whole week."
        }
        Text::ThanksDemoBody => {
            "Demo mode: nothing was sent. Your words are kept in this browser only; on a live \
             site they would go to the team now."
        }
        Text::PraiseSomeoneElse => "Praise someone else",
        Text::WallTitle => "Little BIG things our team did",
        Text::WallEmpty => "No published praise yet. Be the first to thank someone.",
        Text::WallLoading => "Loading praise\u{2026}",
        Text::WallUnavailable => "The praise wall can't be shown right now.",
        Text::WallShowMore => "Show more praise",
        Text::WallShowing => "Showing {shown} of {total}",
        Text::DemoNotice => "Demo mode: what you send stays in this browser.",
        Text::ErrorConsentRequired => "Please tick the box to agree to receive the newsletter.",
        Text::NewsletterTitle => "Join our newsletter",
        Text::NewsletterIntro => {
            "Store news, seasonal recipes and the occasional deal, about twice a month."
        }
        Text::NewsletterEmailLabel => "Email address",
        Text::NewsletterFirstNameLabel => "First name",
        Text::NewsletterListsLegend => "What would you like to get?",
        Text::NewsletterConsent => {
            "Yes, {company} may email me its newsletter: store news, recipes and offers."
        }
        Text::NewsletterContact => "Contact: {contact}.",
        Text::NewsletterWithdraw => {
            "I can withdraw my consent at any time with the unsubscribe link in every email or by \
             contacting the sender."
        }
        Text::NewsletterSenderFallback => "the owner of this website",
        Text::NewsletterPrivacyLink => "Privacy policy",
        Text::NewsletterSubmit => "Subscribe",
        Text::NewsletterSubmitting => "Subscribing\u{2026}",
        Text::NewsletterSubscribedTitle => "You're subscribed",
        Text::NewsletterSubscribedBody => {
            "Thanks for joining. The next newsletter will be in your inbox."
        }
        Text::NewsletterConfirmTitle => "Check your inbox to confirm",
        Text::NewsletterConfirmBody => {
            "We've sent you an email with a confirmation link. Your subscription starts when you \
             click it."
        }
        Text::NewsletterDemoConfirm => {
            "Demo mode: no email was sent. With a live endpoint, this is when the confirmation \
             email would go out."
        }
        Text::NewsletterDidYouMean => "Did you mean {email}?",
        Text::NewsletterCouldNotSend => {
            "We couldn't subscribe you just now. Your details are still here; please try again."
        }
        Text::NewsletterRefused => {
            "Your subscription could not be accepted. Please check your details or contact us."
        }
    }
}
