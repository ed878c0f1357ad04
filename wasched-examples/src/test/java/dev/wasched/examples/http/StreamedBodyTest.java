package dev.wasched.examples.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-off between the worker that makes a streamed answer and the I/O thread that sends it. */
class StreamedBodyTest {
    private static final StreamedBody.Turns NO_TURNS = new StreamedBody.Turns() {
        @Override
        public void clientTurn() {
        }

        @Override
        public void serverTurn() {
        }
    };

    @Test
    void everyCharacterArrivesInOrderInBoundedChunks() throws Exception {
        String row = "0190,Köln 👋,\"quoted\"\r\n";
        StreamedBody body = new StreamedBody(out -> {
            for (int i = 0; i < 20_000; i++) {
                out.write(row);
                if (i % 500 == 499) {
                    out.flush();
                }
            }
        }, "text/csv", Duration.ofSeconds(30));
        List<Integer> chunks = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        CompletableFuture<Void> maker = CompletableFuture.runAsync(body::make);

        body.sendTo(new OutputStream() {
            @Override
            public void write(int b) {
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                chunks.add(len);
                all.write(b, off, len);
            }
        }, NO_TURNS);

        maker.get(30, TimeUnit.SECONDS);
        assertThat(all.toString(StandardCharsets.UTF_8)).isEqualTo(row.repeat(20_000));
        assertThat(chunks).hasSizeGreaterThan(1)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4 * (StreamedBody.CHUNK + row.length())));
    }

    @Test
    void aFailureOfTheMakerReachesTheSenderAfterWhatWasMade() {
        StreamedBody body = new StreamedBody(out -> {
            out.write("first page\r\n");
            out.flush();
            throw new IOException("the database went away");
        }, "text/csv", Duration.ofSeconds(30));
        CompletableFuture.runAsync(body::make);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        assertThatThrownBy(() -> body.sendTo(sent, NO_TURNS)).isInstanceOf(IOException.class)
                .hasRootCauseMessage("the database went away");
        assertThat(sent.toString(StandardCharsets.UTF_8)).isEqualTo("first page\r\n");
    }

    @Test
    void aClientThatGoesAwayStopsTheMaker() throws Exception {
        StreamedBody body = new StreamedBody(out -> {
            while (true) {
                out.write("x".repeat(1000));
            }
        }, "text/csv", Duration.ofSeconds(30));
        CompletableFuture<Void> maker = CompletableFuture.runAsync(body::make);

        assertThatThrownBy(() -> body.sendTo(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        }, NO_TURNS)).hasMessage("connection reset");

        maker.get(30, TimeUnit.SECONDS); // returns: the maker stopped at its next chunk
    }
}
