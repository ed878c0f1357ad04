package dev.wasched.testkit.whatsapp;

/**
 * Wordings WhatsApp has used for the popup shown when a click-to-chat link names a number that is not on
 * WhatsApp. {@link WhatsAppWebSimulator.Builder#invalidNumberWording(InvalidNumberWording)} picks one, so a
 * transport can be tested against each; {@link DomVariant#withInvalidNumberText(String)} allows any other text.
 * A {@code {phone}} in the text is replaced by the number as {@code +DIGITS} on {@link PageGeneration#WEB_2026}
 * pages ({@link PageGeneration#WEB_2024} pages show the text as it is).
 */
public enum InvalidNumberWording {

    /** The long-standing wording: {@code Phone number shared via url is invalid.} */
    SHARED_VIA_URL_INVALID("Phone number shared via url is invalid."),

    /** The newer wording that names the number: {@code The phone number +DIGITS isn't on WhatsApp.} */
    NOT_ON_WHATSAPP("The phone number {phone} isn't on WhatsApp."),

    /** A short form seen on some clients: {@code Couldn't find this phone number.} */
    COULD_NOT_FIND("Couldn't find this phone number.");

    private final String template;

    InvalidNumberWording(String template) {
        this.template = template;
    }

    /**
     * @return the popup text, possibly with the placeholder {@code {phone}}
     */
    public String template() {
        return template;
    }
}
