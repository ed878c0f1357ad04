package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's files as a shell with umask 022 leaves them: each command in a JVM of its own. Directories
 * wasched creates are 0700 and the database files 0600, so neither the data nor the key in H2's lock file (which lets
 * other processes in) can be read by other users.
 */
class EmbeddedStoreFilesTest {
    @TempDir
    Path dir;

    private CliResult cli(Path config, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-c";
        all[args.length + 1] = config.toString();
        return ForkedCli.run(dir, Map.of(), all);
    }

    @Test
    void directoriesItCreatesAre0700AndTheDatabaseFiles0600() throws Exception {
        Path data = dir.resolve("var/lib/data");
        Path config = Files.writeString(dir.resolve("wasched.properties"),
                "store.url = h2:" + data.resolve("wasched") + "\ndefaultRegion = DE\naccounts = shop\n");
        CliResult r = cli(config, "schedule", "--account", "shop", "--to", "0151 2345 6701", "--text", "hi",
                "--cron", "0 9 * * *");
        assertThat(r.code()).as(r.err()).isZero();
        for (Path p : new Path[]{dir.resolve("var"), dir.resolve("var/lib"), data}) {
            assertThat(ForkedCli.mode(p)).as(p.toString()).isEqualTo("rwx------");
        }
        assertThat(ForkedCli.mode(data.resolve("wasched.mv.db"))).isEqualTo("rw-------");
        assertThat(Files.exists(data.resolve("wasched.lock.db"))).as("closed on exit").isFalse();
        assertThat(Files.exists(data.resolve(SessionKeys.FILE_NAME))).as("only commands that run accounts need a key")
                .isFalse();
        assertThat(r.err()).doesNotContain("open to other users");
    }

    @Test
    void filesOfAnOlderDatabaseAreMadePrivateAndAnOpenDirectoryIsReported() throws Exception {
        Path data = Files.createDirectories(dir.resolve("shared"));
        Path config = Files.writeString(dir.resolve("wasched.properties"), "store.url = h2:" + data.resolve("wasched")
                + "\n");
        assertThat(cli(config, "status").code()).isZero();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("wasched.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        CliResult r = cli(config, "status");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(ForkedCli.mode(data.resolve("wasched.mv.db"))).isEqualTo("rw-------");
        assertThat(ForkedCli.mode(data)).as("a directory it did not create is left alone").isEqualTo("rwxr-xr-x");
        assertThat(r.err()).contains("WARN").contains(data + " holding the H2 database is open to other users");
    }
}
