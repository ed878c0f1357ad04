package dev.wasched.testkit.whatsapp;

import dev.wasched.testkit.whatsapp.internal.HttpFrontend;
import dev.wasched.testkit.whatsapp.internal.PhoneNumbers;
import dev.wasched.testkit.whatsapp.internal.SimulatorState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for WhatsApp Web and the phone behind it, for testing browser-automation
 * transports offline. One instance is one WhatsApp account: a web app served from
 * {@code http://127.0.0.1:PORT} that a real browser can log into, open chats in and send
 * messages from, plus a control API through which a test plays the phone and the server: it
 * links devices, registers numbers, reads what each chat received, controls acks and injects
 * faults. The DOM the page renders is documented in the {@linkplain dev.wasched.testkit.whatsapp
 * package documentation}.
 *
 * <pre>{@code
 * try (WhatsAppWebSimulator wa = WhatsAppWebSimulator.builder().build().start()) {
 *     wa.registerNumber("+491701234567");
 *     page.navigate(wa.url());
 *     wa.scanQr(page.getAttribute("div[data-ref]", "data-ref"));
 *     page.navigate(wa.url() + "/send?phone=491701234567&text=hi");
 *     page.click("button[aria-label=Send]");
 *     List<ReceivedMessage> got = wa.awaitReceived("+491701234567", 1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe. Phone numbers are accepted as E.164 ({@code +491701234567})
 * or as bare digits; spaces, dots, dashes and brackets are ignored.
 */
public final class WhatsAppWebSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppWebSimulator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    /**
     * System property that changes the builder's default {@link PageGeneration} (e.g. {@code WEB_2024}), so a
     * suite written for one page can run against the other unchanged.
     */
    public static final String GENERATION_PROPERTY = "wasched.simulator.pageGeneration";

    private enum Lifecycle { NEW, STARTED, CLOSED }

    private final int port;
    private final ScheduledExecutorService timers;
    private final ExecutorService httpThreads;
    private final SimulatorState state;
    private final HttpFrontend http;
    private final PageGeneration generation;
    private final Object lifecycleLock = new Object();
    private final List<Thread> ownThreads = new ArrayList<>();
    private Lifecycle lifecycle = Lifecycle.NEW;
    private String url;

    private WhatsAppWebSimulator(Builder b) {
        this.port = b.port;
        // Named per instance, so tests (and thread dumps) can tell whose threads these are.
        String threadPrefix = "wa-sim-" + INSTANCES.incrementAndGet();
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads(threadPrefix + "-timer"));
        this.httpThreads = Executors.newFixedThreadPool(8, daemonThreads(threadPrefix + "-http"));
        this.generation = b.pageGeneration;
        DomVariant base = b.domVariant != null ? b.domVariant : DomVariant.standard(b.pageGeneration);
        DomVariant variant = b.invalidNumberWording == null
                ? base : base.withInvalidNumberText(b.invalidNumberWording.template());
        this.state = new SimulatorState(new SimulatorState.Settings(
                b.qrRotationInterval, b.qrRotationsBeforeExpiry, b.deliveredAfter, b.readAfter, b.loadingScreen,
                b.pollInterval, b.phoneDigits, variant, b.pageGeneration, b.visibleMessages, b.readMoreAfter,
                b.webVersion, b.profileName, b.chatHistoryBytes, b.whatsNewAfterBoot, b.passkeyAfterLink), timers);
        this.http = new HttpFrontend(state, b.pageGeneration, b.webVersion);
        if (b.inPageModules != null) {
            state.setInPageModules(b.inPageModules);
        }
    }

    /**
     * @return a builder with the defaults documented on its methods
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @return this, for chaining
     * @throws IllegalStateException if already started or closed
     * @throws SimulatorException if the port cannot be bound
     */
    public WhatsAppWebSimulator start() {
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.NEW) {
                throw new IllegalStateException("the simulator can be started once; it is " + lifecycle);
            }
            try {
                InetSocketAddress address = http.start(port, httpThreads);
                url = "http://127.0.0.1:" + address.getPort();
            } catch (IOException e) {
                shutdownThreads();
                lifecycle = Lifecycle.CLOSED;
                throw new SimulatorException("cannot bind the simulator to 127.0.0.1:" + port, e);
            }
            lifecycle = Lifecycle.STARTED;
            LOG.info("WhatsApp Web simulator listening on {}", url);
            return this;
        }
    }

    /**
     * The page's base address, without trailing slash, like {@code https://web.whatsapp.com}:
     * {@code url() + "/send?phone=..."} is a valid click-to-chat link.
     *
     * @return e.g. {@code http://127.0.0.1:41235}
     * @throws IllegalStateException if not started, or closed
     */
    public String url() {
        synchronized (lifecycleLock) {
            if (lifecycle != Lifecycle.STARTED) {
                throw new IllegalStateException("the simulator is " + lifecycle + ", not running");
            }
            return url;
        }
    }

    /**
     * Stops the HTTP server and every thread of this simulator; returns when they are gone (or
     * after a bounded wait). Idempotent. Open pages lose their server and keep retrying quietly.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (lifecycle == Lifecycle.CLOSED) {
                return;
            }
            lifecycle = Lifecycle.CLOSED;
        }
        state.close();
        http.stop();
        shutdownThreads();
        LOG.info("WhatsApp Web simulator {} closed", url);
    }

    /**
     * @return the page this simulator serves
     */
    public PageGeneration pageGeneration() {
        return generation;
    }

    /**
     * How many full page loads browsers made: requests for the page itself ({@code /} or {@code /send}), by
     * navigation or reload. In-page chat opening (search, chat list, "New chat") costs none.
     *
     * @return the count since start
     */
    public long pageLoads() {
        return http.pageLoads();
    }

    // ---------------------------------------------------------------- screens (WEB_2026)

    /**
     * Every open page shows the "What's new" dialog ({@code div[role="dialog"]} with a {@code Continue} button),
     * which blocks clicks on the page until closed. {@link Builder#whatsNewDialogAfterBoot(boolean)} shows it on
     * every page load.
     *
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void showWhatsNewDialog() {
        state.showWhatsNew();
    }

    /** Whether a page has been told to show the "What's new" dialog (at its last update) and has not closed it. */
    public boolean whatsNewDialogOnScreen() {
        return state.whatsNewOnScreen();
    }

    /**
     * WhatsApp was opened in another browser window: every linked page shows "WhatsApp is open in another window"
     * with a {@code Use here} button and sends nothing until its user clicks it, which takes the page back.
     *
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void openElsewhere() {
        state.openElsewhere();
    }

    /**
     * @return how many open pages currently show "WhatsApp is open in another window"
     */
    public int pagesOpenElsewhere() {
        return state.pagesOpenElsewhere();
    }

    /**
     * Restricts the account, or lifts the restriction: while restricted, open chats show a banner instead of the
     * compose box and the server refuses sends.
     *
     * @param restricted whether the account is restricted
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void setAccountRestricted(boolean restricted) {
        state.setRestricted(restricted);
    }

    /**
     * Sets the page's connection state; see {@link ConnectionState} for what pages show and do meanwhile.
     *
     * @param connection the new state; {@link ConnectionState#ONLINE} ends an outage and queued sends go out
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void setConnection(ConnectionState connection) {
        state.setConnection(Objects.requireNonNull(connection, "connection"));
    }

    /**
     * @return the connection state pages show
     */
    public ConnectionState connection() {
        return state.connection();
    }

    /**
     * Makes the account ask for its passkey: linked pages show the passkey screen, which blocks the chats until
     * the page's {@code navigator.credentials.get} succeeds (the user clicks {@code Continue}) or
     * {@link #completePasskey()}. {@link Builder#passkeyAfterLink(boolean)} does this on every link.
     *
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void requirePasskey() {
        state.setPasskeyRequired(true);
    }

    /**
     * The passkey step is done (as if verified on another device): pages leave the passkey screen.
     *
     * @throws IllegalStateException on a {@link PageGeneration#WEB_2024} simulator
     */
    public void completePasskey() {
        state.setPasskeyRequired(false);
    }

    /**
     * @return whether pages show the passkey screen
     */
    public boolean passkeyRequired() {
        return state.passkeyRequired();
    }

    // ---------------------------------------------------------------- linking

    /**
     * The phone scans a QR code: links the page that currently shows exactly this payload.
     * The page then shows its loading screen and the chat list.
     *
     * @param payload the {@code data-ref} value a page shows
     * @throws LinkRejectedException if no open page shows it (unknown, rotated away, expired)
     */
    public void scanQr(String payload) {
        state.scanQr(Objects.requireNonNull(payload, "payload"));
    }

    /**
     * A phone of <em>another</em> account scans a QR code: the page links as that number. Its
     * {@code localStorage['last-wid-md']} then names that number, so a transport that expects a
     * particular account can see that the wrong one linked (see the package documentation).
     * Messages the page sends go out from that account.
     *
     * @param payload the {@code data-ref} value a page shows
     * @param phoneE164 the number of the phone that scans
     * @throws LinkRejectedException if no open page shows it (unknown, rotated away, expired)
     */
    public void scanQrAs(String payload, String phoneE164) {
        state.scanQr(Objects.requireNonNull(payload, "payload"), PhoneNumbers.digits(phoneE164));
    }

    /**
     * @return the numbers (E.164) of the accounts whose phones linked a device that is still
     *     linked, oldest link first
     */
    public List<String> linkedNumbers() {
        return state.linkedNumbers().stream().map(d -> "+" + d).toList();
    }

    /**
     * The user types a pairing code into the phone: links the page that shows it. The page must
     * have asked for the code with this account's own number ({@link Builder#phoneNumber(String)}).
     *
     * @param code the code a page shows, e.g. {@code ABCD-EFGH} (dash, spaces and case are ignored)
     * @throws LinkRejectedException if no open page shows it, or it asked for another number
     */
    public void enterPairingCode(String code) {
        state.enterPairingCode(Objects.requireNonNull(code, "code"));
    }

    /**
     * @return the QR payload of the most recently opened page that shows a live QR code, if any
     */
    public Optional<String> currentQrPayload() {
        return state.currentQrPayload();
    }

    /**
     * @return the pairing code ({@code ABCD-EFGH}) of the most recently opened page that shows one
     */
    public Optional<String> currentPairingCode() {
        return state.currentPairingCode();
    }

    /**
     * Waits until a page shows a live QR code.
     *
     * @param timeout how long to wait
     * @return its payload
     * @throws AssertionError on timeout
     */
    public String awaitQrPayload(Duration timeout) {
        return state.await(state::currentQrPayload, timeout, () -> "no page shows a QR code");
    }

    /**
     * Waits until a page shows a pairing code.
     *
     * @param timeout how long to wait
     * @return the code, {@code ABCD-EFGH}
     * @throws AssertionError on timeout
     */
    public String awaitPairingCode(Duration timeout) {
        return state.await(state::currentPairingCode, timeout, () -> "no page shows a pairing code");
    }

    /**
     * @return whether at least one device is linked to the account
     */
    public boolean isLinked() {
        return state.isLinked();
    }

    /**
     * @return how many devices (browser profiles) are linked, as the phone's "Linked devices" list counts them
     */
    public int linkedClients() {
        return state.linkedClients();
    }

    /**
     * Logs every linked device out, as "Log out" in the phone's "Linked devices" list does.
     * Open pages notice within one poll interval, clear their IndexedDB and localStorage, and
     * reload to the QR screen; saved storage states no longer work.
     */
    public void logoutFromPhone() {
        state.logoutFromPhone();
    }

    // ---------------------------------------------------------------- contacts and groups

    /**
     * Makes a number known to WhatsApp, so {@code /send?phone=} opens a chat with it.
     *
     * @param e164 the number
     */
    public void registerNumber(String e164) {
        state.registerNumber(PhoneNumbers.digits(e164), null);
    }

    /**
     * Makes a number known to WhatsApp and saves it in the phone's contacts under a name; chat
     * headers and the chat list then show the name instead of the number.
     *
     * @param e164 the number
     * @param displayName the contact name
     */
    public void registerNumber(String e164, String displayName) {
        if (Objects.requireNonNull(displayName, "displayName").isBlank()) {
            throw new IllegalArgumentException("displayName must not be blank");
        }
        state.registerNumber(PhoneNumbers.digits(e164), displayName.strip());
    }

    /**
     * Removes a number from WhatsApp: {@code /send?phone=} then shows the invalid-number popup.
     * Messages it already received stay recorded.
     *
     * @param e164 the number
     * @return whether it was registered
     */
    public boolean unregisterNumber(String e164) {
        return state.unregisterNumber(PhoneNumbers.digits(e164));
    }

    /**
     * @param e164 the number
     * @return whether it is registered
     */
    public boolean isRegistered(String e164) {
        return state.isRegistered(PhoneNumbers.digits(e164));
    }

    /**
     * Creates a group the account is a member of. It appears in the chat list and in search
     * results as {@code span[title="NAME"]}.
     *
     * @param name unique group name
     * @param memberE164s the other members' numbers
     * @return the group's JID, e.g. {@code 120363012345678901@g.us}
     * @throws IllegalArgumentException if the name is blank or taken, or a number is invalid
     */
    public String createGroup(String name, String... memberE164s) {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("group name must not be blank");
        }
        List<String> members = new ArrayList<>();
        for (String member : memberE164s) {
            members.add(PhoneNumbers.digits(member));
        }
        return state.createGroup(name, members);
    }

    // ---------------------------------------------------------------- the truth

    /**
     * @param e164 a number
     * @return messages the server accepted for the direct chat with that number, oldest first
     */
    public List<ReceivedMessage> received(String e164) {
        return state.received(PhoneNumbers.digits(e164));
    }

    /**
     * @param groupName a group's name
     * @return messages the server accepted for that group, oldest first
     * @throws IllegalArgumentException if there is no such group
     */
    public List<ReceivedMessage> receivedInGroup(String groupName) {
        return state.receivedInGroup(groupName);
    }

    /**
     * @return every message the server accepted, oldest first
     */
    public List<ReceivedMessage> allReceived() {
        return state.allReceived();
    }

    /**
     * @param messageId a bubble's {@code data-id}
     * @return the accepted message with that id, if the server accepted it
     */
    public Optional<ReceivedMessage> receivedMessage(String messageId) {
        return state.receivedMessage(Objects.requireNonNull(messageId, "messageId"));
    }

    /**
     * Waits until the direct chat with a number has received at least {@code count} messages.
     *
     * @param e164 the number
     * @param count how many
     * @param timeout how long to wait
     * @return all its messages (at least {@code count}), oldest first
     * @throws AssertionError on timeout, listing what was received
     */
    public List<ReceivedMessage> awaitReceived(String e164, int count, Duration timeout) {
        String digits = PhoneNumbers.digits(e164);
        return state.await(() -> atLeast(state.received(digits), count), timeout,
                () -> "expected " + count + " message(s) to +" + digits + ", got " + state.received(digits));
    }

    /**
     * Waits until a group has received at least {@code count} messages.
     *
     * @param groupName the group's name
     * @param count how many
     * @param timeout how long to wait
     * @return all its messages (at least {@code count}), oldest first
     * @throws AssertionError on timeout, listing what was received
     */
    public List<ReceivedMessage> awaitReceivedInGroup(String groupName, int count, Duration timeout) {
        return state.await(() -> atLeast(state.receivedInGroup(groupName), count), timeout,
                () -> "expected " + count + " message(s) in group '" + groupName + "', got "
                        + state.receivedInGroup(groupName));
    }

    /**
     * Waits until a message has reached at least a status.
     *
     * @param messageId a bubble's {@code data-id}
     * @param status the status to reach (or pass)
     * @param timeout how long to wait
     * @return the message
     * @throws AssertionError on timeout
     */
    public ReceivedMessage awaitStatus(String messageId, AckStatus status, Duration timeout) {
        return state.await(() -> state.receivedMessage(messageId).filter(m -> m.status().compareTo(status) >= 0),
                timeout, () -> "expected message " + messageId + " to reach " + status + ", it is "
                        + state.receivedMessage(messageId).map(m -> m.status().name()).orElse("not accepted"));
    }

    // ---------------------------------------------------------------- acks

    /**
     * Sets the automatic ack delays for messages accepted from now on.
     *
     * @param deliveredAfter from accepted ({@code msg-check}) to delivered ({@code msg-dblcheck})
     * @param readAfter from delivered to read ({@code msg-dblcheck-ack})
     */
    public void setAckDelays(Duration deliveredAfter, Duration readAfter) {
        state.setAckDelays(requireNonNegative(deliveredAfter, "deliveredAfter"),
                requireNonNegative(readAfter, "readAfter"));
    }

    /**
     * Stops automatic delivered and read acks: messages stay where they are until
     * {@link #deliver(String)}, {@link #read(String)} or {@link #releaseAcks()}.
     */
    public void holdAcks() {
        state.holdAcks();
    }

    /**
     * Resumes automatic acks; each held message gets its next ack after the current delay,
     * counted from now.
     */
    public void releaseAcks() {
        state.releaseAcks();
    }

    /**
     * The recipient's phone received the message: {@code msg-check} becomes {@code msg-dblcheck}.
     * No effect if it already got there.
     *
     * @param messageId a bubble's {@code data-id}
     * @throws IllegalArgumentException if the server never accepted a message with this id
     * @throws IllegalStateException if the server has not accepted it yet (slow send)
     */
    public void deliver(String messageId) {
        state.deliver(Objects.requireNonNull(messageId, "messageId"));
    }

    /**
     * The recipient read the message: its icon becomes {@code msg-dblcheck-ack} (implies delivered).
     *
     * @param messageId a bubble's {@code data-id}
     * @throws IllegalArgumentException if the server never accepted a message with this id
     * @throws IllegalStateException if the server has not accepted it yet (slow send)
     */
    public void read(String messageId) {
        state.read(Objects.requireNonNull(messageId, "messageId"));
    }

    // ---------------------------------------------------------------- incoming messages

    /**
     * Someone writes to the account: the message reaches each linked page at its next poll (while the connection is
     * up), where the page's message collection announces it ({@code add}, {@code isNewMsg}). With the LID mapping of
     * {@link InPageModules} the message names its sender by LID, with the phone number beside it. The sender's chat
     * shows it too, counted in the chat list's unread badge until a page opens the chat.
     *
     * @param fromE164 the sender, a number registered with {@link #registerNumber}
     * @param text the text
     * @return the message's id ({@code false_<chat>_<key>})
     */
    public String receive(String fromE164, String text) {
        return receive(fromE164, text, null);
    }

    /**
     * As {@link #receive(String, String)}, quoting (answering) one of the account's messages.
     *
     * @param quotedMessageId the quoted message's id as the page shows it (the key, or the full id)
     */
    public String receive(String fromE164, String text, String quotedMessageId) {
        String digits = PhoneNumbers.digitsOrNull(Objects.requireNonNull(fromE164, "fromE164"));
        if (digits == null) {
            throw new IllegalArgumentException("not a phone number: " + fromE164);
        }
        String quoted = quotedMessageId == null ? null
                : quotedMessageId.substring(quotedMessageId.lastIndexOf('_') + 1);
        return state.receive(digits, Objects.requireNonNull(text, "text"), quoted);
    }

    /**
     * Whether a page that has the sender's chat open when a message arrives reads it at once, as WhatsApp Web does
     * in a window in front (the default), or shows it with an unread badge until the chat is opened again (a window
     * that is not). Applies to pages loaded from now on.
     */
    public void setOpenChatReadsArrivals(boolean value) {
        state.setOpenChatReadsArrivals(value);
    }

    /**
     * @param fromE164 a number that wrote to the account
     * @return how many of its messages are unread: received, and its chat not opened since on any linked page
     */
    public int unreadFrom(String fromE164) {
        String digits = PhoneNumbers.digitsOrNull(Objects.requireNonNull(fromE164, "fromE164"));
        return digits == null ? 0 : state.unreadFrom(digits);
    }

    // ---------------------------------------------------------------- faults

    /**
     * Every open page reloads itself within one poll interval, as WhatsApp Web does after an
     * update or a connection problem. A page that was on {@code /send} is then on {@code /}:
     * the open chat and any unsent compose text are gone, bubbles the server never accepted
     * disappear.
     */
    public void reloadPage() {
        state.reloadPages();
    }

    /**
     * The server takes this long to accept each message sent from now on: its bubble keeps
     * {@code msg-time} meanwhile and it is not {@linkplain #received(String) received} yet.
     *
     * @param delay the delay; {@link Duration#ZERO} ends the fault
     */
    public void slowSends(Duration delay) {
        state.slowSends(requireNonNegative(delay, "delay"));
    }

    /**
     * The next {@code n} messages sent are lost on the way: their bubbles keep {@code msg-time}
     * for good and nothing is recorded (a page retrying the same message id is dropped again).
     *
     * @param n how many; 0 ends the fault
     */
    public void dropSends(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        state.dropSends(n);
    }

    /**
     * Ends {@link #slowSends(Duration)} and {@link #dropSends(int)}. Messages already delayed
     * or dropped stay so. Does not touch acks or the DOM variant.
     */
    public void clearFaults() {
        state.clearFaults();
    }

    /**
     * Switches the page's DOM names; open pages reload themselves to pick it up.
     *
     * @param variant the names to use; {@code DomVariant.standard(pageGeneration())} restores the default
     */
    public void setDomVariant(DomVariant variant) {
        state.setDomVariant(Objects.requireNonNull(variant, "variant"));
    }

    /**
     * Shorthand for {@code setDomVariant(domVariant().withSendIcon(newDataIcon))}.
     *
     * @param newDataIcon the send buttons' new {@code data-icon}
     */
    public void renameSendButtonIcon(String newDataIcon) {
        Objects.requireNonNull(newDataIcon, "newDataIcon");
        state.updateDomVariant(v -> v.withSendIcon(newDataIcon));
    }

    /**
     * @return the DOM names pages currently use
     */
    public DomVariant domVariant() {
        return state.domVariant();
    }

    /**
     * Switches the in-page module registry of {@link PageGeneration#WEB_2026} pages (module ids, the LID mapping, how
     * long registration takes); pages loaded from now on use it, open pages keep theirs until they reload.
     *
     * @param modules the registry to model; {@link InPageModules#standard()} restores the default
     */
    public void setInPageModules(InPageModules modules) {
        state.setInPageModules(Objects.requireNonNull(modules, "modules"));
    }

    /** @return the in-page module registry pages load with */
    public InPageModules inPageModules() {
        return state.inPageModules();
    }

    // ---------------------------------------------------------------- internals

    private void shutdownThreads() {
        timers.shutdownNow();
        httpThreads.shutdownNow();
        // awaitTermination() returns once the pools are done, which can be a moment before their
        // threads have actually ended; join them so that "closed" really means no thread is left.
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        try {
            List<Thread> threads;
            synchronized (ownThreads) {
                threads = new ArrayList<>(ownThreads);
            }
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    LOG.warn("simulator thread {} did not stop within {}", t.getName(), SHUTDOWN_WAIT);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> Optional<List<T>> atLeast(List<T> list, int count) {
        return list.size() >= count ? Optional.of(list) : Optional.empty();
    }

    private static Duration requireNonNegative(Duration d, String what) {
        if (Objects.requireNonNull(d, what).isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }

    private ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            // Daemon, so a test that forgets close() cannot keep the JVM alive.
            t.setDaemon(true);
            synchronized (ownThreads) {
                ownThreads.add(t);
            }
            return t;
        };
    }

    /**
     * Options of a {@link WhatsAppWebSimulator}. All have defaults.
     */
    public static final class Builder {

        private Duration qrRotationInterval = Duration.ofSeconds(20);
        private int qrRotationsBeforeExpiry = 5;
        private Duration deliveredAfter = Duration.ofMillis(300);
        private Duration readAfter = Duration.ofMillis(700);
        private Duration loadingScreen = Duration.ofSeconds(8);
        private Duration pollInterval = Duration.ofMillis(250);
        private String phoneDigits = "15550100001";
        private int port;
        private DomVariant domVariant;
        private PageGeneration pageGeneration = defaultGeneration();
        private InvalidNumberWording invalidNumberWording;
        private int visibleMessages = 30;
        private int readMoreAfter = 1024;
        private String webVersion = "2.3000.1031980585";
        private String profileName = "Wasched";
        private long chatHistoryBytes = 256 * 1024;
        private boolean whatsNewAfterBoot;
        private boolean passkeyAfterLink;
        private InPageModules inPageModules;

        private Builder() {
        }

        // A whole suite written for one page can be run against the other without editing it:
        // -Dwasched.simulator.pageGeneration=WEB_2024 changes the default, never an explicit choice.
        private static PageGeneration defaultGeneration() {
            String value = System.getProperty(GENERATION_PROPERTY);
            if (value == null || value.isBlank()) {
                return PageGeneration.WEB_2026;
            }
            try {
                return PageGeneration.valueOf(value.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("system property " + GENERATION_PROPERTY + " must be one of "
                        + java.util.Arrays.toString(PageGeneration.values()) + ": " + value, e);
            }
        }

        /**
         * Which page to serve. Default {@link PageGeneration#WEB_2026}, unless the system property
         * {@value WhatsAppWebSimulator#GENERATION_PROPERTY} names another generation.
         *
         * @param generation the page
         * @return this
         */
        public Builder pageGeneration(PageGeneration generation) {
            this.pageGeneration = Objects.requireNonNull(generation, "generation");
            return this;
        }

        /**
         * The text of the invalid-number popup, from the wordings WhatsApp has used. Default
         * {@link InvalidNumberWording#SHARED_VIA_URL_INVALID} (the text of {@link DomVariant#standard()}).
         * Applied on top of {@link #domVariant(DomVariant)}.
         *
         * @param wording the wording
         * @return this
         */
        public Builder invalidNumberWording(InvalidNumberWording wording) {
            this.invalidNumberWording = Objects.requireNonNull(wording, "wording");
            return this;
        }

        /**
         * How many message rows a {@link PageGeneration#WEB_2026} page keeps in the DOM of an open chat: the
         * newest ones; older rows appear only while the user scrolls up. Default 30.
         *
         * @param rows 5 or more
         * @return this
         */
        public Builder visibleMessages(int rows) {
            if (rows < 5) {
                throw new IllegalArgumentException("visibleMessages must be at least 5: " + rows);
            }
            this.visibleMessages = rows;
            return this;
        }

        /**
         * From how many characters on a {@link PageGeneration#WEB_2026} bubble shows its text cut, with a
         * "Read more" button that expands it. Default 1024.
         *
         * @param chars 100 or more
         * @return this
         */
        public Builder readMoreAfter(int chars) {
            if (chars < 100) {
                throw new IllegalArgumentException("readMoreAfter must be at least 100: " + chars);
            }
            this.readMoreAfter = chars;
            return this;
        }

        /**
         * The build version a {@link PageGeneration#WEB_2026} page exposes as {@code window.Debug.VERSION}.
         * Default {@code 2.3000.1031980585}.
         *
         * @param version like {@code 2.3000.1031980585}
         * @return this
         */
        public Builder webVersion(String version) {
            Objects.requireNonNull(version, "version");
            if (!version.matches("2\\.\\d{4}\\.\\d{1,12}")) {
                throw new IllegalArgumentException("webVersion must look like 2.3000.1031980585: " + version);
            }
            this.webVersion = version;
            return this;
        }

        /**
         * The account's profile name: on a {@link PageGeneration#WEB_2026} page the sender named in
         * {@code data-pre-plain-text} of the account's own messages. Default {@code Wasched}.
         *
         * @param name not blank
         * @return this
         */
        public Builder profileName(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("profileName must not be blank");
            }
            this.profileName = name.strip();
            return this;
        }

        /**
         * How much chat history a linked {@link PageGeneration#WEB_2026} page stores in IndexedDB (database
         * {@code model-storage}, store {@code message}), so that a browser profile has a realistic size. Written
         * once per profile, during the loading screen after the link (which lasts until it is written).
         * Default 256 KiB.
         *
         * @param bytes 0 or more
         * @return this
         */
        public Builder chatHistoryBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("chatHistoryBytes must not be negative: " + bytes);
            }
            this.chatHistoryBytes = bytes;
            return this;
        }

        /**
         * Whether every page load of a {@link PageGeneration#WEB_2026} page shows the "What's new" dialog once
         * the chats are up. Default {@code false}.
         *
         * @param show whether to show it
         * @return this
         */
        public Builder whatsNewDialogAfterBoot(boolean show) {
            this.whatsNewAfterBoot = show;
            return this;
        }

        /**
         * Whether linking a {@link PageGeneration#WEB_2026} page asks for the account's passkey before the chats
         * show (see {@link WhatsAppWebSimulator#requirePasskey()}). Default {@code false}.
         *
         * @param ask whether to ask
         * @return this
         */
        public Builder passkeyAfterLink(boolean ask) {
            this.passkeyAfterLink = ask;
            return this;
        }

        /**
         * The in-page module registry of {@link PageGeneration#WEB_2026} pages; default {@link InPageModules#standard()}
         * (changeable later with {@link WhatsAppWebSimulator#setInPageModules}).
         */
        public Builder inPageModules(InPageModules modules) {
            this.inPageModules = Objects.requireNonNull(modules, "modules");
            return this;
        }

        /**
         * How long each QR payload is shown before it is replaced. Default 20 s, like WhatsApp Web.
         *
         * @param interval positive
         * @return this
         */
        public Builder qrRotationInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("qrRotationInterval must be positive: " + interval);
            }
            this.qrRotationInterval = interval;
            return this;
        }

        /**
         * How often the QR payload is replaced before the QR code expires and the page shows
         * "Click to reload QR code". One attempt thus shows {@code rotations + 1} payloads and
         * lasts {@code (rotations + 1) * interval}. Default 5 (six codes, two minutes).
         *
         * @param rotations zero or more
         * @return this
         */
        public Builder qrRotationsBeforeExpiry(int rotations) {
            if (rotations < 0) {
                throw new IllegalArgumentException("qrRotationsBeforeExpiry must not be negative: " + rotations);
            }
            this.qrRotationsBeforeExpiry = rotations;
            return this;
        }

        /**
         * Automatic ack delays; change them later with {@link #setAckDelays(Duration, Duration)}.
         * Defaults 300 ms and 700 ms.
         *
         * @param deliveredAfter from accepted ({@code msg-check}) to delivered ({@code msg-dblcheck})
         * @param readAfter from delivered to read ({@code msg-dblcheck-ack})
         * @return this
         */
        public Builder ackDelays(Duration deliveredAfter, Duration readAfter) {
            this.deliveredAfter = requireNonNegative(deliveredAfter, "deliveredAfter");
            this.readAfter = requireNonNegative(readAfter, "readAfter");
            return this;
        }

        /**
         * How long the page shows its loading screen ({@code #startup}, "Loading your chats")
         * after linking or when it restores a session: the boot time of every full page load of a linked
         * page. Default 8 s, about what WhatsApp Web takes; tests set a short one.
         *
         * @param duration zero or more
         * @return this
         */
        public Builder loadingScreen(Duration duration) {
            this.loadingScreen = requireNonNegative(duration, "loadingScreen");
            return this;
        }

        /**
         * How often the page asks the server for news (QR rotation, link, logout, acks, reload).
         * Default 250 ms.
         *
         * @param interval between 10 ms and 5 s
         * @return this
         */
        public Builder pollInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.toMillis() < 10 || interval.toMillis() > 5000) {
                throw new IllegalArgumentException("pollInterval must be between 10 ms and 5 s: " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        /**
         * The account's own number; a page must ask for a pairing code with it. Default
         * {@code +15550100001}.
         *
         * @param e164 the number
         * @return this
         */
        public Builder phoneNumber(String e164) {
            this.phoneDigits = PhoneNumbers.digits(e164);
            return this;
        }

        /**
         * A fixed port, e.g. so a saved browser profile (whose storage is per origin) survives
         * a new simulator instance. Default 0: any free port.
         *
         * @param port 0-65535
         * @return this
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The DOM names pages start with. Default {@link DomVariant#standard(PageGeneration)} of the page
         * generation.
         *
         * @param variant the names
         * @return this
         */
        public Builder domVariant(DomVariant variant) {
            this.domVariant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /**
         * @return a simulator with these options, not started yet
         */
        public WhatsAppWebSimulator build() {
            return new WhatsAppWebSimulator(this);
        }
    }
}
