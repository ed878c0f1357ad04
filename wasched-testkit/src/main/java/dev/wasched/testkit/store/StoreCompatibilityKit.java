package dev.wasched.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.imports.ImportReport;
import dev.wasched.contact.imports.MergeMode;
import dev.wasched.contact.verify.VerifyOptions;
import dev.wasched.contact.verify.VerifyReport;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.Recipient;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.MessageContent;
import dev.wasched.message.Template;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.CronDialect;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.Schedule;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.ScheduledMessage;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRenewal;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.store.WaschedStore;
import dev.wasched.testkit.transport.MessageLog;
import dev.wasched.testkit.transport.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link WaschedStore} fulfils. A store's test extends this class in a few lines:
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends StoreCompatibilityKit {
 *     protected WaschedStore createStore() { return new MyStore(freshDatabase()); }
 * }
 * }</pre>
 *
 * {@link #createStore()} returns an empty store for each test. A store over a shared database also overrides
 * {@link #openAnotherStore(WaschedStore)} so the concurrency tests run several engines, each with its own store
 * object (and connection pool), against one database.
 */
public abstract class StoreCompatibilityKit {
    /** An instant with a sub-millisecond part, to prove stores keep exactly milliseconds. */
    protected static final Instant T0 = Instant.parse("2026-05-04T10:15:30.123456789Z");
    private static final AtomicInteger PHONES = new AtomicInteger();

    protected WaschedStore store;
    private final List<WaschedStore> extraStores = new ArrayList<>();

    /** An empty store (a fresh database, or one whose tables were emptied). */
    protected abstract WaschedStore createStore();

    /** Another store object on the same database as {@code first}; by default the same object. */
    protected WaschedStore openAnotherStore(WaschedStore first) {
        return first;
    }

    @BeforeEach
    void openStore() {
        store = createStore();
    }

    @AfterEach
    void closeStores() {
        for (WaschedStore s : extraStores) {
            s.close();
        }
        extraStores.clear();
        if (store != null) {
            store.close();
        }
    }

    private WaschedStore another() {
        WaschedStore s = openAnotherStore(store);
        if (s != store) {
            extraStores.add(s);
        }
        return s;
    }

    // ---- builders -------------------------------------------------------------------------------------------

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** Ids that sort by creation, like the engine's. */
    private static String orderedId(int n) {
        return String.format("0190%04x-0000-7000-8000-%012d", n / 100_000, n);
    }

    protected static String newPhone() {
        return String.format("+4915%09d", 100_000_000 + PHONES.incrementAndGet());
    }

    protected static Contact contact(String id, String name, String phone, Set<String> tags) {
        return new Contact(id, name, PhoneNumber.of(phone), tags, Map.of("city", "Köln", "plan", "gold"), false,
                Registration.UNKNOWN, ZoneId.of("Europe/Berlin"), T0, T0, 1);
    }

    protected static Schedule schedule(String id, Instant nextFireAt) {
        return Schedule.builder().id(id).name("weekly").account("acc").target(Target.tag("vip"))
                .message(ScheduledMessage.template("promo", Map.of("code", "X1")))
                .trigger(Trigger.cron("0 9 * * MON", ZoneId.of("Europe/Berlin")))
                .misfire(MisfirePolicy.fireAll(Duration.ofHours(2), 3)).endAt(T0.plus(Duration.ofDays(30))).maxRuns(10)
                .nextFireAt(nextFireAt).runs(2).skippedRuns(1).createdAt(T0).updatedAt(T0).version(1).build();
    }

    protected static Delivery delivery(String id, String scheduleId, String account, String phone, Instant due) {
        return Delivery.pending(id, scheduleId, due, Recipient.contact("c-" + phone, phone, ZoneId.of("Asia/Kolkata")),
                account, MessageContent.text("Hallo {ä} 👋 " + phone), T0);
    }

    private static Instant ms(Instant i) {
        return i.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    // ---- contacts -------------------------------------------------------------------------------------------

    @Nested
    class Contacts {
        @Test
        void roundTripsEveryField() {
            Contact c = new Contact(id(), "Zoë O'Brien", PhoneNumber.of("+14155550123"), Set.of("vip", "köln"),
                    Map.of("first", "Zoë", "empty", ""), true, Registration.checked(true, T0), ZoneId.of("America/New_York"),
                    T0, T0.plusSeconds(5), 7);
            store.contacts().insert(c);
            Contact back = store.contacts().findById(c.id()).orElseThrow();
            assertThat(back).isEqualTo(c);
            assertThat(back.createdAt()).isEqualTo(ms(T0));
            assertThat(store.contacts().findByPhone("+14155550123")).contains(c);
        }

        @Test
        void phoneIsUnique() {
            String phone = newPhone();
            store.contacts().insert(contact(id(), "A", phone, Set.of()));
            assertThatThrownBy(() -> store.contacts().insert(contact(id(), "B", phone, Set.of())))
                    .isInstanceOf(DuplicateKeyException.class);
            assertThat(store.contacts().count()).isEqualTo(1);
        }

        @Test
        void updateIsCompareAndSet() {
            Contact c = contact(id(), "A", newPhone(), Set.of());
            store.contacts().insert(c);
            Contact v2 = c.withOptedOut(true, T0.plusSeconds(1));
            assertThat(store.contacts().update(v2)).isTrue();
            assertThat(store.contacts().update(c.withOptedOut(false, T0.plusSeconds(2)))).as("stale version").isFalse();
            assertThat(store.contacts().findById(c.id()).orElseThrow()).isEqualTo(v2);
        }

        @Test
        void updateToATakenPhoneIsRejected() {
            Contact a = contact(id(), "A", newPhone(), Set.of());
            Contact b = contact(id(), "B", newPhone(), Set.of());
            store.contacts().insert(a);
            store.contacts().insert(b);
            Contact clash = new Contact(b.id(), "B", a.phone(), Set.of(), Map.of(), false, Registration.UNKNOWN, null,
                    T0, T0, 2);
            assertThatThrownBy(() -> store.contacts().update(clash)).isInstanceOf(DuplicateKeyException.class);
            assertThat(store.contacts().findById(b.id()).orElseThrow()).isEqualTo(b);
        }

        @Test
        void changedPhoneIsFoundByTheNewNumberOnly() {
            Contact a = contact(id(), "A", newPhone(), Set.of());
            store.contacts().insert(a);
            String other = newPhone();
            Contact moved = new Contact(a.id(), "A", PhoneNumber.of(other), Set.of(), Map.of(), false,
                    Registration.UNKNOWN, null, T0, T0, 2);
            assertThat(store.contacts().update(moved)).isTrue();
            assertThat(store.contacts().findByPhone(other)).contains(moved);
            assertThat(store.contacts().findByPhone(a.phone().e164())).isEmpty();
        }

        @Test
        void pagesByIdTagAndSearch() {
            for (int i = 0; i < 25; i++) {
                store.contacts().insert(contact(orderedId(i), i % 2 == 0 ? "Anna " + i : "Bob " + i, newPhone(),
                        i % 3 == 0 ? Set.of("vip") : Set.of("other")));
            }
            List<String> seen = new ArrayList<>();
            PageRequest req = PageRequest.first(10);
            while (true) {
                Page<Contact> page = store.contacts().list(req);
                page.items().forEach(c -> seen.add(c.id()));
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                req = PageRequest.after(page.nextCursor().get(), 10);
            }
            assertThat(seen).hasSize(25).isSorted().doesNotHaveDuplicates();
            Page<Contact> vip = store.contacts().findByTag("vip", PageRequest.first(100));
            assertThat(vip.items()).hasSize(9).allMatch(c -> c.tags().contains("vip"));
            Page<Contact> vipFirst = store.contacts().findByTag("vip", PageRequest.first(4));
            assertThat(vipFirst.items()).hasSize(4);
            assertThat(store.contacts().findByTag("vip", PageRequest.after(vipFirst.nextCursor().orElseThrow(), 100))
                    .items()).hasSize(5);
            assertThat(store.contacts().search("anna", PageRequest.first(100)).items()).hasSize(13);
            Contact some = store.contacts().findById(orderedId(7)).orElseThrow();
            assertThat(store.contacts().search(some.phone().e164().substring(5), PageRequest.first(100)).items())
                    .extracting(Contact::id).contains(some.id());
            assertThat(store.contacts().count()).isEqualTo(25);
        }

        @Test
        void deleteRemovesAndFreesThePhone() {
            Contact c = contact(id(), "A", newPhone(), Set.of());
            store.contacts().insert(c);
            assertThat(store.contacts().delete(c.id())).isTrue();
            assertThat(store.contacts().delete(c.id())).isFalse();
            assertThat(store.contacts().findById(c.id())).isEmpty();
            store.contacts().insert(contact(id(), "B", c.phone().e164(), Set.of()));
        }

        @Test
        void insertsABatchAndFindsItByNumbers() {
            List<Contact> batch = new ArrayList<>();
            for (int i = 0; i < 1200; i++) {
                batch.add(contact(orderedId(i), "N" + i, newPhone(), i % 2 == 0 ? Set.of("even", "all") : Set.of("all")));
            }
            store.contacts().insertAll(batch);
            assertThat(store.contacts().count()).isEqualTo(1200);
            List<String> asked = new ArrayList<>(batch.stream().map(c -> c.phone().e164()).toList());
            asked.add(newPhone());
            Map<String, Contact> found = store.contacts().findByPhones(asked);
            assertThat(found).hasSize(1200);
            assertThat(found.get(batch.get(7).phone().e164())).isEqualTo(batch.get(7));
            assertThat(store.contacts().findByTag("even", PageRequest.first(1000)).items()).hasSize(600);
            assertThat(store.contacts().findByPhones(List.of())).isEmpty();
            store.contacts().insertAll(List.of());
        }

        @Test
        void aBatchWithATakenNumberRaisesDuplicateKeyAndChangesNoExistingContact() {
            Contact existing = contact(id(), "Existing", newPhone(), Set.of("old"));
            store.contacts().insert(existing);
            Contact before = contact(id(), "Before", newPhone(), Set.of("new"));
            Contact clash = contact(id(), "Clash", existing.phone().e164(), Set.of("new"));
            Contact after = contact(id(), "After", newPhone(), Set.of("new"));
            assertThatThrownBy(() -> store.contacts().insertAll(List.of(before, clash, after)))
                    .isInstanceOf(DuplicateKeyException.class);
            assertThat(store.contacts().findById(existing.id())).contains(existing);
            assertThat(store.contacts().findById(clash.id())).isEmpty();
            // All or nothing with transactions, the ones before the clash without; never a half-written contact.
            for (Contact c : List.of(before, after)) {
                store.contacts().findById(c.id()).ifPresent(stored -> assertThat(stored).isEqualTo(c));
            }
            // and the tag rows match what is stored: none for a contact that was not, none missing for one that was
            List<String> taggedNew = store.contacts().findByTag("new", PageRequest.first(10)).items().stream()
                    .map(Contact::id).toList();
            for (Contact c : List.of(before, after)) {
                assertThat(taggedNew.contains(c.id())).as("tag row of " + c.displayName())
                        .isEqualTo(store.contacts().findById(c.id()).isPresent());
            }
            assertThat(taggedNew).doesNotContain(clash.id());
        }
    }

    // ---- contact import and registration checks on this store ------------------------------------------------

    @Nested
    class ContactJobs {
        private static final String ACCOUNT = "acc";

        private Wasched wasched(RecordingTransport transport) {
            return Wasched.builder().store(store).instanceId("kit-contacts").transport(transport)
                    .pacing(PacingPolicy.unlimited()).defaultRegion("DE").build();
        }

        private ImportReport importCsv(Wasched w, String csv, MergeMode mode) throws Exception {
            Path file = Files.createTempFile("wasched-kit-", ".csv");
            try {
                Files.writeString(file, csv, StandardCharsets.UTF_8);
                return w.contacts().importer().from(file).merge(mode).tag("fair").batchSize(2).start()
                        .await(Duration.ofSeconds(60)).orElseThrow();
            } finally {
                Files.deleteIfExists(file);
            }
        }

        @Test
        void anImportMergesRejectsAndRunsAgainWithoutChangingAnything() throws Exception {
            try (Wasched w = wasched(new RecordingTransport(ACCOUNT))) {
                Contact existing = w.contacts().create(ContactSpec.builder().name("Old name").phone("+4915112345001")
                        .tag("old").build());
                String csv = "name,phone,city\nAnn,0151 12345001,Köln\nBob,0151 12345002,Bonn\nTypo,0151 1,Essen\n"
                        + "Cem,+49 151 12345003,Kiel\nBob again,0151-12345002,Bonn\nDora,0151 12345004,Ulm\n";
                ImportReport first = importCsv(w, csv, MergeMode.UPDATE);
                assertThat(first.completed()).as(first.summary()).isTrue();
                assertThat(first.rowsRead()).isEqualTo(6);
                assertThat(first.imported()).isEqualTo(3);
                assertThat(first.updated()).isEqualTo(1);
                assertThat(first.rejected()).extracting(r -> r.line()).containsExactly(4L, 6L);
                Contact ann = store.contacts().findByPhone("+4915112345001").orElseThrow();
                assertThat(ann.id()).isEqualTo(existing.id());
                assertThat(ann.displayName()).isEqualTo("Ann");
                assertThat(ann.tags()).containsExactlyInAnyOrder("old", "fair");
                assertThat(ann.fields()).containsEntry("city", "Köln");
                assertThat(store.contacts().findByPhone("+4915112345004").orElseThrow().tags()).containsExactly("fair");
                assertThat(store.contacts().count()).isEqualTo(4);

                ImportReport again = importCsv(w, csv, MergeMode.UPDATE);
                assertThat(again.imported() + again.updated()).as(again.summary()).isZero();
                assertThat(again.unchanged()).isEqualTo(4);
                ImportReport skipping = importCsv(w, csv.replace("Ann,", "Anna,"), MergeMode.SKIP);
                assertThat(skipping.skipped()).isEqualTo(4);
                assertThat(store.contacts().findByPhone("+4915112345001").orElseThrow().displayName()).isEqualTo("Ann");
                assertThat(store.contacts().count()).isEqualTo(4);
            }
        }

        @Test
        void registrationChecksAreRecordedAndTheirPaceIsKeptInTheStore() {
            RecordingTransport transport = new RecordingTransport(ACCOUNT).unregistered("+4915112345002");
            try (Wasched w = wasched(transport)) {
                w.runDue();
                Contact ann = w.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345001").build());
                Contact bob = w.contacts().create(ContactSpec.builder().name("Bob").phone("+4915112345002").build());
                VerifyReport r = w.contacts().verify(VerifyOptions.builder().pacing(PacingPolicy.unlimited()).build())
                        .await(Duration.ofSeconds(60)).orElseThrow();
                assertThat(r.completed()).as(r.summary()).isTrue();
                assertThat(r.registered()).isEqualTo(1);
                assertThat(r.notRegistered()).isEqualTo(1);
                assertThat(store.contacts().findById(ann.id()).orElseThrow().registration().status())
                        .isEqualTo(Registration.Status.REGISTERED);
                Contact checkedBob = store.contacts().findById(bob.id()).orElseThrow();
                assertThat(checkedBob.registration().status()).isEqualTo(Registration.Status.NOT_REGISTERED);
                assertThat(checkedBob.registration().checkedAt()).isNotNull();
                assertThat(store.pacing().load("verify:" + ACCOUNT)).hasValueSatisfying(p ->
                        assertThat(p.dayCount()).isEqualTo(2));
            }
        }
    }

    // ---- templates ------------------------------------------------------------------------------------------

    @Nested
    class Templates {
        @Test
        void insertUpdateListDelete() {
            Template t = new Template("welcome", "Hi {{name}} 👋", T0, T0, 1);
            store.templates().insert(t);
            assertThatThrownBy(() -> store.templates().insert(t)).isInstanceOf(DuplicateKeyException.class);
            Template v2 = t.withBody("Hello {{name}}", T0.plusSeconds(1));
            assertThat(store.templates().update(v2)).isTrue();
            assertThat(store.templates().update(t.withBody("stale", T0))).isFalse();
            assertThat(store.templates().findByName("welcome")).contains(v2);
            store.templates().insert(new Template("a-first", "A", T0, T0, 1));
            assertThat(store.templates().list()).extracting(Template::name).containsExactly("a-first", "welcome");
            assertThat(store.templates().delete("welcome")).isTrue();
            assertThat(store.templates().findByName("welcome")).isEmpty();
        }
    }

    // ---- received messages ----------------------------------------------------------------------------------

    @Nested
    class Inbound {
        private dev.wasched.inbound.InboundMessage received(int n, String account, String messageId, String contactId) {
            return new dev.wasched.inbound.InboundMessage(orderedId(n), account, messageId,
                    contactId == null ? "123456789012345@lid" : "+4915112345678", "4915112345678@c.us", contactId,
                    "Ja, bis morgen 👍 " + n, n % 2 == 0 ? null : "image", n % 3 == 0 ? "3EB0" + n : null,
                    T0.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), T0.plusSeconds(n), n % 3 == 0 ? "d-" + n : null);
        }

        @Test
        void roundTripsEveryFieldAndKeepsOneMessagePerAccountAndId() {
            dev.wasched.inbound.InboundMessage m = received(3, "shop", "ACCFD0B51E", "c-1");
            assertThat(store.inbound().insert(m)).isTrue();
            dev.wasched.inbound.InboundMessage again = received(4, "shop", "ACCFD0B51E", "c-1");
            assertThat(another().inbound().insert(again)).as("the same message heard again").isFalse();
            assertThat(store.inbound().insert(received(5, "cafe", "ACCFD0B51E", null)))
                    .as("another account's message with the same id").isTrue();
            dev.wasched.inbound.InboundMessage stored = store.inbound().find("shop", "ACCFD0B51E").orElseThrow();
            assertThat(stored).isEqualTo(m);
            assertThat(stored.receivedAt()).isEqualTo(ms(T0.plusSeconds(3)));
            assertThat(store.inbound().find("shop", "nothing")).isEmpty();
            assertThat(store.inbound().find("cafe", "ACCFD0B51E")).hasValueSatisfying(x -> {
                assertThat(x.contactId()).isNull();
                assertThat(x.quotedMessageId()).isNull();
                assertThat(x.repliedDeliveryId()).isNull();
                assertThat(x.mediaKind()).isEqualTo("image");
            });
        }

        @Test
        void listsNewestFirstPagePerPageByAccountAndContact() {
            for (int i = 1; i <= 7; i++) {
                store.inbound().insert(received(i, i % 2 == 0 ? "cafe" : "shop", "m" + i, i <= 5 ? "c-1" : "c-2"));
            }
            Page<dev.wasched.inbound.InboundMessage> first = store.inbound().list(null, null, PageRequest.first(3));
            assertThat(first.items()).extracting(dev.wasched.inbound.InboundMessage::messageId)
                    .containsExactly("m7", "m6", "m5");
            Page<dev.wasched.inbound.InboundMessage> second = store.inbound().list(null, null,
                    PageRequest.after(first.nextCursor().orElseThrow(), 3));
            assertThat(second.items()).extracting(dev.wasched.inbound.InboundMessage::messageId)
                    .containsExactly("m4", "m3", "m2");
            assertThat(store.inbound().list("shop", null, PageRequest.first(10)).items())
                    .extracting(dev.wasched.inbound.InboundMessage::messageId).containsExactly("m7", "m5", "m3", "m1");
            assertThat(store.inbound().list("shop", "c-1", PageRequest.first(10)).items())
                    .extracting(dev.wasched.inbound.InboundMessage::messageId).containsExactly("m5", "m3", "m1");
            assertThat(store.inbound().list(null, "c-2", PageRequest.first(10)).items())
                    .extracting(dev.wasched.inbound.InboundMessage::messageId).containsExactly("m7", "m6");
        }
    }

    // ---- schedules ------------------------------------------------------------------------------------------

    @Nested
    class Schedules {
        @Test
        void roundTripsEveryTriggerTargetAndMessage() {
            MediaAttachment media = new MediaAttachment("a".repeat(64), "image/png", "flyer.png", 1234);
            List<Schedule> all = List.of(
                    schedule(id(), T0),
                    Schedule.builder().id(id()).name("").account("acc2").target(Target.contacts("c1", "c2"))
                            .message(ScheduledMessage.text("Hi {{name}}").withMedia(media)).trigger(Trigger.once(T0))
                            .misfire(MisfirePolicy.DEFAULT).paused(true).leaseOwner("me").leaseUntil(T0).createdAt(T0)
                            .updatedAt(T0).version(3).build(),
                    Schedule.builder().id(id()).name("grp").account("acc").target(Target.group("Team Ü"))
                            .message(ScheduledMessage.text("Stand-up"))
                            .trigger(new Trigger.Every(Duration.ofMinutes(90), T0)).misfire(MisfirePolicy.skip())
                            .nextFireAt(T0).createdAt(T0).updatedAt(T0).version(1).build(),
                    Schedule.builder().id(id()).name("confirm").account("acc").target(Target.number("+4915112345678"))
                            .message(ScheduledMessage.text("Bye")).trigger(Trigger.once(T0))
                            .misfire(MisfirePolicy.DEFAULT).nextFireAt(T0).createdAt(T0).updatedAt(T0).version(1)
                            .build());
            for (Schedule s : all) {
                store.schedules().insert(s);
                assertThat(store.schedules().findById(s.id())).contains(s);
            }
        }

        @Test
        void roundTripsACronDialectAndAMacro() {
            // The last Friday of the month at noon: Quartz syntax that Unix cron cannot read.
            Trigger quartz = Trigger.cron("0 0 12 ? * 6L", ZoneId.of("Europe/Berlin"), CronDialect.QUARTZ);
            List<Trigger> triggers = List.of(quartz, Trigger.cron("@weekly", ZoneId.of("UTC")),
                    Trigger.cron("@daily", ZoneId.of("America/New_York"), CronDialect.SPRING));
            List<Schedule> back = new ArrayList<>();
            for (Trigger trigger : triggers) {
                Schedule s = Schedule.builder().id(id()).name("cron").account("acc").target(Target.tag("vip"))
                        .message(ScheduledMessage.text("Hi")).trigger(trigger).misfire(MisfirePolicy.DEFAULT)
                        .nextFireAt(T0).createdAt(T0).updatedAt(T0).version(1).build();
                store.schedules().insert(s);
                back.add(store.schedules().findById(s.id()).orElseThrow());
                assertThat(back.get(back.size() - 1)).isEqualTo(s);
            }
            assertThat(back.get(0).trigger().nextAfter(T0)).as("29 May 2026, 12:00 CEST")
                    .contains(Instant.parse("2026-05-29T10:00:00Z"));
        }

        @Test
        void updateIsCompareAndSet() {
            Schedule s = schedule(id(), T0);
            store.schedules().insert(s);
            Schedule paused = s.withPaused(true, s.nextFireAt(), T0.plusSeconds(1));
            assertThat(store.schedules().update(paused)).isTrue();
            assertThat(store.schedules().update(s.withPaused(false, T0, T0))).isFalse();
            assertThat(store.schedules().findById(s.id())).contains(paused);
        }

        @Test
        void claimsOnlyDueUnpausedUnleasedSchedules() {
            Schedule due = schedule(orderedId(1), T0.minusSeconds(10));
            Schedule dueLater = schedule(orderedId(2), T0.minusSeconds(5));
            Schedule future = schedule(orderedId(3), T0.plusSeconds(60));
            Schedule paused = schedule(orderedId(4), T0.minusSeconds(60)).withPaused(true, T0.minusSeconds(60), T0);
            Schedule done = schedule(orderedId(5), null);
            for (Schedule s : List.of(dueLater, due, future, paused, done)) {
                store.schedules().insert(s);
            }
            assertThat(store.schedules().earliestDue()).contains(ms(T0.minusSeconds(10)));
            Instant until = T0.plusSeconds(30);
            List<Schedule> claimed = store.schedules().claimDue(T0, "i1", until, 10);
            assertThat(claimed).extracting(Schedule::id).containsExactly(due.id(), dueLater.id());
            Schedule c = claimed.get(0);
            assertThat(c.leaseOwner()).isEqualTo("i1");
            assertThat(c.leaseUntil()).isEqualTo(ms(until));
            assertThat(c.version()).isEqualTo(due.version() + 1);
            assertThat(store.schedules().findById(due.id())).contains(c);
            assertThat(store.schedules().claimDue(T0, "i2", until, 10)).as("leased").isEmpty();
            assertThat(store.schedules().claimDue(until, "i2", until.plusSeconds(30), 1)).as("lease expired")
                    .extracting(Schedule::id).containsExactly(due.id());
        }

        @Test
        void fanOutInsertsDeliveriesAndAdvancesTheSchedule() {
            Schedule s = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).stream().findFirst()
                    .orElseGet(() -> {
                        store.schedules().insert(schedule(id(), T0));
                        return store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 1).get(0);
                    });
            List<Delivery> ds = List.of(delivery(id(), s.id(), "acc", newPhone(), T0),
                    delivery(id(), s.id(), "acc", newPhone(), T0));
            Schedule advanced = s.advanced(T0.plus(Duration.ofDays(7)), s.runs() + 1, s.skippedRuns(), T0);
            ScheduleRepository.FanOutResult r = store.schedules().fanOut(advanced, ds);
            assertThat(r).isEqualTo(new ScheduleRepository.FanOutResult(2, true));
            assertThat(store.schedules().findById(s.id())).contains(advanced);
            assertThat(advanced.leaseOwner()).isNull();
            // The same occurrence again (a crash before the advance, then a retry): nothing is inserted twice.
            List<Delivery> again = ds.stream().map(d -> Delivery.pending(id(), d.scheduleId(), d.fireAt(), d.recipient(),
                    d.account(), d.content(), T0)).toList();
            ScheduleRepository.FanOutResult stale = store.schedules().fanOut(advanced, again);
            assertThat(stale.scheduleUpdated()).as("stale version").isFalse();
            assertThat(store.deliveries().insertAll(again)).isZero();
            assertThat(store.deliveries().history(DeliveryQuery.all().forSchedule(s.id()), PageRequest.first(10)).items())
                    .hasSize(2);
        }

        @Test
        void claimsWithinTheLookAheadWhileLeasesAreJudgedAtNow() {
            Schedule due = schedule(orderedId(1), T0.minusSeconds(10));
            Schedule soon = schedule(orderedId(2), T0.plusSeconds(30));
            Schedule later = schedule(orderedId(3), T0.plusSeconds(120));
            for (Schedule s : List.of(later, soon, due)) {
                store.schedules().insert(s);
            }
            Instant until = T0.plusSeconds(20);
            List<Schedule> claimed = store.schedules().claimDue(T0, T0.plusSeconds(60), "i1", until, 10);
            assertThat(claimed).extracting(Schedule::id).containsExactly(due.id(), soon.id());
            assertThat(claimed).allSatisfy(c -> {
                assertThat(c.leaseOwner()).isEqualTo("i1");
                assertThat(c.leaseUntil()).isEqualTo(ms(until));
                assertThat(c.updatedAt()).as("updatedAt is now, not the horizon").isEqualTo(ms(T0));
                assertThat(store.schedules().findById(c.id())).contains(c);
            });
            // Held until T0+20: not free at T0+5, although the lease ends before that claim's horizon.
            assertThat(store.schedules().claimDue(T0.plusSeconds(5), T0.plusSeconds(65), "i2", T0.plusSeconds(25), 10))
                    .as("leased").isEmpty();
            assertThat(store.schedules().claimDue(until, until.plusSeconds(60), "i2", until.plusSeconds(20), 10))
                    .as("lease expired").extracting(Schedule::id).containsExactly(due.id(), soon.id());
            assertThat(store.schedules().claimDue(until, until, "i3", until.plusSeconds(20), 10))
                    .as("a horizon of now claims only what is due").isEmpty();
        }

        @Test
        void fanOutAllWritesEachScheduleAndLeavesOutAStaleOne() {
            Schedule a = schedule(orderedId(1), T0);
            Schedule b = schedule(orderedId(2), T0);
            Schedule c = schedule(orderedId(3), T0);
            for (Schedule s : List.of(a, b, c)) {
                store.schedules().insert(s);
            }
            List<Schedule> claimed = store.schedules().claimDue(T0, "i1", T0.plusSeconds(30), 10);
            assertThat(claimed).hasSize(3);
            Instant next = T0.plus(Duration.ofDays(7));
            Schedule advancedA = claimed.get(0).advanced(next, 3, 1, T0);
            Schedule advancedB = claimed.get(1).advanced(next, 3, 1, T0);
            Schedule staleC = c.advanced(next, 3, 1, T0); // made from the version before the claim
            List<Delivery> forA = List.of(delivery(id(), a.id(), "acc", newPhone(), T0),
                    delivery(id(), a.id(), "acc", newPhone(), T0).expiringAt(T0.plusSeconds(90)));
            List<Delivery> forB = List.of(delivery(id(), b.id(), "other", newPhone(), T0));
            List<Delivery> forC = List.of(delivery(id(), c.id(), "acc", newPhone(), T0));

            List<ScheduleRepository.FanOutResult> results = store.schedules().fanOutAll(List.of(
                    new ScheduleRepository.FanOutItem(advancedA, forA),
                    new ScheduleRepository.FanOutItem(staleC, forC),
                    new ScheduleRepository.FanOutItem(advancedB, forB)));

            assertThat(results).containsExactly(new ScheduleRepository.FanOutResult(2, true),
                    new ScheduleRepository.FanOutResult(0, false), new ScheduleRepository.FanOutResult(1, true));
            assertThat(store.schedules().findById(a.id())).contains(advancedA);
            assertThat(store.schedules().findById(b.id())).contains(advancedB);
            assertThat(store.schedules().findById(c.id())).contains(claimed.get(2));
            for (Delivery d : forA) {
                assertThat(store.deliveries().findById(d.id())).contains(d);
            }
            assertThat(store.deliveries().findById(forB.get(0).id())).contains(forB.get(0));
            assertThat(store.deliveries().findById(forC.get(0).id())).as("stale schedule's delivery").isEmpty();
            assertThat(store.schedules().fanOutAll(List.of())).isEmpty();
            // The same batch again (its versions are spent): nothing is written twice.
            assertThat(store.schedules().fanOutAll(List.of(new ScheduleRepository.FanOutItem(advancedA, forA))))
                    .containsExactly(new ScheduleRepository.FanOutResult(0, false));
            assertThat(store.deliveries().history(DeliveryQuery.all().forSchedule(a.id()), PageRequest.first(10))
                    .items()).hasSize(2);
        }

        @Test
        void listsAndDeletes() {
            for (int i = 0; i < 7; i++) {
                store.schedules().insert(schedule(orderedId(i), T0));
            }
            Page<Schedule> p1 = store.schedules().list(PageRequest.first(5));
            assertThat(p1.items()).hasSize(5);
            Page<Schedule> p2 = store.schedules().list(PageRequest.after(p1.nextCursor().orElseThrow(), 5));
            assertThat(p2.items()).hasSize(2);
            assertThat(p2.nextCursor()).isEmpty();
            assertThat(store.schedules().delete(orderedId(0))).isTrue();
            assertThat(store.schedules().findById(orderedId(0))).isEmpty();
            assertThat(store.schedules().delete(orderedId(0))).isFalse();
        }
    }

    // ---- deliveries -----------------------------------------------------------------------------------------

    @Nested
    class DispatchCycles extends DispatchCycleScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class Accounts extends AccountScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }

        @Override
        protected WaschedStore anotherStore() {
            return another();
        }
    }

    @Nested
    class Access extends AccessScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }

        @Override
        protected WaschedStore anotherStore() {
            return another();
        }
    }

    @Nested
    class Editing extends EditingScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class ContactDates extends ContactDateScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class Webhooks extends WebhookScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class Reports extends ReportScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class EngineCalls extends EngineCallScenarios {
        @Override
        protected WaschedStore store() {
            return store;
        }
    }

    @Nested
    class Deliveries {
        @Test
        void uniqueKeyMakesInsertIdempotent() {
            String phone = newPhone();
            Delivery a = delivery(id(), "s1", "acc", phone, T0);
            assertThat(store.deliveries().insertAll(List.of(a))).isEqualTo(1);
            Delivery sameKey = delivery(id(), "s1", "acc", phone, T0);
            Delivery otherTime = delivery(id(), "s1", "acc", phone, T0.plusSeconds(60));
            assertThat(store.deliveries().insertAll(List.of(sameKey, otherTime))).isEqualTo(1);
            assertThat(store.deliveries().findById(sameKey.id())).isEmpty();
            assertThat(store.deliveries().findById(a.id())).contains(a);
        }

        @Test
        void everyTransitionRoundTrips() {
            MediaAttachment media = new MediaAttachment("b".repeat(64), "application/pdf", "menu.pdf", 99);
            Delivery d = Delivery.pending(id(), "s1", T0, Recipient.group("Family 🏡", null), "acc",
                    MessageContent.media(media, "Menu"), T0);
            store.deliveries().insertAll(List.of(d));
            List<Delivery> path = new ArrayList<>();
            Delivery c = d.claim("i1", T0.plusSeconds(30), T0.plusMillis(1));
            path.add(c);
            Delivery s = c.startSending(T0.plusMillis(2));
            path.add(s);
            Delivery retry = s.retryLater("timeout", T0.plusSeconds(60), T0.plusMillis(3));
            path.add(retry);
            Delivery c2 = retry.claim("i2", T0.plusSeconds(90), T0.plusSeconds(60));
            path.add(c2);
            Delivery s2 = c2.startSending(T0.plusSeconds(61));
            path.add(s2);
            Delivery sent = s2.sent("wamid.1", T0.plusSeconds(62), T0.plusSeconds(62));
            path.add(sent);
            Delivery delivered = sent.acknowledged(DeliveryStatus.DELIVERED, T0.plusSeconds(63));
            path.add(delivered);
            Delivery read = delivered.acknowledged(DeliveryStatus.READ, T0.plusSeconds(64));
            path.add(read);
            for (Delivery step : path) {
                assertThat(store.deliveries().update(step)).as("update to %s", step.status()).isTrue();
                assertThat(store.deliveries().findById(d.id())).contains(step);
            }
            assertThat(store.deliveries().findByTransportMessageId("acc", "wamid.1")).contains(read);
            assertThat(store.deliveries().findByTransportMessageId("other", "wamid.1")).isEmpty();

            Delivery e = delivery(id(), "s1", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(e));
            Delivery dead = e.claim("i1", T0.plusSeconds(30), T0).startSending(T0).dead("invalid number", T0);
            // Versions must follow one another: write each step.
            Delivery claimed = e.claim("i1", T0.plusSeconds(30), T0);
            assertThat(store.deliveries().update(claimed)).isTrue();
            Delivery sending = claimed.startSending(T0);
            assertThat(store.deliveries().update(sending)).isTrue();
            assertThat(store.deliveries().update(dead)).isTrue();
            Delivery requeued = dead.requeue(T0.plusSeconds(5));
            assertThat(store.deliveries().update(requeued)).isTrue();
            Delivery uncertain = requeued.claim("i1", T0.plusSeconds(40), T0.plusSeconds(6)).startSending(T0);
            assertThat(store.deliveries().update(requeued.claim("i1", T0.plusSeconds(40), T0.plusSeconds(6)))).isTrue();
            assertThat(store.deliveries().update(uncertain)).isTrue();
            Delivery u = uncertain.uncertain("owner died", T0.plusSeconds(50));
            assertThat(store.deliveries().update(u)).isTrue();
            assertThat(store.deliveries().findById(e.id())).contains(u);
            Delivery cancelled = delivery(id(), "s1", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(cancelled));
            assertThat(store.deliveries().update(cancelled.cancel("opted out", T0))).isTrue();
            assertThat(store.deliveries().findById(cancelled.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.CANCELLED);
        }

        @Test
        void expiryRoundTripsUntilASendStarts() {
            Instant expires = T0.plusSeconds(90);
            Delivery ahead = delivery(orderedId(1), "s", "acc", newPhone(), T0).expiringAt(expires);
            Delivery decided = delivery(orderedId(2), "s", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(ahead, decided));
            assertThat(store.deliveries().findById(ahead.id()).orElseThrow().expiresAt()).isEqualTo(ms(expires));
            assertThat(store.deliveries().findById(decided.id()).orElseThrow().expiresAt()).isNull();
            assertThat(store.deliveries().findPending("s", null, 10)).contains(ahead, decided);

            Lease fence = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
            List<Delivery> claimed = store.deliveries().claimDue("acc", T0, fence, 10);
            assertThat(claimed).extracting(Delivery::expiresAt).containsExactly(ms(expires), null);
            Delivery released = claimed.get(0).release(T0.plusSeconds(5), T0);
            assertThat(store.deliveries().update(released, fence)).isTrue();
            assertThat(store.deliveries().findById(ahead.id())).contains(released);
            assertThat(released.expiresAt()).as("a claim given back still expires").isEqualTo(ms(expires));

            Delivery sending = store.deliveries().claimDue("acc", T0.plusSeconds(5), fence, 10).get(0)
                    .startSending(T0.plusSeconds(5));
            assertThat(store.deliveries().update(sending, fence)).isTrue();
            assertThat(store.deliveries().findById(ahead.id()).orElseThrow().expiresAt())
                    .as("SENDING, not yet handed to a transport").isEqualTo(ms(expires));
            Delivery retried = sending.expiringAt(null).retryLater("timeout", T0.plusSeconds(60), T0.plusSeconds(6));
            assertThat(store.deliveries().update(retried, fence)).isTrue();
            assertThat(store.deliveries().findById(ahead.id()).orElseThrow().expiresAt())
                    .as("an attempt was made: expires no more").isNull();
        }

        @Test
        void staleUpdateIsRejected() {
            Delivery d = delivery(id(), "s1", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(d));
            Delivery a = d.claim("i1", T0.plusSeconds(30), T0);
            Delivery b = d.cancel("paused", T0);
            assertThat(store.deliveries().update(a)).isTrue();
            assertThat(store.deliveries().update(b)).as("b was made from the old version").isFalse();
            assertThat(store.deliveries().findById(d.id())).contains(a);
        }

        @Test
        void claimsDueDeliveriesOfOneAccountInDueOrder() {
            Delivery late = delivery(orderedId(1), "s", "acc", newPhone(), T0.minusSeconds(1));
            Delivery early = delivery(orderedId(2), "s", "acc", newPhone(), T0.minusSeconds(9));
            Delivery future = delivery(orderedId(3), "s", "acc", newPhone(), T0.plusSeconds(9));
            Delivery otherAccount = delivery(orderedId(4), "s", "other", newPhone(), T0.minusSeconds(9));
            store.deliveries().insertAll(List.of(late, early, future, otherAccount));
            assertThat(store.deliveries().earliestDue(List.of("acc"))).contains(ms(T0.minusSeconds(9)));
            assertThat(store.deliveries().earliestDue(List.of("nobody"))).isEmpty();
            assertThat(store.deliveries().countDue("acc", ms(T0))).isEqualTo(2);
            assertThat(store.deliveries().countDue(null, ms(T0))).isEqualTo(3);
            assertThat(store.deliveries().countDue("acc", ms(T0).plusSeconds(9))).isEqualTo(3);
            Lease fence = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
            Lease notHeld = new Lease("session:acc", "i2", fence.epoch() + 1);
            assertThat(store.deliveries().claimDue("acc", T0, notHeld, 10)).as("fenced: no lease, no claim").isEmpty();
            List<Delivery> claimed = store.deliveries().claimDue("acc", T0, fence, 10);
            assertThat(claimed).extracting(Delivery::id).containsExactly(early.id(), late.id());
            assertThat(claimed).allSatisfy(c -> {
                assertThat(c.status()).isEqualTo(DeliveryStatus.CLAIMED);
                assertThat(c.leaseOwner()).isEqualTo("i1");
                assertThat(c.version()).isEqualTo(1);
                assertThat(store.deliveries().findById(c.id())).contains(c);
            });
            assertThat(store.deliveries().claimDue("acc", T0, fence, 10)).isEmpty();
            assertThat(store.deliveries().claimDue("acc", T0.plusSeconds(10), fence, 1))
                    .extracting(Delivery::id).containsExactly(future.id());
        }

        @Test
        void earliestDueIsToldPerAccountInOneCall() {
            Delivery late = delivery(orderedId(1), "s", "acc", newPhone(), T0.minusSeconds(1));
            Delivery early = delivery(orderedId(2), "s", "acc", newPhone(), T0.minusSeconds(9));
            Delivery other = delivery(orderedId(3), "s", "other", newPhone(), T0.plusSeconds(5));
            Delivery notAsked = delivery(orderedId(4), "s", "third", newPhone(), T0.minusSeconds(20));
            Delivery claimedLater = delivery(orderedId(5), "s", "claimed", newPhone(), T0.minusSeconds(30));
            store.deliveries().insertAll(List.of(late, early, other, notAsked, claimedLater));
            Lease fence = store.leases().acquire("session:claimed", "i1", Duration.ofSeconds(30)).orElseThrow();
            assertThat(store.deliveries().claimDue("claimed", T0, fence, 10)).hasSize(1);

            assertThat(store.deliveries().earliestDueByAccount(List.of("acc", "other", "claimed", "nobody")))
                    .as("PENDING only, accounts asked for only")
                    .isEqualTo(Map.of("acc", ms(T0.minusSeconds(9)), "other", ms(T0.plusSeconds(5))));
            assertThat(store.deliveries().earliestDueByAccount(List.of())).isEmpty();
        }

        @Test
        void inFlightWorkIsFoundAndCarriesEvidenceWithoutANewVersion() {
            Delivery a = delivery(orderedId(1), "s", "acc", newPhone(), T0);
            Delivery b = delivery(orderedId(2), "s", "acc", newPhone(), T0);
            Delivery other = delivery(orderedId(3), "s", "other", newPhone(), T0);
            store.deliveries().insertAll(List.of(a, b, other));
            Lease fence = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
            List<Delivery> claimed = store.deliveries().claimDue("acc", T0, fence, 2);
            Delivery sending = claimed.get(1).startSending(T0);
            assertThat(store.deliveries().update(sending, fence)).isTrue();
            assertThat(store.deliveries().findInFlight("acc", 10)).extracting(Delivery::status)
                    .containsExactlyInAnyOrder(DeliveryStatus.CLAIMED, DeliveryStatus.SENDING);
            assertThat(store.deliveries().findInFlight("other", 10)).isEmpty();
            assertThat(store.deliveries().findLeasedBy("i1", 10)).hasSize(2);
            assertThat(store.deliveries().findLeasedBy("i2", 10)).isEmpty();

            assertThat(store.deliveries().recordEvidence(sending.id(), sending.version(), "before:m0", null)).isTrue();
            assertThat(store.deliveries().recordEvidence(sending.id(), sending.version(), null, "m1")).isTrue();
            assertThat(store.deliveries().recordEvidence(sending.id(), sending.version() - 1, null, "m2"))
                    .as("another version").isFalse();
            assertThat(store.deliveries().recordEvidence(claimed.get(0).id(), claimed.get(0).version(), "x", null))
                    .as("not sending").isFalse();
            Delivery withEvidence = store.deliveries().findById(sending.id()).orElseThrow();
            assertThat(withEvidence.sendMarker()).isEqualTo("before:m0");
            assertThat(withEvidence.transportMessageId()).isEqualTo("m1");
            assertThat(withEvidence.version()).as("evidence keeps the version").isEqualTo(sending.version());
            assertThat(store.deliveries().findByTransportMessageId("acc", "m1")).contains(withEvidence);
            Delivery uncertain = withEvidence.uncertain("gone", T0.plusSeconds(61));
            assertThat(store.deliveries().update(uncertain, fence)).as("CAS after evidence").isTrue();
            assertThat(store.deliveries().findById(sending.id()).orElseThrow().transportMessageId())
                    .as("UNCERTAIN keeps the evidence for the lookup").isEqualTo("m1");
        }

        @Test
        void writesFencedByALostLeaseChangeNothing() {
            Delivery a = delivery(orderedId(1), "s", "acc", newPhone(), T0);
            Delivery b = delivery(orderedId(2), "s", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(a, b));
            Lease old = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
            Delivery claimed = store.deliveries().claimDue("acc", T0, old, 1).get(0);
            store.leases().release("session:acc", "i1");
            Lease current = store.leases().acquire("session:acc", "i2", Duration.ofSeconds(30)).orElseThrow();
            assertThat(current.epoch()).as("a new epoch").isGreaterThan(old.epoch());
            assertThat(store.deliveries().update(claimed.startSending(T0), old)).as("former owner").isFalse();
            assertThat(store.deliveries().claimDue("acc", T0, old, 10)).as("former owner").isEmpty();
            assertThat(store.deliveries().findById(claimed.id())).contains(claimed);
            assertThat(store.deliveries().update(claimed.release(T0, T0), current)).isTrue();
            assertThat(store.deliveries().claimDue("acc", T0, current, 10)).hasSize(2);
        }

        @Test
        void historyFiltersAndPagesNewestFirst() {
            List<Delivery> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Delivery d = Delivery.pending(orderedId(i), i % 2 == 0 ? "s-even" : "s-odd", T0.plusSeconds(i),
                        Recipient.contact(i % 3 == 0 ? "c-three" : "c-" + i, newPhone(), null), i < 20 ? "acc" : "acc2",
                        MessageContent.text("m" + i), T0.plusSeconds(i));
                all.add(d);
            }
            store.deliveries().insertAll(all);
            List<String> ids = new ArrayList<>();
            PageRequest req = PageRequest.first(7);
            while (true) {
                Page<Delivery> page = store.deliveries().history(DeliveryQuery.all(), req);
                page.items().forEach(d -> ids.add(d.id()));
                if (page.nextCursor().isEmpty()) {
                    break;
                }
                req = PageRequest.after(page.nextCursor().get(), 7);
            }
            List<String> expected = new ArrayList<>(all.stream().map(Delivery::id).toList());
            Collections.reverse(expected);
            assertThat(ids).containsExactlyElementsOf(expected);
            assertThat(store.deliveries().history(DeliveryQuery.all().forSchedule("s-even"), PageRequest.first(100)).items())
                    .hasSize(15);
            assertThat(store.deliveries().history(DeliveryQuery.all().forContact("c-three"), PageRequest.first(100)).items())
                    .hasSize(10);
            assertThat(store.deliveries().history(DeliveryQuery.all().forAccount("acc2"), PageRequest.first(100)).items())
                    .hasSize(10);
            assertThat(store.deliveries().history(DeliveryQuery.all().between(ms(T0).plusSeconds(5), ms(T0).plusSeconds(10)),
                    PageRequest.first(100)).items()).extracting(Delivery::id)
                    .containsExactly(orderedId(9), orderedId(8), orderedId(7), orderedId(6), orderedId(5));
            Delivery first = all.get(0);
            store.deliveries().update(first.cancel("x", T0));
            assertThat(store.deliveries().history(DeliveryQuery.status(DeliveryStatus.CANCELLED), PageRequest.first(100))
                    .items()).extracting(Delivery::id).containsExactly(first.id());
            assertThat(store.deliveries().countByStatus(null))
                    .containsEntry(DeliveryStatus.PENDING, 29L).containsEntry(DeliveryStatus.CANCELLED, 1L);
            assertThat(store.deliveries().countByStatus("acc2")).containsEntry(DeliveryStatus.PENDING, 10L);
            assertThat(store.deliveries().findPending("s-even", null, 100)).hasSize(14);
            assertThat(store.deliveries().findPending(null, "c-three", 3)).hasSize(3);
        }

        @Test
        void aReplyIsMarkedOnceBesideTheStatusMachine() {
            Delivery d = delivery(id(), "s", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(d));
            Delivery sent = d.claimForSending("i", T0).sent("wamid.r", T0.plusSeconds(1), T0.plusSeconds(1));
            assertThat(store.deliveries().update(d.claimForSending("i", T0))).isTrue();
            assertThat(store.deliveries().update(sent)).isTrue();
            assertThat(store.deliveries().markReplied(d.id(), T0.plusSeconds(5))).isTrue();
            Delivery replied = store.deliveries().findById(d.id()).orElseThrow();
            assertThat(replied.repliedAt()).isEqualTo(ms(T0.plusSeconds(5)));
            assertThat(replied).as("only repliedAt changed, the version too stays").isEqualTo(sent.withRepliedAt(
                    ms(T0.plusSeconds(5))));
            assertThat(another().deliveries().markReplied(d.id(), T0.plusSeconds(9))).as("a second reply").isFalse();
            assertThat(store.deliveries().markReplied("no-such-delivery", T0)).isFalse();

            // An ack written from the delivery as read before the reply keeps the reply's time.
            Delivery read = sent.acknowledged(DeliveryStatus.READ, T0.plusSeconds(10));
            assertThat(read.repliedAt()).isNull();
            assertThat(store.deliveries().update(read)).isTrue();
            Delivery back = store.deliveries().findById(d.id()).orElseThrow();
            assertThat(back.status()).isEqualTo(DeliveryStatus.READ);
            assertThat(back.repliedAt()).isEqualTo(ms(T0.plusSeconds(5)));
            assertThat(store.deliveries().findByTransportMessageId("acc", "wamid.r")).contains(back);
            assertThat(store.deliveries().history(DeliveryQuery.all(), PageRequest.first(5)).items()).containsExactly(back);
        }

        @Test
        void historyAndCountsTellTheRepliedDeliveries() {
            List<Delivery> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(delivery(orderedId(i), "s", i < 4 ? "acc" : "acc2", newPhone(), T0));
            }
            store.deliveries().insertAll(all);
            for (int i : new int[] {1, 2, 5}) {
                assertThat(store.deliveries().markReplied(all.get(i).id(), T0.plusSeconds(i))).isTrue();
            }
            assertThat(store.deliveries().history(DeliveryQuery.all().replied(), PageRequest.first(2)).items())
                    .extracting(Delivery::id).containsExactly(orderedId(5), orderedId(2));
            assertThat(store.deliveries().history(DeliveryQuery.all().forAccount("acc").replied(),
                    PageRequest.after(orderedId(2), 10)).items()).extracting(Delivery::id).containsExactly(orderedId(1));
            assertThat(store.deliveries().history(DeliveryQuery.status(DeliveryStatus.PENDING).replied()
                    .forAccount("acc2"), PageRequest.first(10)).items()).extracting(Delivery::repliedAt)
                    .containsExactly(ms(T0.plusSeconds(5)));
            assertThat(store.deliveries().history(DeliveryQuery.all().forAccount("acc"), PageRequest.first(10)).items())
                    .as("without the filter, answered or not").hasSize(4);
            assertThat(store.deliveries().countReplied(null)).isEqualTo(3);
            assertThat(store.deliveries().countReplied("acc")).isEqualTo(2);
            assertThat(store.deliveries().countReplied("other")).isZero();
        }

        @Test
        void knowsWhatWasSentToWhomAndPurgesOldFinishedWork() {
            String phone = newPhone();
            Delivery d = delivery(id(), "s", "acc", phone, T0);
            Delivery keep = delivery(id(), "s", "acc", newPhone(), T0);
            store.deliveries().insertAll(List.of(d, keep));
            assertThat(store.deliveries().wasSentTo("acc", phone)).isFalse();
            Delivery c = d.claim("i", T0.plusSeconds(30), T0);
            Delivery s = c.startSending(T0);
            Delivery sent = s.sent("m1", T0, T0);
            store.deliveries().update(c);
            store.deliveries().update(s);
            store.deliveries().update(sent);
            assertThat(store.deliveries().wasSentTo("acc", phone)).isTrue();
            assertThat(store.deliveries().wasSentTo("other", phone)).isFalse();
            assertThat(store.deliveries().purge(ms(T0), 10)).as("not older than the cut-off").isZero();
            assertThat(store.deliveries().purge(ms(T0).plusMillis(1), 10)).isEqualTo(1);
            assertThat(store.deliveries().findById(d.id())).isEmpty();
            assertThat(store.deliveries().findById(keep.id())).as("pending is never purged").isPresent();
        }

        @Test
        void purgeIsBounded() {
            List<Delivery> ds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ds.add(delivery(id(), "s", "acc", newPhone(), T0));
            }
            store.deliveries().insertAll(ds);
            ds.forEach(d -> store.deliveries().update(d.cancel("x", T0)));
            assertThat(store.deliveries().purge(T0.plusSeconds(1), 5)).isEqualTo(5);
            assertThat(store.deliveries().purge(T0.plusSeconds(1), 5)).isEqualTo(5);
            assertThat(store.deliveries().purge(T0.plusSeconds(1), 5)).isEqualTo(2);
        }

        @Test
        @Timeout(120)
        void concurrentClaimsNeverHandOutADeliveryTwice() throws Exception {
            int n = 2000;
            List<Delivery> ds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ds.add(delivery(orderedId(i), "s", "acc", newPhone(), T0));
            }
            for (int i = 0; i < n; i += 500) {
                store.deliveries().insertAll(ds.subList(i, Math.min(n, i + 500)));
            }
            int threads = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
            // One lease for all: the race is between claim statements, which the fence must not serialise away.
            Lease fence = store.leases().acquire("session:acc", "i0", Duration.ofSeconds(60)).orElseThrow();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                WaschedStore s = another();
                String owner = "i" + t;
                fs.add(pool.submit(() -> {
                    start.await();
                    while (true) {
                        List<Delivery> got = s.deliveries().claimDue("acc", T0, fence, 25);
                        if (got.isEmpty()) {
                            return null;
                        }
                        got.forEach(d -> claimed.add(d.id()));
                    }
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(claimed).hasSize(n).doesNotHaveDuplicates();
        }
    }

    // ---- media, sessions, leases, instances, pacing ---------------------------------------------------------

    @Test
    void mediaIsKeptOncePerDigest() {
        byte[] bytes = "%PDF-1.7 menu".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MediaAttachment a = new MediaAttachment("c".repeat(64), "application/pdf", "menu.pdf", bytes.length);
        store.media().put(a, bytes);
        store.media().put(new MediaAttachment("c".repeat(64), "application/pdf", "other-name.pdf", bytes.length), bytes);
        assertThat(store.media().get("c".repeat(64))).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
        assertThat(store.media().get("d".repeat(64))).isEmpty();
    }

    @Test
    void sessionSnapshotsReplaceAtomicallyAndQuarantine() {
        byte[] v1 = new byte[]{1, 2, 3};
        SessionSnapshot s1 = new SessionSnapshot("acc", v1, "sha-1", false, T0, 1);
        assertThat(store.sessions().replace(s1)).isTrue();
        assertThat(store.sessions().replace(s1)).as("version 1 exists").isFalse();
        SessionSnapshot s2 = new SessionSnapshot("acc", new byte[]{9}, "sha-2", true, T0.plusSeconds(1), 2);
        assertThat(store.sessions().replace(s2)).isTrue();
        assertThat(store.sessions().load("acc")).contains(s2);
        assertThat(store.sessions().load("acc").orElseThrow().savedAt()).isEqualTo(ms(T0.plusSeconds(1)));
        assertThat(store.sessions().savedAt("acc")).contains(ms(T0.plusSeconds(1)));
        assertThat(store.sessions().load("other")).isEmpty();
        assertThat(store.sessions().savedAt("other")).isEmpty();
        store.sessions().quarantine("acc", "checksum mismatch", T0.plusSeconds(2));
        assertThat(store.sessions().load("acc")).isEmpty();
        assertThat(store.sessions().savedAt("acc")).isEmpty();
        assertThat(store.sessions().quarantinedCount("acc")).isEqualTo(1);
        assertThat(store.sessions().replace(new SessionSnapshot("acc", v1, "sha-3", false, T0, 1))).isTrue();
        store.sessions().delete("acc");
        assertThat(store.sessions().load("acc")).isEmpty();
    }

    @Test
    void largeSessionSnapshotRoundTrips() {
        byte[] big = new byte[6 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        SessionSnapshot s = new SessionSnapshot("acc", big, "sha-big", true, T0, 1);
        assertThat(store.sessions().replace(s)).isTrue();
        assertThat(store.sessions().load("acc").orElseThrow().data()).isEqualTo(big);
    }

    @Test
    void sessionSavesAreFencedByTheLease() {
        Lease first = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(store.sessions().replace(new SessionSnapshot("acc", new byte[]{1}, "sha-1", true, T0, 1), first))
                .isTrue();
        store.leases().release("session:acc", "i1");
        Lease second = store.leases().acquire("session:acc", "i2", Duration.ofSeconds(30)).orElseThrow();
        SessionSnapshot stale = new SessionSnapshot("acc", new byte[]{2}, "sha-2", true, T0, 2);
        assertThat(store.sessions().replace(stale, first)).as("the former owner's save").isFalse();
        assertThat(store.sessions().load("acc").orElseThrow().sha256()).isEqualTo("sha-1");
        assertThat(store.sessions().replace(new SessionSnapshot("acc", new byte[]{3}, "sha-3", true, T0, 2), second))
                .isTrue();
        assertThat(store.sessions().load("acc").orElseThrow().sha256()).isEqualTo("sha-3");
    }

    @Test
    void quarantinedSnapshotsArePurged() {
        store.sessions().replace(new SessionSnapshot("acc", new byte[]{1}, "sha-1", false, T0, 1));
        store.sessions().quarantine("acc", "bad", T0);
        store.sessions().replace(new SessionSnapshot("acc", new byte[]{2}, "sha-2", false, T0, 1));
        store.sessions().quarantine("acc", "bad", T0.plusSeconds(60));
        assertThat(store.sessions().quarantinedCount("acc")).isEqualTo(2);
        assertThat(store.sessions().purgeQuarantined(T0.plusSeconds(30))).isEqualTo(1);
        assertThat(store.sessions().quarantinedCount("acc")).isEqualTo(1);
    }

    @Test
    void leasesAreExclusiveUntilTheyExpireOnTheStoresClock() throws InterruptedException {
        Duration ttl = Duration.ofMillis(1500);
        Lease l1 = store.leases().acquire("session:acc", "i1", ttl).orElseThrow();
        assertThat(store.leases().acquire("session:acc", "i2", ttl)).isEmpty();
        assertThat(store.leases().acquire("session:acc", "i1", ttl)).as("re-entrant, same epoch").contains(l1);
        assertThat(store.leases().owner("session:acc")).contains("i1");
        assertThat(store.leases().current("session:acc")).contains(l1);
        assertThat(store.leases().renew(l1, ttl)).isTrue();
        assertThat(store.leases().renew(new Lease("session:acc", "i2", l1.epoch()), ttl)).isFalse();
        assertThat(store.leases().renew(new Lease("session:acc", "i1", l1.epoch() + 1), ttl)).as("epoch").isFalse();
        Thread.sleep(ttl.toMillis() + 300);
        assertThat(store.leases().owner("session:acc")).as("expired").isEmpty();
        assertThat(store.leases().renew(l1, ttl)).as("an expired lease is not renewed").isFalse();
        Lease l2 = store.leases().acquire("session:acc", "i2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(l2.epoch()).isGreaterThan(l1.epoch());
        store.leases().release("session:acc", "i1");
        assertThat(store.leases().owner("session:acc")).as("not ours to release").contains("i2");
        store.leases().release("session:acc", "i2");
        assertThat(store.leases().owner("session:acc")).isEmpty();
        Lease l3 = store.leases().acquire("session:acc", "i3", Duration.ofSeconds(30)).orElseThrow();
        assertThat(l3.epoch()).as("epochs never repeat, even after a release").isGreaterThan(l2.epoch());
    }

    @Test
    void oneRenewalRenewsHeldLeasesWithTheirEpochsAndReadsOthers() throws InterruptedException {
        Duration shortTtl = Duration.ofMillis(1000);
        Duration ttl = Duration.ofSeconds(30);
        Lease a = store.leases().acquire("session:a", "i1", shortTtl).orElseThrow();
        Lease b = store.leases().acquire("session:b", "i1", shortTtl).orElseThrow();
        Lease expiring = store.leases().acquire("session:x", "i1", shortTtl).orElseThrow();
        Lease others = store.leases().acquire("session:c", "i2", ttl).orElseThrow();
        Lease released = store.leases().acquire("session:d", "i1", ttl).orElseThrow();
        store.leases().release("session:d", "i1");
        Lease notOurs = new Lease("session:c", "i1", others.epoch());
        Lease oldEpoch = new Lease("session:e", "i1", store.leases().acquire("session:e", "i1", ttl).orElseThrow()
                .epoch() + 1);

        LeaseRenewal r = store.leases().renewAll(List.of(a, b, released, notOurs, oldEpoch), ttl,
                List.of("session:c", "session:d", "session:none"));

        assertThat(r.renewed()).containsExactlyInAnyOrder(a, b);
        assertThat(r.current()).as("only leases held now are read").containsOnlyKeys("session:c");
        assertThat(r.current().get("session:c")).isEqualTo(others);
        assertThat(store.leases().current("session:c")).as("not renewed for a non-holder").contains(others);
        Thread.sleep(shortTtl.toMillis() + 300);
        assertThat(store.leases().current("session:a")).as("renewed to the new ttl, epoch kept").contains(a);
        assertThat(store.leases().current("session:b")).contains(b);
        assertThat(store.leases().current("session:x")).as("not in the renewal: expired").isEmpty();
        assertThat(store.leases().renewAll(List.of(expiring), ttl, List.of()).renewed())
                .as("an expired lease is not renewed").isEmpty();
        assertThat(store.leases().renewAll(List.of(), ttl, List.of())).isEqualTo(new LeaseRenewal(Set.of(), Map.of()));
    }

    @Test
    @Timeout(60)
    void concurrentLeaseAcquisitionHasOneWinner() throws Exception {
        // A first taking (a row is inserted) and a later one (a released lease: a new epoch).
        store.leases().acquire("session:race2", "i0", Duration.ofSeconds(30));
        store.leases().release("session:race2", "i0");
        for (String lease : List.of("session:race", "session:race2")) {
            int threads = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                WaschedStore s = another();
                String owner = "i" + t;
                fs.add(pool.submit(() -> {
                    start.await();
                    return s.leases().acquire(lease, owner, Duration.ofSeconds(30)).isPresent();
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : fs) {
                winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            pool.shutdown();
            assertThat(winners).as("winners of %s", lease).isEqualTo(1);
        }
    }

    @Test
    void aFirstSessionSaveNeedsTheLeaseToo() {
        Lease lost = store.leases().acquire("session:acc", "i1", Duration.ofSeconds(30)).orElseThrow();
        store.leases().release("session:acc", "i1");
        assertThat(store.sessions().replace(new SessionSnapshot("acc", new byte[]{1}, "sha-1", true, T0, 1), lost))
                .isFalse();
        assertThat(store.sessions().load("acc")).isEmpty();
    }

    @Test
    @Timeout(180)
    void twoEnginesWithClocksApartNeverShareAnAccount() throws Exception {
        new SkewedEnginesScenario(store, another()).run();
    }

    @Test
    void instancesHeartbeatAndExpire() {
        store.instances().heartbeat(new InstanceInfo("i1", "h1", T0, T0, T0.plusSeconds(30)));
        store.instances().heartbeat(new InstanceInfo("i2", "h2", T0, T0, T0.plusSeconds(10)));
        assertThat(store.instances().live(T0.plusSeconds(5))).extracting(InstanceInfo::id).containsExactly("i1", "i2");
        assertThat(store.instances().live(T0.plusSeconds(10))).extracting(InstanceInfo::id).containsExactly("i1");
        store.instances().heartbeat(new InstanceInfo("i2", "h2", T0, T0.plusSeconds(20), T0.plusSeconds(50)));
        assertThat(store.instances().live(T0.plusSeconds(40))).extracting(InstanceInfo::id).containsExactly("i2");
        assertThat(store.instances().live(T0.plusSeconds(40)).get(0).lastSeenAt()).isEqualTo(ms(T0.plusSeconds(20)));
        store.instances().remove("i2");
        assertThat(store.instances().live(T0)).extracting(InstanceInfo::id).containsExactly("i1");
    }

    @Test
    void pacingStateIsCompareAndSet() {
        assertThat(store.pacing().load("acc")).isEmpty();
        PacingState p1 = new PacingState("acc", T0.plusSeconds(20), T0, 3, T0, 40, 2, 1);
        assertThat(store.pacing().save(p1)).isTrue();
        assertThat(store.pacing().save(p1)).isFalse();
        PacingState p2 = new PacingState("acc", T0.plusSeconds(40), T0, 4, T0, 41, 2, 2);
        assertThat(store.pacing().save(p2)).isTrue();
        assertThat(store.pacing().load("acc")).contains(p2);
        assertThat(store.pacing().load("other")).isEmpty();
    }

    @Test
    void pingAnswers() {
        store.ping();
    }

    // ---- several engines on one store -----------------------------------------------------------------------

    /** Deliveries the engine test sends; a store may lower it when its test server is slow. */
    protected int engineTestDeliveries() {
        return 2000;
    }

    @Test
    @Timeout(180)
    void severalEnginesSendEveryDeliveryExactlyOnce() throws Exception {
        int total = engineTestDeliveries();
        List<String> accounts = List.of("acc-a", "acc-b", "acc-c", "acc-d");
        MessageLog truth = new MessageLog();
        List<Wasched> engines = new ArrayList<>();
        try {
            for (int e = 0; e < 3; e++) {
                WaschedStore s = e == 0 ? store : another();
                var builder = Wasched.builder().store(s).instanceId("engine-" + e).pacing(PacingPolicy.unlimited())
                        .fallbackPoll(Duration.ofMillis(200)).heartbeatInterval(Duration.ofMillis(500))
                        .leaseDuration(Duration.ofSeconds(5));
                for (String a : accounts) {
                    builder.transport(a, () -> new RecordingTransport(a, truth));
                }
                engines.add(builder.build());
            }
            Wasched first = engines.get(0);
            int perAccount = total / accounts.size();
            List<String> groupNames = new ArrayList<>();
            for (String a : accounts) {
                for (int i = 0; i < perAccount; i += 100) {
                    // Group targets skip contact set-up and still produce one delivery per schedule.
                    for (int j = i; j < Math.min(perAccount, i + 100); j++) {
                        String name = a + "-group-" + j;
                        groupNames.add(name);
                        first.schedules().create(ScheduleSpec.builder().account(a).to(Target.group(name))
                                .text("Hello " + name).trigger(Trigger.once(Instant.now())).build());
                    }
                }
            }
            engines.forEach(Wasched::start);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (truth.size() < groupNames.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // A send's outcome is written with its account's next dispatch cycle, just after the send.
            while (store.deliveries().countByStatus(null).getOrDefault(DeliveryStatus.SENT, 0L) < groupNames.size()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Set<String> recipients = new HashSet<>();
            truth.entries().forEach(en -> recipients.add(en.recipient()));
            assertThat(truth.duplicates()).as("deliveries sent twice").isEmpty();
            assertThat(recipients).containsExactlyInAnyOrderElementsOf(groupNames);
            Map<DeliveryStatus, Long> counts = store.deliveries().countByStatus(null);
            assertThat(counts.getOrDefault(DeliveryStatus.SENT, 0L)).isEqualTo(groupNames.size());
        } finally {
            engines.forEach(Wasched::close);
        }
    }
}
