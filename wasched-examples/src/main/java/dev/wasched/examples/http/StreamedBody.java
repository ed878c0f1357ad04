package dev.wasched.examples.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A body too large to hold, handed from the worker that makes it to the I/O thread that sends it, a chunk at a time.
 * The worker reads the store (never interrupted); the I/O thread writes to the socket, and the client has the I/O
 * time-out for each chunk, not for the whole body. At most {@value #QUEUED} chunks wait between the two, each about
 * {@value #CHUNK} characters or what the maker wrote before it flushed: memory stays bounded whatever the size.
 */
final class StreamedBody {
    /** What makes the body: writes it to {@code out}, flushing where a chunk may go out. */
    @FunctionalInterface
    interface Maker {
        void writeTo(Writer out) throws IOException;
    }

    static final int CHUNK = 64 * 1024;
    static final int QUEUED = 2;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED);
    private final Maker maker;
    private final String contentType;
    private final Duration wait;
    private volatile boolean abandoned;
    private volatile Exception failure;

    /** @param wait how long either side waits for the other before it gives up */
    StreamedBody(Maker maker, String contentType, Duration wait) {
        this.maker = maker;
        this.contentType = contentType;
        this.wait = wait;
    }

    String contentType() {
        return contentType;
    }

    /** On a worker: makes the body into chunks; a failure is handed to the sending side, which aborts the answer. */
    void make() {
        // Not try-with-resources: closing hands over the end, which must not come before a failure is known.
        ChunkWriter out = new ChunkWriter();
        try {
            maker.writeTo(out);
            out.close();
        } catch (Exception e) {
            failure = e;
            chunks.offer(END); // room or not: the sender also stops at its time-out
        }
    }

    /**
     * On the I/O thread: sends the chunks as they come. {@code beforeWrite} runs before each chunk is written (the
     * client's turn starts), {@code afterWrite} after it (the server's turn again).
     *
     * @throws IOException when the maker failed, took longer than the wait, or the client went away: the answer is
     *                     then incomplete and the connection must be dropped, not closed as if done
     */
    void sendTo(OutputStream body, Turns turns) throws IOException {
        try {
            while (true) {
                byte[] chunk = chunks.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
                if (chunk == null) {
                    throw new IOException("no part of the answer within " + wait);
                }
                if (chunk == END) {
                    if (failure != null) {
                        throw new IOException("the answer could not be made", failure);
                    }
                    return;
                }
                turns.clientTurn();
                body.write(chunk);
                body.flush();
                turns.serverTurn();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending the answer", e);
        } finally {
            abandon();
        }
    }

    /** Stops the maker at its next chunk (the client went away or was cut off). */
    void abandon() {
        abandoned = true;
        chunks.clear();
    }

    /** The switches between the client's and the server's turn (see {@link ClientIo}). */
    interface Turns {
        void clientTurn() throws IOException;

        void serverTurn() throws IOException;
    }

    /** Collects characters and hands them over as UTF-8 chunks on flush, when full, and at the end. */
    private final class ChunkWriter extends Writer {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            buffer.append(cbuf, off, len);
            if (buffer.length() >= CHUNK) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (!buffer.isEmpty()) {
                // The end of a chunk may split a surrogate pair of an emoji: keep its first half for the next.
                int end = Character.isHighSurrogate(buffer.charAt(buffer.length() - 1)) ? buffer.length() - 1
                        : buffer.length();
                hand(buffer.substring(0, end).getBytes(StandardCharsets.UTF_8));
                buffer.delete(0, end);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
            hand(END);
        }

        private void hand(byte[] chunk) throws IOException {
            try {
                if (abandoned || !chunks.offer(chunk, wait.toNanos(), TimeUnit.NANOSECONDS) || abandoned) {
                    throw new IOException("the client stopped taking the answer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while handing the answer over", e);
            }
        }
    }
}
