package dev.wasched.memory;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.contact.Contact;
import dev.wasched.delivery.Delivery;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.message.MediaAttachment;
import dev.wasched.message.Template;
import dev.wasched.schedule.Schedule;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.InstanceInfo;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.Lease;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.PacingState;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.SessionSnapshot;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A store in the JVM's memory: for tests, demos and single-process use where losing everything on exit is fine.
 * Thread-safe (one lock); several engines in one JVM may share it.
 */
public final class InMemoryStore implements WaschedStore {
    private final Object lock = new Object();
    private final TreeMap<String, Contact> contacts = new TreeMap<>();
    private final Map<String, String> contactByPhone = new HashMap<>();
    private final TreeMap<String, Template> templates = new TreeMap<>();
    /** Received messages by engine id; {@code account + '\0' + messageId} → id keeps one per message. */
    private final TreeMap<String, dev.wasched.inbound.InboundMessage> inbound = new TreeMap<>();
    private final Map<String, String> inboundByMessage = new HashMap<>();
    private final Inbound inboundRepository = new Inbound();
    private final TreeMap<String, Schedule> schedules = new TreeMap<>();
    private final TreeMap<String, Delivery> deliveries = new TreeMap<>();
    private final Map<String, String> deliveryByKey = new HashMap<>();
    private final Map<String, byte[]> media = new HashMap<>();
    private final Map<String, SessionSnapshot> sessions = new HashMap<>();
    private final Map<String, List<SessionSnapshot>> quarantined = new HashMap<>();
    private final Map<String, LeaseRow> leases = new HashMap<>();
    /** The epoch of the lease each account's stored snapshot was saved under (fenced saves). */
    private final Map<String, Long> sessionEpochs = new HashMap<>();
    private final Map<String, List<Instant>> quarantinedAt = new HashMap<>();
    /** This store's own clock: leases are judged on it, as a database judges them on its own. */
    private final java.time.Clock clock;
    private final TreeMap<String, InstanceInfo> instances = new TreeMap<>();
    private final Map<String, PacingState> pacing = new HashMap<>();
    private final TreeMap<String, dev.wasched.account.Account> accounts = new TreeMap<>();

    /** A lease row; {@code owner} is null once released (the epoch stays, so fencing tokens never repeat). */
    private record LeaseRow(String owner, Instant until, long epoch) {
        boolean heldBy(String who, Instant now) {
            return who.equals(owner) && until.isAfter(now);
        }
    }

    /** A store whose leases run on the system clock. */
    public InMemoryStore() {
        this(java.time.Clock.systemUTC());
    }

