package dev.wasched.whatsapp.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A WhatsApp Web session as the browser keeps it: the folders of a Chromium profile that a login needs, packed into
 * one byte array and unpacked into a fresh profile folder.
 *
 * <p>Kept: {@code Default/IndexedDB} (WhatsApp Web's keys are non-extractable {@code CryptoKey} objects there, which
 * only the profile itself carries), {@code Default/Local Storage} (its login data, encrypted with those keys) and the
 * cookie databases. Never kept: caches (HTTP, code, GPU, shader), Service Worker scripts and cache storage, and
 * everything else of the profile.
 *
 * <p>Format: {@code WSPF}, a version byte, then gzip of entries sorted by path: UTF path (relative, {@code /}
 * separated), file length as a long, the bytes; an empty path ends the list. The same files give the same bytes.
 * Unpacking checks every path (relative, no {@code ..}, inside the kept folders) and every size before writing.
 */
public final class ProfileArchive {
    private static final byte[] MAGIC = "WSPF".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    /** The profile folders and files a login needs, relative to the user data directory. */
    static final List<String> KEPT = List.of("Default/IndexedDB", "Default/Local Storage", "Default/Cookies",
            "Default/Cookies-journal", "Default/Network/Cookies", "Default/Network/Cookies-journal");
    /** Never packed, even inside a kept folder. */
    private static final Set<String> SKIPPED_NAMES = Set.of("LOCK", "Cache", "Code Cache", "GPUCache",
            "CacheStorage", "ScriptCache", "Service Worker", "DawnCache", "GrShaderCache", "ShaderCache");
    static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;
    static final int MAX_ENTRIES = 50_000;
    static final int MAX_PATH_CHARS = 1024;
    private static final int PACK_ATTEMPTS = 8;

    /**
     * The browser changed the set of files while they were read (a database compaction wrote a new table and
     * manifest and deleted the old log): the copy could name files it does not hold, which the browser would take
     * for a corrupt database and wipe, login included. Packing starts over.
     */
    static final class ProfileChangedException extends IOException {
        ProfileChangedException(String what) {
            super("the profile changed while it was packed: " + what);
        }
    }

    private ProfileArchive() {
    }

    /** Whether the bytes are a profile archive of this format (not necessarily a sound one). */
    public static boolean isArchive(byte[] snapshot) {
        return snapshot != null && snapshot.length > MAGIC.length
                && Arrays.equals(Arrays.copyOf(snapshot, MAGIC.length), MAGIC);
    }

    /**
     * Packs the kept folders of the profile. The browser may write meanwhile. Its databases (LevelDB) only append to
     * their logs, whose torn last record they drop when they open, so a log that grows while it is read is fine; but a
     * compaction replaces files, and a copy that mixes the files before it with those after it is a corrupt database.
     * So the packing starts over, up to a few times, whenever a file disappeared or appeared while the files were
     * read (a compaction writes a new table and manifest, then deletes the files they replace).
     */
    public static byte[] pack(Path userDataDir) throws IOException {
        IOException last = null;
        for (int i = 0; i < PACK_ATTEMPTS; i++) {
            try {
                return packOnce(userDataDir);
            } catch (NoSuchFileException | ProfileChangedException e) {
                last = e;
                try {
                    Thread.sleep(20L * (i + 1)); // let the compaction finish
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while packing the profile");
                }
            }
        }
        throw last;
    }

