package dev.wasched.examples.cli;

import dev.wasched.Wasched;
import dev.wasched.delivery.Delivery;
import picocli.CommandLine.Command;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancels pending deliveries (one message to one recipient) before they are sent; the schedule"
                + " goes on with the others.",
                "A delivery already being sent, sent or finished is not cancelled (exit code 4, with its status)."})
final class CancelCommand extends DeliveryAction {
    @Override
    Delivery apply(Wasched w, String id) {
        return w.deliveries().cancel(id);
    }

    @Override
    String done() {
        return "cancelled";
    }
}