    /**
     * A store whose leases run on {@code clock}: the clock the "database" keeps, which is not necessarily the one the
     * engines using it are given.
     */
    public InMemoryStore(java.time.Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** True when {@code fence} is held now; call with the lock held. */
    private boolean holds(Lease fence) {
        LeaseRow l = leases.get(fence.name());
        return l != null && l.epoch == fence.epoch() && l.heldBy(fence.owner(), clock.instant());
    }

    private final ContactRepository contactRepo = new Contacts();
    private final TemplateRepository templateRepo = new Templates();
    private final ScheduleRepository scheduleRepo = new Schedules();
    private final DeliveryRepository deliveryRepo = new Deliveries();
    private final MediaRepository mediaRepo = new Media();
    private final SessionRepository sessionRepo = new Sessions();
    private final LeaseRepository leaseRepo = new Leases();
    private final InstanceRepository instanceRepo = new Instances();
    private final PacingRepository pacingRepo = new Pacing();
    private final dev.wasched.spi.store.AccountRepository accountRepo = new Accounts();
    private final dev.wasched.spi.store.WebhookRepository webhookRepo = new InMemoryWebhooks();
    private final InMemoryAccess access = new InMemoryAccess();

    @Override
    public ContactRepository contacts() {
        return contactRepo;
    }

    @Override
    public dev.wasched.spi.store.InboundRepository inbound() {
        return inboundRepository;
    }

    @Override
    public TemplateRepository templates() {
        return templateRepo;
    }

    @Override
    public ScheduleRepository schedules() {
        return scheduleRepo;
    }

    @Override
    public DeliveryRepository deliveries() {
        return deliveryRepo;
    }

    @Override
    public MediaRepository media() {
        return mediaRepo;
    }

    @Override
    public SessionRepository sessions() {
        return sessionRepo;
    }

    @Override
    public LeaseRepository leases() {
        return leaseRepo;
    }

    @Override
    public InstanceRepository instances() {
        return instanceRepo;
    }

    @Override
    public dev.wasched.spi.store.AccountRepository accounts() {
        return accountRepo;
    }

    @Override
    public PacingRepository pacing() {
        return pacingRepo;
    }

    @Override
    public dev.wasched.spi.store.WebhookRepository webhooks() {
        return webhookRepo;
    }

    @Override
    public dev.wasched.spi.store.UserRepository users() {
        return access;
    }

    @Override
    public dev.wasched.spi.store.AuditRepository audit() {
        return access;
    }

    /** Under the store's one lock: atomic, as a transaction would be. */
    @Override
    public void insertSchedule(dev.wasched.schedule.Schedule schedule,
                               java.util.List<dev.wasched.delivery.Delivery> deliveries) {
        synchronized (lock) {
            WaschedStore.super.insertSchedule(schedule, deliveries);
        }
    }

    /** Under the store's one lock: atomic, as a transaction would be. */
    @Override
    public Optional<List<Delivery>> editSchedule(dev.wasched.schedule.Schedule edited, List<Delivery> replaced) {
        synchronized (lock) {
            return WaschedStore.super.editSchedule(edited, replaced);
        }
    }

    /** The repositories' calls one after another, under the store's one lock: atomic, as a transaction would be. */
    @Override
    public dev.wasched.spi.store.DispatchCycle.Result dispatch(dev.wasched.spi.store.DispatchCycle cycle) {
        synchronized (lock) {
            return cycle.runByParts(this);
        }
    }

    @Override
    public void ping() {
    }

    @Override
    public void close() {
    }

    private static <T> Page<T> page(TreeMap<String, T> map, PageRequest req, Predicate<T> filter,
                                    java.util.function.Function<T, String> id) {
        var view = req.cursor() == null ? map : map.tailMap(req.cursor(), false);
        List<T> fetched = view.values().stream().filter(filter).limit(req.limit() + 1L).toList();
        return Page.of(fetched, req.limit(), id);
    }

    private final class Contacts implements ContactRepository {
        @Override
        public void insert(Contact c) {
            synchronized (lock) {
                if (contactByPhone.containsKey(c.phone().e164()) || contacts.containsKey(c.id())) {
                    throw new DuplicateKeyException("contact with phone " + c.phone().e164() + " exists");
                }
                contacts.put(c.id(), c);
                contactByPhone.put(c.phone().e164(), c.id());
            }
        }

        @Override
        public boolean update(Contact c) {
            synchronized (lock) {
                Contact old = contacts.get(c.id());
                if (old == null || old.version() != c.version() - 1) {
                    return false;
                }
                String owner = contactByPhone.get(c.phone().e164());
                if (owner != null && !owner.equals(c.id())) {
                    throw new DuplicateKeyException("contact with phone " + c.phone().e164() + " exists");
                }
                contactByPhone.remove(old.phone().e164());
                contactByPhone.put(c.phone().e164(), c.id());
                contacts.put(c.id(), c);
                return true;
            }
        }

        @Override
        public Optional<Contact> findById(String id) {
            synchronized (lock) {
                return Optional.ofNullable(contacts.get(id));
            }
        }

        @Override
        public Optional<Contact> findByPhone(String e164) {
            synchronized (lock) {
                return Optional.ofNullable(contactByPhone.get(e164)).map(contacts::get);
            }
        }

        @Override
        public boolean delete(String id) {
            synchronized (lock) {
                Contact c = contacts.remove(id);
                if (c != null) {
                    contactByPhone.remove(c.phone().e164());
                }
                return c != null;
            }
        }

        @Override
        public Page<Contact> list(PageRequest page) {
            synchronized (lock) {
                return page(contacts, page, c -> true, Contact::id);
            }
        }

        @Override
        public Page<Contact> findByTag(String tag, PageRequest page) {
            synchronized (lock) {
                return page(contacts, page, c -> c.tags().contains(tag), Contact::id);
            }
        }

        @Override
        public Page<Contact> search(String text, PageRequest page) {
            String lower = text.toLowerCase(Locale.ROOT);
            String digits = text.replaceAll("[^0-9]", "");
            synchronized (lock) {
                return page(contacts, page, c -> c.displayName().toLowerCase(Locale.ROOT).contains(lower)
                        || (!digits.isEmpty() && c.phone().e164().contains(digits)), Contact::id);
            }
        }

        @Override
        public long count() {
            synchronized (lock) {
                return contacts.size();
            }
        }
    }

    private final class Inbound implements dev.wasched.spi.store.InboundRepository {
        @Override
        public boolean insert(dev.wasched.inbound.InboundMessage m) {
            synchronized (lock) {
                if (inboundByMessage.putIfAbsent(m.account() + '\0' + m.messageId(), m.id()) != null) {
                    return false;
                }
                inbound.put(m.id(), m);
                return true;
            }
        }

        @Override
        public Optional<dev.wasched.inbound.InboundMessage> find(String account, String messageId) {
            synchronized (lock) {
                String id = inboundByMessage.get(account + '\0' + messageId);
                return Optional.ofNullable(id == null ? null : inbound.get(id));
            }
        }

        @Override
        public Page<dev.wasched.inbound.InboundMessage> list(String account, String contactId, PageRequest page) {
            synchronized (lock) {
                var newestFirst = page.cursor() == null ? inbound.descendingMap()
                        : inbound.headMap(page.cursor(), false).descendingMap();
                List<dev.wasched.inbound.InboundMessage> out = new ArrayList<>();
                for (var m : newestFirst.values()) {
                    if ((account == null || account.equals(m.account()))
                            && (contactId == null || contactId.equals(m.contactId()))) {
                        out.add(m);
                        if (out.size() > page.limit()) {
                            break;
                        }
                    }
                }
                return Page.of(out, page.limit(), dev.wasched.inbound.InboundMessage::id);
            }
        }
    }

    private final class Templates implements TemplateRepository {
        @Override
        public void insert(Template t) {
            synchronized (lock) {
                if (templates.putIfAbsent(t.name(), t) != null) {
                    throw new DuplicateKeyException("template " + t.name() + " exists");
                }
            }
        }

        @Override
        public boolean update(Template t) {
            synchronized (lock) {
                Template old = templates.get(t.name());
                if (old == null || old.version() != t.version() - 1) {
                    return false;
                }
                templates.put(t.name(), t);
                return true;
            }
        }

        @Override
        public Optional<Template> findByName(String name) {
            synchronized (lock) {
                return Optional.ofNullable(templates.get(name));
            }
        }

        @Override
        public boolean delete(String name) {
            synchronized (lock) {
                return templates.remove(name) != null;
            }
        }

        @Override
        public List<Template> list() {
            synchronized (lock) {
                return List.copyOf(templates.values());
            }
        }
    }

    private final class Schedules implements ScheduleRepository {
        @Override
        public void insert(Schedule s) {
            synchronized (lock) {
                if (schedules.putIfAbsent(s.id(), s) != null) {
                    throw new DuplicateKeyException("schedule " + s.id() + " exists");
                }
            }
        }

        @Override
        public boolean update(Schedule s) {
            synchronized (lock) {
                Schedule old = schedules.get(s.id());
                if (old == null || old.version() != s.version() - 1) {
                    return false;
                }
                schedules.put(s.id(), s);
                return true;
            }
        }

        @Override
        public Optional<Schedule> findById(String id) {
            synchronized (lock) {
                return Optional.ofNullable(schedules.get(id));
            }
        }

        @Override
        public boolean delete(String id) {
            synchronized (lock) {
                return schedules.remove(id) != null;
            }
        }

        @Override
        public Page<Schedule> list(PageRequest page) {
            synchronized (lock) {
                return page(schedules, page, s -> true, Schedule::id);
            }
        }

        @Override
        public List<Schedule> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
            return claimDue(now, now, owner, leaseUntil, limit);
        }

        @Override
        public List<Schedule> claimDue(Instant now, Instant horizon, String owner, Instant leaseUntil, int limit) {
            synchronized (lock) {
                List<Schedule> due = schedules.values().stream()
                        .filter(s -> !s.paused() && s.nextFireAt() != null && !s.nextFireAt().isAfter(horizon))
                        .filter(s -> s.leaseUntil() == null || !s.leaseUntil().isAfter(now))
                        .sorted(Comparator.comparing(Schedule::nextFireAt).thenComparing(Schedule::id))
                        .limit(limit).toList();
                List<Schedule> claimed = new ArrayList<>();
                for (Schedule s : due) {
                    Schedule c = s.toBuilder().leaseOwner(owner).leaseUntil(leaseUntil).updatedAt(now)
                            .version(s.version() + 1).build();
                    schedules.put(c.id(), c);
                    claimed.add(c);
                }
                return claimed;
            }
        }

        @Override
        public Optional<Instant> earliestDue() {
            synchronized (lock) {
                return schedules.values().stream().filter(s -> !s.paused() && s.nextFireAt() != null)
                        .map(Schedule::nextFireAt).min(Comparator.naturalOrder());
            }
        }

        @Override
        public FanOutResult fanOut(Schedule advanced, List<Delivery> list) {
            synchronized (lock) {
                Schedule old = schedules.get(advanced.id());
                if (old == null || old.version() != advanced.version() - 1) {
                    return new FanOutResult(0, false);
                }
                schedules.put(advanced.id(), advanced);
                return new FanOutResult(deliveryRepo.insertAll(list), true);
            }
        }

        @Override
        public List<FanOutResult> fanOutAll(List<FanOutItem> items) {
            // One lock for the batch: nobody sees part of it.
            synchronized (lock) {
                return ScheduleRepository.super.fanOutAll(items);
            }
        }
    }

