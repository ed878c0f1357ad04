package dev.wasched.examples.cli;

import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Option;

/** Which deliveries a command lists or exports: {@code --status}, {@code --schedule}, {@code --replied}. */
final class DeliveryFilter {
    @Option(names = "--status", split = ",", description = "only these statuses, e.g. SENT,DEAD")
    List<DeliveryStatus> statuses;
    @Option(names = "--schedule", description = "only this schedule's deliveries")
    String scheduleId;
    @Option(names = "--replied", description = "only deliveries the recipient answered")
    boolean replied;

    DeliveryQuery query() {
        return new DeliveryQuery(scheduleId, null, null,
                statuses == null ? EnumSet.noneOf(DeliveryStatus.class) : EnumSet.copyOf(statuses), null, null, replied);
    }
}
