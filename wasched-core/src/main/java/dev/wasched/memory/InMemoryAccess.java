package dev.wasched.memory;

import dev.wasched.Page;
import dev.wasched.PageRequest;
import dev.wasched.access.ApiKey;
import dev.wasched.access.AuditEntry;
import dev.wasched.access.User;
import dev.wasched.spi.store.AuditRepository;
import dev.wasched.spi.store.DuplicateKeyException;
import dev.wasched.spi.store.UserRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Users, API keys and the audit log of an {@link InMemoryStore}, under a lock of their own. */
final class InMemoryAccess implements UserRepository, AuditRepository {
    private final Object lock = new Object();
    private final TreeMap<String, User> users = new TreeMap<>();
    private final TreeMap<String, ApiKey> keys = new TreeMap<>();
    private final TreeMap<String, AuditEntry> audit = new TreeMap<>(Comparator.reverseOrder());

    @Override
    public void insert(User user) {
        synchronized (lock) {
            if (users.putIfAbsent(user.name(), user) != null) {
                throw new DuplicateKeyException("user " + user.name() + " exists");
            }
        }
    }

    @Override
    public boolean update(User user) {
        synchronized (lock) {
            User stored = users.get(user.name());
            if (stored == null || stored.version() != user.version() - 1) {
                return false;
            }
            users.put(user.name(), user);
            return true;
        }
    }

    @Override
    public Optional<User> find(String name) {
        synchronized (lock) {
            return Optional.ofNullable(users.get(name));
        }
    }

    @Override
    public List<User> list() {
        synchronized (lock) {
            return List.copyOf(users.values());
        }
    }

    @Override
    public boolean delete(String name) {
        synchronized (lock) {
            return users.remove(name) != null;
        }
    }

    @Override
    public void insertKey(ApiKey key) {
        synchronized (lock) {
            if (keys.containsKey(key.id()) || findKeyBySecretHash(key.secretHash()).isPresent()) {
                throw new DuplicateKeyException("API key " + key.id() + " exists");
            }
            keys.put(key.id(), key);
        }
    }

    @Override
    public boolean updateKey(ApiKey key) {
        synchronized (lock) {
            ApiKey stored = keys.get(key.id());
            if (stored == null || stored.version() != key.version() - 1) {
                return false;
            }
            keys.put(key.id(), key);
            return true;
        }
    }

    @Override
    public Optional<ApiKey> findKey(String id) {
        synchronized (lock) {
            return Optional.ofNullable(keys.get(id));
        }
    }

    @Override
    public Optional<ApiKey> findKeyBySecretHash(String secretHash) {
        synchronized (lock) {
            return keys.values().stream().filter(k -> k.secretHash().equals(secretHash)).findFirst();
        }
    }

    @Override
    public List<ApiKey> listKeys() {
        synchronized (lock) {
            List<ApiKey> out = new ArrayList<>(keys.values());
            out.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
            return out;
        }
    }

    @Override
    public void append(AuditEntry entry) {
        synchronized (lock) {
            if (audit.putIfAbsent(entry.id(), entry) != null) {
                throw new DuplicateKeyException("audit entry " + entry.id() + " exists");
            }
        }
    }

    @Override
    public Page<AuditEntry> list(PageRequest page) {
        synchronized (lock) {
            var from = page.cursor() == null ? audit : audit.tailMap(page.cursor(), false);
            List<AuditEntry> fetched = from.values().stream().limit(page.limit() + 1L).toList();
            return Page.of(fetched, page.limit(), AuditEntry::id);
        }
    }
}