    private final class Deliveries implements DeliveryRepository {
        @Override
        public int insertAll(List<Delivery> list) {
            synchronized (lock) {
                int n = 0;
                for (Delivery d : list) {
                    if (!deliveryByKey.containsKey(d.uniqueKey()) && !deliveries.containsKey(d.id())) {
                        deliveries.put(d.id(), d);
                        deliveryByKey.put(d.uniqueKey(), d.id());
                        n++;
                    }
                }
                return n;
            }
        }

        @Override
        public boolean update(Delivery d) {
            synchronized (lock) {
                Delivery old = deliveries.get(d.id());
                if (old == null || old.version() != d.version() - 1) {
                    return false;
                }
                deliveries.put(d.id(), d.withRepliedAt(old.repliedAt())); // not a transition's to change
                return true;
            }
        }

        @Override
        public boolean reassignPending(Delivery pending, String account, Instant now) {
            synchronized (lock) {
                Delivery old = deliveries.get(pending.id());
                if (old == null || old.version() != pending.version() || old.status() != DeliveryStatus.PENDING) {
                    return false;
                }
                deliveries.put(old.id(), old.reassigned(account, now));
                return true;
            }
        }

        @Override
        public boolean update(Delivery d, Lease fence) {
            synchronized (lock) {
                return holds(fence) && update(d);
            }
        }

