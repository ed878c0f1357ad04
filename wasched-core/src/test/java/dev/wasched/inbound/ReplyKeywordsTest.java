package dev.wasched.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplyKeywordsTest {

    @Test
    void aWholeMessageMatchesWhateverItsCaseAccentsSpacesAndPunctuation() {
        ReplyKeywords k = ReplyKeywords.DEFAULT;
        assertThat(k.optsOut("STOP")).isTrue();
        assertThat(k.optsOut(" stop! ")).isTrue();
        assertThat(k.optsOut("Stopp.")).isTrue();
        assertThat(k.optsOut("arrêt")).isTrue();
        assertThat(k.optsOut("Baja")).isTrue();
        assertThat(k.optsOut("\u00a0Unsubscribe\u00a0")).as("no-break spaces too").isTrue();
        assertThat(k.optsIn("Start")).isTrue();
    }

    @Test
    void aWordInsideALongerMessageIsNoKeyword() {
        ReplyKeywords k = ReplyKeywords.DEFAULT;
        assertThat(k.optsOut("please stop")).isFalse();
        assertThat(k.optsOut("stop it")).isFalse();
        assertThat(k.optsOut("")).isFalse();
        assertThat(k.optsOut(null)).isFalse();
        assertThat(k.optsIn("stop")).isFalse();
        assertThat(ReplyKeywords.NONE.optsOut("stop")).isFalse();
    }

    @Test
    void ownWordsAreNormalisedAndContradictionsRefused() {
        ReplyKeywords k = new ReplyKeywords(Set.of("  Désabonner "), Set.of("oui"));
        assertThat(k.optOut()).containsExactly("DESABONNER");
        assertThat(k.optsOut("desabonner")).isTrue();
        assertThatThrownBy(() -> new ReplyKeywords(Set.of("stop"), Set.of("STOP")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> new ReplyKeywords(Set.of(" ! "), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }

    @Test
    void confirmationsAreOptionalPlainTexts() {
        assertThat(ReplyKeywords.DEFAULT.optOutConfirmation()).isNull();
        ReplyKeywords k = ReplyKeywords.DEFAULT.withOptOutConfirmation("Bye").withOptInConfirmation("Welcome back");
        assertThat(k.optOut()).isEqualTo(ReplyKeywords.DEFAULT.optOut());
        assertThat(k.optOutConfirmation()).isEqualTo("Bye");
        assertThat(k.optInConfirmation()).isEqualTo("Welcome back");
        assertThat(k.withOptOutConfirmation(null).optOutConfirmation()).isNull();
        assertThatThrownBy(() -> ReplyKeywords.DEFAULT.withOptOutConfirmation(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optOutConfirmation");
        assertThatThrownBy(() -> ReplyKeywords.DEFAULT.withOptInConfirmation("Hi {{name}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("placeholder");
    }
}
