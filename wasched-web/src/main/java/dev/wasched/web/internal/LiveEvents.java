package dev.wasched.web.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasched.access.Role;
import dev.wasched.delivery.Delivery;
import dev.wasched.event.WaschedEvent;
import dev.wasched.event.WaschedListener;
import jakarta.servlet.AsyncContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changes while a console is open, as Server-Sent Events: deliveries ({@code delivery}), account states
 * ({@code account}), a new login QR code ({@code qr}: only that there is one; the image is fetched), a pairing code
 * ({@code pairing}, operators and above), import progress ({@code import}). Engine events are queued (the engine's
 * event thread never waits for a browser) and written by one thread, which also sends a comment at each keep-alive
 * interval ({@code WebConfig.eventsKeepAlive}) so proxies keep the connection open and dead clients are found, and
 * then checks every caller's access again: a revoked key, a removed or demoted user, a session that ended lose
 * their stream (or what their new role may not see).
 */
public final class LiveEvents implements WaschedListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final int QUEUE = 10_000;

    /** One open stream: who opened it, and the role they had when last checked. */
    private record Client(AsyncContext async, Principal principal, Role role) {
        Client withRole(Role r) {
            return new Client(async, principal, r);
        }
    }

    private record Message(String type, Role needs, Object data) {
    }

    private final ObjectMapper json;
    /** The role a caller has now, or empty when it has none: streams follow revocations, demotions and sign-outs. */
    private final java.util.function.Function<Principal, Optional<Role>> current;
    private final Map<AsyncContext, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> latestQr = new ConcurrentHashMap<>();
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private final long keepAliveNanos;
    private volatile boolean closed;

    public LiveEvents(ObjectMapper json, java.util.function.Function<Principal, Optional<Role>> current,
                      java.time.Duration keepAlive) {
        this.json = json;
        this.current = current;
        this.keepAliveNanos = keepAlive.toNanos();
        this.writer = new Thread(this::writeLoop, "wasched-web-events");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The login QR payload an account shows now, if it waits to be linked. */
    public Optional<String> latestQr(String account) {
        return Optional.ofNullable(latestQr.get(account));
    }

    @Override
    public void onEvent(WaschedEvent event) {
        if (event instanceof WaschedEvent.LoginQrCode qr) {
            latestQr.put(qr.account(), qr.payload());
            publish("qr", Role.OPERATOR, Map.of("account", qr.account(), "at", qr.at().toString()));
        } else if (event instanceof WaschedEvent.LoginPairingCode p) {
            publish("pairing", Role.OPERATOR, Map.of("account", p.account(), "code", p.code()));
        } else if (event instanceof WaschedEvent.AccountStateChanged s) {
            if (s.to() != dev.wasched.session.AccountState.QR) {
                latestQr.remove(s.account());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account", s.account());
            data.put("from", s.from() == null ? null : s.from().name());
            data.put("to", s.to().name());
            data.put("detail", s.detail());
            publish("account", Role.VIEWER, data);
        } else if (event instanceof WaschedEvent.DeliveryEvent e) {
            Delivery d = e.delivery();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", d.id());
            data.put("scheduleId", d.scheduleId());
            data.put("account", d.account());
            data.put("status", d.status().name());
            data.put("repliedAt", d.repliedAt() == null ? null : d.repliedAt().toString());
            publish("delivery", Role.VIEWER, data);
        }
    }

    /** Queues an event for every client whose role includes {@code needs}; dropped when the queue is full. */
    public void publish(String type, Role needs, Object data) {
        if (!queue.offer(new Message(type, needs, data))) {
            log.warn("live events: queue full, {} event dropped (consoles catch up when they reload)", type);
        }
    }

    /** Keeps {@code async}'s response open and writes the events its caller's role may see to it. */
    public void add(AsyncContext async, Principal principal) throws IOException {
        try {
            async.setTimeout(0);
            var resp = async.getResponse();
            resp.setContentType("text/event-stream;charset=utf-8");
            resp.getOutputStream().write(("retry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
            resp.flushBuffer();
            clients.put(async, new Client(async, principal, principal.role()));
        } catch (IOException | RuntimeException e) {
            end(async);
            throw e;
        }
    }

    private void writeLoop() {
        long nextPing = System.nanoTime() + keepAliveNanos;
        while (!closed) {
            try {
                Message m = queue.poll(Math.min(keepAliveNanos, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (m != null) {
                    byte[] frame = ("event: " + m.type() + "\ndata: " + json.writeValueAsString(m.data()) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8);
                    // What only operators may see (a pairing code links a device) is sent after a fresh check.
                    if (m.needs() != Role.VIEWER) {
                        recheck();
                    }
                    clients.values().stream().filter(c -> c.role().includes(m.needs())).forEach(c -> send(c, frame));
                }
                if (System.nanoTime() - nextPing > 0) {
                    recheck();
                    byte[] ping = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
                    clients.values().forEach(c -> send(c, ping));
                    nextPing = System.nanoTime() + keepAliveNanos;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("live events: {}", e.toString());
            }
        }
    }

    /** Ends the streams of callers who lost their access, and follows role changes of the others. */
    private void recheck() {
        clients.values().forEach(c -> {
            Optional<Role> now = current.apply(c.principal());
            if (now.isEmpty()) {
                clients.remove(c.async());
                end(c.async());
            } else if (now.get() != c.role()) {
                clients.put(c.async(), c.withRole(now.get()));
            }
        });
    }

    private static void end(AsyncContext async) {
        try {
            async.complete();
        } catch (RuntimeException ignored) {
            // already gone
        }
    }

    private void send(Client c, byte[] frame) {
        try {
            var out = c.async().getResponse().getOutputStream();
            out.write(frame);
            out.flush();
        } catch (IOException | RuntimeException e) {
            clients.remove(c.async());
            end(c.async());
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        clients.values().forEach(c -> end(c.async()));
        clients.clear();
    }
}