        @Override
        public boolean recordEvidence(String deliveryId, long version, String sendMarker, String messageId) {
            synchronized (lock) {
                Delivery old = deliveries.get(deliveryId);
                if (old == null || old.version() != version || old.status() != DeliveryStatus.SENDING) {
                    return false;
                }
                deliveries.put(deliveryId, old.withEvidence(sendMarker, messageId));
                return true;
            }
        }

        @Override
        public boolean markReplied(String deliveryId, Instant at) {
            synchronized (lock) {
                Delivery old = deliveries.get(deliveryId);
                if (old == null || old.repliedAt() != null) {
                    return false;
                }
                deliveries.put(deliveryId, old.withRepliedAt(at));
                return true;
            }
        }

        @Override
        public boolean deletePending(String id, long version) {
            synchronized (lock) {
                Delivery old = deliveries.get(id);
                if (old == null || old.status() != DeliveryStatus.PENDING || old.version() != version) {
                    return false;
                }
                deliveries.remove(id);
                deliveryByKey.remove(old.uniqueKey());
                return true;
            }
        }

        @Override
        public Optional<Delivery> findById(String id) {
            synchronized (lock) {
                return Optional.ofNullable(deliveries.get(id));
            }
        }

        @Override
        public Optional<Delivery> findByTransportMessageId(String account, String messageId) {
            synchronized (lock) {
                return deliveries.values().stream()
                        .filter(d -> account.equals(d.account()) && messageId.equals(d.transportMessageId())).findFirst();
            }
        }

