package dev.wasched.whatsapp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileArchiveTest {
    @TempDir
    Path dir;

    private Path profile() throws IOException {
        Path p = dir.resolve("profile");
        write(p, "Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/000003.log", "keys");
        write(p, "Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/CURRENT", "MANIFEST-000001");
        write(p, "Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/LOCK", "");
        write(p, "Default/Local Storage/leveldb/000003.log", "WASimSession");
        write(p, "Default/Cookies", "cookie db");
        write(p, "Default/Network/Cookies", "cookie db (newer place)");
        // Never kept:
        write(p, "Default/Cache/Cache_Data/data_0", "http cache");
        write(p, "Default/Code Cache/js/index", "code cache");
        write(p, "Default/GPUCache/data_1", "gpu cache");
        write(p, "Default/Service Worker/CacheStorage/abc/index", "sw cache storage");
        write(p, "Default/Service Worker/ScriptCache/1", "sw script");
        write(p, "Default/Session Storage/000003.log", "session storage");
        write(p, "Default/History", "history");
        write(p, "GrShaderCache/data_0", "shader cache");
        write(p, "Local State", "{}");
        return p;
    }

    private static void write(Path base, String rel, String content) throws IOException {
        Path f = base.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void keepsWhatALoginNeedsAndNoCaches() throws Exception {
        Path p = profile();
        assertThat(ProfileArchive.files(p).keySet()).containsExactly(
                "Default/Cookies",
                "Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/000003.log",
                "Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/CURRENT",
                "Default/Local Storage/leveldb/000003.log",
                "Default/Network/Cookies");

        Path restored = dir.resolve("restored");
        Files.createDirectories(restored);
        ProfileArchive.unpack(ProfileArchive.pack(p), restored);
        assertThat(Files.readString(restored.resolve("Default/Local Storage/leveldb/000003.log")))
                .isEqualTo("WASimSession");
        assertThat(Files.readString(restored.resolve("Default/IndexedDB/http_127.0.0.1_8080.indexeddb.leveldb/CURRENT")))
                .isEqualTo("MANIFEST-000001");
        for (String never : List.of("Default/Cache", "Default/Code Cache", "Default/GPUCache", "Default/Service Worker",
                "Default/Session Storage", "Default/History", "GrShaderCache", "Local State")) {
            assertThat(restored.resolve(never)).as(never).doesNotExist();
        }
    }

    @Test
    void theSameFilesGiveTheSameBytesAndTheFingerprintSeesChanges() throws Exception {
        Path p = profile();
        byte[] first = ProfileArchive.pack(p);
        assertThat(ProfileArchive.pack(p)).isEqualTo(first);
        assertThat(ProfileArchive.isArchive(first)).isTrue();

        String before = ProfileArchive.fingerprint(p);
        assertThat(ProfileArchive.fingerprint(p)).isEqualTo(before);
        write(p, "Default/Cache/Cache_Data/data_0", "a cache change is no change");
        assertThat(ProfileArchive.fingerprint(p)).isEqualTo(before);
        write(p, "Default/Local Storage/leveldb/000003.log", "WASimSession, longer");
        assertThat(ProfileArchive.fingerprint(p)).isNotEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Default/IndexedDB/../../../escape", "../escape", "/etc/passwd",
            "Default/Local Storage/../../x", "Default/IndexedDB/./x", "Default//IndexedDB/x", "Default\\IndexedDB\\x",
            "C:/Windows/x", "Default/History", "Default/IndexedDBx/y", "Default/IndexedDB/"})
    void unpackingRejectsPathsOutsideTheKeptFolders(String name) throws Exception {
        byte[] evil = archive(Map.of(name, "x"));
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        assertThatThrownBy(() -> ProfileArchive.unpack(evil, target))
                .isInstanceOf(SessionCodec.UnusableSnapshotException.class)
                .hasMessageContaining("entry");
        assertThat(dir.resolve("escape")).doesNotExist();
        try (var files = Files.walk(target)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void unpackingRejectsImpossibleSizesTruncationAndOtherFormats() throws Exception {
        Path target = dir.resolve("target");
        Files.createDirectories(target);
        byte[] huge = raw(out -> {
            out.writeUTF("Default/IndexedDB/x");
            out.writeLong(ProfileArchive.MAX_FILE_BYTES + 1);
        });
        assertThatThrownBy(() -> ProfileArchive.unpack(huge, target)).hasMessageContaining("impossible size");
        byte[] negative = raw(out -> {
            out.writeUTF("Default/IndexedDB/x");
            out.writeLong(-1);
        });
        assertThatThrownBy(() -> ProfileArchive.unpack(negative, target)).hasMessageContaining("impossible size");
        byte[] truncated = raw(out -> {
            out.writeUTF("Default/IndexedDB/x");
            out.writeLong(100);
            out.write(new byte[10]);
        });
        assertThatThrownBy(() -> ProfileArchive.unpack(truncated, target)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ProfileArchive.unpack(SessionCodec.encode("{\"cookies\":[],\"origins\":[]}"), target))
                .isInstanceOf(SessionCodec.UnusableSnapshotException.class).hasMessageContaining("not a browser profile");
        byte[] good = ProfileArchive.pack(profile());
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> ProfileArchive.unpack(cut, target))
                .isInstanceOf(SessionCodec.UnusableSnapshotException.class);
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] raw(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("WSPF".getBytes(StandardCharsets.US_ASCII));
        bytes.write(1);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            body.write(out);
        }
        return bytes.toByteArray();
    }

    private static byte[] archive(Map<String, String> entries) throws IOException {
        return raw(out -> {
            for (var e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeUTF(e.getKey());
                out.writeLong(b.length);
                out.write(b);
            }
            out.writeUTF("");
        });
    }
}
