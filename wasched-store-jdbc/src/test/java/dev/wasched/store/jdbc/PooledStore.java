package dev.wasched.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.wasched.spi.store.ContactRepository;
import dev.wasched.spi.store.DeliveryRepository;
import dev.wasched.spi.store.InstanceRepository;
import dev.wasched.spi.store.LeaseRepository;
import dev.wasched.spi.store.MediaRepository;
import dev.wasched.spi.store.PacingRepository;
import dev.wasched.spi.store.ScheduleRepository;
import dev.wasched.spi.store.SessionRepository;
import dev.wasched.spi.store.TemplateRepository;
import dev.wasched.spi.store.WaschedStore;

/**
 * A JdbcStore on a test's own pool; closing it closes the pool too, as a host would after closing the store. Every
 * store call the JdbcStore makes its own is passed on, so an engine on this store runs the JDBC paths, not the SPI's
 * defaults.
 */
final class PooledStore implements WaschedStore {
    final JdbcStore store;
    final HikariDataSource pool;

    PooledStore(JdbcStore store, HikariDataSource pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public ContactRepository contacts() {
        return store.contacts();
    }

    @Override
    public TemplateRepository templates() {
        return store.templates();
    }

    @Override
    public ScheduleRepository schedules() {
        return store.schedules();
    }

    @Override
    public DeliveryRepository deliveries() {
        return store.deliveries();
    }

    @Override
    public MediaRepository media() {
        return store.media();
    }

    @Override
    public SessionRepository sessions() {
        return store.sessions();
    }

    @Override
    public LeaseRepository leases() {
        return store.leases();
    }

    @Override
    public InstanceRepository instances() {
        return store.instances();
    }

    @Override
    public PacingRepository pacing() {
        return store.pacing();
    }

    @Override
    public dev.wasched.spi.store.AccountRepository accounts() {
        return store.accounts();
    }

    @Override
    public dev.wasched.spi.store.InboundRepository inbound() {
        return store.inbound();
    }

    @Override
    public dev.wasched.spi.store.WebhookRepository webhooks() {
        return store.webhooks();
    }

    @Override
    public dev.wasched.spi.store.UserRepository users() {
        return store.users();
    }

    @Override
    public dev.wasched.spi.store.AuditRepository audit() {
        return store.audit();
    }

    @Override
    public AutoCloseable subscribeToChanges(Runnable listener) {
        return store.subscribeToChanges(listener);
    }

    @Override
    public AutoCloseable subscribeToStoreChanges(
            java.util.function.Consumer<dev.wasched.spi.store.StoreChange> listener) {
        return store.subscribeToStoreChanges(listener);
    }

    @Override
    public void insertSchedule(dev.wasched.schedule.Schedule schedule,
                               java.util.List<dev.wasched.delivery.Delivery> deliveries) {
        store.insertSchedule(schedule, deliveries);
    }

    @Override
    public java.util.Optional<java.util.List<dev.wasched.delivery.Delivery>> editSchedule(
            dev.wasched.schedule.Schedule edited, java.util.List<dev.wasched.delivery.Delivery> replaced) {
        return store.editSchedule(edited, replaced);
    }

    @Override
    public dev.wasched.spi.store.DueTimes dueTimes(java.util.Collection<String> accounts) {
        return store.dueTimes(accounts);
    }

    @Override
    public dev.wasched.spi.store.LeaseRenewal heartbeat(dev.wasched.spi.store.InstanceInfo instance,
            java.util.Collection<dev.wasched.spi.store.Lease> held, java.time.Duration ttl,
            java.util.Collection<String> read) {
        return store.heartbeat(instance, held, ttl, read);
    }

    @Override
    public dev.wasched.spi.store.DispatchCycle.Result dispatch(dev.wasched.spi.store.DispatchCycle cycle) {
        return store.dispatch(cycle);
    }

    @Override
    public int combinedDispatchLimit() {
        return store.combinedDispatchLimit();
    }

    @Override
    public java.util.List<dev.wasched.spi.store.DispatchCycle.Result> dispatchAll(
            java.util.List<dev.wasched.spi.store.DispatchCycle> cycles) {
        return store.dispatchAll(cycles);
    }

    @Override
    public void ping() {
        store.ping();
    }

    @Override
    public void close() {
        store.close();
        pool.close();
    }
}