        @Override
        public List<Delivery> claimDue(String account, Instant now, Lease fence, int limit) {
            synchronized (lock) {
                if (!holds(fence)) {
                    return List.of();
                }
                List<Delivery> due = deliveries.values().stream()
                        .filter(d -> d.status() == DeliveryStatus.PENDING && account.equals(d.account())
                                && !d.dueAt().isAfter(now))
                        .sorted(Comparator.comparing(Delivery::dueAt).thenComparing(Delivery::id))
                        .limit(limit).toList();
                List<Delivery> claimed = new ArrayList<>();
                for (Delivery d : due) {
                    Delivery c = d.claim(fence.owner(), null, now);
                    deliveries.put(c.id(), c);
                    claimed.add(c);
                }
                return claimed;
            }
        }

        private Stream<Delivery> leased() {
            return deliveries.values().stream()
                    .filter(d -> d.status() == DeliveryStatus.CLAIMED || d.status() == DeliveryStatus.SENDING);
        }

        @Override
        public List<Delivery> findInFlight(String account, int limit) {
            synchronized (lock) {
                return leased().filter(d -> account.equals(d.account())).limit(limit).toList();
            }
        }

        @Override
        public List<Delivery> findLeasedBy(String owner, int limit) {
            synchronized (lock) {
                return leased().filter(d -> owner.equals(d.leaseOwner())).limit(limit).toList();
            }
        }

        @Override
        public Optional<Instant> earliestDue(List<String> accounts) {
            synchronized (lock) {
                return deliveries.values().stream()
                        .filter(d -> d.status() == DeliveryStatus.PENDING && accounts.contains(d.account()))
                        .map(Delivery::dueAt).min(Comparator.naturalOrder());
            }
        }

        @Override
        public Map<String, Instant> earliestDueByAccount(java.util.Collection<String> accounts) {
            synchronized (lock) {
                Map<String, Instant> due = new HashMap<>();
                for (Delivery d : deliveries.values()) {
                    if (d.status() == DeliveryStatus.PENDING && accounts.contains(d.account())) {
                        due.merge(d.account(), d.dueAt(), (a, b) -> a.isBefore(b) ? a : b);
                    }
                }
                return due;
            }
        }

        @Override
        public Page<Delivery> history(DeliveryQuery query, PageRequest page) {
            synchronized (lock) {
                var view = page.cursor() == null ? deliveries.descendingMap()
                        : deliveries.headMap(page.cursor(), false).descendingMap();
                List<Delivery> fetched = view.values().stream().filter(query::matches).limit(page.limit() + 1L).toList();
                return Page.of(fetched, page.limit(), Delivery::id);
            }
        }

        @Override
        public List<Delivery> findPending(String scheduleId, String contactId, int limit) {
            synchronized (lock) {
                return deliveries.values().stream().filter(d -> d.status() == DeliveryStatus.PENDING)
                        .filter(d -> scheduleId == null || scheduleId.equals(d.scheduleId()))
                        .filter(d -> contactId == null || contactId.equals(d.recipient().contactId()))
                        .limit(limit).toList();
            }
        }

        @Override
        public boolean wasSentTo(String account, String address) {
            synchronized (lock) {
                return deliveries.values().stream().anyMatch(d -> d.status().isSent() && account.equals(d.account())
                        && address.equals(d.recipient().address()));
            }
        }

        @Override
        public Map<DeliveryStatus, Long> countByStatus(String account) {
            synchronized (lock) {
                Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
                deliveries.values().stream().filter(d -> account == null || account.equals(d.account()))
                        .forEach(d -> counts.merge(d.status(), 1L, Long::sum));
                return counts;
            }
        }

