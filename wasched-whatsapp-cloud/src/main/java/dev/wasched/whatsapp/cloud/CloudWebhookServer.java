package dev.wasched.whatsapp.cloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link CloudWebhook} with the JDK's HTTP server: {@code GET path} for the handshake, {@code POST path} for
 * notifications. Put it behind the HTTPS reverse proxy Meta calls (Meta only calls HTTPS URLs with a valid
 * certificate).
 */
public final class CloudWebhookServer implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CloudWebhookServer.class);
    /** Bodies larger than this are refused (413): Meta's notifications are a few kilobytes. */
    static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private CloudWebhookServer(CloudWebhook webhook, InetSocketAddress address, String path, int threads) {
        this.path = path;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for webhooks on " + address, e);
        }
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "wasched-cloud-webhook");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(path, exchange -> handle(webhook, exchange));
        server.start();
    }

    /** Starts serving {@code webhook} at {@code path} on {@code address} (port 0: any free port). */
    public static CloudWebhookServer start(CloudWebhook webhook, InetSocketAddress address, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new dev.wasched.ValidationException("path", "must start with '/', was '" + path + "'");
        }
        return new CloudWebhookServer(webhook, address, path, 4);
    }

    /** The URL this server answers at, as seen locally. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + path);
    }

    private static void handle(CloudWebhook webhook, HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                serve(webhook, exchange);
            } catch (RuntimeException e) {
                // Answered 500, so Meta delivers the notification again; what was applied is skipped then.
                log.warn("webhook request failed", e);
                answer(exchange, 500, "internal error");
            }
        }
    }

    private static void serve(CloudWebhook webhook, HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
                var challenge = webhook.verify(q.get("hub.mode"), q.get("hub.verify_token"), q.get("hub.challenge"));
                answer(exchange, challenge.isPresent() ? 200 : 403, challenge.orElse("verification refused"));
            }
            case "POST" -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(MAX_BODY + 1);
                }
                if (body.length > MAX_BODY) {
                    answer(exchange, 413, "body too large");
                    return;
                }
                CloudWebhook.Result r = webhook.receive(body, exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"));
                answer(exchange, r.httpStatus(), r.message());
            }
            default -> answer(exchange, 405, "GET or POST");
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
