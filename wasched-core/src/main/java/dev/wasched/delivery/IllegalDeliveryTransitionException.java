package dev.wasched.delivery;

import dev.wasched.WaschedException;

/** A delivery was asked to move along an edge its status machine does not have. */
public class IllegalDeliveryTransitionException extends WaschedException {
    private final DeliveryStatus from;
    private final DeliveryStatus to;

    public IllegalDeliveryTransitionException(String deliveryId, DeliveryStatus from, DeliveryStatus to) {
        super("delivery '" + deliveryId + "' cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public DeliveryStatus from() {
        return from;
    }

    public DeliveryStatus to() {
        return to;
    }
}
