package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.whatsapp.internal.WhatsAppWebPage.Bubble;
import dev.wasched.whatsapp.internal.WhatsAppWebPage.Match;
import org.junit.jupiter.api.Test;

/** What the page does to a text, and what still counts as showing the text that was entered. */
class MessageTextTest {

    @Test
    void formattingMarkersAreNotShown() {
        String entered = "*Sale* starts _today_, ~not~ tomorrow: ```CODE42```";
        assertThat(MessageText.sameAsShown(entered, "Sale starts today, not tomorrow: CODE42", false)).isTrue();
        assertThat(MessageText.sameAsShown(entered, entered, false)).as("a page that shows them as typed").isTrue();
    }

    @Test
    void emojiAltTextAndWhitespaceAsThePageDrawsThem() {
        String entered = "Thanks \u2764\ufe0f see you\nat 5 \ud83d\udc4d\ud83c\udffd";
        // Alt text without the variation selector, no-break spaces, the line break as a space.
        assertThat(MessageText.sameAsShown(entered, "Thanks \u2764\u00a0see you at\u00a05 \ud83d\udc4d\ud83c\udffd", false))
                .isTrue();
    }

    @Test
    void aTextCutBehindReadMoreMatchesByItsStart() {
        String entered = "x".repeat(2_000) + " the end";
        assertThat(MessageText.sameAsShown(entered, "x".repeat(700) + "\u2026", true)).isTrue();
        assertThat(MessageText.sameAsShown(entered, "x".repeat(700), false)).as("not cut: must be all of it").isFalse();
        assertThat(MessageText.sameAsShown(entered, "y".repeat(700), true)).isFalse();
        assertThat(MessageText.sameAsShown(entered, "", true)).as("nothing shown proves nothing").isFalse();
    }

    @Test
    void anotherTextDoesNotMatch() {
        assertThat(MessageText.sameAsShown("Take your pills", "Take your pills later", false)).isFalse();
        assertThat(new Match("Take *your* pills", null).matches(new Bubble("id", null, "Take your pills", null)))
                .isTrue();
        assertThat(new Match("Take your pills", "a.pdf").matches(new Bubble("id", null, "Take your pills", null)))
                .as("the file name counts").isFalse();
    }
}
