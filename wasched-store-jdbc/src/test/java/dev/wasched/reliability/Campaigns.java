package dev.wasched.reliability;

import dev.wasched.Wasched;
import dev.wasched.contact.Contact;
import dev.wasched.contact.PhoneNumber;
import dev.wasched.contact.Registration;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import dev.wasched.spi.store.WaschedStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A large campaign set up straight in a store: contacts tagged by account, and one schedule per account. */
public final class Campaigns {
    private static final int WRITERS = 4;

    private Campaigns() {
    }

    /**
     * Writes {@code total} contacts, tagged round-robin with the account names, on four threads to keep the set-up
     * short.
     *
     * @return their numbers (E.164), in contact order
     */
    public static List<String> createTaggedContacts(WaschedStore store, int total, List<String> accounts)
            throws Exception {
        List<Contact> all = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < total; i++) {
            String phone = String.format("+4915%09d", 100_000_000 + i);
            all.add(new Contact(String.format("c-%06d", i), "Person " + i, PhoneNumber.of(phone),
                    Set.of(accounts.get(i % accounts.size())), Map.of(), false, Registration.UNKNOWN, null, now, now, 1));
        }
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> parts = new ArrayList<>();
            int slice = total / WRITERS;
            for (int t = 0; t < WRITERS; t++) {
                List<Contact> part = all.subList(t * slice, t == WRITERS - 1 ? total : (t + 1) * slice);
                parts.add(writers.submit(() -> part.forEach(store.contacts()::insert)));
            }
            for (Future<?> f : parts) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdown();
        }
        return all.stream().map(c -> c.phone().e164()).toList();
    }

    /** One schedule per account, due now, to the contacts tagged with the account's name. */
    public static void scheduleOneMessagePerContact(Wasched wasched, List<String> accounts) {
        for (String a : accounts) {
            if (wasched.accounts().list().stream().noneMatch(registered -> registered.name().equals(a))) {
                // Run by the engines as accounts declared in code; registered so that a schedule may name it now.
                wasched.accounts().add(dev.wasched.account.AccountSpec.builder(a)
                        .kind(dev.wasched.account.Account.DECLARED_IN_CODE).build());
            }
            wasched.schedules().create(ScheduleSpec.builder().name("campaign " + a).account(a).to(Target.tag(a))
                    .text("Hello {{name}}, this is " + a).trigger(Trigger.once(Instant.now())).build());
        }
    }
}
