package dev.wasched.spi.store;

import dev.wasched.account.Account;
import java.util.List;
import java.util.Optional;

/** The account registry, keyed by name. Removed accounts stay (as {@link Account.Status#REMOVED}): history names them. */
public interface AccountRepository {
    /** @throws DuplicateKeyException when the name is taken (removed accounts included) */
    void insert(Account account);

    /** Compare-and-set on version: writes {@code account} when the stored one is in version {@code version() - 1}. */
    boolean update(Account account);

    Optional<Account> find(String name);

    /** Every account, removed ones included, by name. Instances call it once per heartbeat. */
    List<Account> list();
}
