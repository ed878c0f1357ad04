package dev.wasched.internal.imports;

import static dev.wasched.contact.imports.ImportFileException.Problem.MALFORMED;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.wasched.contact.imports.ContactImporter;
import dev.wasched.contact.imports.ImportFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV rows through Jackson's streaming CSV parser: one token at a time, so neither a long file nor a row with very
 * many columns is ever held in memory whole.
 */
final class CsvRowReader implements RowReader {
    /**
     * Stands in for bytes that are not valid in the character set. A noncharacter no real text contains, unlike
     * U+FFFD, which a correctly encoded file may hold on purpose.
     */
    static final char INVALID = '\uFFFF';

    private static final CsvFactory FACTORY = CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(ContactImporter.MAX_VALUE_LENGTH).build())
            .build();

    private final CsvParser parser;
    private boolean started;

    CsvRowReader(Path file, Detected detected) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            in.skipNBytes(detected.skipBytes());
            CharsetDecoder decoder = detected.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .replaceWith(String.valueOf(INVALID));
            parser = FACTORY.createParser(new BufferedReader(new InputStreamReader(in, decoder), 64 * 1024));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(detected.separator()));
        // Every record as an array of strings, whatever its width: the mapping gives columns their meaning.
        parser.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    }

    @Override
    public RawRow next() throws IOException {
        try {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
            }
            JsonToken t = parser.nextToken();
            if (t != JsonToken.START_ARRAY) {
                return null; // the end of the outer array: no more records
            }
            List<String> cells = new ArrayList<>();
            int count = 0;
            long line = -1;
            while ((t = parser.nextToken()) == JsonToken.VALUE_STRING) {
                if (line < 0) {
                    line = parser.currentTokenLocation().getLineNr();
                }
                if (count++ < KEEP_CELLS) {
                    cells.add(parser.getText());
                }
            }
            if (t != JsonToken.END_ARRAY) {
                throw new ImportFileException(MALFORMED, lineOf(parser.currentLocation()), "unexpected " + t, null);
            }
            return new RawRow(line < 0 ? lineOf(parser.currentLocation()) : line, List.copyOf(cells), count);
        } catch (StreamConstraintsException e) {
            throw new ImportFileException(MALFORMED, lineOf(parser.currentLocation()),
                    "a value longer than " + ContactImporter.MAX_VALUE_LENGTH + " characters (an unclosed quote?)", e);
        } catch (JsonProcessingException e) {
            throw new ImportFileException(MALFORMED, lineOf(e.getLocation() != null ? e.getLocation() : parser.currentLocation()),
                    "not valid CSV: " + e.getOriginalMessage(), e);
        }
    }

    private static long lineOf(JsonLocation location) {
        return location == null ? -1 : location.getLineNr();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
