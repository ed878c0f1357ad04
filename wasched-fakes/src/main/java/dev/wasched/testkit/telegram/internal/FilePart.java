package dev.wasched.testkit.telegram.internal;

import java.util.Arrays;

/**
 * A file uploaded in a multipart/form-data request. Internal.
 *
 * @param fieldName   the form field that carried the file
 * @param fileName    the file name from Content-Disposition (may be {@code null})
 * @param contentType the part's content type (may be {@code null})
 * @param bytes       the file content
 */
public record FilePart(String fieldName, String fileName, String contentType, byte[] bytes) {
    public FilePart {
        bytes = bytes == null ? new byte[0] : bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilePart other
                && java.util.Objects.equals(fieldName, other.fieldName)
                && java.util.Objects.equals(fileName, other.fileName)
                && java.util.Objects.equals(contentType, other.contentType)
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(fieldName, fileName, contentType) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "FilePart[fieldName=" + fieldName + ", fileName=" + fileName + ", contentType=" + contentType
                + ", size=" + bytes.length + "]";
    }
}
