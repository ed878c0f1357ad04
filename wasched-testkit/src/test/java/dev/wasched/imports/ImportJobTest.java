package dev.wasched.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.PageRequest;
import dev.wasched.WaschedException;
import dev.wasched.contact.Contact;
import dev.wasched.contact.imports.ColumnMapping;
import dev.wasched.contact.imports.ImportJob;
import dev.wasched.contact.imports.ImportProgress;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.ContactRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Imports as jobs of a running wasched: they never hold the caller, can be followed and cancelled by id, stop when
 * wasched closes, and an import cut short (cancelled, or the store failing mid-file) keeps what it wrote; running
 * the same file again gives the same contacts as one uninterrupted run.
 */
class ImportJobTest extends ContactJobFixture {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** 100 customers; every 7th exists already with other data, so UPDATE and SKIP differ. */
    private Path customers() throws Exception {
        StringBuilder sb = new StringBuilder("Phone,Name,City,Tags\n");
        for (int i = 0; i < 100; i++) {
            sb.append("0151 1000").append(String.format("%04d", i)).append(",Customer ").append(i).append(",City ")
                    .append(i % 3).append(",").append(i % 2 == 0 ? "even" : "odd").append('\n');
            if (i == 50) {
                sb.append("not a phone,Broken,,\n");
            }
        }
        return csv("customers.csv", sb.toString());
    }

    private void someExist() {
        for (int i = 0; i < 100; i += 7) {
            contact("Old " + i, "+491511000" + String.format("%04d", i), "old");
        }
    }

    /** Phone → (name, tags, fields): what a user sees of the contacts, without ids, versions or times. */
    private static Map<String, List<Object>> view(ContactRepository repo) {
        Map<String, List<Object>> out = new TreeMap<>();
        for (Contact c : repo.list(PageRequest.first(1000)).items()) {
            out.put(c.phone().e164(), List.of(c.displayName(), c.tags().stream().sorted().toList(), new TreeMap<>(c.fields())));
        }
        return out;
    }

    private ImportJob start(Path file, MergeMode mode) {
        return wasched.contacts().importer().from(file).merge(mode).tag("fair").batchSize(10).start();
    }

    /** The contacts after one uninterrupted import of {@code file} over the same pre-existing contacts. */
    private Map<String, List<Object>> uninterrupted(Path file, MergeMode mode) {
        InMemoryStore fresh = new InMemoryStore();
        try (var other = dev.wasched.Wasched.builder().store(fresh).clock(clock).defaultRegion("DE").instanceId("ref").build()) {
            for (int i = 0; i < 100; i += 7) {
                other.contacts().create(dev.wasched.contact.ContactSpec.builder().name("Old " + i)
                        .phone("+491511000" + String.format("%04d", i)).tag("old").build());
            }
            ImportReport r = other.contacts().importer().from(file).merge(mode).tag("fair").batchSize(10).start()
                    .await(WAIT).orElseThrow();
            assertThat(r.completed()).isTrue();
        }
        return view(fresh.contacts());
    }

