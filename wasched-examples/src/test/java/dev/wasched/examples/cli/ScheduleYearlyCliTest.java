package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wasched schedule --yearly-on FIELD --at HH:mm}: birthday and anniversary messages from the command line. */
class ScheduleYearlyCliTest {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("wasched.properties");
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\ndefaultRegion = DE\nzone = Europe/Berlin\n"
                + "accounts = shop\n");
    }

    @Test
    void aBirthdayScheduleForATag() {
        CliResult created = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--tag", "friends",
                "--text", "Happy birthday, {{name}}!", "--yearly-on", "birthday", "--at", "09:00");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("every year on each contact's birthday at 09:00");
    }

    @Test
    void aYearlyScheduleNeedsATimeAndContacts() {
        CliResult noTime = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--tag", "friends",
                "--text", "x", "--yearly-on", "birthday");
        assertThat(noTime.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(noTime.err()).contains("--at 09:00");
        CliResult badTime = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--tag", "friends",
                "--text", "x", "--yearly-on", "birthday", "--at", "9 o'clock");
        assertThat(badTime.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badTime.err()).contains("'9 o'clock'");
        CliResult group = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--group", "Team",
                "--text", "x", "--yearly-on", "birthday", "--at", "09:00");
        assertThat(group.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(group.err()).contains("group").contains("birthday");
        CliResult nothing = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--tag", "friends",
                "--text", "x");
        assertThat(nothing.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(nothing.err()).contains("--yearly-on");
    }
}
