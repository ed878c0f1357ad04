package dev.wasched.store.jdbc.internal;

import dev.wasched.message.MediaAttachment;
import dev.wasched.spi.store.MediaRepository;
import java.util.List;
import java.util.Optional;

/** Media bytes in {@code wasched_media}, one row per SHA-256: a file stored again is skipped. */
public final class JdbcMedia implements MediaRepository {
    private static final List<String> COLUMNS = List.of("sha256", "mime_type", "file_name", "size_bytes", "data");

    private final Db db;

    public JdbcMedia(Db db) {
        this.db = db;
    }

    @Override
    public void put(MediaAttachment a, byte[] bytes) {
        db.call("store media", c -> db.dialect().insertIgnoringDuplicates(c, "wasched_media", COLUMNS,
                List.<Object[]>of(new Object[]{a.sha256(), a.mimeType(), a.fileName(), (long) bytes.length, bytes})));
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        return db.call("load media", c ->
                Sql.queryOne(c, "SELECT data FROM wasched_media WHERE sha256 = ?", rs -> rs.getBytes(1), sha256));
    }
}
