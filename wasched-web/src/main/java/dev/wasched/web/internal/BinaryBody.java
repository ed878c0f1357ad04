package dev.wasched.web.internal;

/** An answer's body as bytes of a given type, written as they are (a console file, a PNG). */
public record BinaryBody(String contentType, byte[] bytes) {
}
