package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wasched.PageRequest;
import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.inbound.ReplyKeywords;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.session.AccountState;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reply keywords example of docs/deliveries.md: a German opt-out word, and a confirmation each way. */
class DocSnippetsDeliveriesRepliesTest {

    @Test
    void customWordsOptOutAndBackInWithAConfirmationEach() {
        InMemoryStore store = new InMemoryStore();
        RecordingTransport whatsapp = new RecordingTransport("shop");

        // docs:docs/deliveries.md#replies-and-opt-out-by-reply:begin
        Wasched wasched = Wasched.builder().store(store).transport(whatsapp)
                .replyKeywords(new ReplyKeywords(Set.of("STOP", "AUSTRAGEN"), Set.of("START"))  // default: ReplyKeywords.DEFAULT
                        .withOptOutConfirmation("You will receive no more messages. Reply START to subscribe again.")
                        .withOptInConfirmation("Welcome back!"))                               // default: no confirmation
                // .replyKeywords(ReplyKeywords.NONE)                                              // replies change nothing
                .build();
        // docs:docs/deliveries.md#replies-and-opt-out-by-reply:end

        try (wasched) {
            wasched.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> whatsapp.state() == AccountState.READY);
            Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915112345678").build());

            whatsapp.receive("in-1", "+4915112345678", "Austragen!", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> whatsapp.sent().size() == 1);
            assertThat(whatsapp.sent().get(0).text())
                    .isEqualTo("You will receive no more messages. Reply START to subscribe again.");
            assertThat(wasched.contacts().get(ann.id()).optedOut()).isTrue();

            whatsapp.receive("in-3", "+4915112345678", "start", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> !wasched.contacts().get(ann.id()).optedOut());
            // The welcome back is paced like any message (its gap after the first is not this test's business).
            assertThat(wasched.schedules().list(PageRequest.first(10)).items())
                    .extracting(s -> s.message().text()).containsExactlyInAnyOrder(
                            "You will receive no more messages. Reply START to subscribe again.", "Welcome back!");
        }
    }
}
