package dev.wasched.whatsapp.cloud.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorKindTest {
    private static GraphError error(int http, int code) {
        return new GraphError(http, code, 0, "OAuthException", "m", null, null);
    }

    @ParameterizedTest
    @CsvSource({
            "400, 130429, RETRYABLE", "400, 131056, RETRYABLE", "400, 131048, RETRYABLE", "400, 80007, RETRYABLE",
            "400, 4, RETRYABLE", "503, 2, RETRYABLE", "429, -1, RETRYABLE", "503, -1, RETRYABLE",
            "400, 131026, PERMANENT", "400, 131030, PERMANENT", "400, 131047, PERMANENT", "400, 132001, PERMANENT",
            "400, 100, PERMANENT",
            "401, 190, SESSION_LOST", "400, 0, SESSION_LOST", "400, -1, PERMANENT", "403, 10, SESSION_LOST", "403, 200, SESSION_LOST",
            "500, 1, OUTCOME_UNKNOWN", "500, 131000, OUTCOME_UNKNOWN", "502, -1, OUTCOME_UNKNOWN"})
    void codesMapToTheKindOfFailure(int http, int code, ErrorKind kind) {
        // -1: an answer without a Graph error object (a proxy's page)
        GraphError e = code == GraphError.NONE ? GraphError.of(http, new ObjectMapper().createObjectNode())
                : error(http, code);
        assertThat(ErrorKind.of(e)).isEqualTo(kind);
    }

    @Test
    void rateLimitsSayHowLongToHoldBack() {
        assertThat(ErrorKind.coolDown(error(400, ErrorKind.THROUGHPUT))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ErrorKind.coolDown(error(400, ErrorKind.PAIR_RATE))).isEqualTo(Duration.ofSeconds(6));
        assertThat(ErrorKind.coolDown(error(400, 131026))).isZero();
    }

    @Test
    void theGraphErrorObjectIsReadWithItsDetailsAndTrace() throws Exception {
        GraphError e = GraphError.of(400, new ObjectMapper().readTree("{\"error\":{\"message\":\"(#131056) pair rate"
                + " limit hit\",\"type\":\"OAuthException\",\"code\":131056,\"error_data\":{\"messaging_product\":"
                + "\"whatsapp\",\"details\":\"too many messages to the same number\"},\"fbtrace_id\":\"Atrace\"}}"));
        assertThat(e.code()).isEqualTo(131056);
        assertThat(e.describe()).contains("131056").contains("too many messages").contains("Atrace");
    }
}
