package dev.wasched.imports;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.WaschedBuilder;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.session.AccountState;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.StoreException;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.RetryableTransportException;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.testkit.SettableClock;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.ForwardingTransport;
import dev.wasched.testkit.transport.RecordingTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wasched on an in-memory store (whose contact writes a test can slow down or break), a settable clock, and a
 * recording transport for account "shop" that also records when each number was checked.
 */
abstract class ContactJobFixture {
    static final String ACCOUNT = "shop";

    @TempDir
    Path dir;
    final SettableClock clock = SettableClock.at("2026-06-01T08:00:00Z");
    final InMemoryStore memory = new InMemoryStore();
    final FaultyContacts contacts = new FaultyContacts(memory.contacts());
    final WaschedStore store = new FaultyStore(memory, contacts);
    final MessageLog log = new MessageLog();
    RecordingTransport recording;
    CheckingTransport transport;
    Wasched wasched;
    private final List<Wasched> built = new CopyOnWriteArrayList<>();

    Wasched build(Consumer<WaschedBuilder> customize) {
        recording = new RecordingTransport(ACCOUNT, log);
        transport = new CheckingTransport(recording, clock);
        WaschedBuilder b = Wasched.builder().store(store).clock(clock).instanceId("test-" + built.size())
                .transport(transport).pacing(PacingPolicy.unlimited()).defaultRegion("DE")
                .defaultZone(ZoneId.of("UTC"));
        customize.accept(b);
        wasched = b.build();
        built.add(wasched);
        return wasched;
    }

    Wasched build() {
        return build(b -> { });
    }

    @AfterEach
    void closeAll() {
        built.forEach(Wasched::close);
    }

    /** Runs the engine once so the account's transport is started and READY. */
    void accountReady() {
        wasched.runDue();
        if (wasched.sessions().status(ACCOUNT).state() != AccountState.READY) {
            throw new AssertionError("account not ready: " + wasched.sessions().status(ACCOUNT));
        }
    }

    Contact contact(String name, String phone, String... tags) {
        return wasched.contacts().create(ContactSpec.builder().name(name).phone(phone).tag(tags).build());
    }

    Contact byPhone(String e164) {
        return memory.contacts().findByPhone(PhoneNumber.of(e164).e164()).orElseThrow(() -> new AssertionError("no " + e164));
    }

    Path csv(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Waits (real time, bounded) until the condition holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The in-memory contacts, with writes a test can slow down or make fail. */
    static final class FaultyContacts implements ContactRepository {
        private final ContactRepository delegate;
        final AtomicInteger insertsLeft = new AtomicInteger(Integer.MAX_VALUE);
        volatile Duration insertDelay = Duration.ZERO;

        FaultyContacts(ContactRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public void insert(Contact contact) {
            if (!insertDelay.isZero()) {
                try {
                    Thread.sleep(insertDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (insertsLeft.getAndDecrement() <= 0) {
                throw new StoreException("database went away", new IOException("connection reset"));
            }
            delegate.insert(contact);
        }

        @Override
        public boolean update(Contact contact) {
            return delegate.update(contact);
        }

        @Override
        public Optional<Contact> findById(String id) {
            return delegate.findById(id);
        }

        @Override
        public Optional<Contact> findByPhone(String e164) {
            return delegate.findByPhone(e164);
        }

        @Override
        public boolean delete(String id) {
            return delegate.delete(id);
        }

        @Override
        public Page<Contact> list(PageRequest page) {
            return delegate.list(page);
        }

        @Override
        public Page<Contact> findByTag(String tag, PageRequest page) {
            return delegate.findByTag(tag, page);
        }

        @Override
        public Page<Contact> search(String text, PageRequest page) {
            return delegate.search(text, page);
        }

        @Override
        public long count() {
            return delegate.count();
        }
    }

    record FaultyStore(InMemoryStore delegate, ContactRepository contacts) implements WaschedStore {
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
        public AutoCloseable subscribeToChanges(Runnable listener) {
            return delegate.subscribeToChanges(listener);
        }

        @Override
        public void ping() {
            delegate.ping();
        }

        @Override
        public void close() {
        }
    }

    /** A recording transport that also records when (on the test clock) each number was checked, and can fail checks. */
    static final class CheckingTransport extends ForwardingTransport {
        record Check(String e164, Instant at) {
        }

        private final SettableClock clock;
        final List<Check> checks = new CopyOnWriteArrayList<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        volatile boolean failAll;

        CheckingTransport(RecordingTransport delegate, SettableClock clock) {
            super(delegate);
            this.clock = clock;
        }

        List<Instant> checkTimes() {
            return checks.stream().map(Check::at).toList();
        }

        @Override
        public boolean isRegistered(PhoneNumber number) throws TransportException {
            checks.add(new Check(number.e164(), clock.instant()));
            if (failAll || failing.contains(number.e164())) {
                throw new RetryableTransportException("lookup of " + number.e164() + " timed out");
            }
            return delegate.isRegistered(number);
        }
    }
}
