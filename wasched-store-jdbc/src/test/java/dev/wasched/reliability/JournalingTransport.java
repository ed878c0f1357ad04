package dev.wasched.reliability;

import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.testkit.transport.ForwardingTransport;
import dev.wasched.testkit.transport.RecordingTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RecordingTransport} that also appends the delivery id of every message it sends to a journal file
 * before it returns the receipt: what "reached WhatsApp" from a JVM, readable after that JVM was killed.
 *
 * <p>Each line is one unbuffered write, so it is in the kernel before the engine hears of the send; SIGKILL ends
 * the process, not the kernel, so no fsync is needed for the line to survive. No {@code lookup}: a journal cannot
 * look into the chats another process wrote, so an UNCERTAIN delivery stays UNCERTAIN, never resent.
 */
final class JournalingTransport extends ForwardingTransport {
    private final Journal journal;

    JournalingTransport(RecordingTransport recording, Journal journal) {
        super(recording);
        this.journal = journal;
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        SendReceipt receipt = delegate.send(message);
        journal.append(message.deliveryId());
        return receipt;
    }

    /** One JVM's send journal, shared by its transports. */
    static final class Journal implements AutoCloseable {
        private final FileChannel channel;

        Journal(Path file) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }

        synchronized void append(String deliveryId) {
            ByteBuffer line = ByteBuffer.wrap((deliveryId + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("send journal not written", e);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        /** How often each delivery id appears in the journals; a line cut short by a kill counts as a send too. */
        static Map<String, Integer> sendsPerDelivery(List<Path> journals) throws IOException {
            Map<String, Integer> sends = new HashMap<>();
            for (Path j : journals) {
                if (Files.exists(j)) {
                    for (String line : Files.readAllLines(j, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            sends.merge(line.strip(), 1, Integer::sum);
                        }
                    }
                }
            }
            return sends;
        }

        /** Lines written so far (a cheap progress count while the JVMs run). */
        static long lines(Path journal) throws IOException {
            if (!Files.exists(journal)) {
                return 0;
            }
            long n = 0;
            for (byte b : Files.readAllBytes(journal)) {
                if (b == '\n') {
                    n++;
                }
            }
            return n;
        }
    }
}