        @Override
        public List<dev.wasched.spi.store.OccurrenceCount> countByOccurrence(String scheduleId, Instant fireAt) {
            Instant at = fireAt == null ? null : fireAt.truncatedTo(ChronoUnit.MILLIS);
            synchronized (lock) {
                return dev.wasched.spi.store.OccurrenceCount.tally(deliveries.values().stream()
                        .filter(d -> d.scheduleId().equals(scheduleId) && (at == null || at.equals(d.fireAt()))));
            }
        }

        @Override
        public long countReplied(String account) {
            synchronized (lock) {
                return deliveries.values().stream().filter(d -> d.repliedAt() != null)
                        .filter(d -> account == null || account.equals(d.account())).count();
            }
        }

        @Override
        public long countDue(String account, Instant now) {
            synchronized (lock) {
                return deliveries.values().stream().filter(d -> d.status() == DeliveryStatus.PENDING)
                        .filter(d -> account == null || account.equals(d.account()))
                        .filter(d -> !d.dueAt().isAfter(now)).count();
            }
        }

        @Override
        public int purge(Instant before, int limit) {
            synchronized (lock) {
                List<Delivery> old = deliveries.values().stream()
                        .filter(d -> d.status().isSent() || d.status() == DeliveryStatus.CANCELLED
                                || d.status() == DeliveryStatus.DISMISSED)
                        .filter(d -> d.updatedAt().isBefore(before)).limit(limit).toList();
                for (Delivery d : old) {
                    deliveries.remove(d.id());
                    deliveryByKey.remove(d.uniqueKey());
                }
                return old.size();
            }
        }
    }

    private final class Media implements MediaRepository {
        @Override
        public void put(MediaAttachment attachment, byte[] bytes) {
            synchronized (lock) {
                media.putIfAbsent(attachment.sha256(), bytes.clone());
            }
        }

        @Override
        public Optional<byte[]> get(String sha256) {
            synchronized (lock) {
                return Optional.ofNullable(media.get(sha256)).map(byte[]::clone);
            }
        }
    }

    private final class Sessions implements SessionRepository {
        @Override
        public Optional<SessionSnapshot> load(String account) {
            synchronized (lock) {
                return Optional.ofNullable(sessions.get(account));
            }
        }

        @Override
        public boolean replace(SessionSnapshot s) {
            synchronized (lock) {
                SessionSnapshot old = sessions.get(s.account());
                long stored = old == null ? 0 : old.version();
                if (stored != s.version() - 1) {
                    return false;
                }
                sessions.put(s.account(), new SessionSnapshot(s.account(), s.data().clone(), s.sha256(), s.encrypted(),
                        s.savedAt(), s.version()));
                return true;
            }
        }

        @Override
        public boolean replace(SessionSnapshot s, Lease fence) {
            synchronized (lock) {
                if (!holds(fence) || sessionEpochs.getOrDefault(s.account(), 0L) > fence.epoch() || !replace(s)) {
                    return false;
                }
                sessionEpochs.put(s.account(), fence.epoch());
                return true;
            }
        }

        @Override
        public int purgeQuarantined(Instant before) {
            synchronized (lock) {
                int purged = 0;
                for (Map.Entry<String, List<Instant>> e : quarantinedAt.entrySet()) {
                    List<SessionSnapshot> kept = quarantined.getOrDefault(e.getKey(), new ArrayList<>());
                    for (int i = e.getValue().size() - 1; i >= 0; i--) {
                        if (e.getValue().get(i).isBefore(before)) {
                            e.getValue().remove(i);
                            kept.remove(i);
                            purged++;
                        }
                    }
                }
                return purged;
            }
        }

        @Override
        public void quarantine(String account, String reason, Instant now) {
            synchronized (lock) {
                SessionSnapshot s = sessions.remove(account);
                if (s != null) {
                    quarantined.computeIfAbsent(account, k -> new ArrayList<>()).add(s);
                    quarantinedAt.computeIfAbsent(account, k -> new ArrayList<>()).add(now);
                }
            }
        }

        @Override
        public int quarantinedCount(String account) {
            synchronized (lock) {
                return quarantined.getOrDefault(account, List.of()).size();
            }
        }

        @Override
        public void delete(String account) {
            synchronized (lock) {
                sessions.remove(account);
            }
        }
    }

