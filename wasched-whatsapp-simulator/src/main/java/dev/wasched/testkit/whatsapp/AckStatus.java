package dev.wasched.testkit.whatsapp;

/**
 * How far a message accepted by the simulated WhatsApp server has got, and the status icon
 * the simulated WhatsApp Web page shows for it.
 *
 * <p>A message the server has not accepted yet is not a {@link ReceivedMessage} at all; its
 * bubble shows {@value #PENDING_ICON}. The order is {@code SENT < DELIVERED < READ}; a status
 * never moves backwards.
 */
public enum AckStatus {
    /** Accepted by the server (one grey tick). */
    SENT("msg-check"),
    /** Delivered to the recipient's phone (two grey ticks). */
    DELIVERED("msg-dblcheck"),
    /** Read by the recipient (two blue ticks). */
    READ("msg-dblcheck-ack");

    /** {@code data-icon} of the status icon while the server has not accepted a message. */
    public static final String PENDING_ICON = "msg-time";

    private final String dataIcon;

    AckStatus(String dataIcon) {
        this.dataIcon = dataIcon;
    }

    /**
     * The {@code data-icon} attribute value of the bubble's status icon in this state.
     *
     * @return e.g. {@code "msg-dblcheck"}
     */
    public String dataIcon() {
        return dataIcon;
    }
}
