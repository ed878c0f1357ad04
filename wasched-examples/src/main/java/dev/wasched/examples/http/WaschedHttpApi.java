package dev.wasched.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wasched.ConcurrentUpdateException;
import dev.wasched.NotFoundException;
import dev.wasched.PageRequest;
import dev.wasched.Secret;
import dev.wasched.ValidationException;
import dev.wasched.webhook.WebhookSpec;
import dev.wasched.Wasched;
import dev.wasched.contact.ContactSpec;
import dev.wasched.delivery.DeliveryQuery;
import dev.wasched.delivery.DeliveryStatus;
import dev.wasched.delivery.IllegalDeliveryTransitionException;
import dev.wasched.health.Health;
import dev.wasched.schedule.MisfirePolicy;
import dev.wasched.schedule.ScheduleSpec;
import dev.wasched.schedule.Target;
import dev.wasched.schedule.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An example of embedding wasched in a server an application already has: a small JSON API over the JDK's HTTP
 * server, protected by an API key, for contacts, schedules and deliveries.
 *
 * <pre>
 * GET  /healthz                              status only, no key needed
 * GET  /api/health                           the full health snapshot
 * POST /api/contacts                         {"name","phone","tags":[],"fields":{}}
 * GET  /api/contacts?tag=&amp;q=&amp;cursor=&amp;limit=
 * GET  /api/contacts/{id}      DELETE /api/contacts/{id}      POST /api/contacts/{id}/opt-out
 * POST /api/schedules                        {"account","name","to":{...},"text"|"template"+"variables","trigger":{...}}
 * GET  /api/schedules?cursor=&amp;limit=        GET|DELETE /api/schedules/{id}    POST /api/schedules/{id}/pause|resume
 * PUT  /api/schedules/{id}                   as POST, the whole schedule, + optional "version" (409 when it changed)
 * GET  /api/deliveries?status=&amp;schedule=&amp;contact=&amp;account=&amp;replied=true&amp;cursor=&amp;limit=
 * GET  /api/deliveries/{id}                  POST /api/deliveries/{id}/requeue|cancel|dismiss[?version=]
 * GET  /api/schedules/{id}/report[?fireAt=]  counts by status per occurrence and in total, replied, rates
 * GET  /api/deliveries.csv?status=&amp;schedule=&amp;contact=&amp;account=&amp;replied=true   CSV, streamed
 * </pre>
 *
 * The key comes in {@code Authorization: Bearer KEY} or {@code X-Api-Key: KEY}, is compared in constant time and
 * must be at least {@value #MIN_API_KEY_LENGTH} characters long.
 *
 * <p>Under load it stays bounded: at most {@link Builder#workers(int) workers} requests are worked on at once and at
 * most {@link Builder#queueCapacity(int) queueCapacity} wait; the next one is answered 503 at once. A request without
 * an answer {@link Builder#requestTimeout(Duration) requestTimeout} after it was read is answered 503; a client that
 * takes longer than {@link Builder#ioTimeout(Duration) ioTimeout} to send its request or to take its answer is
 * disconnected. Health answers come from a snapshot taken at most once per {@link #HEALTH_MAX_AGE}.
 *
 * <p>It serves plain HTTP on a loopback address. On any other address it needs TLS ({@link Builder#tls(SSLContext)})
 * or {@link Builder#allowPlainHttpOnNonLoopback(boolean)}, for a network that is protected otherwise (a TLS proxy on
 * the same host, a private network you trust): the API key travels in every request.
 */
public final class WaschedHttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WaschedHttpApi.class);
    /** Bodies above this are refused (413) after this much of them was read. */
    public static final int MAX_BODY = 1024 * 1024;
    /** The shortest API key accepted: 32 characters, e.g. {@code openssl rand -base64 32} (44). */
    public static final int MIN_API_KEY_LENGTH = 32;
    /** How old a health snapshot may be when it is answered with. */
    public static final Duration HEALTH_MAX_AGE = Duration.ofSeconds(1);
    /** I/O threads beyond one per request in work or waiting: they read new requests and refuse them when full. */
    private static final int SPARE_IO_THREADS = 4;

    private final Wasched wasched;
    private final byte[] apiKey;
    private final ObjectMapper json = new ObjectMapper();
    private final JsonViews views = new JsonViews(json);
    private final HealthCache health;
    private final HttpServer server;
    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService watchdog;
    private final Duration requestTimeout;

    private WaschedHttpApi(Builder b) throws IOException {
        this.wasched = b.wasched;
        this.apiKey = b.apiKey.reveal().getBytes(StandardCharsets.UTF_8);
        this.health = new HealthCache(wasched::health, HEALTH_MAX_AGE);
        this.requestTimeout = b.requestTimeout;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("wasched-http-timeouts"));
        this.workers = new ThreadPoolExecutor(b.workers, b.workers, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(b.queueCapacity), daemon("wasched-http-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        // One I/O thread per request in work or in the queue, plus spares; beyond that (only when slow clients hold
        // them all, for at most ioTimeout each) the JDK's server closes new connections.
        int ioThreads = b.workers + b.queueCapacity + SPARE_IO_THREADS;
        this.io = new ThreadPoolExecutor(0, ioThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("wasched-http-io"), new ThreadPoolExecutor.AbortPolicy());
        Duration ioTimeout = b.ioTimeout;
        try {
            if (b.tls != null) {
                HttpsServer https = HttpsServer.create(b.address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(b.tls));
                this.server = https;
            } else {
                this.server = HttpServer.create(b.address, 64);
            }
        } catch (IOException | RuntimeException e) {
            shutdownPools();
            throw e;
        }
        server.setExecutor(exchange -> io.execute(new ClientIo(exchange, ioTimeout, watchdog)));
        server.createContext("/", this::handle);
    }

    /** Starts serving plain HTTP on {@code address} (a loopback address; port 0 picks a free one). */
    public static WaschedHttpApi start(Wasched wasched, Secret apiKey, InetSocketAddress address) throws IOException {
        return builder(wasched, apiKey).address(address).start();
    }

    /** Options beyond the address: TLS, limits and time-outs. */
    public static Builder builder(Wasched wasched, Secret apiKey) {
        return new Builder(wasched, apiKey);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(1);
        shutdownPools();
    }

    private void shutdownPools() {
        io.shutdownNow();
        workers.shutdownNow();
        watchdog.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Where the API listens and how; {@link #start()} checks the choices and starts it. */
    public static final class Builder {
        private final Wasched wasched;
        private final Secret apiKey;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        private SSLContext tls;
        private boolean allowPlainHttpOnNonLoopback;
        private int workers = 4;
        private int queueCapacity = 32;
        private Duration ioTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(Wasched wasched, Secret apiKey) {
            this.wasched = Objects.requireNonNull(wasched, "wasched");
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        }

        /** Where to listen (default 127.0.0.1:8080; port 0 picks a free one). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Serves HTTPS with this context (its key manager holds the server's certificate). */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Allows plain HTTP on an address other than loopback (off by default: such an address then needs
         * {@link #tls(SSLContext)}). Only for a network protected otherwise: the API key is in every request.
         */
        public Builder allowPlainHttpOnNonLoopback(boolean allow) {
            this.allowPlainHttpOnNonLoopback = allow;
            return this;
        }

        /** How many requests are worked on at once (default 4). */
        public Builder workers(int n) {
            this.workers = n;
            return this;
        }

        /** How many requests may wait for a worker (default 32); the next one is answered 503. */
        public Builder queueCapacity(int n) {
            this.queueCapacity = n;
            return this;
        }

        /**
         * How long a client may take to send its request (request line, headers and body) and, later, to take the
         * answer (default 10 s); a slower client is disconnected.
         */
        public Builder ioTimeout(Duration d) {
            this.ioTimeout = Objects.requireNonNull(d, "ioTimeout");
            return this;
        }

        /** How long after a request was read its answer may take, waiting included (default 30 s); then 503. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d, "requestTimeout");
            return this;
        }

        /**
         * Checks the choices and starts serving.
         *
         * @throws ValidationException naming {@code apiKey} when the key is shorter than
         *                             {@value #MIN_API_KEY_LENGTH} characters, naming {@code address} when it is not
         *                             a loopback address and neither TLS nor plain HTTP on it was chosen, or naming
         *                             the limit that is out of range
         * @throws IOException         when the address cannot be bound
         */
        public WaschedHttpApi start() throws IOException {
            int length = apiKey.reveal().length();
            if (length < MIN_API_KEY_LENGTH) {
                throw new ValidationException("apiKey", "must be at least " + MIN_API_KEY_LENGTH + " characters long, "
                        + "is " + length + " (make one with: openssl rand -base64 32)");
            }
            if (workers < 1 || workers > 256) {
                throw new ValidationException("workers", "must be 1 to 256, was " + workers);
            }
            if (queueCapacity < 1 || queueCapacity > 10_000) {
                throw new ValidationException("queueCapacity", "must be 1 to 10000, was " + queueCapacity);
            }
            positive(ioTimeout, "ioTimeout");
            positive(requestTimeout, "requestTimeout");
            boolean loopback = !address.isUnresolved() && address.getAddress().isLoopbackAddress();
            if (!loopback && tls == null && !allowPlainHttpOnNonLoopback) {
                throw new ValidationException("address", address + " is not a loopback address, and plain HTTP would "
                        + "send the API key readable to the network: serve it with tls(SSLContext), or, on a network "
                        + "protected otherwise, say so with allowPlainHttpOnNonLoopback(true)");
            }
            WaschedHttpApi api = new WaschedHttpApi(this);
            api.server.start();
            if (!loopback && tls == null) {
                log.warn("HTTP API serving plain HTTP on {}, which is not a loopback address "
                        + "(allowPlainHttpOnNonLoopback): API keys travel readable", api.address());
            }
            log.info("HTTP API listening on {} ({})", api.address(), tls != null ? "HTTPS" : "HTTP");
            return api;
        }

        private static void positive(Duration d, String name) {
            if (d.isZero() || d.isNegative()) {
                throw new ValidationException(name, "must be positive, was " + d);
            }
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------

    /** What a request gets back: a status, a JSON body (or none, or one streamed), and Retry-After for a 503. */
    private record Response(int status, JsonNode body, boolean retryLater, StreamedBody stream) {
        Response(int status, JsonNode body, boolean retryLater) {
            this(status, body, retryLater, null);
        }
    }

    /**
     * On an I/O thread: checks the key and reads the request, hands it to a worker and waits for the answer (at most
     * {@code requestTimeout}), then writes it. A full queue or a late answer is a 503.
     */
    private void handle(HttpExchange ex) throws IOException {
        ClientIo turn = ClientIo.current();
        Response response;
        try {
            Request req = read(ex);
            if (turn != null && !turn.serverTurn()) {
                throw new IOException("the client was too slow to send its request");
            }
            response = dispatch(req);
        } catch (ApiError e) {
            if (turn != null && !turn.serverTurn()) {
                throw new IOException("the client was too slow to send its request");
            }
            response = new Response(e.status, error(e.code, e.field, e.getMessage()), false);
        }
        if (response.stream() != null) {
            stream(ex, turn, response.stream());
            return;
        }
        if (turn != null && !turn.clientTurn()) {
            throw new IOException("the client was cut off");
        }
        byte[] bytes = response.body() == null ? new byte[0] : json.writeValueAsBytes(response.body());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        if (response.retryLater()) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        ex.sendResponseHeaders(response.status(), response.status() == 204 ? -1 : bytes.length);
        if (response.status() != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    /** The request as a worker needs it: checked for the key, body read (within the client's time). */
    private Request read(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/healthz")) {
            return new Request(ex, null, new byte[0]);
        }
        if (!path.startsWith("/api/")) {
            throw new ApiError(404, "not_found", null, "no such path: " + path);
        }
        authorize(ex);
        return new Request(ex, path.substring("/api/".length()).split("/"), body(ex));
    }

    private static byte[] body(HttpExchange ex) {
        // Read up to the limit even when the declared length is over it: a client that is still sending when the
        // connection closes may lose the 413 answer.
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("body", "could not read the body");
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "too_large", null, "request body over " + MAX_BODY + " bytes");
    }

    /** Runs the request on a worker: 503 at once when the queue is full, 503 when the answer is late. */
    private Response dispatch(Request req) {
        Future<Response> answer;
        try {
            answer = workers.submit(() -> work(req));
        } catch (RejectedExecutionException e) {
            return unavailable("overloaded", "too many requests at once; try again shortly");
        }
        try {
            return answer.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false); // still queued: never runs; running: finishes, and its answer is dropped
            workers.remove((Runnable) answer);
            log.warn("request {} {} got no answer within {}: answered 503", req.method, req.path(), requestTimeout);
            return unavailable("timeout", "no answer within " + requestTimeout + "; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("closing", "the server is shutting down");
        } catch (ExecutionException e) {
            log.warn("request {} {} failed", req.method, req.path(), e.getCause());
            return new Response(500, error("internal", null, "internal error"), false);
        }
    }

    private Response unavailable(String code, String message) {
        return new Response(503, error(code, null, message), true);
    }

    /** On a worker: the route's answer, wasched's typed errors mapped to statuses. */
    private Response work(Request req) {
        try {
            if (req.parts == null) {
                return new Response(200, json.createObjectNode().put("status", health.get().status().name()), false);
            }
            Object result = route(req);
            if (result instanceof StreamedBody stream) {
                return new Response(200, null, false, stream);
            }
            int status = req.created ? 201 : result == null ? 204 : 200;
            return new Response(status, result instanceof JsonNode n ? n : null, false);
        } catch (ApiError e) {
            return new Response(e.status, error(e.code, e.field, e.getMessage()), false);
        } catch (NotFoundException e) {
            return new Response(404, error("not_found", null, e.getMessage()), false);
        } catch (ValidationException e) {
            return new Response(400, error("invalid", e.field(), e.getMessage()), false);
        } catch (IllegalDeliveryTransitionException | ConcurrentUpdateException e) {
            return new Response(409, error("conflict", null, e.getMessage()), false);
        } catch (RuntimeException e) {
            log.warn("request {} {} failed", req.method, req.path(), e);
            return new Response(500, error("internal", null, "internal error"), false);
        }
    }

    private ObjectNode error(String code, String field, String message) {
        ObjectNode n = json.createObjectNode().put("error", code).put("message", message);
        if (field != null) {
            n.put("field", field);
        }
        return n;
    }

    private void authorize(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7)
                : ex.getRequestHeaders().getFirst("X-Api-Key");
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        if (given == null || !MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "unauthorized", null, "a valid API key is required");
        }
    }

    /** A request read off the connection: what a worker needs, and nothing that touches the socket. */
    private final class Request {
        final String method;
        /** The path after /api/, split at '/'; null for /healthz. */
        final String[] parts;
        final Map<String, String> query = new HashMap<>();
        final byte[] rawBody;
        boolean created;

        Request(HttpExchange ex, String[] parts, byte[] rawBody) {
            this.method = ex.getRequestMethod();
            this.parts = parts;
            this.rawBody = rawBody;
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        }

        boolean is(String m, int length) {
            return method.equals(m) && parts.length == length;
        }

        String path() {
            return parts == null ? "/healthz" : "/api/" + String.join("/", parts);
        }

        JsonNode body() {
            try {
                JsonNode n = json.readTree(rawBody);
                if (n == null || !n.isObject()) {
                    throw ApiError.badRequest("body", "expected a JSON object");
                }
                return n;
            } catch (JsonProcessingException e) {
                throw ApiError.badRequest("body", "malformed JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw ApiError.badRequest("body", "could not read the body");
            }
        }

        PageRequest page() {
            int limit = 50;
            String l = query.get("limit");
            if (l != null) {
                try {
                    limit = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw ApiError.badRequest("limit", "not a number: '" + l + "'");
                }
            }
            return new PageRequest(query.get("cursor"), limit);
        }
    }

    private Object route(Request r) {
        String resource = r.parts[0];
        return switch (resource) {
            case "health" -> {
                if (!r.is("GET", 1)) {
                    throw notAllowed(r);
                }
                Health h = health.get();
                yield json.valueToTree(Map.of("status", h.status().name(), "reasons", h.reasons()));
            }
            case "contacts" -> contacts(r);
            case "schedules" -> schedules(r);
            case "deliveries" -> deliveries(r);
            case "accounts" -> accounts(r);
            case "webhooks" -> webhooks(r);
            case "deliveries.csv" -> {
                if (!r.is("GET", 1)) {
                    throw notAllowed(r);
                }
                DeliveryQuery q = deliveryQuery(r);
                yield new StreamedBody(out -> wasched.deliveries().exportCsv(q, out), "text/csv; charset=utf-8",
                        requestTimeout);
            }
            default -> throw new ApiError(404, "not_found", null, "no such resource: " + resource);
        };
    }

    private static ApiError notAllowed(Request r) {
        return new ApiError(405, "method_not_allowed", null, r.method + " is not allowed on /api/" + String.join("/", r.parts));
    }

    // ---- resources -----------------------------------------------------------------------------------------

    private Object contacts(Request r) {
        if (r.is("POST", 1)) {
            r.created = true;
            return views.contact(wasched.contacts().create(contactSpec(r.body())));
        }
        if (r.is("GET", 1)) {
            PageRequest page = r.page();
            if (r.query.containsKey("tag")) {
                return views.page(wasched.contacts().withTag(r.query.get("tag"), page), views::contact);
            }
            if (r.query.containsKey("q")) {
                return views.page(wasched.contacts().search(r.query.get("q"), page), views::contact);
            }
            return views.page(wasched.contacts().list(page), views::contact);
        }
        if (r.is("GET", 2)) {
            return views.contact(wasched.contacts().get(r.parts[1]));
        }
        if (r.is("DELETE", 2)) {
            wasched.contacts().delete(r.parts[1]);
            return null;
        }
        if (r.is("POST", 3) && r.parts[2].equals("opt-out")) {
            return views.contact(wasched.contacts().optOut(r.parts[1]));
        }
        throw notAllowed(r);
    }

    private Object schedules(Request r) {
        if (r.is("POST", 1)) {
            r.created = true;
            return views.schedule(wasched.schedules().create(scheduleSpec(r.body())));
        }
        if (r.is("GET", 1)) {
            return views.page(wasched.schedules().list(r.page()), views::schedule);
        }
        if (r.is("GET", 2)) {
            return views.schedule(wasched.schedules().get(r.parts[1]));
        }
        if (r.is("DELETE", 2)) {
            wasched.schedules().delete(r.parts[1]);
            return null;
        }
        if (r.is("PUT", 2)) {
            JsonNode body = r.body();
            ScheduleSpec edited = scheduleSpec(body);
            Long version = version(body.get("version") == null || body.get("version").isNull() ? null
                    : body.get("version").asText());
            return views.schedule(version == null ? wasched.schedules().update(r.parts[1], edited)
                    : wasched.schedules().update(r.parts[1], version, edited));
        }
        if (r.is("GET", 3) && r.parts[2].equals("report")) {
            String at = r.query.get("fireAt");
            if (at == null) {
                return views.report(wasched.deliveries().report(r.parts[1]));
            }
            try {
                return views.occurrence(wasched.deliveries().report(r.parts[1], Instant.parse(at)));
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiError.badRequest("fireAt", "not an ISO-8601 instant: '" + at + "'");
            }
        }
        if (r.is("POST", 3) && r.parts[2].equals("pause")) {
            return views.schedule(wasched.schedules().pause(r.parts[1]));
        }
        if (r.is("POST", 3) && r.parts[2].equals("resume")) {
            return views.schedule(wasched.schedules().resume(r.parts[1]));
        }
        throw notAllowed(r);
    }

    /**
     * The account registry: {@code GET /api/accounts}, {@code POST /api/accounts} {"name", "kind", "settings":{}},
     * {@code GET /api/accounts/NAME}, {@code POST /api/accounts/NAME/pause|resume}, {@code DELETE /api/accounts/NAME}
     * (removed: stopped everywhere, history kept).
     */
    private Object accounts(Request r) {
        if (r.is("GET", 1)) {
            return json.valueToTree(wasched.accounts().list().stream().map(views::account).toList());
        }
        if (r.is("POST", 1)) {
            JsonNode n = r.body();
            dev.wasched.account.AccountSpec.Builder b = dev.wasched.account.AccountSpec.builder(text(n, "name", true))
                    .kind(text(n, "kind", true));
            JsonNode settings = n.get("settings");
            if (settings != null && settings.isObject()) {
                settings.fields().forEachRemaining(e -> b.setting(e.getKey(), e.getValue().asText()));
            }
            r.created = true;
            return views.account(wasched.accounts().add(b.build()));
        }
        if (r.is("GET", 2)) {
            return views.account(wasched.accounts().get(r.parts[1]));
        }
        if (r.is("DELETE", 2)) {
            return views.account(wasched.accounts().remove(r.parts[1]));
        }
        if (r.is("POST", 3) && r.parts[2].equals("pause")) {
            return views.account(wasched.accounts().pause(r.parts[1]));
        }
        if (r.is("POST", 3) && r.parts[2].equals("resume")) {
            return views.account(wasched.accounts().resume(r.parts[1]));
        }
        throw notAllowed(r);
    }

    private Object deliveries(Request r) {
        if (r.is("GET", 1)) {
            return views.page(wasched.deliveries().history(deliveryQuery(r), r.page()), views::delivery);
        }
        if (r.is("GET", 2)) {
            return views.delivery(wasched.deliveries().get(r.parts[1]));
        }
        if (r.is("POST", 3)) {
            String id = r.parts[1];
            Long version = version(r.query.get("version"));
            switch (r.parts[2]) {
                case "requeue" -> {
                    return views.delivery(version == null ? wasched.deliveries().requeue(id)
                            : wasched.deliveries().requeue(id, version));
                }
                case "cancel" -> {
                    return views.delivery(wasched.deliveries().cancel(id));
                }
                case "dismiss" -> {
                    return views.delivery(version == null ? wasched.deliveries().dismiss(id)
                            : wasched.deliveries().dismiss(id, version));
                }
                default -> {
                }
            }
        }
        throw notAllowed(r);
    }

    /** Webhook endpoints: the secret is written, never read back. */
    private Object webhooks(Request r) {
        if (r.is("POST", 1)) {
            r.created = true;
            return views.webhook(wasched.webhooks().register(webhookSpec(r.body())));
        }
        if (r.is("GET", 1)) {
            ArrayNode items = json.createArrayNode();
            wasched.webhooks().list().forEach(e -> items.add(views.webhook(e)));
            return json.createObjectNode().set("items", items);
        }
        if (r.is("GET", 2)) {
            return views.webhook(wasched.webhooks().find(r.parts[1])
                    .orElseThrow(() -> new NotFoundException("webhook endpoint", r.parts[1])));
        }
        if (r.is("PUT", 2)) {
            return views.webhook(wasched.webhooks().update(r.parts[1], webhookSpec(r.body())));
        }
        if (r.is("DELETE", 2)) {
            if (!wasched.webhooks().remove(r.parts[1])) {
                throw new NotFoundException("webhook endpoint", r.parts[1]);
            }
            return null;
        }
        if (r.is("GET", 3) && r.parts[2].equals("failed")) {
            ArrayNode items = json.createArrayNode();
            wasched.webhooks().failed(r.parts[1], r.page().limit()).forEach(e -> items.add(views.outboxEntry(e)));
            return json.createObjectNode().set("items", items);
        }
        throw notAllowed(r);
    }

    private static WebhookSpec webhookSpec(JsonNode n) {
        return WebhookSpec.of(text(n, "url", true), dev.wasched.Secret.of(text(n, "secret", true)),
                stringList(n, "events").toArray(String[]::new));
    }

    /** The filters of /api/deliveries and /api/deliveries.csv. */
    private static DeliveryQuery deliveryQuery(Request r) {
        Set<DeliveryStatus> statuses = EnumSet.noneOf(DeliveryStatus.class);
        String s = r.query.get("status");
        if (s != null) {
            for (String one : s.split(",")) {
                try {
                    statuses.add(DeliveryStatus.valueOf(one.strip().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("status", "unknown status '" + one + "'");
                }
            }
        }
        return new DeliveryQuery(r.query.get("schedule"), r.query.get("contact"), r.query.get("account"), statuses,
                null, null, "true".equals(r.query.get("replied")));
    }

    /**
     * On the I/O thread: a streamed answer. A worker makes the body (503 at once when none is free, as for any
     * request) while this thread sends it chunked, each chunk in the client's turn. Should making or sending fail
     * halfway, the connection is dropped without the closing chunk, so the client sees an incomplete answer, never a
     * short one that looks whole.
     */
    private void stream(HttpExchange ex, ClientIo turn, StreamedBody body) throws IOException {
        try {
            workers.execute(body::make);
        } catch (RejectedExecutionException e) {
            body.abandon();
            Response busy = unavailable("overloaded", "too many requests at once; try again shortly");
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.getResponseHeaders().set("Retry-After", "1");
            byte[] bytes = json.writeValueAsBytes(busy.body());
            ex.sendResponseHeaders(503, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
            return;
        }
        StreamedBody.Turns turns = new StreamedBody.Turns() {
            @Override
            public void clientTurn() throws IOException {
                if (turn != null && !turn.clientTurn()) {
                    throw new IOException("the client was cut off");
                }
            }

            @Override
            public void serverTurn() throws IOException {
                if (turn != null && !turn.serverTurn()) {
                    throw new IOException("the client was too slow to take the answer");
                }
            }
        };
        try {
            turns.clientTurn();
            ex.getResponseHeaders().set("Content-Type", body.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(200, 0); // length unknown: chunked
            turns.serverTurn();
            body.sendTo(ex.getResponseBody(), turns);
        } catch (IOException e) {
            body.abandon();
            log.warn("streamed answer to {} {} broken off: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    e.getMessage());
            throw e; // the server drops the connection
        }
        if (turn != null) {
            turn.clientTurn(); // the closing chunk is the client's to take, too
        }
        ex.close();
    }

    // ---- request bodies ------------------------------------------------------------------------------------

    /** A version a client read ({@code ?version=} or a body's {@code "version"}), or null when none was given. */
    private static Long version(String given) {
        if (given == null) {
            return null;
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("version", "must be a whole number");
        }
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.badRequest(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(field, "must be a string");
        }
        return v.asText();
    }

    private static Map<String, String> stringMap(JsonNode n, String field) {
        JsonNode v = n.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw ApiError.badRequest(field, "must be an object of strings");
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw ApiError.badRequest(field + "." + e.getKey(), "must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static List<String> stringList(JsonNode n, String field) {
        JsonNode v = n.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest(field, "must be an array of strings");
        }
        v.forEach(x -> {
            if (!x.isTextual()) {
                throw ApiError.badRequest(field, "must be an array of strings");
            }
            out.add(x.asText());
        });
        return out;
    }

    private static ContactSpec contactSpec(JsonNode n) {
        ContactSpec.Builder b = ContactSpec.builder().name(text(n, "name", false)).phone(text(n, "phone", true))
                .tags(new java.util.LinkedHashSet<>(stringList(n, "tags"))).fields(stringMap(n, "fields"));
        String zone = text(n, "zone", false);
        if (zone != null) {
            b.zone(zone(zone, "zone"));
        }
        return b.build();
    }

    private static ZoneId zone(String id, String field) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw ApiError.badRequest(field, "unknown time zone '" + id + "'");
        }
    }

    private static ScheduleSpec scheduleSpec(JsonNode n) {
        ScheduleSpec.Builder b = n.has("accounts") ? ScheduleSpec.builder().accounts(stringList(n, "accounts"))
                : ScheduleSpec.builder().account(text(n, "account", true));
        b.name(text(n, "name", false));
        JsonNode to = n.get("to");
        if (to == null || !to.isObject()) {
            throw ApiError.badRequest("to", "is required: {\"contacts\":[ids]}, {\"tag\":\"…\"} or {\"group\":\"…\"}");
        }
        if (to.has("contacts")) {
            b.to(Target.contacts(stringList(to, "contacts")));
        } else if (to.has("tag")) {
            b.to(Target.tag(text(to, "tag", true)));
        } else if (to.has("group")) {
            b.to(Target.group(text(to, "group", true)));
        } else {
            throw ApiError.badRequest("to", "needs contacts, tag or group");
        }
        String template = text(n, "template", false);
        if (template != null) {
            b.template(template, stringMap(n, "variables"));
        } else {
            b.text(text(n, "text", true)).variables(stringMap(n, "variables"));
        }
        b.trigger(trigger(n.get("trigger")));
        String misfire = text(n, "misfire", false);
        if (misfire != null) {
            b.misfire(switch (misfire) {
                case "FIRE_ONCE" -> MisfirePolicy.DEFAULT;
                case "SKIP" -> MisfirePolicy.skip();
                case "FIRE_ALL" -> MisfirePolicy.fireAll(MisfirePolicy.DEFAULT_MAX_LATENESS, MisfirePolicy.DEFAULT_FIRE_ALL_LIMIT);
                default -> throw ApiError.badRequest("misfire", "one of FIRE_ONCE, SKIP, FIRE_ALL");
            });
        }
        return b.build();
    }

    private static Trigger trigger(JsonNode t) {
        if (t == null || !t.isObject()) {
            throw ApiError.badRequest("trigger", "is required: {\"once\":\"ISO instant\"}, {\"cron\":\"…\",\"zone\":\"…\"} or {\"every\":\"PT1H\"}"
                    + " or {\"yearlyOn\":\"birthday\",\"at\":\"09:00\"}");
        }
        try {
            if (t.has("once")) {
                return Trigger.once(Instant.parse(text(t, "once", true)));
            }
            if (t.has("cron")) {
                return Trigger.cron(text(t, "cron", true), zone(text(t, "zone", true), "trigger.zone"));
            }
            if (t.has("every")) {
                String start = text(t, "start", false);
                Duration every = Duration.parse(text(t, "every", true));
                return start == null ? Trigger.every(every) : Trigger.every(every, Instant.parse(start));
            }
            if (t.has("yearlyOn")) {
                String zone = text(t, "zone", false);
                return Trigger.yearlyOn(text(t, "yearlyOn", true), java.time.LocalTime.parse(text(t, "at", true)),
                        zone == null ? null : zone(zone, "trigger.zone"));
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("trigger", "not an ISO-8601 value: '" + e.getParsedString() + "'");
        }
        throw ApiError.badRequest("trigger", "needs once, cron, every or yearlyOn");
    }
}
