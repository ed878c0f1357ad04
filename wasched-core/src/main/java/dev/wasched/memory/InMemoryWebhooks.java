package dev.wasched.memory;

import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.WebhookRepository;
import dev.wasched.webhook.OutboxEntry;
import dev.wasched.webhook.OutboxStatus;
import dev.wasched.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The webhook endpoints and outbox of an {@link InMemoryStore}, under a lock of their own (they touch nothing else). */
final class InMemoryWebhooks implements WebhookRepository {
    private static final Comparator<OutboxEntry> BY_EVENT = Comparator.comparing(OutboxEntry::eventId)
            .thenComparing(OutboxEntry::id);

    private final Object lock = new Object();
    private final TreeMap<String, WebhookEndpoint> endpoints = new TreeMap<>();
    private final TreeMap<String, OutboxEntry> outbox = new TreeMap<>();

    @Override
    public void insertEndpoint(WebhookEndpoint endpoint) {
        synchronized (lock) {
            if (endpoints.putIfAbsent(endpoint.id(), endpoint) != null) {
                throw new DuplicateKeyException("webhook endpoint " + endpoint.id() + " exists");
            }
        }
    }

    @Override
    public boolean updateEndpoint(WebhookEndpoint endpoint) {
        synchronized (lock) {
            WebhookEndpoint stored = endpoints.get(endpoint.id());
            if (stored == null || stored.version() != endpoint.version() - 1) {
                return false;
            }
            endpoints.put(endpoint.id(), endpoint);
            return true;
        }
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(String id) {
        synchronized (lock) {
            return Optional.ofNullable(endpoints.get(id));
        }
    }

    @Override
    public List<WebhookEndpoint> endpoints() {
        synchronized (lock) {
            return List.copyOf(endpoints.values());
        }
    }

    @Override
    public boolean deleteEndpoint(String id) {
        synchronized (lock) {
            outbox.values().removeIf(e -> e.endpointId().equals(id));
            return endpoints.remove(id) != null;
        }
    }

    @Override
    public void enqueue(List<OutboxEntry> entries) {
        synchronized (lock) {
            entries.forEach(e -> outbox.putIfAbsent(e.id(), e));
        }
    }

    @Override
    public List<OutboxEntry> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
        synchronized (lock) {
            List<OutboxEntry> pending = outbox.values().stream().filter(e -> e.status() == OutboxStatus.PENDING)
                    .sorted(BY_EVENT).toList();
            java.util.Set<String> sequencesSeen = new java.util.HashSet<>();
            List<OutboxEntry> claimed = new ArrayList<>();
            for (OutboxEntry e : pending) {
                boolean first = sequencesSeen.add(e.endpointId() + '\0' + e.orderKey());
                if (claimed.size() < limit && first && !e.dueAt().isAfter(now)
                        && (e.leaseUntil() == null || !e.leaseUntil().isAfter(now))) {
                    OutboxEntry c = new OutboxEntry(e.id(), e.eventId(), e.endpointId(), e.eventType(), e.orderKey(),
                            e.payload(), e.createdAt(), e.status(), e.attempts() + 1, e.dueAt(), owner, leaseUntil,
                            e.lastError(), e.doneAt(), e.version() + 1);
                    outbox.put(c.id(), c);
                    claimed.add(c);
                }
            }
            return claimed;
        }
    }

    @Override
    public boolean delivered(String id, String owner, Instant at) {
        return finish(id, owner, e -> with(e, OutboxStatus.DELIVERED, e.dueAt(), e.lastError(), at));
    }

    @Override
    public boolean retryAt(String id, String owner, Instant dueAt, String error) {
        return finish(id, owner, e -> with(e, OutboxStatus.PENDING, dueAt, error, null));
    }

    @Override
    public boolean giveUp(String id, String owner, Instant at, String error) {
        return finish(id, owner, e -> with(e, OutboxStatus.FAILED, e.dueAt(), error, at));
    }

    private boolean finish(String id, String owner, UnaryOperator<OutboxEntry> change) {
        synchronized (lock) {
            OutboxEntry e = outbox.get(id);
            if (e == null || e.status() != OutboxStatus.PENDING || !owner.equals(e.leaseOwner())) {
                return false;
            }
            outbox.put(id, change.apply(e));
            return true;
        }
    }

    private static OutboxEntry with(OutboxEntry e, OutboxStatus status, Instant dueAt, String error, Instant doneAt) {
        return new OutboxEntry(e.id(), e.eventId(), e.endpointId(), e.eventType(), e.orderKey(), e.payload(),
                e.createdAt(), status, e.attempts(), dueAt, null, null, error, doneAt, e.version() + 1);
    }

    @Override
    public int postpone(String endpointId, Instant until) {
        synchronized (lock) {
            int moved = 0;
            for (OutboxEntry e : List.copyOf(outbox.values())) {
                if (e.endpointId().equals(endpointId) && e.status() == OutboxStatus.PENDING && e.leaseOwner() == null
                        && e.dueAt().isBefore(until)) {
                    outbox.put(e.id(), with(e, OutboxStatus.PENDING, until, e.lastError(), null));
                    moved++;
                }
            }
            return moved;
        }
    }

    @Override
    public List<OutboxEntry> entries(String endpointId, OutboxStatus status, int limit) {
        synchronized (lock) {
            return outbox.values().stream().filter(e -> e.endpointId().equals(endpointId) && e.status() == status)
                    .sorted(BY_EVENT.reversed()).limit(limit).toList();
        }
    }

    @Override
    public int purgeDelivered(Instant before) {
        synchronized (lock) {
            int size = outbox.size();
            outbox.values().removeIf(e -> e.status() == OutboxStatus.DELIVERED && e.doneAt().isBefore(before));
            return size - outbox.size();
        }
    }
}
