package dev.wasched.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.ContactSpec;
import dev.wasched.contact.Registration;
import dev.wasched.contact.verify.ContactSelection;
import dev.wasched.contact.verify.VerifyJob;
import dev.wasched.contact.verify.VerifyOptions;
import dev.wasched.contact.verify.VerifyReport;
import dev.wasched.memory.InMemoryStore;
import dev.wasched.testkit.transport.RecordingTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The number check example of docs/contacts.md, against a recording transport (the import example runs in wasched-core). */
class DocSnippetsContactsTest {
    private static final Logger log = LoggerFactory.getLogger(DocSnippetsContactsTest.class);

    @Test
    void theSelectedContactsAreCheckedAndTheAnswerKept() {
        RecordingTransport whatsapp = new RecordingTransport("shop");
        try (Wasched wasched = Wasched.builder().store(new InMemoryStore()).transport(whatsapp).build()) {
            wasched.start();
            Contact ann = wasched.contacts().create(ContactSpec.builder().name("Ann").phone("+4915111111111")
                    .tag("spring-fair").build());
            Contact bob = wasched.contacts().create(ContactSpec.builder().name("Bob").phone("+4915122222222").build());

            // docs:docs/contacts.md#checking-which-numbers-use-whatsapp:begin
            VerifyJob check = wasched.contacts().verify(VerifyOptions.builder()
                    .account("shop")                                     // may be left out when there is one account
                    .select(ContactSelection.tag("spring-fair"))         // or all(), or ids(...)
                    .pacing(VerifyOptions.DEFAULT_PACING)                // 3 s + up to 2 s apart, 300 an hour, 2,000 a day
                    .recheckAfter(Duration.ofDays(30))                   // numbers checked more recently are skipped …
                    .force(false)                                        // … unless forced
                    .onProgress(p -> log.info("{}% checked", p.percent().orElse(0)))
                    .build());
            VerifyReport result = check.await(Duration.ofHours(2)).orElseThrow();
            // COMPLETED: 812 contacts, 790 checked (701 on WhatsApp, 89 not), 20 checked recently, 2 failed
            // docs:docs/contacts.md#checking-which-numbers-use-whatsapp:end

            assertThat(result.summary())
                    .isEqualTo("COMPLETED: 1 contacts, 1 checked (1 on WhatsApp, 0 not), 0 checked recently, 0 failed");
            assertThat(wasched.contacts().get(ann.id()).registration().status()).isEqualTo(Registration.Status.REGISTERED);
            assertThat(wasched.contacts().get(bob.id()).registration()).as("not selected").isEqualTo(Registration.UNKNOWN);
        }
    }
}
