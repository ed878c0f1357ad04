package dev.wasched.account;

import java.util.List;

/**
 * The account registry, kept in the store. Every instance sharing the store reads it at each heartbeat: an added
 * account is started by an instance that has a transport factory for its kind (the spread kept even over live
 * instances), a paused one stops sending, a removed one is stopped everywhere.
 */
public interface AccountService {
    /**
     * Registers an account; adding a removed one restores it with this spec.
     *
     * @throws DuplicateAccountException when it is registered and not removed
     */
    Account add(AccountSpec spec);

    /**
     * Replaces an account's kind, settings and pacing; an instance running it picks them up the next time it starts
     * the account's transport.
     *
     * @throws UnknownAccountException when it is not registered or was removed
     */
    Account update(AccountSpec spec);

    /** Registered accounts, removed ones included, by name. */
    List<Account> list();

    /** @throws UnknownAccountException when there is no such account (a removed one is returned) */
    Account get(String name);

    /**
     * Stops the account sending on every instance within a heartbeat; its session stays logged in and it still hears
     * acks and replies. Pending deliveries of campaigns over several accounts move to the others.
     *
     * @throws UnknownAccountException when it is not registered or was removed
     */
    Account pause(String name);

    /** @throws UnknownAccountException when it is not registered or was removed */
    Account resume(String name);

    /**
     * Stops the account on every instance within a heartbeat (its claims handed back, its session saved and closed),
     * keeps its history and refuses new schedules for it. Its pending deliveries of campaigns over several accounts
     * move to the others; its other pending deliveries are cancelled.
     *
     * @throws UnknownAccountException when it is not registered or was removed already
     */
    Account remove(String name);
}
