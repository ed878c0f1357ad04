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
 * event thread never waits for a browser) and written by one thread, which also sends a comment every
 * {@link #KEEP_ALIVE_SECONDS} seconds so proxies keep the connection open and dead clients are found.
 */
public final class LiveEvents implements WaschedListener, AutoCloseable {
    public static final int KEEP_ALIVE_SECONDS = 15;
    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    private static final int QUEUE = 10_000;

    private record Client(AsyncContext async, Role role) {
    }

    private record Message(String type, Role needs, Object data) {
    }

    private final ObjectMapper json;
    private final Map<AsyncContext, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, String> latestQr = new ConcurrentHashMap<>();
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private volatile boolean closed;

    public LiveEvents(ObjectMapper json) {
        this.json = json;
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
        } else {
            delivery(event).ifPresent(d -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", d.id());
                data.put("scheduleId", d.scheduleId());
                data.put("account", d.account());
                data.put("status", d.status().name());
                data.put("repliedAt", d.repliedAt() == null ? null : d.repliedAt().toString());
                publish("delivery", Role.VIEWER, data);
            });
        }
    }

    private static Optional<Delivery> delivery(WaschedEvent e) {
        if (e instanceof WaschedEvent.DeliverySent x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryAcknowledged x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryDead x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryUncertain x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryRetryScheduled x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryCancelled x) {
            return Optional.of(x.delivery());
        }
        if (e instanceof WaschedEvent.DeliveryDismissed x) {
            return Optional.of(x.delivery());
        }
        return Optional.empty();
    }

    /** Queues an event for every client whose role includes {@code needs}; dropped when the queue is full. */
    public void publish(String type, Role needs, Object data) {
        if (!queue.offer(new Message(type, needs, data))) {
            log.warn("live events: queue full, {} event dropped (consoles catch up when they reload)", type);
        }
    }

    /** Keeps {@code async}'s response open and writes the events its role may see to it. */
    public void add(AsyncContext async, Role role) throws IOException {
        async.setTimeout(0);
        var resp = async.getResponse();
        resp.setContentType("text/event-stream;charset=utf-8");
        resp.getOutputStream().write(("retry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
        resp.flushBuffer();
        clients.put(async, new Client(async, role));
    }

    private void writeLoop() {
        long nextPing = System.nanoTime() + TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
        while (!closed) {
            try {
                Message m = queue.poll(1, TimeUnit.SECONDS);
                if (m != null) {
                    byte[] frame = ("event: " + m.type() + "\ndata: " + json.writeValueAsString(m.data()) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8);
                    clients.values().stream().filter(c -> c.role().includes(m.needs())).forEach(c -> send(c, frame));
                }
                if (System.nanoTime() - nextPing > 0) {
                    byte[] ping = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
                    clients.values().forEach(c -> send(c, ping));
                    nextPing = System.nanoTime() + TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("live events: {}", e.toString());
            }
        }
    }

    private void send(Client c, byte[] frame) {
        try {
            var out = c.async().getResponse().getOutputStream();
            out.write(frame);
            out.flush();
        } catch (IOException | RuntimeException e) {
            clients.remove(c.async());
            try {
                c.async().complete();
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        clients.values().forEach(c -> {
            try {
                c.async().complete();
            } catch (RuntimeException ignored) {
                // already gone
            }
        });
        clients.clear();
    }
}
