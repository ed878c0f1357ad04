package dev.wasched.testkit.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.testkit.whatsapp.PageGeneration;
import dev.wasched.testkit.whatsapp.ReceivedMessage;
import dev.wasched.testkit.whatsapp.internal.SimulatorState.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the simulator: serves the page's static files and the JSON endpoints the
 * page talks to, and translates between JSON and {@link SimulatorState} calls.
 */
public final class HttpFrontend {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);
    private static final String WEB_ROOT = "/dev/wasched/testkit/whatsapp/web/";
    private static final int SMALL_BODY_LIMIT = 64 * 1024;
    // Large enough for any attachment a test sends (WhatsApp's document limit is far larger,
    // but tests have no reason to go there), small enough to not exhaust a test JVM.
    private static final int MEDIA_BODY_LIMIT = 64 * 1024 * 1024;
    // No inline scripts or styles, no foreign origins: like WhatsApp Web, and it proves the page needs no network.
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final SimulatorState state;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Asset> assets = new HashMap<>();
    private final AtomicLong pageLoads = new AtomicLong();
    private HttpServer server;

    /**
     * @param state the state the endpoints operate on
     * @param generation which page to serve
     * @param webVersion the build version a {@code WEB_2026} page exposes as {@code window.Debug.VERSION}
     */
    public HttpFrontend(SimulatorState state, PageGeneration generation, String webVersion) {
        this.state = state;
        Asset index = load("index.html", "text/html; charset=utf-8");
        assets.put("/", index);
        assets.put("/send", index);
        if (generation == PageGeneration.WEB_2024) {
            assets.put("/app.js", load("app.js", "text/javascript; charset=utf-8"));
            assets.put("/app.css", load("app.css", "text/css; charset=utf-8"));
        } else {
            // Set before anything else runs, as WhatsApp's own bootstrap does: tools wait for it to know the page is up.
            Asset app = load("app-2026.js", "text/javascript; charset=utf-8");
            byte[] prefix = ("window.Debug = Object.freeze({ VERSION: " + quote(webVersion) + " });\n")
                    .getBytes(StandardCharsets.UTF_8);
            assets.put("/app.js", new Asset(app.contentType(), concat(prefix, app.bytes())));
            // The 2024 page's styles, then what the 2025-26 page adds.
            Asset css = load("app.css", "text/css; charset=utf-8");
            assets.put("/app.css", new Asset(css.contentType(), concat(css.bytes(),
                    load("app-2026.css", "text/css; charset=utf-8").bytes())));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** @return how many times a browser loaded the page itself ({@code /} or {@code /send}): full page loads */
    public long pageLoads() {
        return pageLoads.get();
    }

    private String quote(String value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Binds to the loopback interface and starts serving.
     *
     * @param port port, or 0 for an ephemeral one
     * @param executor runs the exchanges; owned by the caller
     * @return the bound address
     * @throws IOException if the port cannot be bound
     */
    public InetSocketAddress start(int port, ExecutorService executor) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        return server.getAddress();
    }

    /** Stops accepting and closes all connections at once; in-flight exchanges are abandoned. */
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private Asset load(String name, String contentType) {
        try (InputStream in = HttpFrontend.class.getResourceAsStream(WEB_ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WEB_ROOT + name);
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                api(ex, ex.getRequestMethod(), path.substring("/api/".length()));
            } else {
                staticFile(ex, path);
            }
        } catch (ApiException e) {
            respondJson(ex, e.status(), Map.of("error", e.code()));
        } catch (IllegalStateException e) {
            if (!state.isClosed()) {
                LOG.warn("simulator request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            }
            // Usually closing while answering: the page retries, or is gone with the browser.
            respondJson(ex, 503, Map.of("error", "unavailable"));
        } catch (RuntimeException | IOException e) {
            LOG.warn("simulator request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            respondJson(ex, 500, Map.of("error", "internal"));
        } finally {
            ex.close();
        }
    }

    private void staticFile(HttpExchange ex, String path) throws IOException {
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            respond(ex, 405, "text/plain; charset=utf-8", "method not allowed".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if ("/favicon.ico".equals(path)) {
            ex.sendResponseHeaders(204, -1);
            return;
        }
        Asset asset = assets.get(path);
        if (asset == null) {
            respond(ex, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (("/".equals(path) || "/send".equals(path)) && "GET".equals(ex.getRequestMethod())) {
            pageLoads.incrementAndGet();
        }
        respond(ex, 200, asset.contentType(), asset.bytes());
    }

    private void api(HttpExchange ex, String method, String path) throws IOException {
        if ("POST".equals(method) && "clients".equals(path)) {
            JsonNode body = body(ex, SMALL_BODY_LIMIT);
            respondJson(ex, 200, state.registerClient(text(body, "token")));
            return;
        }
        String[] parts = path.split("/");
        if (parts.length != 3 || !"clients".equals(parts[0])) {
            throw new ApiException(404, "not-found");
        }
        String clientId = parts[1];
        String action = parts[2];
        Map<String, String> query = query(ex);
        Object result = switch (method + " " + action) {
            case "POST poll" -> {
                JsonNode body = body(ex, SMALL_BODY_LIMIT);
                List<String> watch = new ArrayList<>();
                body.path("watch").forEach(n -> watch.add(n.asText()));
                yield state.poll(clientId, text(body, "shownQr"), watch);
            }
            case "POST qr" -> state.startQr(clientId);
            case "POST phone-entry" -> state.startPhoneEntry(clientId);
            case "POST pairing" -> state.requestPairingCode(clientId, text(body(ex, SMALL_BODY_LIMIT), "phone"));
            case "POST close" -> {
                state.closeClient(clientId);
                yield Map.of();
            }
            case "POST whats-new" -> state.dismissWhatsNew(clientId);
            case "POST use-here" -> state.useHere(clientId);
            case "POST passkey" -> state.passkeyVerified(clientId);
            case "GET chats" -> state.chats(clientId);
            case "GET chat" -> state.openChat(clientId, query.get("phone"), query.get("jid"));
            case "POST read" -> state.markRead(clientId, text(body(ex, SMALL_BODY_LIMIT), "jid"));
            case "GET exists" -> state.exists(clientId, query.get("phone"));
            case "POST messages" -> state.submit(clientId, submission(body(ex, MEDIA_BODY_LIMIT)));
            default -> throw new ApiException(404, "not-found");
        };
        respondJson(ex, 200, result);
    }

    private SimulatorState.Submission submission(JsonNode body) {
        ReceivedMessage.Media media = null;
        JsonNode m = body.path("media");
        if (m.isObject()) {
            String name = text(m, "name");
            String data = text(m, "data");
            if (name == null || name.isBlank() || data == null) {
                throw new ApiException(400, "bad-media");
            }
            String mime = text(m, "mime");
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad-media");
            }
            media = new ReceivedMessage.Media(name, mime == null || mime.isBlank() ? "application/octet-stream" : mime,
                    bytes);
        }
        return new SimulatorState.Submission(text(body, "chat"), text(body, "id"), text(body, "text"),
                text(body, "caption"), media, body.path("t").canConvertToLong() ? body.path("t").asLong() : null);
    }

    private JsonNode body(HttpExchange ex, int limit) throws IOException {
        byte[] bytes = ex.getRequestBody().readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new ApiException(413, "too-large");
        }
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new ApiException(400, "bad-json");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private void respondJson(HttpExchange ex, int status, Object body) {
        try {
            respond(ex, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
        } catch (IOException e) {
            // The page went away mid-answer; nothing to tell it.
            LOG.debug("could not answer {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
        }
    }

    private static void respond(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Content-Security-Policy", CSP);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }
}
