package dev.wasched.store.jdbc.internal;

import dev.wasched.spi.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.h2.engine.SysProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded H2 database's files and URL: a private directory (0700 when wasched creates it), private files
 * (0600), and H2's automatic mixed mode so that other processes on this machine (the command line next to a running
 * instance) can use the database while it is open, through a TCP port bound to the loopback address only.
 */
public final class EmbeddedH2 {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedH2.class);
    /** H2's system property for the address its servers bind to (read once, when H2 is first used in a JVM). */
    public static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private EmbeddedH2() {
    }

    /**
     * The JDBC URL of the database {@code name} (an absolute path without extension).
     *
     * <p>{@code WRITE_DELAY=0}: a commit reaches the file at once, not up to half a second later, so a killed process
     * loses no committed work (a SENT mark lost in a crash would mean a message sent twice). {@code AUTO_SERVER=TRUE}
     * (when {@code shared}): the first process opens the file itself and starts a TCP server for it; the port and a
     * random key go into the {@code .lock.db} file, through which other processes connect instead of failing with
     * "database already in use".
     */
    public static String url(String name, boolean shared) {
        return "jdbc:h2:file:" + name + ";WRITE_DELAY=0" + (shared ? ";AUTO_SERVER=TRUE" : "");
    }

    /**
     * Whether H2's automatic mixed mode may be used: its TCP server accepts connections from other hosts and binds to
     * every interface unless {@value #BIND_ADDRESS_PROPERTY} names an address. That property is set here to
     * 127.0.0.1 unless the JVM already has it; it only takes effect when H2 was not used in this JVM before. Answers
     * true only when H2 will bind to a loopback address.
     */
    public static synchronized boolean serverOnLoopback() {
        try {
            if (System.getProperty(BIND_ADDRESS_PROPERTY) == null) {
                System.setProperty(BIND_ADDRESS_PROPERTY, "127.0.0.1");
            }
        } catch (SecurityException e) {
            // left as it is; the check below tells what H2 will do
        }
        String bind = SysProperties.BIND_ADDRESS;
        boolean loopback;
        try {
            loopback = bind != null && !bind.isEmpty() && InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            log.info("the embedded H2 database is not shared with other processes: H2's server would bind to {} "
                    + "(start the JVM with -D{}=127.0.0.1 to let the command line use it while it is open)",
                    bind == null || bind.isEmpty() ? "every interface" : bind, BIND_ADDRESS_PROPERTY);
        }
        return loopback;
    }

    /**
     * Creates the missing directories up to {@code dir}, each readable only by its owner (0700, whatever the
     * umask). A directory that exists already is left as it is, with a warning when other users can enter it.
     */
    public static void createPrivateDirectories(Path dir) {
        if (dir == null) {
            return;
        }
        Path absolute = dir.toAbsolutePath().normalize();
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        try {
            for (Path p : missing) {
                try {
                    if (posix(p.getParent())) {
                        Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
                        Files.setPosixFilePermissions(p, PRIVATE_DIRECTORY); // exactly 0700, whatever the umask
                    } else {
                        Files.createDirectory(p);
                    }
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                    // made by someone else at the same moment: theirs, left as it is
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory " + absolute + ": " + e.getMessage(), e);
        }
        if (missing.isEmpty() && posix(absolute)) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(absolute);
                if (perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
                    log.warn("the directory {} holding the H2 database is open to other users ({}); its files are "
                            + "made private, but files H2 adds later are not: chmod 700 {}", absolute,
                            PosixFilePermissions.toString(perms), absolute);
                }
            } catch (IOException e) {
                // cannot tell: nothing to warn about
            }
        }
    }

    /**
     * Makes the database's files private (0600): {@code NAME.mv.db}, the {@code NAME.lock.db} that holds the server
     * key, {@code NAME.trace.db} and H2's temporary files, as far as they exist now and belong to this user.
     */
    public static void restrictFiles(String name) {
        Path base = Path.of(name);
        Path dir = base.getParent();
        if (dir == null || !posix(dir)) {
            return;
        }
        String prefix = base.getFileName().toString() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && (f.endsWith(".db") || f.contains(".db."));
        })) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                            && !Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE_FILE)) {
                        Files.setPosixFilePermissions(f, PRIVATE_FILE);
                    }
                } catch (IOException e) {
                    // gone in the meantime (a lock file at close), or another user's: the directory protects it
                    log.debug("cannot make {} private: {}", f, e.toString());
                }
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", dir, e.toString());
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
