package dev.wasched.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wasched.Wasched;
import dev.wasched.account.Account;
import dev.wasched.account.AccountSpec;
import dev.wasched.account.UnknownAccountException;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.policy.PacingPolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run-time accounts example of docs/accounts-and-instances.md, on an instance that is not started (no browser). */
class DocSnippetsAccountsTest {

    @Test
    void anAccountAddedPausedResumedAndRemovedKeepsItsRecordAndTakesNoSchedules() {
        InMemoryStore store = new InMemoryStore();

        // docs:docs/accounts-and-instances.md#accounts-added-at-run-time-spread-over-instances-campaigns-over-several-numbers:begin
        Wasched wasched = Wasched.builder().store(store)
                // how this instance starts accounts of a kind; called each time it takes one over, with its settings then
                .transportFactory("whatsapp-web", account -> new PlaywrightTransport(PlaywrightTransportConfig
                        .builder(account.name()).workDirectory(Path.of("data/browser"))
                        .expectedNumber(account.settings().get("expectedNumber")).build()))
                .build();
        wasched.accounts().add(AccountSpec.builder("shop-2").kind("whatsapp-web")
                .setting("expectedNumber", "+4915112345678").pacing(PacingPolicy.DEFAULT).build());
        wasched.accounts().pause("shop-2");   // sends nothing anywhere; stays logged in, hears acks and replies
        wasched.accounts().resume("shop-2");
        wasched.accounts().remove("shop-2");  // stopped everywhere, pending messages cancelled, history kept
        // docs:docs/accounts-and-instances.md#accounts-added-at-run-time-spread-over-instances-campaigns-over-several-numbers:end

        try (wasched) {
            Account removed = wasched.accounts().get("shop-2");
            assertThat(removed.status()).isEqualTo(Account.Status.REMOVED);
            assertThat(removed.kind()).isEqualTo("whatsapp-web");
            assertThat(removed.settings()).isEqualTo(Map.of("expectedNumber", "+4915112345678"));
            assertThat(removed.version()).as("added, paused, resumed, removed").isGreaterThanOrEqualTo(4);
            assertThatThrownBy(() -> wasched.schedules().create(ScheduleSpec.builder().account("shop-2")
                    .to(Target.number("+4915199999999")).text("Hi").trigger(Trigger.once(Instant.now())).build()))
                    .isInstanceOf(UnknownAccountException.class);
        }
    }
}
