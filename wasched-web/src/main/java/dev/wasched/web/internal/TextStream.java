package dev.wasched.web.internal;

import java.io.IOException;

/** An answer written as text while it is made (a CSV export), rather than built whole in memory first. */
public record TextStream(String contentType, Writing writing) {
    @FunctionalInterface
    public interface Writing {
        void to(java.io.Writer out) throws IOException;
    }
}
