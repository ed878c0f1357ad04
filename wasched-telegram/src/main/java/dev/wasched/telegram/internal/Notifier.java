package dev.wasched.telegram.internal;

import dev.wasched.delivery.Delivery;
import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import dev.wasched.session.AccountState;
import dev.wasched.telegram.Notification;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns engine events into Telegram messages. It runs on the engine's event thread, so it only formats a few
 * strings and enqueues into the {@link Outbox} (which never blocks); the QR code is rendered later on the outbox's
 * thread. The bodies of sent messages are never included: a notification names the recipient, the account and the
 * reason. A message someone sent to an account is forwarded whole ({@link Notification#REPLY}): reading it is the
 * point.
 */
public final class Notifier implements WaschedListener {
    private static final Set<AccountState> DOWN = EnumSet.of(AccountState.DISCONNECTED, AccountState.OFFLINE,
            AccountState.FAILED, AccountState.CONFLICT);
    private static final Set<AccountState> HELD = EnumSet.of(AccountState.NEEDS_PASSKEY, AccountState.RESTRICTED);
    private final Outbox outbox;
    private final Map<Long, Set<Notification>> routes;
    private final ZoneId zone;
    private final java.util.function.Function<dev.wasched.inbound.InboundMessage, String> forward;

    /** @param forward the text a received message is forwarded as */
    public Notifier(Outbox outbox, Map<Long, Set<Notification>> routes, ZoneId zone,
                    java.util.function.Function<dev.wasched.inbound.InboundMessage, String> forward) {
        this.outbox = outbox;
        this.routes = Map.copyOf(routes);
        this.zone = zone;
        this.forward = forward;
    }

    @Override
    public void onEvent(WaschedEvent event) {
        if (event instanceof WaschedEvent.DeliverySent e) {
            text(Notification.SENT, "✅ Sent to " + to(e.delivery()) + " via " + e.delivery().account()
                    + " at " + Texts.time(e.delivery().sentAt(), zone));
        } else if (event instanceof WaschedEvent.DeliveryRetryScheduled e) {
            text(Notification.RETRY, "⚠ Sending to " + to(e.delivery()) + " via " + e.delivery().account()
                    + " failed (attempt " + e.delivery().attempts() + "): " + Texts.line(e.error(), 300)
                    + "\nNext try at " + Texts.time(e.delivery().dueAt(), zone));
        } else if (event instanceof WaschedEvent.DeliveryDead e) {
            text(Notification.DEAD, "❌ Gave up sending to " + to(e.delivery()) + " via " + e.delivery().account()
                    + " after " + e.delivery().attempts() + " attempt(s): " + Texts.line(e.reason(), 300)
                    + "\n/dlq lists dead letters and requeues them.");
        } else if (event instanceof WaschedEvent.DeliveryUncertain e) {
            text(Notification.UNCERTAIN, "❓ Unknown whether the message to " + to(e.delivery()) + " via "
                    + e.delivery().account() + " went out: " + Evidence.reason(e.delivery())
                    + "\nIt is not resent automatically; /uncertain shows the evidence and requeues it after a"
                    + " confirmation.");
        } else if (event instanceof WaschedEvent.AccountStateChanged e) {
            accountState(e);
        } else if (event instanceof WaschedEvent.LoginQrCode e) {
            String payload = e.payload();
            for (long chat : chatsFor(Notification.LOGIN_QR)) {
                outbox.sendPhoto(chat, () -> QrPng.render(payload), "wasched-login-" + e.account() + ".png",
                        "📱 WhatsApp account " + e.account() + " needs linking: on the phone open WhatsApp › "
                                + "Settings › Linked devices › Link a device and scan this code.",
                        "qr:" + e.account());
            }
        } else if (event instanceof WaschedEvent.LoginPairingCode e) {
            text(Notification.LOGIN_PAIRING_CODE, "📱 WhatsApp account " + e.account() + " needs linking: on the "
                    + "phone choose Link with phone number and type " + e.code());
        } else if (event instanceof WaschedEvent.MessageReceived e) {
            if (!chatsFor(Notification.REPLY).isEmpty()) {
                text(Notification.REPLY, forward.apply(e.message()));
            }
        } else if (event instanceof WaschedEvent.SessionQuarantined e) {
            text(Notification.SESSION_QUARANTINED, "🔒 The stored session of account " + e.account()
                    + " was set aside (" + Texts.line(e.reason(), 200) + "); a fresh login is needed.");
        }
    }

    private void accountState(WaschedEvent.AccountStateChanged e) {
        String detail = e.detail() == null ? "" : " (" + Texts.line(e.detail(), 200) + ")";
        String account = e.account();
        if (e.to() == AccountState.NEEDS_PASSKEY) {
            text(Notification.ACCOUNT_ATTENTION, "🔑 WhatsApp asks for a passkey before account " + account
                    + " opens, which a headless browser cannot give. Link it once in a visible browser on a desktop"
                    + " (./wasched link " + account + " --headed); instances then use that session. Messages wait.");
        } else if (e.to() == AccountState.RESTRICTED) {
            text(Notification.ACCOUNT_ATTENTION, "⛔ WhatsApp restricted account " + account + detail
                    + ". Sending for it is paused and nothing is retried until the restriction ends.");
        } else if (e.to() == AccountState.CONFLICT && !DOWN.contains(e.from())) {
            text(Notification.ACCOUNT_DISCONNECTED, "🔀 Account " + account + " was opened in another WhatsApp Web"
                    + " window" + detail + ". Messages wait until this instance has the page back.");
        } else if (DOWN.contains(e.to()) && !DOWN.contains(e.from())) {
            text(Notification.ACCOUNT_DISCONNECTED, "🔌 Account " + account + " is " + e.to() + detail
                    + ". Messages wait until it is back.");
        } else if (e.to() == AccountState.READY && DOWN.contains(e.from())) {
            text(Notification.ACCOUNT_DISCONNECTED, "🔌 Account " + account + " is connected again.");
        } else if (e.to() == AccountState.READY && HELD.contains(e.from())) {
            text(Notification.ACCOUNT_ATTENTION, "✅ Account " + account + " can send again.");
        } else if (e.to() == AccountState.LOGGED_OUT) {
            text(Notification.ACCOUNT_LOGGED_OUT, "🚪 Account " + account + " was logged out" + detail
                    + ". A new login (QR code) is needed.");
        } else if (e.to() == AccountState.READY && e.from() == AccountState.QR) {
            text(Notification.LOGIN_QR, "✅ Account " + account + " is linked.");
        }
    }

    private void text(Notification kind, String text) {
        for (long chat : chatsFor(kind)) {
            outbox.sendText(chat, text);
        }
    }

    private List<Long> chatsFor(Notification kind) {
        return routes.entrySet().stream().filter(e -> e.getValue().contains(kind)).map(Map.Entry::getKey).toList();
    }

    private static String to(Delivery d) {
        return Recipients.describe(d.recipient());
    }
}
