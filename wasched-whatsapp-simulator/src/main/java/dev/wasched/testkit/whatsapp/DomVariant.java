package dev.wasched.testkit.whatsapp;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names in the simulated page's DOM that WhatsApp Web is known to change between releases.
 * A transport keeps its selectors in an overridable profile; switching the simulator to a
 * non-standard variant proves that an override works (and that the standard profile then fails
 * in a clear way). See the package documentation for where each name appears.
 *
 * <p>Change the variant of a running simulator with
 * {@link WhatsAppWebSimulator#setDomVariant(DomVariant)}; open pages reload themselves to pick it
 * up, as WhatsApp Web does after an update. All names apply to both {@link PageGeneration page generations}; on
 * {@link PageGeneration#WEB_2026} the search icon is decoration beside the search {@code <input>} (not a button),
 * the search box's {@code data-tab} is on that input, and a {@code {phone}} in the popup text is replaced by the
 * number. The standard names differ per generation: {@link #standard(PageGeneration)}.
 *
 * @param sendIcon {@code data-icon} of the send buttons' icon (standard {@code send})
 * @param attachIcon {@code data-icon} of the attach button's icon (standard {@code clip})
 * @param searchIcon {@code data-icon} of the chat search button's icon (standard {@code search})
 * @param composeBoxDataTab {@code data-tab} of the compose box (standard {@code 10})
 * @param searchBoxDataTab {@code data-tab} of the chat search box (standard {@code 3})
 * @param chatListId {@code id} of the chat list container (standard {@code pane-side})
 * @param invalidNumberText text of the invalid-number popup (standard
 *     {@code Phone number shared via url is invalid.})
 */
public record DomVariant(
        String sendIcon,
        String attachIcon,
        String searchIcon,
        String composeBoxDataTab,
        String searchBoxDataTab,
        String chatListId,
        String invalidNumberText) {

    // Names end up in attribute selectors of transports; keep them to characters that need no escaping.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final DomVariant STANDARD = new DomVariant(
            "send", "clip", "search", "10", "3", "pane-side", "Phone number shared via url is invalid.");
    private static final DomVariant STANDARD_2026 = new DomVariant(
            "wds-ic-send-filled", "plus-rounded", "search-refreshed", "10", "3", "pane-side",
            "Phone number shared via url is invalid.");

    /**
     * Validates the names.
     *
     * @param sendIcon see the record description
     * @param attachIcon see the record description
     * @param searchIcon see the record description
     * @param composeBoxDataTab see the record description
     * @param searchBoxDataTab see the record description
     * @param chatListId see the record description
     * @param invalidNumberText see the record description
     * @throws IllegalArgumentException if a name is not 1-64 characters of {@code [A-Za-z0-9_-]}
     *     or the popup text is blank
     */
    public DomVariant {
        requireName("sendIcon", sendIcon);
        requireName("attachIcon", attachIcon);
        requireName("searchIcon", searchIcon);
        requireName("composeBoxDataTab", composeBoxDataTab);
        requireName("searchBoxDataTab", searchBoxDataTab);
        requireName("chatListId", chatListId);
        if (Objects.requireNonNull(invalidNumberText, "invalidNumberText").isBlank()) {
            throw new IllegalArgumentException("invalidNumberText must not be blank");
        }
    }

    /**
     * @return the names of the {@link PageGeneration#WEB_2024} page
     */
    public static DomVariant standard() {
        return STANDARD;
    }

    /**
     * @param generation a page generation
     * @return the names that generation uses: for {@link PageGeneration#WEB_2026} the send icon is
     *     {@code wds-ic-send-filled}, the attach icon {@code plus-rounded} and the search icon
     *     {@code search-refreshed}; the rest is as in {@link #standard()}
     */
    public static DomVariant standard(PageGeneration generation) {
        return Objects.requireNonNull(generation, "generation") == PageGeneration.WEB_2026 ? STANDARD_2026 : STANDARD;
    }

    /**
     * @param value new {@code data-icon} of the send buttons
     * @return a copy with that value
     */
    public DomVariant withSendIcon(String value) {
        return new DomVariant(value, attachIcon, searchIcon, composeBoxDataTab, searchBoxDataTab, chatListId,
                invalidNumberText);
    }

    /**
     * @param value new {@code data-icon} of the attach button
     * @return a copy with that value
     */
    public DomVariant withAttachIcon(String value) {
        return new DomVariant(sendIcon, value, searchIcon, composeBoxDataTab, searchBoxDataTab, chatListId,
                invalidNumberText);
    }

    /**
     * @param value new {@code data-icon} of the search button
     * @return a copy with that value
     */
    public DomVariant withSearchIcon(String value) {
        return new DomVariant(sendIcon, attachIcon, value, composeBoxDataTab, searchBoxDataTab, chatListId,
                invalidNumberText);
    }

    /**
     * @param value new {@code data-tab} of the compose box
     * @return a copy with that value
     */
    public DomVariant withComposeBoxDataTab(String value) {
        return new DomVariant(sendIcon, attachIcon, searchIcon, value, searchBoxDataTab, chatListId,
                invalidNumberText);
    }

    /**
     * @param value new {@code data-tab} of the search box
     * @return a copy with that value
     */
    public DomVariant withSearchBoxDataTab(String value) {
        return new DomVariant(sendIcon, attachIcon, searchIcon, composeBoxDataTab, value, chatListId,
                invalidNumberText);
    }

    /**
     * @param value new {@code id} of the chat list
     * @return a copy with that value
     */
    public DomVariant withChatListId(String value) {
        return new DomVariant(sendIcon, attachIcon, searchIcon, composeBoxDataTab, searchBoxDataTab, value,
                invalidNumberText);
    }

    /**
     * @param value new text of the invalid-number popup
     * @return a copy with that value
     */
    public DomVariant withInvalidNumberText(String value) {
        return new DomVariant(sendIcon, attachIcon, searchIcon, composeBoxDataTab, searchBoxDataTab, chatListId,
                value);
    }

    private static void requireName(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1-64 characters of [A-Za-z0-9_-]: " + value);
        }
    }
}
