package dev.wasched.spi.transport;

import dev.wasched.account.Account;

/**
 * Makes transports for registered accounts of one kind (see {@code WaschedBuilder.transportFactory}). An instance
 * calls it each time it takes an account of that kind over, so an account added at run time is started without a
 * restart, with the settings it has then.
 */
@FunctionalInterface
public interface TransportFactory {
    /**
     * A new, not yet started transport for {@code account}, whose {@link MessageTransport#account()} is its name.
     *
     * @throws dev.wasched.ValidationException when the account's settings do not fit this kind (the account is then
     *                                         reported FAILED on this instance, with the message)
     */
    MessageTransport create(Account account);
}
