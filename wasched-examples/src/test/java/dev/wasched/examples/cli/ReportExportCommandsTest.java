package dev.wasched.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MessageContent;
import dev.wasched.store.jdbc.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} and {@code export} on an embedded store, through the same entry point as {@code ./wasched}. */
class ReportExportCommandsTest {
    private static final Instant FIRE = Instant.parse("2026-05-04T08:00:00Z");
    @TempDir
    Path dir;
    Path config;
    String scheduleId;

    @BeforeEach
    void aCampaignWithTwoReadOfFourAndOneDead() throws Exception {
        config = dir.resolve("wasched.properties");
        Files.writeString(config, "store.url = h2:" + dir.resolve("db/wasched") + "\ndefaultRegion = DE\n"
                + "zone = Europe/Berlin\naccounts = shop\n");
        CliResult created = CliResult.run("schedule", "-c", config.toString(), "--account", "shop", "--group", "family",
                "--text", "Hello", "--cron", "0 9 * * MON-FRI");
        assertThat(created.code()).as(created.err()).isZero();
        scheduleId = created.out().split(" ")[1];
        try (JdbcStore store = JdbcStore.embedded(dir.resolve("db/wasched"))) {
            Instant now = Instant.now();
            for (int i = 0; i < 5; i++) {
                Delivery d = Delivery.pending(String.format("0190aaaa-0000-7000-8000-%012d", i), scheduleId, FIRE,
                        Recipient.number("+49151000000" + i, ZoneOffset.UTC), "shop",
                        MessageContent.text("the secret text"), now);
                store.deliveries().insertAll(List.of(d));
                if (i == 4) {
                    store.deliveries().update(d.dead("=cmd|' /C calc'!A0", now));
                    continue;
                }
                Delivery sending = d.claimForSending("i1", now);
                Delivery sent = sending.sent("wamid." + i, now, now);
                store.deliveries().update(sending);
                store.deliveries().update(sent);
                if (i < 2) {
                    store.deliveries().update(sent.acknowledged(DeliveryStatus.READ, now));
                }
            }
            store.deliveries().markReplied("0190aaaa-0000-7000-8000-000000000000", now);
        }
    }

    @Test
    void reportPrintsEachOccurrenceAndTheTotalWithTheReadRate() {
        CliResult r = CliResult.run("report", "-c", config.toString(), scheduleId);

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("schedule " + scheduleId + ": 5 deliveries in 1 occurrences");
        assertThat(r.out()).containsPattern("FIRE AT +TOTAL +SENT +READ +DEAD +REPLIED +DELIVERED% +READ% +REPLIED%");
        assertThat(r.out()).containsPattern("2026-05-04T08:00:00Z +5 +2 +2 +1 +1 +50.0% +50.0% +25.0%");
        assertThat(r.out()).containsPattern("TOTAL +5 +2 +2 +1 +1 +50.0% +50.0% +25.0%");

        CliResult later = CliResult.run("report", "-c", config.toString(), scheduleId, "--fire-at",
                "2026-05-05T08:00:00Z");
        assertThat(later.code()).as(later.err()).isZero();
        assertThat(later.out()).containsPattern("TOTAL +0 +0 +- +- +-");

        CliResult unknown = CliResult.run("report", "-c", config.toString(), "no-such-schedule");
        assertThat(unknown.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("no-such-schedule");
    }

    @Test
    void exportWritesCsvToAFileOrStandardOutputWithTheDeliveriesFilters() throws Exception {
        Path file = dir.resolve("out/deliveries.csv");
        Files.createDirectories(file.getParent());
        CliResult toFile = CliResult.run("export", "-c", config.toString(), "--schedule", scheduleId, "-o",
                file.toString());

        assertThat(toFile.code()).as(toFile.err()).isZero();
        assertThat(toFile.out()).contains("exported 5 deliveries to " + file);
        List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("id,schedule_id,fire_at,account,recipient_kind,contact_id,phone,group,status");
        assertThat(lines.get(1)).startsWith("0190aaaa-0000-7000-8000-000000000004," + scheduleId)
                .contains(",'+491510000004,,DEAD,").contains(",'=cmd|' /C calc'!A0,");
        assertThat(String.join("\n", lines)).doesNotContain("the secret text").doesNotContain(",=cmd");

        CliResult dead = CliResult.run("export", "-c", config.toString(), "--status", "DEAD");
        assertThat(dead.code()).as(dead.err()).isZero();
        assertThat(dead.out().split("\r\n")).hasSize(2);
        assertThat(dead.err()).contains("exported 1 deliveries");

        CliResult replied = CliResult.run("export", "-c", config.toString(), "--replied");
        assertThat(replied.out().split("\r\n")).hasSize(2);
        assertThat(replied.out()).contains("0190aaaa-0000-7000-8000-000000000000");

        CliResult unwritable = CliResult.run("export", "-c", config.toString(), "-o",
                dir.resolve("missing-dir/x.csv").toString());
        assertThat(unwritable.code()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unwritable.err()).contains("missing-dir");
    }
}
