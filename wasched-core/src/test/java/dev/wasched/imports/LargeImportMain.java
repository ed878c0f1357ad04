package dev.wasched.imports;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a small-heap JVM by {@link LargeImportTest}: imports one file through a real wasched whose contact
 * repository only counts (so the heap holds what the importer holds, not the contacts), and prints
 * {@code rows=… imported=… millis=… liveMB=… peakMB=…}. Exit code 0 when every row was imported.
 */
public final class LargeImportMain {
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long expected = Long.parseLong(args[1]);
        CountingContacts contacts = new CountingContacts();
        long[] maxLive = {0};
        long[] sampled = {0};
        try (Wasched wasched = Wasched.builder().store(new CountingStore(new InMemoryStore(), contacts))
                .defaultRegion("DE").instanceId("large").build()) {
            long start = System.nanoTime();
            ImportReport r = wasched.contacts().importer().from(file).batchSize(1000).onProgress(p -> {
                // Every ~20,000 rows: what is really alive after a full collection.
                if (p.rowsDone() - sampled[0] >= 20_000) {
                    sampled[0] = p.rowsDone();
                    System.gc();
                    maxLive[0] = Math.max(maxLive[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                }
            }).start().await(Duration.ofMinutes(2)).orElseThrow();
            long millis = (System.nanoTime() - start) / 1_000_000;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("rows=%d imported=%d rejected=%d millis=%d rowsPerSecond=%d liveMB=%.1f peakMB=%.1f maxMB=%.1f state=%s%n",
                    r.rowsRead(), r.imported(), r.rejectedCount(), millis, r.rowsRead() * 1000 / Math.max(1, millis),
                    maxLive[0] / 1048576.0, peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, r.state());
            System.exit(r.completed() && r.imported() == expected && contacts.inserted.get() == expected ? 0 : 2);
        }
    }

    /** Counts inserts and forgets them; every number is new. */
    static final class CountingContacts implements ContactRepository {
        final AtomicLong inserted = new AtomicLong();

        @Override
        public void insert(Contact contact) {
            inserted.incrementAndGet();
        }

        @Override
        public boolean update(Contact contact) {
            return false;
        }

        @Override
        public Optional<Contact> findById(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<Contact> findByPhone(String e164) {
            return Optional.empty();
        }

        @Override
        public boolean delete(String id) {
            return false;
        }

        @Override
        public Page<Contact> list(PageRequest page) {
            return new Page<>(List.of(), Optional.empty());
        }

        @Override
        public Page<Contact> findByTag(String tag, PageRequest page) {
            return list(page);
        }

        @Override
        public Page<Contact> search(String text, PageRequest page) {
            return list(page);
        }

        @Override
        public long count() {
            return inserted.get();
        }
    }

    /** An in-memory store whose contacts are only counted. */
    record CountingStore(InMemoryStore delegate, ContactRepository contacts) implements WaschedStore {
        @Override
        public TemplateRepository templates() {
            return delegate.templates();
        }

        @Override
        public ScheduleRepository schedules() {
            return delegate.schedules();
        }

        @Override
        public DeliveryRepository deliveries() {
            return delegate.deliveries();
        }

        @Override
        public MediaRepository media() {
            return delegate.media();
        }

        @Override
        public SessionRepository sessions() {
            return delegate.sessions();
        }

        @Override
        public LeaseRepository leases() {
            return delegate.leases();
        }

        @Override
        public InstanceRepository instances() {
            return delegate.instances();
        }

        @Override
        public PacingRepository pacing() {
            return delegate.pacing();
        }

        @Override
        public dev.wasched.spi.store.AccountRepository accounts() {
            return delegate.accounts();
        }

        @Override
        public dev.wasched.spi.store.InboundRepository inbound() {
            return delegate.inbound();
        }

        @Override
        public void ping() {
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