    private static byte[] packOnce(Path userDataDir) throws IOException {
        TreeMap<String, Path> files = files(userDataDir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(MAGIC, 0, MAGIC.length);
        bytes.write(VERSION);
        long total = 0;
        // The fastest deflate level: most of a profile is encrypted or random data that no level shrinks, and the
        // snapshot is taken while the page runs.
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 64 * 1024) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        })) {
            for (var e : files.entrySet()) {
                byte[] content = Files.readAllBytes(e.getValue());
                total += content.length;
                if (content.length > MAX_FILE_BYTES || total > MAX_TOTAL_BYTES) {
                    throw new IOException("the browser profile is larger than " + MAX_TOTAL_BYTES
                            + " bytes (or has a file over " + MAX_FILE_BYTES + " bytes): " + e.getKey());
                }
                out.writeUTF(e.getKey());
                out.writeLong(content.length);
                out.write(content);
            }
            out.writeUTF("");
        }
        requireUnchanged(userDataDir, files);
        return bytes.toByteArray();
    }

    /** The kept files are still the same ones as when they were read. */
    private static void requireUnchanged(Path userDataDir, TreeMap<String, Path> read) throws IOException {
        TreeMap<String, Path> now = files(userDataDir);
        if (!now.keySet().equals(read.keySet())) {
            TreeMap<String, Path> added = new TreeMap<>(now);
            added.keySet().removeAll(read.keySet());
            throw new ProfileChangedException(added.isEmpty() ? "a file was removed" : "new " + added.firstKey());
        }
    }

    /**
     * What the next {@link #pack} would hold, cheaply: every kept file's path, size and modification time. Equal
     * fingerprints mean nothing changed.
     */
    public static String fingerprint(Path userDataDir) throws IOException {
        StringBuilder s = new StringBuilder();
        for (var e : files(userDataDir).entrySet()) {
            try {
                BasicFileAttributes a = Files.readAttributes(e.getValue(), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                s.append(e.getKey()).append('\t').append(a.size()).append('\t')
                        .append(a.lastModifiedTime().toMillis()).append('\n');
            } catch (NoSuchFileException gone) {
                s.append(e.getKey()).append("\tgone\n");
            }
        }
        return s.toString();
    }

    /** The regular files of the kept folders, by archive path, sorted. Links are not followed. */
    static TreeMap<String, Path> files(Path userDataDir) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        for (String kept : KEPT) {
            Path root = userDataDir.resolve(kept);
            if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
                files.put(kept, root);
            } else if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.walkFileTree(root, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            return !dir.equals(root) && SKIPPED_NAMES.contains(dir.getFileName().toString())
                                    ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !SKIPPED_NAMES.contains(file.getFileName().toString())) {
                                files.put(archivePath(userDataDir, file), file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                            if (exc instanceof NoSuchFileException) {
                                return FileVisitResult.CONTINUE; // deleted by the browser meanwhile
                            }
                            throw exc;
                        }
                    });
                } catch (NoSuchFileException e) {
                    // the folder went away meanwhile: nothing of it to keep
                }
            }
        }
        if (files.size() > MAX_ENTRIES) {
            throw new IOException("the browser profile has more than " + MAX_ENTRIES + " files to keep");
        }
        return files;
    }

    private static String archivePath(Path base, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path p : base.relativize(file)) {
            parts.add(p.toString());
        }
        return String.join("/", parts);
    }

    /**
     * Unpacks an archive into {@code userDataDir} (an empty, fresh folder).
     *
     * @throws SessionCodec.UnusableSnapshotException when the bytes are not a sound archive: wrong format, truncated,
     *                                                too large, or an entry whose path leaves the kept folders
     */
    public static void unpack(byte[] snapshot, Path userDataDir) throws SessionCodec.UnusableSnapshotException {
        if (!isArchive(snapshot) || snapshot.length <= MAGIC.length + 1 || snapshot[MAGIC.length] != VERSION) {
            throw new SessionCodec.UnusableSnapshotException("it is not a browser profile archive of this format");
        }
        Path base = userDataDir.toAbsolutePath().normalize();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(snapshot,
                MAGIC.length + 1, snapshot.length - MAGIC.length - 1)))) {
            long total = 0;
            int entries = 0;
            String previous = null;
            while (true) {
                String name = in.readUTF();
                if (name.isEmpty()) {
                    break;
                }
                Path target = checkedTarget(base, name);
                if (previous != null && name.compareTo(previous) <= 0) {
                    throw new SessionCodec.UnusableSnapshotException("its entries are not in order at " + name);
                }
                previous = name;
                if (++entries > MAX_ENTRIES) {
                    throw new SessionCodec.UnusableSnapshotException("it has more than " + MAX_ENTRIES + " entries");
                }
                long size = in.readLong();
                total += Math.max(0, size);
                if (size < 0 || size > MAX_FILE_BYTES || total > MAX_TOTAL_BYTES) {
                    throw new SessionCodec.UnusableSnapshotException("its entry " + name + " has an impossible size ("
                            + size + " bytes; at most " + MAX_FILE_BYTES + " per file, " + MAX_TOTAL_BYTES + " in all)");
                }
                Files.createDirectories(target.getParent());
                copy(in, target, size);
            }
            if (in.read() != -1) {
                throw new SessionCodec.UnusableSnapshotException("it has data after its last entry");
            }
        } catch (EOFException e) {
            throw new SessionCodec.UnusableSnapshotException("it is truncated");
        } catch (IOException e) {
            throw new SessionCodec.UnusableSnapshotException("it cannot be unpacked: " + e.getMessage());
        }
    }

    /** Where an entry goes, after checking that its path stays inside one of the kept folders. */
    static Path checkedTarget(Path base, String name) throws SessionCodec.UnusableSnapshotException {
        boolean plain = name.length() <= MAX_PATH_CHARS && !name.startsWith("/") && !name.contains("\\")
                && !name.contains("\0") && !name.contains(":") && !name.endsWith("/");
        if (plain) {
            for (String part : name.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    plain = false;
                    break;
                }
            }
        }
        boolean kept = plain && KEPT.stream().anyMatch(k -> name.equals(k) || name.startsWith(k + "/"));
        if (!kept) {
            throw new SessionCodec.UnusableSnapshotException("its entry '" + printable(name)
                    + "' is not a relative path inside the kept profile folders");
        }
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new SessionCodec.UnusableSnapshotException("its entry '" + printable(name) + "' leaves the profile");
        }
        return target;
    }

    private static String printable(String s) {
        String v = s.replaceAll("[^\\x20-\\x7e]", "?");
        return v.length() > 80 ? v.substring(0, 80) + "..." : v;
    }

    private static void copy(InputStream in, Path target, long size) throws IOException {
        try (var out = Files.newOutputStream(target)) {
            byte[] buf = new byte[64 * 1024];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException();
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }

}
