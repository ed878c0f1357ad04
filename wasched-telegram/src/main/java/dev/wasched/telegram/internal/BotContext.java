package dev.wasched.telegram.internal;

import dev.wasched.NotFoundException;
import dev.wasched.ValidationException;
import dev.wasched.Wasched;
import dev.wasched.session.AccountStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * What every command needs: the library, the outbox, the zone dates are shown in, the clock, and the configured
 * account.
 */
public record BotContext(Wasched wasched, Outbox outbox, ZoneId zone, Clock clock, String configuredAccount) {
    public Instant now() {
        return clock.instant();
    }

    public String time(Instant at) {
        return Texts.time(at, zone);
    }

    /**
     * The account to send through: {@code requested} (checked), else the configured one, else the only one.
     */
    public String account(String requested) {
        List<String> accounts = wasched.sessions().accounts().stream().map(AccountStatus::account).toList();
        if (requested != null) {
            if (!accounts.contains(requested)) {
                throw new NotFoundException("account", requested);
            }
            return requested;
        }
        if (configuredAccount != null) {
            return configuredAccount;
        }
        if (accounts.size() == 1) {
            return accounts.get(0);
        }
        if (accounts.isEmpty()) {
            throw new ValidationException("account", "no WhatsApp account is configured on this instance");
        }
        throw new ValidationException("account", "there are several accounts (" + String.join(", ", accounts)
                + "): name one, as in /send @" + accounts.get(0) + " +4915112345678 Hello, or configure one");
    }
}
