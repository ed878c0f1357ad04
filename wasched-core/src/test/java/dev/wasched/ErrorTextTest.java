package dev.wasched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.internal.redact.ErrorText;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
    @Test
    void urlsAndQueriesAreRemovedAndLongTextsCut() {
        String raw = "navigation to https://web.whatsapp.com/send?phone=4915100000001&text=Happy%20birthday failed;"
                + " retry at /send?phone=491510 and ?text=secret";
        String clean = ErrorText.clean(raw);
        assertThat(clean).doesNotContain("4915100000001", "Happy", "text=", "secret", "phone=", "https://")
                .contains("navigation to <url> failed");
        assertThat(ErrorText.clean("x".repeat(2000))).hasSize(ErrorText.MAX_LENGTH);
        assertThat(ErrorText.clean(null)).isNull();
        assertThat(ErrorText.clean("the chat did not open within 30 s")).isEqualTo("the chat did not open within 30 s");
    }
}