    private final class Leases implements LeaseRepository {
        @Override
        public Optional<Lease> acquire(String name, String owner, java.time.Duration ttl) {
            synchronized (lock) {
                Instant now = clock.instant();
                LeaseRow l = leases.get(name);
                Instant until = now.plus(ttl).truncatedTo(ChronoUnit.MILLIS);
                if (l != null && l.heldBy(owner, now)) {
                    leases.put(name, new LeaseRow(owner, until, l.epoch));
                    return Optional.of(new Lease(name, owner, l.epoch));
                }
                if (l != null && l.owner != null && l.until.isAfter(now)) {
                    return Optional.empty();
                }
                long epoch = l == null ? 1 : l.epoch + 1;
                leases.put(name, new LeaseRow(owner, until, epoch));
                return Optional.of(new Lease(name, owner, epoch));
            }
        }

        @Override
        public boolean renew(Lease lease, java.time.Duration ttl) {
            synchronized (lock) {
                if (!holds(lease)) {
                    return false;
                }
                leases.put(lease.name(), new LeaseRow(lease.owner(),
                        clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS), lease.epoch()));
                return true;
            }
        }

        /** The default's calls under one hold of the lock: one consistent look at all leases, like one statement. */
        @Override
        public dev.wasched.spi.store.LeaseRenewal renewAll(java.util.Collection<Lease> held, java.time.Duration ttl,
                                                          java.util.Collection<String> read) {
            synchronized (lock) {
                return LeaseRepository.super.renewAll(held, ttl, read);
            }
        }

        @Override
        public void release(String name, String owner) {
            synchronized (lock) {
                LeaseRow l = leases.get(name);
                if (l != null && owner.equals(l.owner)) {
                    leases.put(name, new LeaseRow(null, Instant.EPOCH, l.epoch));
                }
            }
        }

        @Override
        public Optional<String> owner(String name) {
            return current(name).map(Lease::owner);
        }

        @Override
        public Optional<Lease> current(String name) {
            synchronized (lock) {
                LeaseRow l = leases.get(name);
                return l != null && l.owner != null && l.until.isAfter(clock.instant())
                        ? Optional.of(new Lease(name, l.owner, l.epoch)) : Optional.empty();
            }
        }
    }

    private final class Instances implements InstanceRepository {
        @Override
        public void heartbeat(InstanceInfo instance) {
            synchronized (lock) {
                instances.put(instance.id(), instance);
            }
        }

        @Override
        public List<InstanceInfo> live(Instant now) {
            synchronized (lock) {
                return instances.values().stream().filter(i -> i.expiresAt().isAfter(now)).toList();
            }
        }

        @Override
        public void remove(String id) {
            synchronized (lock) {
                instances.remove(id);
            }
        }
    }

    private final class Accounts implements dev.wasched.spi.store.AccountRepository {
        @Override
        public void insert(dev.wasched.account.Account account) {
            synchronized (lock) {
                if (accounts.putIfAbsent(account.name(), account) != null) {
                    throw new DuplicateKeyException("account " + account.name() + " exists");
                }
            }
        }

        @Override
        public boolean update(dev.wasched.account.Account account) {
            synchronized (lock) {
                dev.wasched.account.Account old = accounts.get(account.name());
                if (old == null || old.version() != account.version() - 1) {
                    return false;
                }
                accounts.put(account.name(), account);
                return true;
            }
        }

        @Override
        public Optional<dev.wasched.account.Account> find(String name) {
            synchronized (lock) {
                return Optional.ofNullable(accounts.get(name));
            }
        }

        @Override
        public List<dev.wasched.account.Account> list() {
            synchronized (lock) {
                return List.copyOf(accounts.values());
            }
        }
    }

    private final class Pacing implements PacingRepository {
        @Override
        public Optional<PacingState> load(String account) {
            synchronized (lock) {
                return Optional.ofNullable(pacing.get(account));
            }
        }

        @Override
        public boolean save(PacingState state) {
            synchronized (lock) {
                PacingState old = pacing.get(state.account());
                long stored = old == null ? 0 : old.version();
                if (stored != state.version() - 1) {
                    return false;
                }
                pacing.put(state.account(), state);
                return true;
            }
        }
    }
}
