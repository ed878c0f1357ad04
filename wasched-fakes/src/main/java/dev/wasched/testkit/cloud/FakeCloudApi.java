package dev.wasched.testkit.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasched.Secret;
import dev.wasched.webhook.WebhookSignature;
import dev.wasched.testkit.telegram.internal.MultipartParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP fake of the WhatsApp Business Platform's Cloud API for one business phone number, on {@code 127.0.0.1}
 * and an ephemeral port. See the package documentation for what it serves and where its behaviour comes from.
 *
 * <pre>{@code
 * try (FakeCloudApi api = FakeCloudApi.builder().start()) {
 *     api.registerNumber("+491701234567");
 *     api.webhookUrl(myWebhookUrl);               // statuses and incoming messages are pushed there, signed
 *     // point the transport at api.baseUrl(), api.phoneNumberId(), api.accessToken()
 *     api.injectIncoming("+491701234567", "hi"); // opens the 24-hour window
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server and the webhook pusher.
 */
public final class FakeCloudApi implements AutoCloseable {
    public static final String DEFAULT_PHONE_NUMBER_ID = "106540352242922";
    public static final String DEFAULT_ACCESS_TOKEN = "EAAfake-cloud-api-access-token";
    public static final String DEFAULT_APP_SECRET = "fake-meta-app-secret";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/(v\\d+\\.\\d+)/(\\d+)(/messages|/media)?/?");
    private static final Pattern PARAM = Pattern.compile("\\{\\{(\\d+)}}");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final int EVENTS_PER_NOTIFICATION = 50;

    private final String phoneNumberId;
    private final String displayPhoneNumber;
    private final String accessToken;
    private final Secret appSecret;
    private final Clock clock;
    private final CloudStatus autoStatusUpTo;
    private final boolean enforceWindow;
    private final int webhookAttempts;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Thread pusher;
    private final HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Object lock = new Object();
    // Guarded by lock.
    private final Set<String> registered = new HashSet<>();
    private final Map<String, Instant> lastInbound = new HashMap<>();
    private final Map<String, TemplateEntry> templates = new HashMap<>();
    private final Map<String, Upload> media = new HashMap<>();
    private final List<CloudMessage> messages = new ArrayList<>();
    private final Map<String, CloudMessage> byId = new HashMap<>();
    private final Deque<CloudFault> faults = new ArrayDeque<>();
    private final Deque<ObjectNode> pendingEvents = new ArrayDeque<>();
    private URI webhookUrl;
    private int dropResponses;
    private boolean tokenExpired;
    private boolean webhooksHeld;
    private int pushing;
    private byte[] lastNotification;
    private final List<Integer> webhookAnswers = new ArrayList<>();
    private boolean closed;

    private final AtomicLong ids = new AtomicLong(1);
    private final AtomicLong sendRequests = new AtomicLong();

    private record TemplateEntry(String name, String language, String body, TemplateStatus status) {
    }

    /** An uploaded file. */
    public record Upload(String id, String mimeType, String fileName, byte[] bytes) {
    }

    private FakeCloudApi(Builder b) {
        this.phoneNumberId = b.phoneNumberId;
        this.displayPhoneNumber = b.displayPhoneNumber;
        this.accessToken = b.accessToken;
        this.appSecret = Secret.of(b.appSecret);
        this.clock = b.clock;
        this.autoStatusUpTo = b.autoStatusUpTo;
        this.enforceWindow = b.enforceWindow;
        this.webhookAttempts = b.webhookAttempts;
        this.webhookUrl = b.webhookUrl;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the fake Cloud API on 127.0.0.1", e);
        }
        executor = Executors.newFixedThreadPool(b.serverThreads, r -> {
            Thread t = new Thread(r, "fake-cloud-api-" + server.getAddress().getPort());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        pusher = new Thread(this::pushLoop, "fake-cloud-api-webhooks-" + server.getAddress().getPort());
        pusher.setDaemon(true);
        pusher.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ addressing

    /** {@code http://127.0.0.1:<port>}: the Graph API root to configure instead of {@code https://graph.facebook.com}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    public String accessToken() {
        return accessToken;
    }

    /** The app secret that signs the pushed webhooks. */
    public String appSecret() {
        return appSecret.reveal();
    }

    /** Where statuses and incoming messages are pushed from now on (null: kept until a URL is set). */
    public void webhookUrl(URI url) {
        synchronized (lock) {
            webhookUrl = url;
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------ the world

    /** A number that has WhatsApp (E.164 or digits). */
    public void registerNumber(String number) {
        synchronized (lock) {
            registered.add(digits(number));
        }
    }

    /** A template in WhatsApp Manager with its review state; {@code {{1}}}, {@code {{2}}}… in the body. */
    public void template(String name, String language, String body, TemplateStatus status) {
        synchronized (lock) {
            templates.put(name + "/" + language, new TemplateEntry(name, language, body, status));
        }
    }

    /** Changes a template's review state. */
    public void templateStatus(String name, String language, TemplateStatus status) {
        synchronized (lock) {
            TemplateEntry t = templates.get(name + "/" + language);
            if (t == null) {
                throw new IllegalArgumentException("no template " + name + " (" + language + ")");
            }
            templates.put(name + "/" + language, new TemplateEntry(name, language, t.body(), status));
        }
    }

    /**
     * A customer writes to the business: the message is pushed by webhook (with the customer's profile) and opens the
     * 24-hour window. Returns the message's id.
     */
    public String injectIncoming(String from, String text) {
        return injectIncoming(from, text, null);
    }

    /** As {@link #injectIncoming(String, String)}, quoting the business's message {@code quotedId}. */
    public String injectIncoming(String from, String text, String quotedId) {
        String waId = digits(from);
        String id = newMessageId();
        Instant at = clock.instant();
        ObjectNode m = MAPPER.createObjectNode();
        m.put("from", waId).put("id", id).put("timestamp", Long.toString(at.getEpochSecond())).put("type", "text");
        m.putObject("text").put("body", text);
        if (quotedId != null) {
            m.putObject("context").put("from", digits(displayPhoneNumber)).put("id", quotedId);
        }
        synchronized (lock) {
            registered.add(waId);
            lastInbound.put(waId, at);
            queue(m);
        }
        return id;
    }

    /** Pushes a status for a message the fake accepted ({@code failed} with an error code via {@link #fail}). */
    public void status(String messageId, CloudStatus status) {
        synchronized (lock) {
            CloudMessage m = byId.get(messageId);
            if (m == null) {
                throw new IllegalArgumentException("no message " + messageId);
            }
            queue(statusEvent(m, status.wire(), null));
        }
    }

    /** Pushes READ for every message sent to {@code number} so far. */
    public void readAllBy(String number) {
        String waId = digits(number);
        synchronized (lock) {
            for (CloudMessage m : messages) {
                if (m.to().equals(waId)) {
                    queue(statusEvent(m, "read", null));
                }
            }
        }
    }

    /** Pushes a failed status with an error code for an accepted message. */
    public void fail(String messageId, int code, String title) {
        synchronized (lock) {
            CloudMessage m = byId.get(messageId);
            if (m == null) {
                throw new IllegalArgumentException("no message " + messageId);
            }
            ObjectNode error = MAPPER.createObjectNode().put("code", code).put("title", title);
            queue(statusEvent(m, "failed", error));
        }
    }

    // ------------------------------------------------------------------ faults

    /** The next request to {@code /messages} or {@code /media} is answered with {@code fault}, unserved. */
    public void failNext(CloudFault fault) {
        synchronized (lock) {
            faults.add(fault);
        }
    }

    /**
     * The next {@code n} message sends are served (the message is accepted and its statuses pushed) but their HTTP
     * answer never comes: the connection closes before the response.
     */
    public void dropNextResponses(int n) {
        synchronized (lock) {
            dropResponses += n;
        }
    }

    /** From now on every call is answered 401 with code 190, as for an expired token. */
    public void expireToken() {
        synchronized (lock) {
            tokenExpired = true;
        }
    }

    /** Holds pushed webhooks back (true) until released (false). */
    public void holdWebhooks(boolean hold) {
        synchronized (lock) {
            webhooksHeld = hold;
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------ what happened

    /** Every message accepted, oldest first. */
    public List<CloudMessage> messages() {
        synchronized (lock) {
            return List.copyOf(messages);
        }
    }

    /** The messages accepted for {@code number}, oldest first. */
    public List<CloudMessage> receivedBy(String number) {
        String waId = digits(number);
        synchronized (lock) {
            return messages.stream().filter(m -> m.to().equals(waId)).toList();
        }
    }

    /** The texts (bodies, captions, filled-in templates) {@code number} received, oldest first. */
    public List<String> textsReceivedBy(String number) {
        return receivedBy(number).stream().map(CloudMessage::text).toList();
    }

    public Upload upload(String mediaId) {
        synchronized (lock) {
            return media.get(mediaId);
        }
    }

    /** How many {@code POST …/messages} requests arrived (served or not). */
    public long sendRequests() {
        return sendRequests.get();
    }

    /** The HTTP statuses the webhook URL answered, in order. */
    public List<Integer> webhookAnswers() {
        synchronized (lock) {
            return List.copyOf(webhookAnswers);
        }
    }

    /** Posts the last pushed notification again, signed as before, as Meta does when it is unsure it arrived. */
    public int redeliverLastNotification() {
        byte[] body;
        synchronized (lock) {
            body = lastNotification;
        }
        if (body == null) {
            throw new IllegalStateException("no notification pushed yet");
        }
        return post(body, signature(body));
    }

    /** Posts {@code body} to the webhook URL with the given {@code X-Hub-Signature-256} (null: none); the status. */
    public int post(byte[] body, String signature) {
        URI url;
        synchronized (lock) {
            url = webhookUrl;
        }
        if (url == null) {
            throw new IllegalStateException("no webhook URL set: call webhookUrl(...) first");
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            r.header("X-Hub-Signature-256", signature);
        }
        try {
            return webhookClient.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code sha256=} and the HMAC-SHA256 of {@code body} with the app secret, as Meta signs. */
    public String signature(byte[] body) {
        return "sha256=" + WebhookSignature.hmacSha256Hex(appSecret, body);
    }

    /** Waits until every event so far was pushed and answered 200 (or gave up), at most {@code timeout}. */
    public boolean awaitWebhooksPushed(Duration timeout) {
        return await(() -> pendingEvents.isEmpty() && pushing == 0, timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !path.group(2).equals(phoneNumberId)) {
                error(exchange, 400, 100, "Unsupported request - object with ID '" + exchange.getRequestURI().getPath()
                        + "' does not exist");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean expired;
            synchronized (lock) {
                expired = tokenExpired;
            }
            if (auth == null || !auth.equals("Bearer " + accessToken) || expired) {
                error(exchange, 401, 190, expired ? "Error validating access token: Session has expired"
                        : "Invalid OAuth access token - Cannot parse access token");
                return;
            }
            String what = path.group(3) == null ? "" : path.group(3);
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            switch (exchange.getRequestMethod() + " " + what) {
                case "GET " -> json(exchange, 200, MAPPER.createObjectNode().put("display_phone_number", displayPhoneNumber)
                        .put("verified_name", "Fake Business").put("id", phoneNumberId));
                case "POST /messages" -> sendMessage(exchange, body);
                case "POST /media" -> uploadMedia(exchange, body);
                default -> error(exchange, 400, 100, "Unsupported " + exchange.getRequestMethod() + " request");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, 1, "An unknown error occurred: " + e);
        }
    }

    private CloudFault nextFault() {
        synchronized (lock) {
            return faults.poll();
        }
    }

    private void sendMessage(HttpExchange exchange, byte[] body) throws IOException {
        sendRequests.incrementAndGet();
        CloudFault fault = nextFault();
        if (fault != null) {
            answerFault(exchange, fault);
            return;
        }
        JsonNode req;
        try {
            req = MAPPER.readTree(body);
        } catch (IOException e) {
            error(exchange, 400, 100, "Invalid parameter: the body is not JSON");
            return;
        }
        if (!"whatsapp".equals(req.path("messaging_product").asText())) {
            error(exchange, 400, 100, "(#100) The parameter messaging_product is required.");
            return;
        }
        String to = digits(req.path("to").asText(""));
        String type = req.path("type").asText("text");
        CloudMessage accepted;
        boolean drop;
        synchronized (lock) {
            if (to.isEmpty()) {
                error(exchange, 400, 100, "(#100) The parameter to is required.");
                return;
            }
            if (!registered.contains(to)) {
                // The real API may also accept the request and report this later as a failed status.
                error(exchange, 400, 131026, "(#131026) Message Undeliverable");
                return;
            }
            Instant now = clock.instant();
            Instant last = lastInbound.get(to);
            boolean open = last != null && now.isBefore(last.plus(WINDOW));
            if (!"template".equals(type) && enforceWindow && !open) {
                error(exchange, 400, 131047, "(#131047) Re-engagement message: more than 24 hours have passed"
                        + " since the recipient last replied to the sender number");
                return;
            }
            String text;
            String mediaId = null;
            String templateName = null;
            String language = null;
            List<String> params = new ArrayList<>();
            switch (type) {
                case "text" -> {
                    text = req.path("text").path("body").asText("");
                    if (text.isEmpty()) {
                        error(exchange, 400, 100, "(#100) The parameter text['body'] is required.");
                        return;
                    }
                    if (text.length() > 4096) {
                        error(exchange, 400, 100, "(#100) Param text['body'] must be at most 4096 characters long.");
                        return;
                    }
                }
                case "image", "video", "audio", "document" -> {
                    mediaId = req.path(type).path("id").asText(null);
                    if (mediaId == null || !media.containsKey(mediaId)) {
                        error(exchange, 400, 131053, "(#131053) Media upload error: no media with id " + mediaId);
                        return;
                    }
                    if ("audio".equals(type) && req.path(type).has("caption")) {
                        error(exchange, 400, 100, "(#100) Param audio['caption'] is not a valid parameter");
                        return;
                    }
                    text = req.path(type).path("caption").asText("");
                }
                case "template" -> {
                    templateName = req.path("template").path("name").asText("");
                    language = req.path("template").path("language").path("code").asText("");
                    TemplateEntry t = templates.get(templateName + "/" + language);
                    if (t == null || t.status() != TemplateStatus.APPROVED) {
                        error(exchange, 400, 132001, "(#132001) Template name does not exist in the translation: "
                                + templateName + " (" + language + ")" + (t == null ? "" : " is " + t.status()));
                        return;
                    }
                    for (JsonNode c : req.path("template").path("components")) {
                        if ("body".equals(c.path("type").asText())) {
                            for (JsonNode p : c.path("parameters")) {
                                params.add(p.path("text").asText());
                            }
                        }
                    }
                    Matcher m = PARAM.matcher(t.body());
                    StringBuilder filled = new StringBuilder();
                    int expected = 0;
                    while (m.find()) {
                        int n = Integer.parseInt(m.group(1));
                        expected = Math.max(expected, n);
                        m.appendReplacement(filled, Matcher.quoteReplacement(n <= params.size() ? params.get(n - 1) : ""));
                    }
                    m.appendTail(filled);
                    if (expected != params.size()) {
                        error(exchange, 400, 132000, "(#132000) Number of parameters does not match the expected"
                                + " number of params: expected " + expected + ", got " + params.size());
                        return;
                    }
                    text = filled.toString();
                }
                default -> {
                    error(exchange, 400, 131051, "(#131051) Unsupported message type " + type);
                    return;
                }
            }
            String id = newMessageId();
            accepted = new CloudMessage(id, to, type, text, mediaId, templateName, language, params,
                    req.path("biz_opaque_callback_data").asText(null), now);
            messages.add(accepted);
            byId.put(id, accepted);
            for (CloudStatus s : CloudStatus.values()) {
                if (s.ordinal() <= autoStatusUpTo.ordinal()) {
                    queue(statusEvent(accepted, s.wire(), null));
                }
            }
            drop = dropResponses > 0;
            if (drop) {
                dropResponses--;
            }
        }
        if (drop) {
            return; // closing the exchange without a response closes the connection
        }
        ObjectNode answer = MAPPER.createObjectNode().put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", req.path("to").asText()).put("wa_id", to);
        answer.putArray("messages").addObject().put("id", accepted.id())
                .put("message_status", "accepted");
        json(exchange, 200, answer);
    }

    private void uploadMedia(HttpExchange exchange, byte[] body) throws IOException {
        CloudFault fault = nextFault();
        if (fault != null) {
            answerFault(exchange, fault);
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        List<MultipartParser.Part> parts;
        try {
            parts = MultipartParser.parse(contentType, body);
        } catch (RuntimeException e) {
            error(exchange, 400, 100, "(#100) the upload is not multipart/form-data: " + e.getMessage());
            return;
        }
        Map<String, MultipartParser.Part> byName = new HashMap<>();
        parts.forEach(p -> byName.put(p.name(), p));
        MultipartParser.Part product = byName.get("messaging_product");
        MultipartParser.Part file = byName.get("file");
        if (product == null || !"whatsapp".equals(new String(product.body(), StandardCharsets.UTF_8).trim())) {
            error(exchange, 400, 100, "(#100) The parameter messaging_product is required.");
            return;
        }
        if (file == null || file.body().length == 0) {
            error(exchange, 400, 100, "(#100) The parameter file is required.");
            return;
        }
        MultipartParser.Part type = byName.get("type");
        String mime = type != null ? new String(type.body(), StandardCharsets.UTF_8).trim() : file.contentType();
        String id = Long.toString(900_000_000_000L + ids.getAndIncrement());
        synchronized (lock) {
            media.put(id, new Upload(id, mime, file.fileName(), file.body()));
        }
        json(exchange, 200, MAPPER.createObjectNode().put("id", id));
    }

    private void answerFault(HttpExchange exchange, CloudFault fault) throws IOException {
        if (fault.code() == 0) {
            byte[] text = fault.message().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(fault.httpStatus(), text.length);
            exchange.getResponseBody().write(text);
            return;
        }
        error(exchange, fault.httpStatus(), fault.code(), fault.message());
    }

    private void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode e = body.putObject("error");
        e.put("message", message).put("type", code == 190 ? "OAuthException" : "OAuthException").put("code", code);
        if (code > 100_000) {
            e.putObject("error_data").put("messaging_product", "whatsapp").put("details", message);
        }
        e.put("fbtrace_id", "AfakeTrace" + ids.getAndIncrement());
        json(exchange, status, body);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ------------------------------------------------------------------ webhooks

    private ObjectNode statusEvent(CloudMessage m, String status, ObjectNode error) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("id", m.id()).put("status", status).put("timestamp", Long.toString(clock.instant().getEpochSecond()))
                .put("recipient_id", m.to());
        if (!"failed".equals(status)) {
            ObjectNode conversation = s.putObject("conversation");
            conversation.put("id", "conv-" + m.to());
            conversation.putObject("origin").put("type", m.isTemplate() ? "utility" : "service");
            s.putObject("pricing").put("billable", m.isTemplate()).put("pricing_model", "PMP")
                    .put("category", m.isTemplate() ? "utility" : "service");
        }
        if (m.callbackData() != null) {
            s.put("biz_opaque_callback_data", m.callbackData());
        }
        if (error != null) {
            s.putArray("errors").add(error);
        }
        return s;
    }

    /** Queues a status (has "status") or an incoming message for the pusher; caller holds lock. */
    private void queue(ObjectNode event) {
        pendingEvents.add(event);
        lock.notifyAll();
    }

    private void pushLoop() {
        while (true) {
            List<ObjectNode> batch = new ArrayList<>();
            synchronized (lock) {
                while (!closed && (pendingEvents.isEmpty() || webhookUrl == null || webhooksHeld)) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                while (!pendingEvents.isEmpty() && batch.size() < EVENTS_PER_NOTIFICATION) {
                    batch.add(pendingEvents.poll());
                }
                pushing++;
            }
            try {
                byte[] body = notification(batch);
                synchronized (lock) {
                    lastNotification = body;
                }
                String signature = signature(body);
                for (int attempt = 1; attempt <= webhookAttempts; attempt++) {
                    int status = post(body, signature);
                    synchronized (lock) {
                        webhookAnswers.add(status);
                    }
                    if (status == 200 || closed) {
                        break;
                    }
                    // Meta retries a notification that was not answered 200, with growing pauses.
                    Thread.sleep(Math.min(1_000, 20L * attempt));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                synchronized (lock) {
                    pushing--;
                    lock.notifyAll();
                }
            }
        }
    }

    private byte[] notification(List<ObjectNode> events) {
        ObjectNode root = MAPPER.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", "WABA-" + phoneNumberId)
                .putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", digits(displayPhoneNumber))
                .put("phone_number_id", phoneNumberId);
        ArrayNode statuses = MAPPER.createArrayNode();
        ArrayNode incoming = MAPPER.createArrayNode();
        ArrayNode contacts = MAPPER.createArrayNode();
        Set<String> named = new HashSet<>();
        for (ObjectNode e : events) {
            if (e.has("status")) {
                statuses.add(e);
            } else {
                incoming.add(e);
                String from = e.path("from").asText();
                if (named.add(from)) {
                    contacts.addObject().put("wa_id", from).putObject("profile").put("name", "Customer " + from);
                }
            }
        }
        if (!contacts.isEmpty()) {
            value.set("contacts", contacts);
            value.set("messages", incoming);
        }
        if (!statuses.isEmpty()) {
            value.set("statuses", statuses);
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String newMessageId() {
        String raw = phoneNumberId + "-" + ids.getAndIncrement() + "-" + System.nanoTime();
        return "wamid." + Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String digits(String number) {
        return number.replaceAll("[^0-9]", "");
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        pusher.interrupt();
        server.stop(0);
        executor.shutdownNow();
    }

    public static final class Builder {
        private String phoneNumberId = DEFAULT_PHONE_NUMBER_ID;
        private String displayPhoneNumber = "+15550100200";
        private String accessToken = DEFAULT_ACCESS_TOKEN;
        private String appSecret = DEFAULT_APP_SECRET;
        private Clock clock = Clock.systemUTC();
        private CloudStatus autoStatusUpTo = CloudStatus.DELIVERED;
        private boolean enforceWindow = true;
        private int webhookAttempts = 20;
        private int serverThreads = 16;
        private URI webhookUrl;

        public Builder phoneNumberId(String id) {
            if (id == null || !id.matches("\\d{5,20}")) {
                throw new IllegalArgumentException("a phone number id is digits, was '" + id + "'");
            }
            this.phoneNumberId = id;
            return this;
        }

        public Builder displayPhoneNumber(String number) {
            this.displayPhoneNumber = number;
            return this;
        }

        public Builder accessToken(String token) {
            this.accessToken = token;
            return this;
        }

        public Builder appSecret(String secret) {
            this.appSecret = secret;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The statuses pushed at once for every accepted message (default SENT then DELIVERED). */
        public Builder autoStatusUpTo(CloudStatus last) {
            this.autoStatusUpTo = last;
            return this;
        }

        /** Whether free-form messages outside the 24-hour window are refused with 131047 (default true). */
        public Builder enforceServiceWindow(boolean on) {
            this.enforceWindow = on;
            return this;
        }

        /** How often a notification is posted until it is answered 200 (default 20). */
        public Builder webhookAttempts(int attempts) {
            this.webhookAttempts = attempts;
            return this;
        }

        public Builder webhookUrl(URI url) {
            this.webhookUrl = url;
            return this;
        }

        /** Threads serving requests at once (default 16). */
        public Builder serverThreads(int n) {
            this.serverThreads = n;
            return this;
        }

        public FakeCloudApi start() {
            return new FakeCloudApi(this);
        }
    }
}
