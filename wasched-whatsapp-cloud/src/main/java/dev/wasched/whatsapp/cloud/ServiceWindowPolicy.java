package dev.wasched.whatsapp.cloud;

/**
 * What the transport does with a free-form message (text or media) to a customer who has not written to the business
 * number in the last 24 hours. In both cases a message that matches a configured {@link CloudTemplate} goes out as
 * that template.
 */
public enum ServiceWindowPolicy {
    /**
     * Refuse it before calling the API (a permanent failure naming the window), judging the window by the customer
     * messages this process received through its {@link CloudWebhook}. The default.
     */
    ENFORCE,
    /**
     * Send it and let the API judge: outside the window Meta answers error 131047, also a permanent failure. For a
     * deployment whose webhooks reach another process.
     */
    LEAVE_TO_API
}
