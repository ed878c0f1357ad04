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

    /** Throws a {@link StoreException} when the store cannot be reached. Cheap; health checks call it often. */
    void ping();

    /** Releases what the store opened itself (not what the host passed in, such as a DataSource). */
    @Override
    void close();
}
