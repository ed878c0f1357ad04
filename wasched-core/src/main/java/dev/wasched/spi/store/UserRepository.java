package dev.wasched.spi.store;

import dev.wasched.access.ApiKey;
import dev.wasched.access.User;
import java.util.List;
import java.util.Optional;

/** Users (keyed by name) and API keys (keyed by id, found by their secret's hash). */
public interface UserRepository {
    /** @throws DuplicateKeyException when the name is taken */
    void insert(User user);

    /** Compare-and-set on version: writes {@code user} when the stored one is in version {@code version() - 1}. */
    boolean update(User user);

    Optional<User> find(String name);

    /** Every user, by name. */
    List<User> list();

    /** @return whether a user of that name existed */
    boolean delete(String name);

    /** @throws DuplicateKeyException when the id or the secret's hash is taken */
    void insertKey(ApiKey key);

    /** Compare-and-set on version, as {@link #update(User)}. */
    boolean updateKey(ApiKey key);

    Optional<ApiKey> findKey(String id);

    /** The key whose secret hashes to {@code secretHash}, revoked or not. */
    Optional<ApiKey> findKeyBySecretHash(String secretHash);

    /** Every key, revoked ones included, oldest first. */
    List<ApiKey> listKeys();
}
