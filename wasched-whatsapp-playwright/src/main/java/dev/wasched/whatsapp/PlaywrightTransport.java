package dev.wasched.whatsapp;

import dev.wasched.contact.PhoneNumber;
import dev.wasched.session.AccountState;
import dev.wasched.spi.transport.LookupResult;
import dev.wasched.spi.transport.MessageTransport;
import dev.wasched.spi.transport.OutgoingMessage;
import dev.wasched.spi.transport.SendReceipt;
import dev.wasched.spi.transport.SessionLostException;
import dev.wasched.spi.transport.TransportContext;
import dev.wasched.spi.transport.TransportException;
import dev.wasched.whatsapp.internal.BrowserSession;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends WhatsApp messages through WhatsApp Web in a Chromium driven by Playwright: one transport, one browser, one
 * WhatsApp account.
 *
 * <pre>{@code
 * PlaywrightTransportConfig config = PlaywrightTransportConfig.builder("shop").build();
 * try (Wasched wasched = Wasched.builder()
 *         .store(store)
 *         .transport("shop", () -> new PlaywrightTransport(config))   // a factory, so a takeover can restart it
 *         .listener(e -> {
 *             if (e instanceof WaschedEvent.LoginQrCode qr) {
 *                 System.out.println(QrRendering.toTerminal(qr.payload()));
 *             }
 *         })
 *         .build()) {
 *     wasched.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>On {@link #start} the transport launches its browser, restores the stored session (no QR code needed) or shows
 * WhatsApp Web's QR code, which it reports as {@code QrCode} events on every rotation; a pairing code works too
 * ({@link #requestPairingCode}). Once the chat list shows, it is READY and saves its session (after the login,
 * every {@code sessionSaveInterval} and on {@link #close}). A send opens the chat inside the loaded page (kept when
 * it is open, else found with the search box; the click-to-chat link with the number only is the fallback, counted
 * in {@link #stats()}), types the text or attaches the file, reports the chat's newest outgoing bubble to the engine
 * as the send marker, sends, reports the first new outgoing bubble's {@code data-id} at once, and returns when its
 * status icon shows that WhatsApp accepted it. Later ticks become {@code Ack} events. If
 * WhatsApp Web reloads during a send, the chat is checked before anything is sent again; a failure after the click
 * that does not prove the message absent is an {@code OutcomeUnknownException}, never a retryable one.
 *
 * <p>All DOM facts come from a {@link SelectorProfile}: per key, candidates tried in order, which configuration can
 * replace or extend key by key. {@link #close()} always ends the browser: politely within {@code closeTimeout}, then
 * by killing its processes.
 */
public final class PlaywrightTransport implements MessageTransport {
    private final PlaywrightTransportConfig config;
    private final Object lifecycle = new Object();
    private volatile BrowserSession session;
    private volatile boolean closed;
    private volatile Consumer<String> submittedHook;
    private volatile Runnable beforeSendActionHook;
    private volatile Duration sendCallTimeout;

    public PlaywrightTransport(PlaywrightTransportConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public PlaywrightTransportConfig config() {
        return config;
    }

    @Override
    public String account() {
        return config.account();
    }

    /**
     * Launches the browser and starts connecting; returns at once.
     *
     * @throws IllegalStateException when started before or already closed (a transport starts once)
     */
    @Override
    public void start(TransportContext context) {
        Objects.requireNonNull(context, "context");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("transport of account '" + account() + "' is closed; create a new one");
            }
            if (session != null) {
                throw new IllegalStateException("transport of account '" + account() + "' is already started");
            }
            BrowserSession s = new BrowserSession(config, context, new BrowserSession.TestHooks() {
                @Override
                public void submitted(String messageId) {
                    Consumer<String> hook = submittedHook;
                    if (hook != null) {
                        hook.accept(messageId);
                    }
                }

                @Override
                public void beforeSendAction() {
                    Runnable hook = beforeSendActionHook;
                    if (hook != null) {
                        hook.run();
                    }
                }

                @Override
                public Duration sendCallTimeout() {
                    return sendCallTimeout;
                }
            });
            session = s;
            s.start();
        }
    }

    @Override
    public AccountState state() {
        BrowserSession s = session;
        return s == null || closed ? AccountState.STOPPED : s.state();
    }

    /**
     * How the transport got to its chats so far (page loads, fallback navigations, chats opened inside the page) and
     * what its session snapshots cost.
     */
    public PlaywrightTransportStats stats() {
        BrowserSession s = session;
        if (s == null) {
            return PlaywrightTransportStats.NONE;
        }
        var c = s.counters();
        return new PlaywrightTransportStats(c.pageLoads(), c.fallbackNavigations(), c.openedInPage(), c.alreadyOpen(),
                c.snapshotsSaved(), c.lastSnapshotBytes(), c.lastSnapshotMillis(),
                java.time.Duration.ofNanos(c.longestSnapshotHoldMicros() * 1000), c.sentInPage(), c.openedByModule(),
                s.inPage());
    }

    @Override
    public SendReceipt send(OutgoingMessage message) throws TransportException {
        Objects.requireNonNull(message, "message");
        return running().send(message);
    }

    @Override
    public boolean isRegistered(PhoneNumber number) throws TransportException {
        Objects.requireNonNull(number, "number");
        return running().isRegistered(number);
    }

    /**
     * Opens the chat and looks for proof that the attempt sent its message: the outgoing bubble with the attempt's
     * {@code knownMessageId}, else the first bubble after the one named by its {@code sendMarker} (the newest outgoing
     * bubble before the send action) with exactly the message's text (and file name for media). {@code NotFound} when
     * the chat shows the marker's bubble and nothing of this attempt after it; {@code Unknown} when the chat could
     * not be read, does not reach back to the marker, or no marker was recorded: an identical text sent earlier to
     * the same chat is no proof.
     */
    @Override
    public LookupResult lookup(OutgoingMessage message) throws TransportException {
        Objects.requireNonNull(message, "message");
        return running().lookup(message);
    }

    /**
     * Switches WhatsApp Web to "Link with phone number", enters the number and returns the code it shows (also
     * emitted as a {@code PairingCode} event); type it on the phone under Linked devices.
     */
    @Override
    public void followAcks(java.util.List<dev.wasched.spi.transport.SentMessage> messages) {
        BrowserSession s = session;
        if (s != null) {
            s.followAcks(messages);
        }
    }

    @Override
    public String requestPairingCode(PhoneNumber phone) throws TransportException {
        Objects.requireNonNull(phone, "phone");
        return running().requestPairingCode(phone);
    }

    /**
     * Forgets the login in this browser and in the session store; the state becomes LOGGED_OUT and a new QR code is
     * offered. WhatsApp Web's own menu is not used, so remove the device on the phone (Linked devices) as well.
     */
    @Override
    public void logout() throws TransportException {
        running().logout();
    }

    /**
     * Checks WhatsApp Web's page with this transport's selector profile, as it is now: the page's build, for every key
     * the current screen needs which candidate matched (and an outline of the page where none did), whether a screen
     * blocks the chats, and, when READY, that the account's own chat opens inside the page and its compose box takes
     * text. With {@code sendToSelf} it also sends one short message to the account's own chat and reads back its id
     * and status. Nothing else is sent; the compose box is left empty. Call it on a started transport.
     */
    public ProbeReport probe(boolean sendToSelf) throws TransportException {
        return running().probe(sendToSelf);
    }

    /** Saves the session when READY, ends the browser and every process it started. Idempotent. */
    @Override
    public void close() {
        BrowserSession s;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
        }
        if (s != null) {
            s.close();
        }
    }

    private BrowserSession running() throws SessionLostException {
        BrowserSession s = session;
        if (s == null) {
            throw new SessionLostException("transport of account '" + account() + "' is not started");
        }
        if (closed) {
            throw new SessionLostException("transport of account '" + account() + "' is closed");
        }
        return s;
    }

    /** Test seam: called on the browser thread with a bubble's id once it appears, before WhatsApp accepted it. */
    void onSubmittedForTest(Consumer<String> hook) {
        this.submittedHook = hook;
    }

    /** Test seam: called on the browser thread after the send marker was stored, right before the send action. */
    void beforeSendActionForTest(Runnable hook) {
        this.beforeSendActionHook = hook;
    }

    /** Test seam: how long {@code send} waits for the browser before it gives up (null: the derived budget). */
    void sendCallTimeoutForTest(Duration timeout) {
        this.sendCallTimeout = timeout;
    }

    @Override
    public String toString() {
        return "PlaywrightTransport[account=" + account() + ", state=" + state() + "]";
    }
}
