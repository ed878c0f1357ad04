package dev.wasched.session;

import java.time.Instant;

/**
 * One account as this instance sees it.
 *
 * @param owner     the instance that holds the account's session lease, or null when none does
 * @param local     whether this instance has a transport for it
 * @param state     the transport's state here ({@link AccountState#STOPPED} where this instance is not the owner)
 * @param since     when the state was entered
 * @param detail    a human-readable reason for the state, or null
 */
public record AccountStatus(String account, String owner, boolean local, AccountState state, Instant since,
                            String detail) {
}