    @Test
    void theCallerIsNeverHeldAndTheJobCanBeFollowedById() throws Exception {
        build();
        CountDownLatch importing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ImportJob job = wasched.contacts().importer().from(customers()).batchSize(10).onProgress(p -> {
            if (p.state() == ImportJob.State.IMPORTING && p.rowsDone() == 0) {
                importing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).start();

        assertThat(importing.await(10, TimeUnit.SECONDS)).as("start() returned while the job runs").isTrue();
        ImportJob found = wasched.contacts().importJob(job.id()).orElseThrow();
        assertThat(found).isSameAs(job);
        assertThat(found.state()).isEqualTo(ImportJob.State.IMPORTING);
        assertThat(found.progress().rowsTotal()).isEqualTo(101);
        assertThat(found.report()).isEmpty();
        release.countDown();

        ImportReport r = job.await(WAIT).orElseThrow();
        assertThat(r.completed()).isTrue();
        assertThat(r.imported()).isEqualTo(100);
        assertThat(r.rejected()).singleElement().satisfies(x -> assertThat(x.line()).isEqualTo(53));
        assertThat(job.completion().toCompletableFuture().get()).isSameAs(r);
        assertThat(wasched.contacts().importJobs()).containsExactly(job);
        assertThat(wasched.contacts().importJob("unknown")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(MergeMode.class)
    void aCancelledImportKeepsWhatItWroteAndARerunFinishesIt(MergeMode mode) throws Exception {
        build();
        someExist();
        Path file = customers();
        ImportJob[] job = new ImportJob[1];
        CountDownLatch started = new CountDownLatch(1);
        job[0] = wasched.contacts().importer().from(file).merge(mode).tag("fair").batchSize(10).onProgress(p -> {
            try {
                started.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (p.rowsDone() >= 30) {
                job[0].cancel();
            }
        }).start();
        started.countDown();

        ImportReport cut = job[0].await(WAIT).orElseThrow();
        assertThat(cut.state()).isEqualTo(ImportJob.State.CANCELLED);
        assertThat(cut.rowsRead()).isEqualTo(30);
        assertThat(memory.contacts().count()).isEqualTo(15 + cut.imported()).isLessThan(100);

        ImportReport rerun = start(file, mode).await(WAIT).orElseThrow();
        assertThat(rerun.completed()).isTrue();
        assertThat(view(memory.contacts())).isEqualTo(uninterrupted(file, mode));
    }

    @ParameterizedTest
    @EnumSource(MergeMode.class)
    void aStoreFailureMidFileKeepsCommittedRowsAndARerunGivesTheSameContacts(MergeMode mode) throws Exception {
        build();
        someExist();
        Path file = customers();
        contacts.insertsLeft.set(40);

        ImportReport crashed = start(file, mode).await(WAIT).orElseThrow();
        assertThat(crashed.state()).isEqualTo(ImportJob.State.FAILED);
        assertThat(crashed.error()).isInstanceOf(WaschedException.class)
                .hasMessageContaining("import stopped in the batch starting at line").hasMessageContaining("database went away")
                .hasMessageContaining("import the file again");
        // The report counts whole batches; a store without transactions (this one) also keeps the part of the
        // failing batch it inserted before the failure.
        assertThat(crashed.imported()).isPositive().isLessThanOrEqualTo(40);
        assertThat(memory.contacts().count()).isEqualTo(15 + 40);

        contacts.insertsLeft.set(Integer.MAX_VALUE);
        ImportReport rerun = start(file, mode).await(WAIT).orElseThrow();
        assertThat(rerun.completed()).isTrue();
        assertThat(rerun.imported()).isEqualTo(100 - 15 - 40);
        Map<String, List<Object>> expected = uninterrupted(file, mode);
        assertThat(view(memory.contacts())).isEqualTo(expected);

        // and a third run changes nothing at all
        ImportReport third = start(file, mode).await(WAIT).orElseThrow();
        assertThat(third.imported() + third.updated()).isZero();
        assertThat(view(memory.contacts())).isEqualTo(expected);
    }

    @Test
    void closingWaschedCancelsARunningImport() throws Exception {
        build(b -> b.shutdownTimeout(Duration.ofSeconds(5)));
        contacts.insertDelay = Duration.ofMillis(20);
        CountDownLatch writing = new CountDownLatch(1);
        ImportJob job = wasched.contacts().importer().from(customers()).batchSize(5).onProgress(p -> {
            if (p.rowsDone() > 0) {
                writing.countDown();
            }
        }).start();
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        wasched.close();
        ImportReport r = job.report().orElseThrow();
        assertThat(r.state()).isEqualTo(ImportJob.State.CANCELLED);
        assertThat(memory.contacts().count()).isEqualTo(r.imported()).isLessThan(100);
    }

    @Test
    void importedContactsAreATagCampaignsAudience() throws Exception {
        build();
        accountReady();
        ImportReport r = wasched.contacts().importer().from(csv("fair.csv", """
                Name;Handy
                Ann;0151 12345678
                Bob;0151 12345679
                """)).tag("spring-fair").start().await(WAIT).orElseThrow();
        assertThat(r.imported()).isEqualTo(2);

        wasched.schedules().create(ScheduleSpec.builder().account(ACCOUNT).to(Target.tag("spring-fair"))
                .text("Hello {{name}}, see you at the fair!").trigger(Trigger.once(clock.instant())).build());
        wasched.runDue();

        assertThat(recording.sent()).extracting(e -> e.recipient() + ": " + e.text()).containsExactlyInAnyOrder(
                "+4915112345678: Hello Ann, see you at the fair!", "+4915112345679: Hello Bob, see you at the fair!");
    }

    @Test
    void progressReachesTheListenerAndAThrowingListenerIsHarmless() throws Exception {
        build();
        List<ImportProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ImportReport r = wasched.contacts().importer().from(customers()).batchSize(25).onProgress(p -> {
            seen.add(p);
            throw new IllegalStateException("listener bug");
        }).start().await(WAIT).orElseThrow();

        assertThat(r.completed()).isTrue();
        assertThat(r.imported()).isEqualTo(100);
        assertThat(seen.get(seen.size() - 1).percent()).hasValue(100);
        assertThat(Set.copyOf(seen.stream().map(ImportProgress::state).toList()))
                .contains(ImportJob.State.CHECKING, ImportJob.State.IMPORTING, ImportJob.State.COMPLETED);
    }

    @Test
    void columnMappingAndMergeAreTheCallersChoice() throws Exception {
        build();
        contact("Ann", "+4915112345678", "old");
        ImportReport r = wasched.contacts().importer()
                .from(csv("m.csv", "who,tel,where\nAnn B.,+4915112345678,Bonn\n"))
                .mapping(ColumnMapping.builder().phone("tel").name("who").field("city", "where").build())
                .merge(MergeMode.UPDATE).start().await(WAIT).orElseThrow();
        assertThat(r.updated()).isEqualTo(1);
        assertThat(byPhone("+4915112345678").displayName()).isEqualTo("Ann B.");
        assertThat(byPhone("+4915112345678").fields()).containsEntry("city", "Bonn");
    }
}
