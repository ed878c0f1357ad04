package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.whatsapp.SelectorMatch;
import dev.wasched.whatsapp.SelectorProfile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of the page extractors, as the Java side applies them; no browser needed. */
class PageExtractorsTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "ABCD-EFGH         | ABCD-EFGH",
            "A,B,C,D,E,F,G,H   | ABCD-EFGH",
            "abcdefgh          | ABCD-EFGH",
            "' AB CD\nEF GH '  | ABCD-EFGH",
            "K2M4-9XQ7         | K2M4-9XQ7",
            "ABCD-EFG          | ",
            "ABCD-EFGH-I       | ",
            "''                | ",
    })
    void pairingCodesOfEveryShownFormBecomeCanonical(String raw, String canonical) {
        assertThat(PageExtractors.canonicalPairingCode(raw)).isEqualTo(canonical);
    }

    @Test
    void popupWordingsMatchAfterWhitespaceCaseAndPunctuationAreNormalised() {
        List<String> wordings = SelectorProfile.defaults().candidates("invalidNumberText");
        assertThat(PageExtractors.popupSays("Phone number shared via url is invalid.\nOK", wordings)).isTrue();
        assertThat(PageExtractors.popupSays("  PHONE   number shared via LINK is invalid ", wordings)).isTrue();
        assertThat(PageExtractors.popupSays("+49 170 9999999 isn\u2019t on WhatsApp.", wordings)).isTrue();
        assertThat(PageExtractors.popupSays("Couldn't connect to your phone", wordings)).isFalse();
        assertThat(PageExtractors.popupSays("", wordings)).isFalse();
        assertThat(PageExtractors.normalizeText("\u00a0Hello,  World!\n")).isEqualTo("hello, world");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "rgb(0, 123, 252)            | true",
            "rgb(83, 189, 235)           | true",
            "rgba(0, 0, 0, 0.6)          | false",
            "rgba(255, 255, 255, 0.6)    | false",
            "rgb(134, 150, 160)          | false",
            "rgba(0, 123, 252, 0)        | false",
            "currentcolor                | false",
    })
    void onlyAColourWhoseBlueDominatesCountsAsTheReadTick(String colour, boolean blue) {
        assertThat(PageExtractors.isBlue(colour)).isEqualTo(blue);
    }

    @Test
    void aSelectorMatchSaysWhichCandidateMatched() {
        assertThat(new SelectorMatch("sendButton", 1, "button[aria-label=\"Send\"]", 3))
                .hasToString("sendButton: matched candidate 2 `button[aria-label=\"Send\"]`");
        assertThat(SelectorMatch.none("searchBox", 3)).hasToString("searchBox: none of 3 candidates matched");
        assertThat(SelectorMatch.none("searchBox", 3).matched()).isFalse();
        assertThatThrownBy(() -> new SelectorMatch("k", 3, "x", 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
