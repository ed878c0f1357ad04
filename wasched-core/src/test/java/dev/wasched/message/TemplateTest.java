package dev.wasched.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.ValidationException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static Template template(String body) {
        return new Template("promo", body, Instant.EPOCH, Instant.EPOCH, 1);
    }

    @Test
    void rendersPlaceholdersWithOptionalSpaces() {
        Template t = template("Hi {{name}}, {{ discount }} off with {{code}}. {{name}}!");
        assertThat(t.variables()).containsExactly("name", "discount", "code");
        assertThat(t.render(Map.of("name", "Ann", "discount", "10%", "code", "$1\\x")))
                .isEqualTo("Hi Ann, 10% off with $1\\x. Ann!");
    }

    @Test
    void missingVariableIsNamed() {
        assertThatThrownBy(() -> template("Hi {{name}}, code {{code}}").render(Map.of("name", "Ann")))
                .isInstanceOf(MissingTemplateVariableException.class)
                .hasMessageContaining("'code'")
                .hasMessageContaining("'promo'")
                .satisfies(e -> assertThat(((MissingTemplateVariableException) e).variable()).isEqualTo("code"));
    }

    @Test
    void malformedPlaceholdersAndBadNamesAreRejected() {
        assertThatThrownBy(() -> template("Hi {{name")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("malformed placeholder");
        assertThatThrownBy(() -> template("Hi {{ two words }}")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new Template("Bad Name", "x", Instant.EPOCH, Instant.EPOCH, 1))
                .isInstanceOf(ValidationException.class).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> template(" ")).isInstanceOf(ValidationException.class).hasMessageContaining("empty");
    }

    @Test
    void messageContentLimits() {
        assertThat(MessageContent.text("x".repeat(MessageContent.MAX_TEXT)).text()).hasSize(65_536);
        assertThatThrownBy(() -> MessageContent.text("x".repeat(MessageContent.MAX_TEXT + 1)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("65537").hasMessageContaining("65536");
        assertThatThrownBy(() -> MessageContent.text("  ")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("empty");
        MediaAttachment m = new MediaAttachment("a".repeat(64), "image/jpeg", "a.jpg", 10);
        assertThat(MessageContent.media(m, "").hasMedia()).isTrue();
    }
}
