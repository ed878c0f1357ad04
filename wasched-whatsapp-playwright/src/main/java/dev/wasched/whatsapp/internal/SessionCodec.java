package dev.wasched.whatsapp.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The session snapshots earlier versions of this transport stored: a short header, then Playwright's storage state
 * JSON (cookies, localStorage and IndexedDB), gzipped. Such a snapshot cannot carry WhatsApp Web's non-extractable
 * {@code CryptoKey}s (storage state writes them as {@code {}}); it is read only to be tried once and then replaced by a
 * {@link ProfileArchive}, or quarantined.
 */
public final class SessionCodec {
    private static final byte[] MAGIC = "WSPW".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    /** A decompressed state larger than this is refused rather than loaded (a corrupt length could ask for anything). */
    private static final int MAX_STATE_BYTES = 512 * 1024 * 1024;
    /** Without Jackson's default limits, which a large IndexedDB may exceed where the browser would not refuse it. */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(MAX_STATE_BYTES).maxNumberLength(MAX_STATE_BYTES).maxNestingDepth(MAX_STATE_BYTES)
            .build()).build();
    /** What Playwright needs of a storage state (it writes both arrays itself); other fields pass unchecked. */
    private static final Shape STORAGE_STATE = new Shape(Map.of(
            "cookies", Field.arrayOf(new Shape(Map.of(
                    "name", Field.string(),
                    "value", Field.string()))),
            "origins", Field.arrayOf(new Shape(Map.of(
                    "origin", Field.string(),
                    "localStorage", Field.optionalArray(),
                    "indexedDB", Field.optionalArray())))));

    private SessionCodec() {
    }

    public static byte[] encode(String storageStateJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC, 0, MAGIC.length);
        out.write(VERSION);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(storageStateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The storage state JSON of a snapshot.
     *
     * @throws UnusableSnapshotException when the bytes are not a snapshot of this format, or do not hold a well-formed
     *                                   storage state; the message says which
     */
    public static String decode(byte[] snapshot) throws UnusableSnapshotException {
        if (snapshot == null || snapshot.length <= MAGIC.length + 1
                || !Arrays.equals(Arrays.copyOf(snapshot, MAGIC.length), MAGIC) || snapshot[MAGIC.length] != VERSION) {
            throw new UnusableSnapshotException("it is not a WhatsApp Web session snapshot of this format");
        }
        String text;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(snapshot, MAGIC.length + 1,
                snapshot.length - MAGIC.length - 1))) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                json.write(buf, 0, n);
                if (json.size() > MAX_STATE_BYTES) {
                    throw new UnusableSnapshotException("its storage state is larger than " + MAX_STATE_BYTES
                            + " bytes");
                }
            }
            text = json.toString(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new UnusableSnapshotException("it cannot be unpacked: " + e.getMessage());
        }
        checkStorageState(text);
        return text;
    }

    /**
     * Checks that the text has the shape of Playwright's storage state, so a snapshot the browser would refuse is
     * found before the browser sees it. Read as a stream, not as a tree: the IndexedDB inside can be large.
     */
    private static void checkStorageState(String json) throws UnusableSnapshotException {
        try (JsonParser p = JSON.createParser(json)) {
            require(p.nextToken() == JsonToken.START_OBJECT, "is not a JSON object");
            checkObject(p, "", STORAGE_STATE);
            require(p.nextToken() == null, "has more text after its JSON object");
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            int detail = problem.indexOf(" ("); // where the open array or object began: noise in a one-line reason
            JsonLocation at = e.getLocation();
            throw new UnusableSnapshotException("its storage state is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + (detail > 0 ? problem.substring(0, detail) : problem));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a parser over a string does no I/O
        }
    }

    /** Reads the object the parser is at, up to its end, checking the fields the shape names. */
    private static void checkObject(JsonParser p, String path, Shape shape)
            throws IOException, UnusableSnapshotException {
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            Field field = shape.fields().get(name);
            if (field == null) {
                p.skipChildren();
                continue;
            }
            String at = path.isEmpty() ? name : path + "." + name;
            require(value == field.type(), "field " + at + " is not "
                    + (field.type() == JsonToken.START_ARRAY ? "an array" : "a string"));
            seen.add(name);
            if (field.entries() != null) {
                checkEntries(p, at, field.entries());
            } else {
                p.skipChildren();
            }
        }
        for (Map.Entry<String, Field> e : shape.fields().entrySet()) {
            require(!e.getValue().required() || seen.contains(e.getKey()),
                    (path.isEmpty() ? "" : "field " + path + " ") + "has no " + e.getKey());
        }
    }

    /** Reads the array the parser is at, up to its end: every entry an object of the shape. */
    private static void checkEntries(JsonParser p, String path, Shape shape)
            throws IOException, UnusableSnapshotException {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String entry = path + "[" + i++ + "]";
            require(p.currentToken() == JsonToken.START_OBJECT, "field " + entry + " is not an object");
            checkObject(p, entry, shape);
        }
    }

    private static void require(boolean condition, String problem) throws UnusableSnapshotException {
        if (!condition) {
            throw new UnusableSnapshotException("its storage state " + problem);
        }
    }

    /** The fields an object of the storage state must or may have. */
    private record Shape(Map<String, Field> fields) {
    }

    /** A field's JSON type, whether it must be there, and the shape of its entries when it is an array of objects. */
    private record Field(JsonToken type, boolean required, Shape entries) {
        static Field string() {
            return new Field(JsonToken.VALUE_STRING, true, null);
        }

        static Field arrayOf(Shape entries) {
            return new Field(JsonToken.START_ARRAY, true, entries);
        }

        static Field optionalArray() {
            return new Field(JsonToken.START_ARRAY, false, null);
        }
    }

    /** A stored snapshot this transport cannot restore; the message says what is wrong with it. */
    public static final class UnusableSnapshotException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnusableSnapshotException(String problem) {
            super(problem);
        }
    }
}
