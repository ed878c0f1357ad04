package dev.wasched.spi.store;

/** Everything wasched keeps. One instance may be shared by several engines in one JVM. */
public interface WaschedStore extends AutoCloseable {
    ContactRepository contacts();

    TemplateRepository templates();

    ScheduleRepository schedules();

    DeliveryRepository deliveries();

    MediaRepository media();

    SessionRepository sessions();

    LeaseRepository leases();

    InstanceRepository instances();

    PacingRepository pacing();

    /** Messages the accounts received. */
    InboundRepository inbound();

    /** The account registry. */
    AccountRepository accounts();

    /**
     * Webhook endpoints and their outbox. The default throws: a store written before webhooks existed cannot keep
     * them, and {@code WaschedBuilder.build()} then fails only when webhooks are used.
     *
     * @throws UnsupportedOperationException naming the store class
     */
    default WebhookRepository webhooks() {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep webhooks; implement"
                + " WaschedStore.webhooks() to use them");
    }

    /**
     * Users of the web console and API keys. The default throws, as for {@link #webhooks()}: a store written before
     * they existed cannot keep them, and only the console needs them.
     *
     * @throws UnsupportedOperationException naming the store class
     */
    default UserRepository users() {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep users; implement"
                + " WaschedStore.users() to use the web console");
    }

    /**
     * The audit log of changes made through the web console and the command line. The default throws, as
     * {@link #users()}.
     *
     * @throws UnsupportedOperationException naming the store class
     */
    default AuditRepository audit() {
        throw new UnsupportedOperationException(getClass().getName() + " does not keep an audit log; implement"
                + " WaschedStore.audit() to use the web console");
    }

    /**
     * Subscribes to writes made through any store object on the same database (by other instances too), where the
     * database can tell (PostgreSQL LISTEN/NOTIFY). The engine wakes up on each call instead of waiting for its
     * fallback poll. A store signals at least new or changed schedules and deliveries that became due (fan-out,
     * requeue); spurious calls are harmless. The default does nothing: the fallback poll covers it.
     *
     * @return closing it ends the subscription
     */
    default AutoCloseable subscribeToChanges(Runnable listener) {
        return () -> { };
    }

    /**
     * Like {@link #subscribeToChanges(Runnable)}, telling the listener what changed where the store can (the
     * schedules, or the deliveries of one account), so an engine wakes only the account concerned. Changes may be
     * coalesced: the listener gets each distinct change at least once after it happened. The default reports
     * {@link StoreChange#ANYTHING} for every call of the plain subscription.
     */
    default AutoCloseable subscribeToStoreChanges(java.util.function.Consumer<StoreChange> listener) {
        return subscribeToChanges(() -> listener.accept(StoreChange.ANYTHING));
    }

    /**
     * Runs one dispatch cycle of one account (see {@link DispatchCycle}): outcomes written, pacing saved, due
     * deliveries claimed into SENDING or cancelled, the account's next due time read. A store with transactions does
     * it in one, with as few round trips as it can. The default makes the repositories' calls one after another.
     */
    default DispatchCycle.Result dispatch(DispatchCycle cycle) {
        return cycle.runByParts(this);
    }

    /**
     * How many accounts' dispatch cycles {@link #dispatchAll} runs together; 1 (the default) when it would run them
     * one after another, so an engine calls {@link #dispatch} instead. A store that combines them does the work of
     * many cycles in the statements of one, so the fixed cost of a cycle (round trips, statements, the commit) is
     * shared by every account that is ready at the same moment, without claiming more per account.
     */
    default int combinedDispatchLimit() {
        return 1;
    }

    /**
     * Runs the cycles of several accounts (at most {@link #combinedDispatchLimit}, one per account) together: each
     * does what {@link #dispatch} would do with it, the results in the order of {@code cycles}. All or nothing: a
     * failure fails every cycle of the call (in a store that combines, they share one transaction). The default runs
     * them one after another, which is only all or nothing for a single cycle.
     */
    default java.util.List<DispatchCycle.Result> dispatchAll(java.util.List<DispatchCycle> cycles) {
        java.util.List<DispatchCycle.Result> results = new java.util.ArrayList<>(cycles.size());
        for (DispatchCycle cycle : cycles) {
            results.add(dispatch(cycle));
        }
        return results;
    }

    /**
     * Inserts a new schedule, already advanced past the occurrences it fanned out when it was created, together with
     * their deliveries: in one transaction where the store has them. The default inserts the deliveries first, then
     * the schedule: should the second step fail, the create call fails, and deliveries whose schedule does not exist
     * are cancelled when they come due, never sent.
     */
    default void insertSchedule(dev.wasched.schedule.Schedule schedule, java.util.List<dev.wasched.delivery.Delivery>
            deliveries) {
        if (!deliveries.isEmpty()) {
            deliveries().insertAll(deliveries);
        }
        schedules().insert(schedule);
    }

    /**
     * Writes an edited schedule (compare-and-set on its version) and removes the PENDING deliveries it replaces (each
     * only while it is still PENDING in the version given: one claimed meanwhile stays). Where the store has
     * transactions both happen in one. The default writes the schedule first and then removes the deliveries with
     * {@link DeliveryRepository#deletePending}, so a schedule that changed meanwhile removes nothing; a crash between
     * the steps leaves old deliveries that the next fan-out keeps (their keys exist), never a lost or doubled one.
     *
     * @param replaced the schedule's PENDING deliveries of occurrences not yet due, as read before the edit
     * @return the deliveries removed, or empty when the schedule had changed (then nothing is written)
     */
    default java.util.Optional<java.util.List<dev.wasched.delivery.Delivery>> editSchedule(
            dev.wasched.schedule.Schedule edited, java.util.List<dev.wasched.delivery.Delivery> replaced) {
        if (!schedules().update(edited)) {
            return java.util.Optional.empty();
        }
        java.util.List<dev.wasched.delivery.Delivery> removed = new java.util.ArrayList<>();
        for (dev.wasched.delivery.Delivery d : replaced) {
            if (deliveries().deletePending(d.id(), d.version())) {
                removed.add(d);
            }
        }
        return java.util.Optional.of(removed);
    }

    /**
     * The fallback poll of an engine: when the next schedule fires and when each of {@code accounts} has a delivery
     * due, in one statement where the store can. The default asks the two repositories.
     */
    default DueTimes dueTimes(java.util.Collection<String> accounts) {
        return new DueTimes(schedules().earliestDue().orElse(null),
                accounts.isEmpty() ? java.util.Map.of() : deliveries().earliestDueByAccount(accounts));
    }

    /**
     * One heartbeat of an instance: its row written ({@link InstanceRepository#heartbeat}) and its session leases
     * renewed and the others read ({@link LeaseRepository#renewAll}), in one statement where the store can. The
     * default makes the two calls.
     */
    default LeaseRenewal heartbeat(InstanceInfo instance, java.util.Collection<Lease> held, java.time.Duration ttl,
                                   java.util.Collection<String> read) {
        instances().heartbeat(instance);
        return leases().renewAll(held, ttl, read);
    }

    /** Throws a {@link StoreException} when the store cannot be reached. Cheap; health checks call it often. */
    void ping();

    /** Releases what the store opened itself (not what the host passed in, such as a DataSource). */
    @Override
    void close();
}
